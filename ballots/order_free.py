"""Tables whose bytes must not follow the order of votes, kept so at a cost that does not grow
with the store (issue 17).

SQLite writes a new cell below the cells already in its page and allocates pages as they fill,
so a table written row by row keeps the order its rows came in. The first answer (s17a) was to
rewrite the whole table in key order in every transaction that touched it: exact (the bytes are
a function of the set of rows) but O(rows stored) per commit, ≈ 17 µs per stored ballot, 332 ms
per commit at 20 000 ballots, hours for a SQLite hub with a million.

What is needed is weaker and local: no cell sits where its ARRIVAL put it. So each transaction
notes the keys it inserted or changed (temp triggers: in memory, never in the file) and, before
its COMMIT, rewrites in key order only a window of `WINDOW` rows on either side of each of them:
the window's rows are copied aside, deleted (`secure_delete` zeroes their bytes, pages emptied
go back to SQLite, which rebalances the neighbours by rebuilding them in key order) and inserted
again in key order. The window is several pages wide, so the page a new row landed in, and its
neighbours, are laid out again from the keys alone; the rows outside it were laid out the same
way when they were last touched. The cost is O(changed rows × WINDOW) per commit, whatever the
size of the store. A transaction whose windows would cover half a table (a big import, the
"everything pending again" after a sync) rewrites it whole, as before: cheaper there, and exact.

So two regimes. A table of fewer than WHOLE_PAGES pages of rows (every kiosk's day) is rewritten
whole: exact, by construction — its leaf pages are byte for byte the same whatever order the
rows came in. Above that (a SQLite hub), the windows: pages at a window's edge keep cells laid
out at an earlier commit, so the layout depends on the history; no attack of
tests/ballots/test_secrecy.py or bench/bench_secrecy.py finds an order in it (measured, not
constructed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

# Rows rewritten on either side of each changed key, in pages of that table (`Table.per_page`):
# the page the new cell landed in is laid out again whole, with neighbours on both sides.
WINDOW = 1.0

# Below this many pages of rows (per table: `Table.per_page` rows a page) a table is rewritten
# whole at every commit that writes it, and its leaf pages are then a function of the SET of
# its rows, whatever their order of arrival: exact, by construction (tests/ballots/
# test_order_free_exact.py compares the bytes of two stores written in different orders).
# 60 pages: 1 980 ballots, 1 800 register entries, 4 800 outbox rows — a kiosk's day up to
# 1 800 voters. The price is the O(stored) rewrite: cast_vote p50 ≈ 90 ms at 1 000 ballots
# stored (vs ≈ 20 ms with windows; shared machine at load 12, tmpfs). Above it (a SQLite hub,
# up to a million), the windows.
WHOLE_PAGES = 60


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    per_page: int  # rows of this table a 4 KB page holds, about (measured with dbstat)

    @property
    def order(self) -> str:
        return ", ".join(self.key)

    @property
    def row_key(self) -> str:
        return "(" + ", ".join(self.key) + ")"


TABLES = (
    Table("ballots", ("id",), 33),
    Table("register", ("election", "fingerprint"), 30),
    Table("outbox", ("kind", "key"), 80),
)


def track(conn: sqlite3.Connection) -> None:
    """Temp triggers noting which tables a transaction touched (`urne_touched`: name, and
    name+ for an insert) and which keys it inserted or updated (`urne_keys`)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS urne_touched (name TEXT PRIMARY KEY)")
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS urne_keys (tbl TEXT NOT NULL, k1 TEXT NOT NULL, k2 TEXT NOT NULL, "
        "PRIMARY KEY (tbl, k1, k2))"
    )
    # Set while this module rewrites a table: its own deletes and inserts note nothing.
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS urne_quiet (x INTEGER)")
    quiet = "(SELECT count(*) FROM temp.urne_quiet) = 0"
    for t in TABLES:
        k2 = f"NEW.{t.key[1]}" if len(t.key) > 1 else "''"
        note_key = f"INSERT OR IGNORE INTO urne_keys VALUES ('{t.name}', NEW.{t.key[0]}, {k2});"
        for event in ("INSERT", "UPDATE", "DELETE"):
            mark = f"{t.name}+" if event == "INSERT" else t.name
            body = f"INSERT OR IGNORE INTO urne_touched VALUES ('{mark}');"
            if event != "DELETE":
                body += " " + note_key
            conn.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS urne_touch_{t.name}_{event.lower()} AFTER {event} "
                f"ON main.{t.name} WHEN {quiet} BEGIN {body} END"
            )


def forget(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM temp.urne_touched")
    conn.execute("DELETE FROM temp.urne_keys")


def settle(conn: sqlite3.Connection, table: Table, *, window: float | None = None) -> int:
    """Lay out again, in key order, the rows around every key this transaction inserted or
    updated in `table` (the whole table when that is most of it). Returns the rows rewritten."""
    rows = max(1, min(10**9, int(table.per_page * (WINDOW if window is None else window))))
    keys = [
        tuple(r) if len(table.key) > 1 else (r[0],)
        for r in conn.execute(
            f"SELECT k1{', k2' if len(table.key) > 1 else ''} FROM temp.urne_keys WHERE tbl = ? ORDER BY k1, k2",
            [table.name],
        )
    ]
    # Whole table when it is small (WHOLE_PAGES) or the windows would cover half of it
    # (counted up to that point only: count(*) itself reads every page).
    enough = max(len(keys) * 2 * rows * 2, table.per_page * WHOLE_PAGES)
    total = int(conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM main.{table.name} LIMIT ?)", [enough]).fetchone()[0])
    conn.execute("INSERT INTO temp.urne_quiet VALUES (1)")
    try:
        if not keys:
            return 0  # only deletions: their bytes are zeroed, nothing new was placed
        if total < enough:
            return _rewrite(conn, table, None, None)
        done = 0
        for lo, hi in _ranges(conn, table, keys, rows):
            done += _rewrite(conn, table, lo, hi)
        return done
    finally:
        conn.execute("DELETE FROM temp.urne_quiet")


def _ranges(
    conn: sqlite3.Connection, table: Table, keys: Sequence[tuple[str, ...]], window: int
) -> list[tuple[tuple[str, ...] | None, tuple[str, ...] | None]]:
    """The key ranges [lo, hi] `window` rows either side of each key, merged where they meet
    (None: the table's start or end)."""
    marks = ", ".join("?" * len(table.key))
    ranges: list[tuple[tuple[str, ...] | None, tuple[str, ...] | None]] = []
    for key in keys:
        lo = conn.execute(
            f"SELECT {table.order} FROM main.{table.name} WHERE {table.row_key} < ({marks}) "
            f"ORDER BY {', '.join(k + ' DESC' for k in table.key)} LIMIT 1 OFFSET ?",
            [*key, window - 1],
        ).fetchone()
        hi = conn.execute(
            f"SELECT {table.order} FROM main.{table.name} WHERE {table.row_key} > ({marks}) "
            f"ORDER BY {table.order} LIMIT 1 OFFSET ?",
            [*key, window - 1],
        ).fetchone()
        lo_t, hi_t = (tuple(lo) if lo else None), (tuple(hi) if hi else None)
        if ranges:
            last_lo, last_hi = ranges[-1]
            # Keys come sorted, so ranges only grow to the right: merge when they overlap.
            if last_hi is None or lo_t is None or lo_t <= last_hi:
                ranges[-1] = (last_lo, None if last_hi is None or hi_t is None else max(last_hi, hi_t))
                continue
        ranges.append((lo_t, hi_t))
    return ranges


def _rewrite(conn: sqlite3.Connection, table: Table, lo: tuple[str, ...] | None, hi: tuple[str, ...] | None) -> int:
    """Copy the rows in [lo, hi] aside (in memory), delete them, insert them back in key order."""
    marks = ", ".join("?" * len(table.key))
    where, args = [], []
    if lo is not None:
        where.append(f"{table.row_key} >= ({marks})")
        args += list(lo)
    if hi is not None:
        where.append(f"{table.row_key} <= ({marks})")
        args += list(hi)
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    # A standing temp copy, emptied rather than dropped: DROP TABLE fails while another
    # statement of this connection is still being read.
    sorted_copy = f"temp.urne_sorted_{table.name}"
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS urne_sorted_{table.name} AS SELECT * FROM main.{table.name} WHERE 0")
    n = conn.execute(f"INSERT INTO {sorted_copy} SELECT * FROM main.{table.name}{cond}", args).rowcount
    conn.execute(f"DELETE FROM main.{table.name}{cond}", args)
    conn.execute(f"INSERT INTO main.{table.name} SELECT * FROM {sorted_copy} ORDER BY {table.order}")
    conn.execute(f"DELETE FROM {sorted_copy}")
    return int(n)
