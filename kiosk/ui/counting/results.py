"""Results screen: per choice votes by channel, winners, budget used, turnout and cross-checks.

Figures come from `ballots.results.from_store` (the same as the procès-verbal). Whether they may be
shown, and whether they are final, is `ballots.publication`'s answer: before the polls close
nothing is shown unless the election allows partial results, or a member of the commission asks
to see them anyway ("Afficher quand même"), which is written in the audit log. The report is
written on a pool thread so the window stays responsive.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ballots import numbers, publication, results
from ballots.report import csvfile, words
from ballots.report import pdf as report_pdf
from ballots.report.labels import TIE_BREAK_LABELS_FR, channel_label, rule_sentence_fr, tie_at_fr
from ballots.results import QuestionResult, Results
from ballots.store import Store
from kiosk.ui.budget_bar import show_budget
from kiosk.ui.counting.common import WINNER_BG, Job, fit_height, label, money, number, table


class ResultsView(QWidget):
    report_written = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None, *, actor: str = "commission",
                 time_zone: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.time_zone = time_zone
        self.overridden = False  # a person asked to see withheld results (audited once per window)
        self.results: Results | None = None
        self.tables: dict[str, QTableWidget] = {}
        self.budget_bars: dict[str, QProgressBar] = {}
        self.pool = QThreadPool.globalInstance()
        self._jobs: list[Job] = []
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.refresh_button = QPushButton("Actualiser")
        self.refresh_button.clicked.connect(self.refresh)
        self.report_button = QPushButton("Procès-verbal (PDF + CSV)…")
        self.report_button.setObjectName("primary")
        self.report_button.clicked.connect(self._ask_report)
        self.status = label("", "hint")
        self.override_button = QPushButton("Afficher quand même (consigné au journal)")
        self.override_button.clicked.connect(self.override)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.report_button)
        bar.addWidget(self.override_button)
        bar.addWidget(self.status, 1)
        outer.addLayout(bar)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        outer.addWidget(self.scroll_area, 1)
        self.refresh()

    # -- content ---------------------------------------------------------------------------

    def hidden_while_open(self) -> bool:
        return not publication.of_store(self.store).allowed and not self.overridden

    def override(self) -> None:
        """Show withheld results to the commission, once, written in the audit log."""
        p = publication.of_store(self.store)
        if not p.allowed and not self.overridden:
            publication.record_override(self.store, p, actor=self.actor, what="counting window")
        self.overridden = True
        self.refresh()

    def refresh(self) -> None:
        self.tables.clear()
        self.budget_bars.clear()
        body = QWidget()
        lay = QVBoxLayout(body)
        pub = publication.of_store(self.store)
        self.override_button.setVisible(not pub.allowed and not self.overridden)
        if self.hidden_while_open():
            self.results = None
            why = publication.POLLS_FR[pub.polls]
            lay.addWidget(label(
                f"Résultats non affichés : {why} et l'élection n'autorise pas les résultats partiels. "
                "Ils s'affichent à la clôture du scrutin.", "banner"))  # fmt: skip
            lay.addStretch(1)
            self.report_button.setEnabled(False)
            self.scroll_area.setWidget(body)
            return
        self.report_button.setEnabled(True)
        r = self.results = results.from_store(self.store, time_zone=self.time_zone)
        lay.addWidget(label(r.title, "title"))
        period = f"du {words.date_fr(r.date_begin)} au {words.date_fr(r.date_end)}" if r.date_begin else ""
        lay.addWidget(label(" — ".join(x for x in (r.organiser, period) if x), "hint"))
        if r.final:
            self.banner = label("Résultats définitifs : scrutin clos, aucun bulletin n'attend de décision.", "ok")
        else:
            shown = "" if pub.allowed else " Affichés à la demande de la commission (consigné au journal d'audit)."
            self.banner = label(
                f"Résultats provisoires : {r.status.why_provisional()}. Les chiffres peuvent encore changer.{shown}",
                "banner",
            )
        lay.addWidget(self.banner)
        self._turnout(lay, r)
        self._checks(lay, r)
        for q in r.questions:
            self._question(lay, r, q)
        seal = r.audit
        state = "intègre" if seal.intact else f"NON INTÈGRE ({seal.problem})"
        lay.addWidget(label(f"Journal d'audit : {seal.entries} entrées, {state}, empreinte {seal.head[:16]}…", "hint"))
        lay.addStretch(1)
        self.scroll_area.setWidget(body)

    def _turnout(self, lay: QVBoxLayout, r: Results) -> None:
        lay.addWidget(label("Participation", "section"))
        rows = [
            [channel_label(t.channel), number(t.voters), number(t.votes), numbers.percent(t.voters, r.voters)]
            for t in r.turnout
        ]
        rows.append(["Total", number(r.voters), number(r.votes), ""])
        t = table(["Canal", "Votants", "Votes (choix cochés)", "Part"], rows, bold_rows=[len(rows) - 1])
        fit_height(t)
        self.tables["turnout"] = t
        lay.addWidget(t)
        electors = f"Inscrits : {number(r.electors)} · " if r.electors else ""
        lay.addWidget(label(
            f"{electors}votants : {number(r.voters)} (dont déclarés nuls : {number(r.void)}) · à examiner : "
            f"{r.pending_review} · pages rejetées : {r.rejected_pages} · annulés : {r.spoiled}", "hint"))  # fmt: skip

    def _checks(self, lay: QVBoxLayout, r: Results) -> None:
        rec = r.reconciliation
        lines = []
        if rec.register_entries is not None:
            diff = rec.register_difference or 0
            verdict = "concordant" if diff == 0 else f"ÉCART {diff:+d} à expliquer"
            lines.append(f"Émargements {rec.register_entries} · bulletins borne {rec.kiosk_ballots} : {verdict}")
        else:
            lines.append("Pas de liste d'émargement pour cette élection.")
        if rec.paper_issued is not None:
            lines.append(
                f"Bulletins papier émis {rec.paper_issued} · numérisés {rec.paper_returned} · non rentrés {rec.paper_not_returned}"
            )
        else:
            lines.append(f"Bulletins papier numérisés : {rec.paper_returned}")
        lay.addWidget(label("Contrôles", "section"))
        self.checks_label = label("\n".join(lines))
        lay.addWidget(self.checks_label)

    def _question(self, lay: QVBoxLayout, r: Results, q: QuestionResult) -> None:
        lay.addWidget(label(q.title, "section"))
        lay.addWidget(
            label("Règle : " + rule_sentence_fr(q.rule, q.kind, q.tie_break, q.min_score, q.rule_note), "hint")
        )
        headers = (
            ["Rang", "Choix"] + (["Coût"] if q.budget else []) + [channel_label(c) for c in r.channels] + ["Total"]
        )
        headers += ["Points"] if q.ranked else []
        headers.append("Retenu")
        rows = []
        for c in q.choices:
            row = [c.rank, c.title] + ([money(c.cost, r.currency)] if q.budget else [])
            row += [number(c.by_channel.get(ch, 0)) for ch in r.channels] + [number(c.votes)]
            row += [number(c.points)] if q.ranked else []
            row.append("✔ Retenu" if c.winner else "")
            rows.append(row)
        winners = [i for i, c in enumerate(q.choices) if c.winner]
        t = table(headers, rows, bold_rows=winners, highlight=WINNER_BG, stretch=1)
        fit_height(t)
        self.tables[q.question] = t
        lay.addWidget(t)
        if q.budget:
            bar = QProgressBar()
            show_budget(bar, q.spent, q.budget)
            bar.setFormat(
                f"Budget utilisé : {money(q.spent, r.currency)} / {money(q.budget, r.currency)} ({numbers.percent(q.spent, q.budget)})"
            )
            self.budget_bars[q.question] = bar
            lay.addWidget(bar)
        by_id = {c.choice: c.title for c in q.choices}
        for tie in q.ties:
            settled = (
                "départagés par la règle : " + TIE_BREAK_LABELS_FR.get(tie.rule, tie.rule)
                if tie.selected
                else "la commission tranche"
            )
            lay.addWidget(label(f"Égalité {tie_at_fr(tie.rule, tie.score)} entre {', '.join(by_id[c] for c in tie.choices)} : {settled}.",
                                "banner"))  # fmt: skip
        check = "vérifié" if q.balanced else "NON VÉRIFIÉ"
        lay.addWidget(label(
            f"Votants {number(q.voters)} = exprimés {number(q.expressed)} + blancs {number(q.blank)} + nuls "
            f"{number(q.invalid)} ({check}) · retenus : {len(q.winners)}", "hint"))  # fmt: skip

    # -- report ----------------------------------------------------------------------------

    def _ask_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Enregistrer le procès-verbal", "proces-verbal.pdf", "PDF (*.pdf)")
        if path:
            self.write_report(Path(path))

    def write_report(self, pdf: Path) -> Job:
        """Write the PDF and, beside it, the CSV; `report_written(path)` when done."""
        data_dir = self.store.data_dir
        zone = self.time_zone

        def work() -> str:
            # A second connection: the pool thread never shares the window's.
            with Store(data_dir) as s:
                r = results.from_store(s, time_zone=zone)
            report_pdf.write_pdf(r, pdf)
            csvfile.write_csv(r, pdf.with_suffix(".csv"))
            return str(pdf)

        job = Job(work)
        job.signals.done.connect(self._report_done)
        job.signals.failed.connect(lambda msg: self.status.setText(f"Échec du procès-verbal : {msg}"))
        self._jobs.append(job)
        self.report_button.setEnabled(False)
        self.status.setText("Écriture du procès-verbal…")
        self.pool.start(job)
        return job

    def _report_done(self, path: str) -> None:
        self.report_button.setEnabled(True)
        self.status.setText(f"Procès-verbal écrit : {path} (et le CSV à côté)")
        self.report_written.emit(path)
