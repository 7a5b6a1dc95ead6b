"""Secrets and anchors kept OUTSIDE the data folder, so a copy of that folder carries neither.

A data folder `DATA` has a key folder beside it, `DATA-keys` (or `$URNE_KEYS_DIR`), readable by
its owner only:
- `election-<id>.key`: the election's 32-byte secret (hex) shared by every device of the
  election. It keys register fingerprints (who voted), paper ballot MACs and the keyed ids of
  paper ballots. Whoever copies the data folder, a backup or a bundle cannot turn a name into
  a register entry or a printed serial into a stored ballot.
- `device.key`: this device's integrity key, which keys the ballot-set digest (plain SQL edits
  of ballots show at `urne audit verify`).
- `audit-head.json`: the last audit entry this device committed (seq and hash), written at each
  commit that adds one. A log whose last entries were deleted, or rewritten with the chain
  recomputed, no longer reaches this head.

Contract: `election_secret()` raises `KeyMissing` when the key is not there (a read-only copy
on another machine still tallies: nothing that counts needs a key). Keys are exactly 32 bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ballots import durable
from ballots.errors import BadKey, KeyMissing

KEY_BYTES = 32


def keys_dir_for(data_dir: Path) -> Path:
    override = os.environ.get("URNE_KEYS_DIR")
    if override:
        return Path(override)
    data_dir = Path(os.path.abspath(data_dir))
    return data_dir.with_name(data_dir.name + "-keys")


def check_key(key: bytes, what: str = "election key") -> bytes:
    if len(key) != KEY_BYTES:
        raise BadKey(what, f"{len(key)} octets ; une clé fait exactement {KEY_BYTES} octets (64 chiffres hexadécimaux)")
    return key


def parse_hex_key(text: str, what: str = "election key") -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise BadKey(what, "pas en hexadécimal (64 chiffres 0-9 a-f attendus)") from None
    return check_key(key, what)


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


class KeyRing:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _ensure_dir(self) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _write(self, name: str, text: str) -> None:
        self._ensure_dir()
        durable.atomic_write(self.directory / name, text.encode(), mode=0o600)

    # -- election secrets ----------------------------------------------------------------------

    def _election_path(self, election_id: str) -> Path:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in election_id)
        return self.directory / f"election-{safe}.key"

    def has_election_secret(self, election_id: str) -> bool:
        return self._election_path(election_id).is_file()

    def election_secret(self, election_id: str) -> bytes:
        path = self._election_path(election_id)
        try:
            text = path.read_text()
        except FileNotFoundError:
            raise KeyMissing(election_id, str(path)) from None
        return parse_hex_key(text, str(path))

    def set_election_secret(self, election_id: str, key: bytes) -> None:
        self._write(self._election_path(election_id).name, check_key(key).hex() + "\n")

    # -- this device's integrity key ----------------------------------------------------------

    def device_key(self, *, create: bool = True) -> bytes | None:
        path = self.directory / "device.key"
        try:
            return parse_hex_key(path.read_text(), str(path))
        except FileNotFoundError:
            if not create:
                return None
        key = secrets.token_bytes(KEY_BYTES)
        try:
            self._write("device.key", key.hex() + "\n")
        except OSError:
            return None  # read-only medium: digests are left unchecked, never invented
        return key

    # -- the audit head, anchored outside the store ---------------------------------------------

    def _head_file(self) -> dict[str, object] | None:
        try:
            raw = json.loads((self.directory / "audit-head.json").read_text())
        except (FileNotFoundError, NotADirectoryError, ValueError):
            return None
        return raw if isinstance(raw, dict) else None

    def audit_head(self) -> Head | None:
        """The last head this device committed (or was about to commit)."""
        raw = self._head_file()
        try:
            return Head(int(raw["seq"]), str(raw["hash"])) if raw else None  # type: ignore[call-overload]
        except (KeyError, TypeError, ValueError):
            return None

    def acceptable_heads(self) -> list[Head]:
        """The head, and the one before it while a commit was under way (a crash right then)."""
        raw = self._head_file()
        heads = [h for h in [self.audit_head()] if h is not None]
        previous = raw.get("previous") if raw else None
        if isinstance(previous, dict):
            with contextlib.suppress(KeyError, TypeError, ValueError):
                heads.append(Head(int(previous["seq"]), str(previous["hash"])))
        return heads

    def set_audit_head(self, head: Head, *, previous: Head | None = None) -> None:
        data: dict[str, object] = {"seq": head.seq, "hash": head.hash}
        if previous is not None:
            data["previous"] = {"seq": previous.seq, "hash": previous.hash}
        self._write("audit-head.json", json.dumps(data) + "\n")
