"""Kiosk test support (imported by the test_kiosk_* modules): a real store in tmp_path, a real
window (offscreen), a fake clock and screen-saver."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ballots import election_file
from ballots.store import Polls, Store
from kiosk.config import Config, KioskConfig
from tests.conftest import SAMPLE_BUDGET

BUDGET_ELECTION = """
id = "petit-budget"
title.fr = "Petit budget"
title.en = "Small budget"
register = "none"

[[questions]]
id = "budget"
title.fr = "Répartissez 100 €"
title.en = "Share €100"
rule = "budget"
max = 3
budget = 100
min_budget_share = 0.5

[[questions.choices]]
id = "a"
title.fr = "Projet A"
cost = 60
[[questions.choices]]
id = "b"
title.fr = "Projet B"
cost = 50
[[questions.choices]]
id = "c"
title.fr = "Projet C"
cost = 30
[[questions.choices]]
id = "d"
title.fr = "Projet D"
cost = 10
"""


def tap(qtbot, button, after: float = 1.0):
    """A real mouse press and release on the button (what a finger does), `after` seconds after
    the previous tap on the kiosk's tap clock (the voter reads the screen before tapping: the
    kiosk ignores taps in the first moment after a screen change, see kiosk.ui.tapguard)."""
    QApplication.processEvents()  # widgets added to a shown layout appear on the next event loop turn
    assert button.isVisible() and button.isEnabled(), button.objectName()
    guard = getattr(button.window(), "tap_guard", None)
    if guard is not None and isinstance(guard.clock, FakeClock):
        guard.clock.advance(after)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def read_screen(window, seconds: float = 1.0) -> None:
    """Let `seconds` pass on the kiosk's tap clock before input that does not go through `tap`."""
    window.tap_guard.clock.advance(seconds)


class FakePlayer:
    """The headphones: records what would be played (tests have no sound card)."""

    def __init__(self) -> None:
        self.played: list[tuple[object, float]] = []
        self.stops = 0

    def play(self, speech, volume: float) -> None:
        self.played.append((speech, volume))

    def stop(self) -> None:
        self.stops += 1


class FakeVoice:
    """A voice that renders nothing (what is said is checked as text through `spoken`)."""

    def speech(self, text: str, lang: str, rate: int):
        from kiosk.speech.voice import Speech

        return Speech(text=text, frames=b"\0\0" * 10, sample_rate=22050)


class FakeAwake:
    def __init__(self) -> None:
        self.active = False
        self.calls: list[bool] = []

    def set(self, on: bool) -> None:
        self.active = on
        self.calls.append(on)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(name="clock")
def clock_fixture():
    return FakeClock()


@pytest.fixture(name="kiosk")
def kiosk_fixture(qtbot, tmp_path, clock):
    """kiosk(election=path|Election|None, polls=Polls.OPEN, staff_pin=None, **kiosk_config) -> (window, store).

    With no staff code and the polls not open, a kiosk starts on the screen where the first
    staff member chooses the code: tests of a closed kiosk's voter screens give one."""
    stores: list[Store] = []
    windows = []

    def make(
        election=None,
        polls=Polls.OPEN,
        data=None,
        tap_clock=None,
        voice=None,
        player=None,
        staff_pin=None,
        **kiosk_config,
    ):
        store = Store(data or tmp_path / "data")
        stores.append(store)
        if not store.has_election():
            if election is None:
                election = election_file.load(SAMPLE_BUDGET)
            elif not hasattr(election, "questions"):
                election = election_file.load(election)
            store.install_election(election)
            if polls is not Polls.NOT_OPENED:
                store.set_polls(polls, actor="test")
        if staff_pin:
            from ballots.staff_pin import PinGuard

            PinGuard(store).set_pin(staff_pin)
        config = Config(data_dir=store.data_dir, election_file=SAMPLE_BUDGET)
        config = dataclasses.replace(config, kiosk=KioskConfig(**{"fullscreen": False, **kiosk_config}))
        from kiosk.ui.app import build

        window = build(
            config,
            store,
            clock=clock,
            tap_clock=tap_clock or FakeClock(),
            awake=FakeAwake(),
            voice=voice,
            player=player or FakePlayer(),
        )
        window.thanks.tick_ms = 10_000_000  # tests leave the thank-you screen themselves
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        windows.append(window)
        return window, store

    yield make
    for w in windows:
        w.quit_kiosk()
    for s in stores:
        s.close()


@pytest.fixture(name="small_budget")
def small_budget_fixture():
    return election_file.parse(BUDGET_ELECTION)
