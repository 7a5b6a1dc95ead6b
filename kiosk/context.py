"""What every command gets: the parsed config and the data dir, and the store opened on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ballots.store import Store
from kiosk.config import Config


@dataclass
class Context:
    config: Config
    data_dir: Path
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.data_dir)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
