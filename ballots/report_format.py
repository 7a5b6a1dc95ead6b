"""Words and numbers of the report in French, and the atomic file write both outputs use."""

from __future__ import annotations

import os
from pathlib import Path

from ballots.results import Results

MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
NBSP = "\u00a0"


def money(amount: int, currency: str = "EUR") -> str:
    sign = "€" if currency == "EUR" else currency
    return f"{amount:,}".replace(",", NBSP) + NBSP + sign


def number(n: int) -> str:
    return f"{n:,}".replace(",", NBSP)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + NBSP + "%" if whole else "—"


def date_fr(iso: str) -> str:
    """'2026-05-02' -> '2 mai 2026'; anything else is returned unchanged."""
    try:
        y, m, d = (int(p) for p in iso[:10].split("-"))
        day = "1er" if d == 1 else str(d)
        return f"{day} {MONTHS_FR[m - 1]} {y}"
    except (ValueError, IndexError):
        return iso


def datetime_fr(iso: str) -> str:
    if len(iso) < 16:
        return date_fr(iso)
    return f"{date_fr(iso)} à {iso[11:13]}{NBSP}h{NBSP}{iso[14:16]} (UTC)"


def period_fr(r: Results) -> str:
    if r.date_begin and r.date_end and r.date_begin != r.date_end:
        return f"du {date_fr(r.date_begin)} au {date_fr(r.date_end)}"
    return f"le {date_fr(r.date_begin or r.date_end)}" if (r.date_begin or r.date_end) else "dates non renseignées"


def atomic_write(path: str | os.PathLike[str], data: bytes) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
