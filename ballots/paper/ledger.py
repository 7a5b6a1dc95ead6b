"""The paper ledger: scanned pages that belong to no ballot (unreadable QR, not a ballot, bad MAC, unissued serial...).

The paper reader returns them but stores no ballot for them; the commission still has to see
each one, with its reason and its image, in the rejected list and in the procès-verbal.

Contract:
- `record(store, sheets)` keeps one row per (source file, page) whose status is rejected, in this
  module's own table; recording the same page again replaces its reasons (a re-scan), never
  duplicates it. Anything with `source`, `page`, `serial`, `status`, `reasons`, `image_hash`
  attributes is accepted (the paper module's `SheetResult`).
- `unattributed(store)` lists them (the results add them to the procès-verbal's list).
- `issued_count(store, election_id)` is the number of official paper serials issued, or None when
  the paper tables do not exist (paper ballots never printed on this device).
- `mark_done(store, files)` / `is_done(store, path)`: the files the scan station has read to the
  end, with their size and modification time, so a pause, a restart or a watched folder never
  reads a finished file again (a changed file is read again: its new pages are new images).
Nothing here links a page to a voter: only the day is kept.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ballots.ballot import today

MIGRATIONS = Migrations("counting")


@MIGRATIONS()
def m001_unattributed(db: Database) -> None:
    db.execute(
        """CREATE TABLE counting_unattributed (
            source TEXT NOT NULL,
            page INTEGER NOT NULL,
            election TEXT NOT NULL,
            serial TEXT NOT NULL DEFAULT '',
            reasons TEXT NOT NULL,
            image_hash TEXT NOT NULL DEFAULT '',
            day TEXT NOT NULL,
            PRIMARY KEY (source, page)) WITHOUT ROWID"""
    )


@MIGRATIONS()
def m002_files(db: Database) -> None:
    db.execute(
        """CREATE TABLE counting_files (
            path TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            day TEXT NOT NULL) WITHOUT ROWID"""
    )


@dataclass(frozen=True)
class Unattributed:
    source: str
    page: int
    serial: str
    reasons: tuple[str, ...]
    image_hash: str

    @property
    def label(self) -> str:
        return f"{PurePath(self.source).name} p.{self.page}"


def ensure(store: Any) -> None:
    store.ensure(MIGRATIONS)


def record(store: Any, sheets: Iterable[Any]) -> int:
    """Keep the rejected pages that have no ballot; returns how many rows were written."""
    ensure(store)
    election = store.election().id
    from ballots.paper import ids

    rows = [
        s
        for s in sheets
        if s.status == "rejected" and (not s.serial or store.ballot(ids.for_store(store, s.serial)) is None)
    ]
    with store.transaction() as db:
        for s in rows:
            db.execute(
                "INSERT OR REPLACE INTO counting_unattributed (source, page, election, serial, reasons, image_hash, day) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    str(s.source),
                    int(s.page),
                    election,
                    s.serial or "",
                    json.dumps(list(s.reasons)),
                    s.image_hash or "",
                    today(),
                ],
            )
    return len(rows)


def forget(db: Any, source: str | os.PathLike[str], page: int) -> None:
    """Inside the caller's transaction: this page now belongs to a ballot (a serial typed by staff)."""
    db.execute("DELETE FROM counting_unattributed WHERE source = ? AND page = ?", [str(source), int(page)])


def unattributed(store: Any, election_id: str | None = None) -> list[Unattributed]:
    ensure(store)
    eid = election_id or store.election().id
    rows = store.conn.execute(
        "SELECT source, page, serial, reasons, image_hash FROM counting_unattributed WHERE election = ? ORDER BY source, page",
        [eid],
    ).fetchall()
    return [Unattributed(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4]) for r in rows]


def issued_count(store: Any, election_id: str) -> int | None:
    try:
        row = store.conn.execute(
            "SELECT count(*) FROM paper_issued WHERE election = ? AND test = 0", [election_id]
        ).fetchone()
    except sqlite3.OperationalError:  # no paper table: nothing was ever issued here
        return None
    return int(row[0])


def sources(store: Any) -> dict[str, str]:
    """Stored ballot id -> 'file p.N' of its scanned sheets (comma-separated when several)."""
    from ballots.paper import ids

    try:
        rows = store.conn.execute("SELECT serial, source, page FROM paper_sheets ORDER BY serial, sheet").fetchall()
    except sqlite3.OperationalError:
        return {}
    out: dict[str, list[str]] = {}
    for serial, source, page in rows:
        out.setdefault(serial, []).append(f"{PurePath(source).name} p.{page}")
    keyed = {serial: bid for bid, serial in ids.serials_by_id(store).items()}
    return {keyed.get(k, k): ", ".join(v) for k, v in out.items()}


def _stat(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def mark_done(store: Any, files: Iterable[str | os.PathLike[str]]) -> None:
    ensure(store)
    rows = [(str(Path(f).resolve()), st) for f in files if (st := _stat(f)) is not None]
    with store.transaction() as db:
        for path, (size, mtime) in rows:
            db.execute(
                "INSERT OR REPLACE INTO counting_files (path, size, mtime_ns, day) VALUES (?, ?, ?, ?)",
                [path, size, mtime, today()],
            )


def is_done(store: Any, path: str | os.PathLike[str]) -> bool:
    ensure(store)
    st = _stat(path)
    row = store.conn.execute(
        "SELECT size, mtime_ns FROM counting_files WHERE path = ?", [str(Path(path).resolve())]
    ).fetchone()
    return st is not None and row is not None and (row[0], row[1]) == st
