"""The staff counting window ("Dépouillement"): scan station, review queue, rejected sheets, results.

`build_counting_window(config, store, actor=...)` is what `urne count` opens. Every decision a
person takes here is recorded through `Store.set_status(..., actor=actor)` in the audit log.
The tabs that read scans need the paper module; without it the window still shows results.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from ballots.store import Store
from kiosk.config import Config
from kiosk.ui.counting.common import STYLE
from kiosk.ui.counting.results import ResultsView


class CountingWindow(QMainWindow):
    def __init__(self, config: Config, store: Store, *, actor: str) -> None:
        super().__init__()
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
        self.resize(1200, 860)

    def _add_paper_tabs(self) -> None:
        try:
            from kiosk.ui.counting.rejected import RejectedView
            from kiosk.ui.counting.review import ReviewView
            from kiosk.ui.counting.scan_station import ScanStation
        except ImportError as exc:  # the paper reader is not installed: results only
            self.tabs.addTab(QLabel(f"Lecture des bulletins papier indisponible : {exc}"), "Dépouillement")
            return
        self.scan = ScanStation(self.config, self.store)
        self.review = ReviewView(self.store, actor=self.actor)
        self.rejected = RejectedView(self.store, actor=self.actor)
        self.tabs.addTab(self.scan, "Dépouillement")
        self.tabs.addTab(self.review, "À examiner")
        self.tabs.addTab(self.rejected, "Rejetés")
        self.scan.batch_finished.connect(self._after_batch)  # type: ignore[attr-defined]
        self.review.decided.connect(lambda *_: self._refresh_counts())  # type: ignore[attr-defined]
        self.rejected.adopted.connect(lambda *_: self._refresh_counts())  # type: ignore[attr-defined]

    def _after_batch(self, *_: object) -> None:
        self._refresh_counts()

    def _refresh_counts(self) -> None:
        if self.review is not None:
            self.review.reload()  # type: ignore[attr-defined]
            self.tabs.setTabText(1, f"À examiner ({self.review.remaining()})")  # type: ignore[attr-defined]
        if self.rejected is not None:
            self.rejected.reload()  # type: ignore[attr-defined]

    def _on_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
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
