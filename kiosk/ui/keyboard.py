"""A large on-screen keyboard (AZERTY letters, digits) that types into the focused field.

Keys keep their size (≥ 12.7 mm, 2.54 mm apart); on a narrow screen (a portrait tablet) the
rows are cut into shorter ones rather than the keys made smaller or pushed off screen."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLayout, QLineEdit, QWidget

from kiosk.ui.widgets import Button

ROWS = ("1234567890", "AZERTYUIOP", "QSDFGHJKLM", "WXCVBN-'/")


class Keyboard(QWidget):
    typed = Signal()

    def __init__(self, gap: int, touch: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target: QLineEdit | None = None
        self.gap = gap
        self.touch = touch
        self.grid = QGridLayout(self)
        self.grid.setSpacing(gap)
        self.grid.setContentsMargins(0, 0, 0, 0)
        # The widest row must not set the keyboard's minimum width: it reflows instead.
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.rows: list[list[Button]] = []
        for row in ROWS:
            keys = []
            for ch in row:
                b = Button(ch, "key", name=f"key_{ch}")
                b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the focus in the field being typed
                b.clicked.connect(lambda _=False, ch=ch: self.press(ch))
                keys.append(b)
            self.rows.append(keys)
        self.space = Button("", "key", name="key_space")
        self.space.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.space.clicked.connect(lambda: self.press(" "))
        self.erase = Button("⌫", "key", name="key_erase")
        self.erase.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.erase.clicked.connect(self.backspace)
        self.columns = 0
        self.place(10)

    def place(self, columns: int) -> None:
        """Lay the keys out `columns` to a row (each row of ROWS starts a new line)."""
        columns = max(4, min(columns, 10))
        if columns == self.columns:
            return
        self.columns = columns
        for keys in self.rows:
            for b in keys:
                self.grid.removeWidget(b)
        self.grid.removeWidget(self.space)
        self.grid.removeWidget(self.erase)
        r = 0
        for keys in self.rows:
            for i, b in enumerate(keys):
                self.grid.addWidget(b, r + i // columns, i % columns)
            r += (len(keys) + columns - 1) // columns
        half = columns // 2 + columns % 2
        self.grid.addWidget(self.space, r, 0, 1, half)
        self.grid.addWidget(self.erase, r, half, 1, columns - half)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = self.grid.minimumSize()
        if self.touch:
            return QSize(4 * self.touch + 3 * self.gap, hint.height())
        return hint

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return bool(self.touch)

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        columns = max(4, min((width + self.gap) // (self.touch + self.gap), 10))
        lines = sum((len(keys) + columns - 1) // columns for keys in self.rows) + 1
        key_h = self.space.sizeHint().height()
        return lines * key_h + (lines - 1) * self.gap

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        if self.touch:
            self.place((event.size().width() + self.gap) // (self.touch + self.gap))

    def retranslate(self) -> None:
        self.space.setText(self.tr("espace"))
        self.erase.setAccessibleName(self.tr("effacer"))

    def press(self, ch: str) -> None:
        if self.target is not None:
            self.target.insert(ch)
            self.typed.emit()

    def backspace(self) -> None:
        if self.target is not None:
            self.target.backspace()
            self.typed.emit()
