"""The ballot's typeface: DejaVu Sans when the system has it, else Helvetica with a safe fallback.

Why: reportlab's built-in Helvetica only knows WinAnsi (Latin-1 and a few more). A Polish
project name ("Zielony Skwer przy ulicy Łódzkiej") printed with it gets solid black squares in
place of ł, ż, ś: the voter cannot read the name and the squares are ink next to the boxes.
DejaVu Sans (Debian's `fonts-dejavu-core`, in the Makefile's SYSTEM_PACKAGES) covers every
European script. Where it is missing, characters Helvetica cannot draw are replaced by their
base letter (ł → l, é stays é) so nothing prints as a black square.

Contract: `regular()` and `bold()` give registered reportlab font names; `printable(text)` is
the text as it will print in those fonts (identity with DejaVu).
"""

from __future__ import annotations

import os
import unicodedata
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_DIRS = (
    os.environ.get("URNE_FONT_DIR", ""),
    "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu
    "/usr/share/fonts/dejavu-sans-fonts",  # Fedora
    "/usr/share/fonts/TTF",  # Arch
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)
# Letters without a Unicode decomposition, spelled the way their languages do in plain Latin.
_BASE = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "ı": "i", "ħ": "h"})


@cache
def _names() -> tuple[str, str, bool]:
    for d in _DIRS:
        if not d:
            continue
        reg, bold = Path(d) / "DejaVuSans.ttf", Path(d) / "DejaVuSans-Bold.ttf"
        if reg.is_file() and bold.is_file():
            try:
                pdfmetrics.registerFont(TTFont("UrneSans", str(reg)))
                pdfmetrics.registerFont(TTFont("UrneSans-Bold", str(bold)))
            except Exception:  # noqa: BLE001 - a broken font file: fall back, never fail to print
                continue
            return "UrneSans", "UrneSans-Bold", True
    return "Helvetica", "Helvetica-Bold", False


def regular() -> str:
    return _names()[0]


def bold() -> str:
    return _names()[1]


def unicode_font() -> bool:
    """True when the ballot's font draws every European letter (DejaVu found)."""
    return _names()[2]


def printable(text: str) -> str:
    if unicode_font():
        return text
    out = []
    for ch in text.translate(_BASE):
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            try:
                base.encode("cp1252")
                out.append(base or "?")
            except UnicodeEncodeError:
                out.append("?")
    return "".join(out)
