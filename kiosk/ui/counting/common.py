"""Small shared pieces of the counting window: style, number formats, a table helper, a thread job,
plurals (`tr_n`, Qt's `%n` with the French catalogue), Qt's own French translations, a sheet image
that follows the window's size."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QRunnable, QSize, Qt, QTranslator, Signal
from PySide6.QtGui import QFont, QPixmap, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSizePolicy, QTableWidget, QTableWidgetItem

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
QPushButton:disabled, QPushButton#primary:disabled { color: #555555; background: #f4f4f4; font-weight: normal; }
QTabBar::tab { padding: 7px 14px 6px 14px; margin-top: 0px; border: 1px solid #9aa3ad; border-bottom: none;
               background: #e4e7eb; }
QTabBar::tab:selected { background: #ffffff; font-weight: bold; }
QTableWidget { gridline-color: #9aa3ad; }
QHeaderView::section { background: #e4e7eb; font-weight: bold; padding: 4px; border: 1px solid #9aa3ad; }
QProgressBar { border: 1px solid #3d4650; border-radius: 3px; text-align: center; height: 22px; }
QProgressBar::chunk { background: #4f8a3a; }
"""

# The counting window is for the commission, in French. Its plurals go through Qt's `%n` with the
# French catalogue below (0 and 1 singular: "0 bulletin", "1 seconde", "2 secondes"); Qt's own
# dialogs (file dialogs, buttons) through PySide6's qtbase_fr.
CONTEXT = "Counting"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
_translators: list[QTranslator] = []


def install_translations() -> list[str]:
    """Load Qt's French (qtbase_fr from PySide6's translations folder) and the counting window's
    plurals into the running application, once. Returns what was loaded."""
    app = QCoreApplication.instance()
    if app is None:
        return []
    if not _translators:
        qt = QTranslator()
        if qt.load("qtbase_fr", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            _translators.append(qt)
        else:
            log.warning("Qt's French translations (qtbase_fr) not found: Qt's dialogs stay in English")
        ours = QTranslator()
        if ours.load(str(TRANSLATIONS / "counting_fr.qm")):
            _translators.append(ours)
    for tr in _translators:
        app.installTranslator(tr)  # installing twice is a no-op for Qt
    return [tr.filePath() for tr in _translators]


def tr_n(source: str, n: int) -> str:
    """'%n bulletin(s) à examiner' with the French plural of n (QCoreApplication.translate)."""
    return QCoreApplication.translate(CONTEXT, source, None, n)


class FitImage(QLabel):
    """A sheet image scaled to the width the layout gives it (never wider than its own pixels):
    the window can shrink to a laptop's screen and the image follows."""

    def __init__(self, preferred: int, minimum: int) -> None:
        super().__init__()
        self.preferred = preferred
        self.source: QPixmap | None = None
        self.setMinimumWidth(minimum)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.preferred, int(self.preferred * 1.414))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # Not the pixmap's size (QLabel's default): the image follows the window, not the reverse.
        return QSize(self.minimumWidth(), 120)

    def set_image(self, pixmap: QPixmap) -> None:
        self.source = pixmap
        self._fit()

    def set_text(self, text: str) -> None:
        self.source = None
        self.clear()
        self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.source is None or self.source.isNull():
            return
        width = min(self.width(), self.source.width())
        height = self.height() if self.height() > 0 else self.source.height()
        self.setPixmap(
            self.source.scaled(
                width, max(height, 1), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )  # fmt: skip
        )


def ballots_to_review(store: Any) -> int:
    """Ballots waiting for the commission, test ballots included: what the review tab lists and
    what every counter of the window shows (one source, so they always agree)."""
    from ballots.ballot import BallotStatus

    return sum(1 for _ in store.ballots(status=BallotStatus.REVIEW, include_test=True))


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
