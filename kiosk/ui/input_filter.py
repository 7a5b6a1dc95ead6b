"""One application event filter for the kiosk's three input watchers.

Qt calls an application event filter for every event of every object (paints, layouts, polish,
timers): three Python filters cost three Python calls per event — about 140 000 events in one
walk of the fit matrix, a few seconds of CPU on a tablet. This filter reads the event's type once,
lets everything that is not input through at once, and hands input to the watchers in the order
they must see it: the tap guard first (it eats a tap aimed at the previous screen), then the keys
(`Navigator`), then the idle timer — what three filters installed in the reverse order did.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

from kiosk.ui.idle import INPUT_EVENTS
from kiosk.ui.tapguard import PRESSES, RELEASES

INPUT = frozenset(PRESSES) | frozenset(RELEASES) | frozenset(INPUT_EVENTS)


class InputFilter(QObject):
    def __init__(self, parent: QObject, *watchers: QObject) -> None:
        super().__init__(parent)
        self.watchers = watchers

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() not in INPUT:
            return False
        return any(w.eventFilter(watched, event) for w in self.watchers)
