"""Outcome rules: the real winners of the shared pabulib elections, and properties of greedy / MES."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ballots import pabulib
from ballots.outcome import decide_all
from ballots.outcome.equal_shares import equal_shares
from ballots.outcome.greedy import greedy
from ballots.tally import tally
from tests.conftest import pabulib_file


def _winners(name: str) -> tuple[pabulib.PabulibElection, set[str]]:
    pb = pabulib.load(pabulib_file(name))
    t = tally(pb.election, pb.ballots)
    (outcome,) = decide_all(pb.election, t, pb.ballots)
    assert outcome.spent <= outcome.budget
    return pb, set(outcome.winners)


@pytest.mark.parametrize("name", ["Poland_Swiecie_2023.pb", "Netherlands_Assen_2024.pb"])
def test_equal_shares_reproduces_the_official_selection(name):
    pb, winners = _winners(name)
    assert pb.election.outcome.value == "equalshares"
    assert winners == set(pb.selected or ())


def test_wieliczka_add1_comparison_goes_on_while_the_outcome_fits():
    """Wieliczka's META rule is `equalshares/add1-comparison`. pabutools' add1 (stop at the first
    exhaustive outcome) funds 66 and 67 where the city funded 46; pabulib's checker goes on raising
    the voters' budget while the outcome fits, then compares with greedy (MES is kept): that is the
    official selection, and Urne's `equalshares/add1-comparison`."""
    pb, winners = _winners("Poland_Wieliczka_2023_Green_Budget.pb")
    assert pb.meta["rule"] == "equalshares/add1-comparison"
    official = set(pb.selected or ())
    assert winners == official
    q = pb.question
    approvals = [b.selection["pb"] for b in pb.ballots]
    plain = set(equal_shares({c.id: c.cost for c in q.choices}, approvals, q.rule.budget))
    assert plain - official == {"66", "67"} and official - plain == {"46"}


@pytest.mark.parametrize(
    "name",
    ["Poland_Lodz_2022.pb", "Poland_Warszawa_2020_Praga-Poludnie.pb", "Poland_Krakow_2024.pb"],
)
def test_greedy_reproduces_the_official_selection(name):
    """The three greedy files that carry a `selected` column (the Toulouse ones do not)."""
    pb, winners = _winners(name)
    assert pb.election.outcome.value == pb.meta["rule"]
    assert winners == set(pb.selected or ())
    if pb.meta["rule"] == "greedy-threshold":
        # Łódź funds only projects with at least 100 votes
        threshold = int(pb.meta["min_project_score_threshold"])
        assert min(pb.votes[p] for p in winners) >= threshold == pb.question.rule.min_score


def test_files_without_a_selection_column():
    for name in ("France_Toulouse_2022.pb", "France_Toulouse_2024.pb", "Switzerland_Zurich_D10.pb"):
        assert pabulib.load(pabulib_file(name)).selected is None


# ---------------------------------------------------------------- properties


def reference_run(
    costs: dict[str, int], approvals: list[list[str]], per_voter: Fraction, reverse: bool = False
) -> list[str]:
    """One run of MES with cost utilities, written plainly with fractions (pabutools semantics);
    exact ties go to the smallest id, or to the largest when `reverse`."""
    n = len(approvals)
    projects = [p for p in costs if costs[p] > 0 and any(p in a for a in approvals)]
    money = [per_voter] * n
    left = set(projects)
    chosen: list[str] = []
    while True:
        best = None
        for p in sorted(left, reverse=reverse):
            voters = [i for i in range(n) if p in approvals[i]]
            if sum(money[i] for i in voters) < costs[p]:
                left.discard(p)
                continue
            paid, rich, share = Fraction(0), len(voters), Fraction(0)
            for i in sorted(voters, key=lambda i: money[i]):
                share = (costs[p] - paid) / rich
                if share <= money[i]:
                    break
                paid += money[i]
                rich -= 1
            rho = share / costs[p]
            if best is None or rho < best[0]:
                best = (rho, p, share)
        if best is None:
            return chosen
        _, p, share = best
        chosen.append(p)
        left.discard(p)
        for i in range(n):
            if p in approvals[i]:
                money[i] -= min(money[i], share)


def reference_mes(costs: dict[str, int], approvals: list[list[str]], budget: int, reverse: bool = False) -> set[str]:
    """add1 as pabutools runs it: one more unit per voter until exhaustive or overspent."""
    projects = [p for p in costs if costs[p] > 0 and any(p in a for a in approvals)]
    per_voter = Fraction(budget, len(approvals))
    previous: list[str] = []
    while True:
        out = reference_run(costs, approvals, per_voter, reverse)
        spent = sum(costs[p] for p in out)
        if spent > budget:
            return set(previous)
        if all(p in out or spent + costs[p] > budget for p in projects):
            return set(out)
        previous = out
        per_voter += 1


@st.composite
def instances(draw, max_projects=6, max_voters=9):
    k = draw(st.integers(1, max_projects))
    ids = [f"p{i}" for i in range(k)]
    costs = {p: draw(st.sampled_from([0, 1, 2, 3, 5, 10, 10, 20, 25, 40])) for p in ids}
    n = draw(st.integers(1, max_voters))
    approvals = [draw(st.lists(st.sampled_from(ids), unique=True, max_size=k)) for _ in range(n)]
    budget = draw(st.integers(1, 80))
    seed = draw(st.integers(0, 2**16))
    return costs, approvals, budget, seed


@settings(max_examples=250)
@given(instances())
def test_equal_shares_matches_the_reference_and_the_budget(inst):
    costs, approvals, budget, seed = inst
    got = equal_shares(costs, approvals, budget)
    assert set(got) == reference_mes(costs, approvals, budget)
    assert sum(costs[p] for p in got) <= budget
    assert len(set(got)) == len(got)
    shuffled = list(approvals)
    random.Random(seed).shuffle(shuffled)
    assert equal_shares(costs, [list(reversed(a)) for a in shuffled], budget) == got
    # without completion: one run at budget/n, funded in the same order as the plain run
    plain = equal_shares(costs, approvals, budget, add1=False)
    assert list(plain) == reference_run(costs, approvals, Fraction(budget, len(approvals)))


@settings(max_examples=40)
@given(instances(max_projects=12, max_voters=60))
def test_equal_shares_on_larger_instances(inst):
    costs, approvals, budget, _ = inst
    budget *= 5
    assert set(equal_shares(costs, approvals, budget)) == reference_mes(costs, approvals, budget)


def test_equal_shares_ties_go_to_the_smaller_id_as_in_pabutools():
    # two projects with the same cost and the same support: exactly tied, only one fits
    costs = {"b": 10, "a": 10}
    assert equal_shares(costs, [["a", "b"]] * 4, 10) == ("a",)
    # disjoint supporters: both become affordable at the same add1 step and overspend together,
    # so add1 returns the step before (nothing funded), as pabutools does
    assert equal_shares(costs, [["b"], ["a"]] * 2, 10) == ()
    assert reference_mes(costs, [["b"], ["a"]] * 2, 10) == set()
    # a project nobody approves and a free one are never funded (Cost_Sat utility 0)
    assert equal_shares({"x": 5, "free": 0}, [["free"], ["free"]], 100) == ()


def test_equal_shares_returns_in_election_order_when_asked():
    costs = {"z": 10, "y": 10, "x": 30}
    ballots = [["z", "y"], ["z"], ["y"], ["x"]]
    funded = equal_shares(costs, ballots, 40, order=("x", "y", "z"))
    assert set(funded) == reference_mes(costs, ballots, 40)
    assert list(funded) == sorted(funded, key=("x", "y", "z").index)


@settings(max_examples=200)
@given(
    st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 50), min_size=1),
    st.integers(0, 150),
    st.integers(0, 2**16),
    st.data(),
)
def test_greedy_stays_within_budget_and_ignores_ballot_order(costs, budget, seed, data):
    ids = list(costs)
    ballots = [data.draw(st.lists(st.sampled_from(ids), unique=True)) for _ in range(data.draw(st.integers(0, 12)))]
    scores = {p: sum(p in b for b in ballots) for p in ids}
    won = greedy(costs, scores, budget, order=ids)
    assert sum(costs[p] for p in won) <= budget
    # nothing with a vote that was left out would still fit, and nothing without a vote is funded
    left = budget - sum(costs[p] for p in won)
    assert all(costs[p] > left for p in ids if p not in won and scores[p] > 0)
    assert all(scores[p] > 0 for p in won)
    shuffled = list(ballots)
    random.Random(seed).shuffle(shuffled)
    assert greedy(costs, {p: sum(p in b for b in shuffled) for p in ids}, budget, order=ids) == won


def test_a_near_tie_is_settled_in_exact_arithmetic():
    costs = {"p0": 10, "p1": 10, "p2": 5, "p3": 20, "p4": 2}
    ballots = [["p1", "p0", "p3", "p2"], ["p4", "p2", "p3"], ["p3", "p2"]]
    stats: dict[str, int] = {}
    got = equal_shares(costs, ballots, 43, stats=stats)
    assert stats["exact"] >= 1  # the floating-point run refused to call it
    assert set(got) == reference_mes(costs, ballots, 43) == {"p0", "p2", "p3", "p4"}


def test_greedy_variants_on_a_small_case():
    costs = {"a": 5, "b": 6, "c": 1, "d": 2}
    scores = {"a": 10, "b": 9, "c": 8, "d": 0}
    assert greedy(costs, scores, 10, "abcd") == ("a", "c")  # b skipped, d has no vote
    assert greedy(costs, scores, 10, "abcd", skip=False) == ("a",)  # stops at b
    assert greedy(costs, scores, 10, "abcd", min_score=9) == ("a",)  # c below the threshold
    assert greedy(costs, scores, 10, "abcd", keep_unvoted=True) == ("a", "c", "d")
    # a project below the threshold does not stop a no-skip run
    assert greedy({"a": 5, "b": 9, "c": 5}, {"a": 10, "b": 1, "c": 5}, 10, "abc", skip=False, min_score=2) == ("a", "c")


def test_decimal_budget_is_exact():
    from decimal import Decimal

    costs = {"a": Decimal("0.1"), "b": Decimal("0.2"), "c": Decimal("0.01")}
    # 0.1 + 0.2 == 0.3 exactly: a float budget check would refuse c
    assert greedy(costs, {"a": 3, "b": 2, "c": 1}, Decimal("0.31"), "abc") == ("a", "b", "c")
