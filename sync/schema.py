"""The sync tables, kept in the device's own store file under their own migration set.

Secrecy: every table here is WITHOUT ROWID and keyed by random ids or hashes, carries the day
only, and never joins a register entry to a ballot.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ballots.store import Store

MIGRATIONS = Migrations("sync")


@MIGRATIONS()
def m001_sync(db: Database) -> None:
    # Devices a consolidating machine (hub, town-hall laptop) trusts: their public keys and,
    # for the hub, the SHA-256 of their bearer token (the token itself is shown once).
    db.execute(
        """CREATE TABLE sync_devices (
            device TEXT PRIMARY KEY,
            public_key TEXT NOT NULL,
            token_sha256 TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL DEFAULT '',
            enrolled_day TEXT NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID"""
    )
    # USB bundles already imported: refuses replays, makes a second import a no-op.
    db.execute(
        """CREATE TABLE sync_bundles (
            bundle_id TEXT PRIMARY KEY,
            device TEXT NOT NULL,
            seq INTEGER NOT NULL,
            election TEXT NOT NULL,
            imported_day TEXT NOT NULL,
            summary TEXT NOT NULL) WITHOUT ROWID"""
    )
    # Same ballot id, different content: both kept, neither counted, a person decides.
    db.execute(
        """CREATE TABLE sync_conflicts (
            ballot_id TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            election TEXT NOT NULL,
            content TEXT NOT NULL,
            delivered_by TEXT NOT NULL,
            day TEXT NOT NULL,
            resolution TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (ballot_id, content_sha256)) WITHOUT ROWID"""
    )
    # The origins under which one voter fingerprint arrived, recorded only when there are two.
    db.execute(
        """CREATE TABLE sync_voter_origins (
            election TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            origin TEXT NOT NULL,
            PRIMARY KEY (election, fingerprint, origin)) WITHOUT ROWID"""
    )
    # Hub: the first response per (device, idempotency key), with the hash of its request.
    db.execute(
        """CREATE TABLE sync_idempotency (
            device TEXT NOT NULL,
            key TEXT NOT NULL,
            request_sha256 TEXT NOT NULL,
            response TEXT NOT NULL,
            day TEXT NOT NULL,
            PRIMARY KEY (device, key)) WITHOUT ROWID"""
    )
    # Additive exports (Decidim): what was already exported per choice, to send only the change.
    db.execute(
        """CREATE TABLE sync_exported (
            election TEXT NOT NULL,
            target TEXT NOT NULL,
            question TEXT NOT NULL,
            choice TEXT NOT NULL,
            votes INTEGER NOT NULL,
            PRIMARY KEY (election, target, question, choice)) WITHOUT ROWID"""
    )


@MIGRATIONS()
def m002_device_state(db: Database) -> None:
    # Where a station stands (shown on the hub's dashboard), and what the hub last heard from it:
    # when it last delivered (overwritten at each batch, so it orders no ballot) and what it
    # said it still had to send.
    db.execute("ALTER TABLE sync_devices ADD COLUMN place TEXT NOT NULL DEFAULT ''")
    db.execute(
        """CREATE TABLE sync_device_state (
            device TEXT PRIMARY KEY,
            last_seen TEXT,
            backlog INTEGER NOT NULL DEFAULT 0,
            batches INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID"""
    )


@MIGRATIONS()
def m003_export_files(db: Database) -> None:
    # Every additive export file written (Decidim), by its SHA-256: the totals it brings the
    # platform to, from which confirmed totals. sync_exported then holds what staff CONFIRMED
    # was imported (status 'imported'); a newer file replaces an unconfirmed one ('superseded').
    db.execute(
        """CREATE TABLE sync_export_files (
            sha256 TEXT PRIMARY KEY,
            election TEXT NOT NULL,
            target TEXT NOT NULL,
            question TEXT NOT NULL,
            day TEXT NOT NULL,
            base TEXT NOT NULL,
            totals TEXT NOT NULL,
            status TEXT NOT NULL) WITHOUT ROWID"""
    )


@MIGRATIONS()
def m004_record_signatures(db: Database) -> None:
    # Signatures of ballot records made by other devices, kept to relay them (sync.provenance).
    # Keyed by the record's hash: no order, no link to a voter.
    db.execute(
        """CREATE TABLE sync_record_sigs (
            record_sha256 TEXT PRIMARY KEY,
            signature TEXT NOT NULL) WITHOUT ROWID"""
    )


@MIGRATIONS()
def m005_staff(db: Database) -> None:
    # The hub dashboard's per-person staff accounts (sync.staffstore): scrypt hashes only.
    db.execute(
        """CREATE TABLE sync_staff (
            name TEXT PRIMARY KEY,
            password TEXT NOT NULL,
            created_day TEXT NOT NULL) WITHOUT ROWID"""
    )


def ensure(store: Store) -> Store:
    store.ensure(MIGRATIONS)
    return store
