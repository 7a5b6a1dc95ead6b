"""Scan station ("Dépouillement"): read scanned ballots in bulk, with progress, pause and resume.

Staff pick files or a folder, or watch the folder the office scanner writes into. Files are
read in batches by `ballots.paper.scan.scan_paths` on a QThread (which itself uses every core),
so the window stays responsive. Progress shows the sheets read, counted, to review, rejected
and duplicates, and the time left.

Never reading anything twice: a file read to its end is remembered (`ledger.mark_done`,
by path, size and modification time) and is not queued again, after a pause, a cancel or a
restart. A multi-page file interrupted half-way is read again from its start on resume; its
pages already stored come back as duplicates (the reader keys sheets by image hash), so nothing
is counted twice. A watched file is only queued once its size has stopped changing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ballots.paper import ledger, scan, sources, testdeck
from ballots.reasons import Code, Reason
from ballots.report.labels import reason_label, status_label
from ballots.store import Store
from kiosk.config import Config
from kiosk.ui.counting.common import ballots_to_review, label, table, tr_n

log = logging.getLogger(__name__)

STATUSES = ("counted", "review", "rejected", "duplicate")
# Counter captions (Qt numerus forms: "1 feuille lue", "0 bulletin à examiner", "2 doublons").
CAPTIONS = {
    "read": "feuille(s) lue(s)",
    "counted": "comptée(s)",
    "review": "bulletin(s) à examiner",
    "rejected": "rejetée(s)",
    "duplicate": "doublon(s)",
}
LOG_ROWS = 500
POLL_MS = 2000


class ScanWorker(QObject):
    """Runs one batch on its own thread and its own store connection."""

    progress = Signal(int, int, object)  # done, total, SheetResult
    finished = Signal(object, object, bool)  # results, files read to the end, cancelled

    def __init__(self, data_dir: Path, files: list[str], *, test_mode: bool, workers: int | None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.files = files
        self.test_mode = test_mode
        self.workers = workers
        self.cancel = threading.Event()
        self.error = ""
        self.verdict: testdeck.DeckVerdict | None = None  # test mode with the deck's expected.json
        self.notices: tuple[scan.Notice, ...] = ()  # the batch's own (scan.notices), from the service

    def run(self) -> None:
        results: list[Any] = []
        done_files: list[str] = []
        self.error = ""
        try:
            with Store(self.data_dir) as store:
                # The one scan service `urne scan` calls too: reading, storing, ledger, files done.
                report = scan.scan_batch(
                    store,
                    self.files,
                    test_mode=self.test_mode,
                    on_progress=lambda d, t, r: self.progress.emit(d, t, r),
                    cancel=self.cancel,
                    workers=self.workers,
                )
                results, done_files = list(report.results), list(report.files_done)
                self.notices = report.notices
                expected = testdeck.find_expected(self.files) if self.test_mode else None
                if expected is not None:
                    doc = testdeck.load_expected(expected, store.election())
                    self.verdict = testdeck.verdict(store, doc, results)
        except Exception as exc:  # noqa: BLE001 - shown to staff; what was stored stays stored
            log.exception("scan worker failed on %d file(s)", len(self.files))
            self.error = str(exc) or type(exc).__name__
        finally:
            self.finished.emit(results, done_files, self.cancel.is_set())


class ScanStation(QWidget):
    batch_started = Signal(object)  # the ScanWorker, before its thread starts
    batch_finished = Signal(object)  # list of SheetResult
    state_changed = Signal(str)  # idle, running, pausing, paused

    def __init__(self, config: Config, store: Store, *, workers: int | None = None, stable_polls: int = 2) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.workers = workers
        self.stable_polls = stable_polls
        self.queue: list[str] = []
        self.state = "idle"
        self.verdict: testdeck.DeckVerdict | None = None  # the last test-mode batch's verdict
        self.totals: Counter[str] = Counter()  # finished batches
        self.noticed: Counter[Code] = Counter()  # pages the finished batches' notices concern, by code
        self.live: Counter[str] = Counter()  # the batch in progress
        self.batch_done = self.batch_total = 0
        self.batch_t0 = 0.0
        self.watched: str | None = None
        self._seen: dict[str, tuple[int, int, int]] = {}  # path -> (size, mtime, polls unchanged)
        self._thread: QThread | None = None
        self._worker: ScanWorker | None = None
        self._pause_requested = False
        self._build()
        self.watcher: Any = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll_watched)
        self._update()

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.addWidget(label("Dépouillement des bulletins papier", "title"))
        lay.addWidget(label("Ajoutez les fichiers numérisés (PNG, JPEG, TIFF, PDF) ou surveillez le dossier où le "
                            "scanner les dépose. Chaque feuille n'est lue et comptée qu'une fois.", "hint"))  # fmt: skip
        pick = QHBoxLayout()
        self.files_button = QPushButton("Ajouter des fichiers…")
        self.folder_button = QPushButton("Ajouter un dossier…")
        self.watch_button = QPushButton("Surveiller un dossier…")
        self.test_mode = QCheckBox("Test de dépouillement (jeu de test : verdict contre expected.json, jamais compté)")
        self.files_button.clicked.connect(self._ask_files)
        self.folder_button.clicked.connect(self._ask_folder)
        self.watch_button.clicked.connect(self._ask_watch)
        for w in (self.files_button, self.folder_button, self.watch_button, self.test_mode):
            pick.addWidget(w)
        pick.addStretch(1)
        lay.addLayout(pick)
        run = QHBoxLayout()
        self.start_button = QPushButton("Lancer la lecture")
        self.start_button.setObjectName("primary")
        self.pause_button = QPushButton("Pause")
        self.cancel_button = QPushButton("Annuler")
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.pause)
        self.cancel_button.clicked.connect(self.cancel)
        for w in (self.start_button, self.pause_button, self.cancel_button):
            run.addWidget(w)
        self.state_label = label("", wrap=False)
        run.addWidget(self.state_label, 1)
        lay.addLayout(run)
        self.progress = QProgressBar()
        lay.addWidget(self.progress)
        self.count_labels: dict[str, QLabel] = {}
        self.count_captions: dict[str, QLabel] = {}
        counts = QHBoxLayout()
        # "review" counts BALLOTS waiting for the commission (the review tab's own count, from the
        # store); the others count the sheets read by this window.
        for key in CAPTIONS:
            card = QFrame()
            card.setObjectName("counter")
            card.setMinimumWidth(110)
            box = QVBoxLayout(card)
            value = label("0", "title", wrap=False)
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption = label("", "hint", wrap=False)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(value)
            box.addWidget(caption)
            counts.addWidget(card)
            self.count_labels[key] = value
            self.count_captions[key] = caption
        self.eta_label = label("", "hint", wrap=False)
        counts.addStretch(1)
        counts.addWidget(self.eta_label)
        lay.addLayout(counts)
        self.queue_label = label("", "hint")
        lay.addWidget(self.queue_label)
        # What the batches as a whole must tell staff (1-bit copies), in the service's words.
        self.notice_label = label("", "banner")
        self.notice_label.hide()
        lay.addWidget(self.notice_label)
        self.log: QTableWidget = table(["Fichier", "Page", "N° de bulletin", "Résultat", "Motifs"], [], stretch=4)
        lay.addWidget(self.log, 1)

    # -- adding work -----------------------------------------------------------------------

    def _ask_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Fichiers numérisés", "", "Scans (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)"
        )
        self.add_paths(files)

    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Dossier de numérisations")
        if folder:
            self.add_paths([folder])

    def _ask_watch(self) -> None:
        if self.watched:
            self.stop_watching()
            return
        folder = QFileDialog.getExistingDirectory(self, "Dossier où le scanner dépose les fichiers")
        if folder:
            self.watch(folder)

    def add_paths(self, paths: Iterable[str | Path]) -> int:
        """Queue files (folders are walked); files already read to the end are skipped. Returns how many were queued."""
        added = skipped = 0
        for f in scan.one_copy(list(paths)):  # a test-deck folder: one copy of each sheet
            path = str(f)
            if path in self.queue or self._running_has(path):
                continue
            if ledger.is_done(self.store, path):
                skipped += 1
                continue
            self.queue.append(path)
            added += 1
        note = tr_n("%n fichier(s) ajouté(s)", added)
        if skipped:
            note += ", " + tr_n("%n déjà lu(s) ignoré(s)", skipped)
        self.queue_label.setText(note)
        self._update()
        return added

    def _running_has(self, path: str) -> bool:
        return self._worker is not None and path in self._worker.files

    def watch(self, folder: str | Path) -> None:
        from PySide6.QtCore import QFileSystemWatcher

        self.watched = str(folder)
        self.watcher = QFileSystemWatcher([self.watched], self)
        self.watcher.directoryChanged.connect(lambda _p: self.poll_watched())
        self.timer.start()  # polling as well: network shares often send no change events
        self.watch_button.setText("Arrêter la surveillance")
        self.poll_watched()
        self._update()

    def stop_watching(self) -> None:
        self.timer.stop()
        if self.watcher is not None:
            self.watcher.deleteLater()
        self.watcher = None
        self.watched = None
        self._seen.clear()
        self.watch_button.setText("Surveiller un dossier…")
        self._update()

    def poll_watched(self) -> int:
        """Queue the watched folder's new files whose size has stopped changing; start if idle."""
        if not self.watched:
            return 0
        ready: list[str] = []
        for f in sources.expand([self.watched]):
            path = str(f)
            if path in self.queue or self._running_has(path) or ledger.is_done(self.store, path):
                continue
            try:
                st = f.stat()
            except OSError:
                continue
            size, mtime, stable = self._seen.get(path, (-1, -1, 0))
            stable = stable + 1 if (size, mtime) == (st.st_size, st.st_mtime_ns) and st.st_size > 0 else 0
            self._seen[path] = (st.st_size, st.st_mtime_ns, stable)
            if stable >= self.stable_polls - 1:
                ready.append(path)
        added = self.add_paths(ready) if ready else 0
        if added and self.state == "idle":
            self.start()
        return added

    # -- running ---------------------------------------------------------------------------

    def start(self) -> None:
        if self.state in ("running", "pausing") or not self.queue:
            self._update()
            return
        files, self.queue = self.queue, []
        self.live.clear()
        self.batch_done, self.batch_total = 0, len(files)
        self.batch_t0 = time.monotonic()
        self._pause_requested = False
        thread = QThread(self)
        worker = ScanWorker(self.store.data_dir, files, test_mode=self.test_mode.isChecked(), workers=self.workers)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        self._thread, self._worker = thread, worker
        self._set_state("running")
        self.batch_started.emit(worker)
        thread.start()

    def request_pause(self) -> None:
        """Stop after the sheet being read and keep the rest queued (safe from any thread)."""
        worker = self._worker
        if worker is not None:
            self._pause_requested = True
            worker.cancel.set()

    def pause(self) -> None:
        if self.state == "running" and self._worker is not None:
            self.request_pause()
            self._set_state("pausing")
        elif self.state == "paused":
            self.resume()

    def resume(self) -> None:
        self._set_state("idle")
        self.start()

    def cancel(self) -> None:
        """Stop reading and empty the queue; everything read so far stays stored."""
        self.queue.clear()
        if self._worker is not None and self.state in ("running", "pausing"):
            self._pause_requested = False
            self._worker.cancel.set()
            self._set_state("pausing")
        else:
            self._set_state("idle")

    def busy(self) -> bool:
        return self._thread is not None

    def shutdown(self) -> None:
        self.timer.stop()
        if self._worker is not None:
            self._worker.cancel.set()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()

    def _on_progress(self, done: int, total: int, result: Any) -> None:
        self.batch_done, self.batch_total = done, total
        self.live[result.status] += 1
        self._log(result)
        self._update()

    def _on_finished(self, results: list[Any], done_files: list[str], cancelled: bool) -> None:
        assert self._worker is not None
        if self._worker.error:
            self.queue_label.setText(
                f"Erreur pendant la lecture : {self._worker.error} (les feuilles lues restent enregistrées)"
            )
        unfinished = [f for f in self._worker.files if f not in set(done_files)]
        self.verdict = self._worker.verdict
        if self.verdict is not None:
            # The same verdict as `urne scan --test-mode`: per ballot, then overall.
            for b in self.verdict.ballots:
                self.log.insertRow(0)
                row = ["Test", "", b.serial, "PASS" if b.ok else "FAIL", testdeck.VERDICT_WORDS[b.why]]
                for c, v in enumerate(row):
                    self.log.setItem(0, c, QTableWidgetItem(v))
            ok = sum(b.ok for b in self.verdict.ballots)
            tally = (
                "décompte conforme" if self.verdict.expected_tally == self.verdict.read_tally else "décompte DIFFÉRENT"
            )
            self.queue_label.setText(
                f"Test de dépouillement : {'PASS' if self.verdict.ok else 'FAIL'} ({ok}/{len(self.verdict.ballots)}, {tally})"
            )
        # Statuses at the end of the batch (a later copy can turn an earlier sheet into review).
        self.totals.update(r.status for r in results)
        for notice in self._worker.notices:
            self.noticed[notice.code] += notice.pages
        self._show_notices()
        self.live.clear()
        if self._thread is not None:
            self._thread.quit()  # the run() slot has returned: its event loop ends at once
            self._thread.wait()
            self._thread.deleteLater()
        self._worker.deleteLater()
        self._thread = self._worker = None
        if cancelled and self._pause_requested:
            self.queue = unfinished + self.queue
            self._set_state("paused")
        else:
            self._set_state("idle")
        self.batch_finished.emit(results)
        if self.state == "idle" and self.queue and not cancelled:
            self.start()  # files that arrived meanwhile

    # -- display ---------------------------------------------------------------------------

    def notices(self) -> list[str]:
        """The notices of the batches read in this window, in words (pages added up per code)."""
        return [reason_label(Reason(code, number=n)) + "." for code, n in sorted(self.noticed.items()) if n]

    def _show_notices(self) -> None:
        words = self.notices()
        self.notice_label.setText("\n".join("Attention : " + w for w in words))
        self.notice_label.setVisible(bool(words))

    def counts(self) -> dict[str, int]:
        c = self.totals + self.live
        return {"read": sum(c[s] for s in STATUSES), **{s: c[s] for s in STATUSES}}

    def _log(self, r: Any) -> None:
        self.log.insertRow(0)
        values = [Path(r.source).name, str(r.page), r.serial or "—", status_label(r.status),
                  ", ".join(reason_label(x) for x in r.reasons)]  # fmt: skip
        for c, v in enumerate(values):
            self.log.setItem(0, c, QTableWidgetItem(v))
        if self.log.rowCount() > LOG_ROWS:
            self.log.removeRow(self.log.rowCount() - 1)

    def _set_state(self, state: str) -> None:
        self.state = state
        self.state_changed.emit(state)
        self._update()

    def time_left(self) -> float | None:
        if self.state != "running" or self.batch_done == 0:
            return None
        per_sheet = (time.monotonic() - self.batch_t0) / self.batch_done
        return per_sheet * (self.batch_total - self.batch_done + len(self.queue))

    def shown_counts(self) -> dict[str, int]:
        """What the counters show: sheets read by this window, and the ballots to review in the store."""
        return {**self.counts(), "review": ballots_to_review(self.store)}

    def _update(self) -> None:
        for key, value in self.shown_counts().items():
            self.count_labels[key].setText(str(value))
            self.count_captions[key].setText(tr_n(CAPTIONS[key], value))
        running = self.state in ("running", "pausing")
        self.progress.setRange(0, max(self.batch_total, 1))
        self.progress.setValue(self.batch_done if (running or self.batch_total) else 0)
        self.progress.setFormat(
            f"{self.batch_done} / {tr_n('%n feuille(s)', self.batch_total)}" if self.batch_total else ""
        )
        left = self.time_left()
        self.eta_label.setText(f"Temps restant ≈ {_duration(left)}" if left is not None else "")
        words = {"idle": "Prêt", "running": "Lecture en cours…", "pausing": "Arrêt après la feuille en cours…",
                 "paused": "En pause"}  # fmt: skip
        extra = " · " + tr_n("%n fichier(s) en attente", len(self.queue)) if self.queue else ""
        extra += f" · surveillance de {self.watched}" if self.watched else ""
        self.state_label.setText(words[self.state] + extra)
        self.start_button.setEnabled(self.state == "idle" and bool(self.queue))
        self.pause_button.setEnabled(self.state in ("running", "paused"))
        self.pause_button.setText("Reprendre" if self.state == "paused" else "Pause")
        self.cancel_button.setEnabled(running or self.state == "paused" or bool(self.queue))
        self.test_mode.setEnabled(not running)


def _duration(seconds: float) -> str:
    """'1 seconde', '42 secondes', '1 minute 5 secondes' (French plurals through Qt's %n)."""
    s = int(seconds + 0.5)
    if s < 60:
        return tr_n("%n seconde(s)", s)
    return tr_n("%n minute(s)", s // 60) + (" " + tr_n("%n seconde(s)", s % 60) if s % 60 else "")
