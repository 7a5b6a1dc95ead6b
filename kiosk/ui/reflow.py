"""How widgets are arranged on a screen when nothing may be cut: rows that wrap (`FlowLayout`),
a row that becomes a column when it does not fit (`Reflow`), a picture beside a title or above it
(`Beside`); and `clear_layout`, for lists rebuilt when the language or the filter changes.

Every widget keeps at least its widest word and, for wrapped text, the height its width needs:
the fit check (`tests/kiosk/test_fit.py`) measures the result on five real screens.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget


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
            if (w := item.widget()) is not None and w.isHidden():
                continue
            hint = item.sizeHint()
            if hint.width() > rect.width() > 0:  # wider than the row: it wraps its own text
                hint.setWidth(rect.width())
            if item.hasHeightForWidth():
                hint.setHeight(item.heightForWidth(hint.width()))
            if x + hint.width() > rect.right() + 1 and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


class Reflow(QWidget):
    """A row of widgets that becomes a column when the row does not fit: the first widget on
    the left, the last on the right (a back button and the primary action), or stacked — the
    primary action first — on a narrow screen or at a large text size. Nothing is squeezed
    below its widest word.

    The widgets are placed by hand, not by a QLayout: Qt asks a widget that has a layout for
    the layout's height-for-width, never the widget's, and a row that turns into a column (or
    a label that grows a line) then kept a stale height and its text overflowed."""

    def __init__(
        self, *widgets: QWidget, spacing: int = 8, stretch: int = -1, last_first: bool = True, wrap: bool = False
    ) -> None:
        super().__init__()
        self.items = list(widgets)
        self.spacing = spacing
        # wrap: a row whose labels wrap onto more lines is kept when it is lower than the column
        # (an action bar: vertical room is what a small landscape screen lacks at large sizes).
        self.wrap = wrap
        self.last_first = last_first  # in a column, the last widget (the primary action) on top
        self.stretch = stretch  # index of a widget that takes the room left in a row
        self.top = False  # in a row, widgets at the top (else centred on the row's height)
        for w in widgets:
            w.setParent(self)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._row = True

    def _shown(self) -> list[QWidget]:
        return [w for w in self.items if not w.isHidden()]

    def _row_width(self) -> int:
        shown = self._shown()
        return sum(_one_line(w) for w in shown) + self.spacing * max(len(shown) - 1, 0)

    def fits(self, width: int) -> bool:
        if self._row_width() <= width:
            return True
        wrapped = self._wrapped_row_height(width)
        return wrapped is not None and wrapped < self._column_height(width)

    def _wrapped_row_height(self, width: int) -> int | None:
        """The row's height when its widgets share `width` below their one-line widths, or None
        when even their widest words do not fit side by side."""
        shown = self._shown()
        if not self.wrap or len(shown) < 2:
            return None
        narrowest = [w.minimumSizeHint().width() for w in shown]
        if sum(narrowest) + self.spacing * (len(shown) - 1) > width:
            return None
        return max(_height_at(w, n) for w, n in zip(shown, self._row_widths(width), strict=True))

    def _column_height(self, width: int) -> int:
        shown = self._shown()
        return sum(_height_at(w, width) for w in shown) + self.spacing * max(len(shown) - 1, 0)

    def _row_widths(self, width: int) -> list[int]:
        """Each shown widget's width in a row `width` wide: its one-line width (the stretch
        widget takes what is left), or, short of room, its narrowest width plus a share of the
        room left in proportion to what it lacks."""
        shown = self._shown()
        hints = [_one_line(w) for w in shown]
        room = width - self.spacing * max(len(shown) - 1, 0)
        if sum(hints) <= room:
            widths = hints[:]
            target = self._stretch_widget()
            if target in shown:
                widths[shown.index(target)] += room - sum(hints)
            return widths
        target = self._stretch_widget()
        if target in shown:  # the stretching one (a bar) gives up its room first
            i = shown.index(target)
            floor = min(target.minimumSizeHint().width(), hints[i])
            if sum(hints) - (hints[i] - floor) <= room:
                return [room - (sum(hints) - hints[i]) if j == i else h for j, h in enumerate(hints)]
        narrowest = [min(w.minimumSizeHint().width(), h) for w, h in zip(shown, hints, strict=True)]
        lacking = [h - n for h, n in zip(hints, narrowest, strict=True)]
        spare = max(room - sum(narrowest), 0)
        total = sum(lacking) or 1
        return [n + spare * lack // total for n, lack in zip(narrowest, lacking, strict=True)]

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        width = max((w.minimumSizeHint().width() for w in self._shown()), default=0)
        return QSize(width, self.heightForWidth(width))

    def sizeHint(self) -> QSize:  # noqa: N802
        width = self._row_width()
        return QSize(width, self.heightForWidth(width))

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        shown = self._shown()
        if not shown:
            return 0
        if self.fits(width):
            return max(_height_at(w, ww) for w, ww in zip(shown, self._row_widths(width), strict=True))
        return self._column_height(width)

    def _stretch_widget(self) -> QWidget | None:
        return self.items[self.stretch] if 0 <= self.stretch < len(self.items) else None

    def _place(self) -> None:
        width, height = self.width(), self.height()
        shown = self._shown()
        if not shown or width <= 0:
            return
        self._row = self.fits(width)
        if self._row:
            widths = self._row_widths(width)
            used = sum(widths) + self.spacing * (len(shown) - 1)
            x = 0
            for i, (w, ww) in enumerate(zip(shown, widths, strict=True)):
                if i == len(shown) - 1 and i > 0 and self._stretch_widget() is None:
                    x += width - used  # the last one (the primary action) at the right end
                h = min(_height_at(w, ww), height)
                w.setGeometry(x, 0 if self.top else (height - h) // 2, ww, h)
                x += ww + self.spacing
            return
        order = shown
        if self.last_first and len(shown) > 1:
            order = [shown[-1], *shown[:-1]]
        y = 0
        for w in order:
            h = _height_at(w, width)
            w.setGeometry(0, y, width, h)
            y += h + self.spacing

    def event(self, event: QEvent) -> bool:
        # A widget inside changed (a label grew a line, a button was shown): this widget's own
        # size hints change too, so the parent layout must ask again, and the widgets move.
        if event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
            self._place()
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # Texts changed while the screen was hidden post no layout request: place them now.
        super().showEvent(event)
        self.updateGeometry()
        self._place()


class Beside(Reflow):
    """A picture beside a wrapped label, or above it when the label's longest word would not
    fit beside the picture (a long word at the largest text size on a portrait screen)."""

    def __init__(self, picture: QWidget, label: QLabel, spacing: int = 8) -> None:
        super().__init__(picture, label, spacing=spacing, stretch=1, last_first=False)
        self.picture, self.label = picture, label
        self.top = True

    def fits(self, width: int) -> bool:
        return self._row_width() <= width

    def _row_width(self) -> int:
        return self.picture.sizeHint().width() + self.spacing + self.label.minimumSizeHint().width()

    def _row_widths(self, width: int) -> list[int]:
        picture = self.picture.sizeHint().width()
        return [picture, max(width - picture - self.spacing, 1)]

    def sizeHint(self) -> QSize:  # noqa: N802
        width = self.picture.sizeHint().width() + self.spacing + self.label.sizeHint().width()
        return QSize(width, self.heightForWidth(width))


def _one_line(w: QWidget) -> int:
    """The width `w` needs to show its text on one line (a wrapped QLabel's own size hint is a
    guess at a pleasant shape, often narrower: "300 000 €" went onto a second line)."""
    if isinstance(w, QLabel) and w.wordWrap() and w.text() and w.pixmap().isNull():
        margins = w.contentsMargins()
        lines = w.text().split("\n")
        widest = max(w.fontMetrics().horizontalAdvance(line) for line in lines)
        return widest + margins.left() + margins.right() + 2 * w.margin() + 1
    return w.sizeHint().width()


def _height_at(w: QWidget, width: int) -> int:
    if w.hasHeightForWidth():
        return max(w.heightForWidth(width), w.minimumHeight())
    return w.sizeHint().height()
