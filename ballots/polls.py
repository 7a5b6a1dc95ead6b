"""Opening, pausing, closing and reopening the polls: the one function every front end calls.

Contract:
- The polls open only once a staff code is set (`ballots.staff_pin`): otherwise whoever first
  found the kiosk's staff gesture would choose the code, with the polls already taking ballots.
  `NoStaffPin` says how to set one (`urne init`, `urne kiosk --set-pin`, or the kiosk's first start).
- Closed polls open again (or pause) only when asked for explicitly (`reopen=True`): the kiosk asks
  for a second tap, the CLI for `--reopen`. A reopening writes its own audit entry (`polls.reopen`,
  who and from which state) before the state changes, so the log says it was deliberate.
- Pausing polls that never opened, or closing them twice, changes nothing and says so
  (`PollsUnchanged`), rather than writing a misleading audit entry.
- Opening outside the election's dates is allowed (a town hall may extend by a day) but never
  silently: `date_warning()` gives the reason code before the front end asks for confirmation,
  and the opening's audit trail records it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from ballots import staff_pin
from ballots.election import Election
from ballots.errors import UrneError
from ballots.store import Polls, Store


class DateWarning(StrEnum):
    """Why opening today is unusual (a code; the front ends hold the words)."""

    BEFORE_START = "before_start"
    AFTER_END = "after_end"


@dataclass
class NoStaffPin(UrneError):
    """The polls cannot open before a staff code exists."""

    def message(self) -> str:
        return (
            "aucun code du personnel : choisissez-en un avant d'ouvrir le vote "
            "(urne kiosk --set-pin, ou au premier démarrage du kiosque)"
        )


@dataclass
class PollsAlreadyClosed(UrneError):
    """Closed polls change again only on an explicit reopening."""

    wanted: str

    def message(self) -> str:
        return "le vote est fermé : pour le rouvrir, confirmez la réouverture (urne polls open --reopen)"


@dataclass
class PollsUnchanged(UrneError):
    """The change asked for makes no sense from the current state."""

    current: str
    wanted: str

    def message(self) -> str:
        return f"le vote est déjà « {self.current} » : impossible de passer à « {self.wanted} »"


@dataclass(frozen=True)
class PollsChange:
    before: Polls
    after: Polls
    reopened: bool
    warning: DateWarning | None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def date_warning(election: Election, today: dt.date | None = None) -> DateWarning | None:
    """Whether opening on `today` (local date) falls outside the election's dates."""
    day = today or dt.date.today()
    begin, end = _date(election.date_begin), _date(election.date_end)
    if begin is not None and day < begin:
        return DateWarning.BEFORE_START
    if end is not None and day > end:
        return DateWarning.AFTER_END
    return None


def needs_reopen(current: Polls, wanted: Polls) -> bool:
    """A change that takes closed polls back to taking (or pausing) ballots."""
    return current is Polls.CLOSED and wanted in (Polls.OPEN, Polls.PAUSED)


def change(
    store: Store,
    wanted: Polls,
    *,
    actor: str,
    reopen: bool = False,
    today: dt.date | None = None,
    election_id: str | None = None,
) -> PollsChange:
    """Move the polls to `wanted` under the rules above (NoStaffPin, PollsAlreadyClosed, PollsUnchanged)."""
    election = store.election(election_id)
    current = store.polls(election.id)
    if wanted is current or wanted is Polls.NOT_OPENED:
        raise PollsUnchanged(current.value, wanted.value)
    if wanted is Polls.PAUSED and current is Polls.NOT_OPENED:
        raise PollsUnchanged(current.value, wanted.value)
    if wanted is Polls.OPEN and not staff_pin.is_set(store):
        raise NoStaffPin()
    reopening = needs_reopen(current, wanted)
    if reopening and not reopen:
        raise PollsAlreadyClosed(wanted.value)
    warning = date_warning(election, today) if wanted is Polls.OPEN else None
    if reopening or warning is not None:
        detail: dict[str, str] = {"election": election.id, "from": current.value, "to": wanted.value}
        if warning is not None:
            detail["outside_dates"] = warning.value
        store.log(actor, "polls.reopen" if reopening else "polls.outside_dates", detail)
    store.set_polls(wanted, actor=actor, election_id=election.id)
    return PollsChange(current, wanted, reopening, warning)
