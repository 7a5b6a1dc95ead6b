"""Opening the store's SQLite file, and the four storage failures a volunteer must tell apart
(busy, read-only, disk full, damaged) named from SQLite's or the OS's error.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from ballots.errors import DiskFull, StoreBusy, StoreDamaged, StoreReadOnly, UrneError

BUSY_TIMEOUT_MS = 30_000


def storage_error(exc: BaseException, path: str | os.PathLike[str]) -> UrneError:
    """The four things a volunteer must tell apart, from SQLite's or the OS's error."""
    where = str(path)
    if isinstance(exc, UrneError):
        return exc
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return DiskFull(where)
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreReadOnly(where)
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in text:
        return StoreBusy(where)
    if primary == sqlite3.SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return StoreReadOnly(where)
    if primary == sqlite3.SQLITE_FULL or "disk is full" in text:
        return DiskFull(where)
    if primary == sqlite3.SQLITE_CANTOPEN and not os.access(os.path.dirname(where) or ".", os.W_OK):
        return StoreReadOnly(where)
    return StoreDamaged(where, str(exc))


def connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if not readonly:
        # Rollback journal, deleted at each commit: WAL keeps older versions of pages (and so the
        # order of recent commits) in the folder until a checkpoint overwrites them.
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA secure_delete=ON")  # freed cells and pages are zeroed, not left behind
    conn.execute("PRAGMA temp_store=MEMORY")  # the rebuild's sorted copy never touches a disk
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def is_readonly(path: Path) -> bool:
    if path.exists():
        return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
    return path.parent.exists() and not os.access(path.parent, os.W_OK)
