"""The hub's storage, behind one small interface: SQLite for a town, PostgreSQL for a city.

`HubStorage` is everything the HTTP layer and the dashboard need. `SqliteHubStorage` keeps it in
an ordinary Urne store (the same tables as a kiosk plus the sync tables), which is right for a
town: one writer, WAL + synchronous=FULL, every batch one transaction. `sync.pghub.PgHubStorage`
keeps the same tables in PostgreSQL so several hub processes can ingest into one database.
`open_storage` picks one from `[hub] database` ("" or "sqlite:///path" or "postgresql://…").

Contract of `ingest`: either the batch is merged and its response stored under
(device, idempotency key) in one transaction, or nothing is written. The same key with the
same request returns the stored response; with another request, 422. A batch may carry
"backlog" (what the station still holds after it): the dashboard shows it with the time of
the station's last delivery. A storage that cannot reach its database raises
HubStorageUnavailable (the hub answers 503 + Retry-After).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ballots.ballot import Ballot, today
from ballots.election import Election
from ballots.store import Polls, Store
from ballots.tally import Tally, tally
from sync import devices, heads, merge, provenance, schema


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

    def election(self) -> Election: ...

    def polls(self) -> Polls: ...

    def counted_ballots(self) -> Iterator[Ballot]: ...

    def set_polls(self, state: Polls, *, actor: str) -> None: ...

    def setting(self, key: str, default: str | None = None) -> str | None: ...

    def set_setting(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...


def totals_dict(election: Election, t: Tally) -> dict[str, Any]:
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


def _iso(when: Any) -> str | None:
    if when is None or when == "":
        return None
    if isinstance(when, dt.datetime):
        return when.astimezone(dt.UTC).isoformat(timespec="seconds")
    return str(when)


def device_states(
    rows: Iterable[tuple[str, str, str, bool, Any, int, int, dict[str, int]]],
) -> list[dict[str, Any]]:
    """One dict per enrolled device, the same from every storage."""
    return [
        {
            "device": dev,
            "name": name,
            "place": place,
            "revoked": revoked,
            "last_seen": _iso(last),
            "backlog": int(backlog or 0),
            "batches": int(batches or 0),
            "by_channel": dict(by_channel),
        }
        for dev, name, place, revoked, last, backlog, batches, by_channel in rows
    ]


HUB_ROLE_KEY = "hub:role"


def mark_hub(store: Store) -> None:
    """Record that this data dir is the hub's: the one voice to the platform (`urne purpoz push`)."""
    if store.get_meta(HUB_ROLE_KEY) != "hub":
        store.set_meta(HUB_ROLE_KEY, "hub")


def is_hub(store: Store) -> bool:
    return store.get_meta(HUB_ROLE_KEY) == "hub"


def open_storage(database: str, store: Store | None = None) -> HubStorage:
    """`database`: "" (the hub's own store), "sqlite:///path/to/data-dir" or "postgresql://…".
    For PostgreSQL, `store` (the hub's data dir) publishes its election and enrolled devices."""
    if database.startswith(("postgresql://", "postgres://")):
        from sync.pghub import PgHubStorage

        pg = PgHubStorage(database)
        if store is not None:
            pg.publish(store)
        return pg
    if database.startswith("sqlite:///"):
        return SqliteHubStorage(Store(database[len("sqlite:///") :]))  # sqlite:////abs/dir, sqlite:///rel/dir
    if database:
        from ballots.errors import ConfigError
        from ballots.file_problems import FileProblem

        raise ConfigError("config.toml", "hub.database", FileProblem.DATABASE_URL)
    if store is None:
        raise ValueError("the SQLite hub needs its store")
    return SqliteHubStorage(store)


class SqliteHubStorage:
    def __init__(self, store: Store) -> None:
        self.store = schema.ensure(store)
        store.ensure(heads.MIGRATIONS)

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
            # Provenance: each ballot must be signed by the enrolled key of the device it names
            # (a kiosk's token cannot speak for a scan station; relayed records keep their own).
            report = provenance.merge_signed(
                store, election, ballots, register, delivered_by=f"hub:{device}", sender=device, forward=False
            )
            body = {"ok": True, "key": key, **report.as_dict()}
            head = heads.parse(payload.get("audit_head"))  # checked by the HTTP layer
            if head is not None and (trouble := heads.record_sqlite(db, device, head, today())):
                body["audit_problem"] = trouble
            db.execute(
                "INSERT INTO sync_idempotency (device, key, request_sha256, response, day) VALUES (?, ?, ?, ?, ?)",
                [device, key, request_sha256, json.dumps(body), today()],
            )
            backlog = payload.get("backlog")
            backlog = backlog if isinstance(backlog, int) and not isinstance(backlog, bool) else None
            db.execute(
                "INSERT INTO sync_device_state (device, last_seen, backlog, batches) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (device) DO UPDATE SET last_seen = excluded.last_seen, batches = batches + 1, "
                "backlog = coalesce(?, backlog)",
                [device, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), backlog or 0, backlog],
            )
        return IngestResult(200, body)

    def election(self) -> Election:
        with self.store.transaction():
            return self.store.election()

    def polls(self) -> Polls:
        with self.store.transaction():
            return self.store.polls()

    def set_polls(self, state: Polls, *, actor: str) -> None:
        self.store.set_polls(state, actor=actor)

    def setting(self, key: str, default: str | None = None) -> str | None:
        """Hub settings live in the store's meta table under "hub:"."""
        with self.store.transaction() as db:
            value = self.store.get_meta("hub:" + key)
            if value is None and default is not None:
                db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ["hub:" + key, default])
                value = default
            return value

    def set_setting(self, key: str, value: str) -> None:
        self.store.set_meta("hub:" + key, value)

    def counted_ballots(self) -> Iterator[Ballot]:
        with self.store.transaction():
            return iter(list(merge.counted_ballots(self.store, self.store.election().id)))

    def status(self) -> dict[str, Any]:
        store = self.store
        with store.transaction():
            election = store.election()
            eid = election.id
            counts = store.counts()
            conflicts = store.conn.execute(
                "SELECT ballot_id, count(*), min(day) FROM sync_conflicts WHERE election = ? AND resolution = '' "
                "GROUP BY ballot_id ORDER BY ballot_id",
                [eid],
            ).fetchall()
            dups = merge.duplicate_voters(store, eid)
            per_channel: dict[str, dict[str, int]] = {}
            for (dev, ch), n in store.counts_by_device(eid).items():
                per_channel.setdefault(dev, {})[ch] = n
            devs = store.conn.execute(
                "SELECT d.device, d.name, d.place, d.revoked, s.last_seen, coalesce(s.backlog, 0), "
                "coalesce(s.batches, 0) FROM sync_devices d LEFT JOIN sync_device_state s USING (device) "
                "ORDER BY d.device"
            ).fetchall()
            return {
                "election": eid,
                "fingerprint": election.fingerprint,
                "show_partial_results": election.show_partial_results,
                "polls": store.polls().value,
                "ballots": counts.ballots,
                "by_channel": dict(counts.by_channel),
                "by_status": dict(counts.by_status),
                "register": counts.register,
                "conflicts": len(conflicts),
                "conflict_list": [{"ballot": b[:12], "copies": n, "day": d} for b, n, d in conflicts],
                "duplicate_voters": len(dups),
                "duplicate_list": [{"voter": fp, "origins": list(o)} for fp, o in dups],
                "devices": heads.annotate(
                    device_states(
                        (dev, name, place, bool(rev), last, backlog, batches, per_channel.get(dev, {}))
                        for dev, name, place, rev, last, backlog, batches in devs
                    ),
                    heads.rows_sqlite(store.conn),
                ),
            }

    def totals(self) -> dict[str, Any]:
        store = self.store
        with store.transaction():
            election = store.election()
            t = tally(election, merge.counted_ballots(store, election.id), store.counts().register)
        return totals_dict(election, t)

    def close(self) -> None:
        self.store.close()
