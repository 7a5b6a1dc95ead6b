"""The voter's way through the kiosk, without Qt: which screen follows which intent.

`VoterFlow` is a small state machine. The window forwards each intent (a tap on "Voter",
"Question suivante", "Retour", "Modifier", the idle timer...) and shows the `Place` it gets
back; every navigation rule lives here and is unit-tested without widgets
(tests/kiosk/test_flow.py). An intent that does not belong to the current screen is refused
(the place does not change): a late tap or a stray signal can never skip the review or cast.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Step(StrEnum):
    WELCOME = "welcome"
    REGISTER = "register"
    QUESTION = "question"
    REVIEW = "review"
    THANKS = "thanks"
    IDLE = "idle"  # "Êtes-vous toujours là ?"
    PIN = "pin"
    STAFF = "staff"


class Idle(StrEnum):
    """Which idle timer runs on a step."""

    NONE = "none"
    VOTER = "voter"  # idle_seconds, then "Êtes-vous toujours là ?"
    STAFF = "staff"  # staff_idle_seconds, then back to the welcome screen


VOTING = frozenset({Step.REGISTER, Step.QUESTION, Step.REVIEW})
STAFF_STEPS = frozenset({Step.PIN, Step.STAFF})


@dataclass(frozen=True)
class Place:
    step: Step
    question: int = 0  # the question shown (Step.QUESTION only)
    from_review: bool = False  # "Modifier" on the review: "next" and "back" return to it

    @property
    def idle(self) -> Idle:
        if self.step in STAFF_STEPS:
            return Idle.STAFF
        return Idle.VOTER if self.step in VOTING else Idle.NONE


WELCOME = Place(Step.WELCOME)


class VoterFlow:
    """Navigation rules for an election of `questions` questions (register step or not).

    Every method returns the place to show. `new_visit` is True after the place went back to
    the welcome screen from anywhere else: the window then forgets everything of the last
    visit (choices, settings, scroll positions, expanded cards).
    """

    def __init__(self, questions: int, *, needs_register: bool) -> None:
        if questions < 1:
            raise ValueError("an election has at least one question")
        self.questions = questions
        self.needs_register = needs_register
        self.place = WELCOME
        self._before_idle: Place | None = None
        self.new_visit = False

    def _go(self, place: Place, *, new_visit: bool = False) -> Place:
        self.new_visit = new_visit or (place.step is Step.WELCOME and self.place.step is not Step.WELCOME)
        if place.step is not Step.IDLE:
            self._before_idle = None
        self.place = place
        return place

    def _question(self, index: int, *, from_review: bool = False) -> Place:
        return Place(Step.QUESTION, index, from_review)

    @property
    def step(self) -> Step:
        return self.place.step

    # -- the voter ------------------------------------------------------------------------------

    def start(self, *, polls_open: bool) -> Place:
        """'Voter' on the welcome screen (refused unless the polls are open)."""
        if self.step is not Step.WELCOME or not polls_open:
            return self.place
        return self._go(Place(Step.REGISTER) if self.needs_register else self._question(0))

    def registered(self) -> Place:
        if self.step is not Step.REGISTER:
            return self.place
        return self._go(self._question(0))

    def next(self) -> Place:
        """'Question suivante', 'Voir mon vote' or 'Revenir au récapitulatif'."""
        p = self.place
        if p.step is not Step.QUESTION:
            return p
        if p.from_review or p.question + 1 >= self.questions:
            return self._go(Place(Step.REVIEW))
        return self._go(self._question(p.question + 1))

    def back(self) -> Place:
        p = self.place
        if p.step is Step.REGISTER:
            return self._go(WELCOME)
        if p.step is not Step.QUESTION:
            return p
        if p.from_review:
            return self._go(Place(Step.REVIEW))
        if p.question > 0:
            return self._go(self._question(p.question - 1))
        return self._go(Place(Step.REGISTER) if self.needs_register else WELCOME)

    def edit(self, index: int) -> Place:
        """'Modifier' on the review: that question, then back to the review."""
        if self.step is not Step.REVIEW or not 0 <= index < self.questions:
            return self.place
        return self._go(self._question(index, from_review=True))

    def may_cast(self) -> bool:
        """A ballot is stored only from the review screen, never from anywhere else."""
        return self.step is Step.REVIEW

    def cast(self) -> Place:
        """The ballot was durably stored: the thank-you screen."""
        if self.step is not Step.REVIEW:
            return self.place
        return self._go(Place(Step.THANKS))

    def finished(self) -> Place:
        """The thank-you screen is over ('Terminer' or its countdown)."""
        if self.step is not Step.THANKS:
            return self.place
        return self._go(WELCOME)

    # -- idle -----------------------------------------------------------------------------------

    def idle_expired(self) -> Place:
        """The idle timer of the current step ran out."""
        p = self.place
        if p.step is Step.WELCOME or p.step in STAFF_STEPS:
            # Welcome: someone changed the settings and walked away. Staff: the session ends.
            return self._go(WELCOME, new_visit=True)
        if p.step in VOTING:
            before = p
            self._go(Place(Step.IDLE))
            self._before_idle = before
            return self.place
        return p

    def still_here(self) -> Place:
        if self.step is not Step.IDLE:
            return self.place
        return self._go(self._before_idle or WELCOME)

    def timed_out(self) -> Place:
        """Nobody answered 'Êtes-vous toujours là ?': the ballot in progress is dropped."""
        if self.step is not Step.IDLE:
            return self.place
        return self._go(WELCOME)

    # -- staff ----------------------------------------------------------------------------------

    def staff(self) -> Place:
        """The corner gesture or Ctrl+Shift+U: the PIN pad, from the welcome screen only."""
        if self.step is not Step.WELCOME:
            return self.place
        return self._go(Place(Step.PIN))

    def unlocked(self) -> Place:
        if self.step is not Step.PIN:
            return self.place
        return self._go(Place(Step.STAFF))

    def leave(self) -> Place:
        """'Annuler' on the PIN pad or 'Retour à l'accueil' in the staff menu."""
        if self.step not in STAFF_STEPS:
            return self.place
        return self._go(WELCOME)

    def home(self) -> Place:
        """Back to the welcome screen from anywhere (a failure, the kiosk restarting)."""
        return self._go(WELCOME)
