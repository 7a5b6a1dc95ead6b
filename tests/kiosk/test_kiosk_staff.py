"""Staff: PIN hash and lockout (injected clock, no sleeping), the PIN pad, the staff menu."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QCloseEvent

from ballots.backup import check_file
from ballots.staff_pin import BadPin, PinGuard, hash_pin, verify_pin, wait_after
from ballots.store import Polls
from tests.kiosk.kiosk_support import FakeClock, clock_fixture, kiosk_fixture, tap  # noqa: F401 (fixtures)

PIN = "572946"
IN_DATES = dt.date(2026, 5, 10)  # the sample budget runs from 2 to 30 May 2026


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
    type_pin(qtbot, w, "318264")
    assert "différents" in w.pin.alert.text()
    type_pin(qtbot, w, PIN)
    type_pin(qtbot, w, PIN)
    # the recovery code, shown once for the staff envelope, then the menu
    assert w.current() is w.pin and w.pin.heading.text() == "Code de secours" and w.pin.noted_button.isVisible()
    tap(qtbot, w.pin.noted_button)
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
    w, store = kiosk(polls=Polls.NOT_OPENED, staff_pin=PIN)
    w.today = lambda: IN_DATES
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


def fake_drives(root, *labels, removable=True):
    """A fake machine root: /proc/self/mounts with `labels` mounted under /media/urne (or under
    /mnt when not automounted), and /sys/block saying whether each disk is removable (RM)."""
    lines = ["/dev/nvme0n1p2 / ext4 rw,relatime 0 0", "proc /proc proc rw 0 0", "tmpfs /run tmpfs rw 0 0"]
    for i, label in enumerate(labels):
        disk = f"sd{chr(ord('b') + i)}"
        mount = f"/media/urne/{label}" if removable else f"/mnt/{label}"
        (root / mount.lstrip("/")).mkdir(parents=True, exist_ok=True)
        (root / "sys/block" / disk).mkdir(parents=True, exist_ok=True)
        (root / "sys/block" / disk / "removable").write_text("1\n" if removable else "0\n")
        lines.append(f"/dev/{disk}1 {mount.replace(' ', chr(92) + '040')} vfat rw,nosuid,nodev 0 0")
    (root / "proc/self").mkdir(parents=True, exist_ok=True)
    (root / "proc/self/mounts").write_text("\n".join(lines) + "\n")
    return root


def test_removable_drives_are_the_mounted_removable_ones(tmp_path):
    from kiosk.drives import removable_drives

    root = fake_drives(tmp_path / "m1", "URNE", "CLE 2")
    found = removable_drives(root)
    assert [(d.label, d.device) for d in found] == [("URNE", "/dev/sdb1"), ("CLE 2", "/dev/sdc1")]
    assert found[1].path == root / "media/urne/CLE 2"
    assert removable_drives(fake_drives(tmp_path / "m2")) == []  # nothing plugged in
    assert removable_drives(fake_drives(tmp_path / "m3", "DISK", removable=False)) == []  # a fixed disk in /mnt
    usb = fake_drives(tmp_path / "m4", "SSD", removable=False)  # says "fixed", but sits on the USB bus
    (usb / "bus/usb1/sdb").mkdir(parents=True)
    (usb / "sys/block/sdb/removable").unlink()
    (usb / "sys/block/sdb").rmdir()
    (usb / "sys/block/sdb").symlink_to(usb / "bus/usb1/sdb")
    assert [d.label for d in removable_drives(usb)] == ["SSD"]
    empty = tmp_path / "m5"
    (empty / "media/urne/OLD").mkdir(parents=True)  # a folder left by a stick pulled out: not a drive
    assert removable_drives(fake_drives(empty)) == []


def staff_menu(qtbot, w):
    w.guard.set_pin(PIN)
    open_pin_pad(qtbot, w)
    type_pin(qtbot, w, PIN)
    return w.staff_menu


def test_backup_without_a_stick_says_so_and_writes_nothing(qtbot, kiosk, tmp_path):
    w, store = kiosk()
    w.drives_root = fake_drives(tmp_path / "root")
    menu = staff_menu(qtbot, w)
    for name in ("backup", "bundle"):
        tap(qtbot, menu.buttons[name])
        assert not menu.busy and menu.message.text().startswith("Aucune clé USB trouvée"), menu.message.text()
    assert not list((store.data_dir).rglob("urne-*"))  # nothing "saved" into the data folder
    tap(qtbot, menu.buttons["print"])
    assert [b.text() for b in menu.choice_buttons] == ["Sur l'imprimante…"]  # no drive to offer


def test_backup_and_exports_go_to_the_stick_off_the_ui_thread(qtbot, kiosk, tmp_path):
    w, store = kiosk()
    from kiosk.ui.autopilot import vote_once

    vote_once(w)
    w.drives_root = fake_drives(tmp_path / "root", "URNE")
    usb = w.drives_root / "media/urne/URNE"
    menu = staff_menu(qtbot, w)
    tap(qtbot, menu.buttons["backup"])
    assert menu.busy and menu.progress.isVisible()
    qtbot.waitUntil(lambda: not menu.busy, timeout=20000)
    assert "Sauvegarde vérifiée : 1 bulletins" in menu.message.text()
    (copy,) = usb.glob("*.sqlite")
    assert check_file(copy) == 1
    tap(qtbot, menu.buttons["bundle"])
    qtbot.waitUntil(lambda: not menu.busy, timeout=20000)
    assert "synchronisation" in menu.message.text(), menu.message.text()
    assert list(usb.glob("*.urne"))
    tap(qtbot, menu.buttons["print"])
    texts = [b.text() for b in menu.choice_buttons]
    assert texts == ["Sur l'imprimante…", "En PDF sur la clé « URNE »"]
    tap(qtbot, menu.choice_buttons[1])
    qtbot.waitUntil(lambda: not menu.busy, timeout=60000)
    assert "20 bulletins vierges en PDF" in menu.message.text(), menu.message.text()
    assert list(usb.glob("*.pdf")) and not menu.choice_buttons


def test_with_two_sticks_the_staff_chooses(qtbot, kiosk, tmp_path):
    w, store = kiosk()
    w.drives_root = fake_drives(tmp_path / "root", "A", "B")
    menu = staff_menu(qtbot, w)
    tap(qtbot, menu.buttons["backup"])
    assert not menu.busy and [b.text() for b in menu.choice_buttons] == ["Sur la clé « A »", "Sur la clé « B »"]
    tap(qtbot, menu.choice_buttons[1])
    qtbot.waitUntil(lambda: not menu.busy, timeout=20000)
    assert list((w.drives_root / "media/urne/B").glob("*.sqlite"))
    assert not list((w.drives_root / "media/urne/A").iterdir())


def test_printing_goes_through_the_print_dialog(qtbot, kiosk, tmp_path):
    """The system's dialog is outside Urne: a fake one chooses a printer that prints to a PDF
    file (Qt's own PDF printer), so the pages really go through QPrinter."""
    import pypdfium2 as pdfium
    from PySide6.QtPrintSupport import QPrinter

    w, store = kiosk()
    w.drives_root = fake_drives(tmp_path / "root")
    out = tmp_path / "printed.pdf"
    asked = []

    def dialog(printer):
        asked.append(printer)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(100)  # quick: the geometry, not the ink, is what is checked
        return len(asked) > 1  # the first time, the staff cancels

    w.print_dialog = dialog
    menu = staff_menu(qtbot, w)
    tap(qtbot, menu.buttons["print"])
    tap(qtbot, menu.choice_buttons[0])
    assert not menu.busy and not out.exists()  # cancelled: nothing printed
    tap(qtbot, menu.buttons["print"])
    tap(qtbot, menu.choice_buttons[0])
    qtbot.waitUntil(lambda: not menu.busy, timeout=60000)
    assert "20 bulletins vierges envoyés à l'imprimante" in menu.message.text(), menu.message.text()
    printed = pdfium.PdfDocument(str(out))
    assert len(printed) == 20
    width, height = printed[0].get_size()  # full page, scale 1: A4 stays A4 (595 × 842 pt)
    assert abs(width - 595) < 2 and abs(height - 842) < 2, (width, height)
    printed.close()


def test_reopening_closed_polls_takes_a_second_tap_and_is_audited(qtbot, kiosk):
    from ballots import audit

    w, store = kiosk(polls=Polls.CLOSED, staff_pin=PIN)
    w.today = lambda: IN_DATES
    assert w.current() is w.welcome
    open_pin_pad(qtbot, w)
    type_pin(qtbot, w, PIN)
    menu = w.staff_menu
    assert menu.buttons["open"].text() == "Rouvrir le vote" and menu.buttons["open"].isEnabled()
    tap(qtbot, menu.buttons["open"])
    assert store.polls() is Polls.CLOSED and menu.buttons["open"].text() == "Touchez encore pour rouvrir"
    assert "journal" in menu.message.text()
    tap(qtbot, menu.buttons["open"])
    assert store.polls() is Polls.OPEN and w.awake.active
    entry = [e for e in audit.entries(store.db) if e.action == "polls.reopen"][-1]
    assert entry.actor == "staff" and dict(entry.detail)["from"] == "closed"


def test_opening_outside_the_dates_warns_first(qtbot, kiosk):
    import datetime as dt

    w, store = kiosk(polls=Polls.NOT_OPENED, staff_pin=PIN)
    w.today = lambda: dt.date(2026, 6, 2)  # the sample budget ended on 30 May
    open_pin_pad(qtbot, w)
    type_pin(qtbot, w, PIN)
    menu = w.staff_menu
    tap(qtbot, menu.buttons["open"])
    assert store.polls() is Polls.NOT_OPENED
    assert menu.message.text() == "Attention : le vote s'est terminé le 30/05/2026."
    assert menu.buttons["open"].text() == "Touchez encore pour ouvrir"
    tap(qtbot, menu.buttons["open"])
    assert store.polls() is Polls.OPEN and not menu.message.text()


def test_first_start_asks_for_the_staff_code_before_anything(qtbot, kiosk):
    w, store = kiosk(polls=Polls.NOT_OPENED)
    assert w.current() is w.pin and "Choisissez le code" in w.pin.heading.text()
    type_pin(qtbot, w, PIN)
    type_pin(qtbot, w, PIN)
    tap(qtbot, w.pin.noted_button)  # after the recovery code, shown once
    assert w.current() is w.staff_menu and w.guard.is_set


def test_backup_failure_is_explained(qtbot, kiosk, tmp_path):
    from kiosk.drives import Drive

    w, store = kiosk()
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    w.run_staff_job("bundle", Drive(blocker, "/dev/sdb1", "X"))  # a file where the stick should be
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
    from ballots.staff_pin import MAX_WAIT

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


def test_a_locked_pad_is_unlocked_by_set_pin_from_another_process_without_a_restart(qtbot, kiosk, clock):
    from ballots.staff_pin import LOCK_AFTER, MAX_WAIT
    from ballots.store import Store

    w, store = kiosk(staff_pin=PIN)
    open_pin_pad(qtbot, w)
    for _ in range(LOCK_AFTER):
        clock.advance(MAX_WAIT)
        w.pin.refresh()
        type_pin(qtbot, w, "975310")
    assert w.guard.locked and not w.pin.keys[0].isEnabled()
    assert "urne kiosk --set-pin" in w.pin.alert.text() and "Annuler" in w.pin.alert.text()
    assert w.pin.cancel_button.isEnabled()  # voters go on voting meanwhile
    with Store(store.data_dir) as other:  # what `urne kiosk --set-pin` opens, in its own process
        PinGuard(other).set_pin("660317", actor="cli")
    qtbot.waitUntil(lambda: w.pin.keys[0].isEnabled(), timeout=5000)  # the pad's own 1 s look
    assert "bloqué" not in w.pin.alert.text()
    type_pin(qtbot, w, "660317")
    assert w.current() is w.staff_menu
