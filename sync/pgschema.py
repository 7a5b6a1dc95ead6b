"""The PostgreSQL hub's schema: its migrations and how they are applied (sync/pghub.py).

Each migration runs in one transaction with its bookkeeping row, under an advisory lock: a
failing migration leaves the schema exactly as it was (transactional DDL), and two hub
processes starting together never both migrate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from sync.errors import MigrationError

ADVISORY_LOCK = 0x75726E65  # "urne": one migrator at a time across hub processes

MIGRATIONS: list[tuple[str, list[str]]] = [
    (
        "0001_hub",
        [
            """CREATE TABLE hub_election (
                id TEXT PRIMARY KEY,
                fingerprint TEXT NOT NULL,
                definition TEXT NOT NULL,
                polls TEXT NOT NULL DEFAULT 'not_opened',
                installed_day TEXT NOT NULL)""",
            # Secrecy: keyed by random ids; the day only. (See README "Known limits": PostgreSQL
            # keeps each row's inserting transaction id, so batches of one are ordered.)
            """CREATE TABLE ballots (
                id TEXT PRIMARY KEY,
                election TEXT NOT NULL,
                channel TEXT NOT NULL,
                device TEXT NOT NULL,
                selection TEXT NOT NULL,
                status TEXT NOT NULL,
                reasons TEXT NOT NULL DEFAULT '[]',
                day TEXT NOT NULL,
                test BOOLEAN NOT NULL DEFAULT FALSE)""",
            "CREATE INDEX ballots_election ON ballots (election, status)",
            """CREATE TABLE register (
                election TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                mode TEXT NOT NULL,
                origin TEXT NOT NULL,
                day TEXT NOT NULL,
                PRIMARY KEY (election, fingerprint))""",
            """CREATE TABLE sync_conflicts (
                ballot_id TEXT NOT NULL,
                content_sha256 TEXT NOT NULL,
                election TEXT NOT NULL,
                content TEXT NOT NULL,
                delivered_by TEXT NOT NULL,
                day TEXT NOT NULL,
                resolution TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (ballot_id, content_sha256))""",
            "CREATE INDEX sync_conflicts_open ON sync_conflicts (election) WHERE resolution = ''",
            """CREATE TABLE sync_voter_origins (
                election TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                origin TEXT NOT NULL,
                PRIMARY KEY (election, fingerprint, origin))""",
            """CREATE TABLE sync_idempotency (
                device TEXT NOT NULL,
                key TEXT NOT NULL,
                request_sha256 TEXT NOT NULL,
                response TEXT NOT NULL,
                day TEXT NOT NULL,
                PRIMARY KEY (device, key))""",
            """CREATE TABLE sync_devices (
                device TEXT PRIMARY KEY,
                public_key TEXT NOT NULL,
                token_sha256 TEXT NOT NULL DEFAULT '',
                name TEXT NOT NULL DEFAULT '',
                place TEXT NOT NULL DEFAULT '',
                enrolled_day TEXT NOT NULL,
                revoked BOOLEAN NOT NULL DEFAULT FALSE)""",
            "CREATE INDEX sync_devices_token ON sync_devices (token_sha256)",
            # What the dashboard shows per station: when it last delivered, what it still holds.
            """CREATE TABLE sync_device_state (
                device TEXT PRIMARY KEY,
                last_seen TIMESTAMPTZ,
                backlog INTEGER NOT NULL DEFAULT 0,
                batches INTEGER NOT NULL DEFAULT 0)""",
        ],
    ),
    (
        "0002_settings",
        [
            # Hub-wide settings every hub process shares: the staff password's scrypt hash, the
            # key that signs dashboard sessions (so a login holds behind any hub process).
            "CREATE TABLE hub_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ],
    ),
]


def migrate(conn: psycopg.Connection[Any], migrations: Sequence[tuple[str, list[str]]] = MIGRATIONS) -> list[str]:
    """Apply the migrations not yet applied; each in its own transaction with its bookkeeping
    row, so a failure rolls the whole migration back. Returns the names applied."""
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
        conn.execute(
            "CREATE TABLE IF NOT EXISTS urne_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)"
        )
        done = {r[0] for r in conn.execute("SELECT name FROM urne_migrations")}
        for name, statements in migrations:
            if name in done:
                continue
            try:
                with conn.transaction():  # a savepoint: this migration entirely or not at all
                    for sql in statements:
                        conn.execute(sql)  # type: ignore[arg-type]
                    conn.execute("INSERT INTO urne_migrations (name, applied_at) VALUES (%s, now())", [name])
            except psycopg.Error as exc:
                raise MigrationError(name, str(exc).splitlines()[0]) from exc
            applied.append(name)
    return applied
