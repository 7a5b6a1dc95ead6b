"""Dates and text of the reports in French (numbers and money: `ballots.numbers`)."""

from __future__ import annotations

import datetime as dt

from ballots.clock import local, zone
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


def zone_fr(zone_name: str, when: dt.datetime | None = None) -> str:
    """'heure de Paris, UTC+2' for Europe/Paris in summer; the offset of `when` (now if None)."""
    z = zone(zone_name)
    city = z.key.rsplit("/", 1)[-1].replace("_", " ")
    offset = (when or dt.datetime.now(z)).astimezone(z).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    h, m = divmod(abs(minutes), 60)
    return f"heure de {city}, UTC{sign}{h}" + (f":{m:02d}" if m else "") if minutes else f"heure de {city}, UTC"


def datetime_fr(iso: str, zone_name: str = "") -> str:
    """'2026-05-30T19:12:00+00:00' -> '30 mai 2026 à 21 h 12 (heure de Paris, UTC+2)': local time,
    zone named (the stores keep UTC)."""
    when = local(iso, zone_name) if len(iso) >= 16 else None
    if when is None:
        return date_fr(iso)
    return f"{date_fr(when.date().isoformat())} à {when:%H}{NBSP}h{NBSP}{when:%M} ({zone_fr(zone_name, when)})"


def time_fr(iso: str, zone_name: str = "") -> str:
    """'2026-05-30T19:12:00+00:00' -> '30/05/2026 21:12' (local), for tables and lists."""
    when = local(iso, zone_name)
    return f"{when:%d/%m/%Y %H:%M}" if when else iso


def period_fr(r: Results) -> str:
    if r.date_begin and r.date_end and r.date_begin != r.date_end:
        return f"du {date_fr(r.date_begin)} au {date_fr(r.date_end)}"
    return f"le {date_fr(r.date_begin or r.date_end)}" if (r.date_begin or r.date_end) else "dates non renseignées"


def plural_fr(n: int, one: str, many: str) -> str:
    """'0 feuille rejetée', '1 feuille rejetée', '2 feuilles rejetées': French counts 0 and 1 as one."""
    return f"{n} {one if abs(n) < 2 else many}"


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
