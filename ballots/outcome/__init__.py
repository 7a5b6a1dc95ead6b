"""Outcome rules: who wins, from a tally (greedy, plurality) or from the ballots (equal shares).

`decide(election, question, tally, ballots)` applies the election's rule to one question;
`decide_all` to every question. The rules themselves live beside: `greedy` (greedy and
plurality, from the counts) and `equal_shares` (the Method of Equal Shares, from the ballots).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ballots.ballot import Ballot
from ballots.election import Election, Money, OutcomeRule, Question, RuleKind
from ballots.outcome.equal_shares import PriceTie, equal_shares
from ballots.outcome.greedy import greedy, plurality
from ballots.tally import Group, QuestionTally, Tally, counted_ballots, group, valid_answers

# How each rule breaks ties, in the words the procès-verbal prints (codes, looked up in labels).
TIE_GREEDY = "election_order"  # equal scores: the project listed first in the election goes first
TIE_EQUAL_SHARES = "id_order"  # equal prices: the smallest project id first (pabutools' order)
TIE_PLURALITY = "commission"  # several winners are reported; the commission settles the tie


@dataclass(frozen=True)
class Outcome:
    question: str
    rule: str  # the rule applied, by its pabulib name (greedy, greedy-no-skip, equalshares/add1, ...)
    winners: tuple[str, ...]
    spent: Money
    budget: Money
    tie_break: str = TIE_GREEDY
    min_score: int = 0  # the threshold applied (greedy-threshold, or the file's for greedy-no-skip)
    note: str = ""  # equalshares/add1-comparison: which outcome the comparison kept ("mes" or "greedy")
    price_ties: tuple[PriceTie, ...] = ()  # equal shares: the ties of price that decided the selection


def scores_of(question: Question, qt: QuestionTally) -> dict[str, int]:
    """What greedy ranks by: points for ranked and cumulative ballots (pabulib's `score`), else votes."""
    return qt.points() if question.rule.kind in (RuleKind.RANKED, RuleKind.CUMULATIVE) else qt.votes()


def _approvals(
    election: Election, question: Question, groups: Sequence[Group]
) -> tuple[list[tuple[str, ...]], list[int]]:
    """Every counted voter, blank or not (as pabutools divides the budget), with the groups'
    weights; an answer that breaks the rule approves nothing."""
    approvals: list[tuple[str, ...]] = []
    weights: list[int] = []
    status_of = {a: True for a, _ in valid_answers(question, groups)}
    for g in groups:
        answer = g.selection.get(question.id, ())
        approvals.append(answer if answer in status_of else ())
        weights.append(g.weight)
    return approvals, weights


def prefer_greedy(
    approvals: Sequence[Sequence[str]], weights: Sequence[int], mes: Sequence[str], other: Sequence[str]
) -> bool:
    """pabulib's add1-comparison: voters who approve more winners in `other` than in `mes` against
    those who approve more in `mes`; `other` is kept only when strictly more voters prefer it."""
    a, b = set(mes), set(other)
    more_mes = more_other = 0
    for ballot, w in zip(approvals, weights, strict=True):
        chosen = set(ballot)
        x, y = len(chosen & a), len(chosen & b)
        more_mes += w * (x > y)
        more_other += w * (y > x)
    return more_other > more_mes


def decide(
    election: Election,
    question: Question,
    qt: QuestionTally,
    ballots: Iterable[Ballot] = (),
    *,
    groups: Sequence[Group] | None = None,
) -> Outcome:
    """The outcome of one question; equal shares reads the ballots (or their `groups`)."""
    costs = {c.id: c.cost for c in question.choices}
    scores = scores_of(question, qt)
    budget = question.rule.budget
    rule = election.outcome
    order = question.choice_ids

    def out(name: str, winners: tuple[str, ...], tie: str, **kw: object) -> Outcome:
        return Outcome(question.id, name, winners, sum((costs[w] for w in winners), 0), budget, tie, **kw)  # type: ignore[arg-type]

    if budget <= 0 or rule is OutcomeRule.PLURALITY:
        return out(OutcomeRule.PLURALITY.value, plurality(qt), TIE_PLURALITY)
    if rule in (OutcomeRule.EQUAL_SHARES, OutcomeRule.EQUAL_SHARES_COMPARISON):
        if groups is None:
            groups = group(counted_ballots(election, ballots))
        approvals, weights = _approvals(election, question, groups)
        ties: list[PriceTie] = []
        if rule is OutcomeRule.EQUAL_SHARES:  # pabutools: add1 stops at the first exhaustive outcome
            winners = equal_shares(costs, approvals, budget, order=order, weights=weights, ties=ties)
            return out("equalshares/add1", winners, TIE_EQUAL_SHARES, price_ties=tuple(ties))
        # pabulib's checker (and Wieliczka 2023's official result): add1 goes on while the
        # outcome fits the budget, then the outcome is compared with greedy
        winners = equal_shares(costs, approvals, budget, order=order, until_overspent=True, weights=weights, ties=ties)
        # the comparison's greedy is by supporters, every project considered (pabulib's checker)
        alt = greedy(costs, qt.votes(), budget, order=order, keep_unvoted=True)
        if prefer_greedy(approvals, weights, winners, alt):
            return out(rule.value, alt, TIE_GREEDY, note="greedy")
        return out(rule.value, winners, TIE_EQUAL_SHARES, note="mes", price_ties=tuple(ties))
    threshold = question.rule.min_score
    if rule is OutcomeRule.GREEDY_NO_SKIP:
        winners = greedy(costs, scores, budget, order=order, skip=False, min_score=threshold)
        return out(rule.value, winners, TIE_GREEDY, min_score=threshold)
    if rule is OutcomeRule.GREEDY_THRESHOLD:
        winners = greedy(costs, scores, budget, order=order, min_score=threshold)
        return out(rule.value, winners, TIE_GREEDY, min_score=threshold)
    return out(OutcomeRule.GREEDY.value, greedy(costs, scores, budget, order=order), TIE_GREEDY)


def decide_all(
    election: Election, t: Tally, ballots: Sequence[Ballot] = (), *, groups: Sequence[Group] | None = None
) -> tuple[Outcome, ...]:
    if groups is None and any(
        q.rule.budget > 0 and election.outcome in (OutcomeRule.EQUAL_SHARES, OutcomeRule.EQUAL_SHARES_COMPARISON)
        for q in election.questions
    ):
        groups = group(counted_ballots(election, ballots))
    return tuple(decide(election, q, t.question(q.id), ballots, groups=groups) for q in election.questions)
