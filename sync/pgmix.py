"""The PostgreSQL hub's mixing pool: no ballot row carries its own batch's transaction id (issue 17).

PostgreSQL stamps every row with the id of the transaction that wrote it (`xmin`), readable by
anyone who can SELECT the table (`SELECT xmin, * FROM ballots`). A hub batch is one
transaction holding a station's register entries AND its ballots, so a station that syncs after
each voter (a one-voter batch) would hand the DBA a register entry and a ballot with the same
`xmin`, and the order of `xmin` would order the ballots.

So new ballots never enter the counted table in their batch's transaction. A batch puts them in
`ballot_pool`; a separate MIX transaction moves the whole pool into `ballots_mixed`, in key order,
once the pool holds at least `MIX_MIN` ballots from at least `MIX_BATCHES` different batches
(and everything at the close of the polls). Every ballot of `ballots_mixed` then carries the mix's
`xmin`, shared with the ballots of many batches and with no register entry; its place in the
heap follows its id within the mix. `ballots` is a view of both tables, so every reader (totals,
status, exports, tests) sees every ballot at once.

Exactly once across hub processes: an ingest holds the mix lock SHARED (an advisory lock) for its
whole transaction and the mixer holds it EXCLUSIVE, so a ballot id is never looked up in one
table while the mixer moves it to the other.

What remains (README, "Known limits"): while pooled (until enough batches came), a ballot's pool
row has its batch's `xmin`; mixes are ordered among themselves (a ballot is known to belong to a
mix of >= MIX_MIN ballots); the register's rows keep their batch's `xmin` (they order voters,
which the register does anyway); dead tuples of the pool stay in the table's pages until VACUUM,
and PostgreSQL's WAL and its archives keep every transaction: they are the DBA's domain (encrypt
them, keep them short, restrict who reads them).
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

MIX_LOCK = 0x75726E66  # the advisory lock: ingests SHARED, the mixer EXCLUSIVE
MIX_MIN = 100  # ballots in the pool before a mix
MIX_BATCHES = 10  # distinct batches (transactions) among them

COLUMNS = "id, election, channel, device, selection, status, reasons, day, test"

PG_MIGRATIONS: list[tuple[str, list[str]]] = [
    (
        "0301_ballot_pool",
        [
            "ALTER TABLE ballots RENAME TO ballots_mixed",
            "ALTER INDEX ballots_election RENAME TO ballots_mixed_election",
            "CREATE TABLE ballot_pool (LIKE ballots_mixed INCLUDING ALL)",
            f"CREATE VIEW ballots AS SELECT {COLUMNS} FROM ballots_mixed UNION ALL SELECT {COLUMNS} FROM ballot_pool",
        ],
    ),
]


def hold(conn: Any) -> None:
    """In an ingest transaction: no mix until it ends (it may look ids up in both tables)."""
    conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", [MIX_LOCK])


def known_for_update(conn: Any, ids: list[str]) -> list[Any]:
    """The stored rows among `ids`, locked, from either table (FOR UPDATE cannot go through a
    UNION view)."""
    rows: list[Any] = []
    for table in ("ballots_mixed", "ballot_pool"):
        rows += conn.execute(
            f"SELECT {COLUMNS} FROM {table} WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [ids]
        ).fetchall()
    return rows


def insert_new(conn: Any, columns: list[list[Any]]) -> set[str]:
    """Put a batch's ballots in the pool, those not stored in either table; returns the new ids."""
    ids = list(columns[0])
    mixed = {r[0] for r in conn.execute("SELECT id FROM ballots_mixed WHERE id = ANY(%s)", [ids])}
    if mixed:
        keep = [i for i, bid in enumerate(ids) if bid not in mixed]
        columns = [[col[i] for i in keep] for col in columns]
    if not columns or not columns[0]:
        return set()
    cur = conn.execute(
        f"INSERT INTO ballot_pool ({COLUMNS}) "
        "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], "
        "%s::text[], %s::text[], %s::bool[]) ON CONFLICT (id) DO NOTHING RETURNING id",
        columns,
    )
    return {r[0] for r in cur.fetchall()}


def update(conn: Any, rows: list[tuple[Any, ...]]) -> None:
    """Replace stored ballots (a review decision) in whichever table holds them."""
    sql = (
        "UPDATE {t} SET election = %s, channel = %s, device = %s, selection = %s, status = %s, "
        "reasons = %s, day = %s, test = %s WHERE id = %s"
    )
    with conn.cursor() as cur:
        for table in ("ballots_mixed", "ballot_pool"):
            cur.executemany(sql.format(t=table), rows)


def ready(conn: Any) -> bool:
    n, batches = conn.execute(
        "SELECT count(*), count(DISTINCT xmin::text) FROM (SELECT xmin FROM ballot_pool LIMIT %s) p",
        [MIX_MIN * 50],
    ).fetchone()
    return int(n) >= MIX_MIN and int(batches) >= MIX_BATCHES


def mix(conn: Any, *, force: bool = False) -> int:
    """In its own transaction: move the pool into `ballots_mixed` in id order when it is ready
    (or `force`: the polls close). Returns the ballots moved."""
    if not force and not ready(conn):
        return 0  # the usual case: read without the lock, so ingests never wait for it
    conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIX_LOCK])
    if not force and not ready(conn):
        return 0
    moved = conn.execute(
        f"WITH moved AS (DELETE FROM ballot_pool RETURNING {COLUMNS}) "
        f"INSERT INTO ballots_mixed ({COLUMNS}) SELECT {COLUMNS} FROM moved ORDER BY id"
    ).rowcount
    if moved:
        log.info("mixed %d ballots into the counted table", moved)
    return int(moved)
