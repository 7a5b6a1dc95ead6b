"""The audio ballot in the kiosk: turned on from the welcome screen or a key, every screen read,
each action read as it gets the focus, rate and volume per voter, a blank screen, and nothing
of it left for the next voter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.speech import script
from tests.kiosk.kiosk_support import FakePlayer, FakeVoice, clock_fixture, kiosk_fixture, small_budget_fixture, tap  # noqa: F401
from tests.kiosk.test_kiosk_keys import Keys, press


def listen(w):
    said: list[str] = []
    w.audio.spoken.connect(said.append)
    return said


def test_audio_vote_reads_every_screen_and_leaves_nothing_for_the_next_voter(qtbot, kiosk, small_budget):
    player = FakePlayer()
    w, store = kiosk(small_budget, voice=FakeVoice(), player=player)
    said = listen(w)
    press(qtbot, w, Qt.Key.Key_F2)  # the audio key, from the welcome screen
    assert w.audio.on and w.welcome.audio.isChecked()
    assert said[-1] == script.welcome(w.election, "fr", True)
    keys = Keys(qtbot, w)
    keys.select()
    q = w.election.questions[0]
    assert said[-1] == script.question(w.election, 0, (), "fr")
    keys.go_to("choose_a")
    assert said[-1] == script.choice(q, q.choice("a"), (), "fr")
    keys.select()
    assert said[-1].startswith("Projet A : choisi. Choisissez des projets sans dépasser 100 euros. 1 déjà choisi.")
    keys.select("choose_b")
    assert said[-1].startswith("Impossible : ce projet coûte trop cher. Il reste 40 euros sur 100 euros.")
    press(qtbot, w, Qt.Key.Key_F1)  # répéter
    assert said[-1].startswith(script.question(w.election, 0, ("a",), "fr")) and script.keys_help("fr") in said[-1]
    press(qtbot, w, Qt.Key.Key_F8)  # louder
    press(qtbot, w, Qt.Key.Key_F5)  # faster
    assert said[-2:] == [script.volume("fr", 90), script.rate("fr", 170)]
    keys.select("next")
    assert said[-1] == script.review(w.election, {"budget": ("a",)}, "fr", True)
    keys.select("submit")
    assert said[-1] == script.confirmation("fr")
    qtbot.waitUntil(lambda: any(s.text == script.confirmation("fr") for s, _ in player.played))
    assert player.played[-1][1] == 0.9  # the voter's volume
    (b,) = store.ballots()
    assert b.selection == {"budget": ("a",)}
    tap(qtbot, w.thanks.done)
    # the next voter: silence, audio off, nothing remembered, the town's rate and volume
    assert not w.audio.on and not w.welcome.audio.isChecked()
    assert (w.audio._screen_text, w.audio._focus_text) == ("", "")
    assert (w.audio.rate, w.audio.volume) == (150, 0.8)
    n = len(said)
    keys.select()
    assert len(said) == n  # nothing is read to a voter who did not ask


def test_blank_screen_hides_the_ballot_and_idle_timeout_still_resets(qtbot, kiosk, small_budget):
    w, store = kiosk(small_budget, voice=FakeVoice())
    tap(qtbot, w.welcome.audio)  # a volunteer turns audio on
    keys = Keys(qtbot, w)
    keys.select("vote")
    press(qtbot, w, Qt.Key.Key_F3)  # screen off
    assert w.audio.blanked and w.audio.blank.geometry() == w.rect()
    # a touch on the black screen reaches nothing under it
    card = w.choosing.cards["a"].pick
    qtbot.mouseClick(w.audio.blank, Qt.MouseButton.LeftButton, pos=card.mapTo(w, card.rect().center()))
    assert w.session.chosen(w.election.questions[0]) == ()
    keys.select("choose_a")  # keys still vote
    assert w.session.chosen(w.election.questions[0]) == ("a",)
    # the voter leaves: idle warning, then the ballot is dropped and the kiosk is fresh
    w.idle.expired.emit()
    assert w.current() is w.idle_screen
    w.idle_screen.timed_out.emit()
    assert w.current() is w.welcome
    assert not w.audio.blanked and not w.audio.on
    assert list(store.ballots()) == []


def test_real_voice_is_synthesised_off_the_ui_thread_and_played(qtbot, kiosk, small_budget):
    player = FakePlayer()
    w, _ = kiosk(small_budget, player=player)  # the real espeak-ng voice
    w.set_audio(True)
    # espeak-ng synthesis runs on a worker thread: generous on a loaded 2-core machine
    qtbot.waitUntil(lambda: bool(player.played), timeout=60_000)
    speech, volume = player.played[-1]
    assert speech.text == script.welcome(w.election, "fr", True)
    assert speech.duration > 3 and volume == 0.8
    # English voters hear English
    w.set_language("en")
    w.audio.repeat()
    qtbot.waitUntil(lambda: player.played[-1][0].text.startswith("Welcome."), timeout=60_000)
    QApplication.processEvents()
