"""Thank-you: shown only once the ballot is durably stored; back to welcome after a few seconds."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal

from kiosk.ui.ports import ScreenContext
from kiosk.ui.widgets import Button, Label, Screen


class ThanksScreen(Screen):
    finished = Signal()
    watch_idle = False

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tick_ms = 1000  # tests shorten it
        self.left = 0
        layout, bar = self.frame(ctx.theme.touch_px, ctx.theme.gap_px)
        layout.addStretch(1)
        self.heading = Label("", "title", name="thanks_heading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = Label("", name="thanks_body")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = Label("", name="thanks_countdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for w in (self.heading, self.body, self.countdown):
            layout.addWidget(w)
        layout.addStretch(1)
        self.done = Button("", "primary", name="done")
        self.done.clicked.connect(self._finish)
        bar.addWidget(self.done)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)

    def start(self, seconds: int) -> None:
        self.left = max(seconds, 1)
        self.refresh()
        self.timer.start(self.tick_ms)

    def refresh(self) -> None:
        self.heading.setText(self.tr("Merci !"))
        self.body.setText(self.tr("Votre vote est enregistré."))
        self.countdown.setText(self.tr("Retour à l'accueil dans {s} s.").format(s=self.left))
        self.done.setText(self.tr("Terminer"))

    def _tick(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self._finish()
        else:
            self.refresh()

    def _finish(self) -> None:
        self.timer.stop()
        self.finished.emit()
