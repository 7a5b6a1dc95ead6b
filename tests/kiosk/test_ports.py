"""Kiosk screens depend on a narrow interface (kiosk.ui.ports), never on the window or the store."""

from __future__ import annotations

import ast
from pathlib import Path

from ballots import election_file
from ballots.store import Polls
from kiosk.ui.choosing import ChoosingScreen
from kiosk.ui.flow import Place, Step
from kiosk.ui.ports import ScreenContext
from kiosk.ui.review import ReviewScreen
from kiosk.ui.session import VoterSession
from kiosk.ui.theme import make_theme
from kiosk.ui.welcome import WelcomeScreen
from tests.conftest import SAMPLE_BUDGET

SCREENS = ("welcome", "register_step", "choosing", "ranking", "review", "thanks", "idle", "staff")


def test_no_screen_imports_the_window_or_reaches_into_it():
    for name in SCREENS:
        source = Path(f"kiosk/ui/{name}.py").read_text(encoding="utf-8")
        tree = ast.parse(source)
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "kiosk.ui.app" not in modules, name
        attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not attributes & {"kiosk", "store", "config", "MainWindow"}, (name, attributes & {"kiosk", "store"})


def test_screens_are_built_and_filled_from_a_context_made_by_hand(qtbot):
    election = election_file.load(SAMPLE_BUDGET)
    session = VoterSession(election)
    ctx = ScreenContext(
        election=election,
        session=session,
        theme=make_theme(149.4),
        languages=("fr", "en"),
        polls=lambda: Polls.OPEN,
        place=lambda: Place(Step.QUESTION, 0, from_review=True),
    )
    welcome = WelcomeScreen(ctx)
    qtbot.addWidget(welcome)
    welcome.refresh()
    assert welcome.vote.isVisibleTo(welcome) and welcome.vote.text() == "Voter"
    chosen: list[str] = []
    welcome.language_chosen.connect(chosen.append)
    welcome.language_buttons["en"].click()
    assert chosen == ["en"]  # intent goes out as a signal; the screen changes nothing itself
    choosing = ChoosingScreen(ctx)
    qtbot.addWidget(choosing)
    choosing.refresh()
    assert choosing.next_button.text() == "Revenir au récapitulatif"
    choosing.tap("p01")
    review = ReviewScreen(ctx)
    qtbot.addWidget(review)
    review.refresh()
    assert session.chosen(election.questions[0]) == ("p01",)
