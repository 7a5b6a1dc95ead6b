"""What a kiosk screen may see of the kiosk: the narrow interface every screen is built with.

Screens never import the window (`kiosk.ui.app`), the store or the configuration. A voter
screen gets a `ScreenContext` — the theme, the voter's session, the election, the languages,
where the flow stands — and reports intent through its Qt signals; the staff menu also gets a
`StaffDesk` (the actions the staff may take). A screen can therefore be built and tested with
a context made by hand (tests/kiosk/test_ports.py), and a test forbids the old reach-through.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ballots.election import Election, RegisterMode
from ballots.polls import DateWarning
from ballots.register import Identity
from ballots.store import Counts, Polls
from kiosk.drives import Drive
from kiosk.ui.flow import WELCOME, Place
from kiosk.ui.session import VoterSession
from kiosk.ui.theme import Theme


class ScreenContext:
    """The kiosk as a voter screen sees it. `theme` changes with the voter's settings."""

    def __init__(
        self,
        *,
        election: Election,
        session: VoterSession,
        theme: Theme,
        languages: tuple[str, ...],
        polls: Callable[[], Polls],
        image_path: Callable[[str], Path | None] = lambda _image: None,
        already_registered: Callable[[Identity], bool] = lambda _identity: False,
        place: Callable[[], Place] = lambda: WELCOME,
        assistance: Callable[[], tuple[bool, bool]] = lambda: (False, False),
    ) -> None:
        self.election = election
        self.session = session
        self.theme = theme
        self.languages = languages
        self._polls = polls
        self._image_path = image_path
        self._already_registered = already_registered
        self._place = place
        self._assistance = assistance

    def polls(self) -> Polls:
        return self._polls()

    def image_path(self, image: str) -> Path | None:
        return self._image_path(image)

    def already_registered(self, identity: Identity) -> bool:
        """Whether this identity has voted already (this kiosk, or entries merged by sync)."""
        return self._already_registered(identity)

    @property
    def place(self) -> Place:
        return self._place()

    def assistance(self) -> tuple[bool, bool]:
        """(audio ballot on, automatic scanning on) for the current voter."""
        return self._assistance()


class InterruptedDesk(Protocol):
    """What the staff menu's interrupted-visits item asks (kiosk/ui/interrupted.py)."""

    def interrupted_visits(self) -> int: ...

    def register_mode(self) -> RegisterMode: ...

    def undo_interrupted(self, identity: Identity | None) -> bool:
        """`ballots.casting.undo_registration` by staff; True when an entry was taken back."""
        ...


class StaffDesk(InterruptedDesk, Protocol):
    """What the staff menu may ask of the kiosk."""

    def polls(self) -> Polls: ...

    def counts(self) -> Counts: ...

    def results_allowed(self) -> bool: ...

    def results_text(self) -> str: ...

    def change_polls(self, state: Polls, *, reopen: bool = False) -> None:
        """Through `ballots.polls.change` (UrneError when refused)."""
        ...

    def date_warning(self) -> DateWarning | None: ...

    def drives(self) -> list[Drive]: ...

    def choose_printer(self) -> bool:
        """The system's print dialog; False when the staff cancels it."""
        ...

    def run_staff_job(self, name: str, drive: Drive | None) -> None: ...

    def quit_kiosk(self) -> None: ...
