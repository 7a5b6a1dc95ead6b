"""The hub's storage on PostgreSQL, for a city: several hub processes, one database.

Why PostgreSQL: hundreds of stations pushing at the close need more than one process and one
file; PostgreSQL gives row-level locks, unique constraints checked across connections and
transactional DDL, so "exactly once" holds however many hub processes ingest at the same time.
Why psycopg 3 + psycopg-pool: the maintained driver, server-side binding, `unnest` arrays for
one round trip per batch, and a pool that drops connections broken by a database restart.

Contract (the same as `SqliteHubStorage`, see sync/hubstore.py):
- `ingest` is one transaction. It first claims (device, Idempotency-Key) with
  `INSERT ... ON CONFLICT DO NOTHING`: a second request with the same key, in this process or
  another, waits for the first one's commit and then replays its stored response. Ballots go in
  with `INSERT ... ON CONFLICT (id) DO NOTHING RETURNING id`; the ids that were already there are
  read back `FOR UPDATE` and compared exactly as `sync.merge.merge` does (same id and content:
  known; a review copy and its decision: replaced; anything else: a conflict row, held aside).
  Rows are written in id order so two batches sharing ids never deadlock; a deadlock or
  serialisation failure anyway rolls back and retries the whole batch.
- The database unreachable (down, restarting, pool exhausted) raises HubStorageUnavailable; the
  HTTP layer answers 503 with Retry-After and the station keeps its backlog.
- Migrations (sync/pgschema.py) each run in one transaction with their bookkeeping row, under
  an advisory lock: a failing migration leaves the schema exactly as it was (transactional DDL).
- Connections (sync/pgpool.py), the row codec of this database's own `ballots` table
  (sync/pgrows.py) and what one batch does to the ballots and the register (sync/pgmerge.py)
  live beside this module.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from psycopg import errors as pgerrors
from psycopg_pool import ConnectionPool

from ballots.ballot import Ballot, today
from ballots.election import Election, from_dict, to_dict
from ballots.store import Polls, Store
from ballots.tally import tally
from sync import devices, heads, pgmerge, pgmix
from sync.errors import HubStorageUnavailable
from sync.hubstore import IngestResult, device_states, totals_dict
from sync.pgpool import Guard, Refusal, Retry, redact, scalar
from sync.pgrows import check_batch, row_ballot
from sync.pgschema import migrate

log = logging.getLogger(__name__)


class PgHubStorage:
    """`HubStorage` over PostgreSQL; see the module contract."""

    def __init__(self, url: str, *, pool_size: int = 8, timeout: float = 3.0) -> None:
        self.url = url
        self.where = redact(url)
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            timeout=timeout,
            open=False,
            check=ConnectionPool.check_connection,  # a restarted server's dead connections are dropped
            # Give up a failing reconnection quickly: the next request starts a fresh one (the
            # pool's own back-off doubles without bound, which kept a restarted database unused).
            reconnect_timeout=timeout,
            kwargs={"connect_timeout": max(1, int(timeout))},
        )
        self.pool.open(wait=False)
        self._election: Election | None = None
        self._totals_cache: tuple[float, dict[str, Any]] | None = None
        self._lock = threading.Lock()
        with self._conn() as conn:
            migrate(conn)
            migrate(conn, heads.PG_MIGRATIONS)
            migrate(conn, pgmix.PG_MIGRATIONS)

    # -- plumbing ---------------------------------------------------------------------------

    def _conn(self) -> Any:
        return Guard(self)

    def run(self, work: Callable[[psycopg.Connection[Any]], Any], *, attempts: int = 5) -> Any:
        """`work(conn)` in one transaction; retried on deadlock/serialisation failure/lost connection."""
        for attempt in range(attempts):
            try:
                with self._conn() as conn, conn.transaction():
                    return work(conn)
            except (pgerrors.DeadlockDetected, pgerrors.SerializationFailure, Retry):
                time.sleep(0.01 * (attempt + 1))
            except HubStorageUnavailable:
                if attempt >= 1 or not self._reachable():
                    raise  # the database is down: 503 now, the station resends after Retry-After
                # The database answers but the pool held connections broken by its restart:
                # drop them all at once (the pool's own checks back off one by one) and go again.
                self.pool.check()
        raise HubStorageUnavailable(self.where, "trop de transactions en conflit ; recommencez")

    def _reachable(self) -> bool:
        try:
            with psycopg.connect(self.url, connect_timeout=2):
                return True
        except psycopg.Error:
            return False

    # -- what the hub counts ----------------------------------------------------------------

    def publish(self, store: Store) -> None:
        """Make the database count the hub store's election and trust its enrolled devices.
        Refuses a database that already counts another election."""
        election = store.election()
        polls = store.polls().value
        staff = store.get_meta("hub:staff_password")
        enrolled = [
            (d.device, d.public_key, tok, d.name, place, d.enrolled_day, d.revoked)
            for d, tok, place in devices.enrolled_with_tokens(store)
        ]

        def work(conn: psycopg.Connection[Any]) -> None:
            row = conn.execute("SELECT id, fingerprint FROM hub_election").fetchone()
            if row is not None and (row[0], row[1]) != (election.id, election.fingerprint):
                from sync.errors import DeviceError

                raise DeviceError(
                    "hub", f"la base {self.where} compte l'élection « {row[0]} » ({row[1][:12]}), pas « {election.id} »"
                )
            conn.execute(
                "INSERT INTO hub_election (id, fingerprint, definition, polls, installed_day) VALUES (%s, %s, %s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET polls = EXCLUDED.polls",
                [election.id, election.fingerprint, json.dumps(to_dict(election)), polls, today()],
            )
            # Only what the database lacks: enrolments, revocations and staff passwords made since
            # (on any hub machine) are written to it at once by the CLI (sync.pgdevices), and this
            # data dir may be older than them (a revoked device must stay revoked).
            if staff is not None:
                conn.execute(
                    "INSERT INTO hub_settings (key, value) VALUES ('staff_password', %s) ON CONFLICT (key) DO NOTHING",
                    [staff],
                )
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO sync_devices (device, public_key, token_sha256, name, place, enrolled_day, revoked) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (device) DO NOTHING",
                    enrolled,
                )

        self.run(work)
        self._election = election

    def election(self) -> Election:
        if self._election is None:
            row = self.run(lambda c: c.execute("SELECT definition FROM hub_election").fetchone())
            if row is None:
                from ballots.errors import NoElection

                raise NoElection(self.where)
            self._election = from_dict(json.loads(row[0]))
        return self._election

    def polls(self) -> Polls:
        row = self.run(lambda c: c.execute("SELECT polls FROM hub_election").fetchone())
        return Polls(row[0]) if row else Polls.NOT_OPENED

    def set_polls(self, state: Polls, *, actor: str) -> None:
        self.run(lambda c: c.execute("UPDATE hub_election SET polls = %s", [state.value]))
        if state is Polls.CLOSED:
            self.mix(force=True)  # the last ballots leave the pool, whatever its size
        log.info("polls %s at the hub by %s", state.value, actor)

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A shared setting; with `default`, stored first if absent (the first process wins)."""

        def work(c: psycopg.Connection[Any]) -> str | None:
            if default is not None:
                c.execute(
                    "INSERT INTO hub_settings (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                    [key, default],
                )
            return scalar(c, "SELECT value FROM hub_settings WHERE key = %s", [key])  # type: ignore[no-any-return]

        return self.run(work)  # type: ignore[no-any-return]

    def set_setting(self, key: str, value: str) -> None:
        self.run(
            lambda c: c.execute(
                "INSERT INTO hub_settings (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key, value],
            )
        )

    def device_for_token(self, token: str) -> str | None:
        if not token:
            return None
        sha = hashlib.sha256(token.encode()).hexdigest()
        row = self.run(
            lambda c: c.execute(
                "SELECT device FROM sync_devices WHERE token_sha256 = %s AND NOT revoked", [sha]
            ).fetchone()
        )
        return str(row[0]) if row else None

    # -- ingest -----------------------------------------------------------------------------

    def ingest(self, device: str, key: str, request_sha256: str, payload: dict[str, Any]) -> IngestResult:
        election = self.election()
        try:
            result: IngestResult = self.run(lambda c: self._ingest(c, election, device, key, request_sha256, payload))
        except Refusal as refused:
            return refused.result
        if not result.replayed and result.status == 200:
            self._totals_cache = None
            self.mix()
        return result

    def mix(self, *, force: bool = False) -> int:
        """Move the mixing pool into the counted table when it is ready (sync.pgmix), in its own
        transaction; a failure leaves the pool for the next batch (nothing is lost: the pool is
        counted too)."""
        try:
            return int(self.run(lambda c: pgmix.mix(c, force=force)))
        except HubStorageUnavailable as exc:
            log.warning("mixing pool not moved this time: %s", exc)
            return 0

    def _ingest(
        self,
        conn: psycopg.Connection[Any],
        election: Election,
        device: str,
        key: str,
        request_sha256: str,
        payload: dict[str, Any],
    ) -> IngestResult:
        day = today()
        claimed = conn.execute(
            "INSERT INTO sync_idempotency (device, key, request_sha256, response, day) VALUES (%s, %s, %s, '', %s) "
            "ON CONFLICT (device, key) DO NOTHING",
            [device, key, request_sha256, day],
        ).rowcount
        if not claimed:  # committed by an earlier request, in this process or another
            row = conn.execute(
                "SELECT request_sha256, response FROM sync_idempotency WHERE device = %s AND key = %s", [device, key]
            ).fetchone()
            if row is None:
                raise Retry()
            if row[0] != request_sha256:
                return IngestResult(
                    422, {"error": "idempotency-key-reused", "detail": "this key was used for another batch"}
                )
            return IngestResult(200, json.loads(row[1]), replayed=True)
        refusal = check_batch(election, payload)
        if refusal is not None:
            raise Refusal(refusal)  # rolls the claim back: a corrected batch may use the key
        report = pgmerge.merge_batch(
            conn, election, payload["ballots"], payload.get("register", []), f"hub:{device}", day
        )
        body = {"ok": True, "key": key, **report.as_dict()}
        head = heads.parse(payload.get("audit_head"))  # checked by the HTTP layer
        if head is not None and (trouble := heads.record_pg(conn, device, head, day)):
            body["audit_problem"] = trouble
        conn.execute(
            "UPDATE sync_idempotency SET response = %s WHERE device = %s AND key = %s", [json.dumps(body), device, key]
        )
        backlog = payload.get("backlog")
        conn.execute(
            "INSERT INTO sync_device_state (device, last_seen, backlog, batches) VALUES (%s, now(), %s, 1) "
            "ON CONFLICT (device) DO UPDATE SET last_seen = now(), batches = sync_device_state.batches + 1, "
            "backlog = COALESCE(%s, sync_device_state.backlog)",
            [device, backlog if isinstance(backlog, int) else 0, backlog if isinstance(backlog, int) else None],
        )
        return IngestResult(200, body)

    # -- what the staff and the platform read -----------------------------------------------

    def counted_ballots(self) -> Iterator[Ballot]:
        """Every ballot of the election minus those held for a person (open conflict)."""
        eid = self.election().id
        with self._conn() as conn, conn.transaction(), conn.cursor(name="counted") as cur:
            cur.itersize = 5000
            cur.execute(
                "SELECT id, election, channel, device, selection, status, reasons, day, test FROM ballots b "
                "WHERE election = %s AND NOT EXISTS (SELECT 1 FROM sync_conflicts c "
                "WHERE c.ballot_id = b.id AND c.resolution = '')",
                [eid],
            )
            for r in cur:
                yield row_ballot(r)

    def totals(self) -> dict[str, Any]:
        cached = self._totals_cache
        if cached is not None and time.monotonic() - cached[0] < 2.0:
            return cached[1]
        election = self.election()
        register = self.run(lambda c: scalar(c, "SELECT count(*) FROM register WHERE election = %s", [election.id]))
        try:
            t = tally(election, self.counted_ballots(), register)
        except psycopg.OperationalError as exc:
            raise HubStorageUnavailable(self.where, str(exc).splitlines()[0]) from exc
        out = totals_dict(election, t)
        self._totals_cache = (time.monotonic(), out)
        return out

    def status(self) -> dict[str, Any]:
        election = self.election()
        eid = election.id

        def work(c: psycopg.Connection[Any]) -> dict[str, Any]:
            by_status = dict(
                c.execute(
                    "SELECT status, count(*) FROM ballots WHERE election = %s AND NOT test GROUP BY status", [eid]
                ).fetchall()
            )
            held = "NOT EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.ballot_id = b.id AND c.resolution = '')"
            by_channel = dict(
                c.execute(
                    f"SELECT channel, count(*) FROM ballots b WHERE election = %s AND NOT test AND status = 'counted' "
                    f"AND {held} GROUP BY channel",
                    [eid],
                ).fetchall()
            )
            register = scalar(c, "SELECT count(*) FROM register WHERE election = %s", [eid])
            conflicts = c.execute(
                "SELECT ballot_id, count(*), min(day) FROM sync_conflicts WHERE election = %s AND resolution = '' "
                "GROUP BY ballot_id ORDER BY ballot_id",
                [eid],
            ).fetchall()
            dup_rows = c.execute(
                "SELECT fingerprint, origin FROM sync_voter_origins WHERE election = %s ORDER BY fingerprint, origin",
                [eid],
            ).fetchall()
            devs = c.execute(
                "SELECT d.device, d.name, d.place, d.revoked, s.last_seen, coalesce(s.backlog, 0), "
                "coalesce(s.batches, 0) FROM sync_devices d LEFT JOIN sync_device_state s USING (device) "
                "ORDER BY d.device"
            ).fetchall()
            per_channel: dict[str, dict[str, int]] = {}
            for dev, ch, n in c.execute(
                "SELECT device, channel, count(*) FROM ballots WHERE election = %s AND NOT test GROUP BY device, channel",
                [eid],
            ):
                per_channel.setdefault(dev, {})[ch] = n
            polls = c.execute("SELECT polls FROM hub_election WHERE id = %s", [eid]).fetchone()
            return {
                "by_status": by_status,
                "by_channel": by_channel,
                "register": register,
                "conflicts": conflicts,
                "dups": dup_rows,
                "devices": devs,
                "heads": heads.rows_pg(c),
                "per_channel": per_channel,
                "polls": polls[0] if polls else Polls.NOT_OPENED.value,
            }

        r = self.run(work)
        grouped: dict[str, list[str]] = {}
        for fp, origin in r["dups"]:
            grouped.setdefault(fp, []).append(origin)
        return {
            "election": eid,
            "fingerprint": election.fingerprint,
            "show_partial_results": election.show_partial_results,
            "polls": r["polls"],
            "ballots": sum(r["by_channel"].values()),
            "by_channel": r["by_channel"],
            "by_status": r["by_status"],
            "register": r["register"],
            "conflicts": len(r["conflicts"]),
            "conflict_list": [{"ballot": b[:12], "copies": n, "day": d} for b, n, d in r["conflicts"]],
            "duplicate_voters": len(grouped),
            "duplicate_list": [{"voter": fp[:12], "origins": o} for fp, o in grouped.items()],
            "devices": heads.annotate(
                device_states(
                    [
                        (dev, name, place, bool(revoked), last, backlog, batches, r["per_channel"].get(dev, {}))
                        for dev, name, place, revoked, last, backlog, batches in r["devices"]
                    ]
                ),
                r["heads"],
            ),
        }

    def close(self) -> None:
        self.pool.close()
