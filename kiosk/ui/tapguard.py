"""No tap crosses a screen: input is ignored for a short quiet time after the screen changes.

A double tap on "Voir mon vote" used to land its second tap on "Valider mon vote", which sits
at the same place on the next screen: the ballot was cast unseen. After every screen change the
kiosk now ignores presses (finger, mouse, keys) until QUIET_S seconds have passed without one;
each ignored press starts the quiet time again, so a triple or quadruple tap is eaten whole,
whatever its rhythm. The release of an ignored press is ignored too (a button never sees half a
tap). A deliberate tap on the new screen comes after the voter has read it: well after 0.5 s.
The clock is injectable so the tests choose the time between taps without sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

QUIET_S = 0.5

PRESSES = {
    QEvent.Type.MouseButtonPress: "mouse",
    QEvent.Type.MouseButtonDblClick: "mouse",
    QEvent.Type.TouchBegin: "touch",
    QEvent.Type.KeyPress: "key",
}
MODIFIERS = frozenset(
    {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr, Qt.Key.Key_CapsLock}
)
RELEASES = {
    QEvent.Type.MouseButtonRelease: "mouse",
    QEvent.Type.TouchEnd: "touch",
    QEvent.Type.TouchUpdate: "touch",
    QEvent.Type.KeyRelease: "key",
}


class TapGuard(QObject):
    """Application event filter for one window; `screen_changed()` starts the quiet time."""

    def __init__(self, window: QWidget, clock: Callable[[], float] = time.monotonic, quiet_s: float = QUIET_S) -> None:
        super().__init__(window)
        self.window = window
        self.clock = clock
        self.quiet_s = quiet_s
        self._until = 0.0
        self._eaten: set[str] = set()  # kinds of input whose press was ignored (their release is too)
        self.ignored = 0  # presses ignored since start (tests and the log read it)

    def screen_changed(self) -> None:
        self._until = self.clock() + self.quiet_s

    def quiet(self) -> bool:
        return self.clock() < self._until

    def _ours(self, watched: QObject) -> bool:
        return isinstance(watched, QWidget) and watched.window() is self.window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        etype = event.type()  # once: each call builds a Python enum, and every event passes here
        kind = PRESSES.get(etype)
        if kind is not None:
            if isinstance(event, QKeyEvent) and (event.isAutoRepeat() or event.key() in MODIFIERS):
                return False  # the buttons ignore auto-repeat already; Shift alone does nothing
            if not self._ours(watched) or not self.quiet():
                return False
            self._until = self.clock() + self.quiet_s  # a burst of taps is eaten whole
            self._eaten.add(kind)
            self.ignored += 1
            return True
        kind = RELEASES.get(etype)
        if kind is not None and kind in self._eaten and self._ours(watched):
            if etype is not QEvent.Type.TouchUpdate:
                self._eaten.discard(kind)
            return True
        return False
