"""One voter's visit, in memory only: settings, register attestation and the selection in progress.

Nothing here is ever written or logged until `cast()` stores the finished ballot; `clear()`
forgets everything so the next voter starts from the defaults. Every rule check goes through
`ballots.rules` (the same code checks paper and imports).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ballots import rules
from ballots.ballot import Ballot, Channel, new_ballot
from ballots.casting import cast_vote
from ballots.election import Election, Question, RegisterMode, RuleKind
from ballots.errors import InvalidBallot
from ballots.register import Identity
from ballots.store import Store
from kiosk.ui.theme import DEFAULT_SIZE


@dataclass(frozen=True)
class Settings:
    language: str = "fr"
    size: int = DEFAULT_SIZE
    high_contrast: bool = False


class VoterSession:
    """The current voter. Changing a choice returns the refusal code, never deselects anything."""

    def __init__(self, election: Election, default_language: str = "fr") -> None:
        self.election = election
        self.default_language = default_language if default_language in election.languages else "fr"
        self.settings = Settings(language=self.default_language)
        self._selection: dict[str, tuple[str, ...]] = {}
        self.identity: Identity | None = None
        self.attested = False

    # -- settings ----------------------------------------------------------------------------

    def set_settings(self, **changes: object) -> Settings:
        values = {**self.settings.__dict__, **changes}
        self.settings = Settings(**values)  # type: ignore[arg-type]
        return self.settings

    # -- selection ---------------------------------------------------------------------------

    def chosen(self, question: Question) -> tuple[str, ...]:
        return self._selection.get(question.id, ())

    def selection(self) -> Mapping[str, tuple[str, ...]]:
        return dict(self._selection)

    def is_chosen(self, question: Question, choice_id: str) -> bool:
        return choice_id in self.chosen(question)

    def choose(self, question: Question, choice_id: str) -> str | None:
        """Add a choice; return the rules' refusal code (full, over_budget...) or None when added.

        A single-answer question with an answer already given is full too: the voter removes
        the answer first (nothing is ever swapped silently).
        """
        current = self.chosen(question)
        reason = rules.refusal(question, current, choice_id)
        if reason is not None:
            return reason
        self._selection[question.id] = rules.add_choice(question, current, choice_id)
        return None

    def unchoose(self, question: Question, choice_id: str) -> None:
        self._selection[question.id] = tuple(c for c in self.chosen(question) if c != choice_id)

    def toggle(self, question: Question, choice_id: str) -> str | None:
        if self.is_chosen(question, choice_id):
            self.unchoose(question, choice_id)
            return None
        return self.choose(question, choice_id)

    def move(self, question: Question, choice_id: str, index: int) -> None:
        """Put a ranked choice at `index` (0 = first place)."""
        order = [c for c in self.chosen(question) if c != choice_id]
        if choice_id not in self.chosen(question):
            return
        index = max(0, min(index, len(order)))
        order.insert(index, choice_id)
        self._selection[question.id] = tuple(order)

    def progress(self, question: Question) -> rules.Progress:
        return rules.progress(question, self.chosen(question))

    def check(self, question: Question) -> rules.QuestionCheck:
        return rules.check_question(question, self.chosen(question))

    def can_submit(self) -> bool:
        return rules.can_submit(self.election, self._selection)

    def left_to_choose(self, question: Question) -> int:
        """How many more choices the voter may still make (the review's undervote hint)."""
        p = self.progress(question)
        if question.rule.kind is RuleKind.SINGLE:
            return 0 if p.chosen else 1
        left = p.remaining
        if p.budget and question.rule.kind is RuleKind.BUDGET:
            # Only count what still fits: an envelope spent to the last euro is not an undervote.
            room = p.budget - p.spent
            left = min(left, sum(1 for c in question.choices if c.id not in self.chosen(question) and c.cost <= room))
        return left

    # -- register and casting ----------------------------------------------------------------

    @property
    def needs_register(self) -> bool:
        return self.election.register is not RegisterMode.NONE

    @property
    def registered(self) -> bool:
        mode = self.election.register
        if mode is RegisterMode.NONE:
            return True
        if mode is RegisterMode.ATTEST:
            return self.attested
        return self.identity is not None

    def ballot(self, device: str) -> Ballot:
        if not self.can_submit():
            raise InvalidBallot(rules.check_ballot(self.election, self._selection).reasons)
        return new_ballot(self.election, self._selection, channel=Channel.KIOSK, device=device)

    def cast(self, store: Store) -> Ballot:
        """Hand the finished visit to the casting service (`ballots.casting.cast_vote`), the one
        place that registers the voter and stores the ballot. Returns once durable."""
        return cast_vote(store, self.election, self._selection, identity=self.identity, attested=self.attested)

    def clear(self) -> None:
        self._selection = {}
        self.identity = None
        self.attested = False
        self.settings = Settings(language=self.default_language)
