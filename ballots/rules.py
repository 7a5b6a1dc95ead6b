"""Vote rules: what a selection may contain, checked the same way for kiosk, paper and import."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from ballots.election import Election, InvalidHandling, Money, Question, Rule, RuleKind
from ballots.errors import SelectionRefused
from ballots.reasons import Code, Reason, ReasonText


class QuestionStatus(StrEnum):
    VALID = "valid"
    BLANK = "blank"  # nothing chosen: a blank vote, counted as such
    INVALID = "invalid"  # breaks the rule; counted as invalid for that question
    REVIEW = "review"  # breaks the rule and the election wants a person to look


# Reasons a question's answer breaks its rule (the codes live with every other reason).
OVERVOTE = Code.OVERVOTE
TOO_FEW = Code.TOO_FEW
BUDGET_EXCEEDED = Code.BUDGET_EXCEEDED
BELOW_MIN_BUDGET = Code.BELOW_MIN_BUDGET
UNKNOWN_CHOICE = Code.UNKNOWN_CHOICE
REPEATED_CHOICE = Code.REPEATED_CHOICE

# Reasons the kiosk refuses to add one more choice (nothing is ever auto-deselected).
REFUSAL_FULL = "full"
REFUSAL_OVER_BUDGET = "over_budget"
REFUSAL_ALREADY = "already_chosen"
REFUSAL_UNKNOWN = "unknown_choice"


@dataclass(frozen=True)
class QuestionCheck:
    question: str
    status: QuestionStatus
    reasons: tuple[Code, ...] = ()


@dataclass(frozen=True)
class BallotCheck:
    questions: tuple[QuestionCheck, ...]

    @property
    def needs_review(self) -> bool:
        return any(q.status is QuestionStatus.REVIEW for q in self.questions)

    @property
    def all_valid(self) -> bool:
        return all(q.status in (QuestionStatus.VALID, QuestionStatus.BLANK) for q in self.questions)

    @property
    def reasons(self) -> tuple[ReasonText, ...]:
        """As stored on the ballot: "question:code" (see ballots.reasons)."""
        return tuple(Reason(r, q.question).text for q in self.questions for r in q.reasons)


@dataclass(frozen=True)
class Progress:
    """Live feedback for the kiosk: '3 / 5 choisis', '180 000 € / 300 000 €'."""

    chosen: int
    min: int
    max: int
    spent: Money
    budget: Money
    min_spend: int

    @property
    def remaining(self) -> int:
        return max(self.max - self.chosen, 0)

    @property
    def full(self) -> bool:
        return self.chosen >= self.max


def _min_spend(rule: Rule) -> Fraction:
    """The least a budget ballot must spend, exactly (the budget may be a Decimal with cents)."""
    return Fraction(rule.budget) * Fraction(repr(rule.min_budget_share))


def spent(question: Question, chosen: Sequence[str]) -> Money:
    costs = {c.id: c.cost for c in question.choices}
    return sum(costs.get(c, 0) for c in chosen)


def _max_choices(question: Question) -> int:
    rule = question.rule
    if rule.kind is RuleKind.SINGLE:
        return 1
    if rule.kind is RuleKind.BUDGET and rule.max <= 0:
        return len(question.choices)
    return rule.max


def _min_choices(question: Question) -> int:
    return 1 if question.rule.kind is RuleKind.SINGLE else question.rule.min


def progress(question: Question, chosen: Sequence[str]) -> Progress:
    rule = question.rule
    return Progress(
        chosen=len(chosen),
        min=_min_choices(question),
        max=_max_choices(question),
        spent=spent(question, chosen),
        budget=rule.budget,
        min_spend=int(_min_spend(rule) + Fraction(1, 2)) if rule.kind is RuleKind.BUDGET else 0,
    )


def refusal(question: Question, chosen: Sequence[str], choice_id: str) -> str | None:
    """Why `choice_id` cannot be added to `chosen`, or None when it can."""
    ids = question.choice_ids
    if choice_id not in ids:
        return REFUSAL_UNKNOWN
    cumulative = question.rule.kind is RuleKind.CUMULATIVE
    if choice_id in chosen and not cumulative:
        return REFUSAL_ALREADY
    if len(chosen) >= _max_choices(question):
        return REFUSAL_FULL
    if cumulative and 0 < question.rule.max_per_choice <= chosen.count(choice_id):
        return REFUSAL_FULL
    if question.rule.kind is RuleKind.BUDGET and spent(question, [*chosen, choice_id]) > question.rule.budget:
        return REFUSAL_OVER_BUDGET
    return None


def add_choice(question: Question, chosen: Sequence[str], choice_id: str) -> tuple[str, ...]:
    """The selection with `choice_id` appended, or SelectionRefused."""
    reason = refusal(question, chosen, choice_id)
    if reason is not None:
        raise SelectionRefused(question.id, choice_id, reason)
    return (*chosen, choice_id)


def check_question(question: Question, chosen: Sequence[str]) -> QuestionCheck:
    if not chosen:
        return QuestionCheck(question.id, QuestionStatus.BLANK)
    reasons: list[Code] = []
    if not question.choice_set.issuperset(chosen):
        reasons.append(UNKNOWN_CHOICE)
    rule = question.rule
    if rule.kind is RuleKind.CUMULATIVE:  # a choice repeated once per point: repeats are the vote
        most = max(Counter(chosen).values())
        if len(chosen) > _max_choices(question) or 0 < rule.max_per_choice < most:
            reasons.append(OVERVOTE)
    else:
        if len(set(chosen)) != len(chosen):
            reasons.append(REPEATED_CHOICE)
        if len(chosen) > _max_choices(question):
            reasons.append(OVERVOTE)
    if len(chosen) < _min_choices(question):
        reasons.append(TOO_FEW)
    if rule.kind is RuleKind.BUDGET:
        total = spent(question, chosen)
        if total > rule.budget:
            reasons.append(BUDGET_EXCEEDED)
        elif total < _min_spend(rule):
            reasons.append(BELOW_MIN_BUDGET)
    if not reasons:
        return QuestionCheck(question.id, QuestionStatus.VALID)
    # Unknown or repeated choices can only come from a broken file or a forgery: never a person's call.
    structural = {UNKNOWN_CHOICE, REPEATED_CHOICE} & set(reasons)
    if rule.on_invalid is InvalidHandling.REVIEW and not structural:
        return QuestionCheck(question.id, QuestionStatus.REVIEW, tuple(reasons))
    return QuestionCheck(question.id, QuestionStatus.INVALID, tuple(reasons))


def check_ballot(election: Election, selection: Mapping[str, Sequence[str]]) -> BallotCheck:
    unknown = set(selection) - {q.id for q in election.questions}
    checks = [check_question(q, tuple(selection.get(q.id, ()))) for q in election.questions]
    if unknown:
        checks.append(QuestionCheck(",".join(sorted(unknown)), QuestionStatus.INVALID, (UNKNOWN_CHOICE,)))
    return BallotCheck(tuple(checks))


def can_submit(election: Election, selection: Mapping[str, Sequence[str]]) -> bool:
    """The kiosk only lets a voter validate a ballot whose every question is valid or blank."""
    return check_ballot(election, selection).all_valid
