"""The staff menu's interrupted-visits item (issue 17): shown only while a visit was cut between
the register entry and the ballot; staff take the entry back (audited) and the person votes."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QApplication

from ballots import audit, election_file
from ballots.casting import interrupted_visits
from ballots.election import RegisterMode
from ballots.register import Identity
from tests.conftest import SAMPLE_BUDGET
from tests.kiosk.kiosk_support import clock_fixture, kiosk_fixture, tap  # noqa: F401 (fixtures)
from tests.kiosk.test_kiosk_staff import PIN, staff_menu

ALICE = Identity("Martin", "Alice", "01/02/1970", "13210")


def _election(mode: RegisterMode):
    return dataclasses.replace(election_file.load(SAMPLE_BUDGET), register=mode)


def test_hidden_without_an_interrupted_visit(qtbot, kiosk):
    w, _ = kiosk(staff_pin=PIN)
    menu = staff_menu(qtbot, w)
    QApplication.processEvents()
    assert not menu.interrupted.isVisible()


def test_identity_mode_staff_type_the_person_and_take_the_entry_back(qtbot, kiosk):
    w, store = kiosk(election=_election(RegisterMode.IDENTITY), staff_pin=PIN)
    store.register_voter(identity=ALICE, origin=store.device)  # the power went before her ballot
    menu = staff_menu(qtbot, w)
    panel = menu.interrupted
    menu.refresh()
    QApplication.processEvents()
    assert panel.isVisible() and "1 personne" in panel.explain.text()
    assert not panel.undo.isEnabled()  # nothing typed yet
    for field, text in zip(panel.fields, ("Dupont", "Jean", "01/01/1960", "13210"), strict=True):
        field.setText(text)
    tap(qtbot, panel.undo)
    assert "n'a pas d'inscription interrompue" in panel.message.text()
    assert interrupted_visits(store, store.election()) == 1
    for field, text in zip(panel.fields, ("MARTIN", "alice", "1970-02-01", "13 210"), strict=True):
        field.setText(text)
    tap(qtbot, panel.undo)
    assert panel.message.text().startswith("Inscription annulée")
    assert interrupted_visits(store, store.election()) == 0 and store.counts().register == 0
    last = list(audit.entries(store.db))[-1]
    assert (last.actor, last.action) == ("staff", "register.undo") and "Martin" not in str(last.detail)
    assert "Inscrits : 0" in menu.counts.text()


def test_attest_mode_takes_one_attestation_back_after_a_second_tap(qtbot, kiosk):
    w, store = kiosk(election=_election(RegisterMode.ATTEST), staff_pin=PIN)
    store.register_voter(origin=store.device)
    menu = staff_menu(qtbot, w)
    panel = menu.interrupted
    menu.refresh()
    QApplication.processEvents()
    assert panel.isVisible() and not panel.identity_box.isVisible()
    tap(qtbot, panel.undo)
    assert store.counts().register == 1 and "Touchez encore" in panel.undo.text()
    tap(qtbot, panel.undo)
    assert store.counts().register == 0 and panel.message.text().startswith("Inscription annulée")
