"""Method of Equal Shares (Peters–Skowron) for approval ballots, completed by `add1`.

Contract
--------
`equal_shares(costs, approvals, budget)` returns the funded projects in the order MES funds them,
exactly as pabutools computes pabulib's `equalshares/add1`:

    method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)

- cost utilities: a voter's utility for an approved project is its cost, so a project's price
  per unit of utility is rho = q / cost, where q is what each of its (rich) supporters pays;
  supporters who hold less than q pay everything they have (Σ min(budget_i, q) = cost);
- each round funds the affordable project with the least rho; exact ties go to the project whose
  id is first in string order (pabutools' lexicographic tie-breaking);
- `add1`: every voter starts with budget/n (n = number of ballots, blank ones included); while the
  outcome is feasible but not exhaustive (some unfunded, supported, non-free project would still
  fit in the real budget) every voter gets one more unit and MES is run again; the first
  exhaustive outcome is returned, or the last feasible one once an outcome overspends.

Projects that cost nothing or that nobody approves are never funded (their Cost_Sat utility is 0).

How it is fast with the same answer
-----------------------------------
Identical ballots are merged (weights). A run of MES is traced as a function of the per-voter
start budget b (`equal_shares_core.parametric_run`): as long as the run's decisions stay the same,
every budget and price is affine in b, so one run at b also tells how many following add1 steps
fund the same projects in the same order, and those steps are skipped. Prices are computed
lazily (a project's last price is a lower bound of its next one). Every decision is checked
against a safety margin far above the rounding error; when one is too close to call (a tie), that
step is recomputed with exact fractions (`_exact_run`), which is also the reference the tests
compare against.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ballots.election import Money
from ballots.outcome.equal_shares_core import Profile, TooClose, parametric_run


class _Profile:
    """Merged ballots over the projects MES can fund (positive cost, at least one supporter)."""

    def __init__(
        self, costs: Mapping[str, Money], approvals: Sequence[Sequence[str]], weights: Sequence[int] | None
    ) -> None:
        counts: Counter[frozenset[str]] = Counter()
        for a, w in zip(approvals, weights if weights is not None else [1] * len(approvals), strict=True):
            counts[frozenset(a)] += w
        support: Counter[str] = Counter()
        for ballot, k in counts.items():
            for p in ballot:
                if p in costs:
                    support[p] += k
        # sorted by id, so the project index is also pabutools' tie-break rank
        self.projects = sorted(p for p in costs if costs[p] > 0 and support[p] > 0)
        index = {p: i for i, p in enumerate(self.projects)}
        merged: Counter[frozenset[int]] = Counter()
        for ballot, k in counts.items():
            key = frozenset(index[p] for p in ballot if p in index)
            if key:
                merged[key] += k
        self.ballots = list(merged.items())
        self.costs = [Fraction(costs[p]) for p in self.projects]  # exact, cents included
        self.supporters: list[list[int]] = [[] for _ in self.projects]
        for u, (members, _) in enumerate(self.ballots):
            for j in members:
                self.supporters[j].append(u)
        self.core = Profile([float(c) for c in self.costs], [k for _, k in self.ballots], self.supporters)


def _exact_run(
    pr: _Profile, b: Fraction, rank: Sequence[int] | None = None, ties: list[tuple[int, ...]] | None = None
) -> list[int]:
    """One MES run at start budget b in exact arithmetic (the pabutools algorithm, merged ballots).

    `rank`: the tie-break (the tied project of lowest rank is funded; the index, as pabutools, when
    None); `ties`, when a list is passed, receives each round's exactly tied projects, winner first."""
    order = list(range(len(pr.projects)))
    if rank is not None:
        order.sort(key=lambda p: rank[p])
    budget = [b] * len(pr.ballots)
    weight = [k for _, k in pr.ballots]
    remaining = set(order)
    chosen: list[int] = []
    while True:
        best: tuple[Fraction, int, Fraction] | None = None
        level: list[int] = []  # every project at the best price, in tie-break order
        for p in order:
            if p not in remaining:
                continue
            cost = pr.costs[p]
            groups: Counter[Fraction] = Counter()
            for u in pr.supporters[p]:
                if budget[u] > 0:
                    groups[budget[u]] += weight[u]
            if sum(val * k for val, k in groups.items()) < cost:
                remaining.discard(p)
                continue
            paid, rich = Fraction(0), sum(groups.values())
            q = Fraction(0)
            for val in sorted(groups):
                q = (cost - paid) / rich
                if q <= val:
                    break
                paid += val * groups[val]
                rich -= groups[val]
            rho = q / cost
            if best is None or rho < best[0]:
                best, level = (rho, p, q), [p]
            elif rho == best[0]:
                level.append(p)
        if best is None:
            return chosen
        _, p, q = best
        if ties is not None and len(level) > 1:
            ties.append(tuple(level))
        chosen.append(p)
        remaining.discard(p)
        for u in pr.supporters[p]:
            budget[u] -= min(budget[u], q)


@dataclass(frozen=True)
class PriceTie:
    """Projects at exactly the same price per unit of utility in one round of MES, where the
    tie-break (smallest id first) decided who is funded: with the tie broken the other way round
    the selection would differ."""

    tied: tuple[str, ...]  # the tied projects, in the order the tie-break took them
    funded: tuple[str, ...]  # those of them in the final selection


def _add1(
    pr: _Profile, total: Fraction, n: int, add1: bool, until_overspent: bool, st: dict[str, int],
    rank: np.ndarray | None = None,
) -> tuple[list[int], Fraction, bool]:  # fmt: skip
    """The add1 loop: the selection, the start budget of the run that gave it, and whether any run
    met an exact tie (settled by `rank`, the index by default)."""
    start = total / n

    def outcome_cost(sel: list[int]) -> Fraction:
        return sum((pr.costs[p] for p in sel), Fraction(0))

    def exhaustive(sel: list[int]) -> bool:
        spent = outcome_cost(sel)
        taken = set(sel)
        return all(p in taken or spent + pr.costs[p] > total for p in range(len(pr.projects)))

    previous: list[int] = []
    at, tied_any = start, False
    k, span = 0, 16
    while True:
        b = start + k
        st["runs"] += 1
        try:
            sel, steps, tied = parametric_run(pr.core, float(b), span, rank)
        except TooClose:
            found: list[tuple[int, ...]] = []
            sel, steps = _exact_run(pr, b, None if rank is None else [int(r) for r in rank], found), 0
            tied = bool(found)
            st["exact"] += 1
        tied_any = tied_any or tied
        if not add1:
            previous, at = sel, b
            break
        if outcome_cost(sel) > total:
            break
        previous, at = sel, b
        if len(sel) == len(pr.projects) or (not until_overspent and exhaustive(sel)):
            break
        k += steps + 1
        span = max(4, 2 * steps + 2, span // 2)  # a region's length hints at the next one's
    return previous, at, tied_any


def _decisive(pr: _Profile, funded: list[int], at: Fraction, other: list[int]) -> list[PriceTie]:
    """The ties that decided the selection `funded` (made at start budget `at`), given the selection
    `other` that the opposite tie-break makes: the ties of the deciding run that split their projects
    between funded and not, else every tie of that run, else the projects the two selections differ on
    (a tie in an earlier add1 run moved where add1 stopped).

    A tie whose projects are all funded either way can still decide another project (who pays
    for which of the two moves the voters' remaining shares): the projects the two selections
    differ on are then named with it, so the words never present a decisive tie as harmless."""
    won = set(funded)
    differ = won ^ set(other)
    rounds: list[tuple[int, ...]] = []
    _exact_run(pr, at, None, rounds)

    def tie(ps: Sequence[int]) -> PriceTie:
        return PriceTie(tuple(pr.projects[p] for p in ps), tuple(pr.projects[p] for p in ps if p in won))

    unique = list(dict.fromkeys(rounds))
    split = [t for t in unique if any(p in won for p in t) and not all(p in won for p in t)]
    if split:
        return [tie(t) for t in split]
    if unique:
        return [tie(t if differ & set(t) else (*t, *sorted(differ - set(t)))) for t in unique]
    return [tie(sorted(differ))]


def equal_shares(
    costs: Mapping[str, Money],
    approvals: Sequence[Sequence[str]],
    budget: Money,
    order: Sequence[str] = (),
    *,
    add1: bool = True,
    until_overspent: bool = False,
    weights: Sequence[int] | None = None,
    stats: dict[str, int] | None = None,
    ties: list[PriceTie] | None = None,
    reverse_ties: bool = False,
) -> tuple[str, ...]:
    """The projects funded by MES (cost utilities) with add1 completion, in funding order.

    `weights`: how many voters cast each of `approvals` (identical ballots grouped), 1 each if None;
    `until_overspent`: add1 goes on past the first exhaustive outcome, as long as the outcome fits
    the budget (pabulib's checker computes `equalshares/add1-comparison` so; Wieliczka 2023);
    `order` (the election's order) only decides the order of the returned tuple when given;
    `stats`, when a dict is passed, receives how many runs were made and how many were exact;
    `ties`, when a list is passed, receives the exact ties of price that decided the selection
    (empty when breaking every tie the other way round selects the same projects);
    `reverse_ties`: break ties the other way round (largest id first), for that comparison and tests.
    """
    st = stats if stats is not None else {}
    st.update(runs=0, exact=0)
    n = len(approvals) if weights is None else sum(weights)
    if n == 0 or budget <= 0:
        return ()
    pr = _Profile(costs, approvals, weights)
    if not pr.projects:
        return ()
    total = Fraction(budget)  # exact: a budget such as 1555905.71 is not a binary float
    backwards = np.arange(len(pr.projects))[::-1].copy()  # rank of each project: largest id first
    previous, at, tied = _add1(pr, total, n, add1, until_overspent, st, backwards if reverse_ties else None)
    if ties is not None and tied and not reverse_ties:
        # a tie was met: it decided something only if the other tie-break selects other projects
        other, _, _ = _add1(pr, total, n, add1, until_overspent, {"runs": 0, "exact": 0}, backwards)
        if set(other) != set(previous):
            ties.extend(_decisive(pr, previous, at, other))
    funded = [pr.projects[p] for p in previous]
    if order:
        pos = {p: i for i, p in enumerate(order)}
        funded.sort(key=lambda p: (pos.get(p, len(pos)), p))
    return tuple(funded)
