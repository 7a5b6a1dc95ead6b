"""Provenance: every ballot record carries the signature of the device that made it.

A ballot's `device` and `channel` are what the device that read or cast it says, signed with
that device's Ed25519 key over the whole record (id, election, channel, device, selection,
status, reasons, day, test). A consolidating machine (the hub, a town-hall laptop) accepts a
record only with a valid signature by the enrolled key of the device the record names; so a
kiosk's token or bundle cannot add "paper" ballots under a scan station's name, nor replace a
scan station's review ballot with a forged decision, and a relay (a town-hall laptop that
imported USB bundles) passes on each record with its original signature, which it cannot make.

Register entries are signed the same way by the device they name as their origin (domain
"urne-register/1", over the 5 fields of `merge.register_to_wire`; the signature is a 6th
field): an enrolled device cannot add register entries under another origin (which would
make real voters look like duplicates, or pad another station's register).

Wire form: the 9 fields of `merge.ballot_to_wire` plus the signature (hex) as a 10th.
Signatures of records made elsewhere are kept (`sync_record_sigs`, keyed by the record's
SHA-256) so they can be relayed; Ed25519 signatures are deterministic, so a batch resent is
byte-identical (its Idempotency-Key does not change).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ballots.ballot import Ballot
from ballots.election import Election
from ballots.store import Store
from sync import devices, merge, schema
from sync.record_refusals import RecordKind, RecordRefusal, RefusedRecord

DOMAIN = b"urne-ballot/1\n"
REGISTER_DOMAIN = b"urne-register/1\n"

# Reasons a record is refused (with the record's id in the import / hub report; French words
# in sync.record_refusals).
UNSIGNED = RecordRefusal.UNSIGNED
NOT_ENROLLED = RecordRefusal.NOT_ENROLLED
FORGED = RecordRefusal.FORGED


def record_bytes(b: Ballot) -> bytes:
    return DOMAIN + json.dumps(merge.ballot_to_wire(b), sort_keys=True, separators=(",", ":")).encode()


def record_sha(b: Ballot) -> str:
    return hashlib.sha256(record_bytes(b)).hexdigest()


def sign(me: devices.DeviceIdentity, b: Ballot) -> str:
    return me.sign(record_bytes(b)).hex()


def register_bytes(e: merge.RegisterEntry) -> bytes:
    return REGISTER_DOMAIN + json.dumps(merge.register_to_wire(e), separators=(",", ":")).encode()


def register_sha(e: merge.RegisterEntry) -> str:
    return hashlib.sha256(register_bytes(e)).hexdigest()


def sign_register(me: devices.DeviceIdentity, e: merge.RegisterEntry) -> str:
    return me.sign(register_bytes(e)).hex()


def _kept_signature(store: Store, record_sha256: str) -> str | None:
    """The signature a relayed record arrived with, kept to pass it on (None: it came unsigned)."""
    row = store.conn.execute(
        "SELECT signature FROM sync_record_sigs WHERE record_sha256 = ?", [record_sha256]
    ).fetchone()
    return None if row is None else str(row[0])


@dataclass(frozen=True)
class _Kind:
    """What differs between a ballot record and a register entry on the wire: everything else
    (who signs, what a receiver checks, what a relay keeps) is one rule for both."""

    fields: int  # wire fields before the signature
    to_wire: Callable[[Any], list[Any]]
    from_wire: Callable[[Any], Any]
    data: Callable[[Any], bytes]  # the signed bytes
    origin: Callable[[Any], str]  # the device that must have signed it
    kind: RecordKind
    name: Callable[[Any], str]  # how a refusal names it
    keep_signature_field: bool  # passed on to merge with the signature (ballots) or without


BALLOT = _Kind(
    9,
    merge.ballot_to_wire,
    merge.ballot_from_wire,
    record_bytes,
    lambda b: b.device,
    RecordKind.BALLOT,
    lambda b: b.id,
    True,
)
REGISTER = _Kind(
    5,
    merge.register_to_wire,
    merge.register_from_wire,
    register_bytes,
    lambda e: e.origin,
    RecordKind.REGISTER,
    lambda e: e.fingerprint[:12],
    False,
)


def _signed(store: Store, records: Iterable[Any], kind: _Kind) -> list[list[Any]]:
    me = devices.identity(store)
    schema.ensure(store)
    out: list[list[Any]] = []
    for r in records:
        wire = kind.to_wire(r)
        data = kind.data(r)
        if kind.origin(r) == me.device:
            wire.append(me.sign(data).hex())
        else:
            relayed = _kept_signature(store, hashlib.sha256(data).hexdigest())
            if relayed is not None:
                wire.append(relayed)
        out.append(wire)
    return out


def signed_wire(store: Store, ballots: Iterable[Ballot]) -> list[list[Any]]:
    """Wire records for `ballots`: this device's own signed now, others' with the signature
    they arrived with (a record without one goes unsigned, and its receiver will say so)."""
    return _signed(store, ballots, BALLOT)


def signed_register_wire(store: Store, entries: Iterable[merge.RegisterEntry]) -> list[list[Any]]:
    """`signed_wire` for register entries."""
    return _signed(store, entries, REGISTER)


@dataclass
class Checked:
    """The records of one delivery that passed, the refusals, and the signatures to keep."""

    ballots: list[Sequence[Any]] = field(default_factory=list)
    refused: list[RefusedRecord] = field(default_factory=list)
    signatures: dict[str, str] = field(default_factory=dict)  # record sha256 -> signature hex


def _check(
    raws: Iterable[Any], kind: _Kind, key_of: Callable[[str], Ed25519PublicKey | None], sender: str | None
) -> Checked:
    out = Checked()
    cache: dict[str, Ed25519PublicKey | None] = {}
    for raw in raws:
        signed = isinstance(raw, (list, tuple)) and len(raw) == kind.fields + 1
        sig = raw[kind.fields] if signed else None
        try:
            r = kind.from_wire(raw[: kind.fields] if signed else raw)
        except (ValueError, TypeError):
            out.ballots.append(raw)  # merge refuses it with its own reason
            continue
        record = raw if kind.keep_signature_field else (raw[: kind.fields] if signed else raw)
        data = kind.data(r)
        well_formed = isinstance(sig, str) and len(sig) == 128
        if sender is not None and kind.origin(r) == sender:
            out.ballots.append(record)
            if well_formed:
                out.signatures[hashlib.sha256(data).hexdigest()] = str(sig)
            continue
        if not well_formed:
            out.refused.append(RefusedRecord.of(kind.kind, kind.name(r), UNSIGNED))
            continue
        origin = kind.origin(r)
        if origin not in cache:
            cache[origin] = key_of(origin)
        key = cache[origin]
        if key is None:
            out.refused.append(RefusedRecord.of(kind.kind, kind.name(r), NOT_ENROLLED, device=origin))
            continue
        try:
            key.verify(bytes.fromhex(str(sig)), data)
        except (InvalidSignature, ValueError):
            out.refused.append(RefusedRecord.of(kind.kind, kind.name(r), FORGED))
            continue
        out.ballots.append(record)
        out.signatures[hashlib.sha256(data).hexdigest()] = str(sig)
    return out


def check(
    raw_ballots: Iterable[Any], key_of: Callable[[str], Ed25519PublicKey | None], *, sender: str | None = None
) -> Checked:
    """Keep the records signed by the enrolled key of the device they name. Records that are
    not ballots at all are passed on for merge to refuse with its own reason.

    `sender`: the device that authenticated the whole delivery (its hub token, or its
    signature over the bundle). Its own records are bound to it already, so their signatures
    are kept unchecked (a relay forwards them; the next receiver checks them). Only records
    naming another device, relayed, cost an Ed25519 verification."""
    return _check(raw_ballots, BALLOT, key_of, sender)


def check_register(
    raw_register: Iterable[Any], key_of: Callable[[str], Ed25519PublicKey | None], *, sender: str | None = None
) -> Checked:
    """`check` for register entries (in `Checked.ballots`): the sender's own entries pass (its
    token or bundle signature binds them), an entry naming another origin needs that device's
    signature. Refusals are named "register <first 12 of the fingerprint>"."""
    return _check(raw_register, REGISTER, key_of, sender)


def public_key(hex_key: str | None) -> Ed25519PublicKey | None:
    if not hex_key:
        return None
    try:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(hex_key))
    except ValueError:
        return None


def store_keys(store: Store) -> Callable[[str], Ed25519PublicKey | None]:
    """The enrolled, non-revoked key of a device in `store` (None if there is none). The
    device's own key too: a relay that sends back what it received is no forger."""
    me = devices.identity(store)

    def key_of(device: str) -> Ed25519PublicKey | None:
        if device == me.device:
            return me.private_key.public_key()
        try:
            return devices.trusted_key(store, device)
        except Exception:  # DeviceError: not enrolled or revoked
            return None

    return key_of


def keep(db: Any, signatures: dict[str, str]) -> None:
    db.conn.executemany(
        "INSERT OR IGNORE INTO sync_record_sigs (record_sha256, signature) VALUES (?, ?)", sorted(signatures.items())
    )


def merge_signed(
    store: Store,
    election: Election,
    ballots: Iterable[Any],
    register: Iterable[Any] = (),
    *,
    delivered_by: str,
    sender: str | None = None,
    forward: bool = True,
) -> merge.MergeReport:
    """`merge.merge` of the records signed by the devices they name (the others refused in
    the report), keeping their signatures to relay them; one transaction. `sender`: see check."""
    key_of = store_keys(store)
    checked = check(ballots, key_of, sender=sender)
    entries = check_register(register, key_of, sender=sender)
    with store.transaction() as db:
        merged = merge.merge(
            store, election, checked.ballots, entries.ballots, delivered_by=delivered_by, forward=forward
        )
        keep(db, {**checked.signatures, **entries.signatures})
    return dataclasses.replace(merged, refused=tuple(checked.refused) + tuple(entries.refused) + merged.refused)
