"""The transactional outbox: what this device still has to deliver.

The store writes an outbox row (kind, key, state) in the same transaction as each
ballot and register entry. Contract:
- `claim()` moves up to `limit` pending rows to `inflight` and returns them (no per-row count: it would date votes).
- `mark_sent()` is called only after the receiver acknowledged; it only touches rows still
  inflight, so a ballot changed meanwhile (review decision) stays pending and goes again.
- `release()` puts rows back to pending after a failure; `recover()` does it for rows left
  inflight by a crash. Rows and the data they point at are never deleted: resending
  everything is always safe because every receiver merges idempotently.
"""

from __future__ import annotations

from dataclasses import dataclass

from ballots.ballot import Ballot
from ballots.store import Store
from sync.merge import RegisterEntry, register_entries


@dataclass(frozen=True)
class Batch:
    ballots: tuple[str, ...]
    register: tuple[str, ...]  # "election:fingerprint"

    def __len__(self) -> int:
        return len(self.ballots) + len(self.register)

    def keys(self) -> list[tuple[str, str]]:
        return [("ballot", k) for k in self.ballots] + [("register", k) for k in self.register]


def recover(store: Store) -> int:
    """Rows left inflight by a crash or a cut connection go back to pending."""
    with store.transaction() as db:
        return int(db.execute("UPDATE outbox SET state = 'pending' WHERE state = 'inflight'").rowcount)


def claim(store: Store, limit: int) -> Batch:
    with store.transaction() as db:
        rows = db.execute(
            "SELECT kind, key FROM outbox WHERE state = 'pending' ORDER BY kind, key LIMIT ?", [limit]
        ).fetchall()
        db.conn.executemany("UPDATE outbox SET state = 'inflight' WHERE kind = ? AND key = ?", rows)
    return Batch(tuple(k for kind, k in rows if kind == "ballot"), tuple(k for kind, k in rows if kind == "register"))


def mark_sent(store: Store, batch: Batch) -> None:
    with store.transaction() as db:
        db.conn.executemany(
            "UPDATE outbox SET state = 'sent' WHERE kind = ? AND key = ? AND state = 'inflight'", batch.keys()
        )


def release(store: Store, batch: Batch) -> None:
    with store.transaction() as db:
        db.conn.executemany(
            "UPDATE outbox SET state = 'pending' WHERE kind = ? AND key = ? AND state = 'inflight'", batch.keys()
        )


def backlog(store: Store) -> int:
    """Rows not yet acknowledged by a receiver (pending or inflight)."""
    return int(store.conn.execute("SELECT count(*) FROM outbox WHERE state != 'sent'").fetchone()[0])


def counts(store: Store) -> dict[str, int]:
    return dict(store.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())


def unacknowledged(store: Store) -> Batch:
    rows = store.conn.execute("SELECT kind, key FROM outbox WHERE state != 'sent' ORDER BY kind, key").fetchall()
    return Batch(tuple(k for kind, k in rows if kind == "ballot"), tuple(k for kind, k in rows if kind == "register"))


def load(store: Store, election_id: str, batch: Batch) -> tuple[list[Ballot], list[RegisterEntry]]:
    """The data the batch points at, for one election (ballots of other elections stay queued)."""
    if len(batch.ballots) > 2000:  # one scan beats thousands of lookups (USB export of a whole day)
        wanted = set(batch.ballots)
        ballots = [b for b in store.ballots(election_id, include_test=True, include_held=True) if b.id in wanted]
    else:
        ballots = [b for b in (store.ballot(k) for k in batch.ballots) if b is not None and b.election == election_id]
    register = register_entries(store, election_id, batch.register) if batch.register else []
    return ballots, register
