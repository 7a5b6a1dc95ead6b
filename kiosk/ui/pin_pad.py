"""The staff PIN pad (lockout and recovery rules in `ballots.staff_pin`).

Modes of the pad:
- "pin": six digits, checked (or, with no code stored yet, chosen twice by the first staff member);
- "recovery": after a lockout, "Code de secours" takes the 12-digit one-time recovery code of the
  staff envelope (wrong ones wait as wrong PINs do: a passer-by can neither guess it nor close it);
- "new_pin": the recovery code was right: a new staff code, twice (`PinGuard.recover` sets it,
  clears the lockout and replaces the recovery code in one transaction);
- "show_code": the new recovery code, shown once after a code was chosen on the pad, until
  "C'est noté" opens the staff menu.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout

from ballots.errors import UrneError
from ballots.staff_pin import PIN_LENGTH, RECOVERY_LENGTH, PinGuard, spaced, valid_format, weak
from kiosk.ui.ports import ScreenContext
from kiosk.ui.widgets import Alert, Button, Label, Screen


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
        self.mode = "pin"
        self.recovery = ""  # the recovery code accepted, until the new PIN is chosen
        self.new_code = ""  # the recovery code to show once
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
        self.recovery_button = Button("", name="pin_recovery")
        self.recovery_button.clicked.connect(self.start_recovery)
        self.noted_button = Button("", "primary", name="pin_noted")
        self.noted_button.clicked.connect(self.noted)
        self.cancel_button = Button("", name="pin_cancel")
        self.cancel_button.clicked.connect(self.cancel)
        for b in (self.noted_button, self.recovery_button, self.cancel_button):
            bar.addWidget(b)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.refresh)

    def reset(self) -> None:
        self.digits = ""
        self.first_choice = ""
        self.mode = "pin"
        self.recovery = ""
        self.new_code = ""
        self.alert.say("")

    @property
    def length(self) -> int:
        return RECOVERY_LENGTH if self.mode == "recovery" else PIN_LENGTH

    def refresh(self) -> None:
        g = self.guard
        t = self.ctx.theme
        for b in self.keys:  # wide keys, as tall as a line of the voter's text size needs
            b.setStyleSheet(
                f"min-width: {t.touch_px * 3 // 2}px; min-height: {max(t.touch_px, t.text_px * 13 // 10)}px;"
            )
        self.cancel_button.setText(self.tr("Annuler"))
        self.recovery_button.setText(self.tr("Code de secours"))
        self.noted_button.setText(self.tr("C'est noté"))
        showing = self.mode == "show_code"
        self.noted_button.setVisible(showing)
        self.cancel_button.setVisible(not showing)
        # Locked for good, the keys are no use: without them the message and the way out
        # ("Code de secours") are on screen without scrolling, even on a 1024×768 tablet. (A wait
        # keeps them in place: nothing moves under a finger when it ends.)
        locked = self.mode == "pin" and g.is_set and g.locked
        for b in self.keys:
            b.setVisible(not showing and not locked)
        if showing:
            # the code in the large line of the dots, on one line (no-break spaces between groups)
            self.heading.setText(self.tr("Code de secours"))
            self.dots.setText(spaced(self.new_code).replace(" ", "\u00a0"))
            self.alert.say(
                self.tr(
                    "Notez-le pour l'enveloppe du personnel, hors de la vue des électeurs : il sert une "
                    "fois, à débloquer le code sur cette borne, et ne sera plus affiché."
                )
            )
        else:
            self.dots.setText(" ".join("●" if i < len(self.digits) else "○" for i in range(self.length)))
        if showing:
            pass  # said above
        elif self.mode == "recovery":
            self.heading.setText(self.tr("Code de secours (12 chiffres, dans l'enveloppe du personnel)"))
        elif self.mode == "new_pin" or not g.is_set:
            self.heading.setText(
                self.tr("Choisissez le code du personnel (6 chiffres).")
                if not self.first_choice
                else self.tr("Tapez le même code encore une fois.")
            )
        else:
            self.heading.setText(self.tr("Code du personnel"))
        if self.mode != "pin":  # recovery goes on whatever the PIN's lockout says: it has its own
            wait = g.recovery_wait() if self.mode == "recovery" else 0.0
            for b in self.keys:
                b.setEnabled(wait <= 0)
            self.recovery_button.setVisible(False)
            if wait > 0:
                self._say_wait(self.tr("Code de secours faux."), wait)
            elif self._waiting:
                self.timer.stop()
                self._waiting = False
                self.alert.say("")
            return
        wait = g.seconds_to_wait()
        blocked = g.locked or wait > 0
        for b in self.keys:
            b.setEnabled(not blocked)
        self.recovery_button.setVisible(blocked and g.has_recovery)
        if g.locked:
            self.alert.say(
                self.tr(
                    "Trop d'erreurs : le code est bloqué. Pour le débloquer : « Code de secours » (enveloppe "
                    "du personnel), ou sur une console : urne kiosk --set-pin. Le vote continue : touchez « Annuler »."
                )
            )
            # Looked at again every second: `--set-pin` on the machine unlocks this very pad.
            self._waiting = True
            if not self.timer.isActive():
                self.timer.start()
        elif wait > 0:
            self._say_wait(self.tr("Code faux."), wait)
        else:
            self.timer.stop()
            if self._waiting:
                self._waiting = False
                self.alert.say("")

    def _say_wait(self, wrong: str, wait: float) -> None:
        """'Code faux. Attendez 2 minutes…', looked at again every second."""
        if wait > 60:
            minutes = int((wait + 59) // 60)
            self.alert.say(wrong + " " + self.tr("Attendez %n minute(s) avant d'essayer encore.", "", minutes))
        else:
            self.alert.say(wrong + " " + self.tr("Attendez {s} s avant d'essayer encore.").format(s=int(wait + 0.999)))
        self._waiting = True
        if not self.timer.isActive():
            self.timer.start()

    def press(self, digit: str) -> None:
        if len(self.digits) >= self.length:
            return
        self.digits += digit
        self.refresh()
        if len(self.digits) == self.length:
            self.submit()

    def backspace(self) -> None:
        self.digits = self.digits[:-1]
        self.refresh()

    def cancel(self) -> None:
        self.reset()
        self.timer.stop()
        self.cancelled.emit()

    def start_recovery(self) -> None:
        self.digits = ""
        self.mode = "recovery"
        self.alert.say("")
        self.refresh()

    def noted(self) -> None:
        self.reset()
        self.unlocked.emit()

    def submit(self) -> None:
        entered, self.digits = self.digits, ""
        if self.mode == "recovery":
            self._check_recovery(entered)
            return
        if self.mode == "new_pin" or not self.guard.is_set:
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

    def _check_recovery(self, entered: str) -> None:
        if self.guard.check_recovery(entered):
            self.recovery, self.mode = entered, "new_pin"
            self.alert.say("")
        elif not self.guard.recovery_wait():
            self.alert.say(self.tr("Code de secours faux. Essayez encore."))
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
            try:
                if self.mode == "new_pin":
                    code = self.guard.recover(self.recovery, entered)
                else:
                    code = self.guard.set_pin(entered)
            except UrneError:  # the recovery code was replaced meanwhile (`--set-pin` elsewhere)
                self.reset()
                self.alert.say(self.tr("Code de secours refusé."))
                self.refresh()
                return
            self.digits = self.first_choice = self.recovery = ""
            self.mode, self.new_code = "show_code", code
        else:
            self.first_choice = ""
            self.alert.say(self.tr("Les deux codes sont différents. Recommencez."))
        self.refresh()
