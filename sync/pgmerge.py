"""What one station's batch does to the city's PostgreSQL database: the same rules as
`sync.merge.merge` on SQLite, in set-based SQL (one round trip per kind of row).

- Provenance first (sync.provenance): a ballot or register entry counts only when signed by the
  enrolled key of the device it names (the sender's own records are bound by its token).
- Ballots: new ids go to the mixing pool (sync.pgmix), never straight to the counted table; ids
  already there are read `FOR UPDATE` and compared as merge does (same content: known; a review
  copy and its decision: replaced; anything else: a conflict row, held for a person). Rows are
  written in id order, so two batches sharing ids never deadlock.
- Register entries: unknown fingerprints added; the same fingerprint from another origin is a
  duplicate voter, recorded with both origins for a person.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import psycopg

from ballots.ballot import Ballot
from ballots.election import Election
from sync import merge, pgmix, provenance
from sync.pgrows import ballot_row, row_ballot


def merge_batch(
    conn: psycopg.Connection[Any],
    election: Election,
    raw_ballots: list[Any],
    raw_register: list[Any],
    delivered_by: str,
    day: str,
) -> merge.MergeReport:
    """Merge one batch inside the caller's transaction (sync.pghub's ingest) and report it."""
    # Provenance (sync.provenance): a ballot counts only signed by the enrolled key of the
    # device it names. The hub forwards nothing, so it need not keep the signatures.
    keys = {
        r[0]: r[1] for r in conn.execute("SELECT device, public_key FROM sync_devices WHERE NOT revoked").fetchall()
    }
    key_of = lambda d: provenance.public_key(keys.get(d))  # noqa: E731
    checked = provenance.check(raw_ballots, key_of, sender=delivered_by.removeprefix("hub:"))
    signed = provenance.check_register(raw_register, key_of, sender=delivered_by.removeprefix("hub:"))
    parsed, entries, refused = merge.parse_delivery(election, checked.ballots, signed.ballots)
    refused = checked.refused + signed.refused + refused
    first: dict[str, Ballot] = {}
    repeats: list[Ballot] = []
    for b in parsed:
        if b.id in first:
            repeats.append(b)
        else:
            first[b.id] = b
    rows = sorted(ballot_row(b) for b in first.values())  # id order: no deadlock between batches
    inserted: set[str] = set()
    # New ballots go to the mixing pool, never straight to the counted table (sync.pgmix:
    # their batch's transaction id must not stay on them).
    pgmix.hold(conn)
    if rows:
        inserted = pgmix.insert_new(conn, [list(c) for c in zip(*rows, strict=True)])
    others = sorted(set(first) - inserted)
    known: dict[str, Ballot] = {}
    if others:
        for r in pgmix.known_for_update(conn, others):
            known[r[0]] = row_ballot(r)
    for bid in inserted:
        known[bid] = first[bid]
    n_known = 0
    updated: dict[str, Ballot] = {}
    conflict_rows: list[list[Any]] = []
    for b in [first[i] for i in others] + repeats:
        have = known[b.id]
        if have.content_key() == b.content_key() or merge.supersedes(have, b):
            n_known += 1
            continue
        if merge.supersedes(b, have):
            known[b.id] = b
            updated[b.id] = b
            continue
        wire = json.dumps(merge.ballot_to_wire(b), separators=(",", ":"), ensure_ascii=False)
        conflict_rows.append(
            [b.id, hashlib.sha256(b.content_key().encode()).hexdigest(), b.election, wire, delivered_by, day]
        )
    if updated:
        pgmix.update(conn, [r[1:] + r[:1] for r in sorted(ballot_row(b) for b in updated.values())])
    n_conflicts = 0
    for row in sorted(conflict_rows):
        n_conflicts += conn.execute(
            "INSERT INTO sync_conflicts (ballot_id, content_sha256, election, content, delivered_by, day) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            row,
        ).rowcount
    reg_new, reg_known, dups = _register(conn, election, entries)
    return merge.MergeReport(
        len(inserted),
        n_known,
        n_conflicts,
        reg_new,
        reg_known,
        dups,
        tuple(refused),
        len(updated),
        tuple(sorted(updated)),
    )


def _register(
    conn: psycopg.Connection[Any], election: Election, entries: list[merge.RegisterEntry]
) -> tuple[int, int, int]:
    """(new, known, duplicate voters) for the batch's register entries."""
    reg_new = reg_known = dups = 0
    unique: dict[str, merge.RegisterEntry] = {}
    extra: list[merge.RegisterEntry] = []
    for e in entries:
        (extra.append(e) if e.fingerprint in unique else unique.__setitem__(e.fingerprint, e))
    if unique:
        ents = sorted(unique.values(), key=lambda e: e.fingerprint)
        cur = conn.execute(
            "INSERT INTO register (election, fingerprint, mode, origin, day) "
            "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) "
            "ON CONFLICT (election, fingerprint) DO NOTHING RETURNING fingerprint",
            [
                [e.election for e in ents],
                [e.fingerprint for e in ents],
                [e.mode for e in ents],
                [e.origin for e in ents],
                [e.day for e in ents],
            ],
        )
        fresh = {r[0] for r in cur.fetchall()}
        reg_new = len(fresh)
        rest = [e for e in ents if e.fingerprint not in fresh] + extra
        if rest:
            origins = dict(
                conn.execute(
                    "SELECT fingerprint, origin FROM register WHERE election = %s AND fingerprint = ANY(%s)",
                    [election.id, sorted({e.fingerprint for e in rest})],
                ).fetchall()
            )
            for e in rest:
                reg_known += 1
                stored = origins.get(e.fingerprint)
                if stored is not None and stored != e.origin:
                    n = 0
                    for origin in sorted({stored, e.origin}):
                        n += conn.execute(
                            "INSERT INTO sync_voter_origins (election, fingerprint, origin) VALUES (%s, %s, %s) "
                            "ON CONFLICT DO NOTHING",
                            [e.election, e.fingerprint, origin],
                        ).rowcount
                    dups += 1 if n > 0 else 0
    return reg_new, reg_known, dups
