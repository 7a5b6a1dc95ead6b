"""Outcome rules: who wins, from a tally (greedy, plurality) or from the ballots (equal shares).

`decide(election, question, tally, ballots)` applies the election's rule to one question;
`decide_all` to every question. The rules themselves live beside: `greedy` (greedy and
plurality, from the counts) and `equal_shares` (the Method of Equal Shares, from the ballots).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ballots.ballot import Ballot, BallotStatus
from ballots.election import Election, Money, OutcomeRule, Question, RuleKind
from ballots.outcome.equal_shares import equal_shares
from ballots.outcome.greedy import greedy, plurality
from ballots.rules import QuestionStatus, check_question
from ballots.tally import QuestionTally, Tally


@dataclass(frozen=True)
class Outcome:
    question: str
    rule: str
    winners: tuple[str, ...]
    spent: Money
    budget: Money


def decide(election: Election, question: Question, qt: QuestionTally, ballots: Iterable[Ballot] = ()) -> Outcome:
    costs = {c.id: c.cost for c in question.choices}
    scores = qt.points() if question.rule.kind is RuleKind.RANKED else qt.votes()
    budget = question.rule.budget
    if budget <= 0 or election.outcome is OutcomeRule.PLURALITY:
        winners = plurality(qt)
        return Outcome(question.id, OutcomeRule.PLURALITY.value, winners, sum((costs[w] for w in winners), 0), budget)
    if election.outcome is OutcomeRule.EQUAL_SHARES:
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
    return Outcome(question.id, rule, winners, sum((costs[w] for w in winners), 0), budget)


def decide_all(election: Election, t: Tally, ballots: Sequence[Ballot] = ()) -> tuple[Outcome, ...]:
    return tuple(decide(election, q, t.question(q.id), ballots) for q in election.questions)
