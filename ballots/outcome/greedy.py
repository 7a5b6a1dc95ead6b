"""Winners by counts: greedy within a budget, plurality without one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ballots.election import Money
from ballots.tally import QuestionTally


def greedy(
    costs: Mapping[str, Money],
    scores: Mapping[str, int],
    budget: Money,
    order: Sequence[str] = (),
    *,
    skip: bool = True,
    min_score: int = 0,
    keep_unvoted: bool = False,
) -> tuple[str, ...]:
    """Fund projects by descending score while they fit.

    - `skip` (pabulib `greedy`): a project that does not fit is passed over and funding goes on;
      without it (`greedy-no-skip`) funding stops at the first project that does not fit;
    - `min_score` (`greedy-threshold`): projects scoring less are never funded (and never stop
      a no-skip run: they are not candidates);
    - a project that got no vote is never funded (a town does not fund it just because money is
      left), unless `keep_unvoted` (the greedy of pabulib's add1-comparison considers them all).

    Ties go to the project listed first in `order` (the election's order), then by id: pabulib's
    checker sorts the file's projects stably, so this is its tie-break too.
    """
    position = {pid: i for i, pid in enumerate(order)}
    ranked = sorted(costs, key=lambda p: (-scores.get(p, 0), position.get(p, len(position)), p))
    left = budget
    chosen: list[str] = []
    for p in ranked:
        score = scores.get(p, 0)
        if score < min_score or (score <= 0 and not keep_unvoted):
            continue
        if costs[p] <= left:
            chosen.append(p)
            left -= costs[p]
        elif not skip:
            break
    return tuple(chosen)


def plurality(qt: QuestionTally) -> tuple[str, ...]:
    """The choice(s) with the most votes (several on a tie, for the commission to settle)."""
    best = max((c.votes for c in qt.choices), default=0)
    return tuple(c.choice for c in qt.choices if c.votes == best and best > 0)
