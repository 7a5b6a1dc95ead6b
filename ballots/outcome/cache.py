"""Outcomes cached with the store's state: equal shares is computed once per change of the ballots.

The key is a SHA-256 of what the outcome depends on (the election's fingerprint, its rule, and
the counted ballots as groups of identical answers); a `urne tally`, a report or a results screen
asking again with nothing changed reads the winners back instead of running the rule again.

Secrecy: one row per (election, question), replaced at each change: the cache holds the winners of
the current state only (which the results show anyway), never a history of counts that could be
compared to find one voter's ballot. Only rules that read the ballots are cached (equal shares);
greedy and plurality come from the counts in microseconds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ballots.election import Election, OutcomeRule, money, money_json
from ballots.outcome import Outcome, decide
from ballots.outcome.equal_shares import PriceTie
from ballots.tally import Group, Tally

MIGRATIONS = Migrations("outcome")
CACHED_RULES = (OutcomeRule.EQUAL_SHARES, OutcomeRule.EQUAL_SHARES_COMPARISON)
CACHE_VERSION = 3  # what an Outcome holds: 2 = with `price_ties`, 3 = a tie names the projects it decided


@MIGRATIONS()
def m001_outcome_cache(db: Database) -> None:
    db.execute(
        """CREATE TABLE outcome_cache (
            election TEXT NOT NULL,
            question TEXT NOT NULL,
            state TEXT NOT NULL,
            outcome TEXT NOT NULL,
            PRIMARY KEY (election, question)) WITHOUT ROWID"""
    )


def state_key(election: Election, question: str, groups: Sequence[Group]) -> str:
    """What the outcome depends on, hashed: the definition, the rule and the grouped answers."""
    h = hashlib.sha256()
    # CACHE_VERSION: rows written before the outcome carried its ties of price are computed again
    h.update(f"{CACHE_VERSION}\0{election.fingerprint}\0{election.outcome.value}\0{question}\0".encode())
    rows = sorted((json.dumps(list(g.selection.get(question, ())), ensure_ascii=False), g.weight) for g in groups)
    merged: dict[str, int] = {}
    for answer, w in rows:  # the same answer from two channels counts the same for the rule
        merged[answer] = merged.get(answer, 0) + w
    h.update(json.dumps(sorted(merged.items()), ensure_ascii=False).encode())
    return h.hexdigest()


def _dump(o: Outcome) -> str:
    d: dict[str, Any] = {
        "rule": o.rule,
        "winners": list(o.winners),
        "spent": money_json(o.spent),
        "budget": money_json(o.budget),
        "tie_break": o.tie_break,
        "min_score": o.min_score,
        "note": o.note,
        "price_ties": [{"tied": list(t.tied), "funded": list(t.funded)} for t in o.price_ties],
    }
    return json.dumps(d, ensure_ascii=False)


def _load(question: str, text: str) -> Outcome:
    d = json.loads(text)
    return Outcome(
        question,
        d["rule"],
        tuple(d["winners"]),
        money(d["spent"]),
        money(d["budget"]),
        d["tie_break"],
        d["min_score"],
        d["note"],
        tuple(PriceTie(tuple(t["tied"]), tuple(t["funded"])) for t in d.get("price_ties", ())),
    )


def decide_all(store: Any, election: Election, t: Tally, groups: Sequence[Group]) -> tuple[Outcome, ...]:
    """`ballots.outcome.decide_all`, with equal shares read back from the store when nothing changed."""
    out: list[Outcome] = []
    cached = election.outcome in CACHED_RULES
    if cached:
        store.ensure(MIGRATIONS)
    for q in election.questions:
        qt = t.question(q.id)
        if not cached or q.rule.budget <= 0:
            out.append(decide(election, q, qt, groups=groups))
            continue
        key = state_key(election, q.id, groups)
        row = store.conn.execute(
            "SELECT state, outcome FROM outcome_cache WHERE election = ? AND question = ?", [election.id, q.id]
        ).fetchone()
        if row is not None and row[0] == key:
            out.append(_load(q.id, row[1]))
            continue
        outcome = decide(election, q, qt, groups=groups)
        with store.transaction() as db:
            db.conn.execute(
                "INSERT OR REPLACE INTO outcome_cache (election, question, state, outcome) VALUES (?, ?, ?, ?)",
                [election.id, q.id, key, _dump(outcome)],
            )
        out.append(outcome)
    return tuple(out)
