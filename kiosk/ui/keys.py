"""Voting with keys only: a keypad, a keyboard, or two switches.

Every key a voter may press is turned into an `Action` (`action_for`), whatever sends it: the
arrows, Entrée and Échap of a keyboard, a USB numeric keypad (8/2 up and down, 5 select, 0 back,
`/` help, `*` audio, `.` screen, `+`/`-` volume, 7/9 slower/faster), F-keys, media volume keys,
or a switch interface (most send Tab for "move" and Entrée for "select"; that is the two-switch
mode). `Navigator` moves the focus through the actions of the current screen in reading order
(top to bottom, left to right, the scrolling list before the buttons under it), wrapping round,
and scrolls the focused action into view; `Scanner` moves it by itself at an adjustable pace so
that one switch is enough.

A key held down does not repeat: one press is one action (a stuck key must not vote).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLineEdit, QScrollArea, QWidget

if TYPE_CHECKING:
    from kiosk.ui.app import MainWindow


class Action(StrEnum):
    UP = "up"
    DOWN = "down"
    SELECT = "select"
    BACK = "back"
    HELP = "help"  # "répéter": says the screen and the focused action again, then the keys
    AUDIO = "audio"  # audio ballot on / off
    SCREEN = "screen"  # blank the screen (privacy) / show it again
    LOUDER = "louder"
    SOFTER = "softer"
    FASTER = "faster"
    SLOWER = "slower"


K = Qt.Key
# (key, from the numeric keypad) -> action. Keypad digits act only as keypad keys: typed into a
# field (a postcode) they stay digits.
KEYPAD: dict[int, Action] = {
    K.Key_8: Action.UP,
    K.Key_4: Action.UP,
    K.Key_2: Action.DOWN,
    K.Key_6: Action.DOWN,
    K.Key_5: Action.SELECT,
    K.Key_Enter: Action.SELECT,
    K.Key_0: Action.BACK,
    K.Key_Slash: Action.HELP,
    K.Key_Asterisk: Action.AUDIO,
    K.Key_Period: Action.SCREEN,
    K.Key_Comma: Action.SCREEN,  # French keypads have a comma there
    K.Key_Plus: Action.LOUDER,
    K.Key_Minus: Action.SOFTER,
    K.Key_9: Action.FASTER,
    K.Key_7: Action.SLOWER,
}
KEYS: dict[int, Action] = {
    K.Key_Up: Action.UP,
    K.Key_Left: Action.UP,
    K.Key_Backtab: Action.UP,
    K.Key_Down: Action.DOWN,
    K.Key_Right: Action.DOWN,
    K.Key_Tab: Action.DOWN,  # the "move" switch
    K.Key_Return: Action.SELECT,  # the "select" switch
    K.Key_Enter: Action.SELECT,
    K.Key_Space: Action.SELECT,
    K.Key_Select: Action.SELECT,
    K.Key_Escape: Action.BACK,
    K.Key_Back: Action.BACK,
    K.Key_F1: Action.HELP,
    K.Key_Help: Action.HELP,
    K.Key_F2: Action.AUDIO,
    K.Key_F3: Action.SCREEN,
    K.Key_F4: Action.SLOWER,
    K.Key_F5: Action.FASTER,
    K.Key_F7: Action.SOFTER,
    K.Key_F8: Action.LOUDER,
    K.Key_VolumeDown: Action.SOFTER,
    K.Key_VolumeUp: Action.LOUDER,
}
# In a text field these keys type or move the cursor: the field keeps them.
FIELD_KEYS = {K.Key_Left, K.Key_Right, K.Key_Space, K.Key_Backspace}


def action_for(event: QKeyEvent, in_field: bool = False) -> Action | None:
    key = event.key()
    if event.modifiers() & Qt.KeyboardModifier.KeypadModifier:
        if in_field and K.Key_0 <= key <= K.Key_9:
            return None
        return KEYPAD.get(key)
    if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
        return None  # Ctrl+Shift+U (staff) and the like
    if in_field and key in FIELD_KEYS:
        return None
    return KEYS.get(key)


def focusable(w: QWidget) -> bool:
    return bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus) and not isinstance(w, QAbstractScrollArea)


def actions(screen: QWidget) -> list[QWidget]:
    """The actions a voter can reach on `screen` (focusable, shown, enabled), in reading order."""
    found = [w for w in screen.findChildren(QWidget) if focusable(w) and w.isVisible() and w.isEnabled()]
    scrolls = [(s, c) for s in screen.findChildren(QScrollArea) if s.isVisible() and (c := s.widget()) is not None]

    def key(w: QWidget) -> tuple[int, int, int, int]:
        for s, content in scrolls:
            if content.isAncestorOf(w):
                at, inner = s.mapTo(screen, s.rect().topLeft()), w.mapTo(content, w.rect().topLeft())
                return (at.y(), at.x(), inner.y(), inner.x())
        at = w.mapTo(screen, w.rect().topLeft())
        return (at.y(), at.x(), 0, 0)

    return sorted(found, key=key)


class FocusRing(QWidget):
    """The keyboard focus, drawn as a thick ring OUTSIDE the focused action with a gap of page
    background between them, so it contrasts with the page whatever the button's own colour
    (black on white, or yellow on black in high contrast: 21:1 and 19.6:1). Shown after a key or
    switch press, hidden at the next touch; it never takes a touch itself."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("focus_ring")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.target: QWidget | None = None
        self.width_px, self.gap_px, self.colour = 4, 3, "#000000"
        self.timer = QTimer(self)  # follows the action while its list scrolls
        self.timer.timeout.connect(self.place)
        self.hide()

    def style_from(self, width_px: int, gap_px: int, colour: str) -> None:
        self.width_px, self.gap_px, self.colour = width_px, gap_px, colour
        self.place()

    def follow(self, target: QWidget | None) -> None:
        self.target = target
        if target is None:
            self.hide()
            self.timer.stop()
            return
        self.place()
        self.timer.start(150)

    def place(self) -> None:
        t, window = self.target, self.parentWidget()
        try:
            shown = t is not None and window is not None and t.isVisible()
        except RuntimeError:  # the action was deleted (a list rebuilt)
            shown = False
        if not shown or t is None or window is None:
            self.hide()
            return
        margin = self.width_px + self.gap_px
        at = t.mapTo(window, t.rect().topLeft())
        rect = QRect(at, t.size()).adjusted(-margin, -margin, margin, margin)
        if rect != self.geometry():
            self.setGeometry(rect)
        self.raise_()
        self.show()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        pen = QPen(QColor(self.colour))
        pen.setWidth(self.width_px)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        half = self.width_px // 2
        painter.drawRect(self.rect().adjusted(half, half, -half - self.width_px % 2, -half - self.width_px % 2))
        painter.end()


class Navigator(QObject):
    """Application event filter: keys become actions on the kiosk window's current screen."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ring = FocusRing(window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()  # once: each call builds a Python enum, and every event passes here
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.ring.follow(None)  # a touch: no ring until the next key
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        action = action_for(event, in_field=isinstance(watched, QLineEdit))
        if action is None:
            return False
        if event.isAutoRepeat():
            return True
        self.window.act(action)
        return True

    # -- focus -----------------------------------------------------------------------------

    def move(self, step: int) -> QWidget | None:
        """Focus the next (+1) or previous (-1) action of the current screen, wrapping round."""
        items = actions(self.window.current())
        if not items:
            return None
        current = self.window.focusWidget()
        if current in items:
            target = items[(items.index(current) + step) % len(items)]
        else:
            target = items[0] if step > 0 else items[-1]
        target.setFocus(Qt.FocusReason.TabFocusReason)
        self.reveal(target)
        self.ring.follow(target)
        return target

    def reveal(self, w: QWidget) -> None:
        """Scroll every list holding `w` so that the focused action is on screen."""
        parent = w.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea) and (content := parent.widget()) is not None and content.isAncestorOf(w):
                parent.ensureWidgetVisible(w, 0, 0)
            parent = parent.parentWidget()

    def select(self) -> bool:
        w = self.window.focusWidget()
        if w is None or w.window() is not self.window or not w.isVisible():
            return False
        if isinstance(w, QAbstractButton):
            if w.isEnabled():
                w.click()
                return True
            return False
        if isinstance(w, QLineEdit):
            self.move(1)  # Entrée in a field: on to the next one
            return True
        return False


class Scanner(QObject):
    """Automatic scanning for one switch: the focus moves by itself every `interval_ms`; the
    select switch (Entrée) acts, and the scan starts again from there."""

    def __init__(self, navigator: Navigator, interval_ms: int) -> None:
        super().__init__(navigator)
        self.navigator = navigator
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.step)
        self.interval_ms = interval_ms

    def step(self) -> None:
        self.navigator.window.audio.focus_changed(self.navigator.move(1))

    @property
    def running(self) -> bool:
        return self.timer.isActive()

    def start(self, interval_ms: int | None = None) -> None:
        if interval_ms is not None:
            self.interval_ms = interval_ms
        if self.interval_ms > 0:
            self.timer.start(self.interval_ms)

    def stop(self) -> None:
        self.timer.stop()

    def restart(self) -> None:
        if self.running:
            self.timer.start(self.interval_ms)
