"""The polls service: no opening without a staff code, reopening only when asked and audited,
nonsense changes refused without an audit entry, dates outside the election's warned about."""

from __future__ import annotations

import datetime as dt

import pytest

from ballots import audit, polls
from ballots.staff_pin import BadPin, PinGuard, weak
from ballots.store import Polls, Store

IN_DATES = dt.date(2026, 5, 10)  # the sample budget runs from 2026-05-02 to 2026-05-30


@pytest.fixture
def fresh(tmp_path, budget_election):
    s = Store(tmp_path / "data")
    s.install_election(budget_election)
    yield s
    s.close()


def actions(store: Store) -> list[str]:
    return [e.action for e in audit.entries(store.db)]


def test_the_polls_do_not_open_before_a_staff_code_exists(fresh):
    before = actions(fresh)
    with pytest.raises(polls.NoStaffPin) as refused:
        polls.change(fresh, Polls.OPEN, actor="cli", today=IN_DATES)
    assert "--set-pin" in refused.value.message()
    assert fresh.polls() is Polls.NOT_OPENED and actions(fresh) == before
    PinGuard(fresh).set_pin("572946")
    done = polls.change(fresh, Polls.OPEN, actor="cli", today=IN_DATES)
    assert (done.before, done.after, done.reopened, done.warning) == (Polls.NOT_OPENED, Polls.OPEN, False, None)
    assert fresh.polls() is Polls.OPEN


def test_closed_polls_reopen_only_when_asked_and_the_log_says_so(fresh):
    PinGuard(fresh).set_pin("572946")
    for state in (Polls.OPEN, Polls.PAUSED, Polls.OPEN, Polls.CLOSED):
        polls.change(fresh, state, actor="Mme Martin", today=IN_DATES)
    for wanted in (Polls.OPEN, Polls.PAUSED):
        with pytest.raises(polls.PollsAlreadyClosed):
            polls.change(fresh, wanted, actor="Mme Martin", today=IN_DATES)
    assert fresh.polls() is Polls.CLOSED
    done = polls.change(fresh, Polls.OPEN, actor="Mme Martin", reopen=True, today=IN_DATES)
    assert done.reopened and fresh.polls() is Polls.OPEN
    entries = list(audit.entries(fresh.db))
    reopen, opened = entries[-2], entries[-1]
    assert reopen.action == "polls.reopen" and reopen.actor == "Mme Martin"
    assert dict(reopen.detail)["from"] == "closed" and dict(reopen.detail)["to"] == "open"
    assert opened.action == "polls.open" and dict(opened.detail)["from"] == "closed"


@pytest.mark.parametrize(
    ("steps", "wanted"),
    [
        ((), Polls.PAUSED),
        ((Polls.OPEN,), Polls.OPEN),
        ((Polls.OPEN, Polls.CLOSED), Polls.CLOSED),
        ((), Polls.NOT_OPENED),
    ],
)
def test_changes_that_make_no_sense_are_refused_without_an_audit_entry(fresh, steps, wanted):
    PinGuard(fresh).set_pin("572946")
    for state in steps:
        polls.change(fresh, state, actor="cli", today=IN_DATES)
    before, state = actions(fresh), fresh.polls()
    with pytest.raises(polls.PollsUnchanged):
        polls.change(fresh, wanted, actor="cli", today=IN_DATES)
    assert actions(fresh) == before and fresh.polls() is state


@pytest.mark.parametrize(
    ("today", "warning"),
    [
        (dt.date(2026, 5, 1), polls.DateWarning.BEFORE_START),
        (dt.date(2026, 5, 2), None),
        (dt.date(2026, 5, 30), None),
        (dt.date(2026, 5, 31), polls.DateWarning.AFTER_END),
    ],
)
def test_opening_outside_the_election_dates_is_warned_and_logged(fresh, today, warning):
    PinGuard(fresh).set_pin("572946")
    assert polls.date_warning(fresh.election(), today) is warning
    done = polls.change(fresh, Polls.OPEN, actor="cli", today=today)
    assert done.warning is warning and fresh.polls() is Polls.OPEN
    logged = [e for e in audit.entries(fresh.db) if e.action == "polls.outside_dates"]
    assert [dict(e.detail)["outside_dates"] for e in logged] == ([warning.value] if warning else [])


def test_an_election_without_dates_never_warns(budget_election):
    import dataclasses

    undated = dataclasses.replace(budget_election, date_begin="", date_end="")
    assert polls.date_warning(undated, dt.date(1990, 1, 1)) is None


@pytest.mark.parametrize(
    "code", ["112233", "111222", "123321", "987789", "159753", "246810", "135790", "000000", "987654"]
)
def test_more_guessable_codes_are_weak(fresh, code):
    assert weak(code)
    with pytest.raises(BadPin):
        PinGuard(fresh).set_pin(code)


@pytest.mark.parametrize("code", ["572946", "318264", "975310", "482913", "660317"])
def test_ordinary_codes_are_not_weak(code):
    assert not weak(code)
