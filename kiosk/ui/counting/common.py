"""Small shared pieces of the counting window: style, number formats, a table helper, a thread job."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem

from ballots.numbers import NBSP, money, number  # noqa: F401 - re-exported for the screens

log = logging.getLogger(__name__)

# A plain desktop look for staff at a table (not the kiosk's touch sizes); contrast >= 10:1.
STYLE = """
QWidget { font-size: 11pt; color: #1a1a1a; }
QMainWindow, QTabWidget::pane { background: #ffffff; }
QLabel#title { font-size: 16pt; font-weight: bold; }
QLabel#section { font-size: 12.5pt; font-weight: bold; margin-top: 8px; }
QLabel#banner { font-weight: bold; padding: 6px; border: 2px solid #1a1a1a; background: #fff4c2; }
QLabel#ok { font-weight: bold; padding: 6px; border: 2px solid #1a1a1a; background: #e3f4e3; }
QLabel#hint { color: #3d4650; }
QFrame#counter { border: 1px solid #3d4650; border-radius: 4px; background: #f7f8fa; }
QPushButton { padding: 6px 14px; border: 1px solid #3d4650; border-radius: 4px; background: #eef1f5; }
QPushButton:default, QPushButton#primary { background: #0b4f8a; color: #ffffff; font-weight: bold; }
QPushButton:disabled { color: #6b6b6b; background: #f4f4f4; }
QTableWidget { gridline-color: #9aa3ad; }
QHeaderView::section { background: #e4e7eb; font-weight: bold; padding: 4px; border: 1px solid #9aa3ad; }
QProgressBar { border: 1px solid #3d4650; border-radius: 3px; text-align: center; height: 22px; }
QProgressBar::chunk { background: #4f8a3a; }
"""

ROW_PX = 30  # table rows and header at the style's 11 pt with padding
HEADER_PX = 34
WINNER_BG = "#dcefd8"  # plus bold and a "Retenu" column: never colour alone


def label(text: str, name: str = "", wrap: bool = True) -> QLabel:
    w = QLabel(text)
    if name:
        w.setObjectName(name)
    w.setWordWrap(wrap)
    w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return w


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, bold_rows: Sequence[int] = (), highlight: str = "",
          numeric_from: int = 1, stretch: int = 0) -> QTableWidget:  # fmt: skip
    t = QTableWidget(len(rows), len(headers))
    fill_table(t, headers, rows, bold_rows=bold_rows, highlight=highlight, numeric_from=numeric_from)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().setVisible(False)
    h = t.horizontalHeader()
    h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    h.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return t


def fill_table(t: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[Any]], *, bold_rows: Sequence[int] = (),
               highlight: str = "", numeric_from: int = 1) -> None:  # fmt: skip
    t.clear()
    t.setColumnCount(len(headers))
    t.setRowCount(len(rows))
    t.setHorizontalHeaderLabels(list(headers))
    bold = QFont()
    bold.setBold(True)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if (
                c >= numeric_from
                and isinstance(value, int | str)
                and str(value).replace(NBSP, "").lstrip("+-").isdigit()
            ):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if r in bold_rows:
                item.setFont(bold)
                if highlight:
                    item.setBackground(_brush(highlight))
            t.setItem(r, c, item)


def fit_height(t: QTableWidget) -> None:
    """Show every row: the page scrolls, not the table."""
    t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    t.verticalHeader().setDefaultSectionSize(ROW_PX)
    t.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    t.setFixedHeight(HEADER_PX + t.rowCount() * ROW_PX + 2 * t.frameWidth() + 2)


def _brush(color: str) -> Any:
    from PySide6.QtGui import QBrush, QColor

    return QBrush(QColor(color))


class _JobSignals(QObject):
    done = Signal(object)
    failed = Signal(str)


class Job(QRunnable):
    """Run `fn` on a pool thread; `done(result)` or `failed(message)` arrive on the UI thread."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _JobSignals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 - shown to staff, never swallowed
            log.exception("background job failed")
            self.signals.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.signals.done.emit(result)
