"""The id a paper ballot is stored under: a keyed hash of its printed serial, never the serial.

Whoever hands out a ballot can read its serial, printed in clear beside the QR code. If the
ballot were stored under that serial, noting it would let them find the voter's choices in any
copy of the store, in a bundle or at the hub. The stored id is HMAC-SHA256(election secret,
serial): the scan station, which has the key folder, computes it from the sheet; without the key
the id says nothing about the serial.

Contract: `ballot_id(secret, serial)` is deterministic (every scan station of one election
computes the same id, so copies of a ballot merge); `serials_by_id(store)` maps this station's
ballot ids back to the serials it issued (for the review screen and the procès-verbal, which
name the sheet to find in the box), empty where the key folder is absent.
"""

from __future__ import annotations

import hashlib
import hmac

from ballots.errors import KeyMissing
from ballots.store import Store

PREFIX = "pap-"


def ballot_id(secret: bytes, serial: str) -> str:
    digest = hmac.new(secret, b"urne/paper-ballot-id|" + serial.encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:32]


def for_store(store: Store, serial: str) -> str:
    return ballot_id(store.election_secret(), serial)


def serials_by_id(store: Store) -> dict[str, str]:
    try:
        secret = store.election_secret()
    except KeyMissing:
        return {}
    try:
        rows = store.conn.execute("SELECT serial FROM paper_issued").fetchall()
    except Exception:  # noqa: BLE001 - no paper table: nothing was ever issued here
        return {}
    return {ballot_id(secret, serial): serial for (serial,) in rows}


def serial_of(store: Store, stored_id: str) -> str:
    """The printed serial of a stored paper ballot, or the id itself when it is not one of ours."""
    if not stored_id.startswith(PREFIX):
        return stored_id
    return serials_by_id(store).get(stored_id, stored_id)
