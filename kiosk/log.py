"""One logging configuration for every front end: the command line, the kiosk, the counting
window and the hub (all started by `urne`).

Modules log through `logging.getLogger(__name__)`; nothing else configures handlers. Lines go to
stderr as `time LEVEL module: message`. What is logged (never a choice, never a voter): requests
the hub refuses, conflicts found while merging, errors of background jobs (scan worker, exports).
"""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a line is logged (tests and the kiosk replace it)."""

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def configure(level: int = logging.WARNING) -> None:
    """Install the stderr handler once (idempotent) and set the level of Urne's loggers."""
    root = logging.getLogger()
    if not any(isinstance(h, _Stderr) for h in root.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    for name in ("ballots", "kiosk", "sync"):  # records propagate to the root's handler
        logging.getLogger(name).setLevel(level)
