"""The text inside a ballot's QR code, and its MAC under the election's secret.

Contract: `encode(...)` gives 33 characters of the QR alphanumeric set, so the code stays at
version 3 with error correction H (the most robust level; 29 x 29 modules). `decode(text,
secret, fingerprint)` returns a `Payload` or raises `PayloadError` whose `reason` is one of
NOT_OURS, BAD_MAC, WRONG_ELECTION. The MAC covers every other field and the *whole* election
fingerprint, so changing a serial, a sheet number, the test flag or the variant breaks it.

Layout (fixed width): "U1" | election hash 6 hex | serial 8 base32 | sheet 1 | sheets 1 |
variant 1 | flag 1 (T test, O official) | MAC 13 base32 (first 64 bits of HMAC-SHA256).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from ballots.errors import SheetRefused
from ballots.paper.geometry import VARIANTS
from ballots.reasons import Code

VERSION = "U1"
LENGTH = 33
NOT_OURS = Code.NOT_AN_URNE_QR
BAD_MAC = Code.BAD_MAC
WRONG_ELECTION = Code.WRONG_ELECTION
_B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Payload:
    election_hash: str
    serial: str
    sheet: int
    sheets: int
    variant: str
    test: bool


PayloadError = SheetRefused  # the one error for a page that is not a ballot (ballots.errors)


def new_serial() -> str:
    """8 base32 characters (40 random bits); uniqueness is checked against the issued table."""
    return base64.b32encode(secrets.token_bytes(5)).decode()


def _mac(secret: bytes, fingerprint: str, body: str) -> str:
    digest = hmac.new(secret, f"{fingerprint}|{body}".encode(), hashlib.sha256).digest()[:8]
    return base64.b32encode(digest).decode().rstrip("=")  # 13 chars


def encode(secret: bytes, fingerprint: str, serial: str, sheet: int, sheets: int, variant: str, test: bool) -> str:
    if not (1 <= sheet <= sheets <= 35) or variant not in VARIANTS or len(serial) != 8:
        raise ValueError("sheet/sheets must be 1..35, serial 8 characters, variant known")
    body = f"{VERSION}{fingerprint[:6].upper()}{serial}{_B36[sheet]}{_B36[sheets]}{variant}{'T' if test else 'O'}"
    text = body + _mac(secret, fingerprint, body)
    assert len(text) == LENGTH
    return text


def decode(text: str, secret: bytes, fingerprint: str) -> Payload:
    """Parse and authenticate; the election check comes before the MAC so the reason is useful."""
    text = text.strip()
    if len(text) != LENGTH or not text.startswith(VERSION):
        raise PayloadError(NOT_OURS, text[:40])
    body, mac = text[:-13], text[-13:]
    ehash, serial, sheet_c, sheets_c, variant, flag = body[2:8], body[8:16], body[16], body[17], body[18], body[19]
    if sheet_c not in _B36 or sheets_c not in _B36 or variant not in VARIANTS or flag not in "TO":
        raise PayloadError(NOT_OURS, "malformed fields")
    if ehash != fingerprint[:6].upper():
        raise PayloadError(WRONG_ELECTION, f"ballot of election {ehash.lower()}")
    if not hmac.compare_digest(mac, _mac(secret, fingerprint, body)):
        raise PayloadError(BAD_MAC, f"serial {serial}")
    sheet, sheets = _B36.index(sheet_c), _B36.index(sheets_c)
    if not 1 <= sheet <= sheets:
        raise PayloadError(NOT_OURS, "sheet number")
    return Payload(ehash, serial, sheet, sheets, variant, flag == "T")
