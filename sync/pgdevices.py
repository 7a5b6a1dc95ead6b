"""Enrolments and revocations written to the city's PostgreSQL database as they are made.

Why: every hub process reads the devices it trusts from the database at each request
(`PgHubStorage.device_for_token`, the keys of each batch), so a device enrolled or revoked with
`urne device enrol|revoke` on any hub machine is trusted or refused by every running hub process
at once, without a restart. A hub process starting up only adds the devices the database does
not know yet (`PgHubStorage.publish`): its own data dir, possibly older than a revocation made
on another machine, never brings a revoked device back.
"""

from __future__ import annotations

from typing import Any

import psycopg

from ballots.store import Store
from sync import devices
from sync.pghub import PgHubStorage


def push_devices(storage: PgHubStorage, store: Store, only: str | None = None) -> int:
    """Write `store`'s enrolment of device `only` (or of every device) to the database,
    replacing what it had (key, token, name, place, revoked). Returns the rows written."""
    rows = [
        (d.device, d.public_key, tok, d.name, place, d.enrolled_day, d.revoked)
        for d, tok, place in devices.enrolled_with_tokens(store)
        if only is None or d.device == only
    ]

    def work(conn: psycopg.Connection[Any]) -> None:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO sync_devices (device, public_key, token_sha256, name, place, enrolled_day, revoked) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (device) DO UPDATE SET "
                "public_key = EXCLUDED.public_key, token_sha256 = EXCLUDED.token_sha256, name = EXCLUDED.name, "
                "place = EXCLUDED.place, enrolled_day = EXCLUDED.enrolled_day, revoked = EXCLUDED.revoked",
                rows,
            )

    storage.run(work)
    return len(rows)
