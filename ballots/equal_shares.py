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
        # One entry per (merged ballot, approved project), grouped by project.
        self.ent_p, self.ent_u = (a.astype(np.int64) for a in np.nonzero(self.A.T))
        # self.projects is sorted by id, so the project index is also the tie-break rank.


def _level(budgets: np.ndarray, weights: np.ndarray, cost: float) -> float:
    """The equal share q with sum(weights * min(budgets, q)) == cost (the caller checked it exists)."""
    order = np.argsort(budgets, kind="stable")
    v, w = budgets[order], weights[order]
    ex_m = np.cumsum(w) - w
    ex_v = np.cumsum(w * v) - w * v
    rest = w.sum() - ex_m
    j = int(np.argmax((cost - ex_v) <= v * rest))
    return float((cost - ex_v[j]) / rest[j])


def _share_bounds(
    pr: _Profile, eu: np.ndarray, ep: np.ndarray, ha: np.ndarray, hb: np.ndarray, e: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Affine lower bounds La + Lb*b of the rho of every project having entries (eu, ep), from its
    equal share on the upper budgets at b = e (exact there): any poor set S gives
    q >= (cost - sum_S budget) / (M - M_S). Returns the projects (increasing), La, Lb, the
    supporters' weight M, and the supporters of each (slice starts into the last array) sorted
    by budget."""
    hv = ha[eu] + hb[eu] * e
    # Group by project, budgets increasing inside a group. The key may misorder budgets equal to
    # 1e-13: harmless, since any poor set S gives a valid bound.
    top = float(np.max(np.abs(hv))) if hv.size else 1.0
    o = np.argsort(ep + np.clip(hv, 0.0, None) / (2.0 * top + 1.0))
    eu, ep, hv = eu[o], ep[o], hv[o]
    w = pr.m[eu]
    head = np.concatenate(([True], ep[1:] != ep[:-1]))
    starts = np.flatnonzero(head)
    seg = np.cumsum(head) - 1
    projects = ep[starts]
    cost = pr.c[projects]
    ex_m = np.cumsum(w) - w
    ex_m -= ex_m[starts][seg]
    wv = w * hv
    ex_v = np.cumsum(wv) - wv
    ex_v -= ex_v[starts][seg]
    tot_m = np.add.reduceat(w, starts)
    stop = (cost[seg] - ex_v) <= hv * (tot_m[seg] - ex_m)
    big = ep.size
    first = np.minimum.reduceat(np.where(stop, np.arange(big), big), starts)
    found = first < big  # not found: unaffordable at e; fall back on S = {} (rho >= 1/M)
    j = np.where(found, first, starts)
    rich_m = np.where(found, tot_m - ex_m[j], tot_m)
    wa, wb = w * ha[eu], w * hb[eu]
    ex_a = np.cumsum(wa) - wa
    ex_b = np.cumsum(wb) - wb
    pa = np.where(found, ex_a[j] - ex_a[starts], 0.0)
    pb = np.where(found, ex_b[j] - ex_b[starts], 0.0)
    return projects, (cost - pa) / rich_m / cost, -pb / rich_m / cost, tot_m, starts, eu


def _certify(pr: _Profile, b0: float, b1: float) -> list[int] | float:
    """The projects one MES run funds, the same for every start budget b in [b0, b1]; when that
    cannot be certified (the range is too wide, or a decision is too close to call), a guess of
    how far from b0 it might be (a float).

    Each voter's budget is held between two affine functions of b, lo(b) <= budget <= hi(b).
    A project's price per unit is bounded below with the upper budgets (any "poor" set S gives
    q >= (cost - sum_S budget) / (supporters outside S)), the winner's bounded above with the lower
    budgets; the winner must beat every other project at both ends of the range (the bounds are
    affine, so both ends suffice). Exact ties are settled in integers: a project whose supporters
    all pay the same share has rho = 1/M exactly, and every project has rho >= 1/M."""
    n_u, n_p = pr.A.shape
    la, lb = np.zeros(n_u), np.ones(n_u)  # lower budget = la + lb * b
    ha, hb = np.zeros(n_u), np.ones(n_u)  # upper budget = ha + hb * b
    spent = np.zeros(n_u, dtype=bool)  # budget exactly zero on the whole range
    remaining = np.ones(n_p, dtype=bool)
    chosen: list[int] = []
    tol = _TOL
    ends = (b0, b1) if b1 > b0 else (b0,)
    while True:
        if not remaining.any():
            break
        keep = remaining[pr.ent_p] & ~spent[pr.ent_u]
        eu, ep = pr.ent_u[keep], pr.ent_p[keep]
        wt = pr.m[eu]
        aff = remaining.copy()
        unaff = remaining.copy()
        # The supporters' total budget per project, as affine functions of b.
        hs_a = np.bincount(ep, weights=wt * ha[eu], minlength=n_p)
        hs_b = np.bincount(ep, weights=wt * hb[eu], minlength=n_p)
        ls_a = np.bincount(ep, weights=wt * la[eu], minlength=n_p)
        ls_b = np.bincount(ep, weights=wt * lb[eu], minlength=n_p)
        for e in ends:
            unaff &= hs_a + hs_b * e < pr.c * (1 - tol)
            aff &= ls_a + ls_b * e > pr.c * (1 + tol)
        # A project affordable on part of the range only stays in as a competitor: where it is
        # affordable it must lose to the winner; the run may not end while it is there.
        amb = remaining & ~aff & ~unaff
        remaining &= ~unaff
        if not aff.any():
            if amb.any():
                return (b0 + b1) / 2
            break
        keep = remaining[ep]
        eu, ep = eu[keep], ep[keep]
        # Fast path: every project has rho >= 1/M (M: its supporters with money left). The one
        # with the largest M (smallest id on a tie) wins when each supporter can pay cost/M over
        # the whole range: its rho is then exactly 1/M.
        weight = np.bincount(ep, weights=pr.m[eu], minlength=n_p)
        t = int(np.argmax(weight))
        if aff[t]:
            sup = eu[ep == t]
            share = pr.c[t] / weight[t]
            if all(bool(np.all(la[sup] + lb[sup] * e >= share * (1 + tol))) for e in ends):
                la[sup] -= share
                ha[sup] -= share
                remaining[t] = False
                chosen.append(t)
                continue
        projects, La, Lb, tot_m, starts, srt = _share_bounds(pr, eu, ep, ha, hb, b0)
        definite = aff[projects]
        if amb.any():
            _, La1, Lb1, _, _, _ = _share_bounds(pr, eu, ep, ha, hb, b1)
            La = np.where(definite, La, La1)
            Lb = np.where(definite, Lb, Lb1)
        cost = pr.c[projects]
        L0 = np.where(definite, La + Lb * b0, np.inf)
        w = int(np.lexsort((projects, L0))[0])
        near = np.flatnonzero(L0[w] * (1 + tol) >= L0)
        if near.size > 1:  # candidates for an exact tie: the most supporters, then the smallest id
            w = int(min(near, key=lambda k: (-int(round(float(tot_m[k]))), int(projects[k]))))
        end = starts[w + 1] if w + 1 < starts.size else srt.size
        sup = srt[starts[w] : end]
        # Upper bound of the winner's share: U(b) through the equal shares on the lower budgets at
        # both ends. sum(min(lo_i(b), U(b))) is concave in b, so being >= cost at both ends it is
        # >= cost on the whole range, hence q(b) <= U(b).
        m_s, c_w = pr.m[sup], float(cost[w])
        lo_a, lo_b, hi_a, hi_b = la[sup], lb[sup], ha[sup], hb[sup]
        u = []
        for e in ends:
            lo_e = lo_a + lo_b * e
            if lo_e @ m_s <= c_w * (1 + tol):
                return (b0 + b1) / 2
            u.append(_level(lo_e, m_s, c_w) * (1 + tol))
        Ub = (u[-1] - u[0]) / (b1 - b0) if b1 > b0 else 0.0
        Ua = u[0] - Ub * b0
        m_w = int(round(float(m_s.sum())))
        # Exact: rho_w == 1/m_w on the whole range when every supporter can pay cost/m_w.
        all_rich = all(bool(np.all(lo_a + lo_b * e >= c_w / m_w * (1 + tol))) for e in ends)
        for e in ends:
            beaten = (La + Lb * e) * (1 - tol) > (Ua + Ub * e) / c_w
            beaten[w] = True
            for k in np.flatnonzero(~beaten):
                m_k = int(round(tot_m[k]))
                # rho_k >= 1/m_k always (m_k: supporters with money left)
                if not (all_rich and (m_k < m_w or (m_k == m_w and projects[k] > projects[w]))):
                    fa = La[k] * (1 - tol) - Ua / c_w
                    fb = Lb[k] * (1 - tol) - Ub / c_w
                    return -fa / fb if fb < 0 and fa + fb * b0 > 0 else (b0 + b1) / 2
        # Pay: the share q lies between L (the winner's lower bound) and U; every supporter keeps
        # max(budget - q, 0), bounded below by max(lo - U, 0) and above by max(hi - L, 0).
        qla, qlb = La[w] * c_w, Lb[w] * c_w
        da, db = lo_a - Ua, lo_b - Ub
        d0, d1 = da + db * b0, da + db * b1
        keep = (d0 + d1) > 0  # either lo - U or 0 is a valid affine lower bound of max(lo - U, 0)
        la[sup] = np.where(keep, da, 0.0)
        lb[sup] = np.where(keep, db, 0.0)
        ga, gb = hi_a - qla, hi_b - qlb
        g0 = np.maximum(ga + gb * b0, 0.0)
        g1 = np.maximum(ga + gb * b1, 0.0)
        if b1 > b0:  # the chord lies above max(hi - L, 0), a convex function
            slope = (g1 - g0) / (b1 - b0)
            hb[sup] = slope
            ha[sup] = g0 - slope * b0
        else:
            ha[sup] = g0
            hb[sup] = 0.0
        gone = (g0 == 0) & (g1 == 0)
        la[sup[gone]] = 0.0
        lb[sup[gone]] = 0.0
        spent[sup[gone]] = True
        remaining[projects[w]] = False
        chosen.append(int(projects[w]))
    return chosen


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
    k, span = 0, 32
    while True:
        b = start + k
        sel: list[int] | None = None
        while True:  # the widest range of add1 steps from k on that surely gives one outcome
            got = _certify(pr, float(b), float(b + span))
            st["runs"] += 1
            if isinstance(got, list):
                sel = got
                break
            if span == 0:
                break
            span = max(0, min(span - 1, math.floor(got - float(b))))
        if sel is None:
            sel = _exact_run(pr, b)
            st["exact"] += 1
        if not add1:
            previous = sel
            break
        if outcome_cost(sel) > budget:
            break
        previous = sel
        if exhaustive(sel):
            break
        k += span + 1
        span = max(1, 2 * span)
    funded = [pr.projects[p] for p in previous]
    if order:
        pos = {p: i for i, p in enumerate(order)}
        funded.sort(key=lambda p: (pos.get(p, len(pos)), p))
    return tuple(funded)
