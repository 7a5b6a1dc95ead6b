"""One Method of Equal Shares run, traced as a function of the voters' start budget b.

Contract
--------
`parametric_run(profile, b0)` runs MES (cost utilities, pabutools semantics) with every voter
starting at b0 and returns `(funded, steps)`: the projects funded, in order, and how many further
add1 steps (b0 + 1, ..., b0 + steps) surely fund exactly the same projects in the same order. It
raises `TooClose` when a decision at b0 is too close to call in floating point (the caller then
runs that step in exact arithmetic).

Why it is exact
---------------
While the run's decisions stay the same (which project wins each round, which ones are
unaffordable, which supporters of a winner pay all they have), every budget and every price is an
affine function of b, and the run computes those functions exactly (up to rounding). Each decision
is a sign condition g(b) > 0 on such a function (or on a lower bound of one), checked at b0 with a
safety margin far above the rounding error, and kept on the steps ahead as long as g stays above
the margin there: g is affine, so checking the last step suffices.

Prices of projects that did not win are tracked lazily: a project's price per unit (rho) only grows
during a run (budgets only shrink), and the affine function it had when last computed stays a lower
bound of it for every b (for any set S of "poor" supporters, q >= (cost - sum_S budget) / (weight
outside S)). A project is recomputed only when its bound is not enough to rule it out.

Exact ties are settled in integers: a project whose supporters with money left all pay the same
share q = cost / M has rho = 1/M exactly (M: their number); every project has rho >= 1/M.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

# Relative margin below which a floating-point decision is considered too close to call.
TOL = 1e-9
_INF = math.inf


class TooClose(Exception):
    """A decision at the run's start budget is within the rounding margin: use exact arithmetic."""


class Profile:
    """Merged ballots over the projects MES can fund: `costs[j]` (ints, > 0), and for each project
    the merged-ballot indices of its supporters with their weights (number of identical ballots)."""

    def __init__(self, costs: Sequence[int], weights: Sequence[int], members: Sequence[Sequence[int]]) -> None:
        self.n_groups = len(weights)
        self.costs = [int(c) for c in costs]
        supporters: list[list[int]] = [[] for _ in costs]
        for u, ms in enumerate(members):
            for j in ms:
                supporters[j].append(u)
        w = np.array(weights, dtype=np.float64)
        self.sup = [np.array(s, dtype=np.int64) for s in supporters]
        self.wsup = [w[s] for s in self.sup]
        self.weight = [int(sum(weights[u] for u in s)) for s in supporters]


def _steps(g0: np.ndarray, d: np.ndarray, margin: float) -> float:
    """How many unit steps g0 + d * t stays above `margin` (t = 1, 2, ...): +inf if never falls."""
    fall = d < 0
    if not fall.any():
        return _INF
    t = float(np.min((g0[fall] - margin) / -d[fall]))
    return max(0.0, math.floor(t))


def _level(v: np.ndarray, m: np.ndarray, c: float) -> float:
    """The equal share q with sum(m * min(v, q)) == c (the caller checked that sum(m * v) >= c)."""
    o = np.argsort(v, kind="stable")
    vs, ms = v[o], m[o]
    mv = ms * vs
    ex_v = np.cumsum(mv) - mv
    rest = ms[::-1].cumsum()[::-1]
    i = int(np.argmax((c - ex_v) <= vs * rest))
    return float((c - ex_v[i]) / rest[i])


class _Run:
    """MES at start budget b0, each budget held between two affine functions of b, lo <= budget <=
    hi, both exact at b0, valid on the steps b0 .. b0 + cap (cap shrinks as decisions are checked)."""

    def __init__(self, pr: Profile, b0: float, span: int) -> None:
        self.pr, self.b0 = pr, b0
        n_p = len(pr.costs)
        self.ha = np.zeros(pr.n_groups)  # upper budget of each merged ballot: ha + hs * b
        self.hs = np.ones(pr.n_groups)
        self.la = np.zeros(pr.n_groups)  # lower budget: la + ls * b
        self.ls = np.ones(pr.n_groups)
        self.zero = np.zeros(pr.n_groups, dtype=bool)  # budget identically 0
        # Lower bound of each project's rho: La + Ls * b; exact_m > 0: the bound is exactly 1/exact_m.
        self.exact_m = np.array(pr.weight, dtype=np.int64)
        self.La = 1.0 / self.exact_m
        self.Ls = np.zeros(n_p)
        self.Lv = self.La.copy()  # the bound at b0
        self.fresh = np.zeros(n_p, dtype=bool)
        self.remaining = np.ones(n_p, dtype=bool)
        self.cap = float(span)  # steps still certified
        self.last: dict[int, tuple[np.ndarray, int, float, float]] = {}

    def evaluate(self, p: int) -> None:
        """Recompute project p's rho at b0 (removing it when unaffordable), and its lower bound:
        the poor set S at b0 with the upper budgets gives q >= (cost - sum_S hi) / (weight outside S)."""
        pr, b0 = self.pr, self.b0
        s, m, c = pr.sup[p], pr.wsup[p], float(pr.costs[p])
        a, sl = self.ha[s], self.hs[s]
        v = a + sl * b0
        tot = float(m @ v)
        if tot < c * (1 + TOL):
            if tot > c * (1 - TOL):
                raise TooClose
            ts = float(m @ sl)
            if ts > 0:  # unaffordable as long as the supporters' money stays below the cost
                self.cap = min(self.cap, max(0.0, math.floor((c * (1 - TOL) - tot) / ts)))
            self.remaining[p] = False
            return
        o = np.argsort(v, kind="stable")
        vs, ms = v[o], m[o]
        mv = ms * vs
        ex_w = np.cumsum(ms) - ms
        ex_v = np.cumsum(mv) - mv
        rest = ex_w[-1] + ms[-1] - ex_w
        i = int(np.argmax((c - ex_v) <= vs * rest))
        rich = float(rest[i])
        poor = o[:i]
        if i == 0 or bool(self.zero[s[poor]].all()):
            em = int(round(rich))
            self.exact_m[p] = em
            la, ls = 1.0 / em, 0.0
        else:
            self.exact_m[p] = 0
            la = (c - float(m[poor] @ a[poor])) / rich / c
            ls = -float(m[poor] @ sl[poor]) / rich / c
        self.La[p], self.Ls[p] = la, ls
        self.Lv[p] = la + ls * b0
        self.fresh[p] = True
        self.last[p] = (o, i, la * c, ls * c)

    def pick(self) -> int | None:
        """The project funded this round, or None when none is affordable."""
        while True:
            lv = np.where(self.remaining, self.Lv, _INF)
            k = int(np.argmin(lv))
            if lv[k] == _INF:
                return None
            # everything within the margin of the best bound must be fresh before comparing
            stale = np.flatnonzero((lv <= lv[k] * (1 + TOL)) & ~self.fresh)
            if stale.size == 0:
                break
            for j in stale:
                self.evaluate(int(j))
        near = np.flatnonzero(lv <= lv[k] * (1 + TOL))
        if near.size > 1:
            em = self.exact_m[near]
            if not (em > 0).all() or (em != em[0]).any():
                raise TooClose
            return int(near[0])  # exact tie: rho = 1/M for all of them; the smallest id wins
        return k

    def fund(self, w: int) -> None:
        """Pay for w and shrink the certified range to where this round's decisions still hold."""
        pr, b0 = self.pr, self.b0
        o, i, qa, qs = self.last[w]  # q >= qa + qs * b, exact at b0
        q0 = qa + qs * b0
        s, m, c = pr.sup[w], pr.wsup[w], float(pr.costs[w])
        lo_a, lo_s = self.la[s], self.ls[s]
        self.remaining[w] = False
        em = int(self.exact_m[w])
        others = np.flatnonzero(self.remaining)
        cap = self.cap
        tied = others[(self.exact_m[others] == em) & (others > w)] if em else others[:0]
        if tied.size:
            # w keeps rho = 1/em (and its ties) while every supporter with money can pay cost/em
            nz = ~self.zero[s]
            share = c / em
            cap = min(cap, _steps(lo_a[nz] + lo_s[nz] * b0 - share, lo_s[nz], TOL * share))
            others = others[~np.isin(others, tied)]
            ua, us = share, 0.0
        else:
            # q <= the share on the lower budgets, convex in b: below its chord from b0 to b0 + cap
            cap = min(cap, _steps(np.array([float(m @ (lo_a + lo_s * b0)) - c]), np.array([float(m @ lo_s)]), TOL * c))
            if cap > 0:
                b1 = b0 + cap
                us = (_level(lo_a + lo_s * b1, m, c) - q0) / cap
            else:
                us = 0.0
            ua = q0 - us * b0
        # w beats every other project on every certified step
        rho0, rs = (ua + us * b0) / c, us / c
        if others.size:
            steps = self._competitor_steps(others, rho0, rs)
            for j in np.argsort(steps, kind="stable"):
                if steps[j] >= cap:
                    break
                k = int(others[j])
                if self.fresh[k]:
                    cap = min(cap, steps[j])
                    continue
                self.evaluate(k)  # a stale bound limits the range: a fresh one may reach further
                cap = min(cap, self.cap)
                if self.remaining[k]:
                    fresh = self._competitor_steps(np.array([k]), rho0, rs)[0]
                    cap = min(cap, max(steps[j], fresh))
        self.cap = cap = min(self.cap, cap)
        # pay: budget - q lies in [lo - U, hi - L]; the upper one through its chord (convex)
        b1 = b0 + cap
        hi_a, hi_s = self.ha[s], self.hs[s]
        g0 = np.maximum(hi_a + hi_s * b0 - q0, 0.0)
        if cap > 0:
            g1 = np.maximum(hi_a + hi_s * b1 - (qa + qs * b1), 0.0)
            slope = (g1 - g0) / cap
        else:
            g1, slope = g0, np.zeros_like(g0)
        self.ha[s] = g0 - slope * b0
        self.hs[s] = slope
        rich = np.zeros(s.size, dtype=bool)
        rich[o[i:]] = True
        self.la[s] = np.where(rich, lo_a - ua, 0.0)
        self.ls[s] = np.where(rich, lo_s - us, 0.0)
        gone = s[(g0 == 0) & (g1 == 0)]
        self.ha[gone] = self.hs[gone] = self.la[gone] = self.ls[gone] = 0.0
        self.zero[gone] = True
        self.fresh[:] = False

    def _competitor_steps(self, ks: np.ndarray, rho0: float, rs: float) -> np.ndarray:
        g0 = self.Lv[ks] - rho0
        d = self.Ls[ks] - rs
        margin = TOL * rho0
        out = np.full(ks.size, _INF)
        fall = d < 0
        out[fall] = np.maximum(0.0, np.floor((g0[fall] - margin) / -d[fall]))
        return out


def parametric_run(pr: Profile, b0: float, span: int) -> tuple[list[int], int]:
    """The projects MES funds at start budget b0, and how many of the next `span` add1 steps surely
    fund the same projects in the same order."""
    run = _Run(pr, b0, span)
    funded: list[int] = []
    while True:
        w = run.pick()
        if w is None:
            return funded, int(run.cap)
        run.fund(w)
        funded.append(w)
