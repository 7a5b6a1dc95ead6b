"""The short code printed beside the serial, so a typed serial is authenticated like the QR.

When a ballot's QR cannot be read, staff type what is printed beside it: the serial and this
code. The code is the first 30 bits of HMAC-SHA256 under the election's secret over the
election fingerprint, the serial and the sheet, written as 6 characters of an alphabet without
look-alikes (no 0/O, 1/I/L). Guessing it takes a million tries on average, on top of guessing an
issued 40-bit serial. `verify()` raises CheckCodeError; it never returns False.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from ballots.errors import UrneError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols; no 0 O 1 I L
LENGTH = 6


@dataclass
class CheckCodeError(UrneError):
    serial: str
    sheet: int

    def message(self) -> str:
        return f"le code de contrôle ne correspond pas au bulletin {self.serial}, feuille {self.sheet}"


def code(secret: bytes, fingerprint: str, serial: str, sheet: int) -> str:
    digest = hmac.new(secret, f"typed|{fingerprint}|{serial}|{sheet}".encode(), hashlib.sha256).digest()
    n = int.from_bytes(digest[:8], "big")
    out = []
    for _ in range(LENGTH):
        n, r = divmod(n, len(ALPHABET))
        out.append(ALPHABET[r])
    return "".join(out)


def printed(secret: bytes, fingerprint: str, serial: str, sheet: int) -> str:
    """As printed on the ballot: 'ABC-DEF'."""
    c = code(secret, fingerprint, serial, sheet)
    return f"{c[:3]}-{c[3:]}"


def verify(secret: bytes, fingerprint: str, serial: str, sheet: int, typed: str) -> None:
    """Accepts 'abc-def', 'ABC DEF' or 'abcdef'; raises CheckCodeError when it does not match."""
    cleaned = re.sub(r"[\s\-.]", "", typed.upper())
    if not hmac.compare_digest(cleaned, code(secret, fingerprint, serial, sheet)):
        raise CheckCodeError(serial, sheet)
