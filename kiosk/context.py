"""What every command gets: the parsed config and the data dir, and the store opened on demand."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import config as config_mod
from kiosk.config import Config

if TYPE_CHECKING:  # the store (sqlite-utils) is imported when a command first needs it
    from ballots.store import Store


@dataclass
class Context:
    config: Config
    data_dir: Path
    data_given: bool = False  # --data was on the command line (the hub keeps its own folder otherwise)
    _store: Store | None = field(default=None, repr=False)

    @classmethod
    def load(
        cls, config_file: str | os.PathLike[str] | None = None, data_dir: str | os.PathLike[str] | None = None
    ) -> Context:
        cfg = config_mod.load(config_file, data_dir=data_dir)
        return cls(cfg, Path(data_dir) if data_dir else cfg.data_dir, data_given=data_dir is not None)

    def store(self) -> Store:
        if self._store is None:
            from ballots.store import Store

            self._store = Store(self.data_dir)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
