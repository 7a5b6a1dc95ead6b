"""A cast ballot as plain data. Nothing in it points at a voter or at the moment it was cast."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ballots.election import Election, normalise_selection
from ballots.reasons import ReasonText
from ballots.rules import check_ballot


class Channel(StrEnum):
    KIOSK = "kiosk"
    PAPER = "paper"
    IMPORT = "import"


class BallotStatus(StrEnum):
    COUNTED = "counted"
    REVIEW = "review"  # a person must decide before it counts
    REJECTED = "rejected"
    SPOILED = "spoiled"  # cancelled by staff (e.g. a voter asked for a new paper ballot)
    # Declared nul by the commission: the voter voted (a votant), no answer counts; it is a nul
    # on every question (votants = exprimés + blancs + nuls). A page that is no ballot at all is
    # REJECTED instead and is no votant.
    VOID = "void"


@dataclass(frozen=True)
class Ballot:
    id: str  # random UUID for kiosk ballots, printed serial for paper
    election: str
    channel: Channel
    device: str
    selection: Mapping[str, tuple[str, ...]]
    status: BallotStatus = BallotStatus.COUNTED
    reasons: tuple[ReasonText, ...] = ()  # made from a Reason; see ballots.reasons
    day: str = ""  # ISO date: the day only, never the time
    test: bool = False  # test-deck ballots never count

    def content_key(self) -> str:
        """What two copies of the same ballot must agree on (used to detect conflicts on merge)."""
        return json.dumps(
            {
                "election": self.election,
                "channel": self.channel.value,
                "selection": {k: list(v) for k, v in sorted(self.selection.items())},
                "status": self.status.value,
                "test": self.test,
            },
            sort_keys=True,
            separators=(",", ":"),
        )


def today(clock: dt.date | None = None) -> str:
    return (clock or dt.date.today()).isoformat()


def new_ballot(
    election: Election,
    selection: Mapping[str, Sequence[str]],
    *,
    channel: Channel,
    device: str,
    ballot_id: str | None = None,
    day: str | None = None,
    test: bool = False,
) -> Ballot:
    """A ballot with its status decided by the election's rules (review when a person must look)."""
    sel = normalise_selection(election, selection)
    check = check_ballot(election, sel)
    status = BallotStatus.REVIEW if check.needs_review else BallotStatus.COUNTED
    return Ballot(
        id=ballot_id or str(uuid.uuid4()),
        election=election.id,
        channel=channel,
        device=device,
        selection=sel,
        status=status,
        reasons=check.reasons,
        day=day or today(),
        test=test,
    )
