"""The text inside a ballot's QR code, and its MAC under the election's secret.

Contract: `encode(...)` gives 33 characters of the QR alphanumeric set, so the code stays at
version 3 with error correction H (the most robust level; 29 x 29 modules). `decode(text,
secret, fingerprint)` returns a `Payload` or raises `CodeRefused` whose `reason` is one of
NOT_OURS, BAD_MAC, WRONG_ELECTION. The MAC covers every other field and the *whole* election
fingerprint, so changing a serial, a sheet number, the test flag or the variant breaks it.

Layout (fixed width): "U2" | election hash 6 hex | serial 8 base32 | sheet 1 | sheets 1 |
variant 1 | flag 1 (T test, O official) | position 1 (T top-left code, B bottom-right code) |
MAC 13 base32 (first 64 bits of HMAC-SHA256), 34 characters. The version names the sheet's
frame (`geometry.FRAMES`): "U1" (33 characters, no position: one code at the top-left) is what
ballots printed before frame 2 carry, and is still read. The position is under the MAC, so a
code cut out of one sheet and pasted on another corner is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from ballots.errors import CodeRefused
from ballots.paper.geometry import VARIANTS
from ballots.paper.page_problems import PageProblem
from ballots.reasons import Code

VERSION = "U2"
LENGTH = 34
LENGTHS = {"U1": 33, "U2": 34}  # every version ever printed, and its text's length
FRAME_OF = {"U1": 1, "U2": 2}
TOP, BOTTOM = "T", "B"  # which code of the sheet this is
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
    frame: int = 2  # geometry.FRAMES: where the squares and codes are on this sheet
    position: str = TOP  # the code this was read from (frame 1: always the top-left one)


def new_serial() -> str:
    """8 base32 characters (40 random bits); uniqueness is checked against the issued table."""
    return base64.b32encode(secrets.token_bytes(5)).decode()


def _mac(secret: bytes, fingerprint: str, body: str) -> str:
    digest = hmac.new(secret, f"{fingerprint}|{body}".encode(), hashlib.sha256).digest()[:8]
    return base64.b32encode(digest).decode().rstrip("=")  # 13 chars


def encode(
    secret: bytes,
    fingerprint: str,
    serial: str,
    sheet: int,
    sheets: int,
    variant: str,
    test: bool,
    *,
    frame: int = 2,
    position: str = TOP,
) -> str:
    """The text of one code; `frame=1` writes what ballots printed before frame 2 carry (tests)."""
    if not (1 <= sheet <= sheets <= 35) or variant not in VARIANTS or len(serial) != 8:
        raise ValueError("sheet/sheets must be 1..35, serial 8 characters, variant known")
    if frame not in (1, 2) or position not in (TOP, BOTTOM) or (frame == 1 and position != TOP):
        raise ValueError("frame 1 has one code (top); frame 2 has a top and a bottom code")
    version = "U1" if frame == 1 else VERSION
    flag = "T" if test else "O"
    tail = "" if frame == 1 else position
    body = f"{version}{fingerprint[:6].upper()}{serial}{_B36[sheet]}{_B36[sheets]}{variant}{flag}{tail}"
    text = body + _mac(secret, fingerprint, body)
    assert len(text) == LENGTHS[version]
    return text


def decode(text: str, secret: bytes, fingerprint: str) -> Payload:
    """Parse and authenticate; the election check comes before the MAC so the reason is useful."""
    text = text.strip()
    version = text[:2]
    if LENGTHS.get(version) != len(text):
        raise CodeRefused(NOT_OURS, PageProblem.CODE_NOT_OURS, {"text": text[:40]})
    body, mac = text[:-13], text[-13:]
    ehash, serial, sheet_c, sheets_c, variant, flag = body[2:8], body[8:16], body[16], body[17], body[18], body[19]
    position = body[20] if version != "U1" else TOP
    if (
        sheet_c not in _B36
        or sheets_c not in _B36
        or variant not in VARIANTS
        or flag not in "TO"
        or position not in (TOP, BOTTOM)
    ):
        raise CodeRefused(NOT_OURS, PageProblem.CODE_FIELDS)
    if ehash != fingerprint[:6].upper():
        raise CodeRefused(WRONG_ELECTION, PageProblem.CODE_OTHER_ELECTION, {"election": ehash.lower()})
    if not hmac.compare_digest(mac, _mac(secret, fingerprint, body)):
        raise CodeRefused(BAD_MAC, PageProblem.CODE_BAD_MAC, {"serial": serial})
    sheet, sheets = _B36.index(sheet_c), _B36.index(sheets_c)
    if not 1 <= sheet <= sheets:
        raise CodeRefused(NOT_OURS, PageProblem.CODE_SHEET_NUMBER)
    return Payload(ehash, serial, sheet, sheets, variant, flag == "T", FRAME_OF[version], position)
