"""A ballot that could not be stored never leads to the thank-you screen."""

from __future__ import annotations

import sqlite3

from ballots.store import Polls
from tests.conftest import SAMPLE_SURVEY
from tests.kiosk.kiosk_support import clock_fixture, kiosk_fixture, tap  # noqa: F401 (fixtures)


def reach_review(qtbot, w):
    tap(qtbot, w.welcome.vote)
    tap(qtbot, w.choosing.cards["jamais"].pick)
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.ranking.next_button)
    assert w.current() is w.review


def test_polls_closed_during_the_vote_shows_an_error_and_keeps_the_choices(qtbot, kiosk):
    w, store = kiosk(SAMPLE_SURVEY)
    reach_review(qtbot, w)
    store.set_polls(Polls.CLOSED, actor="test")  # e.g. closed from the CLI meanwhile
    tap(qtbot, w.review.submit_button)
    assert w.current() is w.review
    assert "PAS enregistré" in w.review.alert.text() and "fermé" in w.review.alert.text()
    assert store.counts().ballots == 0
    assert w.session.selection()["frequence"] == ("jamais",)
    # the volunteer reopens: the same vote goes through
    store.set_polls(Polls.OPEN, actor="test")
    tap(qtbot, w.review.submit_button)
    assert w.current() is w.thanks
    assert store.counts().ballots == 1


def test_a_storage_failure_shows_an_error_and_no_thank_you(qtbot, kiosk, tmp_path):
    w, store = kiosk(SAMPLE_SURVEY)
    reach_review(qtbot, w)
    # The disk turns read-only under the kiosk: a second connection takes the write lock.
    blocker = sqlite3.connect(store.path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    store.conn.execute("PRAGMA busy_timeout = 0")
    try:
        tap(qtbot, w.review.submit_button)
        assert w.current() is w.review
        assert "problème de stockage" in w.review.alert.text()
    finally:
        blocker.rollback()
        blocker.close()
    assert store.counts().ballots == 0
    tap(qtbot, w.review.submit_button)
    assert w.current() is w.thanks and store.counts().ballots == 1


def test_attest_register_is_rolled_back_with_a_refused_ballot(qtbot, kiosk):
    w, store = kiosk()
    tap(qtbot, w.welcome.vote)
    for t in w.register_step.ticks:
        tap(qtbot, t)
    tap(qtbot, w.register_step.next_button)
    tap(qtbot, w.choosing.cards["p09"].pick)
    tap(qtbot, w.choosing.next_button)
    store.set_polls(Polls.PAUSED, actor="test")
    tap(qtbot, w.review.submit_button)
    assert w.current() is w.review
    assert store.counts().register == 0 and store.counts().ballots == 0
