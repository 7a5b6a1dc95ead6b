"""Idle: the warning, the countdown, and the ballot in progress discarded (short timeouts injected)."""

from __future__ import annotations

import re

from tests.conftest import SAMPLE_SURVEY
from tests.kiosk.kiosk_support import clock_fixture, kiosk_fixture, tap  # noqa: F401 (fixtures)


def short(w, idle_ms=60, tick_ms=10):
    w.voter_idle_ms = idle_ms
    w.idle_screen.tick_ms = tick_ms


def test_idle_warning_then_the_ballot_is_discarded(qtbot, kiosk):
    w, store = kiosk(SAMPLE_SURVEY, idle_seconds=120, idle_warning_seconds=3)
    short(w, tick_ms=300)  # 0.3 s "seconds": the countdown is still on screen when looked at
    tap(qtbot, w.welcome.vote)
    tap(qtbot, w.choosing.cards["souvent"].pick)
    assert w.session.selection() == {"frequence": ("souvent",)}
    qtbot.waitUntil(lambda: w.current() is w.idle_screen, timeout=5000)
    assert w.idle_screen.heading.text() == "Êtes-vous toujours là ?"
    # From 3 down (a loaded machine may already have shown the first tick).
    assert re.search(r"effacé dans [1-3] secondes?\.", w.idle_screen.countdown.text())
    qtbot.waitUntil(lambda: w.current() is w.welcome, timeout=5000)
    assert w.session.selection() == {}
    assert store.counts().ballots == 0


def test_still_here_returns_to_the_same_question_with_the_choices(qtbot, kiosk):
    w, _ = kiosk(SAMPLE_SURVEY, idle_warning_seconds=30)
    short(w, tick_ms=1000)
    tap(qtbot, w.welcome.vote)
    tap(qtbot, w.choosing.cards["jamais"].pick)
    tap(qtbot, w.choosing.next_button)
    qtbot.waitUntil(lambda: w.current() is w.idle_screen, timeout=5000)
    tap(qtbot, w.idle_screen.stay)
    assert w.current() is w.choosing and w.choosing.question.id == "freins"
    assert w.session.selection() == {"frequence": ("jamais",)}


def test_taps_keep_the_voter_from_going_idle(qtbot, kiosk):
    w, _ = kiosk(SAMPLE_SURVEY)
    tap(qtbot, w.welcome.vote)
    assert w.idle.armed
    w.voter_idle_ms = w.idle.idle_ms = 10_000_000
    w.idle.timer.start(50)
    tap(qtbot, w.choosing.cards["jamais"].pick)  # any input restarts the full idle period
    assert w.idle.timer.remainingTime() > 1_000_000


def test_no_idle_on_welcome_and_thanks(qtbot, kiosk):
    w, _ = kiosk(SAMPLE_SURVEY)
    assert not w.idle.armed
    tap(qtbot, w.welcome.vote)
    assert w.idle.armed
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.ranking.next_button)
    tap(qtbot, w.review.submit_button)
    assert w.current() is w.thanks and not w.idle.armed


def test_thanks_returns_to_welcome_by_itself(qtbot, kiosk):
    w, _ = kiosk(SAMPLE_SURVEY, thanks_seconds=2)
    w.thanks.tick_ms = 10
    tap(qtbot, w.welcome.vote)
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.ranking.next_button)
    tap(qtbot, w.review.submit_button)
    assert w.current() is w.thanks
    qtbot.waitUntil(lambda: w.current() is w.welcome, timeout=5000)


def test_settings_changed_on_welcome_are_reset_when_idle(qtbot, kiosk):
    w, _ = kiosk()
    w.voter_idle_ms = 30
    tap(qtbot, w.welcome.language_buttons["en"])
    tap(qtbot, w.welcome.contrast)
    assert w.idle.armed and w.theme.high_contrast
    qtbot.waitUntil(lambda: w.session.settings.language == "fr", timeout=5000)
    assert not w.theme.high_contrast and w.welcome.vote.text() == "Voter"
    assert not w.idle.armed
