"""Counting: votes per choice and channel, points for ranked questions, blanks and invalids."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ballots.ballot import Ballot, BallotStatus
from ballots.election import Election, Question, RuleKind
from ballots.rules import QuestionStatus, check_question


@dataclass(frozen=True)
class ChoiceCount:
    choice: str
    votes: int
    points: int
    by_channel: Mapping[str, int]


@dataclass(frozen=True)
class QuestionTally:
    question: str
    choices: tuple[ChoiceCount, ...]
    blank: int
    invalid: int

    def votes(self) -> dict[str, int]:
        return {c.choice: c.votes for c in self.choices}

    def points(self) -> dict[str, int]:
        return {c.choice: c.points for c in self.choices}


@dataclass(frozen=True)
class Tally:
    election: str
    questions: tuple[QuestionTally, ...]
    ballots_counted: int
    by_channel: Mapping[str, int]
    pending_review: int
    rejected: int
    spoiled: int
    register: int | None  # voters in the register; None when the election keeps none

    def question(self, question_id: str) -> QuestionTally:
        for q in self.questions:
            if q.question == question_id:
                return q
        raise KeyError(question_id)

    @property
    def register_mismatch(self) -> int | None:
        """Ballots counted from kiosks minus register entries (officers' recount check)."""
        if self.register is None:
            return None
        return self.by_channel.get("kiosk", 0) - self.register


@dataclass(frozen=True)
class Answers:
    """One question's answers on the counted ballots, sorted the way the tally counts them."""

    valid: tuple[tuple[Ballot, tuple[str, ...]], ...]  # (ballot, answer), in the ballots' order
    blank: int
    invalid: int  # breaks the rule: counted as invalid, exported nowhere


def counted_ballots(election: Election, ballots: Iterable[Ballot]) -> list[Ballot]:
    """The official counted ballots of `election` (no test ballot, no other election's)."""
    return [b for b in ballots if not b.test and b.election == election.id and b.status is BallotStatus.COUNTED]


def answers(q: Question, counted: Iterable[Ballot]) -> Answers:
    """What the tally counts for `q`, and what every export is built from: the same function."""
    valid: list[tuple[Ballot, tuple[str, ...]]] = []
    blank = invalid = 0
    seen: dict[tuple[str, ...], QuestionStatus] = {}  # real elections repeat selections a lot
    for b in counted:
        chosen = b.selection.get(q.id, ())
        status = seen.get(chosen)
        if status is None:
            status = seen[chosen] = check_question(q, chosen).status
        if status is QuestionStatus.VALID:
            valid.append((b, chosen))
        elif status is QuestionStatus.BLANK:
            blank += 1
        else:
            invalid += 1  # a reviewed ballot that still breaks the rule counts as invalid
    return Answers(tuple(valid), blank, invalid)


def _count_question(q: Question, ballots: list[Ballot]) -> QuestionTally:
    votes: Counter[str] = Counter()
    points: Counter[str] = Counter()
    by_channel: dict[str, Counter[str]] = defaultdict(Counter)
    cumulative = q.rule.kind is RuleKind.CUMULATIVE
    n = len(q.choices) + 1
    # points_of[length][rank]: a pabulib ballot's points depend on its own length
    points_of = [[q.rule.points(rank, length) for rank in range(n)] for length in range(n)]
    a = answers(q, ballots)
    blank, invalid = a.blank, a.invalid
    for b, chosen in a.valid:
        channel = b.channel.value
        if cumulative:  # one entry per point: a choice's votes are its voters, its points the entries
            for choice in chosen:
                points[choice] += 1
            for choice in dict.fromkeys(chosen):
                votes[choice] += 1
                by_channel[choice][channel] += 1
            continue
        ranks = points_of[len(chosen)]
        for rank, choice in enumerate(chosen):
            votes[choice] += 1
            points[choice] += ranks[rank]
            by_channel[choice][channel] += 1
    return QuestionTally(
        question=q.id,
        choices=tuple(
            ChoiceCount(c.id, votes[c.id], points[c.id], dict(sorted(by_channel[c.id].items()))) for c in q.choices
        ),
        blank=blank,
        invalid=invalid,
    )


def tally(election: Election, ballots: Iterable[Ballot], register: int | None = None) -> Tally:
    """Count the official ballots. The result does not depend on the order of `ballots`."""
    counted: list[Ballot] = []
    statuses: Counter[str] = Counter()
    for b in ballots:
        if b.test or b.election != election.id:
            continue
        statuses[b.status.value] += 1
        if b.status is BallotStatus.COUNTED:
            counted.append(b)
    channels = Counter(b.channel.value for b in counted)
    return Tally(
        election=election.id,
        questions=tuple(_count_question(q, counted) for q in election.questions),
        ballots_counted=len(counted),
        by_channel=dict(sorted(channels.items())),
        pending_review=statuses[BallotStatus.REVIEW.value],
        rejected=statuses[BallotStatus.REJECTED.value],
        spoiled=statuses[BallotStatus.SPOILED.value],
        register=register,
    )
