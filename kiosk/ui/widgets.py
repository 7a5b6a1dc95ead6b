"""Small building blocks shared by the screens: buttons, labels, cards, the scrolling panel and
the screen base class (how they are arranged in rows and columns: `kiosk.ui.reflow`).

Buttons keep Qt's `clicked` semantics on purpose: a tap counts only when it is pressed and
released on the same button (VVSG). Key auto-repeat is ignored so a stuck key does not vote.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed (role, chosen, kind)."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


# A space inside a number ("300 000"), before a unit ("000 €", "12 %") or inside French quotes
# ("« Annuler »"), in any label's text (the election file's too): written as a no-break space, so
# "300 000 €" is never cut at the end of a line and a quote mark never starts or ends one alone.
_GLUED = re.compile(r"(?<=\d) (?=\d{3}(?!\d))|(?<=\d) (?=[€$£%])|(?<=«) | (?=»)")


def keep_together(text: str) -> str:
    return _GLUED.sub("\u00a0", text)


def wrap_words(text: str, width: int, metrics: QFontMetrics) -> list[str]:
    """Greedy line breaking at ordinary spaces only: a no-break space (U+00A0, U+202F) keeps
    "300 000 €" whole. A word wider than `width` gets a line of its own (never cut)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and metrics.horizontalAdvance(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


class Button(QPushButton):
    """A touch button (≥ 12.7 mm, from the stylesheet). `role`: normal, primary, key, hidden.

    A label never gets cut: when the layout gives the button less width than its text needs,
    the text wraps onto more lines (at ordinary spaces) and the button grows taller
    (height-for-width). `text()` is the text as set, without the line breaks."""

    def __init__(self, text: str = "", role: str = "normal", parent: QWidget | None = None, name: str = "") -> None:
        super().__init__("", parent)
        self._text = ""
        self.setText(text)
        self.setProperty("role", role)
        self.setAutoRepeat(False)
        self.toggled.connect(self._forget_padding)
        # Keys reach every button (Tab), but a tap does not move the focus: the focus ring is for
        # keyboard and switch users, and a tap leaves no trace for the next voter to see.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        if name:
            self.setObjectName(name)

    # -- wrapping ---------------------------------------------------------------------------

    def text(self) -> str:  # type: ignore[override]
        return self._text

    def setText(self, text: str) -> None:  # type: ignore[override]  # noqa: N802 (Qt name)
        if text == self._text and super().text().replace("\n", " ") == text:
            return
        self._text = text
        super().setText(text)  # one line until the button knows its width
        self._rewrap(self.width())
        self.updateGeometry()

    def _padding(self) -> tuple[int, int]:
        """Horizontal and vertical room the style takes around the text (padding, border).

        Asked by every size hint (over a hundred thousand times in a walk of the fit matrix):
        kept until something that can change it happens — a new font or stylesheet, the enabled
        state (changeEvent), the role (`set_role`), the checked state (`toggled`)."""
        cached = self.__dict__.get("_pad")
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        opt = QStyleOptionButton()
        self.initStyleOption(opt)
        # The size must not change with the focus (its thicker ring takes room from the padding).
        opt.state &= ~QStyle.StateFlag.State_HasFocus
        opt.rect = QRect(0, 0, 1000, 1000)
        inner = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, self)
        pad = (1000 - inner.width(), 1000 - inner.height())
        self.__dict__["_pad"] = pad
        return pad

    def _forget_padding(self, *_: object) -> None:
        self.__dict__.pop("_pad", None)

    def _lines(self, width: int) -> list[str]:
        pad_w, _ = self._padding()
        return wrap_words(self._text, max(width - pad_w, 1), self.fontMetrics())

    def _rewrap(self, width: int) -> None:
        wrapped = "\n".join(self._lines(width)) if width > 0 else self._text
        if wrapped != super().text():
            lines_before = super().text().count("\n")
            super().setText(wrapped)
            if wrapped.count("\n") != lines_before:
                self.updateGeometry()  # taller or shorter: the layout asks sizeHint() again

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """The size on one line (what the layout gives when there is room)."""
        metrics = self.fontMetrics()
        pad_w, pad_h = self._padding()
        words = self._text.split("\n")
        w = max((metrics.horizontalAdvance(line) for line in words), default=0) + pad_w
        # Height: as many lines as the current width needs (Qt boxes cap a fixed-height widget
        # at its size hint, so the hint follows the wrapping).
        lines = len(self._lines(self.width())) if 0 < self.width() < w else len(words)
        h = metrics.lineSpacing() * lines + pad_h
        # At least as wide as tall (the stylesheet's min-height is the 12.7 mm target): no
        # stylesheet min-width, which would let a layout squeeze the text below its widest word.
        return QSize(max(w, self.minimumHeight()), h).expandedTo(self.minimumSize())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """As narrow as the widest word (a word is never cut)."""
        metrics = self.fontMetrics()
        pad_w, pad_h = self._padding()
        widest = max((metrics.horizontalAdvance(w) for w in self._text.replace("\n", " ").split(" ")), default=0)
        return QSize(max(widest + pad_w, self.minimumHeight()), metrics.lineSpacing() + pad_h).expandedTo(
            self.minimumSize()
        )

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        _, pad_h = self._padding()
        return max(self.fontMetrics().lineSpacing() * len(self._lines(width)) + pad_h, self.minimumHeight())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._rewrap(event.size().width())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        kind = event.type()
        if kind == QEvent.Type.EnabledChange:
            self._forget_padding()
        elif kind in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._forget_padding()
            self._rewrap(self.width())
            self.updateGeometry()

    def set_role(self, role: str) -> None:
        if self.property("role") != role:
            self.setProperty("role", role)
            self._forget_padding()
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
        super().__init__(keep_together(text), parent)
        self.setWordWrap(True)
        self.setProperty("kind", kind)
        self.setTextFormat(Qt.TextFormat.PlainText)
        if name:
            self.setObjectName(name)

    def setText(self, text: str) -> None:  # type: ignore[override]  # noqa: N802 (Qt name)
        super().setText(keep_together(text))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """Never narrower than its longest word: a layout short of room wraps the text, it
        does not cut a word ("300 000 €" is one word: no-break spaces)."""
        hint = super().minimumSizeHint()
        if not self.wordWrap() or not self.text() or not self.pixmap().isNull():
            return hint
        metrics = self.fontMetrics()
        # words as Qt wraps them: at spaces and line breaks, never at a no-break space (which
        # str.split() would cut at)
        words = re.split(r"[ \n]", self.text())
        widest = max((metrics.horizontalAdvance(word) for word in words), default=0)
        margins = self.contentsMargins()
        return QSize(max(hint.width(), widest + margins.left() + margins.right() + 2 * self.margin()), hint.height())


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


class ScrollPanel(QWidget):
    """A part of a screen that scrolls: one-finger kinetic scrolling (QScroller, touch screens)
    and, for people who cannot swipe, two large buttons ▲ ▼ beside it, shown only when there is
    more to see. The scroll bar itself is hidden: a 4 mm bar is no touch control."""

    def __init__(self, content: QWidget, touch_px: int, gap_px: int, name: str = "") -> None:
        super().__init__()
        self.setObjectName(name or "panel")
        self.area = QScrollArea()
        self.area.setObjectName(f"{self.objectName()}_area")
        self.area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys move between actions, the list follows
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setWidget(content)
        QScroller.grabGesture(self.area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(gap_px)
        row.addWidget(self.area, 1)
        column = QVBoxLayout()
        column.setSpacing(gap_px)
        self.up = Button("▲", name=f"{self.objectName()}_up")
        self.down = Button("▼", name=f"{self.objectName()}_down")
        for b, sign in ((self.up, -1), (self.down, 1)):
            b.setFixedWidth(touch_px)
            # the arrows keep one size whatever the text size: the list keeps its room
            b.setStyleSheet(f"min-height: {touch_px}px; font-size: {touch_px // 2}px; padding: 0;")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys scroll with the focus already
            b.clicked.connect(lambda _=False, sign=sign: self.page(sign))
        self.up.setAccessibleName(self.tr("Monter la liste"))
        self.down.setAccessibleName(self.tr("Descendre la liste"))
        column.addWidget(self.up)
        column.addStretch(1)
        column.addWidget(self.down)
        row.addLayout(column)
        bar = self.area.verticalScrollBar()
        # The range changes while the scroll area is being laid out: showing or hiding the
        # buttons right then left them where the last layout put them (off the screen's edge on
        # a locked PIN pad at 1366×768), so the decision waits for the layout pass to end.
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self._update_buttons)
        bar.rangeChanged.connect(self._pending.start)
        bar.valueChanged.connect(self._update_buttons)
        self._update_buttons()

    def page(self, sign: int) -> None:
        bar = self.area.verticalScrollBar()
        bar.setValue(bar.value() + sign * max(bar.pageStep() * 4 // 5, 1))

    def to_top(self) -> None:
        scroller = QScroller.scroller(self.area.viewport())
        scroller.stop()
        self.area.verticalScrollBar().setValue(0)

    def _update_buttons(self) -> None:
        bar = self.area.verticalScrollBar()
        more = bar.maximum() > 0
        for b in (self.up, self.down):
            b.setVisible(more)
        self.up.setEnabled(bar.value() > 0)
        self.down.setEnabled(bar.value() < bar.maximum())


class Screen(QWidget):
    """A full page of the kiosk. `refresh()` re-reads every text (language, settings, session).

    `frame()` gives a screen its shape: the content in a ScrollPanel, and under it a fixed
    action bar that never scrolls away (the primary action is always on screen)."""

    watch_idle = True  # the voter idle timer runs on this screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

    def frame(self, touch_px: int, gap_px: int) -> tuple[QVBoxLayout, QVBoxLayout]:
        """(content, action bar) layouts of this screen; `page` is the whole screen's layout
        (what stays above the scrolled content is inserted there)."""
        outer = self.page = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)  # the window keeps the margin around every screen
        outer.setSpacing(gap_px * 2)
        content = QWidget()
        content.setObjectName("content")
        body = QVBoxLayout(content)
        body.setSpacing(gap_px * 2)
        body.setContentsMargins(0, 0, 0, 0)
        self.panel = ScrollPanel(content, touch_px, gap_px, name=f"{type(self).__name__}_panel".lower())
        outer.addWidget(self.panel, 1)
        bar = QVBoxLayout()
        # Counters and messages sit closer to the buttons than two buttons to each other (which
        # keep 2 × 2.54 mm): the bar is what a small landscape screen has least room for.
        bar.setSpacing(gap_px)
        outer.addLayout(bar)
        return body, bar

    def refresh(self) -> None:  # pragma: no cover - every screen overrides it
        raise NotImplementedError

    def reset(self) -> None:
        """Back to the state of a freshly started kiosk (a new visit begins). Screens that keep
        anything between refreshes (expanded cards, a filter) extend it."""
        for panel in self.findChildren(ScrollPanel):
            panel.to_top()
