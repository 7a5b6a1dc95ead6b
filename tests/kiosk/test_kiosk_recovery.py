"""Staff recovery on the tablet itself: a one-time 12-digit recovery code from the staff envelope
unlocks a locked PIN pad (no keyboard, no console, no power cut); a passer-by has neither the code
nor, after a few wrong ones, the way."""

from __future__ import annotations

import re

import pytest

from ballots import audit
from ballots.staff_pin import LOCK_AFTER, MAX_WAIT, RECOVERY_FREE_TRIES, BadPin, PinGuard, RecoveryRefused
from kiosk.cli import main
from tests.kiosk.kiosk_support import FakeClock, clock_fixture, kiosk_fixture, tap  # noqa: F401 (fixtures)
from tests.kiosk.test_kiosk_staff import open_pin_pad, type_pin

PIN = "572946"


def lock(guard: PinGuard, clock: FakeClock) -> None:
    for _ in range(LOCK_AFTER):
        clock.advance(MAX_WAIT)
        guard.attempt("975310")
    assert guard.locked


def actions(store) -> list[str]:
    return [e.action for e in audit.entries(store.db)]


def test_the_recovery_code_unlocks_once_and_is_replaced(store):
    clock = FakeClock()
    guard = PinGuard(store, clock)
    code = guard.set_pin(PIN)
    assert re.fullmatch(r"\d{12}", code)
    assert code not in str(store.get_meta("kiosk:staff_recovery"))  # kept hashed only
    lock(guard, clock)
    assert guard.check_recovery(code) and guard.locked  # checking does not use it up
    with pytest.raises(BadPin):
        guard.recover(code, "111111")  # a weak new code: refused, nothing used up
    new_code = guard.recover(code, "660317")
    assert not guard.locked and guard.seconds_to_wait() == 0
    assert guard.attempt("660317").ok and not guard.attempt(PIN).ok
    assert new_code != code and re.fullmatch(r"\d{12}", new_code)
    with pytest.raises(RecoveryRefused):
        guard.recover(code, "660317")  # one-time: the used code no longer works
    assert guard.check_recovery(new_code)
    assert "kiosk.recovered" in actions(store)
    assert all(code not in str(e.detail) and new_code not in str(e.detail) for e in audit.entries(store.db))


def test_wrong_recovery_codes_wait_like_wrong_pins_but_never_close_recovery(store):
    """A passer-by who taps wrong recovery codes only makes the next try wait (capped at 15 min,
    as for the PIN): the staff's way out is never closed, and a restart does not skip the wait."""
    clock = FakeClock()
    guard = PinGuard(store, clock)
    code = guard.set_pin(PIN)
    wrong = str((int(code) + 1) % 10**12).zfill(12)
    for _ in range(RECOVERY_FREE_TRIES - 1):
        assert not guard.check_recovery(wrong) and guard.recovery_wait() == 0
    assert not guard.check_recovery(wrong) and guard.recovery_wait() == 15
    assert not guard.check_recovery(code)  # while waiting, not even looked at
    assert guard.recovery_failures == RECOVERY_FREE_TRIES  # and not counted
    assert PinGuard(store, clock).recovery_wait() == 15  # a restart starts the wait again
    for _ in range(20):
        clock.advance(guard.recovery_wait())
        assert not guard.check_recovery(wrong)
    assert guard.recovery_wait() == MAX_WAIT
    clock.advance(MAX_WAIT)
    assert guard.check_recovery(code)  # still open to the staff
    assert actions(store).count("kiosk.recovery_refused") == RECOVERY_FREE_TRIES + 20
    guard.recover(code, "660317")
    assert guard.recovery_failures == 0 and guard.recovery_wait() == 0


def test_a_locked_tablet_is_unlocked_on_its_own_pad(qtbot, kiosk, clock):
    w, store = kiosk()
    code = w.guard.set_pin(PIN)
    open_pin_pad(qtbot, w)
    assert not w.pin.recovery_button.isVisible()  # nothing to recover from: not offered
    for _ in range(LOCK_AFTER):
        clock.advance(MAX_WAIT)
        w.pin.refresh()
        type_pin(qtbot, w, "975310")
    assert w.guard.locked and not w.pin.keys[0].isEnabled()
    # locked for good: the keys make way for the message and the way out
    assert not w.pin.keys[0].isVisible() and "Code de secours" in w.pin.alert.text()
    assert w.pin.recovery_button.isVisible()
    tap(qtbot, w.pin.recovery_button)
    assert "12 chiffres" in w.pin.heading.text() and w.pin.keys[0].isEnabled() and w.pin.keys[0].isVisible()
    type_pin(qtbot, w, "000000000000")
    assert w.pin.alert.text() == "Code de secours faux. Essayez encore."
    type_pin(qtbot, w, code)
    assert "Choisissez le code" in w.pin.heading.text()
    type_pin(qtbot, w, "660317")
    type_pin(qtbot, w, "660317")
    shown = w.pin.dots.text()  # the code on the pad's large line, groups of four
    assert w.pin.heading.text() == "Code de secours" and w.pin.noted_button.isVisible()
    assert not w.pin.cancel_button.isVisible() and not w.pin.keys[0].isVisible()
    new_code = re.sub(r"\D", "", shown)
    assert len(new_code) == 12 and new_code != code
    tap(qtbot, w.pin.noted_button)
    assert w.current() is w.staff_menu
    assert not w.guard.locked and w.guard.attempt("660317").ok
    assert w.guard.check_recovery(new_code)
    assert {"kiosk.recovery_refused", "kiosk.recovered"} <= set(actions(store))


def test_cancel_keeps_the_code_and_wrong_codes_wait_on_the_pad(qtbot, kiosk, clock):
    w, store = kiosk()
    code = w.guard.set_pin(PIN)
    lock(w.guard, clock)
    open_pin_pad(qtbot, w)
    tap(qtbot, w.pin.recovery_button)
    type_pin(qtbot, w, code)
    tap(qtbot, w.pin.cancel_button)  # walked away before choosing the new code: nothing used up
    assert w.guard.locked and w.guard.check_recovery(code)
    open_pin_pad(qtbot, w)
    tap(qtbot, w.pin.recovery_button)
    for _ in range(RECOVERY_FREE_TRIES):
        type_pin(qtbot, w, "000000000000")
    assert "Code de secours faux. Attendez 15 s" in w.pin.alert.text()
    assert not w.pin.keys[0].isEnabled() and w.pin.cancel_button.isEnabled()
    clock.advance(15)
    w.pin.refresh()
    assert w.pin.keys[0].isEnabled()
    type_pin(qtbot, w, code)
    assert "Choisissez le code" in w.pin.heading.text()


def test_set_pin_prints_the_recovery_code(tmp_path, monkeypatch, capsys):
    from ballots import election_file
    from ballots.store import Store
    from tests.conftest import SAMPLE_BUDGET

    with Store(tmp_path / "d") as s:
        s.install_election(election_file.load(SAMPLE_BUDGET))
    answers = iter(["482913", "482913"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["kiosk", "--set-pin", "--data", str(tmp_path / "d")]) == 0
    said = capsys.readouterr().out
    found = re.search(r"code de secours : (\d{4} \d{4} \d{4})", said)
    assert found and "enveloppe du personnel" in said
    with Store(tmp_path / "d") as s:
        assert PinGuard(s).check_recovery(found.group(1).replace(" ", ""))
