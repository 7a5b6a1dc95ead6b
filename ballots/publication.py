"""May results be shown, and are they final? The one answer every front end asks for.

The procès-verbal (PDF, CSV), `urne report`, `urne tally`, the counting window, the kiosk's staff
screen and the exports all call `publication(...)` (or `of_store(store)`); none decides alone.

- Results are **shown** once the polls are closed, or earlier when the election allows partial
  results (`show_partial_results = true`). Otherwise they are withheld: a staff member may still
  see them with an explicit override, which is written in the audit log (`record_override`).
- Results are **final** ("Résultats définitifs : oui", the proclamation) only when the polls are
  closed AND no ballot waits for a person (review) AND no copy is held in a conflict between
  devices. Anything else is "provisoires", and the reasons say why (typed codes, words looked up).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ballots.errors import UrneError
from ballots.store import Polls


class Pending(StrEnum):
    """Why results are not final (or not shown): codes for `--json`, words for people."""

    POLLS_NOT_CLOSED = "polls_not_closed"
    BALLOTS_TO_REVIEW = "ballots_to_review"
    COPIES_IN_CONFLICT = "copies_in_conflict"
    PARTIAL_RESULTS_NOT_ALLOWED = "partial_results_not_allowed"


POLLS_FR = {
    Polls.NOT_OPENED: "le scrutin n'est pas encore ouvert",
    Polls.OPEN: "le scrutin est ouvert",
    Polls.PAUSED: "le scrutin est suspendu",
    Polls.CLOSED: "le scrutin est clos",
}


POLLS_EN = {
    Polls.NOT_OPENED: "the polls have not opened yet",
    Polls.OPEN: "the polls are open",
    Polls.PAUSED: "the polls are paused",
    Polls.CLOSED: "the polls are closed",
}


def _plural(n: int, one: str, many: str, lang: str = "fr") -> str:
    # French counts 0 and 1 as singular; English only 1.
    return f"{n} {one if (n <= 1 if lang == 'fr' else n == 1) else many}"


@dataclass(frozen=True)
class Publication:
    polls: Polls
    show_partial_results: bool
    pending_review: int
    held: int = 0

    @property
    def allowed(self) -> bool:
        """Results may be shown without an override."""
        return self.polls is Polls.CLOSED or self.show_partial_results

    @property
    def final(self) -> bool:
        return not self.reasons

    @property
    def reasons(self) -> tuple[Pending, ...]:
        """Why the figures may still change (empty when final)."""
        out = []
        if self.polls is not Polls.CLOSED:
            out.append(Pending.POLLS_NOT_CLOSED)
        if self.pending_review:
            out.append(Pending.BALLOTS_TO_REVIEW)
        if self.held:
            out.append(Pending.COPIES_IN_CONFLICT)
        return tuple(out)

    def reason_words(self, reason: Pending, lang: str = "fr") -> str:
        en = lang == "en"
        if reason is Pending.POLLS_NOT_CLOSED:
            return (POLLS_EN if en else POLLS_FR)[self.polls]
        if reason is Pending.BALLOTS_TO_REVIEW:
            if en:
                return _plural(self.pending_review, "ballot waits", "ballots wait", "en") + " for review"
            return _plural(self.pending_review, "bulletin reste", "bulletins restent") + " à examiner"
        if reason is Pending.COPIES_IN_CONFLICT:
            if en:
                return _plural(self.held, "ballot is", "ballots are", "en") + " in conflict between devices"
            return _plural(self.held, "bulletin est", "bulletins sont") + " en conflit entre appareils"
        if en:
            return "the election does not allow partial results (show_partial_results = false)"
        return "l'élection n'autorise pas les résultats partiels (show_partial_results = false)"

    def why_provisional(self, lang: str = "fr") -> str:
        """'le scrutin est ouvert ; 2 bulletins restent à examiner' ('' when final)."""
        return (" ; " if lang == "fr" else "; ").join(self.reason_words(r, lang) for r in self.reasons)

    def why_withheld(self, lang: str = "fr") -> str:
        """Why results are not shown ('' when they are): the polls, and the election's rule."""
        if self.allowed:
            return ""
        rule = self.reason_words(Pending.PARTIAL_RESULTS_NOT_ALLOWED, lang)
        return self.reason_words(Pending.POLLS_NOT_CLOSED, lang) + (" et " if lang == "fr" else " and ") + rule

    def to_json(self) -> dict[str, Any]:
        return {
            "polls": self.polls.value,
            "allowed": self.allowed,
            "final": self.final,
            "provisional_because": [r.value for r in self.reasons],
        }


@dataclass
class ResultsWithheld(UrneError):
    """Results asked for while the election does not allow them yet."""

    polls: str
    code: str = Pending.PARTIAL_RESULTS_NOT_ALLOWED.value

    def message(self) -> str:
        state = POLLS_FR.get(Polls(self.polls), self.polls)
        return (
            f"résultats non publiés : {state} et l'élection n'autorise pas les résultats partiels "
            "(show_partial_results = false) ; --staff-override les montre quand même (consigné au journal d'audit)"
        )


def of_store(store: Any) -> Publication:
    """The publication state of the store's current election, read now."""
    election = store.election()
    return Publication(
        polls=store.polls(election.id),
        show_partial_results=election.show_partial_results,
        pending_review=store.statuses(election.id).get("review", 0),
        held=len(store.held()),
    )


def of_status(st: Mapping[str, Any]) -> Publication:
    """The publication state from a hub storage's `status()` (SQLite or the city's PostgreSQL:
    there the polls live in the database, not in the local store)."""
    return Publication(
        polls=Polls(st["polls"]),
        show_partial_results=bool(st["show_partial_results"]),
        pending_review=int(st.get("by_status", {}).get("review", 0)),
        held=int(st.get("conflicts", 0)),
    )


def check(
    store: Any, *, override: bool = False, actor: str = "", what: str = "", state: Publication | None = None
) -> Publication:
    """The publication state (the store's, or `state` when the caller read it elsewhere), or
    `ResultsWithheld` when results may not be shown; an `override` shows them anyway and is
    written in the store's audit log (who, what, the polls' state)."""
    p = state or of_store(store)
    if not p.allowed:
        if not override:
            raise ResultsWithheld(p.polls.value)
        record_override(store, p, actor=actor or "cli", what=what)
    return p


def record_override(store: Any, p: Publication, *, actor: str, what: str) -> None:
    store.log(actor, "results.override", {"what": what, "polls": p.polls.value})
