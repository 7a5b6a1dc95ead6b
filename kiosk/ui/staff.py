"""Staff: the PIN pad (lockout rules in `kiosk.ui.pin`) and the staff menu.

The menu opens, pauses and closes the polls, shows counts (results only once the polls are
closed, unless the election allows partial results), backs up to a USB stick, exports a sync
bundle, prints blank ballots and quits. Long work runs on the thread pool (`kiosk.ui.jobs`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QProgressBar

from ballots.store import Polls
from kiosk.ui.pin import PIN_LENGTH, PinGuard, valid_format, weak
from kiosk.ui.ports import ScreenContext, StaffDesk
from kiosk.ui.widgets import Alert, Button, FlowLayout, Label, Screen


class PinScreen(Screen):
    """Six digits, then checked. With no PIN stored yet, the first staff member chooses one."""

    unlocked = Signal()
    cancelled = Signal()
    watch_idle = False
    staff = True

    def __init__(self, ctx: ScreenContext, guard: PinGuard) -> None:
        super().__init__()
        self.ctx = ctx
        self.guard = guard
        self.digits = ""
        self.first_choice = ""  # when creating a PIN: the first of the two entries
        self._waiting = False
        gap = ctx.theme.gap_px
        layout, bar = self.frame(ctx.theme.touch_px, gap)
        self.heading = Label("", "heading", name="pin_heading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = Label("", "title", name="pin_dots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The message sits under the pad and keeps its room when empty: when "Code faux"
        # appears, no key moves under a finger about to tap it.
        self.alert = Alert(name="pin_alert")
        policy = self.alert.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.alert.setSizePolicy(policy)
        layout.addWidget(self.heading)
        layout.addWidget(self.dots)
        grid = QGridLayout()
        grid.setSpacing(gap * 2)
        self.keys: list[Button] = []
        for i, key in enumerate("123456789<0"):
            b = Button(key, "key", name=f"pin_{key}")

            if key == "<":
                b.setText("⌫")
                b.clicked.connect(self.backspace)
            else:
                b.clicked.connect(lambda _=False, d=key: self.press(d))
            self.keys.append(b)
            grid.addWidget(b, i // 3, i % 3)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(grid)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.alert)
        layout.addStretch(1)
        self.cancel_button = Button("", name="pin_cancel")
        self.cancel_button.clicked.connect(self.cancel)
        bar.addWidget(self.cancel_button)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.refresh)

    def reset(self) -> None:
        self.digits = ""
        self.first_choice = ""
        self.alert.say("")

    def refresh(self) -> None:
        g = self.guard
        t = self.ctx.theme
        for b in self.keys:  # wide keys, as tall as a line of the voter's text size needs
            b.setStyleSheet(
                f"min-width: {t.touch_px * 3 // 2}px; min-height: {max(t.touch_px, t.text_px * 13 // 10)}px;"
            )
        self.cancel_button.setText(self.tr("Annuler"))
        if not g.is_set:
            self.heading.setText(
                self.tr("Choisissez le code du personnel (6 chiffres).")
                if not self.first_choice
                else self.tr("Tapez le même code encore une fois.")
            )
        else:
            self.heading.setText(self.tr("Code du personnel"))
        self.dots.setText(" ".join("●" if i < len(self.digits) else "○" for i in range(PIN_LENGTH)))
        wait = g.seconds_to_wait()
        blocked = g.locked or wait > 0
        for b in self.keys:
            b.setEnabled(not blocked)
        if g.locked:
            self.alert.say(self.tr("Trop d'erreurs : le code est bloqué. Sur l'ordinateur : urne kiosk --set-pin"))
            self.timer.stop()
        elif wait > 0:
            if wait > 60:
                minutes = int((wait + 59) // 60)
                self.alert.say(self.tr("Code faux. Attendez %n minute(s) avant d'essayer encore.", "", minutes))
            else:
                self.alert.say(self.tr("Code faux. Attendez {s} s avant d'essayer encore.").format(s=int(wait + 0.999)))
            self._waiting = True
            if not self.timer.isActive():
                self.timer.start()
        else:
            self.timer.stop()
            if self._waiting:
                self._waiting = False
                self.alert.say("")

    def press(self, digit: str) -> None:
        if len(self.digits) >= PIN_LENGTH:
            return
        self.digits += digit
        self.refresh()
        if len(self.digits) == PIN_LENGTH:
            self.submit()

    def backspace(self) -> None:
        self.digits = self.digits[:-1]
        self.refresh()

    def cancel(self) -> None:
        self.reset()
        self.timer.stop()
        self.cancelled.emit()

    def submit(self) -> None:
        entered, self.digits = self.digits, ""
        if not self.guard.is_set:
            self._create(entered)
            return
        attempt = self.guard.attempt(entered)
        if attempt.ok:
            self.reset()
            self.unlocked.emit()
            return
        if not attempt.locked and not attempt.wait:
            self.alert.say(self.tr("Code faux. Essayez encore."))
        self.refresh()

    def _create(self, entered: str) -> None:
        if not valid_format(entered):
            return
        if weak(entered):
            self.first_choice = ""
            self.alert.say(self.tr("Ce code est trop facile à deviner. Choisissez-en un autre."))
            self.refresh()
            return
        if not self.first_choice:
            self.first_choice = entered
            self.alert.say("")
        elif entered == self.first_choice:
            self.guard.set_pin(entered)
            self.reset()
            self.unlocked.emit()
            return
        else:
            self.first_choice = ""
            self.alert.say(self.tr("Les deux codes sont différents. Recommencez."))
        self.refresh()


class StaffMenu(Screen):
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
        self.progress = QProgressBar()
        self.progress.setObjectName("staff_progress")
        self.progress.setRange(0, 0)  # indeterminate: backup and printing report no steps
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.message = Alert(name="staff_message")
        layout.addWidget(self.message)
        self.results = Label("", name="staff_results")
        self.results.setVisible(False)
        layout.addWidget(self.results)
        layout.addStretch(1)
        self.back = Button("", "primary", name="staff_back")
        self.back.clicked.connect(self.leave.emit)
        bar.addWidget(self.back)

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
        b["open"].setText(self.tr("Ouvrir le vote"))
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
        b["open"].setEnabled(polls in (Polls.NOT_OPENED, Polls.PAUSED) and not self.busy)
        b["pause"].setEnabled(polls is Polls.OPEN and not self.busy)
        b["close"].setEnabled(polls in (Polls.OPEN, Polls.PAUSED) and not self.busy)
        b["results"].setEnabled(k.results_allowed())
        b["backup"].setEnabled(not self.busy)
        b["bundle"].setEnabled(not self.busy)
        b["print"].setEnabled(not self.busy)
        b["quit"].setEnabled(not self.busy)
        self.back.setText(self.tr("Retour à l'accueil"))
        self.progress.setVisible(self.busy)
        if not k.results_allowed():
            self.results.setVisible(False)

    def action(self, name: str) -> None:
        k = self.desk
        confirm = name in ("close", "quit")
        if confirm and self.confirming != name:
            self.confirming = name
            self.refresh()
            return
        self.confirming = ""
        self.message.say("")
        if name == "open":
            k.set_polls(Polls.OPEN)
        elif name == "pause":
            k.set_polls(Polls.PAUSED)
        elif name == "close":
            k.set_polls(Polls.CLOSED)
        elif name == "results":
            self.results.setText(k.results_text())
            self.results.setVisible(True)
        elif name == "quit":
            k.quit_kiosk()
            return
        else:
            self.busy = True
            k.run_staff_job(name)
        self.refresh()

    def job_finished(self, text: str) -> None:
        self.busy = False
        self.message.say(text)
        self.refresh()
