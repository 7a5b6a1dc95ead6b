"""What a ballot row and a batch look like to the PostgreSQL hub (sync/pghub.py): its own
`ballots` table's row codec (the same text as the station's store, `test` a BOOLEAN) and the
first check of a pushed batch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ballots.ballot import Ballot, BallotStatus, Channel
from ballots.election import Election
from ballots.reasons import from_stored
from sync.hubstore import IngestResult


def check_batch(election: Election, payload: dict[str, Any]) -> IngestResult | None:
    if payload.get("election") != election.id or payload.get("election_fingerprint") != election.fingerprint:
        return IngestResult(
            409,
            {"error": "foreign-election", "detail": f"this hub counts '{election.id}' ({election.fingerprint[:12]})"},
        )
    if not isinstance(payload.get("ballots"), list) or not isinstance(payload.get("register", []), list):
        return IngestResult(400, {"error": "bad-batch", "detail": "ballots and register must be lists"})
    return None


def ballot_row(b: Ballot) -> tuple[Any, ...]:
    return (
        b.id,
        b.election,
        b.channel.value,
        b.device,
        json.dumps({k: list(v) for k, v in b.selection.items()}, separators=(",", ":")),
        b.status.value,
        json.dumps(list(b.reasons)),
        b.day,
        bool(b.test),
    )


def row_ballot(r: Sequence[Any]) -> Ballot:
    return Ballot(
        id=r[0],
        election=r[1],
        channel=Channel(r[2]),
        device=r[3],
        selection={k: tuple(v) for k, v in json.loads(r[4]).items()},
        status=BallotStatus(r[5]),
        reasons=from_stored(json.loads(r[6])),
        day=r[7],
        test=bool(r[8]),
    )
