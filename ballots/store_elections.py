"""The store's elections (part of `Store`, see ballots/store.py): installing a definition with
its key kept in the key folder, and reading it back checked against its fingerprint.
A mixin only to keep store.py to one screenful per room: `Store` is the one class callers use.
"""

from __future__ import annotations

import json
import secrets as pysecrets
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from ballots import audit
from ballots.ballot import today
from ballots.election import Election, from_dict, to_dict
from ballots.errors import DefinitionChanged, IntegrityFailed, NoElection
from ballots.keys import KeyRing, check_key


class ElectionMethods:
    if TYPE_CHECKING:  # provided by Store
        conn: sqlite3.Connection
        data_dir: Path
        keys: KeyRing

        def transaction(self) -> AbstractContextManager[Database]: ...
        def get_meta(self, key: str, default: str | None = None) -> str | None: ...

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
                raise DefinitionChanged(election.id, "+".join(changed), int(ballots))
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
                f"la définition de « {eid} » a été modifiée hors d'Urne (empreinte {election.fingerprint[:12]})",
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
