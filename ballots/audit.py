"""Append-only, hash-chained audit log: every state change, who, what, when.

Casting a ballot is deliberately *not* an entry: a timestamped line per vote would give away the
order of votes. Counts are logged when the polls change state instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ballots.errors import AuditChainBroken
from ballots.keys import Head

GENESIS = "0" * 64

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    detail: Mapping[str, Any]
    prev: str
    hash: str


def _digest(seq: int, at: str, actor: str, action: str, detail_json: str, prev: str) -> str:
    body = json.dumps([seq, at, actor, action, detail_json, prev], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def create_table(db: Database) -> None:
    db.execute(
        """CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev TEXT NOT NULL,
            hash TEXT NOT NULL)"""
    )
    # Append-only at the storage level too: edits must go around SQLite to happen at all,
    # and then the chain shows them.
    db.execute(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )


def append(
    db: Database, actor: str, action: str, detail: Mapping[str, Any] | None = None, clock: Clock = utc_now
) -> AuditEntry:
    """Add an entry; call inside the transaction that makes the change it records."""
    row = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    at = clock().isoformat()
    detail_json = json.dumps(dict(detail or {}), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = _digest(seq, at, actor, action, detail_json, prev)
    db.execute(
        "INSERT INTO audit (seq, at, actor, action, detail, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [seq, at, actor, action, detail_json, prev, digest],
    )
    return AuditEntry(seq, at, actor, action, json.loads(detail_json), prev, digest)


def entries(db: Database) -> Iterator[AuditEntry]:
    for seq, at, actor, action, detail, prev, digest in db.execute(
        "SELECT seq, at, actor, action, detail, prev, hash FROM audit ORDER BY seq"
    ):
        yield AuditEntry(seq, at, actor, action, json.loads(detail), prev, digest)


def verify(db: Database, anchors: Sequence[Head] = ()) -> tuple[int, str]:
    """(number of entries, head hash) or AuditChainBroken naming the first bad entry.

    `anchors` are heads kept outside the store (the key folder's `audit-head.json`, a bundle,
    a procès-verbal): the log must end exactly at one of them, which catches deleted last
    entries, a chain recomputed after an edit, and forged entries appended after the head.
    """
    prev = GENESIS
    expected_seq = 1
    seen: dict[int, str] = {}
    for seq, at, actor, action, detail, stored_prev, digest in db.execute(
        "SELECT seq, at, actor, action, detail, prev, hash FROM audit ORDER BY seq"
    ):
        if seq != expected_seq:
            raise AuditChainBroken(expected_seq, f"entrée manquante (la suivante trouvée est la {seq})")
        if stored_prev != prev:
            raise AuditChainBroken(seq, "ne suit pas l'entrée précédente")
        if _digest(seq, at, actor, action, detail, stored_prev) != digest:
            raise AuditChainBroken(seq, "contenu modifié après son écriture")
        prev = digest
        seen[seq] = digest
        expected_seq += 1
    count = expected_seq - 1
    if anchors and Head(count, prev) not in anchors:
        anchor = anchors[0]
        if count < anchor.seq:
            raise AuditChainBroken(
                count + 1,
                f"{_entries(anchor.seq - count)} de la fin ont été supprimées (la tête ancrée est l'entrée {anchor.seq})",
            )
        if seen.get(anchor.seq) != anchor.hash:
            raise AuditChainBroken(anchor.seq, "diffère de la tête ancrée : le journal a été réécrit")
        raise AuditChainBroken(
            anchor.seq + 1, f"{_entries(count - anchor.seq)} après la tête ancrée n'ont pas été écrites par Urne"
        )
    return count, prev


def _entries(n: int) -> str:
    return "1 entrée" if n == 1 else f"{n} entrées"
