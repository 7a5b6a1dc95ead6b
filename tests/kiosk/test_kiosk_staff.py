"""Staff: PIN hash and lockout (injected clock, no sleeping), the PIN pad, the staff menu."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QCloseEvent

from ballots.backup import check_file
from ballots.store import Polls
from kiosk.ui.pin import BadPin, PinGuard, hash_pin, verify_pin, wait_after
from tests.kiosk.kiosk_support import FakeClock, clock_fixture, kiosk_fixture, tap  # noqa: F401 (fixtures)

PIN = "246810"


def test_pin_is_stored_as_a_salted_slow_hash(store):
    guard = PinGuard(store)
    guard.set_pin(PIN)
    stored = store.get_meta("kiosk:staff_pin")
    assert PIN not in stored and stored.startswith("scrypt$16384$8$1$")
    assert stored != hash_pin(PIN)  # salted: two hashes of one PIN differ
    assert verify_pin(PIN, stored) and not verify_pin("246811", stored)
    with pytest.raises(BadPin):
        guard.set_pin("12345")
    with pytest.raises(BadPin):
        guard.set_pin("12345a")


def test_wait_schedule():
    assert [wait_after(n) for n in range(1, 5)] == [0, 0, 0, 0]
    assert [wait_after(n) for n in (5, 6, 7, 8)] == [15, 30, 60, 120]


def test_lockout_timings_with_an_injected_clock(store):
    clock = FakeClock()
    guard = PinGuard(store, clock)
    guard.set_pin(PIN)
    for n in range(1, 5):
        a = guard.attempt("000000")
        assert not a.ok and a.failures == n and a.wait == 0
    a = guard.attempt("000000")
    assert a.failures == 5 and a.wait == 15 and not a.locked
    # during the wait even the right code is refused, without counting as a failure
    clock.advance(14.5)
    a = guard.attempt(PIN)
    assert not a.ok and a.failures == 5 and 0 < a.wait <= 0.5
    clock.advance(0.5)
    a = guard.attempt("000000")
    assert a.failures == 6 and a.wait == 30
    clock.advance(30)
    # a restart does not reset the count nor skip the wait
    again = PinGuard(store, clock)
    assert again.failures == 6 and again.seconds_to_wait() == 30
    clock.advance(30)
    assert again.attempt(PIN).ok
    assert again.failures == 0


def test_locked_after_fifteen_wrong_codes_until_reset(store):
    clock = FakeClock()
    guard = PinGuard(store, clock)
    guard.set_pin(PIN)
    for _ in range(15):
        clock.advance(guard.seconds_to_wait())
        a = guard.attempt("999999")
    assert a.locked and guard.locked and a.failures == 15
    clock.advance(10**9)
    assert not guard.attempt(PIN).ok
    guard.set_pin(PIN, actor="cli")  # `urne kiosk --set-pin` on the machine
    assert guard.attempt(PIN).ok


def open_pin_pad(qtbot, w):
    for _ in range(5):
        tap(qtbot, w.welcome.staff_corner)
    assert w.current() is w.pin


def type_pin(qtbot, w, code):
    for d in code:
        tap(qtbot, w.pin.findChild(type(w.pin.keys[0]), f"pin_{d}"))


def test_first_pin_is_chosen_twice_then_the_menu_opens(qtbot, kiosk):
    w, store = kiosk()
    open_pin_pad(qtbot, w)
    assert "Choisissez le code" in w.pin.heading.text()
    type_pin(qtbot, w, PIN)
    assert "encore une fois" in w.pin.heading.text()
    type_pin(qtbot, w, "135790")
    assert "différents" in w.pin.alert.text()
    type_pin(qtbot, w, PIN)
    type_pin(qtbot, w, PIN)
    assert w.current() is w.staff_menu
    assert verify_pin(PIN, store.get_meta("kiosk:staff_pin"))


def test_pin_pad_lockout_disables_the_keys(qtbot, kiosk, clock):
    w, store = kiosk()
    w.guard.set_pin(PIN)
    open_pin_pad(qtbot, w)
    for _ in range(4):
        type_pin(qtbot, w, "000000")
        assert "Code faux" in w.pin.alert.text()
    type_pin(qtbot, w, "000000")
    assert "Attendez 15 s" in w.pin.alert.text()
    assert not w.pin.keys[0].isEnabled()
    assert w.pin.cancel_button.isEnabled()  # "Annuler" always works
    clock.advance(15)
    w.pin.refresh()
    assert w.pin.keys[0].isEnabled()
    type_pin(qtbot, w, PIN)
    assert w.current() is w.staff_menu


def test_staff_menu_polls_counts_results_and_keep_awake(qtbot, kiosk, tmp_path):
    w, store = kiosk(polls=Polls.NOT_OPENED)
    w.guard.set_pin(PIN)
    assert not w.welcome.vote.isVisible()
    open_pin_pad(qtbot, w)
    type_pin(qtbot, w, PIN)
    menu = w.staff_menu
    assert not menu.buttons["results"].isEnabled()
    tap(qtbot, menu.buttons["open"])
    assert store.polls() is Polls.OPEN and w.awake.active
    assert not menu.buttons["results"].isEnabled()  # never partial results while polls are open
    assert w.results_text() == ""
    tap(qtbot, menu.back)
    assert w.welcome.vote.isVisible()
    from kiosk.ui.autopilot import vote_once

    vote_once(w)
    open_pin_pad(qtbot, w)
    type_pin(qtbot, w, PIN)
    assert menu.counts.text() == "Bulletins enregistrés : 1 · Inscrits : 1"
    tap(qtbot, menu.buttons["pause"])
    assert store.polls() is Polls.PAUSED and not w.awake.active
    tap(qtbot, menu.buttons["close"])
    assert store.polls() is Polls.PAUSED and menu.buttons["close"].text() == "Touchez encore pour fermer"
    tap(qtbot, menu.buttons["close"])
    assert store.polls() is Polls.CLOSED
    tap(qtbot, menu.buttons["results"])
    assert menu.results.isVisible() and "Quels projets" in menu.results.text()


def test_backup_and_exports_run_off_the_ui_thread(qtbot, kiosk, tmp_path):
    w, store = kiosk()
    from kiosk.ui.autopilot import vote_once

    vote_once(w)
    w.export_dir = tmp_path / "usb"
    w.guard.set_pin(PIN)
    open_pin_pad(qtbot, w)
    type_pin(qtbot, w, PIN)
    menu = w.staff_menu
    tap(qtbot, menu.buttons["backup"])
    assert menu.busy and menu.progress.isVisible()
    qtbot.waitUntil(lambda: not menu.busy, timeout=20000)
    assert "Sauvegarde vérifiée : 1 bulletins" in menu.message.text()
    (copy,) = (tmp_path / "usb").glob("*.sqlite")
    assert check_file(copy) == 1
    tap(qtbot, menu.buttons["bundle"])
    qtbot.waitUntil(lambda: not menu.busy, timeout=20000)
    assert "synchronisation" in menu.message.text(), menu.message.text()
    assert list((tmp_path / "usb").glob("*.urne"))
    tap(qtbot, menu.buttons["print"])
    qtbot.waitUntil(lambda: not menu.busy, timeout=60000)
    assert "20 bulletins vierges" in menu.message.text(), menu.message.text()
    assert list((tmp_path / "usb").glob("*.pdf"))


def test_backup_failure_is_explained(qtbot, kiosk, tmp_path):
    w, store = kiosk()
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    w.export_dir = blocker  # a file where the stick should be
    w.run_staff_job("backup")
    w.staff_menu.busy = True
    qtbot.waitUntil(lambda: not w.staff_menu.busy, timeout=20000)
    assert w.staff_menu.message.text().startswith("Échec")


def test_voters_cannot_close_the_kiosk_only_staff_quits(qtbot, kiosk):
    w, _ = kiosk()
    event = QCloseEvent()
    w.closeEvent(event)
    assert not event.isAccepted()
    w.guard.set_pin(PIN)
    open_pin_pad(qtbot, w)
    type_pin(qtbot, w, PIN)
    tap(qtbot, w.staff_menu.buttons["quit"])
    assert w.isVisible()  # first tap only asks to confirm
    tap(qtbot, w.staff_menu.buttons["quit"])
    assert not w.isVisible()


def test_staff_session_ends_when_idle(qtbot, kiosk):
    w, _ = kiosk()
    w.guard.set_pin(PIN)
    open_pin_pad(qtbot, w)
    type_pin(qtbot, w, PIN)
    assert w.current() is w.staff_menu
    # Shortened only now: a 30 ms limit while typing the PIN would race a loaded machine.
    w.staff_idle_ms = 30
    w.show_screen(w.staff_menu)
    qtbot.waitUntil(lambda: w.current() is w.welcome, timeout=5000)


@pytest.mark.parametrize("code", ["111111", "123456", "654321", "012345", "121212", "123123", "000000"])
def test_weak_codes_are_refused_on_the_pad_and_by_the_cli(qtbot, kiosk, code):
    w, store = kiosk()
    with pytest.raises(BadPin):
        w.guard.set_pin(code)
    open_pin_pad(qtbot, w)
    type_pin(qtbot, w, code)
    assert "trop facile" in w.pin.alert.text()
    assert "Choisissez le code" in w.pin.heading.text()  # starts again: nothing stored
    assert store.get_meta("kiosk:staff_pin") is None


def test_waits_are_capped_shown_in_minutes_and_cleared_by_set_pin_while_running(qtbot, kiosk, clock):
    from kiosk.ui.pin import MAX_WAIT

    assert wait_after(12) == MAX_WAIT == wait_after(14)
    w, store = kiosk()
    w.guard.set_pin(PIN)
    open_pin_pad(qtbot, w)
    for _ in range(9):
        clock.advance(MAX_WAIT)
        w.pin.refresh()  # its one-second timer, without waiting a second
        type_pin(qtbot, w, "975310")
    assert "Attendez 4 minutes" in w.pin.alert.text(), w.pin.alert.text()  # 240 s after nine
    assert not w.pin.keys[0].isEnabled()
    PinGuard(store).set_pin("975310", actor="cli")  # `urne kiosk --set-pin` on the same machine
    w.pin.refresh()
    assert w.pin.keys[0].isEnabled() and "Attendez" not in w.pin.alert.text()
    type_pin(qtbot, w, "975310")
    assert w.current() is w.staff_menu
