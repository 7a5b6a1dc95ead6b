"""Ties inside the Method of Equal Shares: found when they decided the selection, and said so.

A tie of price (two projects whose supporters would pay exactly the same share per euro) is broken
by project id, as pabutools does. It decided something when breaking every tie the other way round
(largest id first) selects other projects: the reference below is a plain fractions MES with that
other tie-break, so the property compares the rule against an independent computation.
"""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings

from ballots import results
from ballots.ballot import Channel, new_ballot
from ballots.election import OutcomeRule
from ballots.outcome.equal_shares import PriceTie, equal_shares
from ballots.report.labels import tie_at_fr
from tests.ballots.test_outcome import instances, reference_mes


def test_a_tie_of_price_that_decided_the_winner_is_named():
    # a and b cost the same and have the same supporters: exactly tied, only one fits
    ties: list[PriceTie] = []
    assert equal_shares({"b": 10, "a": 10}, [["a", "b"]] * 4, 10, ties=ties) == ("a",)
    assert ties == [PriceTie(("a", "b"), ("a",))]
    # the other tie-break funds b instead: that is what makes the tie decisive
    assert equal_shares({"b": 10, "a": 10}, [["a", "b"]] * 4, 10, reverse_ties=True) == ("b",)


def test_a_tie_that_decided_nothing_is_not_named():
    ties: list[PriceTie] = []
    # both fit: the tie only decided which one MES funded first
    assert set(equal_shares({"b": 10, "a": 10}, [["a", "b"]] * 4, 20, ties=ties)) == {"a", "b"}
    assert ties == []
    # no tie at all: c has more supporters, so a lower price
    assert equal_shares({"a": 10, "c": 10}, [["a", "c"], ["c"], ["c"]], 10, ties=ties) == ("c",)
    assert ties == []


def test_a_tie_between_two_funded_projects_that_decided_a_third_names_it():
    """Regression (hypothesis, CI): p2 and p3 tie and both are funded either way, but which one is
    paid first moves the voters' remaining shares, and the other tie-break also funds p4. The tie
    was named as p2-p3 only, which reads as harmless; it now names p4, left out by the rule."""
    costs = {"p0": 25, "p1": 0, "p2": 1, "p3": 3, "p4": 10}
    approvals = [["p0", "p2", "p3", "p4"], ["p0", "p2", "p3"], []]
    ties: list[PriceTie] = []
    assert set(equal_shares(costs, approvals, 14, ties=ties)) == {"p2", "p3"}
    assert set(equal_shares(costs, approvals, 14, reverse_ties=True)) == {"p2", "p3", "p4"}
    assert ties == [PriceTie(("p2", "p3", "p4"), ("p2", "p3"))]


@settings(max_examples=300)
@given(instances(max_projects=5, max_voters=8))
def test_ties_are_named_exactly_when_the_other_tie_break_selects_otherwise(inst):
    costs, approvals, budget, _ = inst
    ties: list[PriceTie] = []
    got = equal_shares(costs, approvals, budget, ties=ties)
    same = reference_mes(costs, approvals, budget)
    other = reference_mes(costs, approvals, budget, reverse=True)
    assert set(got) == same
    # the fast run with the other tie-break agrees with the plain one (parametric and exact paths)
    assert set(equal_shares(costs, approvals, budget, reverse_ties=True)) == other
    assert bool(ties) == (same != other)
    for t in ties:
        assert set(t.funded) == set(t.tied) & same
        assert set(t.tied) <= set(costs)
        # a tie names projects the two tie-breaks disagree on, or the ones it split
        assert set(t.tied) & (same ^ other) or (t.funded and set(t.funded) != set(t.tied))


@settings(max_examples=40)
@given(instances(max_projects=10, max_voters=40))
def test_ties_on_larger_instances(inst):
    costs, approvals, budget, _ = inst
    budget *= 4
    ties: list[PriceTie] = []
    same = set(equal_shares(costs, approvals, budget, ties=ties))
    other = reference_mes(costs, approvals, budget, reverse=True)
    assert bool(ties) == (same != other)


def test_the_results_and_the_pv_words_name_an_equal_shares_tie(budget_election):
    """Two projects of the same cost backed by the same voters, room for one: equal shares funds
    the smaller id, and the results carry the tie with its rule, as for greedy's ties."""
    q0 = budget_election.questions[0]
    a, b = sorted(q0.choice_ids[:2])
    cost = 10_000
    choices = tuple(dataclasses.replace(c, cost=cost) if c.id in (a, b) else c for c in q0.choices)
    q = dataclasses.replace(q0, choices=choices, rule=dataclasses.replace(q0.rule, budget=cost))
    e = dataclasses.replace(budget_election, questions=(q,), outcome=OutcomeRule.EQUAL_SHARES)
    ballots = [new_ballot(e, {q.id: (a, b)}, channel=Channel.KIOSK, device="t", day="2026-05-10") for _ in range(3)]
    qr = results.compute(e, ballots).question(q.id)
    assert qr.winners == (a,)
    assert [(t.choices, t.selected, t.rule) for t in qr.ties] == [((a, b), (a,), "id_order")]
    assert tie_at_fr("id_order", 0) == "de prix par euro (parts égales)"
    assert tie_at_fr("election_order", 1200) == "à 1\xa0200 voix"  # a no-break space groups thousands
