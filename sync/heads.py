"""Each device's audit head, carried by every hub batch and kept by the hub (issue 17).

A device's audit log is a hash chain; its head (SEQ:HASH of the last entry) is anchored outside
the device's store in the key folder, in every USB bundle, on the procès-verbal, and here: in
every batch the device pushes to the hub (`"audit_head"`, inside the body, so the hub's signed
acknowledgement of sync.ack covers it like the ballots). The hub keeps the last head of each
device, per storage (SQLite: `sync_device_heads`; PostgreSQL: `hub_device_heads`), and says
when a device's log went BACK (fewer entries than the hub already saw: restored from an older
backup, or entries removed) or was REWRITTEN (the same number of entries with another hash).
The batch itself is still taken: its ballots are signed and checked on their own; the problem
is for a person (dashboard, `/v1/status`, the hub's audit log) and `urne audit verify --head`
on the device checks the head the hub shows.

What the hub cannot tell from heads alone: that a longer log extends the one it saw (it has no
entries, only heads). That is what `urne audit verify --head SEQ:HASH` checks on the device.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ballots.keys import Head

log = logging.getLogger(__name__)

HEAD = re.compile(r"(\d{1,12}):([0-9a-f]{64})")

MIGRATIONS = Migrations("sync-heads")

PG_MIGRATIONS: list[tuple[str, list[str]]] = [
    (
        "0201_device_heads",
        [
            """CREATE TABLE hub_device_heads (
                device TEXT PRIMARY KEY,
                seq BIGINT NOT NULL,
                hash TEXT NOT NULL,
                day TEXT NOT NULL,
                problem TEXT NOT NULL DEFAULT '')""",
        ],
    ),
]


@MIGRATIONS()
def m001_device_heads(db: Database) -> None:
    # One row per device, overwritten at each batch: the head it last showed, and the last
    # problem seen (kept until a person looks; the day only).
    db.execute(
        """CREATE TABLE sync_device_heads (
            device TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL,
            day TEXT NOT NULL,
            problem TEXT NOT NULL DEFAULT '') WITHOUT ROWID"""
    )


class BadHead(ValueError):
    pass


def parse(value: Any) -> Head | None:
    """The head a batch carries ("SEQ:HASH"); None when absent (a device older than this);
    BadHead when present but not a head."""
    if value is None:
        return None
    m = HEAD.fullmatch(value) if isinstance(value, str) else None
    if m is None:
        raise BadHead("audit_head must be 'SEQ:HASH' (a number, a colon, 64 hex digits)")
    return Head(int(m.group(1)), m.group(2))


def of_store(store: Any) -> Head:
    """The head of a store's audit log (seq 0 and the genesis hash when it is empty)."""
    from ballots import audit

    row = store.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return Head(int(row[0]), str(row[1])) if row else Head(0, audit.GENESIS)


def text(head: Head) -> str:
    return f"{head.seq}:{head.hash}"


def problem(previous: Head | None, new: Head) -> str:
    """What is wrong with `new` after `previous` ('' when nothing is)."""
    if previous is None or new.seq > previous.seq:
        return ""
    if new.seq < previous.seq:
        return (
            f"audit log went back from {previous.seq} to {new.seq} entries (older backup restored, or entries removed)"
        )
    if new.hash != previous.hash:
        return f"audit log rewritten: entry {new.seq} has another hash than the hub saw"
    return ""


def annotate(devices: list[dict[str, Any]], rows: dict[str, tuple[int, str, str]]) -> list[dict[str, Any]]:
    """Add `audit_head` ("SEQ:first 16 hex") and `audit_problem` to the status's device dicts."""
    for d in devices:
        seq, digest, trouble = rows.get(d["device"], (None, "", ""))
        d["audit_head"] = f"{seq}:{digest[:16]}" if seq is not None else None
        d["audit_problem"] = trouble
    return devices


def _record(previous: tuple[Any, Any, Any] | None, new: Head) -> tuple[str, str]:
    """(this batch's problem, the problem to keep for a person)."""
    prev = Head(int(previous[0]), str(previous[1])) if previous else None
    trouble = problem(prev, new)
    return trouble, trouble or (str(previous[2]) if previous else "")


def record_sqlite(db: Database, device: str, head: Head, day: str) -> str:
    """Keep `device`'s head in the hub's SQLite store (inside the batch's transaction); a
    problem is also written to the hub's own audit log. Returns this batch's problem."""
    from ballots import audit

    row = db.execute("SELECT seq, hash, problem FROM sync_device_heads WHERE device = ?", [device]).fetchone()
    trouble, kept = _record(row, head)
    db.execute(
        "INSERT OR REPLACE INTO sync_device_heads (device, seq, hash, day, problem) VALUES (?, ?, ?, ?, ?)",
        [device, head.seq, head.hash, day, kept],
    )
    if trouble:
        audit.append(
            db,
            f"hub:{device}",
            "sync.audit_head_problem",
            {"device": device, "before": f"{row[0]}:{row[1]}", "now": text(head), "problem": trouble},
        )
    return trouble


def record_pg(conn: Any, device: str, head: Head, day: str) -> str:
    """The same in the city's PostgreSQL database (inside the batch's transaction)."""
    row = conn.execute(
        "SELECT seq, hash, problem FROM hub_device_heads WHERE device = %s FOR UPDATE", [device]
    ).fetchone()
    trouble, kept = _record(row, head)
    conn.execute(
        "INSERT INTO hub_device_heads (device, seq, hash, day, problem) VALUES (%s, %s, %s, %s, %s) "
        "ON CONFLICT (device) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, day = EXCLUDED.day, "
        "problem = EXCLUDED.problem",
        [device, head.seq, head.hash, day, kept],
    )
    if trouble:
        log.warning("device %s: %s (was %s:%s, now %s)", device, trouble, row[0], row[1][:16], text(head))
    return trouble


def rows_sqlite(db: Any) -> dict[str, tuple[int, str, str]]:
    return {
        r[0]: (int(r[1]), r[2], r[3]) for r in db.execute("SELECT device, seq, hash, problem FROM sync_device_heads")
    }


def rows_pg(conn: Any) -> dict[str, tuple[int, str, str]]:
    return {
        r[0]: (int(r[1]), r[2], r[3]) for r in conn.execute("SELECT device, seq, hash, problem FROM hub_device_heads")
    }
