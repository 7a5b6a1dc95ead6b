"""Winners by counts: greedy within a budget, plurality without one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ballots.election import Money
from ballots.tally import QuestionTally


def greedy(
    costs: Mapping[str, Money], scores: Mapping[str, int], budget: Money, order: Sequence[str] = ()
) -> tuple[str, ...]:
    """Fund projects by descending score while they fit; skip those that don't; never fund
    a project that got no vote.

    Ties go to the project listed first in `order` (the election's order), then by id.
    """
    position = {pid: i for i, pid in enumerate(order)}
    ranked = sorted(costs, key=lambda p: (-scores.get(p, 0), position.get(p, len(position)), p))
    left = budget
    chosen: list[str] = []
    for p in ranked:
        if scores.get(p, 0) <= 0:
            break  # nobody asked for it: a town does not fund it just because money is left
        if costs[p] <= left:
            chosen.append(p)
            left -= costs[p]
    return tuple(chosen)


def plurality(qt: QuestionTally) -> tuple[str, ...]:
    """The choice(s) with the most votes (several on a tie, for the commission to settle)."""
    best = max((c.votes for c in qt.choices), default=0)
    return tuple(c.choice for c in qt.choices if c.votes == best and best > 0)
