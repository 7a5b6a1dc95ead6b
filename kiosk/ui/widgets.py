"""Small building blocks shared by the screens: buttons, labels and the screen base class.

Buttons keep Qt's `clicked` semantics on purpose: a tap counts only when it is pressed and
released on the same button (VVSG). Key auto-repeat is ignored so a stuck key does not vote.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QLayout, QLayoutItem, QPushButton, QSizePolicy, QWidget


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed (role, chosen, kind)."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class Button(QPushButton):
    """A touch button (≥ 12.7 mm, from the stylesheet). `role`: normal, primary, key, hidden."""

    def __init__(self, text: str = "", role: str = "normal", parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(text, parent)
        self.setProperty("role", role)
        self.setAutoRepeat(False)
        # Keys reach every button (Tab), but a tap does not move the focus: the focus ring is for
        # keyboard and switch users, and a tap leaves no trace for the next voter to see.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        if name:
            self.setObjectName(name)

    def set_role(self, role: str) -> None:
        if self.property("role") != role:
            self.setProperty("role", role)
            repolish(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.isAutoRepeat():
            event.ignore()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.isAutoRepeat():
            event.ignore()
            return
        super().keyReleaseEvent(event)


class Label(QLabel):
    """Wrapped text. `kind`: body, heading, title, alert."""

    def __init__(self, text: str = "", kind: str = "body", parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setProperty("kind", kind)
        self.setTextFormat(Qt.TextFormat.PlainText)
        if name:
            self.setObjectName(name)


class Alert(Label):
    """A message area that is hidden when empty (refusals, errors)."""

    def __init__(self, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__("", "alert", parent, name)
        self.setVisible(False)

    def say(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class Card(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("kind", "card")
        self.setProperty("chosen", False)

    def set_chosen(self, chosen: bool) -> None:
        if self.property("chosen") != chosen:
            self.setProperty("chosen", chosen)
            repolish(self)


class Screen(QWidget):
    """A full page of the kiosk. `refresh()` re-reads every text (language, settings, session)."""

    watch_idle = True  # the voter idle timer runs on this screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

    def refresh(self) -> None:  # pragma: no cover - every screen overrides it
        raise NotImplementedError

    def reset(self) -> None:
        """Back to the state of a freshly started kiosk (a new visit begins). Screens that keep
        anything between refreshes (scroll positions, expanded cards, a filter) override it."""


def clear_layout(layout) -> None:  # type: ignore[no-untyped-def]
    """Delete every widget of a layout (cards are rebuilt when the filter or language changes)."""
    while layout.count():
        item = layout.takeAt(0)
        w = item.widget()
        if w is not None:
            w.setParent(None)
            w.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


class FlowLayout(QLayout):
    """Lays buttons out in rows that wrap (category filters, languages): nothing is ever cut."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt name)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, *, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()
