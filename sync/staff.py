"""The hub's staff password: a salted scrypt hash (`ballots.secret_hash`, the same format and
check as the kiosk's staff code), so a copy of the database does not give it away."""

from __future__ import annotations

from ballots import secret_hash

MIN_LENGTH = 10


class WeakPassword(ValueError):
    pass


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"le mot de passe du personnel doit avoir au moins {MIN_LENGTH} caractères")
    return secret_hash.hash_secret(password)


def verify(password: str, stored: str | None) -> bool:
    """True if `password` matches `stored`; an unknown name (None) costs the same time."""
    return secret_hash.verify(password, stored)
