"""The staff counting window ("Dépouillement"): scan station, review queue, rejected sheets, results.

`build_counting_window(config, store, actor=...)` is what `urne count` opens. Every decision a
person takes here is recorded through `Store.set_status(..., actor=actor)` in the audit log.
The tabs that read scans need the paper module; without it the window still shows results.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QScrollArea, QTabWidget, QWidget

from ballots.store import Store
from kiosk.config import Config
from kiosk.ui.counting.common import STYLE, ballots_to_review, install_translations
from kiosk.ui.counting.results import ResultsView

# The window opens at this size when the screen has room, and fits screens from 1280×800 and
# 1366×768 (with a task bar): every tab's content scrolls rather than pushing the window larger.
PREFERRED = (1280, 860)
MINIMUM = (960, 600)


class PageArea(QScrollArea):
    """Gives its page the whole viewport, and scrolls only when the viewport is smaller than the
    page's minimum size (QScrollArea's own resizing follows the preferred height of wrapped
    labels and scrolled a page that fitted)."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setWidgetResizable(False)
        self.setWidget(page)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        page = self.widget()
        if page is None:
            return
        least = page.minimumSizeHint().expandedTo(page.minimumSize())
        room = self.maximumViewportSize()
        w = max(room.width(), least.width())
        h = max(room.height(), least.height())
        if w > room.width():  # a horizontal bar takes height from the viewport
            h = max(room.height() - self.horizontalScrollBar().sizeHint().height(), least.height())
        if h > room.height():
            w = max(room.width() - self.verticalScrollBar().sizeHint().width(), least.width())
        page.resize(w, h)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        page = self.widget()
        return page.sizeHint() if page is not None else super().sizeHint()


class CountingWindow(QMainWindow):
    def __init__(self, config: Config, store: Store, *, actor: str) -> None:
        super().__init__()
        install_translations()  # Qt's file dialogs and buttons in French; the window's plurals
        self.config = config
        self.store = store
        self.actor = actor
        election = store.election()
        self.setWindowTitle(f"Urne — Dépouillement — {election.title.get('fr')}")
        self.setStyleSheet(STYLE)
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        self.scan: QWidget | None = None
        self.review: QWidget | None = None
        self.rejected: QWidget | None = None
        self._add_paper_tabs()
        self.results = ResultsView(store, actor=actor, time_zone=config.time_zone)
        self.tabs.addTab(self.results, "Résultats")
        self.tabs.currentChanged.connect(self._on_tab)
        self._refresh_counts()
        self.setMinimumSize(*MINIMUM)
        self.fit_to_screen()

    def fit_to_screen(self) -> None:
        """Open at the preferred size, or the screen's available area when that is smaller."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        w, h = PREFERRED
        if room is not None and room.width() > 0:
            w, h = min(w, room.width()), min(h, room.height())
        self.resize(max(w, MINIMUM[0]), max(h, MINIMUM[1]))

    @staticmethod
    def _scrolling(page: QWidget) -> QScrollArea:
        """A tab's page in a scroll area: a small screen scrolls the page, never cuts it."""
        return PageArea(page)

    def _add_paper_tabs(self) -> None:
        try:
            from kiosk.ui.counting.rejected import RejectedView
            from kiosk.ui.counting.review import ReviewView
            from kiosk.ui.counting.scan_station import ScanStation
        except ImportError as exc:  # the paper reader is not installed: results only
            self.tabs.addTab(QLabel(f"Lecture des bulletins papier indisponible : {exc}"), "Dépouillement")
            return
        self.scan = ScanStation(self.config, self.store)
        self.review = ReviewView(self.store, actor=self.actor, time_zone=self.config.time_zone)
        self.rejected = RejectedView(self.store, actor=self.actor)
        self.tabs.addTab(self._scrolling(self.scan), "Dépouillement")
        self.tabs.addTab(self._scrolling(self.review), "À examiner")
        self.tabs.addTab(self._scrolling(self.rejected), "Rejetés")
        self.scan.batch_finished.connect(self._after_batch)  # type: ignore[attr-defined]
        self.review.decided.connect(lambda *_: self._refresh_counts())  # type: ignore[attr-defined]
        self.rejected.adopted.connect(lambda *_: self._refresh_counts())  # type: ignore[attr-defined]

    def _after_batch(self, *_: object) -> None:
        self._refresh_counts()

    def _refresh_counts(self) -> None:
        """The review tab's title and the scan station's counter, from one count of the store."""
        if self.review is not None:
            self.review.reload()  # type: ignore[attr-defined]
            self.tabs.setTabText(1, f"À examiner ({ballots_to_review(self.store)})")
        if self.scan is not None:
            self.scan._update()  # type: ignore[attr-defined]
        if self.rejected is not None:
            self.rejected.reload()  # type: ignore[attr-defined]

    def page(self, index: int) -> QWidget | None:
        """The view shown in tab `index` (inside its scroll area)."""
        widget = self.tabs.widget(index)
        inner = widget.widget() if isinstance(widget, QScrollArea) else None
        return inner if inner is not None else widget

    def show_page(self, view: QWidget) -> None:
        """Bring the tab showing `view` to the front."""
        for i in range(self.tabs.count()):
            if self.page(i) is view:
                self.tabs.setCurrentIndex(i)
                return

    def _on_tab(self, index: int) -> None:
        widget = self.page(index)
        if widget is self.results:
            self.results.refresh()
        elif widget in (self.review, self.rejected):
            self._refresh_counts()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        if self.scan is not None:
            self.scan.shutdown()  # type: ignore[attr-defined]
        super().closeEvent(event)


def build_counting_window(config: Config, store: Store, *, actor: str = "commission") -> CountingWindow:
    return CountingWindow(config, store, actor=actor)
