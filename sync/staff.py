"""The hub's staff password: scrypt (stdlib), so a copy of the database does not give it away.

Why scrypt from hashlib: memory-hard, in the standard library (no C extension to build on the
town-hall laptop), and verified in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1
MIN_LENGTH = 10


class WeakPassword(ValueError):
    pass


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"the staff password needs at least {MIN_LENGTH} characters")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


_UNKNOWN = f"scrypt${N}${R}${P}${'00' * 16}${'00' * 32}"  # no password gives this digest


def verify(password: str, stored: str | None) -> bool:
    """True if `password` matches `stored`. With no stored hash (an unknown name) the same scrypt
    is computed anyway, so the time taken does not tell which staff names exist."""
    if not stored:
        verify(password, _UNKNOWN)
        return False
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2
        )
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)
