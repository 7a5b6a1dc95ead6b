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
Identical ballots are merged (weights). A run of MES is computed in floating point, vectorised
over voters and projects, but as a function of the per-voter start budget b: every budget and
every price is affine in b as long as the run's decisions (who is poor, which project wins each
round, which ones are unaffordable) stay the same. Each run therefore also yields how far b may
grow before any decision could change, and all the add1 steps in between — which would give the
same outcome — are skipped. Every decision is checked against a safety margin far above the
rounding error; when one is too close to call (a tie), that step is recomputed with exact
fractions (`_exact_run`), which is also the reference the tests compare against.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np

# Relative margin below which a floating-point decision is considered too close to call.
_TOL = 1e-9


class _Profile:
    """Merged ballots over the projects MES can fund (positive cost, at least one supporter)."""

    def __init__(self, costs: Mapping[str, int], approvals: Sequence[Sequence[str]]) -> None:
        counts: Counter[frozenset[str]] = Counter(frozenset(a) for a in approvals)
        support: Counter[str] = Counter()
        for ballot, k in counts.items():
            for p in ballot:
                if p in costs:
                    support[p] += k
        self.projects = sorted(p for p in costs if costs[p] > 0 and support[p] > 0)
        index = {p: i for i, p in enumerate(self.projects)}
        merged: Counter[frozenset[int]] = Counter()
        for ballot, k in counts.items():
            key = frozenset(index[p] for p in ballot if p in index)
            if key:
                merged[key] += k
        self.ballots = list(merged.items())
        self.costs = [int(costs[p]) for p in self.projects]
        self.supporters: list[list[int]] = [[] for _ in self.projects]
        for u, (members, _) in enumerate(self.ballots):
            for j in members:
                self.supporters[j].append(u)
        n_u, n_p = len(self.ballots), len(self.projects)
        self.A = np.zeros((n_u, n_p), dtype=bool)
        for u, (members, _) in enumerate(self.ballots):
            self.A[u, sorted(members)] = True
        self.m = np.array([k for _, k in self.ballots], dtype=np.float64)
        self.c = np.array(self.costs, dtype=np.float64)
        # self.projects is sorted by id, so the project index is also the tie-break rank.


def _roots_after(a: np.ndarray, s: np.ndarray, b: float) -> float:
    """Smallest x >= b where some a + s*x may reach 0, given a + s*b > 0 (inf if never)."""
    neg = s < 0
    if not neg.any():
        return math.inf
    return float(max(b, np.min(-a[neg] / s[neg])))


def _float_run(pr: _Profile, b: float) -> tuple[list[int], float] | None:
    """One MES run at start budget b: the funded projects and the budget b_hi up to which
    (excluded) the run is certainly the same; None when a decision is too close to call."""
    n_u, n_p = pr.A.shape
    alpha = np.zeros(n_u)  # budget of each merged ballot = alpha + beta * b
    beta = np.ones(n_u)
    spent = np.zeros(n_u, dtype=bool)  # budget exactly zero for every b near this one
    remaining = np.ones(n_p, dtype=bool)
    chosen: list[int] = []
    b_hi = math.inf
    tol = _TOL
    while True:
        idx = np.flatnonzero(remaining)
        if idx.size == 0:
            break
        rows = np.flatnonzero(~spent)  # voters who spent everything take no further part
        v = alpha[rows] + beta[rows] * b
        order = np.argsort(v, kind="stable")
        srt = rows[order]
        vs, al, be = v[order], alpha[srt], beta[srt]
        W = pr.A[srt][:, idx] * pr.m[srt][:, None]
        cm = np.cumsum(W, axis=0)
        cmv = np.cumsum(W * vs[:, None], axis=0)
        cma = np.cumsum(W * al[:, None], axis=0)
        cmb = np.cumsum(W * be[:, None], axis=0)
        cost = pr.c[idx]
        total_v, total_a, total_b = cmv[-1], cma[-1], cmb[-1]
        if np.any(np.abs(total_v - cost) <= tol * (cost + total_v)):
            return None  # affordability too close to call
        afford = total_v > cost
        # Unaffordable now: stays so for this b; the run changes once b makes it affordable.
        un = ~afford
        if un.any():
            a = cost[un] - total_a[un] - tol * (np.abs(total_a[un]) + cost[un])
            b_hi = min(b_hi, _roots_after(a, -total_b[un] * (1 + tol), b))
        remaining[idx[un]] = False
        if not afford.any():
            break
        cols = np.flatnonzero(afford)
        Wc, cmc, cmvc = W[:, cols], cm[:, cols], cmv[:, cols]
        ex_m = cmc - Wc
        ex_v = cmvc - Wc * vs[:, None]
        tot_m = cmc[-1]
        cst = cost[cols]
        supp = Wc > 0
        stop = supp & ((cst - ex_v) <= vs[:, None] * (tot_m - ex_m))
        j = np.argmax(stop, axis=0)  # first supporter who can pay the equal share: the rest are rich
        ar = np.arange(cols.size)
        rich_m = tot_m - ex_m[j, ar]
        q = (cst - ex_v[j, ar]) / rich_m
        poor_a = cma[:, cols][j, ar] - Wc[j, ar] * al[j]
        poor_b = cmb[:, cols][j, ar] - Wc[j, ar] * be[j]
        ra = (cst - poor_a) / rich_m / cst  # rho = ra + rb * b, with this poor set
        rb = -poor_b / rich_m / cst
        rho = q / cst
        # Nobody poor: every supporter pays cost/M, so rho is exactly 1/M (M a whole number).
        first = np.argmax(supp, axis=0)
        all_rich = (j == first) & (vs[first] > q * (1 + tol))
        projects = idx[cols]
        best = int(np.lexsort((projects, rho))[0])
        near = np.flatnonzero(rho <= rho[best] * (1 + tol))
        others = np.ones(cols.size, dtype=bool)
        if near.size > 1:
            if not all_rich[near].all():
                return None  # a tie, or too close to call
            # Exact comparison of 1/M, then the id; these rho stay constant while nobody turns poor.
            best = int(min(near, key=lambda k: (-int(rich_m[k]), int(projects[k]))))
            others[near] = False
        else:
            others[best] = False
        # Another project's rho (bounded below by its affine form) must stay above the winner's.
        da = ra - ra[best]
        db = rb - rb[best]
        sa = np.abs(ra) + abs(ra[best])
        sb = np.abs(rb) + abs(rb[best])
        b_hi = min(b_hi, _roots_after((da - tol * sa)[others], (db - tol * sb)[others], b))
        p = int(projects[best])
        qa, qb = ra[best] * cst[best], rb[best] * cst[best]
        col = supp[:, best]
        sup = srt[col]  # the winner's live supporters, by increasing budget
        poor = np.arange(sup.size) < np.count_nonzero(col[: j[best]])
        # Poor supporters must stay below the share, rich ones above, for this winner's price to hold.
        d_a = alpha[sup] - qa
        d_b = beta[sup] - qb
        s_a = np.abs(alpha[sup]) + abs(qa)
        s_b = np.abs(beta[sup]) + abs(qb)
        b_hi = min(b_hi, _roots_after((-d_a - tol * s_a)[poor], (-d_b - tol * s_b)[poor], b))
        rich = ~poor
        b_hi = min(b_hi, _roots_after((d_a - tol * s_a)[rich], (d_b - tol * s_b)[rich], b))
        sp, sr = sup[poor], sup[rich]
        alpha[sp] = 0.0
        beta[sp] = 0.0
        spent[sp] = True
        alpha[sr] -= qa
        beta[sr] -= qb
        remaining[p] = False
        chosen.append(p)
    return chosen, b_hi


def _exact_run(pr: _Profile, b: Fraction) -> list[int]:
    """One MES run at start budget b in exact arithmetic (the pabutools algorithm, merged ballots)."""
    budget = [b] * len(pr.ballots)
    weight = [k for _, k in pr.ballots]
    remaining = set(range(len(pr.projects)))
    chosen: list[int] = []
    while True:
        best: tuple[Fraction, int, Fraction] | None = None
        for p in sorted(remaining):
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
                best = (rho, p, q)
        if best is None:
            return chosen
        _, p, q = best
        chosen.append(p)
        remaining.discard(p)
        for u in pr.supporters[p]:
            budget[u] -= min(budget[u], q)


def _run(pr: _Profile, b: Fraction, stats: dict[str, int]) -> tuple[list[int], Fraction | float]:
    result = _float_run(pr, float(b))
    stats["runs"] += 1
    if result is None:
        stats["exact"] += 1
        return _exact_run(pr, b), b
    return result


def equal_shares(
    costs: Mapping[str, int],
    approvals: Sequence[Sequence[str]],
    budget: int,
    order: Sequence[str] = (),
    *,
    add1: bool = True,
    stats: dict[str, int] | None = None,
) -> tuple[str, ...]:
    """The projects funded by MES (cost utilities) with add1 completion, in funding order.

    `order` (the election's order) only decides the order of the returned tuple when given;
    `stats`, when a dict is passed, receives how many runs were made and how many were exact.
    """
    st = stats if stats is not None else {}
    st.update(runs=0, exact=0)
    n = len(approvals)
    if n == 0 or budget <= 0:
        return ()
    pr = _Profile(costs, approvals)
    if not pr.projects:
        return ()
    start = Fraction(budget, n)

    def outcome_cost(sel: list[int]) -> int:
        return sum(pr.costs[p] for p in sel)

    def exhaustive(sel: list[int]) -> bool:
        spent = outcome_cost(sel)
        taken = set(sel)
        return all(p in taken or spent + pr.costs[p] > budget for p in range(len(pr.projects)))

    previous: list[int] = []
    k = 0
    while True:
        b = start + k
        sel, b_hi = _run(pr, b, st)
        if not add1:
            previous = sel
            break
        if outcome_cost(sel) > budget:
            break
        if exhaustive(sel):
            previous = sel
            break
        previous = sel
        # Steps k+1 .. while start+step < b_hi give this same outcome: skip them.
        nxt = k + 1
        if b_hi != math.inf and b_hi > b + 1:
            margin = 1e-7 * float(b_hi) + 1e-9
            nxt = max(nxt, math.ceil(float(b_hi) - margin - float(start)))
        elif b_hi == math.inf:
            # Nothing can change any more: the outcome never becomes exhaustive nor infeasible.
            break
        k = nxt
    funded = [pr.projects[p] for p in previous]
    if order:
        pos = {p: i for i, p in enumerate(order)}
        funded.sort(key=lambda p: (pos.get(p, len(pos)), p))
    return tuple(funded)
