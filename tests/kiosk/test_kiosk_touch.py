"""Touch: a one-finger swipe scrolls every list (QScroller kinetic scrolling), with touch events
synthesized through a real touch-screen device (QTest.touchEvent), not mouse events; and the
large ▲ ▼ buttons scroll the same lists for people who cannot swipe."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScroller

from ballots.register import Identity
from tests.conftest import SAMPLE_SURVEY
from tests.kiosk.kiosk_support import clock_fixture, kiosk_fixture, tap  # noqa: F401 (fixtures)

_DEVICE = []  # one touch screen for the whole run: Qt keeps a pointer to it


def touch_screen():
    if not _DEVICE:
        _DEVICE.append(QTest.createTouchDevice())
    return _DEVICE[0]


def swipe(qtbot, widget, start: QPoint, dy: int, steps: int = 12) -> None:
    """One finger down at `start`, moved by `dy` pixels in `steps` 16 ms steps, lifted."""
    device = touch_screen()
    QTest.touchEvent(widget, device, False).press(0, start, widget).commit()
    for i in range(1, steps + 1):
        qtbot.wait(16)
        QTest.touchEvent(widget, device, False).move(0, start + QPoint(0, dy * i // steps), widget).commit()
    QTest.touchEvent(widget, device, False).release(0, start + QPoint(0, dy), widget).commit()


def settle(qtbot, panel) -> None:
    scroller = QScroller.scroller(panel.area.viewport())
    qtbot.waitUntil(lambda: scroller.state() is QScroller.State.Inactive, timeout=10000)


def check_panel(qtbot, panel) -> None:
    bar = panel.area.verticalScrollBar()
    viewport = panel.area.viewport()
    assert bar.maximum() > 0, f"{panel.objectName()}: nothing to scroll"
    bar.setValue(0)
    middle = QPoint(viewport.width() // 2, viewport.height() * 3 // 4)
    swipe(qtbot, viewport, middle, -viewport.height() // 2)  # finger up: the list goes down
    settle(qtbot, panel)
    down = bar.value()
    assert down > 0, f"{panel.objectName()}: a swipe up did not scroll"
    swipe(qtbot, viewport, QPoint(viewport.width() // 2, viewport.height() // 4), viewport.height() // 2)
    settle(qtbot, panel)
    assert bar.value() < down, f"{panel.objectName()}: a swipe down did not scroll back"
    # The buttons, for people who cannot swipe: ▼ then ▲, each most of a page.
    bar.setValue(0)
    QApplication.processEvents()
    assert panel.down.isVisible() and not panel.up.isEnabled()
    tap(qtbot, panel.down)
    assert bar.value() >= min(bar.maximum(), bar.pageStep() // 2)
    assert panel.up.isEnabled()
    tap(qtbot, panel.up)
    assert bar.value() == 0


def to_the_questions(w) -> None:
    """Welcome → register (the voter admitted, as the register step does) → first question."""
    w.welcome.vote.click()
    QApplication.processEvents()
    if w.current() is w.register_step:
        w.session.attested = True
        w.session.identity = Identity("Martin", "Léa", "01/01/1970", "75001")
        w.go(w.flow.registered())
        QApplication.processEvents()


def test_a_swipe_scrolls_every_list_and_so_do_the_buttons(qtbot, kiosk):
    """Every screen of a visit whose panel has more than it shows, at the largest text size."""
    w, _ = kiosk()
    w.set_text_size(3)
    QApplication.processEvents()
    checked = []

    def check(name, screen):
        if screen.panel.area.verticalScrollBar().maximum() > 0:
            check_panel(qtbot, screen.panel)
            checked.append(name)

    check("welcome", w.welcome)
    w.welcome.vote.click()
    QApplication.processEvents()
    check("register", w.register_step)  # the budget sample keeps a register
    w.go_welcome()
    QApplication.processEvents()
    to_the_questions(w)
    assert w.current() is w.choosing
    check("projects", w.choosing)  # the twenty projects
    for card in list(w.choosing.cards.values())[:6]:
        card.pick.click()  # a longer review
    w.go(w.flow.next())
    QApplication.processEvents()
    while w.current() is not w.review:
        w.go(w.flow.next())
        QApplication.processEvents()
    check("review", w.review)
    assert {"welcome", "projects"} <= set(checked), checked  # and register, review when they overflow


def test_a_swipe_scrolls_the_ranking_list(qtbot, kiosk):
    w, _ = kiosk(election=SAMPLE_SURVEY)
    w.set_text_size(3)
    QApplication.processEvents()
    to_the_questions(w)
    while w.current() is not w.ranking:
        assert w.current() is not w.review, "the survey sample has a ranking question"
        w.go(w.flow.next())
        QApplication.processEvents()
    check_panel(qtbot, w.ranking.panel)


def test_a_swipe_that_starts_on_a_project_scrolls_and_does_not_pick_it(qtbot, kiosk):
    w, _ = kiosk()
    to_the_questions(w)
    panel = w.choosing.panel
    viewport = panel.area.viewport()
    card = next(iter(w.choosing.cards.values()))
    start = card.pick.mapTo(viewport, card.pick.rect().center())
    swipe(qtbot, viewport, start, -viewport.height() // 2)
    settle(qtbot, panel)
    assert panel.area.verticalScrollBar().value() > 0
    assert not any(w.session.chosen(q) for q in w.election.questions)
