"""Drives the kiosk window like a voter would, by tapping its buttons (demo, benchmark,
screenshots, the crash test). It goes through the real screens and the real store."""

from __future__ import annotations

import random
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from ballots.election import RegisterMode, RuleKind
from ballots.errors import UrneError

if TYPE_CHECKING:
    from kiosk.ui.app import MainWindow


class AutopilotStuck(UrneError):
    pass


def settle(app: QCoreApplication | None = None) -> None:
    (app or QCoreApplication.instance()).processEvents()  # type: ignore[union-attr]


def register(window: MainWindow, rng: random.Random) -> None:
    step = window.register_step
    if window.election.register is RegisterMode.ATTEST:
        for t in step.ticks:
            if not t.isChecked():
                t.click()
    else:
        values = (
            f"Votant {uuid.uuid4().hex[:8]}",
            "Camille",
            f"{rng.randint(1, 28):02d}/05/19{rng.randint(40, 99)}",
            "13210",
        )
        for f, v in zip(step.fields, values, strict=True):
            f.setText(v)
    step.next_button.click()


def choose(window: MainWindow, rng: random.Random) -> None:
    """Pick a random valid answer to the question on screen, through the screen's buttons."""
    screen = window.question_screen(window.question_index)
    q = screen.question
    low = max(q.rule.min, 1)
    high = 1 if q.rule.kind is RuleKind.SINGLE else q.rule.max
    want = rng.randint(low, max(low, high))
    order = list(q.choice_ids)
    rng.shuffle(order)
    for cid in order:
        if len(window.session.chosen(q)) >= want:
            break
        if q.rule.kind is RuleKind.RANKED:
            button = screen.findChild(type(screen.back_button), f"choose_{cid}")
            assert button is not None, cid
            button.click()
        else:
            window.choosing.cards[cid].pick.click()
    screen.next_button.click()


def vote_once(window: MainWindow, app: QCoreApplication | None = None, rng: random.Random | None = None) -> None:
    """Welcome → (register) → every question → review → "Valider mon vote" → thank-you → welcome."""
    rng = rng or random.Random()
    if window.current() is not window.welcome:
        raise AutopilotStuck("not on the welcome screen")
    window.welcome.vote.click()
    settle(app)
    if window.current() is window.register_step:
        register(window, rng)
        settle(app)
    for _ in window.election.questions:
        if window.current() is window.review:
            break
        choose(window, rng)
        settle(app)
    if window.current() is not window.review:
        raise AutopilotStuck("review screen not reached")
    window.review.submit_button.click()
    settle(app)
    if window.current() is not window.thanks:
        raise AutopilotStuck(window.review.alert.text() or "thank-you screen not reached")
    window.thanks.done.click()
    settle(app)
