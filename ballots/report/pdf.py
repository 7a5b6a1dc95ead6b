"""The official results report (procès-verbal) as PDF.

Contract:
- `write_pdf(results, path)` writes an A4 PDF in French: election, organiser, dates, turnout by
  channel, register and paper cross-checks, per question the table and a bar chart, winners and
  budget used, rejected and reviewed ballots with their reasons and decisions, the audit log's
  head hash and the signature lines of the commission. Black-and-white printable: channels are
  told apart by patterns and labels, winners by a black square, bold type and a "Oui" column.
- The same figures as CSV: `ballots.report.csvfile`.
- It only reads `results` and writes the file atomically (`ballots.durable`), so a crash never
  leaves half a report where the previous one was.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ballots.durable import atomic_write
from ballots.numbers import money, number, percent
from ballots.report import charts, volunteer
from ballots.report.labels import (
    TIE_BREAK_LABELS_FR,
    channel_label,
    reason_label,
    rule_sentence_fr,
    status_label,
    tie_at_fr,
)
from ballots.report.styles import BODY, CELL, CELL_BOLD, GRID, H1, H1SUB, H2, H3, HEAD, HEAD_RIGHT, MONO, SMALL
from ballots.report.words import datetime_fr, esc, period_fr
from ballots.results import QuestionResult, Results


def _table(
    data: list[list[Any]], widths: list[float], extra: Iterable[tuple[Any, ...]] = (), total_row: bool = False
) -> Table:
    t = Table(data, colWidths=widths, repeatRows=1)
    style = list(GRID) + list(extra)
    if total_row:
        style.append(("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"))
        style.append(("LINEABOVE", (0, -1), (-1, -1), 1.2, colors.black))
    t.setStyle(TableStyle(style))
    return t


class _NumberedCanvas(Canvas):
    """Draws 'page n / N' and the audit head on every page once the page count is known."""

    footer = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Helvetica", 7.5)
            self.setLineWidth(0.5)
            self.line(18 * mm, 14 * mm, A4[0] - 18 * mm, 14 * mm)
            self.drawString(18 * mm, 10 * mm, self.footer)
            self.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {self._pageNumber} / {total}")
            super().showPage()
        super().save()


def _header(r: Results) -> list[Any]:
    out: list[Any] = []
    if r.organiser:
        out.append(Paragraph(esc(r.organiser.upper()), ParagraphStyle("org", parent=BODY, fontName="Helvetica-Bold")))
    # The proclamation title only when the figures are final (ballots.publication decides).
    title = (
        "PROCÈS-VERBAL DU DÉPOUILLEMENT<br/>ET DE LA PROCLAMATION DES RÉSULTATS"
        if r.final
        else "RÉSULTATS PROVISOIRES<br/>ÉTAT DU DÉPOUILLEMENT (NE VAUT PAS PROCLAMATION)"
    )
    out += [
        Spacer(1, 6 * mm),
        Paragraph(title, H1),
        Spacer(1, 2 * mm),
        Paragraph(esc(r.title), H1SUB),
        Paragraph(f"Vote ouvert {period_fr(r)}", H1SUB),
        Spacer(1, 4 * mm),
        Paragraph(
            f"Identifiant de l'élection : <b>{esc(r.election_id)}</b>. Document établi par le logiciel Urne "
            f"le {datetime_fr(r.generated_at, r.time_zone)}, à partir des bulletins enregistrés sur les bornes, "
            "des bulletins papier numérisés et des décisions de la commission.",
            BODY,
        ),
        Paragraph(f"<b>Résultats définitifs : {'oui' if r.final else 'non'}</b>.", BODY),
    ]
    if not r.final:
        warn = Table(
            [[Paragraph(
                f"<b>RÉSULTATS PROVISOIRES</b> : {esc(r.status.why_provisional())}. Les chiffres ci-dessous peuvent "
                "encore changer ; les bulletins à examiner ne sont pas comptés. Ce document ne se signe pas.", BODY)]],
            colWidths=[170 * mm],
        )  # fmt: skip
        warn.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 2, colors.black), ("TOPPADDING", (0, 0), (-1, -1), 5)]))
        out += [Spacer(1, 3 * mm), warn]
    return out


def _turnout(r: Results, width: float) -> list[Any]:
    data: list[list[Any]] = [["Canal", "Votants", "Votes (choix cochés)", "Part des votants"]]
    for t in r.turnout:
        data.append([channel_label(t.channel), number(t.voters), number(t.votes), percent(t.voters, r.voters)])
    data.append(["Total", number(r.voters), number(r.votes), percent(r.voters, r.voters) if r.voters else "—"])
    right = [("ALIGN", (1, 1), (-1, -1), "RIGHT")]
    status = [["Bulletins", "Nombre"]]
    if r.electors:
        status.append(["Inscrits (personnes appelées à voter)", number(r.electors)])
    status += [
        ["Votants", number(r.voters)],
        ["dont bulletins déclarés nuls par la commission", number(r.void)],
        ["À examiner (non comptés)", number(r.pending_review)],
        ["Pages rejetées (ce ne sont pas des bulletins valables)", number(r.rejected_pages)],
        ["Annulés (remplacés à la demande de l'électeur)", number(r.spoiled)],
    ]
    if r.electors:
        status.insert(3, ["Participation (votants / inscrits)", percent(r.voters, r.electors)])
    return [
        Paragraph("1. Participation", H2),
        Paragraph(
            "Un votant est un bulletin compté ou déclaré nul ; un vote est un choix coché sur un bulletin compté.",
            SMALL,
        ),
        Spacer(1, 2 * mm),
        _table(data, [40 * mm, 50 * mm, 45 * mm, 35 * mm], right, total_row=True),
        Spacer(1, 3 * mm),
        charts.turnout_chart(r.turnout, width),
        Spacer(1, 2 * mm),
        _table(status, [110 * mm, 30 * mm], [("ALIGN", (1, 1), (-1, -1), "RIGHT")]),
    ]


def _checks(r: Results) -> list[Any]:
    rec = r.reconciliation
    rows: list[list[Any]] = [["Contrôle", "Nombre"]]
    if rec.register_entries is not None:
        rows += [
            ["Émargements sur la liste (borne)", number(rec.register_entries)],
            ["Bulletins déposés sur les bornes", number(rec.kiosk_ballots)],
            ["Écart (bulletins - émargements)", f"{rec.register_difference:+d}" if rec.register_difference else "0"],
        ]
    else:
        rows.append(["Liste d'émargement", "non tenue pour cette élection"])
    if rec.paper_issued is not None:
        rows += [
            ["Bulletins papier émis (numérotés)", number(rec.paper_issued)],
            ["Bulletins papier numérisés", number(rec.paper_returned)],
            ["Bulletins papier non rentrés", number(rec.paper_not_returned or 0)],
        ]
    else:
        rows.append(["Bulletins papier numérisés", number(rec.paper_returned)])
    out: list[Any] = [
        Paragraph("2. Contrôles de cohérence", H2),
        _table(rows, [110 * mm, 50 * mm], [("ALIGN", (1, 1), (-1, -1), "RIGHT")]),
    ]
    if rec.register_difference:
        out.append(Paragraph(
            f"<b>Attention</b> : l'écart entre bulletins et émargements est de {rec.register_difference:+d}. "
            "La commission doit l'expliquer ci-dessous avant de signer.", BODY))  # fmt: skip
    return out


def _widest_word(text: str) -> float:
    return max(stringWidth(w, HEAD.fontName, HEAD.fontSize) for w in text.split())


def _question(r: Results, q: QuestionResult, width: float, section: list[Any]) -> list[Any]:
    channels = list(r.channels)
    header = ["Rang", "Projet" if q.budget else "Choix"] + (["Coût"] if q.budget else [])
    header += [channel_label(c) for c in channels] + ["Total"] + (["Points"] if q.ranked else []) + ["Retenu"]
    # Header cells wrap inside their column ("Plateforme en ligne" ran over "Total" as plain text).
    data: list[list[Any]] = [[Paragraph(esc(h), HEAD if i < 2 else HEAD_RIGHT) for i, h in enumerate(header)]]
    winner_rows: list[int] = []
    for i, c in enumerate(q.choices, start=1):
        style = CELL_BOLD if c.winner else CELL
        row: list[Any] = [str(c.rank), Paragraph(esc(c.title), style)] + (
            [money(c.cost, r.currency)] if q.budget else []
        )
        row += [number(c.by_channel.get(ch, 0)) for ch in channels] + [number(c.votes)]
        row += [number(c.points)] if q.ranked else []
        row.append("OUI" if c.winner else "")
        data.append(row)
        if c.winner:
            winner_rows.append(i)
    # Each figure column is at least as wide as the longest word of its heading (plus the cell's
    # padding), so a heading wraps between words and never runs into its neighbour.
    num = [max(17 * mm, _widest_word(h) + 12) for h in header[2:]]
    if q.budget:
        num[0] += 6 * mm  # amounts are longer than counts
    rank_w = max(10 * mm, _widest_word(header[0]) + 12)
    widths = [rank_w, 170 * mm - rank_w - sum(num), *num]
    extra: list[tuple[Any, ...]] = [("ALIGN", (2, 1), (-1, -1), "RIGHT"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
                                    ("VALIGN", (0, 0), (-1, 0), "BOTTOM")]  # fmt: skip
    extra += [("FONTNAME", (0, i), (-1, i), "Helvetica-Bold") for i in winner_rows]
    extra += [("LINEBEFORE", (-1, i), (-1, i), 1.5, colors.black) for i in winner_rows]
    rule = rule_sentence_fr(q.rule, q.kind, q.tie_break, q.min_score, q.rule_note)
    head = [
        *section,
        Paragraph(esc(q.title), H3),
        Paragraph(f"Règle d'attribution : {esc(rule)}.", SMALL),
        Spacer(1, 2 * mm),
    ]
    table = _table(data, widths, extra)
    # The heading stays with the table when the table fits on a page; long tables just flow.
    out: list[Any] = [KeepTogether([*head, table])] if len(q.choices) <= 30 else [*head, table]
    out.append(Spacer(1, 2 * mm))
    by_id = {c.choice: c for c in q.choices}
    if q.winners:
        names = "".join(
            f"<br/>{n}. {esc(by_id[w].title)}" + (f" — {money(by_id[w].cost, r.currency)}" if q.budget else "")
            for n, w in enumerate(q.winners, start=1)
        )
        label = (
            "Projets retenus"
            if q.budget
            else ("Choix arrivé en tête" if len(q.winners) == 1 else "Choix arrivés en tête")
        )
        out.append(Paragraph(f"<b>{label} ({len(q.winners)})</b>, dans l'ordre d'attribution :{names}", BODY))
    else:
        out.append(Paragraph("<b>Aucun choix retenu</b> (aucun vote exprimé).", BODY))
    if q.budget:
        share = percent(q.spent, q.budget)
        out.append(Paragraph(
            f"<b>Budget utilisé : {money(q.spent, r.currency)} sur {money(q.budget, r.currency)} ({share})</b>, "
            f"reste {money(q.budget - q.spent, r.currency)}.", BODY))  # fmt: skip
    out += _ties(q)
    out += _french_count(r, q)
    out += [Spacer(1, 3 * mm), KeepTogether([charts.question_chart(q, channels, width)])]
    out.append(
        Paragraph(
            "Carré noir et caractères gras : choix retenu. Le nombre au bout de chaque barre est le total des votes.",
            SMALL,
        )
    )
    return out


def _ties(q: QuestionResult) -> list[Any]:
    """The tie-break rule, written next to every tie that decided who is selected."""
    by_id = {c.choice: c for c in q.choices}
    out: list[Any] = []
    for tie in q.ties:
        names = ", ".join(f"« {esc(by_id[c].title)} »" for c in tie.choices)
        unit = "points" if q.kind in ("ranked", "cumulative") else "voix"
        if tie.selected:
            chosen = ", ".join(f"« {esc(by_id[c].title)} »" for c in tie.selected)
            settled = f"départagés par la règle : {esc(TIE_BREAK_LABELS_FR.get(tie.rule, tie.rule))} ; {'retenu' if len(tie.selected) == 1 else 'retenus'} : {chosen}"
        else:
            settled = "la commission tranche et consigne sa décision dans les observations"
        out.append(Paragraph(f"<b>Égalité</b> {tie_at_fr(tie.rule, tie.score, unit)} entre {names} : {settled}.", BODY))
    return out


def _french_count(r: Results, q: QuestionResult) -> list[Any]:
    """Inscrits, votants, blancs, nuls, exprimés, and the identity checked (French practice)."""
    head = (["Inscrits"] if r.electors else []) + ["Votants", "Blancs", "Nuls", "Exprimés"]
    row = ([number(r.electors)] if r.electors else []) + [number(q.voters), number(q.blank), number(q.invalid),
                                                          number(q.expressed)]  # fmt: skip
    widths = [170 * mm / len(head)] * len(head)
    check = (
        f"Contrôle : votants ({number(q.voters)}) = exprimés ({number(q.expressed)}) + blancs ({number(q.blank)}) "
        f"+ nuls ({number(q.invalid)}) : <b>vérifié</b>."
        if q.balanced
        else f"<b>Contrôle NON VÉRIFIÉ</b> : votants {number(q.voters)} ≠ exprimés + blancs + nuls "
        f"({number(q.expressed + q.blank + q.invalid)}). La commission doit l'expliquer avant de signer."
    )
    return [
        Spacer(1, 2 * mm),
        KeepTogether([
            Paragraph("Décompte de la question", ParagraphStyle("count", parent=BODY, fontName="Helvetica-Bold")),
            _table([head, row], widths, [("ALIGN", (0, 0), (-1, -1), "RIGHT")]),
            Paragraph("Nuls : bulletins déclarés nuls par la commission et réponses qui ne respectent pas la règle "
                      "de la question.", SMALL),
            Paragraph(check, BODY),
        ]),
    ]  # fmt: skip


def _issues(r: Results) -> list[Any]:
    out: list[Any] = [Paragraph("4. Bulletins rejetés et examinés", H2)]
    if not r.issues:
        return [*out, Paragraph("Aucun bulletin n'a été rejeté ni soumis à la commission.", BODY)]
    data: list[list[Any]] = [["Bulletin", "Canal", "Statut", "Motifs", "Décision de la commission"]]
    for i in r.issues:
        decisions = (
            "<br/>".join(
                f"{status_label(d.status)} — {esc(d.actor)}, {datetime_fr(d.at, r.time_zone)}"
                + (f" : {esc(d.note)}" if d.note else "")
                for d in i.decisions
            )
            or "—"
        )
        source = f"<br/><font size=6.5>{esc(i.source)}</font>" if i.source else ""
        data.append([
            Paragraph(esc(i.ballot[:18]) + source, CELL),
            channel_label(i.channel),
            Paragraph(status_label(i.status), CELL_BOLD if i.status != "counted" else CELL),
            Paragraph(esc(", ".join(reason_label(x) for x in i.reasons)) or "—", CELL),
            Paragraph(decisions, CELL),
        ])  # fmt: skip
    out.append(_table(data, [30 * mm, 17 * mm, 20 * mm, 48 * mm, 55 * mm]))
    return out


def _integrity(r: Results) -> list[Any]:
    head = r.audit.head or "—"
    state = "intègre" if r.audit.intact else f"<b>NON INTÈGRE : {esc(r.audit.problem)}</b>"
    return [
        Paragraph("5. Intégrité", H2),
        Paragraph(
            f"Journal d'audit : {r.audit.entries} entrées, chaîne {state}. Empreinte de la dernière entrée "
            "(SHA-256), qui scelle l'ensemble du journal à la date de ce procès-verbal :", BODY),
        Paragraph(f"{head[:32]}<br/>{head[32:]}", MONO),
        Spacer(1, 1.5 * mm),
        Paragraph("Empreinte de la définition de l'élection (SHA-256), imprimée en abrégé sur les bulletins papier :", BODY),
        Paragraph(f"{r.fingerprint[:32]}<br/>{r.fingerprint[32:]}", MONO),
    ]  # fmt: skip


def _signatures() -> list[Any]:
    line = "_" * 34
    box = Table(
        [
            [Paragraph("<b>Le président de la commission</b>", BODY), Paragraph("<b>Les assesseurs</b>", BODY)],
            [Paragraph("Nom :", BODY), Paragraph("Nom :", BODY)],
            [Spacer(1, 18 * mm), Spacer(1, 18 * mm)],
            [Paragraph("Signature : " + line, SMALL), Paragraph("Signature : " + line, SMALL)],
            ["", Paragraph("Nom :", BODY)],
            ["", Spacer(1, 18 * mm)],
            ["", Paragraph("Signature : " + line, SMALL)],
        ],
        colWidths=[85 * mm, 85 * mm],
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                ("LINEBEFORE", (1, 0), (1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [KeepTogether([
        Paragraph("6. Clôture", H2),
        Paragraph("Observations de la commission : " + "." * 120, BODY),
        Spacer(1, 4 * mm),
        Paragraph("." * 160, BODY),
        Spacer(1, 5 * mm),
        Paragraph("Fait à ...................................................., le ...................................., "
                  "en un exemplaire original.", BODY),
        Spacer(1, 5 * mm),
        box,
    ])]  # fmt: skip


def _not_signed() -> list[Any]:
    return [
        Paragraph("6. Clôture", H2),
        Paragraph(
            "<b>Document provisoire, à ne pas signer.</b> Le procès-verbal de proclamation s'édite quand le scrutin "
            "est clos et que tous les bulletins ont été examinés.",
            BODY,
        ),
    ]


READ_ALOUD = ParagraphStyle("read_aloud", parent=BODY, fontSize=13, leading=18)


def _volunteer_annex(r: Results) -> list[Any]:
    """Annex: the script a volunteer reads to a voter who cannot see the screen (audio ballot)."""
    story: list[Any] = [
        PageBreak(),
        Paragraph("Annexe — Aider une personne qui ne voit pas l'écran", H2),
        Paragraph(
            "À garder près de la borne. La personne vote seule, avec le casque et le clavier numérique ; "
            "le bénévole installe, lit le texte encadré, puis s'éloigne.",
            BODY,
        ),
    ]
    for section in volunteer.sections(r):
        story.append(Paragraph(esc(section.heading), H3))
        for step in section.steps:
            story.append(Paragraph("• " + esc(step), BODY))
        if section.read_aloud:
            story.append(Spacer(1, 2 * mm))
            story.append(Paragraph("<b>À lire à la personne :</b>", BODY))
            box = Table([[Paragraph("<br/>".join(esc(s) for s in section.read_aloud), READ_ALOUD)]], colWidths=["100%"])
            box.setStyle(
                TableStyle(
                    [
                        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                        ("LEFTPADDING", (0, 0), (-1, -1), 8),
                        ("TOPPADDING", (0, 0), (-1, -1), 6),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ]
                )
            )
            story.append(box)
    return story


def pdf_bytes(r: Results) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=16 * mm, bottomMargin=20 * mm,
        title=f"{'Procès-verbal' if r.final else 'Résultats provisoires'} — {r.title}", author=r.organiser or "Urne",
        subject="Résultats officiels" if r.final else "Résultats provisoires",
        creator="Urne",
    )  # fmt: skip
    width = doc.width
    story: list[Any] = [*_header(r), *_turnout(r, width), *_checks(r)]
    for i, q in enumerate(r.questions):
        # The section title stays with the first question's table.
        story += _question(r, q, width, [Paragraph("3. Résultats", H2)] if i == 0 else [])
    story += _issues(r) + _integrity(r) + (_signatures() if r.final else _not_signed()) + _volunteer_annex(r)
    kind = "Procès-verbal" if r.final else "Résultats provisoires"

    class Numbered(_NumberedCanvas):
        footer = f"{kind} — {r.title} — journal d'audit {r.audit.head[:16]}"

    doc.build(story, canvasmaker=Numbered)
    return buf.getvalue()


def write_pdf(r: Results, path: str | os.PathLike[str]) -> Path:
    return atomic_write(path, pdf_bytes(r), make_parents=True)
