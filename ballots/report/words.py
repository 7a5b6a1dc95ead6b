"""Dates and text of the reports in French (numbers and money: `ballots.numbers`)."""

from __future__ import annotations

from ballots.numbers import NBSP
from ballots.results import Results

MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


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


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
