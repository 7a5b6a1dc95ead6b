"""Idle: after `Config.kiosk.idle_seconds` without a touch on a voting screen, "Êtes-vous toujours
là ?" with a countdown of `idle_warning_seconds`; then the ballot in progress is discarded.

`IdleWatch` filters every input event of the application; the durations are attributes in
milliseconds so tests can make them short (no sleeping, no timed assertions).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal

from kiosk.ui.ports import ScreenContext
from kiosk.ui.widgets import Button, Label, Screen

INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseMove,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.Wheel,
}


class IdleWatch(QObject):
    """Fires `expired` after `idle_ms` without input while armed."""

    expired = Signal()

    def __init__(self, idle_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle_ms = idle_ms
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.expired.emit)

    @property
    def armed(self) -> bool:
        return self.timer.isActive()

    def arm(self, idle_ms: int | None = None) -> None:
        if idle_ms is not None:
            self.idle_ms = idle_ms
        self.timer.start(self.idle_ms)

    def disarm(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() in INPUT_EVENTS and self.timer.isActive():
            self.timer.start(self.idle_ms)
        return False


class IdleScreen(Screen):
    """'Are you still there?' with a countdown; `still_here` or `timed_out`."""

    still_here = Signal()
    timed_out = Signal()
    watch_idle = False

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tick_ms = 1000
        self.left = 0
        layout, bar = self.frame(ctx.theme.touch_px, ctx.theme.gap_px)
        layout.addStretch(1)
        self.heading = Label("", "title", name="idle_heading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = Label("", name="idle_countdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.heading)
        layout.addWidget(self.countdown)
        layout.addStretch(1)
        self.stay = Button("", "primary", name="still_here")
        self.stay.clicked.connect(self._stay)
        bar.addWidget(self.stay)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)

    def start(self, seconds: int) -> None:
        self.left = max(seconds, 1)
        self.refresh()
        self.timer.start(self.tick_ms)

    def stop(self) -> None:
        self.timer.stop()

    def refresh(self) -> None:
        self.heading.setText(self.tr("Êtes-vous toujours là ?"))
        self.countdown.setText(self.tr("Sans réponse, votre vote sera effacé dans {s} secondes.").format(s=self.left))
        self.stay.setText(self.tr("Oui, je continue"))

    def _tick(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.timer.stop()
            self.timed_out.emit()
        else:
            self.refresh()

    def _stay(self) -> None:
        self.timer.stop()
        self.still_here.emit()
