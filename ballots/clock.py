"""Local time for people: the audit log and the stores keep UTC; the procès-verbal, the counting
window and the CLI show the election's local time (its `time_zone`, else the configuration's,
else Europe/Paris), with the zone named, through the standard `zoneinfo` database.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/Paris"


@lru_cache(maxsize=32)
def zone(name: str = "") -> ZoneInfo:
    """The named IANA zone; ValueError (in words) when the name is unknown."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone '{name}' (an IANA name such as Europe/Paris)") from None


def local(iso: str, zone_name: str = "") -> dt.datetime | None:
    """An ISO date-time (UTC when it names no offset) in the zone; None when it is not one."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(zone(zone_name))


def effective_zone(election_zone: str, configured: str = "") -> str:
    return election_zone or configured or DEFAULT_ZONE
