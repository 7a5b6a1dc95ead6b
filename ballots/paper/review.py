"""A person's decisions on a paper ballot in review: validate with the marks as decided, reject as
invalid, or reopen a decision. A domain service (no Qt): the counting window's review screen and
any other front end call these, so every decision is checked and audited the same way.

Contract: each function changes one ballot through `Store.set_status(..., actor=...)` (one
transaction, in the audit log with who and when; the note says how many boxes were decided,
never which choices) and returns the ballot as stored, or raises `ReviewRefused` (reason code +
French words) and changes nothing:
- `validate(store, serial, marks, decided=..., copy=..., copies=..., actor=...)`: the ballot must
  be in review and no box may still be in doubt (`ambiguous`): doubt is never counted as blank;
- `reject(store, serial, actor=...)`: the commission declares the ballot nul: it is stored as
  VOID, a votant counted in the nuls of every question (French practice: votants = exprimés +
  blancs + nuls), not as a rejected page;
- `reopen(store, serial, actor=...)`: a decided ballot goes back to review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ballots.ballot import Ballot, BallotStatus
from ballots.errors import UrneError
from ballots.paper import ids, scan
from ballots.store import Store

NOT_FOUND = "no_such_ballot"
NOT_IN_REVIEW = "not_in_review"
UNDECIDED = "boxes_still_in_doubt"
ALREADY_IN_REVIEW = "already_in_review"


@dataclass
class ReviewRefused(UrneError):
    reason: str
    words: str

    def message(self) -> str:
        return self.words


def _ballot(store: Store, serial: str) -> Ballot:
    """The ballot of a printed serial (stored under its keyed id, issue 17) or of a stored id."""
    ballot = store.ballot(serial)
    if ballot is None and not serial.startswith(ids.PREFIX):
        try:
            ballot = store.ballot(ids.for_store(store, serial))
        except UrneError:
            ballot = None
    if ballot is None:
        raise ReviewRefused(NOT_FOUND, f"aucun bulletin {serial}")
    return ballot


def validate(
    store: Store,
    serial: str,
    marks: Mapping[str, str],
    *,
    decided: int,
    copy: int = 1,
    copies: int = 1,
    actor: str,
) -> Ballot:
    """Count the ballot with the marks as they now stand (box key -> marked | blank)."""
    ballot = _ballot(store, serial)
    if ballot.status is not BallotStatus.REVIEW:
        raise ReviewRefused(NOT_IN_REVIEW, f"le bulletin {serial} n'est pas à examiner")
    doubt = sorted(k for k, v in marks.items() if v not in ("marked", "blank"))
    if doubt:
        raise ReviewRefused(UNDECIDED, f"{len(doubt)} case(s) encore à décider : {', '.join(doubt[:5])}")
    selection, _reasons = scan.selection_from_marks(store.election(), marks)
    note = f"{decided} case(s) tranchée(s)"
    if copies > 1:
        note += f" ; copie {copy} sur {copies} retenue"
    store.set_status(ballot.id, BallotStatus.COUNTED, actor=actor, selection=selection, note=note)
    return _ballot(store, ballot.id)


def reject(store: Store, serial: str, *, actor: str) -> Ballot:
    ballot = _ballot(store, serial)
    if ballot.status is not BallotStatus.REVIEW:
        raise ReviewRefused(NOT_IN_REVIEW, f"le bulletin {serial} n'est pas à examiner")
    store.set_status(ballot.id, BallotStatus.VOID, actor=actor, note="bulletin déclaré nul par la commission")
    return _ballot(store, ballot.id)


def reopen(store: Store, serial: str, *, actor: str) -> Ballot:
    ballot = _ballot(store, serial)
    if ballot.status is BallotStatus.REVIEW:
        raise ReviewRefused(ALREADY_IN_REVIEW, f"le bulletin {serial} est déjà à examiner")
    store.set_status(ballot.id, BallotStatus.REVIEW, actor=actor, note="réexamen demandé")
    return _ballot(store, ballot.id)
