"""The store's voter register (part of `Store`, see ballots/store.py): entries added in the same
write transaction as their outbox row, taken out with an audit line that does not name the voter.
A mixin only to keep store.py to one screenful per room: `Store` is the one class callers use.
"""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from sqlite_utils import Database

from ballots import audit
from ballots.ballot import today
from ballots.election import Election
from ballots.errors import AlreadyRegistered
from ballots.register import Identity, fingerprint


class RegisterMethods:
    if TYPE_CHECKING:  # provided by Store
        conn: sqlite3.Connection
        device: str

        def transaction(self) -> AbstractContextManager[Database]: ...
        def election(self, election_id: str | None = None) -> Election: ...
        def election_secret(self, election_id: str | None = None) -> bytes: ...

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
