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
"""

from __future__ import annotations

import errno
import json
import logging
import os
import secrets as pysecrets
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
from ballots.ballot import Ballot, BallotStatus, Channel, today
from ballots.election import Election, from_dict, to_dict
from ballots.errors import (
    AlreadyRegistered,
    DefinitionChanged,
    DiskFull,
    IntegrityFailed,
    NoElection,
    PollsNotOpen,
    StoreBusy,
    StoreDamaged,
    StoreReadOnly,
    UrneError,
)
from ballots.keys import Head, KeyRing, check_key, keys_dir_for
from ballots.register import Identity, fingerprint
from ballots.tally import Group

DB_NAME = "urne.sqlite"
BUSY_TIMEOUT_MS = 30_000


MIGRATIONS = Migrations("ballots")
logger = logging.getLogger(__name__)


@MIGRATIONS()
def m001_core(db: Database) -> None:
    db.execute(
        """CREATE TABLE elections (
            id TEXT PRIMARY KEY,
            definition TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            secret TEXT NOT NULL,
            installed_day TEXT NOT NULL)"""
    )
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """CREATE TABLE ballots (
            id TEXT PRIMARY KEY,
            election TEXT NOT NULL,
            channel TEXT NOT NULL,
            device TEXT NOT NULL,
            selection TEXT NOT NULL,
            status TEXT NOT NULL,
            reasons TEXT NOT NULL DEFAULT '[]',
            day TEXT NOT NULL,
            test INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX ballots_election ON ballots (election, status)")
    db.execute(
        """CREATE TABLE register (
            fingerprint TEXT NOT NULL,
            election TEXT NOT NULL,
            mode TEXT NOT NULL,
            origin TEXT NOT NULL,
            day TEXT NOT NULL,
            PRIMARY KEY (election, fingerprint)) WITHOUT ROWID"""
    )
    # Transactional outbox: a row per thing to deliver, written with the thing itself.
    db.execute(
        """CREATE TABLE outbox (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (kind, key)) WITHOUT ROWID"""
    )
    audit.create_table(db)


@MIGRATIONS()
def m002_holds(db: Database) -> None:
    # A ballot held aside for a person (e.g. two devices sent different copies): it does not
    # count, whatever its status, until the hold is released.
    db.execute("CREATE TABLE holds (ballot_id TEXT PRIMARY KEY, reason TEXT NOT NULL) WITHOUT ROWID")


@MIGRATIONS()
def m003_no_vote_order(db: Database) -> None:
    # outbox.attempts counted sync rounds per row: while the hub was unreachable it dated every
    # vote (issue 17). Delivery is now all-or-nothing per kind (see the module docstring).
    db.execute("ALTER TABLE outbox DROP COLUMN attempts")


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


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
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


def _is_readonly(path: Path) -> bool:
    if path.exists():
        return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
    return path.parent.exists() and not os.access(path.parent, os.W_OK)


class Store:
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
        self.readonly = _is_readonly(self.path) if readonly is None else readonly
        self.keys = KeyRing(Path(keys_dir) if keys_dir else keys_dir_for(self.data_dir))
        try:
            if not self.readonly:
                self.data_dir.mkdir(parents=True, exist_ok=True)
            elif not self.path.exists():
                raise NoElection(str(self.data_dir))
            self.conn = _connect(self.path, readonly=self.readonly)
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
                "ballots", "the ballots were changed outside Urne (added, removed or edited since the last write)"
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

    # -- elections -------------------------------------------------------------------------

    def install_election(
        self, election: Election, *, secret: bytes | None = None, actor: str = "cli", force: bool = False
    ) -> None:
        """Install (or replace the definition of) an election and make it the current one.

        `secret` (32 bytes) keys paper-ballot MACs and register fingerprints; every device of one
        election must share it, so it is kept when the election is reinstalled. It is written
        to the key folder, never to this file. Once the election has ballots, another
        definition or another key is refused (DefinitionChanged) unless `force`, and then
        audited as such.
        """
        if secret is not None:
            check_key(secret)
        definition = json.dumps(to_dict(election), ensure_ascii=False, sort_keys=True)
        with self.transaction() as db:
            row = db.execute("SELECT fingerprint FROM elections WHERE id = ?", [election.id]).fetchone()
            had_key = self.keys.has_election_secret(election.id)
            ballots = db.execute("SELECT count(*) FROM ballots WHERE election = ?", [election.id]).fetchone()[0]
            changed: list[str] = []
            if row is not None and row[0] != election.fingerprint:
                changed.append("definition")
            if secret is not None and had_key and self.keys.election_secret(election.id) != secret:
                changed.append("key")
            if changed and ballots and not force:
                raise DefinitionChanged(election.id, " and ".join(changed), int(ballots))
            if secret is not None or not had_key:
                self.keys.set_election_secret(election.id, secret or pysecrets.token_bytes(32))
            db.execute(
                "INSERT OR REPLACE INTO elections (id, definition, fingerprint, secret, installed_day) VALUES (?, ?, ?, '', ?)",
                [election.id, definition, election.fingerprint, today()],
            )
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('current_election', ?)", [election.id])
            detail: dict[str, Any] = {"election": election.id, "fingerprint": election.fingerprint}
            if changed:
                detail.update(changed=changed, ballots=int(ballots), forced=bool(ballots))
            audit.append(db, actor, "election.install", detail)

    def election(self, election_id: str | None = None) -> Election:
        """The election, its definition checked against the fingerprint written at install."""
        eid = election_id or self.get_meta("current_election")
        if eid is None:
            raise NoElection(str(self.data_dir))
        row = self.conn.execute("SELECT definition, fingerprint FROM elections WHERE id = ?", [eid]).fetchone()
        if row is None:
            raise NoElection(str(self.data_dir))
        election = from_dict(json.loads(row[0]))
        installed = self._installed_fingerprint(eid)
        if election.fingerprint != row[1] or (installed is not None and installed != election.fingerprint):
            raise IntegrityFailed(
                "election",
                f"the definition of '{eid}' was changed outside Urne (fingerprint {election.fingerprint[:12]})",
            )
        return election

    def _installed_fingerprint(self, election_id: str) -> str | None:
        for (detail,) in self.conn.execute(
            "SELECT detail FROM audit WHERE action = 'election.install' ORDER BY seq DESC"
        ):
            data = json.loads(detail)
            if data.get("election") == election_id:
                return str(data.get("fingerprint"))
        return None

    def has_election(self) -> bool:
        return self.get_meta("current_election") is not None

    def election_secret(self, election_id: str | None = None) -> bytes:
        """The election's 32-byte secret, from the key folder (KeyMissing when not there)."""
        eid = election_id or self.election().id
        return self.keys.election_secret(eid)

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
        db.execute(f"{verb} INTO ballots ({_COLUMNS}) VALUES ({_MARKS})", ballot_to_row(b))
        db.execute(f"{verb} INTO outbox (kind, key) VALUES ('ballot', ?)", [b.id])

    def insert_ballots(self, db: Database, ballots: Iterable[Ballot]) -> int:
        """Add new ballots inside the caller's transaction (a merge), in id order: the rows'
        physical order then follows their random ids, never their arrival. No outbox row: the
        caller decides what is forwarded."""
        rows = sorted(ballot_to_row(b) for b in ballots)
        db.conn.executemany(f"INSERT INTO ballots ({_COLUMNS}) VALUES ({_MARKS})", rows)
        return len(rows)

    def replace_ballots(self, db: Database, ballots: Iterable[Ballot]) -> None:
        """Overwrite stored ballots by id with these copies (a decision taken elsewhere, a
        resolved conflict), inside the caller's transaction."""
        sets = ", ".join(f"{c} = ?" for c in BALLOT_COLUMNS[1:])
        db.conn.executemany(
            f"UPDATE ballots SET {sets} WHERE id = ?", [row[1:] + row[:1] for row in map(ballot_to_row, ballots)]
        )

    def set_reasons(self, db: Database, ballot_id: str, reasons: Sequence[str]) -> None:
        """Replace a ballot's reasons (a re-read found new ones), inside the caller's transaction."""
        db.execute("UPDATE ballots SET reasons = ? WHERE id = ?", [json.dumps(list(reasons)), ballot_id])

    def ballots_by_id(self, ids: Iterable[str]) -> dict[str, Ballot]:
        """The stored ballots among `ids` (any number: read in chunks SQLite accepts)."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Ballot] = {}
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            sql = f"SELECT {_COLUMNS} FROM ballots WHERE id IN ({','.join('?' * len(part))})"
            for row in self.conn.execute(sql, part):
                found[row[0]] = ballot_from_row(row)
        return found

    def ballot(self, ballot_id: str) -> Ballot | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM ballots WHERE id = ?", [ballot_id]).fetchone()
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
        sql = f"SELECT {_COLUMNS} FROM ballots WHERE election = ?"
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
                    [status.value, _selection_json(selection), ballot_id],
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

    # -- register --------------------------------------------------------------------------

    def register_voter(
        self, *, identity: Identity | None = None, origin: str | None = None, election_id: str | None = None
    ) -> str:
        """Add a register entry; AlreadyRegistered if this identity is already there.

        Attest mode (no identity) stores a random id: it only counts voters.
        """
        election = self.election(election_id)
        fp = fingerprint(self.election_secret(election.id), identity) if identity else "att-" + uuid.uuid4().hex
        mode = "identity" if identity else "attest"
        with self.transaction() as db:
            row = db.execute(
                "SELECT origin FROM register WHERE election = ? AND fingerprint = ?", [election.id, fp]
            ).fetchone()
            if row is not None:
                raise AlreadyRegistered(election.id, row[0])
            db.execute(
                "INSERT INTO register (fingerprint, election, mode, origin, day) VALUES (?, ?, ?, ?, ?)",
                [fp, election.id, mode, origin or self.device, today()],
            )
            db.execute("INSERT INTO outbox (kind, key) VALUES ('register', ?)", [f"{election.id}:{fp}"])
        return fp

    def unregister(self, fp: str, *, election_id: str | None = None, actor: str, reason: str) -> None:
        """Take an entry out of the register (a visit whose ballot could not be stored); audited
        without the fingerprint, so the log does not name the voter either."""
        eid = election_id or self.election().id
        with self.transaction() as db:
            gone = db.execute("DELETE FROM register WHERE election = ? AND fingerprint = ?", [eid, fp]).rowcount
            db.execute("DELETE FROM outbox WHERE kind = 'register' AND key = ?", [f"{eid}:{fp}"])
            if gone:
                audit.append(db, actor, "register.undo", {"election": eid, "reason": reason})

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

    def an_entry_here(self, election_id: str) -> str | None:
        """Any one register entry of this device (attestations are interchangeable)."""
        row = self.conn.execute(
            "SELECT fingerprint FROM register WHERE election = ? AND origin = ? LIMIT 1", [election_id, self.device]
        ).fetchone()
        return str(row[0]) if row else None

    def is_registered(self, identity: Identity, election_id: str | None = None) -> bool:
        eid = election_id or self.election().id
        fp = fingerprint(self.election_secret(eid), identity)
        return (
            self.conn.execute("SELECT 1 FROM register WHERE election = ? AND fingerprint = ?", [eid, fp]).fetchone()
            is not None
        )

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


# -- the one row codec of the `ballots` table -------------------------------------------------
# Every read and write of a ballot row goes through these two functions (and the Store methods
# above); sync/merge.py and the paper reader call the methods, never SQL on this table.

BALLOT_COLUMNS = ("id", "election", "channel", "device", "selection", "status", "reasons", "day", "test")
_COLUMNS = ", ".join(BALLOT_COLUMNS)
_MARKS = ", ".join("?" * len(BALLOT_COLUMNS))


def _selection_json(selection: Mapping[str, Sequence[str]]) -> str:
    return json.dumps({k: list(v) for k, v in selection.items()}, separators=(",", ":"))


def ballot_to_row(b: Ballot) -> list[Any]:
    """A ballot as a row of `ballots`, in `BALLOT_COLUMNS` order."""
    return [
        b.id,
        b.election,
        b.channel.value,
        b.device,
        _selection_json(b.selection),
        b.status.value,
        json.dumps(list(b.reasons)),
        b.day,
        int(b.test),
    ]


def ballot_from_row(row: Sequence[Any]) -> Ballot:
    bid, election, channel, device, selection, status, reasons, day, test = row
    return Ballot(
        id=bid,
        election=election,
        channel=Channel(channel),
        device=device,
        selection={k: tuple(v) for k, v in json.loads(selection).items()},
        status=BallotStatus(status),
        reasons=tuple(json.loads(reasons)),
        day=day,
        test=bool(test),
    )


_row_to_ballot = ballot_from_row  # the former name
