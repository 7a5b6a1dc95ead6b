"""The voter register's identity fingerprint: a keyed hash, never the clear identity."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from ballots.errors import RegisterError


@dataclass(frozen=True)
class Identity:
    last_name: str
    first_name: str
    birth_date: str  # ISO YYYY-MM-DD or DD/MM/YYYY as typed
    postcode: str


def _name(value: str) -> str:
    # "Ève-Marie  d'Arc" and "EVE MARIE D ARC" are the same person on two devices.
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", letters.casefold()).strip()


def _date(value: str) -> str:
    v = value.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", v) or None
    if m:
        y, mo, d = m.groups()
    else:
        m = re.fullmatch(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})", v)
        if not m:
            raise RegisterError(f"date de naissance « {value} » : ce n'est pas une date (JJ/MM/AAAA)")
        d, mo, y = m.groups()
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        raise RegisterError(f"date de naissance « {value} » : ce n'est pas une date (JJ/MM/AAAA)")
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def normalise(identity: Identity) -> str:
    last, first = _name(identity.last_name), _name(identity.first_name)
    if not last or not first:
        raise RegisterError("le nom et le prénom sont obligatoires")
    postcode = re.sub(r"\s+", "", identity.postcode)
    if not re.fullmatch(r"\d{5}", postcode):
        raise RegisterError(f"code postal « {identity.postcode} » : il faut 5 chiffres")
    return "|".join((last, first, _date(identity.birth_date), postcode))


def fingerprint(secret: bytes, identity: Identity) -> str:
    """HMAC-SHA256 under the election's secret: comparable across devices, useless without it."""
    return hmac.new(secret, normalise(identity).encode(), hashlib.sha256).hexdigest()
