"""Durable SQLite store: one file per data dir, one writer connection, synchronous=FULL.

Contract:
- `cast()` returns only after COMMIT with synchronous=FULL: a returned ballot survives a killed
  process and a power cut. Anything raised means nothing was written.
- Write transactions are `BEGIN IMMEDIATE` with a busy timeout: a second Urne program on the
  same folder waits its turn instead of failing; errors come out as four named cases (busy,
  read-only, disk full, damaged), see `storage_error`.
- No order, whatever is copied (the main file, its journal, a backup). The ballots, register
  and outbox tables are WITHOUT ROWID, keyed by random ids, carry the day only, and every
  transaction that writes them lays the rows around what it wrote out again in key order
  (`ballots.order_free`: a window of about a page either side, O(rows written) per commit),
  with `secure_delete` on: no cell sits where its arrival put it (SQLite otherwise places each
  new cell below the previous ones in its page). The rollback journal (not WAL) is deleted at
  each commit, so no older version of a page stays in the folder. The ballots' keyed seal is
  kept up to date the same way (`ballots.seal`, O(rows written)).
  Delivery state cannot date a vote either: a new ballot (or register entry) puts every row of
  its kind back to pending, so "not yet sent" never singles out the latest.
- The election secret lives in the key folder beside the data folder (`ballots.keys`), never
  in this file.
- Other packages keep their own tables with their own `Migrations` set, applied by `ensure()`.

Beside this module: the tables (ballots/schema.py), opening the file and naming its failures
(ballots/sqlite_file.py), the `ballots` row codec (ballots/ballot_rows.py), and two parts of
`Store` itself: its elections (ballots/store_elections.py) and its register
(ballots/store_register.py).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ballots import audit, order_free, seal
from ballots.ballot import Ballot, BallotStatus, Channel
from ballots.ballot_rows import BALLOT_COLUMNS, COLUMNS, MARKS, ballot_from_row, ballot_to_row, selection_json
from ballots.errors import (
    IntegrityFailed,
    NoElection,
    PollsNotOpen,
    StoreDamaged,
    StoreReadOnly,
)
from ballots.keys import Head, KeyRing, keys_dir_for
from ballots.reasons import ReasonText
from ballots.schema import MIGRATIONS
from ballots.sqlite_file import connect, is_readonly, storage_error
from ballots.store_elections import ElectionMethods
from ballots.store_register import RegisterMethods
from ballots.tally import Group

DB_NAME = "urne.sqlite"

logger = logging.getLogger(__name__)


class Polls(StrEnum):
    NOT_OPENED = "not_opened"
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


@dataclass(frozen=True)
class Counts:
    ballots: int
    register: int
    by_channel: Mapping[str, int]
    by_status: Mapping[str, int]


class Store(ElectionMethods, RegisterMethods):
    """The one writer of a data dir. Thread-safe: every write goes through one lock.

    A read-only folder (a commission's write-protected copy) opens read-only: every reading
    command works, every write raises StoreReadOnly.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        device: str | None = None,
        keys_dir: str | os.PathLike[str] | None = None,
        readonly: bool | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self.readonly = is_readonly(self.path) if readonly is None else readonly
        self.keys = KeyRing(Path(keys_dir) if keys_dir else keys_dir_for(self.data_dir))
        try:
            if not self.readonly:
                self.data_dir.mkdir(parents=True, exist_ok=True)
            elif not self.path.exists():
                raise NoElection(str(self.data_dir))
            self.conn = connect(self.path, readonly=self.readonly)
            self.db = Database(self.conn)
            self._lock = threading.RLock()
            if not self.readonly:
                self.ensure(MIGRATIONS)
                self._track_changes()
                self._move_legacy_secrets()
            self.device = device or self._device_id()
        except (sqlite3.Error, OSError) as exc:
            raise storage_error(exc, self.path) from exc

    # -- plumbing --------------------------------------------------------------------------

    def ensure(self, migrations: Migrations) -> None:
        """Create or upgrade another package's tables (paper, sync) in this same file."""
        if self.readonly:
            return
        with self._lock:
            migrations.apply(self.db)

    def _track_changes(self) -> None:
        # Temp triggers (in memory, never in the file) note which order-free tables and keys a
        # transaction touched, so the commit can lay them out again in key order.
        order_free.track(self.conn)
        seal.track(self.conn)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One write transaction (`BEGIN IMMEDIATE`); nested calls join the outer one."""
        with self._lock:
            if self.conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            if self.readonly:
                raise StoreReadOnly(str(self.path))
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise storage_error(exc, self.path) from exc
            head: Head | None = None
            try:
                yield self.db
                head = self._before_commit()
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                order_free.forget(self.conn)
                seal.forget(self.conn)
                if isinstance(exc, (sqlite3.OperationalError, OSError)) or type(exc) is sqlite3.DatabaseError:
                    raise storage_error(exc, self.path) from exc
                raise
            if head is not None:
                self._anchor(head)

    def _before_commit(self) -> Head | None:
        touched = {r[0] for r in self.conn.execute("SELECT name FROM temp.urne_touched")}
        if "ballots+" in touched:
            # Every ballot goes again: a lone pending row would name the latest vote.
            self.conn.execute("UPDATE outbox SET state = 'pending' WHERE kind = 'ballot' AND state != 'pending'")
        if "register+" in touched:
            self.conn.execute("UPDATE outbox SET state = 'pending' WHERE kind = 'register' AND state != 'pending'")
        if touched & {"ballots+", "register+"}:
            touched.add("outbox")
        for table in order_free.TABLES:
            if table.name in touched or f"{table.name}+" in touched:
                order_free.settle(self.conn, table)
        if touched & {"ballots", "ballots+"}:
            self._seal_ballots()
        order_free.forget(self.conn)
        row = self.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        if row is None:
            return None
        head = Head(int(row[0]), str(row[1]))
        anchored = self.keys.audit_head()
        if anchored is not None and anchored.seq >= head.seq:
            return None
        # Written before COMMIT as "pending": a crash between the two leaves a head that verify
        # accepts either way; after COMMIT it is confirmed.
        self._anchor(head, previous=anchored or Head(0, audit.GENESIS))
        return head

    def _anchor(self, head: Head, previous: Head | None = None) -> None:
        try:
            anchored = self.keys.audit_head()
            if previous is None and anchored is not None and anchored.seq > head.seq:
                return  # another program on this folder committed a later entry meanwhile
            self.keys.set_audit_head(head, previous=previous)
        except OSError:
            logger.warning("audit head could not be written to %s", self.keys.directory)

    # -- the ballots' seal: a keyed digest of the SET of ballots ---------------------------------

    def ballots_digest(self) -> str | None:
        """The keyed digest of the SET of stored ballots (ballots.seal), computed from every row,
        under this device's key (None without one): rows edited with plain SQL cannot be
        re-sealed by whoever edited them without the key folder."""
        key = self.keys.device_key(create=not self.readonly)
        return None if key is None else seal.full(self.conn, key)

    def _seal_ballots(self) -> None:
        key = self.keys.device_key(create=True)
        if key is None:
            seal.forget(self.conn)
            return
        value = seal.updated(self.conn, key, self.get_meta("ballots:seal"))
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('ballots:seal', ?)", [value])

    def check_seal(self) -> None:
        """IntegrityFailed when the ballots differ from what Urne last wrote (plain SQL edits)."""
        sealed = self.get_meta("ballots:seal")
        key = self.keys.device_key(create=not self.readonly)
        if key is None or (sealed is None and not self.conn.execute("SELECT 1 FROM ballots").fetchone()):
            return
        digest = (
            seal.full(self.conn, key)
            if sealed is None or sealed.startswith(seal.PREFIX)
            else seal.legacy(self.conn, key)
        )
        if sealed != digest:
            raise IntegrityFailed(
                "ballots",
                "les bulletins ont été modifiés hors d'Urne (ajoutés, supprimés ou changés depuis la dernière écriture)",
            )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.set_metas({key: value})

    def set_metas(self, values: Mapping[str, str]) -> None:
        """Several settings in one transaction: all of them or none."""
        with self.transaction() as db:
            for key, value in values.items():
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])

    def _device_id(self) -> str:
        device = self.get_meta("device_id")
        if device is None:
            device = f"dev-{uuid.uuid4().hex[:12]}"
            self.set_meta("device_id", device)
        return device

    def _move_legacy_secrets(self) -> None:
        # Stores made before the key folder kept the secret in `elections.secret`: move it out.
        rows = self.conn.execute("SELECT id, secret FROM elections WHERE secret != ''").fetchall()
        if not rows:
            return
        for eid, secret in rows:
            if not self.keys.has_election_secret(eid):
                self.keys.set_election_secret(eid, bytes.fromhex(secret))
        with self.transaction() as db:
            db.execute("UPDATE elections SET secret = ''")

    def log(self, actor: str, action: str, detail: Mapping[str, Any] | None = None) -> audit.AuditEntry:
        with self.transaction() as db:
            return audit.append(db, actor, action, detail)

    # -- polls -----------------------------------------------------------------------------

    def polls(self, election_id: str | None = None) -> Polls:
        eid = election_id or self.election().id
        return Polls(self.get_meta(f"polls:{eid}") or Polls.NOT_OPENED.value)

    def set_polls(self, state: Polls, *, actor: str, election_id: str | None = None) -> None:
        eid = election_id or self.election().id
        with self.transaction() as db:
            before = self.polls(eid)
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [f"polls:{eid}", state.value])
            counts = self.counts(eid)
            audit.append(
                db,
                actor,
                "polls." + state.value,
                {
                    "election": eid,
                    "from": before.value,
                    "ballots": counts.ballots,
                    "register": counts.register,
                    # The ballots as they stand, in the hash chain anchored outside the store.
                    "ballots_digest": self.ballots_digest(),
                },
            )

    # -- ballots ---------------------------------------------------------------------------

    def cast(self, ballot: Ballot, *, require_open: bool | None = None) -> Ballot:
        """Store one ballot and its outbox row in one transaction; return it once durable.

        Kiosk ballots need open polls (`require_open` defaults to that); paper and imports
        are counted after the polls close.
        """
        must_be_open = ballot.channel is Channel.KIOSK if require_open is None else require_open
        with self.transaction() as db:
            if must_be_open:
                state = self.polls(ballot.election)
                if state is not Polls.OPEN:
                    raise PollsNotOpen(state.value)
            self._insert(db, ballot)
        return ballot

    def cast_many(self, ballots: Iterable[Ballot]) -> int:
        """Bulk insert (imports); all or nothing. Returns how many were new."""
        with self.transaction() as db:
            before = db.execute("SELECT count(*) FROM ballots").fetchone()[0]
            for b in ballots:
                self._insert(db, b, ignore_existing=True)
            return int(db.execute("SELECT count(*) FROM ballots").fetchone()[0] - before)

    def _insert(self, db: Database, b: Ballot, ignore_existing: bool = False) -> None:
        verb = "INSERT OR IGNORE" if ignore_existing else "INSERT"
        db.execute(f"{verb} INTO ballots ({COLUMNS}) VALUES ({MARKS})", ballot_to_row(b))
        db.execute(f"{verb} INTO outbox (kind, key) VALUES ('ballot', ?)", [b.id])

    def insert_ballots(self, db: Database, ballots: Iterable[Ballot]) -> int:
        """Add new ballots inside the caller's transaction (a merge), in id order: the rows'
        physical order then follows their random ids, never their arrival. No outbox row: the
        caller decides what is forwarded."""
        rows = sorted(ballot_to_row(b) for b in ballots)
        db.conn.executemany(f"INSERT INTO ballots ({COLUMNS}) VALUES ({MARKS})", rows)
        return len(rows)

    def replace_ballots(self, db: Database, ballots: Iterable[Ballot]) -> None:
        """Overwrite stored ballots by id with these copies (a decision taken elsewhere, a
        resolved conflict), inside the caller's transaction."""
        sets = ", ".join(f"{c} = ?" for c in BALLOT_COLUMNS[1:])
        db.conn.executemany(
            f"UPDATE ballots SET {sets} WHERE id = ?", [row[1:] + row[:1] for row in map(ballot_to_row, ballots)]
        )

    def set_reasons(self, db: Database, ballot_id: str, reasons: Sequence[ReasonText]) -> None:
        """Replace a ballot's reasons (a re-read found new ones), inside the caller's transaction."""
        db.execute("UPDATE ballots SET reasons = ? WHERE id = ?", [json.dumps(list(reasons)), ballot_id])

    def ballots_by_id(self, ids: Iterable[str]) -> dict[str, Ballot]:
        """The stored ballots among `ids` (any number: read in chunks SQLite accepts)."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Ballot] = {}
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            sql = f"SELECT {COLUMNS} FROM ballots WHERE id IN ({','.join('?' * len(part))})"
            for row in self.conn.execute(sql, part):
                found[row[0]] = ballot_from_row(row)
        return found

    def ballot(self, ballot_id: str) -> Ballot | None:
        row = self.conn.execute(f"SELECT {COLUMNS} FROM ballots WHERE id = ?", [ballot_id]).fetchone()
        return ballot_from_row(row) if row else None

    def ballots(
        self,
        election_id: str | None = None,
        *,
        status: BallotStatus | None = None,
        include_test: bool = False,
        include_held: bool = False,
    ) -> Iterator[Ballot]:
        """Ballots ordered by id (random), never by arrival; held ballots only when asked."""
        eid = election_id or self.election().id
        sql = f"SELECT {COLUMNS} FROM ballots WHERE election = ?"
        args: list[Any] = [eid]
        if not include_held:
            sql += " AND id NOT IN (SELECT ballot_id FROM holds)"
        if status is not None:
            sql += " AND status = ?"
            args.append(status.value)
        if not include_test:
            sql += " AND test = 0"
        for row in self.conn.execute(sql + " ORDER BY id", args):
            yield ballot_from_row(row)

    def counted_groups(self, election_id: str | None = None) -> list[Group]:
        """The counted official ballots (held copies aside) as groups of identical selections per
        channel: one GROUP BY, what `urne tally` counts without building every ballot."""
        eid = election_id or self.election().id
        rows = self.conn.execute(
            "SELECT selection, channel, count(*) FROM ballots WHERE election = ? AND test = 0 AND status = 'counted'"
            " AND id NOT IN (SELECT ballot_id FROM holds) GROUP BY selection, channel",
            [eid],
        ).fetchall()
        return [Group({k: tuple(v) for k, v in json.loads(sel).items()}, channel, n) for sel, channel, n in rows]

    def statuses(self, election_id: str | None = None) -> dict[str, int]:
        """Official ballots per status, held copies aside (as `ballots()` lists them)."""
        eid = election_id or self.election().id
        return dict(
            self.conn.execute(
                "SELECT status, count(*) FROM ballots WHERE election = ? AND test = 0"
                " AND id NOT IN (SELECT ballot_id FROM holds) GROUP BY status",
                [eid],
            ).fetchall()
        )

    def set_status(
        self,
        ballot_id: str,
        status: BallotStatus,
        *,
        actor: str,
        selection: Mapping[str, tuple[str, ...]] | None = None,
        note: str = "",
    ) -> None:
        """A person's decision on a ballot (review, spoil); audited, re-queued for sync."""
        with self.transaction() as db:
            if selection is not None:
                db.execute(
                    "UPDATE ballots SET status = ?, selection = ? WHERE id = ?",
                    [status.value, selection_json(selection), ballot_id],
                )
            else:
                db.execute("UPDATE ballots SET status = ? WHERE id = ?", [status.value, ballot_id])
            db.execute("INSERT OR REPLACE INTO outbox (kind, key, state) VALUES ('ballot', ?, 'pending')", [ballot_id])
            audit.append(db, actor, "ballot." + status.value, {"ballot": ballot_id, "note": note})

    def hold(self, db: Database, ballot_id: str, reason: str) -> None:
        """Hold a ballot aside (inside the caller's transaction); it stops counting."""
        db.execute("INSERT OR IGNORE INTO holds (ballot_id, reason) VALUES (?, ?)", [ballot_id, reason])

    def release(self, db: Database, ballot_id: str) -> None:
        db.execute("DELETE FROM holds WHERE ballot_id = ?", [ballot_id])

    def held(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT ballot_id, reason FROM holds").fetchall())

    # -- register (the rest in ballots/store_register.py) ----------------------------------

    def visits_here(self, election_id: str) -> tuple[int, int]:
        """(register entries made on this device, its kiosk ballots): they differ by the visits a
        kill cut between the register commit and the ballot commit (see ballots.casting)."""
        entries = self.conn.execute(
            "SELECT count(*) FROM register WHERE election = ? AND origin = ?", [election_id, self.device]
        ).fetchone()[0]
        ballots = self.conn.execute(
            "SELECT count(*) FROM ballots WHERE election = ? AND channel = 'kiosk' AND device = ? AND test = 0",
            [election_id, self.device],
        ).fetchone()[0]
        return int(entries), int(ballots)

    # -- counts ----------------------------------------------------------------------------

    def counts(self, election_id: str | None = None) -> Counts:
        eid = election_id or self.election().id
        by_channel = dict(
            self.conn.execute(
                "SELECT channel, count(*) FROM ballots WHERE election = ? AND test = 0 AND status = 'counted' "
                "AND id NOT IN (SELECT ballot_id FROM holds) GROUP BY channel",
                [eid],
            ).fetchall()
        )
        by_status = dict(
            self.conn.execute(
                "SELECT status, count(*) FROM ballots WHERE election = ? AND test = 0 GROUP BY status", [eid]
            ).fetchall()
        )
        register = self.conn.execute("SELECT count(*) FROM register WHERE election = ?", [eid]).fetchone()[0]
        return Counts(sum(by_channel.values()), register, by_channel, by_status)

    def counts_by_device(self, election_id: str | None = None) -> dict[tuple[str, str], int]:
        """Official ballots per (device, channel), whatever their status (the hub's dashboard)."""
        eid = election_id or self.election().id
        rows = self.conn.execute(
            "SELECT device, channel, count(*) FROM ballots WHERE election = ? AND test = 0 GROUP BY device, channel",
            [eid],
        )
        return {(dev, ch): int(n) for dev, ch, n in rows}

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    def quick_check(self) -> None:
        """StoreDamaged unless SQLite's quick_check passes (run before any result leaves Urne)."""
        try:
            rows = [r[0] for r in self.conn.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as exc:
            raise StoreDamaged(str(self.path), str(exc)) from exc
        if rows != ["ok"]:
            raise StoreDamaged(str(self.path), "; ".join(rows[:3]))
