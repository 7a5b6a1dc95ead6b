"""A large on-screen keyboard (AZERTY letters, digits) that types into the focused field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QWidget

from kiosk.ui.widgets import Button

ROWS = ("1234567890", "AZERTYUIOP", "QSDFGHJKLM", "WXCVBN-'/")


class Keyboard(QWidget):
    typed = Signal()

    def __init__(self, gap: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target: QLineEdit | None = None
        grid = QGridLayout(self)
        grid.setSpacing(gap)
        grid.setContentsMargins(0, 0, 0, 0)
        for r, row in enumerate(ROWS):
            for c, ch in enumerate(row):
                b = Button(ch, "key", name=f"key_{ch}")
                b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the focus in the field being typed
                b.clicked.connect(lambda _=False, ch=ch: self.press(ch))
                grid.addWidget(b, r, c)
        self.space = Button("", "key", name="key_space")
        self.space.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.space.clicked.connect(lambda: self.press(" "))
        grid.addWidget(self.space, len(ROWS), 0, 1, 6)
        self.erase = Button("⌫", "key", name="key_erase")
        self.erase.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.erase.clicked.connect(self.backspace)
        grid.addWidget(self.erase, len(ROWS), 6, 1, 4)

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
