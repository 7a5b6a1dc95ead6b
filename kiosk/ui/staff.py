"""Staff: the staff menu (the PIN pad before it is `kiosk.ui.pin_pad`).

The menu opens, pauses, closes and reopens the polls (rules in `ballots.polls`), shows counts
(results only once the polls are closed, unless the election allows partial results), backs up
to a USB stick that is really plugged in (`kiosk.drives`), exports a sync bundle, prints blank
ballots through the system's print dialog or as a PDF on a stick, and quits. Long work runs on
the thread pool (`kiosk.ui.jobs`).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QProgressBar

from ballots.errors import UrneError
from ballots.polls import DateWarning, NoStaffPin, PollsUnchanged
from ballots.store import Polls
from kiosk.drives import Drive
from kiosk.ui.interrupted import InterruptedPanel
from kiosk.ui.ports import ScreenContext, StaffDesk
from kiosk.ui.reflow import FlowLayout
from kiosk.ui.widgets import Alert, Button, Label, Screen


class StaffMenu(Screen):
    """Polls, counts, backup, sync file, blank ballots, quit. Every change of the polls goes
    through `ballots.polls` (the kiosk only forwards); reopening closed polls and opening them
    outside the election's dates take a second tap after the warning."""

    leave = Signal()
    watch_idle = False
    staff = True

    def __init__(self, ctx: ScreenContext, desk: StaffDesk) -> None:
        super().__init__()
        self.ctx = ctx
        self.desk = desk
        self.busy = False
        self.confirming = ""
        gap = ctx.theme.gap_px
        layout, bar = self.frame(ctx.theme.touch_px, gap)
        self.heading = Label("", "heading", name="staff_heading")
        self.status = Label("", name="staff_status")
        self.counts = Label("", name="staff_counts")
        for w in (self.heading, self.status, self.counts):
            layout.addWidget(w)
        grid = FlowLayout(spacing=gap * 2)  # as many to a row as fit; labels wrap, never cut
        self.buttons: dict[str, Button] = {}
        for name in ("open", "pause", "close", "results", "backup", "bundle", "print", "quit"):
            b = Button("", name=f"staff_{name}")
            b.clicked.connect(lambda _=False, n=name: self.action(n))
            self.buttons[name] = b
            grid.addWidget(b)
        layout.addLayout(grid)
        # Visits cut between register entry and ballot (shown only while there are some).
        self.interrupted = InterruptedPanel(desk, gap, ctx.theme.touch_px)
        self.interrupted.changed.connect(self.refresh)
        layout.addWidget(self.interrupted)
        self.progress = QProgressBar()
        self.progress.setObjectName("staff_progress")
        self.progress.setRange(0, 0)  # indeterminate: backup and printing report no steps
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.message = Alert(name="staff_message")
        layout.addWidget(self.message)
        # Where a job goes when there is a choice (the printer or a drive; one of several drives).
        self.choices = FlowLayout(spacing=gap * 2)
        self.choice_buttons: list[Button] = []
        layout.addLayout(self.choices)
        self.results = Label("", name="staff_results")
        self.results.setVisible(False)
        layout.addWidget(self.results)
        layout.addStretch(1)
        self.back = Button("", "primary", name="staff_back")
        self.back.clicked.connect(self.leave.emit)
        bar.addWidget(self.back)

    def reset(self) -> None:
        """A staff session starts clean: no message, no choice, nothing waiting for a second tap."""
        self.confirming = ""
        self.message.say("")
        self.results.setVisible(False)
        self.clear_choices()
        self.interrupted.reset()

    def refresh(self) -> None:
        k = self.desk
        polls = k.polls()
        counts = k.counts()
        names = {
            Polls.NOT_OPENED: self.tr("pas encore ouvert"),
            Polls.OPEN: self.tr("ouvert"),
            Polls.PAUSED: self.tr("en pause"),
            Polls.CLOSED: self.tr("fermé"),
        }
        self.heading.setText(self.tr("Menu du personnel"))
        self.status.setText(self.tr("Vote : {state}").format(state=names[polls]))
        self.counts.setText(
            self.tr("Bulletins enregistrés : {ballots} · Inscrits : {register}").format(
                ballots=counts.ballots, register=counts.register
            )
        )
        b = self.buttons
        if self.confirming == "open":
            b["open"].setText(
                self.tr("Touchez encore pour rouvrir")
                if polls is Polls.CLOSED
                else self.tr("Touchez encore pour ouvrir")
            )
        else:
            b["open"].setText(self.tr("Rouvrir le vote") if polls is Polls.CLOSED else self.tr("Ouvrir le vote"))
        b["pause"].setText(self.tr("Mettre en pause"))
        b["close"].setText(
            self.tr("Touchez encore pour fermer") if self.confirming == "close" else self.tr("Fermer le vote")
        )
        b["results"].setText(self.tr("Voir les résultats"))
        b["backup"].setText(self.tr("Sauvegarder sur clé USB"))
        b["bundle"].setText(self.tr("Exporter pour la synchronisation"))
        b["print"].setText(self.tr("Imprimer 20 bulletins vierges"))
        b["quit"].setText(
            self.tr("Touchez encore pour quitter") if self.confirming == "quit" else self.tr("Quitter Urne")
        )
        b["open"].setEnabled(polls is not Polls.OPEN and not self.busy)
        b["pause"].setEnabled(polls is Polls.OPEN and not self.busy)
        b["close"].setEnabled(polls in (Polls.OPEN, Polls.PAUSED) and not self.busy)
        b["results"].setEnabled(k.results_allowed())
        b["backup"].setEnabled(not self.busy)
        b["bundle"].setEnabled(not self.busy)
        b["print"].setEnabled(not self.busy)
        b["quit"].setEnabled(not self.busy)
        for c in self.choice_buttons:
            c.setEnabled(not self.busy)
        self.interrupted.refresh()
        self.back.setText(self.tr("Retour à l'accueil"))
        self.progress.setVisible(self.busy)
        if not k.results_allowed():
            self.results.setVisible(False)

    # -- what a tap does ------------------------------------------------------------------------

    def action(self, name: str) -> None:
        k = self.desk
        polls = k.polls()
        warning = k.date_warning() if name == "open" else None
        confirm = name in ("close", "quit") or (name == "open" and (polls is Polls.CLOSED or warning is not None))
        if confirm and self.confirming != name:
            self.confirming = name
            self.clear_choices()
            self.message.say(self.warning_text(polls, warning) if name == "open" else "")
            self.refresh()
            return
        self.confirming = ""
        self.message.say("")
        self.clear_choices()
        try:
            if name == "open":
                k.change_polls(Polls.OPEN, reopen=polls is Polls.CLOSED)
            elif name == "pause":
                k.change_polls(Polls.PAUSED)
            elif name == "close":
                k.change_polls(Polls.CLOSED)
        except UrneError as exc:
            self.message.say(self.refusal_text(exc))
        if name == "results":
            self.results.setText(k.results_text())
            self.results.setVisible(True)
        elif name == "quit":
            k.quit_kiosk()
            return
        elif name in ("backup", "bundle"):
            drives = k.drives()
            if not drives:
                self.message.say(
                    self.tr(
                        "Aucune clé USB trouvée. Branchez une clé, attendez quelques secondes, puis touchez encore."
                    )
                )
            elif len(drives) == 1:
                self.start_job(name, drives[0])
            else:
                for drive in drives:
                    self.offer(self.tr("Sur la clé « {name} »").format(name=drive.label), name, drive)
        elif name == "print":
            self.offer(self.tr("Sur l'imprimante…"), "print", None)
            for drive in k.drives():
                self.offer(self.tr("En PDF sur la clé « {name} »").format(name=drive.label), "print", drive)
        self.refresh()

    def warning_text(self, polls: Polls, warning: DateWarning | None) -> str:
        e = self.ctx.election
        lines = []
        if polls is Polls.CLOSED:
            lines.append(self.tr("Le vote est fermé. Le rouvrir sera noté dans le journal."))
        if warning is DateWarning.BEFORE_START:
            lines.append(self.tr("Attention : le vote ne commence que le {date}.").format(date=day(e.date_begin)))
        elif warning is DateWarning.AFTER_END:
            lines.append(self.tr("Attention : le vote s'est terminé le {date}.").format(date=day(e.date_end)))
        return "\n".join(lines)

    def refusal_text(self, exc: UrneError) -> str:
        """A refused change of the polls in the staff's language (the codes, never parsed)."""
        if isinstance(exc, PollsUnchanged):
            return self.tr("Rien n'a changé : l'état du vote a changé entre-temps. Regardez l'état ci-dessus.")
        if isinstance(exc, NoStaffPin):
            return self.tr("Choisissez d'abord le code du personnel.")
        return exc.message()

    def offer(self, text: str, job: str, drive: Drive | None) -> None:
        b = Button(text, name=f"staff_choice_{len(self.choice_buttons)}")
        b.clicked.connect(lambda _=False: self.choose(job, drive))
        self.choice_buttons.append(b)
        self.choices.addWidget(b)

    def clear_choices(self) -> None:
        for b in self.choice_buttons:
            self.choices.removeWidget(b)
            b.hide()
            b.deleteLater()
        self.choice_buttons = []

    def choose(self, job: str, drive: Drive | None) -> None:
        self.clear_choices()
        if job == "print" and drive is None and not self.desk.choose_printer():
            self.refresh()
            return  # the staff cancelled the print dialog
        self.start_job(job, drive)

    def start_job(self, name: str, drive: Drive | None) -> None:
        self.busy = True
        self.message.say("")
        self.desk.run_staff_job(name, drive)
        self.refresh()

    def job_finished(self, text: str) -> None:
        self.busy = False
        self.message.say(text)
        self.refresh()


def day(iso: str) -> str:
    """2026-06-14 -> 14/06/2026 (the dates in the election file are ISO)."""
    parts = iso[:10].split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso
