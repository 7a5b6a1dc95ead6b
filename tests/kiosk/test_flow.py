"""The voter flow's navigation rules, without any widget (kiosk.ui.flow has no Qt)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.ui.flow import WELCOME, Idle, Place, Step, VoterFlow


def q(i: int, from_review: bool = False) -> Place:
    return Place(Step.QUESTION, i, from_review)


def test_flow_module_imports_no_qt():
    tree = ast.parse(Path("kiosk/ui/flow.py").read_text(encoding="utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(m.startswith("PySide6") for m in imported), imported


def test_a_whole_visit_with_register_edit_from_review_and_cast():
    f = VoterFlow(3, needs_register=True)
    assert f.place == WELCOME and f.place.idle is Idle.NONE
    assert f.start(polls_open=True) == Place(Step.REGISTER)
    assert f.place.idle is Idle.VOTER
    assert f.registered() == q(0)
    assert f.next() == q(1)
    assert f.back() == q(0)
    assert f.back() == Place(Step.REGISTER)
    assert f.registered() == q(0)
    assert f.next() == q(1) and f.next() == q(2)
    assert f.next() == Place(Step.REVIEW)
    assert f.edit(1) == q(1, from_review=True)
    assert f.next() == Place(Step.REVIEW)  # "Revenir au récapitulatif", not question 3
    assert f.edit(0) == q(0, from_review=True)
    assert f.back() == Place(Step.REVIEW)  # "Retour" from an edit also returns to the review
    assert f.may_cast()
    assert f.cast() == Place(Step.THANKS) and not f.new_visit
    assert f.finished() == WELCOME and f.new_visit


def test_without_register_back_from_the_first_question_is_the_welcome_screen():
    f = VoterFlow(1, needs_register=False)
    assert f.start(polls_open=True) == q(0)
    assert f.back() == WELCOME and f.new_visit
    f.start(polls_open=True)
    assert f.next() == Place(Step.REVIEW)


def test_voting_needs_open_polls():
    f = VoterFlow(2, needs_register=False)
    assert f.start(polls_open=False) == WELCOME


def test_intents_that_do_not_belong_to_the_screen_change_nothing():
    """A late tap or a stray signal never skips the review nor casts from elsewhere."""
    f = VoterFlow(2, needs_register=True)
    for intent in (f.next, f.back, f.cast, f.finished, f.registered, f.still_here, f.timed_out, f.unlocked):
        assert intent() == WELCOME
    assert f.edit(0) == WELCOME
    f.start(polls_open=True)
    assert f.cast() == Place(Step.REGISTER) and not f.may_cast()
    assert f.start(polls_open=True) == Place(Step.REGISTER)  # a second "Voter" is not a new visit
    assert f.staff() == Place(Step.REGISTER)  # the PIN pad opens from the welcome screen only
    f.registered()
    assert f.registered() == q(0)
    assert f.edit(1) == q(0) and f.cast() == q(0)
    f.next()
    f.next()
    assert f.next() == Place(Step.REVIEW) and f.back() == Place(Step.REVIEW)
    assert f.edit(5) == Place(Step.REVIEW)


def test_idle_on_a_voting_screen_asks_then_returns_or_forgets():
    f = VoterFlow(2, needs_register=False)
    f.start(polls_open=True)
    f.next()
    assert f.idle_expired() == Place(Step.IDLE)
    assert f.place.idle is Idle.NONE  # the countdown has its own timer
    assert f.still_here() == q(1)
    f.next()
    f.idle_expired()
    assert f.timed_out() == WELCOME and f.new_visit


def test_idle_on_welcome_or_staff_goes_home_as_a_new_visit():
    f = VoterFlow(1, needs_register=False)
    assert f.idle_expired() == WELCOME and f.new_visit  # settings changed and the person left
    assert f.staff() == Place(Step.PIN) and f.place.idle is Idle.STAFF
    assert f.unlocked() == Place(Step.STAFF)
    assert f.idle_expired() == WELCOME and f.new_visit
    f.staff()
    assert f.leave() == WELCOME
    assert f.idle_expired() == WELCOME  # nothing to do on the thank-you's successor


def test_an_election_has_questions():
    with pytest.raises(ValueError):
        VoterFlow(0, needs_register=False)


INTENTS = ("start", "registered", "next", "back", "edit", "cast", "finished", "idle", "still", "timeout")


# The machine the suite runs on is shared: generation speed is no property of the flow.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 4), st.booleans(), st.lists(st.sampled_from(INTENTS), max_size=60))
def test_the_thank_you_is_only_ever_reached_from_the_review(questions, register, intents):
    f = VoterFlow(questions, needs_register=register)
    for name in intents:
        before = f.place
        if name == "start":
            after = f.start(polls_open=True)
        elif name == "edit":
            after = f.edit(questions - 1)
        elif name == "idle":
            after = f.idle_expired()
        elif name == "still":
            after = f.still_here()
        elif name == "timeout":
            after = f.timed_out()
        else:
            after = getattr(f, name)()
        assert after == f.place
        if after.step is Step.THANKS and before.step is not Step.THANKS:
            assert before.step is Step.REVIEW and name == "cast"
        if after.step is Step.QUESTION:
            assert 0 <= after.question < questions
