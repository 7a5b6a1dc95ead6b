"""The one row codec of the store's `ballots` table.

Every read and write of a ballot row goes through these functions and the `Store` methods that
use them; sync/merge.py and the paper reader call those methods, never SQL on this table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ballots.ballot import Ballot, BallotStatus, Channel
from ballots.reasons import from_stored

BALLOT_COLUMNS = ("id", "election", "channel", "device", "selection", "status", "reasons", "day", "test")
COLUMNS = ", ".join(BALLOT_COLUMNS)
MARKS = ", ".join("?" * len(BALLOT_COLUMNS))


def selection_json(selection: Mapping[str, Sequence[str]]) -> str:
    return json.dumps({k: list(v) for k, v in selection.items()}, separators=(",", ":"))


def ballot_to_row(b: Ballot) -> list[Any]:
    """A ballot as a row of `ballots`, in `BALLOT_COLUMNS` order."""
    return [
        b.id,
        b.election,
        b.channel.value,
        b.device,
        selection_json(b.selection),
        b.status.value,
        json.dumps(list(b.reasons)),
        b.day,
        int(b.test),
    ]


def ballot_from_row(row: Sequence[Any]) -> Ballot:
    bid, election, channel, device, selection, status, reasons, day, test = row
    return Ballot(
        id=bid,
        election=election,
        channel=Channel(channel),
        device=device,
        selection={k: tuple(v) for k, v in json.loads(selection).items()},
        status=BallotStatus(status),
        reasons=from_stored(json.loads(reasons)),
        day=day,
        test=bool(test),
    )
