"""Durable SQLite store: one file per data dir, one writer connection, WAL + synchronous=FULL.

Contract:
- `cast()` returns only after COMMIT with synchronous=FULL: a returned ballot survives a killed
  process and a power cut. Anything raised means nothing was written.
- Ballots, register entries and the outbox are WITHOUT ROWID tables keyed by random ids, and
  carry the day only, so neither storage order nor timestamps give away the order of votes.
- Other packages keep their own tables with their own `Migrations` set, applied by `ensure()`.
"""

from __future__ import annotations

import json
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

from ballots import audit
from ballots.ballot import Ballot, BallotStatus, Channel, today
from ballots.election import Election, from_dict, to_dict
from ballots.errors import AlreadyRegistered, NoElection, PollsNotOpen
from ballots.register import Identity, fingerprint
from ballots.tally import Group

DB_NAME = "urne.sqlite"

MIGRATIONS = Migrations("ballots")


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


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


class Store:
    """The one writer of a data dir. Thread-safe: every write goes through one lock."""

    def __init__(self, data_dir: str | os.PathLike[str], *, device: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / DB_NAME
        self.conn = _connect(self.path)
        self.db = Database(self.conn)
        self._lock = threading.RLock()
        self.ensure(MIGRATIONS)
        self.device = device or self._device_id()

    # -- plumbing --------------------------------------------------------------------------

    def ensure(self, migrations: Migrations) -> None:
        """Create or upgrade another package's tables (paper, sync) in this same file."""
        with self._lock:
            migrations.apply(self.db)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        with self._lock, self.db.atomic():
            yield self.db

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

    def log(self, actor: str, action: str, detail: Mapping[str, Any] | None = None) -> audit.AuditEntry:
        with self.transaction() as db:
            return audit.append(db, actor, action, detail)

    # -- elections -------------------------------------------------------------------------

    def install_election(self, election: Election, *, secret: bytes | None = None, actor: str = "cli") -> None:
        """Install (or replace the definition of) an election and make it the current one.

        `secret` keys paper-ballot MACs and register fingerprints; every device of one election
        must share it (see `election_secret`), so it is kept when the election is reinstalled.
        """
        definition = json.dumps(to_dict(election), ensure_ascii=False, sort_keys=True)
        with self.transaction() as db:
            row = db.execute("SELECT secret FROM elections WHERE id = ?", [election.id]).fetchone()
            key = secret.hex() if secret else (row[0] if row else pysecrets.token_hex(32))
            db.execute(
                "INSERT OR REPLACE INTO elections (id, definition, fingerprint, secret, installed_day) VALUES (?, ?, ?, ?, ?)",
                [election.id, definition, election.fingerprint, key, today()],
            )
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('current_election', ?)", [election.id])
            audit.append(db, actor, "election.install", {"election": election.id, "fingerprint": election.fingerprint})

    def election(self, election_id: str | None = None) -> Election:
        eid = election_id or self.get_meta("current_election")
        if eid is None:
            raise NoElection(str(self.data_dir))
        row = self.conn.execute("SELECT definition FROM elections WHERE id = ?", [eid]).fetchone()
        if row is None:
            raise NoElection(str(self.data_dir))
        return from_dict(json.loads(row[0]))

    def has_election(self) -> bool:
        return self.get_meta("current_election") is not None

    def election_secret(self, election_id: str | None = None) -> bytes:
        eid = election_id or self.election().id
        row = self.conn.execute("SELECT secret FROM elections WHERE id = ?", [eid]).fetchone()
        if row is None:
            raise NoElection(str(self.data_dir))
        return bytes.fromhex(row[0])

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
                {"election": eid, "from": before.value, "ballots": counts.ballots, "register": counts.register},
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
            db.execute(
                "INSERT OR REPLACE INTO outbox (kind, key, state, attempts) VALUES ('ballot', ?, 'pending', 0)",
                [ballot_id],
            )
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
