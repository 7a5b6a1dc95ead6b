"""Device identity (Ed25519) and enrolment: whom a consolidating machine trusts.

Contract:
- `identity(store)` returns this device's id and key pair, creating the key on first use in
  `<data dir>/device.key` (PKCS#8 PEM, mode 0600). It never changes afterwards; losing the file
  means enrolling the device again, never losing ballots.
- `enrol(store, device, public_key)` makes a consolidating machine trust `device`; it returns a
  fresh bearer token for the hub (stored only as a SHA-256). Enrolling again rotates the token;
  enrolling a known device with a different key raises DeviceError (a person must revoke first).
- `trusted_key(store, device)` is the enrolled public key, or DeviceError naming why not.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ballots import audit
from ballots.ballot import today
from ballots.durable import atomic_write
from ballots.store import Store
from sync import schema
from sync.errors import DeviceError

KEY_FILE = "device.key"


@dataclass(frozen=True)
class DeviceIdentity:
    device: str
    private_key: Ed25519PrivateKey

    @property
    def public_key_hex(self) -> str:
        return public_hex(self.private_key.public_key())

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


@dataclass(frozen=True)
class EnrolledDevice:
    device: str
    public_key: str
    name: str
    enrolled_day: str
    revoked: bool


def public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def key_fingerprint(public_key_hex: str) -> str:
    """A short form officers can read aloud to compare keys: 4 groups of 4 hex digits."""
    h = hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:16]
    return " ".join(h[i : i + 4] for i in range(0, 16, 4))


def identity(store: Store) -> DeviceIdentity:
    path = Path(store.data_dir) / KEY_FILE
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise DeviceError(store.device, f"{path} n'est pas une clé Ed25519")
        return DeviceIdentity(store.device, key)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    atomic_write(path, pem, mode=0o600)
    store.log("sync", "device.key_created", {"device": store.device, "public_key": public_hex(key.public_key())})
    return DeviceIdentity(store.device, key)


def _token_sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_hex_key(device: str, public_key: str) -> str:
    try:
        raw = bytes.fromhex(public_key.strip())
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise DeviceError(
            device, "la clé publique doit avoir 64 chiffres hexadécimaux (affichée par 'urne device show')"
        ) from exc
    return raw.hex()


def enrol(store: Store, device: str, public_key: str, *, name: str = "", place: str = "", actor: str = "cli") -> str:
    key = _check_hex_key(device, public_key)
    schema.ensure(store)
    token = secrets.token_urlsafe(32)
    with store.transaction() as db:
        row = db.execute("SELECT public_key, revoked FROM sync_devices WHERE device = ?", [device]).fetchone()
        if row is not None and row[0] != key and not row[1]:
            raise DeviceError(device, "déjà inscrit avec une autre clé : révoquez-le d'abord")
        db.execute(
            "INSERT OR REPLACE INTO sync_devices (device, public_key, token_sha256, name, place, enrolled_day, revoked) "
            "VALUES (?, ?, ?, ?, ?, ?, 0)",
            [device, key, _token_sha(token), name, place, today()],
        )
        audit.append(db, actor, "device.enrol", {"device": device, "key": key_fingerprint(key)})
    return token


def revoke(store: Store, device: str, *, actor: str = "cli") -> None:
    schema.ensure(store)
    with store.transaction() as db:
        cur = db.execute("UPDATE sync_devices SET revoked = 1, token_sha256 = '' WHERE device = ?", [device])
        if cur.rowcount == 0:
            raise DeviceError(device, "pas inscrit ici")
        audit.append(db, actor, "device.revoke", {"device": device})


def devices(store: Store) -> list[EnrolledDevice]:
    schema.ensure(store)
    rows = store.conn.execute(
        "SELECT device, public_key, name, enrolled_day, revoked FROM sync_devices ORDER BY device"
    ).fetchall()
    return [EnrolledDevice(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]


def enrolled_with_tokens(store: Store) -> list[tuple[EnrolledDevice, str, str]]:
    """(device, token SHA-256, place) for each enrolled device: what a hub publishes to its database."""
    schema.ensure(store)
    rows = store.conn.execute(
        "SELECT device, public_key, name, enrolled_day, revoked, token_sha256, place FROM sync_devices ORDER BY device"
    ).fetchall()
    return [(EnrolledDevice(r[0], r[1], r[2], r[3], bool(r[4])), r[5], r[6]) for r in rows]


def trusted_key(store: Store, device: str) -> Ed25519PublicKey:
    schema.ensure(store)
    row = store.conn.execute("SELECT public_key, revoked FROM sync_devices WHERE device = ?", [device]).fetchone()
    if row is None:
        raise DeviceError(device, "pas inscrit sur cette machine ('urne device enrol' avec sa clé publique)")
    if row[1]:
        raise DeviceError(device, "son inscription a été révoquée")
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(row[0]))


def device_for_token(store: Store, token: str) -> str | None:
    """The enrolled, non-revoked device holding `token`, or None."""
    if not token:
        return None
    row = store.conn.execute(
        "SELECT device FROM sync_devices WHERE token_sha256 = ? AND revoked = 0", [_token_sha(token)]
    ).fetchone()
    return str(row[0]) if row else None


def verify(key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
