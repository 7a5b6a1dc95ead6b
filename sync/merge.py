"""Merging deliveries from other devices: a grow-only set union keyed by ballot id.

Contract of `merge()`:
- Ballots: an unknown id is added; the same id with the same `Ballot.content_key()` is accepted
  once, silently. A copy still waiting for review is replaced by the decision a person took on
  the device that read it (`supersedes`), in whichever order they arrive. Any other
  difference for the same id is kept aside in `sync_conflicts` for a
  person (`resolve()`), never decided by the machine. A ballot with a conflict does not count
  (`counted_ballots()`) until resolved, so totals do not depend on which copy came first.
- Register entries (keyed fingerprints) merge the same way; one fingerprint arriving with two
  origins (devices or channels) is a duplicate voter, reported with every origin.
- Items that do not belong to the election or name unknown questions/choices are refused one
  by one with a reason; the rest of the delivery goes on. Everything happens in one
  transaction: a delivery is merged entirely or not at all, so it can always be sent again.
- Secrecy: the tables are keyed by random ids and hashes and carry the day only; nothing is
  logged per ballot, so the merged store does not reveal the order of votes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ballots import audit
from ballots.ballot import Ballot, BallotStatus, Channel, today
from ballots.election import Election
from ballots.reasons import from_stored
from ballots.store import Store
from sync import schema
from sync.errors import ConflictError
from sync.record_refusals import RecordKind, RecordProblem, RecordRefusal, RefusedRecord

log = logging.getLogger(__name__)

CHUNK = 500  # SQLite's default limit on bound parameters is 999 on old builds


@dataclass(frozen=True)
class RegisterEntry:
    fingerprint: str
    election: str
    mode: str
    origin: str
    day: str


@dataclass(frozen=True)
class MergeReport:
    ballots_new: int = 0
    ballots_known: int = 0
    conflicts: int = 0
    register_new: int = 0
    register_known: int = 0
    duplicate_voters: int = 0
    refused: tuple[RefusedRecord, ...] = field(default=())  # records refused one by one, by code
    ballots_updated: int = 0  # review copies replaced by the decision taken on their device
    replaced: tuple[str, ...] = field(default=())  # their ids: shown and audited, never silent

    def as_dict(self) -> dict[str, Any]:
        return {
            "ballots_new": self.ballots_new,
            "ballots_known": self.ballots_known,
            "conflicts": self.conflicts,
            "register_new": self.register_new,
            "register_known": self.register_known,
            "duplicate_voters": self.duplicate_voters,
            "refused": [r.as_dict() for r in self.refused],
            "ballots_updated": self.ballots_updated,
            "replaced": list(self.replaced),
        }

    def __add__(self, other: MergeReport) -> MergeReport:
        return MergeReport(
            self.ballots_new + other.ballots_new,
            self.ballots_known + other.ballots_known,
            self.conflicts + other.conflicts,
            self.register_new + other.register_new,
            self.register_known + other.register_known,
            self.duplicate_voters + other.duplicate_voters,
            self.refused + other.refused,
            self.ballots_updated + other.ballots_updated,
            self.replaced + other.replaced,
        )


# -- wire format: compact JSON arrays, the same in bundles and hub batches --------------------


def ballot_to_wire(b: Ballot) -> list[Any]:
    return [
        b.id,
        b.election,
        b.channel.value,
        b.device,
        {k: list(v) for k, v in b.selection.items()},
        b.status.value,
        list(b.reasons),
        b.day,
        b.test,
    ]


_ID = re.compile(r"[\w.:-]{1,128}", re.ASCII)


def ballot_from_wire(raw: Sequence[Any]) -> Ballot:
    """Raises RecordProblem (a ValueError) with its code when `raw` is not a ballot. Accepts the 10-field
    form (9 fields + the originating device's signature, see sync.provenance) and ignores the
    signature here; every field is type-checked (a signed but ill-typed record is refused)."""
    if not isinstance(raw, (list, tuple)) or len(raw) not in (9, 10):
        raise RecordProblem(RecordRefusal.NOT_A_BALLOT)
    bid, election, channel, device, selection, status, reasons, day, test = raw[:9]
    if not isinstance(bid, str) or not _ID.fullmatch(bid):
        raise RecordProblem(RecordRefusal.BAD_ID)
    if not isinstance(election, str) or not isinstance(device, str) or not isinstance(day, str):
        raise RecordProblem(RecordRefusal.NOT_TEXT)
    if not isinstance(selection, dict):
        raise RecordProblem(RecordRefusal.NO_SELECTION)
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        raise RecordProblem(RecordRefusal.REASONS_NOT_CODES)
    if test not in (True, False):  # also 0 and 1, as stored
        raise RecordProblem(RecordRefusal.TEST_NOT_BOOLEAN)
    if not isinstance(channel, str) or not isinstance(status, str):
        raise RecordProblem(RecordRefusal.UNKNOWN_CHANNEL_OR_STATUS)
    if channel not in Channel._value2member_map_ or status not in BallotStatus._value2member_map_:
        raise RecordProblem(RecordRefusal.UNKNOWN_CHANNEL_OR_STATUS)
    sel: dict[str, tuple[str, ...]] = {}
    for q, chosen in selection.items():
        if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
            raise RecordProblem(RecordRefusal.SELECTION_NOT_IDS, question=q)
        sel[str(q)] = tuple(chosen)
    return Ballot(
        id=bid,
        election=election,
        channel=Channel(channel),
        device=device,
        selection=sel,
        status=BallotStatus(status),
        reasons=from_stored(reasons),
        day=day[:10],  # the day only, whatever the sender put there
        test=bool(test),
    )


def register_to_wire(e: RegisterEntry) -> list[str]:
    return [e.fingerprint, e.election, e.mode, e.origin, e.day]


def register_from_wire(raw: Sequence[Any]) -> RegisterEntry:
    if not isinstance(raw, (list, tuple)) or len(raw) != 5 or not all(isinstance(x, str) for x in raw):
        raise RecordProblem(RecordRefusal.NOT_A_REGISTER_ENTRY)
    if not raw[0]:
        raise RecordProblem(RecordRefusal.NO_FINGERPRINT)
    return RegisterEntry(raw[0], raw[1], raw[2], raw[3], raw[4][:10])


def register_entries(store: Store, election_id: str, keys: Iterable[str] | None = None) -> list[RegisterEntry]:
    """The election's register entries, or those named by outbox keys "election:fingerprint"."""
    sql = "SELECT fingerprint, election, mode, origin, day FROM register WHERE election = ?"
    if keys is None:
        return [RegisterEntry(*r) for r in store.conn.execute(sql, [election_id])]
    prefix = election_id + ":"
    fps = [k[len(prefix) :] for k in keys if k.startswith(prefix)]
    out: list[RegisterEntry] = []
    for i in range(0, len(fps), CHUNK):
        part = fps[i : i + CHUNK]
        rows = store.conn.execute(sql + f" AND fingerprint IN ({','.join('?' * len(part))})", [election_id, *part])
        out.extend(RegisterEntry(*r) for r in rows)
    return out


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _check_against(election_id: str, choices: dict[str, frozenset[str]], b: Ballot) -> RefusedRecord | None:
    if b.election != election_id:
        return RefusedRecord.of(RecordKind.BALLOT, b.id, RecordRefusal.OTHER_ELECTION, election=b.election)
    for qid, chosen in b.selection.items():
        allowed = choices.get(qid)
        if allowed is None:
            return RefusedRecord.of(RecordKind.BALLOT, b.id, RecordRefusal.UNKNOWN_QUESTION, question=qid)
        unknown = [c for c in chosen if c not in allowed]
        if unknown:
            return RefusedRecord.of(
                RecordKind.BALLOT, b.id, RecordRefusal.UNKNOWN_CHOICE, choice=unknown[0], question=qid
            )
    return None


def _refused(kind: RecordKind, record: str, exc: Exception) -> RefusedRecord:
    if isinstance(exc, RecordProblem):
        return RefusedRecord.of(kind, record, exc.refusal, **exc.values)
    return RefusedRecord.of(kind, record, RecordRefusal.MALFORMED)


def supersedes(new: Ballot, old: Ballot) -> bool:
    """`new` is the decision a person took, on the device that read it, about `old`, which was
    waiting for review. Review < decided is an order, so the merge stays order-independent;
    two different decisions, or copies from two devices, remain a conflict for a person."""
    return (
        old.status is BallotStatus.REVIEW
        and new.status is not BallotStatus.REVIEW
        and new.device == old.device
        and new.channel is old.channel
        and new.election == old.election
        and new.test == old.test
    )


def parse_delivery(
    election: Election, ballots: Iterable[Sequence[Any]], register: Iterable[Sequence[Any]] = ()
) -> tuple[list[Ballot], list[RegisterEntry], list[RefusedRecord]]:
    """The wire records of one delivery checked against `election`: (ballots, register
    entries, refused records with their codes). Shared by every store a delivery is merged into."""
    refused: list[RefusedRecord] = []
    parsed: list[Ballot] = []
    choices = {q.id: frozenset(q.choice_ids) for q in election.questions}
    for raw in ballots:
        try:
            b = ballot_from_wire(raw)
        except (ValueError, TypeError) as exc:
            ident = raw[0][:64] if isinstance(raw, (list, tuple)) and raw and isinstance(raw[0], str) else ""
            refused.append(_refused(RecordKind.BALLOT, ident, exc))
            continue
        problem = _check_against(election.id, choices, b)
        if problem:
            refused.append(problem)
            continue
        parsed.append(b)
    entries: list[RegisterEntry] = []
    for raw in register:
        try:
            e = register_from_wire(raw)
        except (ValueError, TypeError) as exc:
            refused.append(_refused(RecordKind.REGISTER, "", exc))
            continue
        if e.election != election.id:
            refused.append(
                RefusedRecord.of(
                    RecordKind.REGISTER, e.fingerprint[:12], RecordRefusal.OTHER_ELECTION, election=e.election
                )
            )
            continue
        entries.append(e)

    return parsed, entries, refused


def merge(
    store: Store,
    election: Election,
    ballots: Iterable[Sequence[Any]],
    register: Iterable[Sequence[Any]] = (),
    *,
    delivered_by: str,
    forward: bool = True,
) -> MergeReport:
    """Merge one delivery (wire records) into `store`; see the module contract.

    `forward`: queue what is new in this store's own outbox, so a relay (a town-hall laptop
    that imported USB bundles) passes it on to the hub. The hub itself does not forward.
    """
    schema.ensure(store)
    parsed, entries, refused = parse_delivery(election, ballots, register)

    day = today()
    with store.transaction() as db:
        known = store.ballots_by_id(b.id for b in parsed)
        keys: dict[str, str] = {}  # content keys, computed only when an id comes twice

        def key_of(x: Ballot) -> str:
            if known.get(x.id) is x:
                if x.id not in keys:
                    keys[x.id] = x.content_key()
                return keys[x.id]
            return x.content_key()

        added: dict[str, Ballot] = {}
        updated: dict[str, Ballot] = {}
        conflict_rows: list[list[Any]] = []
        n_known = 0
        for b in parsed:
            have = known.get(b.id)
            if have is None:
                known[b.id] = added[b.id] = b
                continue
            if key_of(have) == key_of(b) or supersedes(have, b):
                n_known += 1
                continue
            if supersedes(b, have):
                known[b.id] = b
                keys.pop(b.id, None)
                (added if b.id in added else updated)[b.id] = b
                continue
            key = key_of(b)
            wire = json.dumps(ballot_to_wire(b), separators=(",", ":"), ensure_ascii=False)
            conflict_rows.append([b.id, _sha(key), b.election, wire, delivered_by, day])
        n_new = store.insert_ballots(db, added.values())  # in id order: hides arrival order
        store.replace_ballots(db, updated.values())
        if forward:
            db.conn.executemany(
                "INSERT OR IGNORE INTO outbox (kind, key) VALUES ('ballot', ?)", [[bid] for bid in sorted(added)]
            )
            db.conn.executemany(
                "INSERT OR REPLACE INTO outbox (kind, key, state) VALUES ('ballot', ?, 'pending')",
                [[bid] for bid in updated],
            )
        before = db.execute("SELECT count(*) FROM sync_conflicts").fetchone()[0]
        db.conn.executemany(
            "INSERT OR IGNORE INTO sync_conflicts (ballot_id, content_sha256, election, content, delivered_by, day) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            conflict_rows,
        )
        n_conflicts = db.execute("SELECT count(*) FROM sync_conflicts").fetchone()[0] - before
        # The domain holds exactly the ballots with an open conflict, so every tally agrees.
        for bid in {row[0] for row in conflict_rows} | set(updated):
            still_open = db.execute(
                "SELECT 1 FROM sync_conflicts WHERE ballot_id = ? AND resolution = ''", [bid]
            ).fetchone()
            if still_open:
                store.hold(db, bid, "conflict")
            else:
                store.release(db, bid)

        reg_new = reg_known = dups = 0
        for e in entries:
            row = db.execute(
                "SELECT origin FROM register WHERE election = ? AND fingerprint = ?", [e.election, e.fingerprint]
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO register (fingerprint, election, mode, origin, day) VALUES (?, ?, ?, ?, ?)",
                    [e.fingerprint, e.election, e.mode, e.origin, e.day],
                )
                if forward:
                    db.execute(
                        "INSERT OR IGNORE INTO outbox (kind, key) VALUES ('register', ?)",
                        [f"{e.election}:{e.fingerprint}"],
                    )
                reg_new += 1
                continue
            reg_known += 1
            if row[0] != e.origin:
                cur = db.conn.executemany(
                    "INSERT OR IGNORE INTO sync_voter_origins (election, fingerprint, origin) VALUES (?, ?, ?)",
                    [[e.election, e.fingerprint, row[0]], [e.election, e.fingerprint, e.origin]],
                )
                dups += 1 if cur.rowcount > 0 else 0
        if updated:
            # A review ballot replaced by its device's decision is a visible, audited event.
            audit.append(db, delivered_by, "sync.review_replaced", {"ballots": sorted(updated), "count": len(updated)})
    if n_conflicts or refused:  # counts and who delivered, never a ballot's content
        log.warning(
            "merge from %s: %d new conflict(s) held for a person, %d record(s) refused",
            delivered_by,
            n_conflicts,
            len(refused),
        )
    return MergeReport(
        n_new,
        n_known,
        int(n_conflicts),
        reg_new,
        reg_known,
        dups,
        tuple(refused),
        len(updated),
        tuple(sorted(updated)),
    )


# -- what counts, and what a person must look at ------------------------------------------


def conflicted_ids(store: Store, election_id: str) -> set[str]:
    schema.ensure(store)
    rows = store.conn.execute(
        "SELECT DISTINCT ballot_id FROM sync_conflicts WHERE election = ? AND resolution = ''", [election_id]
    ).fetchall()
    return {r[0] for r in rows}


def counted_ballots(store: Store, election_id: str | None = None) -> Iterator[Ballot]:
    """The store's ballots minus those held for a person because two copies disagree."""
    eid = election_id or store.election().id
    held = conflicted_ids(store, eid)
    for b in store.ballots(eid):
        if b.id not in held:
            yield b


@dataclass(frozen=True)
class Conflict:
    ballot_id: str
    stored: Ballot | None
    others: tuple[tuple[str, Ballot, str], ...]  # (content sha, copy, delivered by)


def conflicts(store: Store, election_id: str) -> list[Conflict]:
    out: list[Conflict] = []
    for bid in sorted(conflicted_ids(store, election_id)):
        rows = store.conn.execute(
            "SELECT content_sha256, content, delivered_by FROM sync_conflicts WHERE ballot_id = ? AND resolution = ''",
            [bid],
        ).fetchall()
        others = tuple((r[0], ballot_from_wire(json.loads(r[1])), r[2]) for r in rows)
        out.append(Conflict(bid, store.ballot(bid), others))
    return out


def resolve(store: Store, ballot_id: str, keep: str, *, actor: str) -> None:
    """A person's decision: keep the stored copy (`keep="stored"`) or the copy whose content
    hash starts with `keep`. Audited (ids and decision only, never choices); re-queued for sync."""
    schema.ensure(store)
    with store.transaction() as db:
        rows = db.execute(
            "SELECT content_sha256, content FROM sync_conflicts WHERE ballot_id = ? AND resolution = ''", [ballot_id]
        ).fetchall()
        if not rows:
            raise ConflictError(ballot_id, "aucun conflit ouvert pour ce bulletin")
        stored = store.ballot(ballot_id)
        if keep == "stored":
            db.execute(
                "UPDATE sync_conflicts SET resolution = 'rejected' WHERE ballot_id = ? AND resolution = ''", [ballot_id]
            )
        else:
            chosen = [r for r in rows if r[0].startswith(keep)]
            if len(chosen) != 1:
                raise ConflictError(ballot_id, f"« {keep} » ne désigne pas exactement une des copies")
            b = ballot_from_wire(json.loads(chosen[0][1]))
            store.replace_ballots(db, [b])
            db.execute(
                "UPDATE sync_conflicts SET resolution = 'rejected' WHERE ballot_id = ? AND resolution = ''", [ballot_id]
            )
            db.execute(
                "UPDATE sync_conflicts SET resolution = 'kept' WHERE ballot_id = ? AND content_sha256 = ?",
                [ballot_id, chosen[0][0]],
            )
            if stored is not None:
                # The copy we replaced must not reopen the conflict when it is delivered again.
                wire = json.dumps(ballot_to_wire(stored), separators=(",", ":"))
                db.execute(
                    "INSERT OR REPLACE INTO sync_conflicts (ballot_id, content_sha256, election, content, delivered_by, day, "
                    "resolution) VALUES (?, ?, ?, ?, 'local', ?, 'rejected')",
                    [ballot_id, _sha(stored.content_key()), stored.election, wire, today()],
                )
            db.execute(
                "INSERT OR REPLACE INTO outbox (kind, key, state) VALUES ('ballot', ?, 'pending')",
                [ballot_id],
            )
        store.release(db, ballot_id)
        audit.append(db, actor, "sync.conflict_resolved", {"ballot": ballot_id, "kept": keep[:12]})


def duplicate_voters(store: Store, election_id: str) -> list[tuple[str, tuple[str, ...]]]:
    """(fingerprint prefix, origins) for each voter that arrived from two origins or more."""
    schema.ensure(store)
    rows = store.conn.execute(
        "SELECT fingerprint, origin FROM sync_voter_origins WHERE election = ? ORDER BY fingerprint, origin",
        [election_id],
    ).fetchall()
    grouped: dict[str, list[str]] = {}
    for fp, origin in rows:
        grouped.setdefault(fp, []).append(origin)
    return [(fp[:12], tuple(origins)) for fp, origins in grouped.items()]
