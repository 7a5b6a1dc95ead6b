"""The store file's tables (`ballots/store.py`), as sqlite-utils migrations applied in order.

Other packages keep their own tables with their own `Migrations` set (paper, sync), applied
by `Store.ensure()`. A migration is never edited once landed: a change is a new migration.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ballots import audit

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


@MIGRATIONS()
def m003_no_vote_order(db: Database) -> None:
    # outbox.attempts counted sync rounds per row: while the hub was unreachable it dated every
    # vote (issue 17). Delivery is now all-or-nothing per kind (see the module docstring).
    db.execute("ALTER TABLE outbox DROP COLUMN attempts")
