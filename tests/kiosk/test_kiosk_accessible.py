"""Screen readers (Orca, NVDA) and keys: on every screen, every action a voter can reach has an
accessible name and role, and the keyboard's focus order visits every action."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.keys import actions
from tests.conftest import SAMPLE_SURVEY, SAMPLE_VOTATION
from tests.kiosk.kiosk_support import clock_fixture, kiosk_fixture, read_screen, tap  # noqa: F401 (fixtures)

ROLES = {
    QAccessible.Role.PushButton,
    QAccessible.Role.CheckBox,
    QAccessible.Role.RadioButton,
    QAccessible.Role.EditableText,
    QAccessible.Role.ButtonMenu,
}


def focusable(screen):
    """What Qt's own focus chain would stop on: shown, enabled, takes keyboard focus."""
    return [
        w
        for w in screen.findChildren(QWidget)
        if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]


def check_screen(qtbot, w, where):
    QApplication.processEvents()
    screen = w.current()
    reachable = focusable(screen)
    assert reachable, where
    for widget in reachable:
        iface = QAccessible.queryAccessibleInterface(widget)
        assert iface is not None, (where, widget.objectName())
        where_ = (where, type(widget).__name__, widget.objectName())
        name = iface.text(QAccessible.Text.Name).strip()
        assert name and name not in {"▲", "▼", "⌫", "A"}, (where_, name)
        assert iface.role() in ROLES, (where, widget.objectName(), iface.role())
    # the focus order, walked with the down key, visits every action once, then wraps
    assert set(actions(screen)) == set(reachable), (
        where,
        [a.objectName() for a in actions(screen)],
        [a.objectName() for a in reachable],
    )
    seen = []
    for _ in range(len(reachable)):
        read_screen(w)
        qtbot.keyClick(w.focusWidget() or w, Qt.Key.Key_Down)
        seen.append(w.focusWidget())
    assert set(seen) == set(reachable) and len(seen) == len(set(seen)), (where, [x.objectName() for x in seen])
    return {x.objectName() for x in reachable}


def test_every_voter_screen_of_the_sample_budget(qtbot, kiosk):
    w, _ = kiosk()
    check_screen(qtbot, w, "welcome")
    tap(qtbot, w.welcome.vote)
    check_screen(qtbot, w, "register attest")
    for t in w.register_step.ticks:
        tap(qtbot, t)
    tap(qtbot, w.register_step.next_button)
    tap(qtbot, w.choosing.cards["p01"].pick)
    tap(qtbot, w.choosing.cards["p02"].more)
    names = check_screen(qtbot, w, "choosing")
    assert {"choose_p01", "more_p02", "next", "back", "filter_all"} <= names
    tap(qtbot, w.choosing.next_button)
    check_screen(qtbot, w, "review")
    tap(qtbot, w.review.submit_button)
    check_screen(qtbot, w, "thanks")


def test_every_voter_screen_of_the_survey_and_votation(qtbot, kiosk, tmp_path):
    w, _ = kiosk(SAMPLE_SURVEY)
    tap(qtbot, w.welcome.vote)
    check_screen(qtbot, w, "single")
    tap(qtbot, w.choosing.cards["souvent"].pick)
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.choosing.next_button)
    assert w.current() is w.ranking
    tap(qtbot, w.ranking.findChild(QWidget, "choose_zone30"))
    tap(qtbot, w.ranking.findChild(QWidget, "choose_pistes"))
    names = check_screen(qtbot, w, "ranking")
    assert {"down_zone30", "up_pistes", "remove_pistes", "choose_ecole"} <= names
    w.idle.expired.emit()
    check_screen(qtbot, w, "idle")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_identity_register_fields_are_named(qtbot, kiosk, lang, tmp_path):
    w, _ = kiosk(SAMPLE_VOTATION, data=tmp_path / lang)
    if lang == "en":
        tap(qtbot, w.welcome.language_buttons["en"])
    tap(qtbot, w.welcome.vote)
    names = check_screen(qtbot, w, f"register identity {lang}")
    assert {"field_last_name", "field_postcode"} <= names
