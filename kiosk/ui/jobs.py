"""Long staff work (backup, bundle export, printing) on a QThreadPool, never on the UI thread.

A job is a plain function; its result or its exception comes back as a Qt signal, delivered on
the UI thread (queued connection). The store is thread-safe (one lock for every write).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class JobSignals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Job(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = JobSignals()
        self.setAutoDelete(False)  # the window keeps a reference until the signal arrives

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # every failure goes back to the UI as words, none is lost
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def start(pool: QThreadPool, fn: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Any], None]) -> Job:
    job = Job(fn)
    job.signals.done.connect(done)
    job.signals.failed.connect(failed)
    pool.start(job)
    return job
