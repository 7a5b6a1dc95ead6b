"""No tap crosses a screen, and every voter starts from a fresh kiosk.

Taps are real mouse presses and releases at a point of the window (where a finger lands), not
calls on a button: the second tap of a double tap lands on whatever the next screen has there.
The time between taps is chosen on the kiosk's tap clock (no sleeping, nothing timed).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from tests.conftest import SAMPLE_SURVEY
from tests.kiosk.kiosk_support import FakeClock, clock_fixture, kiosk_fixture, read_screen, tap  # noqa: F401


def burst(qtbot, window, button, taps: int, ms: int) -> None:
    """`taps` taps `ms` apart at the place of `button` in the window (the first one after reading)."""
    QApplication.processEvents()
    at = button.mapTo(window, button.rect().center())
    for i in range(taps):
        window.tap_guard.clock.advance(1.0 if i == 0 else ms / 1000)
        target = window.childAt(at) or window
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(window, at))
        QApplication.processEvents()


def to_last_question(qtbot, w) -> None:
    tap(qtbot, w.welcome.vote)
    tap(qtbot, w.choosing.cards["jamais"].pick)
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.choosing.cards["securite"].pick)
    tap(qtbot, w.choosing.next_button)
    assert w.current() is w.ranking and w.ranking.next_button.text() == "Voir mon vote"


@pytest.mark.parametrize("ms", [50, 120, 180, 300])
@pytest.mark.parametrize("taps", [2, 3, 4])
def test_a_double_or_triple_tap_on_voir_mon_vote_never_skips_the_review(qtbot, kiosk, ms, taps):
    w, store = kiosk(SAMPLE_SURVEY)
    to_last_question(qtbot, w)
    burst(qtbot, w, w.ranking.next_button, taps, ms)
    assert w.current() is w.review
    assert store.counts().ballots == 0
    assert w.tap_guard.ignored == taps - 1
    read_screen(w)  # after reading the review, a deliberate tap casts
    tap(qtbot, w.review.submit_button)
    assert w.current() is w.thanks and store.counts().ballots == 1


@pytest.mark.parametrize("ms", [50, 180, 300])
def test_a_triple_tap_on_the_registers_continuer_does_not_cast_a_blank_ballot(qtbot, kiosk, ms):
    w, store = kiosk()  # the budget sample: attest register, then one question
    tap(qtbot, w.welcome.vote)
    for t in w.register_step.ticks:
        tap(qtbot, t)
    burst(qtbot, w, w.register_step.next_button, 3, ms)
    assert w.current() is w.choosing and w.session.selection() == {}
    assert store.counts().ballots == 0


@pytest.mark.parametrize("ms", [50, 300])
def test_question_suivante_and_oui_je_continue_taps_stay_on_their_screen(qtbot, kiosk, ms):
    w, store = kiosk(SAMPLE_SURVEY)
    tap(qtbot, w.welcome.vote)
    burst(qtbot, w, w.choosing.next_button, 3, ms)
    assert w.current() is w.choosing and w.choosing.question.id == "freins"
    w.go(w.flow.idle_expired())
    assert w.current() is w.idle_screen
    burst(qtbot, w, w.idle_screen.stay, 2, ms)
    assert w.current() is w.choosing and w.choosing.question.id == "freins"
    assert store.counts().ballots == 0


def test_the_release_of_an_ignored_press_is_ignored_and_a_later_tap_counts(qtbot, kiosk):
    w, _ = kiosk(SAMPLE_SURVEY)
    tap(qtbot, w.welcome.vote)
    pick = w.choosing.cards["jamais"].pick
    qtbot.mousePress(pick, Qt.MouseButton.LeftButton, pos=pick.rect().center())  # at once: ignored
    read_screen(w)
    qtbot.mouseRelease(pick, Qt.MouseButton.LeftButton, pos=pick.rect().center())  # its release too
    assert w.session.selection() == {}
    tap(qtbot, pick)
    assert w.session.selection() == {"frequence": ("jamais",)}


# -- every voter starts from a fresh kiosk ---------------------------------------------------------


def grab(w) -> bytes:
    QApplication.processEvents()
    image = w.grab().toImage()
    return bytes(image.constBits())


def second_voter(qtbot, w) -> list[tuple[str, bytes]]:
    """What the next voter sees, screen by screen, without touching anything but 'Voter'."""
    shots = [("welcome", grab(w))]
    tap(qtbot, w.welcome.vote)
    for t in w.register_step.ticks:
        tap(qtbot, t)
    shots.append(("register", grab(w)))
    tap(qtbot, w.register_step.next_button)
    shots.append(("choosing", grab(w)))
    tap(qtbot, w.choosing.next_button)
    shots.append(("review", grab(w)))
    tap(qtbot, w.review.findChild(QWidget, "edit_projets"))
    shots.append(("choosing again", grab(w)))
    return shots


def first_voter_scrolls_expands_filters(qtbot, w) -> None:
    w.welcome.panel.area.verticalScrollBar().setValue(10_000)  # the welcome screen scrolled
    tap(qtbot, w.welcome.size_buttons[3])
    tap(qtbot, w.welcome.size_buttons[1])
    tap(qtbot, w.welcome.vote)
    for t in w.register_step.ticks:
        tap(qtbot, t)
    tap(qtbot, w.register_step.next_button)
    tap(qtbot, w.choosing.cards["p03"].more)
    tap(qtbot, w.choosing.findChild(QWidget, "filter_Nature"))
    tap(qtbot, w.choosing.cards["p07"].pick)
    w.choosing.scroll_area.verticalScrollBar().setValue(10_000)
    tap(qtbot, w.choosing.next_button)
    w.review.scroll_area.verticalScrollBar().setValue(10_000)


@pytest.mark.parametrize("leaves_by", ["validating", "idle timeout"])
def test_the_next_voter_sees_exactly_what_a_freshly_started_kiosk_shows(qtbot, kiosk, tmp_path, leaves_by):
    used, store = kiosk(data=tmp_path / "a")
    first_voter_scrolls_expands_filters(qtbot, used)
    if leaves_by == "validating":
        tap(qtbot, used.review.submit_button)
        tap(qtbot, used.thanks.done)
    else:
        used.go(used.flow.idle_expired())
        used.go(used.flow.timed_out())
    assert used.current() is used.welcome
    seen = second_voter(qtbot, used)
    used.hide()
    fresh, _ = kiosk(data=tmp_path / "b")
    expected = second_voter(qtbot, fresh)
    import os

    if os.environ.get("K12_DUMP"):
        from PySide6.QtGui import QImage

        for tag, shots, win in (("seen", seen, used), ("want", expected, fresh)):
            size = win.grab().size()
            for name, data in shots:
                QImage(data, size.width(), size.height(), QImage.Format.Format_RGB32).save(f"/tmp/k12_{tag}_{name}.png")
    for (name, got), (_, want) in zip(seen, expected, strict=True):
        assert got == want, f"the {name} screen differs from a fresh kiosk's"
