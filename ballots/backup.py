"""Backup to a file (a USB stick) and restore, each verified before it replaces anything.

Contract: `backup()` either leaves a complete, integrity-checked copy at `dest` or raises
BackupError and leaves `dest` as it was. `restore()` checks the source first, then swaps the
data file by rename, so a failure at any step leaves the current data untouched.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from ballots import audit, durable
from ballots.errors import BackupError
from ballots.store import DB_NAME, Store


def check_file(path: Path) -> int:
    """Integrity-check an Urne data file; returns its number of ballots."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise BackupError(str(path), f"integrity check failed: {result}")
            return int(conn.execute("SELECT count(*) FROM ballots").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(str(path), f"not an Urne data file ({exc})") from exc


def backup(store: Store, dest: str | os.PathLike[str], *, actor: str = "cli") -> int:
    """Copy the store to `dest` with VACUUM INTO; returns the number of ballots in the copy."""
    target = Path(dest)
    if target.is_dir():
        raise BackupError(str(target), "is a folder; give a file name such as urne-backup.sqlite")
    try:
        with durable.replacing(target) as tmp:
            store.log(actor, "backup", {"to": target.name})
            with store._lock:
                store.conn.execute("VACUUM INTO ?", [str(tmp)])
            count = check_file(tmp)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(str(target), str(exc)) from exc
    return count


def restore(source: str | os.PathLike[str], data_dir: str | os.PathLike[str], *, actor: str = "cli") -> int:
    """Replace the data dir's file by a verified backup. The store must not be open elsewhere."""
    src = Path(source)
    if not src.is_file():
        raise BackupError(str(src), "file not found")
    count = check_file(src)
    directory = Path(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    live = directory / DB_NAME
    tmp = directory / (DB_NAME + ".restore")
    shutil.copyfile(src, tmp)
    durable.fsync_file(tmp)
    check_file(tmp)
    if live.exists():
        # Keep what was there: a restore must never be the way a vote gets lost.
        keep = directory / (DB_NAME + ".before-restore")
        with Store(directory) as old:
            backup(old, keep, actor=actor)
    for suffix in ("-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    os.replace(tmp, live)
    durable.fsync_dir(directory)
    with Store(directory) as restored, restored.transaction() as db:
        audit.append(db, actor, "restore", {"from": src.name, "ballots": count})
    return count
