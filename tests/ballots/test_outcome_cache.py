"""Grouped counting and the outcome cache: the same numbers as counting every ballot, computed
once per change of the ballots."""

from __future__ import annotations

import random

from ballots.ballot import BallotStatus, Channel, new_ballot
from ballots.outcome import cache, decide_all
from ballots.store import Polls, Store
from ballots.tally import tally, tally_groups
from tests.conftest import pabulib_file


def _store(tmp_path, election, ballots) -> Store:
    s = Store(tmp_path / "d")
    s.install_election(election)
    s.set_polls(Polls.OPEN, actor="t")
    s.cast_many(ballots)
    return s


def test_the_stores_groups_count_like_every_ballot(tmp_path, budget_election):
    e = budget_election
    q = e.questions[0]
    rng = random.Random(7)
    ballots = [
        new_ballot(
            e,
            {q.id: tuple(rng.sample(q.choice_ids, rng.randint(0, 7)))},  # blanks and overvotes too
            channel=rng.choice([Channel.KIOSK, Channel.PAPER]),
            device="d",
        )
        for _ in range(400)
    ]
    s = _store(tmp_path, e, ballots)
    spoiled = ballots[0]
    s.set_status(spoiled.id, BallotStatus.SPOILED, actor="staff")
    groups = s.counted_groups()
    assert len(groups) < 400 and sum(g.weight for g in groups) == 399
    st = s.statuses()
    t = tally_groups(e, groups, spoiled=st.get("spoiled", 0), rejected=st.get("rejected", 0))
    assert t == tally(e, s.ballots())
    s.close()


def test_equal_shares_is_computed_once_per_change(tmp_path, monkeypatch):
    from ballots import pabulib

    pb = pabulib.load(pabulib_file("Netherlands_Assen_2024.pb"))
    s = _store(tmp_path, pb.election, pb.ballots)
    runs = []
    real = cache.decide
    monkeypatch.setattr(cache, "decide", lambda *a, **k: runs.append(1) or real(*a, **k))

    def outcome():
        groups = s.counted_groups()
        return cache.decide_all(s, pb.election, tally_groups(pb.election, groups), groups)

    first = outcome()
    assert set(first[0].winners) == set(pb.selected or ()) and len(runs) == 1
    assert outcome() == first and len(runs) == 1  # nothing changed: read back
    assert first == decide_all(pb.election, tally(pb.election, s.ballots()), list(s.ballots()))
    q = pb.question
    s.cast(new_ballot(pb.election, {q.id: q.choice_ids[:3]}, channel=Channel.KIOSK, device="k"))
    changed = outcome()
    assert len(runs) == 2  # a new ballot: computed again
    assert changed == decide_all(pb.election, tally(pb.election, s.ballots()), list(s.ballots()))
    # one row per question: the cache keeps no history of earlier states
    assert s.conn.execute("SELECT count(*) FROM outcome_cache").fetchone()[0] == 1
    s.close()
