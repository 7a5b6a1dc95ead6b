"""A secret staff type (the kiosk's staff code, the hub's staff passwords) kept as a salted
scrypt hash: one format and one constant-time check for every front end.

Why scrypt from hashlib: memory-hard, in the standard library (no C extension to build on the
town-hall laptop); ~50 ms on a small tablet, so a stolen data file is slow to brute-force.
Format: `scrypt$N$R$P$salt-hex$digest-hex` (the parameters travel with the hash, so a later
change of cost still verifies the hashes already stored).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1

_UNKNOWN = f"scrypt${N}${R}${P}${'00' * 16}${'00' * 32}"  # no secret gives this digest


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def verify(secret: str, stored: str | None) -> bool:
    """True if `secret` matches `stored`. With nothing stored (an unknown staff name) the same
    scrypt is computed anyway, so the time taken does not tell which names exist. A stored
    value that is not such a hash matches nothing."""
    if not stored:
        verify(secret, _UNKNOWN)
        return False
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(
            secret.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2
        )
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)
