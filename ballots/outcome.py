"""Outcome rules: who wins, from a tally (greedy, plurality) or from the ballots (equal shares)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ballots.ballot import Ballot, BallotStatus
from ballots.election import Election, OutcomeRule, Question, RuleKind
from ballots.rules import QuestionStatus, check_question
from ballots.tally import QuestionTally, Tally


@dataclass(frozen=True)
class Outcome:
    question: str
    rule: str
    winners: tuple[str, ...]
    spent: int
    budget: int


def greedy(
    costs: Mapping[str, int], scores: Mapping[str, int], budget: int, order: Sequence[str] = ()
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


def decide(election: Election, question: Question, qt: QuestionTally, ballots: Iterable[Ballot] = ()) -> Outcome:
    costs = {c.id: c.cost for c in question.choices}
    scores = qt.points() if question.rule.kind is RuleKind.RANKED else qt.votes()
    budget = question.rule.budget
    if budget <= 0 or election.outcome is OutcomeRule.PLURALITY:
        winners = plurality(qt)
        return Outcome(question.id, OutcomeRule.PLURALITY.value, winners, sum(costs[w] for w in winners), budget)
    if election.outcome is OutcomeRule.EQUAL_SHARES:
        from ballots.equal_shares import equal_shares

        # Every counted voter gets an equal share, blank or not (as pabutools divides the
        # budget); an answer that breaks the rule approves nothing.
        approvals = [
            b.selection.get(question.id, ())
            if check_question(question, b.selection.get(question.id, ())).status is QuestionStatus.VALID
            else ()
            for b in ballots
            if b.status is BallotStatus.COUNTED and not b.test and b.election == election.id
        ]
        winners = equal_shares(costs, approvals, budget, order=question.choice_ids)
        rule = "equalshares/add1"
    else:
        winners = greedy(costs, scores, budget, order=question.choice_ids)
        rule = OutcomeRule.GREEDY.value
    return Outcome(question.id, rule, winners, sum(costs[w] for w in winners), budget)


def decide_all(election: Election, t: Tally, ballots: Sequence[Ballot] = ()) -> tuple[Outcome, ...]:
    return tuple(decide(election, q, t.question(q.id), ballots) for q in election.questions)
