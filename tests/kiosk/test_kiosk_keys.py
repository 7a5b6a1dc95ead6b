"""Whole votes with keys only (keyboard, USB keypad) and with switches only (two switches; one
switch with automatic scanning), for every rule type and both register modes; the stored
ballot is checked, the screen's content is never read."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ballots.store import Polls
from kiosk.ui.keys import actions
from tests.conftest import SAMPLE_SURVEY, SAMPLE_VOTATION
from tests.kiosk.kiosk_support import (  # noqa: F401 (fixtures)
    clock_fixture,
    kiosk_fixture,
    read_screen,
    small_budget_fixture,
    tap,
)

KEYPAD = Qt.KeyboardModifier.KeypadModifier


def press(qtbot, w, key, modifier=Qt.KeyboardModifier.NoModifier):
    QApplication.processEvents()
    read_screen(w)  # the voter listens or reads before pressing (the tap guard eats quick presses)
    f = w.focusWidget()  # where the keyboard's key goes: the focused action, else the window
    qtbot.keyClick(f if f is not None and f.isVisible() and f.window() is w else w, key, modifier)
    QApplication.processEvents()


def focused(w):
    f = w.focusWidget()
    return f.objectName() if f is not None and f.isVisible() else ""


class Keys:
    """The voter's device: which key moves and which selects."""

    def __init__(
        self, qtbot, w, move=Qt.Key.Key_Down, select=Qt.Key.Key_Return, modifier=Qt.KeyboardModifier.NoModifier
    ):
        self.qtbot, self.w, self.move_key, self.select_key, self.modifier = qtbot, w, move, select, modifier
        self.presses = 0

    def go_to(self, name):
        """Press 'move' until `name` has the focus (as a voter listening to each action would)."""
        for _ in range(len(actions(self.w.current())) + 1):
            if focused(self.w) == name:
                return
            press(self.qtbot, self.w, self.move_key, self.modifier)
            self.presses += 1
        raise AssertionError(f"{name} never got the focus; {[a.objectName() for a in actions(self.w.current())]}")

    def select(self, name=None):
        if name is not None:
            self.go_to(name)
        press(self.qtbot, self.w, self.select_key, self.modifier)
        self.presses += 1


def vote_sample_budget(keys, w):
    keys.select()  # welcome, nothing focused: Entrée starts
    assert w.current() is w.register_step
    for i in range(3):
        keys.select(f"attest_{i}")
    keys.select("next")
    assert w.current() is w.choosing
    for cid in ("p01", "p03", "p20"):
        keys.select(f"choose_{cid}")
    keys.select("next")
    assert w.current() is w.review
    keys.select("submit")
    assert w.current() is w.thanks


def test_approval_with_arrow_keys_and_attest_register(qtbot, kiosk):
    w, store = kiosk()
    vote_sample_budget(Keys(qtbot, w), w)
    (b,) = store.ballots()
    assert b.selection == {"projets": ("p01", "p03", "p20")}
    assert store.counts().register == 1


def test_budget_with_a_usb_numeric_keypad(qtbot, kiosk, small_budget):
    w, store = kiosk(small_budget)
    keys = Keys(qtbot, w, move=Qt.Key.Key_2, select=Qt.Key.Key_5, modifier=KEYPAD)
    keys.select()
    assert w.current() is w.choosing
    keys.select("choose_a")
    keys.select("choose_b")  # 60 + 50 > 100: refused, nothing deselected
    assert w.session.chosen(w.election.questions[0]) == ("a",)
    keys.select("choose_c")
    keys.select("next")
    keys.select("submit")
    (b,) = store.ballots()
    assert b.selection == {"budget": ("a", "c")}


def survey_vote(keys, w):
    keys.select("vote")
    assert w.current() is w.choosing  # single question first
    keys.select("choose_souvent")
    keys.select("next")
    keys.select("choose_meteo")
    keys.select("next")
    assert w.current() is w.ranking
    keys.select("choose_zone30")
    keys.select("choose_pistes")
    keys.select("up_pistes")  # pistes moves to first place
    keys.select("next")
    assert w.current() is w.review
    keys.select("submit")
    assert w.current() is w.thanks


def test_single_approval_and_ranked_with_the_keyboard(qtbot, kiosk):
    w, store = kiosk(SAMPLE_SURVEY)
    survey_vote(Keys(qtbot, w), w)
    (b,) = store.ballots()
    assert b.selection == {"frequence": ("souvent",), "freins": ("meteo",), "priorites": ("pistes", "zone30")}


def test_two_switches_move_and_select(qtbot, kiosk):
    """A switch interface sends Tab (move) and Entrée (select): nothing else is pressed."""
    w, store = kiosk(SAMPLE_SURVEY)
    keys = Keys(qtbot, w, move=Qt.Key.Key_Tab, select=Qt.Key.Key_Return)
    survey_vote(keys, w)
    (b,) = store.ballots()
    assert b.selection == {"frequence": ("souvent",), "freins": ("meteo",), "priorites": ("pistes", "zone30")}


def test_two_switches_budget_and_attest(qtbot, kiosk):
    w, store = kiosk()
    vote_sample_budget(Keys(qtbot, w, move=Qt.Key.Key_Tab, select=Qt.Key.Key_Return), w)
    (b,) = store.ballots()
    assert b.selection == {"projets": ("p01", "p03", "p20")}


class Scanning:
    """One switch: the kiosk moves the focus by itself; the voter only presses select."""

    def __init__(self, qtbot, w):
        self.qtbot, self.w = qtbot, w

    def select(self, name=None):
        if name is not None:
            self.qtbot.waitUntil(lambda: focused(self.w) == name, timeout=5000)
        # pressed at once: no event processed in between, or the scan would move on first
        read_screen(self.w)
        self.qtbot.keyClick(self.w.focusWidget() or self.w, Qt.Key.Key_Return)
        QApplication.processEvents()


def test_one_switch_with_automatic_scanning_ranked_and_single(qtbot, kiosk):
    w, store = kiosk(SAMPLE_SURVEY, scan_seconds=0.01)
    tap(qtbot, w.welcome.scan)  # the volunteer turns scanning on for this voter
    assert w.scanner.running
    survey_vote(Scanning(qtbot, w), w)
    (b,) = store.ballots()
    assert b.selection == {"frequence": ("souvent",), "freins": ("meteo",), "priorites": ("pistes", "zone30")}
    tap(qtbot, w.thanks.done)
    assert not w.scanner.running  # the next voter starts without scanning


def test_identity_register_and_single_question_with_the_keyboard(qtbot, kiosk):
    w, store = kiosk(SAMPLE_VOTATION)
    keys = Keys(qtbot, w)
    keys.select()
    assert w.current() is w.register_step
    keys.go_to("field_last_name")
    for field, text in zip(
        ("field_last_name", "field_first_name", "field_birth_date", "field_postcode"),
        ("Martin", "Lea", "14/07/1990", "13210"),
        strict=True,
    ):
        assert focused(w) == field
        qtbot.keyClicks(w.focusWidget(), text)
        press(qtbot, w, Qt.Key.Key_Return)  # Entrée in a field: on to the next one
    keys.select("next")
    assert w.current() is w.choosing
    keys.select("choose_oui")
    keys.select("next")
    keys.select("submit")
    (b,) = store.ballots()
    assert b.selection == {"pieton": ("oui",)}
    assert store.counts().register == 1


def test_escape_goes_back_never_forward_and_held_keys_do_not_repeat(qtbot, kiosk, small_budget):
    w, store = kiosk(small_budget)
    keys = Keys(qtbot, w)
    keys.select()
    keys.select("choose_d")
    keys.select("next")
    assert w.current() is w.review
    press(qtbot, w, Qt.Key.Key_Escape)  # review -> the last question
    assert w.current() is w.choosing and w.from_review
    press(qtbot, w, Qt.Key.Key_Escape)  # a question opened from the review -> the review
    assert w.current() is w.review
    assert list(store.ballots()) == []  # going back and forth stores nothing
    # an auto-repeated Entrée (a key held down) does not toggle the choice again
    press(qtbot, w, Qt.Key.Key_Escape)
    assert w.current() is w.choosing
    keys.go_to("choose_a")
    press(qtbot, w, Qt.Key.Key_Return)
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    held = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "", True)
    QApplication.sendEvent(w.focusWidget(), held)
    assert w.session.chosen(w.election.questions[0]) == ("d", "a")


def test_focus_ring_follows_keys_and_hides_on_touch(qtbot, kiosk):
    w, _ = kiosk()
    ring = w.navigator.ring
    press(qtbot, w, Qt.Key.Key_Down)
    target = w.focusWidget()
    assert target is not None and ring.isVisible()
    inside = ring.geometry().adjusted(ring.width_px, ring.width_px, -ring.width_px, -ring.width_px)
    from PySide6.QtCore import QRect

    assert inside.contains(QRect(target.mapTo(w, target.rect().topLeft()), target.size()))
    assert ring.width_px * 25.4 / w.theme.dpi >= 1.2 - 1e-9
    tap(qtbot, w.welcome.contrast)
    assert not ring.isVisible()
    assert w.polls() is Polls.OPEN
