"""Counting: votes per choice and channel, points for ranked questions, blanks and invalids."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
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
    invalid: int  # nuls: counted ballots whose answer breaks the rule, and ballots declared nul
    expressed: int = 0  # exprimés: ballots with a valid answer (votants = exprimés + blancs + nuls)

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
    void: int = 0  # declared nul by the commission: votants, and a nul on every question

    @property
    def voters(self) -> int:
        """Votants: counted ballots and ballots declared nul (French practice)."""
        return self.ballots_counted + self.void

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


@dataclass(frozen=True)
class Group:
    """Identical counted ballots: the same answers, from the same channel, `weight` times.

    Real elections repeat selections a lot (Łódź 2022: 90 494 ballots, 23 571 distinct), so the
    count, the rules' check and equal shares work on groups; the store can hand them over
    directly (`Store.counted_groups`, one GROUP BY) without building 90 000 ballot objects."""

    selection: Mapping[str, tuple[str, ...]]
    channel: str
    weight: int


class _Checker:
    """`check_question`'s status, once per distinct answer: the one judge of validity that the
    tally, the outcome rules and every export share."""

    def __init__(self, q: Question) -> None:
        self.q = q
        self.seen: dict[tuple[str, ...], QuestionStatus] = {}

    def __call__(self, chosen: tuple[str, ...]) -> QuestionStatus:
        status = self.seen.get(chosen)
        if status is None:
            status = self.seen[chosen] = check_question(self.q, chosen).status
        return status


def counted_ballots(election: Election, ballots: Iterable[Ballot]) -> list[Ballot]:
    """The official counted ballots of `election` (no test ballot, no other election's)."""
    return [b for b in ballots if not b.test and b.election == election.id and b.status is BallotStatus.COUNTED]


def answers(q: Question, counted: Iterable[Ballot]) -> Answers:
    """What the tally counts for `q`, one entry per ballot: what every export is built from."""
    valid: list[tuple[Ballot, tuple[str, ...]]] = []
    blank = invalid = 0
    status_of = _Checker(q)
    for b in counted:
        chosen = b.selection.get(q.id, ())
        status = status_of(chosen)
        if status is QuestionStatus.VALID:
            valid.append((b, chosen))
        elif status is QuestionStatus.BLANK:
            blank += 1
        else:
            invalid += 1  # a reviewed ballot that still breaks the rule counts as invalid
    return Answers(tuple(valid), blank, invalid)


def group(ballots: Iterable[Ballot]) -> list[Group]:
    """Counted ballots as groups of identical (selection, channel)."""
    counts: Counter[tuple[tuple[tuple[str, tuple[str, ...]], ...], str]] = Counter()
    for b in ballots:
        counts[(tuple(sorted(b.selection.items())), b.channel.value)] += 1
    return [Group(dict(sel), channel, w) for (sel, channel), w in counts.items()]


def valid_answers(q: Question, groups: Iterable[Group]) -> list[tuple[tuple[str, ...], int]]:
    """(answer, weight) of the groups whose answer to `q` the tally counts as valid."""
    status_of = _Checker(q)
    out = []
    for g in groups:
        chosen = g.selection.get(q.id, ())
        if status_of(chosen) is QuestionStatus.VALID:
            out.append((chosen, g.weight))
    return out


def _count_question(q: Question, groups: Sequence[Group], void: int = 0) -> QuestionTally:
    votes: Counter[str] = Counter()
    points: Counter[str] = Counter()
    by_channel: dict[str, Counter[str]] = defaultdict(Counter)
    cumulative = q.rule.kind is RuleKind.CUMULATIVE
    n = len(q.choices) + 1
    # points_of[length][rank]: a pabulib ballot's points depend on its own length
    points_of = [[q.rule.points(rank, length) for rank in range(n)] for length in range(n)]
    status_of = _Checker(q)
    blank = 0
    invalid = void  # a ballot the commission declared nul is a nul on every question
    expressed = 0
    for g in groups:
        chosen = g.selection.get(q.id, ())
        status = status_of(chosen)
        w = g.weight
        if status is QuestionStatus.BLANK:
            blank += w
            continue
        if status is not QuestionStatus.VALID:
            invalid += w  # a reviewed ballot that still breaks the rule counts as invalid
            continue
        expressed += w
        channel = g.channel
        if cumulative:  # one entry per point: a choice's votes are its voters, its points the entries
            for choice in chosen:
                points[choice] += w
            for choice in dict.fromkeys(chosen):
                votes[choice] += w
                by_channel[choice][channel] += w
            continue
        ranks = points_of[len(chosen)]
        for rank, choice in enumerate(chosen):
            votes[choice] += w
            points[choice] += ranks[rank] * w
            by_channel[choice][channel] += w
    return QuestionTally(
        question=q.id,
        choices=tuple(
            ChoiceCount(c.id, votes[c.id], points[c.id], dict(sorted(by_channel[c.id].items()))) for c in q.choices
        ),
        blank=blank,
        invalid=invalid,
        expressed=expressed,
    )


def tally_groups(
    election: Election,
    groups: Sequence[Group],
    *,
    pending_review: int = 0,
    rejected: int = 0,
    spoiled: int = 0,
    register: int | None = None,
    void: int = 0,
) -> Tally:
    """Count groups of identical counted ballots (what `tally` does after grouping); `void`
    ballots (declared nul) are nuls on every question."""
    channels: Counter[str] = Counter()
    for g in groups:
        channels[g.channel] += g.weight
    return Tally(
        election=election.id,
        questions=tuple(_count_question(q, groups, void) for q in election.questions),
        ballots_counted=sum(channels.values()),
        by_channel=dict(sorted(channels.items())),
        pending_review=pending_review,
        rejected=rejected,
        spoiled=spoiled,
        register=register,
        void=void,
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
    return tally_groups(
        election,
        group(counted),
        pending_review=statuses[BallotStatus.REVIEW.value],
        rejected=statuses[BallotStatus.REJECTED.value],
        spoiled=statuses[BallotStatus.SPOILED.value],
        register=register,
        void=statuses[BallotStatus.VOID.value],
    )
