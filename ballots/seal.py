"""The ballots' seal: a keyed digest of the SET of ballots, kept up to date in O(changed rows).

A single HMAC over every row in id order (the first design) had to read the whole table at
each commit (≈ 40 ms at 20 000 ballots). This is the sum, modulo 2^256, of one HMAC-SHA256 per
row under the device key (a keyed multiset hash): it depends on the set of rows only, a commit
adds the HMACs of the rows it wrote and subtracts those of the rows it removed or changed
(temp triggers hand over their old and new contents, in memory), and without the key nobody
can compute the value of an edited set. `urne audit verify` recomputes it from every row.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from collections.abc import Iterable

PREFIX = "m1:"
MODULUS = 1 << 256
_LINE = (
    "{p}id || char(31) || {p}election || char(31) || {p}channel || char(31) || {p}device || char(31) || "
    "{p}selection || char(31) || {p}status || char(31) || {p}reasons || char(31) || {p}day || char(31) || "
    "{p}test || char(30)"
)


def track(conn: sqlite3.Connection) -> None:
    """Temp triggers handing each written (+1) and removed (-1) ballot row to `urne_seal_delta`,
    quiet while order_free rewrites a table (its deletes and inserts cancel out)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS urne_seal_delta (sign INTEGER NOT NULL, line TEXT NOT NULL)")
    quiet = "(SELECT count(*) FROM temp.urne_quiet) = 0"
    add = f"INSERT INTO urne_seal_delta VALUES (1, {_LINE.format(p='NEW.')});"
    sub = f"INSERT INTO urne_seal_delta VALUES (-1, {_LINE.format(p='OLD.')});"
    for event, body in (("INSERT", add), ("DELETE", sub), ("UPDATE", sub + " " + add)):
        conn.execute(
            f"CREATE TEMP TRIGGER IF NOT EXISTS urne_seal_{event.lower()} AFTER {event} ON main.ballots "
            f"WHEN {quiet} BEGIN {body} END"
        )


def _row(key: bytes, line: str) -> int:
    return int.from_bytes(hmac.new(key, line.encode(), hashlib.sha256).digest(), "big")


def _fold(value: int, key: bytes, deltas: Iterable[tuple[int, str]]) -> int:
    for sign, line in deltas:
        value = (value + sign * _row(key, line)) % MODULUS
    return value


def _format(value: int) -> str:
    return PREFIX + value.to_bytes(32, "big").hex()


def full(conn: sqlite3.Connection, key: bytes) -> str:
    """The seal computed from every stored ballot."""
    rows = conn.execute(f"SELECT {_LINE.format(p='')} FROM main.ballots")
    return _format(_fold(0, key, ((1, line) for (line,) in rows)))


def updated(conn: sqlite3.Connection, key: bytes, sealed: str | None) -> str:
    """The seal after this transaction's changes: `sealed` moved by the rows written and removed
    (recomputed from every row when there is no seal of this kind yet)."""
    deltas = conn.execute("SELECT sign, line FROM temp.urne_seal_delta").fetchall()
    conn.execute("DELETE FROM temp.urne_seal_delta")
    if sealed is None or not sealed.startswith(PREFIX):
        return full(conn, key)
    return _format(_fold(int(sealed[len(PREFIX) :], 16), key, deltas))


def forget(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM temp.urne_seal_delta")


def legacy(conn: sqlite3.Connection, key: bytes) -> str:
    """The first seal (one HMAC over the rows in id order), still found in stores written before."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for (line,) in conn.execute(f"SELECT {_LINE.format(p='')} FROM main.ballots ORDER BY id"):
        mac.update(line.encode())
    return mac.hexdigest()
