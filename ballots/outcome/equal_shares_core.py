"""One Method of Equal Shares run, traced as a function of the voters' start budget b.

Contract
--------
`parametric_run(profile, b0, span)` runs MES (cost utilities, pabutools semantics) with every
voter starting at b0 and returns `(funded, steps, tied)`: the projects funded, in order, how many of
the next add1 steps (b0 + 1, ..., b0 + steps, steps <= span) surely fund exactly the same projects
in the same order, and whether an exact tie may have been settled by the tie-break (`rank`, the
project index by default) on any of them. It raises `TooClose` when a decision at b0 is too close to call in floating
point (the caller then runs that step in exact arithmetic).

Why the answer is exact
-----------------------
Write b = b0 + t. Each voter's budget is held between two affine functions of t, lo <= budget <=
hi, both equal to the true budget at t = 0 and valid on the steps t = 0 .. cap. All decisions at
t = 0 are therefore taken on true values, with a safety margin (TOL) far above the rounding error;
cap starts at `span` and shrinks until every decision provably holds on every step up to it:

- a project's share q is convex in t (the budgets being affine), so its tangent at t = 0 (on the
  upper budgets) bounds it below, and its chord from 0 to cap (on the lower budgets) bounds it
  above; for any set S of "poor" supporters q >= (cost - sum_S budget) / (weight outside S);
- the winner must stay below every other project's lower bound (tangent at 0, else at a further
  step, else compared step by step), and a project unaffordable at t = 0 must stay unaffordable or
  lose to every next winner, and be unaffordable at the end of the run;
- paying q leaves max(budget - q, 0): below the chord of max(hi - tangent, 0) (convex), above
  lo - chord for those who paid q at t = 0 and 0 for those who paid all they had.

Prices are computed lazily: a project's price per unit (rho) only grows during a run (budgets only
shrink), so the bound it had when last computed still holds; it is recomputed (a heap keeps the
smallest bound on top) only when that is not enough to rule it out.

Exact ties are settled in integers: a project whose supporters with money left all pay the same
share q = cost / M, each with a margin, has rho = 1/M exactly (M: their number); every project has
rho >= 1/M; the tied project of lowest rank wins. Any other tie raises TooClose.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence

import numpy as np

# Relative margin below which a floating-point decision is considered too close to call.
TOL = 1e-9
_INF = math.inf


class TooClose(Exception):
    """A decision at the run's start budget is within the rounding margin: use exact arithmetic."""


class Profile:
    """Merged ballots over the projects MES can fund: `costs[j]` (> 0, as floats:
    the exact amounts stay with the caller, which recomputes any close call exactly), the weight of each
    merged ballot (number of identical ballots), and for each project its supporters (merged-ballot
    indices)."""

    def __init__(self, costs: Sequence[float], weights: Sequence[int], supporters: Sequence[Sequence[int]]) -> None:
        self.n_groups = len(weights)
        self.costs = [float(c) for c in costs]
        w = np.array(weights, dtype=np.float64)
        self.sup = [np.array(s, dtype=np.int64) for s in supporters]
        self.wsup = [w[s] for s in self.sup]
        self.weight = [int(round(float(x.sum()))) for x in self.wsup]


def _steps(g0: np.ndarray, d: np.ndarray, margin: float) -> float:
    """How many unit steps g0 + d * t stays above `margin` (t = 1, 2, ...): +inf if never falls."""
    fall = d < 0
    if not fall.any():
        return _INF
    t = float(np.min((g0[fall] - margin) / -d[fall]))
    return max(0.0, math.floor(t))


def _level(v: np.ndarray, m: np.ndarray, c: float) -> float:
    """The equal share q with sum(m * min(v, q)) == c (the caller checked that sum(m * v) >= c)."""
    o = v.argsort()
    vs, ms = v[o], m[o]
    cm, cv = ms.cumsum(), (ms * vs).cumsum()
    # sum(m * min(v, vs[i])) = cv[i] + vs[i] * (M - cm[i]), non-decreasing in i
    i = int((cv + vs * (cm[-1] - cm)).searchsorted(c))
    return c / cm[-1] if i == 0 else float((c - cv[i - 1]) / (cm[-1] - cm[i - 1]))


class _Run:
    """MES at start budget b0. Everything is an affine function of t = b - b0, held as (value at
    t = 0, slope). Each budget is held between two of them, lo <= budget <= hi, both exact at t = 0
    and valid for t in 0 .. cap (cap shrinks as decisions are checked)."""

    def __init__(self, pr: Profile, b0: float, span: int, rank: np.ndarray | None = None) -> None:
        self.pr = pr
        # the tie-break: on an exact tie the project of lowest rank is funded (pabutools: the index)
        self.rank = np.arange(len(pr.costs)) if rank is None else rank
        self.tied = False  # an exact tie was met (at t = 0, or certified on later steps)
        n_p = len(pr.costs)
        self.hv = np.full(pr.n_groups, b0)  # upper budget of each merged ballot: hv + hs * t
        self.hs = np.ones(pr.n_groups)
        self.lv = self.hv.copy()  # lower budget: lv + ls * t
        self.ls = np.ones(pr.n_groups)
        self.zero = np.zeros(pr.n_groups, dtype=bool)  # budget identically 0 (paid all, with a margin)
        self.zero0 = np.zeros(pr.n_groups, dtype=bool)  # budget exactly 0 at t = 0 (idem)
        # Lower bound of each project's rho: Lv + Ls * t. exact_m > 0: its rho at t = 0 was exactly
        # 1/exact_m when computed; exact_r: and the bound is exactly 1/exact_m on every step.
        self.exact_m = np.array(pr.weight, dtype=np.int64)
        self.exact_r = np.ones(n_p, dtype=bool)
        self.Lv = np.array([1.0 / m for m in pr.weight])
        self.Ls = np.zeros(n_p)
        self.key = [1.0 / m for m in pr.weight]  # each project's heap key (inf: gone)
        self.heap = [(v, j) for j, v in enumerate(self.key)]
        heapq.heapify(self.heap)
        self.round = 0
        self.fresh = [-1] * n_p  # the round in which the bound was computed
        self.remaining = np.ones(n_p, dtype=bool)
        self.cap = float(span)  # steps still certified
        self.last: dict[int, tuple[np.ndarray, int, float, float]] = {}
        self.winner: tuple[np.ndarray, np.ndarray, np.ndarray, float] = (self.hv, self.hs, self.hv, 0.0)
        # removed at t = 0 but perhaps affordable on later steps: how many steps it surely is not
        # (it only grows: budgets only shrink)
        self.ghosts: dict[int, float] = {}

    def _unaffordable(self, p: int, tot: float | None = None) -> float:
        """How many steps p surely stays unaffordable on the upper budgets (it is at t = 0, where
        its supporters hold `tot`)."""
        s, m, c = self.pr.sup[p], self.pr.wsup[p], self.pr.costs[p]
        ts = float(m.dot(self.hs[s]))
        if ts <= 0:
            return _INF
        if tot is None:
            tot = float(m.dot(self.hv[s]))
        return max(0.0, math.floor((c * (1 - TOL) - tot) / ts))

    def evaluate(self, p: int) -> None:
        """Recompute project p's rho at t = 0 (removing it when unaffordable), and its lower bound:
        the poor set S at t = 0 with the upper budgets gives q >= (cost - sum_S hi) / (weight
        outside S)."""
        pr = self.pr
        s, m, c = pr.sup[p], pr.wsup[p], pr.costs[p]
        v = self.hv[s]
        tot = float(m.dot(v))
        if tot < c * (1 + TOL):
            if tot > c * (1 - TOL):
                raise TooClose
            if self.cap > 0:
                out = self._unaffordable(p, tot)
                if out < self.cap:
                    # it may become affordable on later steps: there it must lose to every next winner
                    self.ghosts[p] = out
            self.remaining[p] = False
            self.key[p] = _INF
            return
        o = v.argsort()
        vs, ms = v[o], m[o]
        cm, cv = ms.cumsum(), (ms * vs).cumsum()
        tot_m = cm[-1]
        i = int((cv + vs * (tot_m - cm)).searchsorted(c))
        rich = tot_m if i == 0 else tot_m - cm[i - 1]
        if (i == 0 or (vs[i - 1] == 0 and bool(self.zero0[s[o[:i]]].all()))) and vs[i] * rich >= c * (1 + TOL):
            # the supporters with money all pay the same share, each with a margin: rho = 1/em exactly
            em = int(round(rich))
            self.exact_m[p] = em
            q0, qs = c / em, 0.0
            # and on every step too when those without money have none on every step
            self.exact_r[p] = ranged = i == 0 or bool(self.zero[s[o[:i]]].all())
            if not ranged and self.cap > 0:
                qs = -float(ms[:i].dot(self.hs[s[o[:i]]])) / rich
        else:
            self.exact_m[p] = 0
            self.exact_r[p] = False
            if i == 0:
                q0, qs = c / tot_m, 0.0
            else:
                q0 = float((c - cv[i - 1]) / rich)
                qs = -float(ms[:i].dot(self.hs[s[o[:i]]])) / rich if self.cap > 0 else 0.0
        self.Lv[p] = self.key[p] = lv = q0 / c
        self.Ls[p] = qs / c
        self.fresh[p] = self.round
        self.last[p] = (o, i, q0, qs)
        heapq.heappush(self.heap, (lv, p))

    def pick(self) -> int | None:
        """The project funded this round, or None when none is affordable."""
        heap, rnd = self.heap, self.round
        while True:
            if not heap:
                return None
            v, p = heap[0]
            if v != self.key[p]:
                heapq.heappop(heap)  # an outdated entry
            elif self.fresh[p] != rnd:
                heapq.heappop(heap)
                self.evaluate(p)
            else:
                break
        # everything within the margin of the best must be fresh, then compared exactly
        best, near, held = v, [p], [heapq.heappop(heap)]
        while heap and heap[0][0] <= best * (1 + TOL):
            v, p = heapq.heappop(heap)
            if v != self.key[p] or p in near:
                continue  # outdated or a duplicate
            if self.fresh[p] != rnd:
                self.evaluate(p)
                continue
            near.append(p)
            held.append((v, p))
        for e in held:
            heapq.heappush(heap, e)
        if len(near) > 1:
            em = {self.exact_m[k] for k in near}
            if len(em) > 1 or 0 in em:
                raise TooClose
            self.tied = True
            return min(near, key=lambda k: int(self.rank[k]))  # exact tie: rho = 1/M for all of them
        return near[0]

    def fund(self, w: int) -> None:
        """Pay for w and shrink the certified range to where this round's decisions still hold."""
        pr = self.pr
        o, i, q0, qs = self.last[w]  # q >= q0 + qs * t, exact at t = 0
        s, m, c = pr.sup[w], pr.wsup[w], pr.costs[w]
        self.remaining[w] = False
        self.key[w] = _INF
        cap = self.cap
        if cap <= 0:  # nothing left to certify: only the budgets at t = 0 matter
            left = self.hv[s] - q0
            self.hv[s] = np.maximum(left, 0.0)
            gone = s[left < -TOL * q0]
            self.zero[gone] = self.zero0[gone] = True
            self.round += 1
            return
        lo_v, lo_s = self.lv[s], self.ls[s]
        em = int(self.exact_m[w])
        others = np.flatnonzero(self.remaining)
        tied = []
        if em:  # projects that w beat on an exact tie at t = 0 (fresh), or whose bound is exactly 1/em
            cand = others[(self.exact_m[others] == em) & (self.rank[others] > self.rank[w])]
            tied = [int(k) for k in cand if self.exact_r[k] or self.fresh[k] == self.round]
        if tied:
            self.tied = True
            others = np.setdiff1d(others, tied)
            u0, us = c / em, 0.0
            if self.exact_r[w] and all(self.exact_r[k] for k in tied):
                # w keeps rho = 1/em (and wins its ties) while every supporter with money can pay cost/em
                nz = ~self.zero[s]
                cap = min(cap, _steps(lo_v[nz] - u0, lo_s[nz], TOL * u0))
            else:
                cap = 0.0  # the tie is exact at t = 0 only
        else:
            # q <= the share on the lower budgets, convex in t: below its chord from 0 to cap
            ts = float(m.dot(lo_s))
            if ts < 0:
                cap = min(cap, max(0.0, math.floor((float(m.dot(lo_v)) - c * (1 + TOL)) / -ts)))
            u0 = q0
            if cap <= 0:
                us = 0.0
            else:
                far = lo_v + lo_s * cap
                if i == 0:
                    # all supporters paying the same share at both ends: q is that share throughout
                    q1 = c / pr.weight[w] if far.min() * pr.weight[w] >= c else _level(far, m, c)
                else:
                    # the share at cap when those who paid all at t = 0 still do and only they
                    poor, rich = o[:i], o[i:]
                    fp, fr = far[poor], far[rich]
                    q1 = (c - float(m[poor].dot(fp))) / (pr.weight[w] - float(m[poor].sum()))
                    if not fp.max() <= q1 <= fr.min():
                        q1 = _level(far, m, c)
                us = (q1 - q0) / cap
        self.winner = (lo_v, lo_s, m, c)
        # w beats every other project on every certified step: k's bound stays above U while
        # gap + (Ls_k - U's slope) * t > 0 (gap > 0: checked at t = 0 by pick)
        if others.size and cap > 0:
            rho0, rs = u0 / c, us / c
            margin = TOL * rho0
            gap = self.Lv[others] - (rho0 + margin)
            fall = rs - self.Ls[others]
            bind = np.flatnonzero(gap <= np.maximum(fall * cap, 0.0))
            if bind.size:
                gb, fb = gap[bind], fall[bind]
                if (gb <= 0).any():  # pick leaves every other project above the margin at t = 0
                    raise TooClose
                steps = np.floor(gb / fb)
                for j in steps.argsort():
                    reach = max(0.0, float(steps[j]))
                    if reach >= cap:
                        break
                    k = int(others[bind[j]])
                    if self.fresh[k] != self.round:
                        # a stale bound limits the range: a fresh one may reach further
                        self.evaluate(k)
                        cap = min(cap, self.cap)
                        if not self.remaining[k]:
                            continue
                        dk = self.Ls[k] - rs
                        if dk >= 0:
                            continue
                        reach = max(reach, math.floor((self.Lv[k] - rho0 - margin) / -dk))
                    if reach < cap:
                        reach = self._far(k, reach, cap, rho0, rs, margin)
                    cap = min(cap, reach)
        if self.ghosts and cap > 0:
            rho0, rs = u0 / c, us / c
            margin = TOL * rho0
            for k, out in list(self.ghosts.items()):
                if out < cap:
                    dk = float(self.Ls[k]) - rs
                    slack = float(self.Lv[k]) - rho0 - margin
                    covered = 0.0 if slack <= 0 else _INF if dk >= 0 else math.floor(slack / -dk)
                    if max(covered, out) < cap:
                        out = self.ghosts[k] = self._unaffordable(k)
                if out >= cap:  # unaffordable on every step now, hence until the end of the run
                    del self.ghosts[k]
                    continue
                covered = max(covered, out)
                if covered < cap:
                    covered = self._far(k, covered, cap, rho0, rs, margin, ghost=True)
                cap = min(cap, covered)
        self.cap = cap = min(self.cap, cap)
        # pay: budget - q lies in [lo - U, hi - L]; the upper one through its chord (convex)
        left = self.hv[s] - q0
        g0 = np.maximum(left, 0.0)
        self.hv[s] = g0
        if cap > 0:
            end = left + (self.hs[s] - qs) * cap
            self.hs[s] = (np.maximum(end, 0.0) - g0) / cap
        self.lv[s] = lo_v - u0
        if us:
            self.ls[s] = lo_s - us
        if i:  # those who paid all they had at t = 0 (the first i in o)
            first = o[:i]
            poor = s[first]
            self.lv[poor] = self.ls[poor] = 0.0
            paid_all = left[first] < -TOL * q0  # surely: the budget left is exactly 0 at t = 0
            self.zero0[poor[paid_all]] = True
            if cap > 0:
                paid_all &= end[first] < -TOL * q0
            gone = poor[paid_all]  # the upper budget is 0 on every step
            if gone.size:
                self.hs[gone] = 0.0
                self.zero[gone] = True
        self.round += 1

    def _far(
        self, k: int, reach: float, cap: float, rho0: float, rs: float, margin: float, ghost: bool = False
    ) -> float:
        """How far w surely beats k, given that it does on steps 1 .. reach: k's price is also bounded
        below by its tangent at the first step not covered (on the upper budgets), and k cannot
        compete where it is unaffordable on the upper budgets."""
        pr = self.pr
        s, m, c = pr.sup[k], pr.wsup[k], pr.costs[k]
        hs = self.hs[s]
        for _ in range(3):
            t = reach + 1
            v = self.hv[s] + hs * t
            tot = float(m.dot(v))
            if tot < c * (1 + TOL):
                if ghost or tot > c * (1 - TOL):
                    return reach
                # unaffordable from t on (it was affordable at t = 0)
                return cap
            o = v.argsort()
            vs, ms = v[o], m[o]
            cm, cv = ms.cumsum(), (ms * vs).cumsum()
            i = int((cv + vs * (cm[-1] - cm)).searchsorted(c))
            if i == 0:
                f1, fs = c / cm[-1], 0.0
            else:
                rich = cm[-1] - cm[i - 1]
                f1 = float((c - cv[i - 1]) / rich)
                fs = -float(ms[:i].dot(hs[o[:i]])) / rich
            g0 = (f1 - fs * t) / c - rho0  # the tangent at t minus U, at t = 0
            gd = fs / c - rs
            if g0 + gd * t <= margin:
                # U is a chord: at step t itself, w's share on the lower budgets may be enough
                lo_v, lo_s, mw, cw = self.winner
                if f1 / c <= _level(lo_v + lo_s * t, mw, cw) / cw * (1 + TOL):
                    return reach
                reach = t
                if reach >= cap:
                    return cap
                continue
            if gd >= 0:
                return cap
            reach = math.floor((g0 - margin) / -gd)
            if reach >= cap:
                return cap
        return reach


def parametric_run(pr: Profile, b0: float, span: int, rank: np.ndarray | None = None) -> tuple[list[int], int, bool]:
    """The projects MES funds at start budget b0, how many of the next `span` add1 steps surely
    fund the same projects in the same order, and whether an exact tie was met on any of them
    (`rank`: the tie-break, lowest first; the project index when None)."""
    run = _Run(pr, b0, span, rank)
    funded: list[int] = []
    while True:
        w = run.pick()
        if w is None:
            # a project unaffordable at the end at t = 0 must stay so on the certified steps
            cap = min([run.cap] + [run._unaffordable(k) for k, out in run.ghosts.items() if out < run.cap])
            return funded, int(cap), run.tied
        run.fund(w)
        funded.append(w)
