"""The hub's storage, behind a small interface so a big city can move it to PostgreSQL.

`HubStorage` is everything the HTTP layer needs. `SqliteHubStorage` keeps it in an ordinary
Urne store (the same tables as a kiosk plus the sync tables), which is right for a town: one
writer, WAL + synchronous=FULL, every batch one transaction.

PostgreSQL (hundreds of stations): implement the same five methods over the same tables
(ballots, register, sync_conflicts, sync_voter_origins, sync_idempotency, sync_devices; the
DDL in ballots/store.py and sync/schema.py is plain SQL). `ingest` must stay one transaction:
`SELECT ... FROM sync_idempotency WHERE (device, key) = ... FOR UPDATE`, then
`INSERT ... ON CONFLICT DO NOTHING` for ballots and register, then the idempotency row; a
connection pool replaces the single writer lock. The HTTP layer does not change.

Contract of `ingest`: either the batch is merged and its response stored under
(device, idempotency key) in one transaction, or nothing is written. The same key with the
same request returns the stored response; with another request, an IdempotencyMismatch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from ballots.ballot import today
from ballots.store import Store
from ballots.tally import tally
from sync import devices, merge, schema


@dataclass(frozen=True)
class IngestResult:
    status: int  # HTTP status to answer
    body: dict[str, Any]
    replayed: bool = False


class HubStorage(Protocol):
    def device_for_token(self, token: str) -> str | None: ...

    def ingest(self, device: str, key: str, request_sha256: str, payload: dict[str, Any]) -> IngestResult: ...

    def status(self) -> dict[str, Any]: ...

    def totals(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


class SqliteHubStorage:
    def __init__(self, store: Store) -> None:
        self.store = schema.ensure(store)

    def device_for_token(self, token: str) -> str | None:
        # Under the writer lock: waitress threads share the store's one connection.
        with self.store.transaction():
            return devices.device_for_token(self.store, token)

    def ingest(self, device: str, key: str, request_sha256: str, payload: dict[str, Any]) -> IngestResult:
        store = self.store
        with store.transaction() as db:
            row = db.execute(
                "SELECT request_sha256, response FROM sync_idempotency WHERE device = ? AND key = ?", [device, key]
            ).fetchone()
            if row is not None:
                if row[0] != request_sha256:
                    return IngestResult(
                        422, {"error": "idempotency-key-reused", "detail": "this key was used for another batch"}
                    )
                return IngestResult(200, json.loads(row[1]), replayed=True)
            election = store.election()
            if payload.get("election") != election.id or payload.get("election_fingerprint") != election.fingerprint:
                return IngestResult(
                    409,
                    {
                        "error": "foreign-election",
                        "detail": f"this hub counts '{election.id}' ({election.fingerprint[:12]})",
                    },
                )
            ballots, register = payload.get("ballots"), payload.get("register", [])
            if not isinstance(ballots, list) or not isinstance(register, list):
                return IngestResult(400, {"error": "bad-batch", "detail": "ballots and register must be lists"})
            report = merge.merge(store, election, ballots, register, delivered_by=f"hub:{device}", forward=False)
            body = {"ok": True, "key": key, **report.as_dict()}
            db.execute(
                "INSERT INTO sync_idempotency (device, key, request_sha256, response, day) VALUES (?, ?, ?, ?, ?)",
                [device, key, request_sha256, json.dumps(body), today()],
            )
        return IngestResult(200, body)

    def status(self) -> dict[str, Any]:
        store = self.store
        with store.transaction():
            election = store.election()
            counts = store.counts()
            seen = {
                r[0]: {"batches": r[1], "last_day": r[2]}
                for r in store.conn.execute("SELECT device, count(*), max(day) FROM sync_idempotency GROUP BY device")
            }
            return {
                "election": election.id,
                "fingerprint": election.fingerprint,
                "ballots": counts.ballots,
                "by_status": dict(counts.by_status),
                "register": counts.register,
                "conflicts": len(merge.conflicted_ids(store, election.id)),
                "duplicate_voters": len(merge.duplicate_voters(store, election.id)),
                "devices": [
                    {"device": d.device, "name": d.name, "revoked": d.revoked, **seen.get(d.device, {"batches": 0})}
                    for d in devices.devices(store)
                ],
            }

    def totals(self) -> dict[str, Any]:
        store = self.store
        with store.transaction():
            election = store.election()
            t = tally(election, merge.counted_ballots(store, election.id), store.counts().register)
        return {
            "election": election.id,
            "ballots_counted": t.ballots_counted,
            "by_channel": dict(t.by_channel),
            "pending_review": t.pending_review,
            "register": t.register,
            "questions": {
                q.question: {"votes": q.votes(), "points": q.points(), "blank": q.blank, "invalid": q.invalid}
                for q in t.questions
            },
        }

    def close(self) -> None:
        self.store.close()
