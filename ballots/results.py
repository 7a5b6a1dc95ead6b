"""The results of an election as plain frozen data: what the results screen and the report show.

Contract:
- `compute(...)` is a pure function of the election, its ballots and a few facts gathered from the
  store (register size, audit seal, staff decisions, paper issuance). It never writes.
- `from_store(store)` gathers those facts from a store and calls `compute`; it only reads.
- Counts come from `ballots.tally.tally` and winners from `ballots.outcome.decide_all`, so the
  figures here are by construction the official tally's (a property test checks it).
- A "voter" is one counted ballot; a "vote" is one choice ticked on a valid question of a counted
  ballot (the towns' own tables count both, per channel).
- Nothing here names a voter: ballots carry no link to the register, and decisions come from the
  audit log, which records who decided on which ballot, never who cast it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ballots import audit
from ballots.ballot import Ballot, BallotStatus
from ballots.clock import effective_zone
from ballots.election import Election, Money, RuleKind
from ballots.errors import AuditChainBroken, IntegrityFailed
from ballots.outcome import Outcome, cache, decide_all
from ballots.outcome.greedy import greedy
from ballots.paper import ids, ledger
from ballots.publication import Publication
from ballots.store import Polls
from ballots.tally import Tally, counted_ballots, group, tally, tally_groups

# The channels every town table shows, in this order, even when empty; others follow when present.
MAIN_CHANNELS = ("kiosk", "paper")


@dataclass(frozen=True)
class ChoiceResult:
    choice: str
    title: str
    cost: Money
    by_channel: Mapping[str, int]  # votes per channel, every channel of the results present
    votes: int
    points: int  # = votes except for ranked questions
    rank: int  # 1-based, by score (points), ties share the election's order
    winner: bool


@dataclass(frozen=True)
class Tie:
    """Choices with the same score where the tie-break decided who is selected (the PV says how)."""

    choices: tuple[str, ...]  # every tied choice, in the order the rule took them
    score: int  # votes or points; 0 for a tie of price inside equal shares
    selected: tuple[str, ...]  # those of them the tie-break selected ("" for the commission to settle)
    rule: str  # the tie-break code (ballots.outcome.TIE_*)


@dataclass(frozen=True)
class QuestionResult:
    question: str
    title: str
    kind: str  # RuleKind value
    rule: str  # outcome rule actually applied (greedy, equalshares/add1, plurality)
    choices: tuple[ChoiceResult, ...]  # by rank
    winners: tuple[str, ...]  # in the order the rule selected them
    budget: Money
    spent: Money
    blank: int
    invalid: int
    tie_break: str = "election_order"  # ballots.outcome.TIE_* code
    min_score: int = 0  # the score threshold applied, if any
    rule_note: str = ""  # add1-comparison: "mes" or "greedy", the outcome the comparison kept
    voters: int = 0  # votants: counted ballots and ballots declared nul
    expressed: int = 0  # exprimés: ballots with a valid answer to this question
    ties: tuple[Tie, ...] = ()  # ties the tie-break rule decided

    @property
    def nuls(self) -> int:
        return self.invalid

    @property
    def balanced(self) -> bool:
        """French practice: votants = exprimés + blancs + nuls."""
        return self.voters == self.expressed + self.blank + self.invalid

    @property
    def ranked(self) -> bool:
        return self.kind == RuleKind.RANKED.value

    @property
    def budget_share(self) -> float | None:
        return float(self.spent / self.budget) if self.budget > 0 else None

    def choice(self, choice_id: str) -> ChoiceResult:
        for c in self.choices:
            if c.choice == choice_id:
                return c
        raise KeyError(choice_id)


@dataclass(frozen=True)
class TurnoutRow:
    channel: str
    voters: int  # votants: counted ballots and ballots declared nul
    votes: int  # choices ticked on the counted ballots (valid questions only)
    void: int = 0  # of the votants, ballots the commission declared nul


@dataclass(frozen=True)
class Reconciliation:
    """Register vs ballots, and paper ballots issued vs returned: the commission's cross-checks."""

    register_mode: str
    register_entries: int | None  # None when the election keeps no register
    kiosk_ballots: int  # every official kiosk ballot, whatever its status
    paper_issued: int | None  # None when the paper module keeps no issuance record
    paper_returned: int  # official paper ballots stored, whatever their status

    @property
    def register_difference(self) -> int | None:
        """Kiosk ballots minus register entries: 0 when every kiosk voter was registered once."""
        return None if self.register_entries is None else self.kiosk_ballots - self.register_entries

    @property
    def paper_not_returned(self) -> int | None:
        return None if self.paper_issued is None else self.paper_issued - self.paper_returned


@dataclass(frozen=True)
class Decision:
    """A person's decision on a ballot, read back from the audit log."""

    seq: int
    at: str  # ISO date-time, UTC
    actor: str
    status: str
    note: str


@dataclass(frozen=True)
class SheetIssue:
    """A ballot that is or was not counted as read: rejected, to review, spoiled, or decided by staff."""

    ballot: str
    channel: str
    status: str
    reasons: tuple[str, ...]
    decisions: tuple[Decision, ...]
    source: str = ""  # scanned file and page, when the paper reader knows it


@dataclass(frozen=True)
class AuditSeal:
    entries: int
    head: str  # SHA-256 of the last entry: fixes the whole log at the time of the report
    problem: str = ""  # empty when the chain verifies

    @property
    def intact(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class Results:
    election_id: str
    title: str
    organiser: str
    date_begin: str
    date_end: str
    currency: str
    outcome: str  # the election's outcome rule
    fingerprint: str  # of the election definition
    generated_at: str  # ISO date-time, UTC
    questions: tuple[QuestionResult, ...]
    channels: tuple[str, ...]
    turnout: tuple[TurnoutRow, ...]  # one per channel, in `channels` order
    pending_review: int
    rejected: int
    spoiled: int
    reconciliation: Reconciliation
    issues: tuple[SheetIssue, ...]
    audit: AuditSeal
    void: int = 0  # ballots declared nul by the commission (votants, nuls on every question)
    electors: int = 0  # inscrits, when the election file gives them (0 = unknown)
    time_zone: str = ""  # the zone people read times in (ballots.clock)
    publication: Publication | None = None  # None: computed from ballots alone (polls taken as closed)

    @property
    def voters(self) -> int:
        """Votants."""
        return sum(r.voters for r in self.turnout)

    @property
    def counted(self) -> int:
        return self.voters - self.void

    @property
    def rejected_pages(self) -> int:
        """Rejected paper ballots and scanned pages that belong to no ballot (what the commission
        sees in the "Rejetés" tab and the rejected-sheets PDF)."""
        return sum(1 for i in self.issues if i.status == "rejected")

    @property
    def votes(self) -> int:
        return sum(r.votes for r in self.turnout)

    @property
    def status(self) -> Publication:
        return self.publication or Publication(Polls.CLOSED, False, self.pending_review)

    @property
    def final(self) -> bool:
        """Polls closed and no ballot waits for a person: the figures will not change
        (`ballots.publication` decides, for every front end)."""
        return self.status.final

    def question(self, question_id: str) -> QuestionResult:
        for q in self.questions:
            if q.question == question_id:
                return q
        raise KeyError(question_id)

    def turnout_row(self, channel: str) -> TurnoutRow:
        for r in self.turnout:
            if r.channel == channel:
                return r
        return TurnoutRow(channel, 0, 0)


def _channels(t: Tally, ballots: Sequence[Ballot]) -> tuple[str, ...]:
    seen = set(t.by_channel) | {b.channel.value for b in ballots}
    return MAIN_CHANNELS + tuple(sorted(seen - set(MAIN_CHANNELS)))


def _question_results(
    election: Election,
    t: Tally,
    ballots: Sequence[Ballot],
    channels: tuple[str, ...],
    decided: Sequence[Outcome] | None = None,
) -> tuple[QuestionResult, ...]:
    outcomes = {o.question: o for o in (decided if decided is not None else decide_all(election, t, ballots))}
    out: list[QuestionResult] = []
    for q in election.questions:
        ties = ties_of(q, t.question(q.id), outcomes[q.id])
        qt = t.question(q.id)
        outcome = outcomes[q.id]
        winners = set(outcome.winners)
        order = {cid: i for i, cid in enumerate(q.choice_ids)}
        counts = sorted(qt.choices, key=lambda c: (-c.points, order[c.choice]))
        choices = tuple(
            ChoiceResult(
                choice=c.choice,
                title=q.choice(c.choice).title.get("fr"),
                cost=q.choice(c.choice).cost,
                by_channel={ch: c.by_channel.get(ch, 0) for ch in channels},
                votes=c.votes,
                points=c.points,
                rank=1 + sum(1 for o in qt.choices if o.points > c.points),
                winner=c.choice in winners,
            )
            for c in counts
        )
        out.append(
            QuestionResult(
                question=q.id,
                title=q.title.get("fr"),
                kind=q.rule.kind.value,
                rule=outcome.rule,
                choices=choices,
                winners=outcome.winners,
                budget=outcome.budget,
                spent=outcome.spent,
                blank=qt.blank,
                invalid=qt.invalid,
                tie_break=outcome.tie_break,
                min_score=outcome.min_score,
                rule_note=outcome.note,
                voters=t.voters,
                expressed=qt.expressed,
                ties=ties,
            )
        )
    return tuple(out)


GREEDY_RULES = ("greedy", "greedy-no-skip", "greedy-threshold")


def ties_of(q: Any, qt: Any, outcome: Outcome) -> tuple[Tie, ...]:
    """The ties that decided a winner: for plurality, several choices first with the same votes
    (the commission settles); for greedy rules, choices with the same score where taking them in
    the other order selects other projects (the election's order decided); for equal shares, the
    ties of price the rule met where the other tie-break selects other projects (score 0: a tie of
    price per unit of utility, not of votes)."""
    from ballots.outcome import TIE_PLURALITY, scores_of

    if outcome.rule == "plurality":
        if len(outcome.winners) > 1:
            best = qt.votes()[outcome.winners[0]]
            return (Tie(outcome.winners, best, (), TIE_PLURALITY),)
        return ()
    greedy_kept = outcome.rule in GREEDY_RULES or outcome.note == "greedy"
    if not greedy_kept and outcome.price_ties:  # equal shares: found by the rule itself
        return tuple(Tie(t.tied, 0, t.funded, outcome.tie_break) for t in outcome.price_ties)
    if not greedy_kept or outcome.budget <= 0:
        return ()
    comparison = outcome.note == "greedy"
    scores = qt.votes() if comparison else scores_of(q, qt)
    costs = {c.id: c.cost for c in q.choices}
    order = list(q.choice_ids)
    skip = outcome.rule != "greedy-no-skip"
    winners = set(outcome.winners)
    by_score: dict[int, list[str]] = defaultdict(list)
    for cid in order:
        by_score[scores.get(cid, 0)].append(cid)
    out = []
    for score, tied in sorted(by_score.items(), reverse=True):
        if len(tied) < 2 or score <= 0 or score < outcome.min_score or not (winners & set(tied)):
            continue
        if set(tied) <= winners:
            continue
        backwards = iter(reversed(tied))  # the tied choices the other way round, each in the others' slots
        swapped = [next(backwards) if c in tied else c for c in order]
        other = greedy(costs, scores, outcome.budget, order=swapped, skip=skip, min_score=outcome.min_score,
                       keep_unvoted=comparison)  # fmt: skip
        if set(other) != winners:
            out.append(Tie(tuple(tied), score, tuple(c for c in tied if c in winners), outcome.tie_break))
    return tuple(out)


def decisions_from_audit(entries: Iterable[audit.AuditEntry]) -> dict[str, tuple[Decision, ...]]:
    by_ballot: dict[str, list[Decision]] = defaultdict(list)
    for e in entries:
        if e.action == "paper.typed_serial" and "serial" in e.detail:  # staff typed an unreadable QR's serial
            key = e.detail.get("ballot", e.detail["serial"])  # the stored (keyed) id since issue 17
            by_ballot[str(key)].append(Decision(e.seq, e.at, e.actor, "typed_serial", ""))
            continue
        # The reader's own re-reads (actor "scan") are not decisions of the commission.
        if not e.action.startswith("ballot.") or "ballot" not in e.detail or e.actor == "scan":
            continue
        status = e.action.partition(".")[2]
        by_ballot[str(e.detail["ballot"])].append(Decision(e.seq, e.at, e.actor, status, str(e.detail.get("note", ""))))
    return {k: tuple(v) for k, v in by_ballot.items()}


def _issues(
    ballots: Sequence[Ballot],
    decisions: Mapping[str, tuple[Decision, ...]],
    sources: Mapping[str, str],
    labels: Mapping[str, str],
) -> tuple[SheetIssue, ...]:
    out = [
        SheetIssue(
            labels.get(b.id, b.id),  # a paper ballot is named by its printed serial, not its stored id
            b.channel.value,
            b.status.value,
            tuple(b.reasons),
            decisions.get(b.id, ()),
            sources.get(b.id, ""),
        )
        for b in ballots
        if b.status is not BallotStatus.COUNTED or b.id in decisions or b.reasons
    ]
    status_order = {"review": 0, "rejected": 1, "void": 2, "spoiled": 3, "counted": 4}
    return tuple(sorted(out, key=lambda i: (status_order.get(i.status, 9), i.channel, i.ballot)))


def compute(
    election: Election,
    ballots: Iterable[Ballot],
    *,
    register: int | None = None,
    audit_seal: AuditSeal | None = None,
    decisions: Mapping[str, tuple[Decision, ...]] | None = None,
    paper_issued: int | None = None,
    extra_issues: Iterable[SheetIssue] = (),
    sources: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    generated_at: str = "",
    outcomes: Sequence[Outcome] | None = None,
    polls: Polls | None = None,
    held: int = 0,
    time_zone: str = "",
) -> Results:
    """Results of `election` from `ballots` (test ballots and other elections' are left out);
    `outcomes`, when given, are these ballots' (read from the outcome cache)."""
    official = [b for b in ballots if not b.test and b.election == election.id]
    t = tally(election, official, register)
    channels = _channels(t, official)
    questions = _question_results(election, t, official, channels, outcomes)
    votes_by_channel: Counter[str] = Counter()
    for qr in questions:
        for c in qr.choices:
            votes_by_channel.update(c.by_channel)
    void_by_channel = Counter(b.channel.value for b in official if b.status is BallotStatus.VOID)
    turnout = tuple(
        TurnoutRow(
            ch,
            t.by_channel.get(ch, 0) + void_by_channel.get(ch, 0),
            votes_by_channel.get(ch, 0),
            void_by_channel.get(ch, 0),
        )
        for ch in channels
    )
    all_channels = Counter(b.channel.value for b in official)
    issues = _issues(official, decisions or {}, sources or {}, labels or {}) + tuple(extra_issues)
    return Results(
        election_id=election.id,
        title=election.title.get("fr"),
        organiser=election.organiser,
        date_begin=election.date_begin,
        date_end=election.date_end,
        currency=election.currency,
        outcome=election.outcome.value,
        fingerprint=election.fingerprint,
        generated_at=generated_at or audit.utc_now().isoformat(),
        questions=questions,
        channels=channels,
        turnout=turnout,
        pending_review=t.pending_review,
        rejected=t.rejected,
        spoiled=t.spoiled,
        reconciliation=Reconciliation(
            register_mode=election.register.value,
            register_entries=register,
            kiosk_ballots=all_channels.get("kiosk", 0),
            paper_issued=paper_issued,
            paper_returned=all_channels.get("paper", 0),
        ),
        issues=issues,
        audit=audit_seal or AuditSeal(0, audit.GENESIS),
        void=t.void,
        electors=election.electors,
        time_zone=effective_zone(election.time_zone, time_zone),
        publication=None
        if polls is None
        else Publication(polls, election.show_partial_results, t.pending_review, held),
    )


def seal(store: Any) -> AuditSeal:
    """The audit log's head hash, or the reason it does not verify (shown, never hidden).

    A file SQLite finds damaged publishes nothing (StoreDamaged); a log, ballots or definition
    that do not match what was anchored outside the store are printed as such.
    """
    from ballots import integrity

    store.quick_check()
    try:
        done = integrity.verify(store)
    except (AuditChainBroken, IntegrityFailed) as exc:
        return AuditSeal(0, "", str(exc))
    return AuditSeal(done.entries, done.head)


def _paper_facts(store: Any, election: Election) -> tuple[int | None, tuple[SheetIssue, ...], dict[str, str]]:
    """Paper serials issued, scanned pages that belong to no ballot, and where each ballot was scanned."""
    unattributed = tuple(
        SheetIssue(u.serial or "—", "paper", "rejected", u.reasons, (), u.label)
        for u in ledger.unattributed(store, election.id)
    )
    return ledger.issued_count(store, election.id), unattributed, ledger.sources(store)


def from_store(store: Any, *, clock: dt.datetime | None = None, time_zone: str = "") -> Results:
    """Results of the store's current election, read in one go; times in the election's zone,
    else `time_zone` (the configuration's), else Europe/Paris."""
    election = store.election()
    ballots = list(store.ballots())
    register = store.counts().register if election.register.value != "none" else None
    issued, extra, sources = _paper_facts(store, election)
    outcomes = None
    if election.outcome in cache.CACHED_RULES:  # equal shares: once per change of the ballots
        groups = group(counted_ballots(election, ballots))
        outcomes = cache.decide_all(store, election, tally_groups(election, groups), groups)
    return compute(
        election,
        ballots,
        outcomes=outcomes,
        register=register,
        audit_seal=seal(store),
        decisions=decisions_from_audit(audit.entries(store.db)),
        paper_issued=issued,
        extra_issues=extra,
        sources=sources,
        labels=ids.serials_by_id(store),
        generated_at=(clock or audit.utc_now()).isoformat(),
        polls=store.polls(election.id),
        held=len(store.held()),
        time_zone=time_zone,
    )
