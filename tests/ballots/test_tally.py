"""The tally equals an independent recount and does not depend on ballot order."""

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from ballots.ballot import Ballot, BallotStatus, Channel
from ballots.election import RuleKind
from ballots.tally import tally
from tests.factories import election, question

Q_APPROVAL = question("a", RuleKind.APPROVAL, n=5, max=3)
Q_RANKED = question("r", RuleKind.RANKED, n=4, max=3)
Q_SINGLE = question("s", RuleKind.SINGLE, n=2, min=1, max=1)
E = election(Q_APPROVAL, Q_RANKED, Q_SINGLE)

choice_lists = {q.id: st.lists(st.sampled_from(q.choice_ids), max_size=len(q.choices) + 1) for q in E.questions}
ballot_st = st.builds(
    lambda sel, channel, status, test, n: Ballot(
        id=f"b{n}",
        election=E.id,
        channel=channel,
        device="d",
        selection=sel,
        status=status,
        day="2026-05-02",
        test=test,
    ),
    st.fixed_dictionaries({k: v.map(tuple) for k, v in choice_lists.items()}),
    st.sampled_from(list(Channel)),
    st.sampled_from(list(BallotStatus)),
    st.booleans(),
    st.integers(),
)


def recount(ballots):
    """Plain independent recount, written without the tally module's helpers."""
    votes = {q.id: Counter() for q in E.questions}
    points = {q.id: Counter() for q in E.questions}
    blank = Counter()
    invalid = Counter()
    for b in ballots:
        if not b.test and b.status is BallotStatus.VOID:  # declared nul: a nul on every question
            for q in E.questions:
                invalid[q.id] += 1
            continue
        if b.test or b.status is not BallotStatus.COUNTED:
            continue
        for q in E.questions:
            chosen = b.selection[q.id]
            limit = 1 if q.rule.kind is RuleKind.SINGLE else q.rule.max
            if not chosen:
                blank[q.id] += 1
            elif len(chosen) > limit or len(set(chosen)) < len(chosen):
                invalid[q.id] += 1
            else:
                for rank, c in enumerate(chosen):
                    votes[q.id][c] += 1
                    points[q.id][c] += (q.rule.max - rank) if q.rule.kind is RuleKind.RANKED else 1
    return votes, points, blank, invalid


@settings(max_examples=150)
@given(st.lists(ballot_st, max_size=40), st.randoms(use_true_random=False))
def test_tally_equals_recount_and_ignores_order(ballots, rnd):
    t = tally(E, ballots)
    votes, points, blank, invalid = recount(ballots)
    for q in E.questions:
        qt = t.question(q.id)
        assert qt.votes() == {c: votes[q.id][c] for c in q.choice_ids}
        assert qt.points() == {c: points[q.id][c] for c in q.choice_ids}
        assert (qt.blank, qt.invalid) == (blank[q.id], invalid[q.id])
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert tally(E, shuffled) == t
    assert t.ballots_counted == sum(1 for b in ballots if not b.test and b.status is BallotStatus.COUNTED)


@settings(max_examples=150)
@given(st.lists(ballot_st, max_size=40))
def test_votants_equal_exprimes_plus_blancs_plus_nuls(ballots):
    """French practice, on every question: votants = exprimés + blancs + nuls, where votants are
    the counted ballots and those the commission declared nul (never review, rejected, spoiled)."""
    t = tally(E, ballots)
    official = [b for b in ballots if not b.test]
    votants = sum(1 for b in official if b.status in (BallotStatus.COUNTED, BallotStatus.VOID))
    assert t.voters == votants
    assert t.void == sum(1 for b in official if b.status is BallotStatus.VOID)
    for q in E.questions:
        qt = t.question(q.id)
        assert qt.expressed + qt.blank + qt.invalid == votants
        assert qt.invalid >= t.void  # a ballot declared nul is in the nuls of every question
        # exprimés counted on their own: the ballots whose answer gave votes
        assert qt.expressed == sum(
            1 for b in official if b.status is BallotStatus.COUNTED and b.selection[q.id]
            and len(b.selection[q.id]) <= (1 if q.rule.kind is RuleKind.SINGLE else q.rule.max)
            and len(set(b.selection[q.id])) == len(b.selection[q.id])
        )  # fmt: skip


def test_by_channel_and_reconciliation():
    q = E.questions[0]
    ballots = [Ballot(f"k{i}", E.id, Channel.KIOSK, "d", {q.id: ("ac0",)}, day="2026-05-02") for i in range(3)] + [
        Ballot("p1", E.id, Channel.PAPER, "d", {q.id: ("ac0", "ac1")}, day="2026-05-02")
    ]
    t = tally(E, ballots, register=4)
    assert t.by_channel == {"kiosk": 3, "paper": 1}
    assert t.question("a").choices[0].by_channel == {"kiosk": 3, "paper": 1}
    assert t.register_mismatch == -1  # one register entry more than kiosk ballots: reported


def test_other_elections_ballots_are_ignored():
    q = E.questions[0]
    stray = Ballot("x", "other-election", Channel.KIOSK, "d", {q.id: ("ac0",)}, day="2026-05-02")
    assert tally(E, [stray]).ballots_counted == 0


def test_big_random_tally_is_stable():
    rng = random.Random(7)
    ballots = [
        Ballot(
            f"b{i}",
            E.id,
            Channel.KIOSK,
            "d",
            {"a": tuple(rng.sample(Q_APPROVAL.choice_ids, rng.randint(0, 3))), "r": (), "s": ("sc0",)},
            day="2026-05-02",
        )
        for i in range(2000)
    ]
    t = tally(E, ballots)
    assert sum(t.question("a").votes().values()) == sum(len(b.selection["a"]) for b in ballots)
    assert t.question("s").votes() == {"sc0": 2000, "sc1": 0}
