"""`dump`: an election and its counted ballots written as a valid `.pb` file (see the package's
contract)."""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ballots.ballot import Ballot, BallotStatus
from ballots.durable import atomic_write
from ballots.election import Election, OutcomeRule, RankPoints, Rule, RuleKind
from ballots.outcome import decide, scores_of
from ballots.pabulib.format import RULE_NAMES, PabulibElection, pb_day
from ballots.rules import QuestionStatus, check_question
from ballots.tally import tally


def _vote_type(kind: RuleKind) -> str:
    return {
        RuleKind.RANKED: "ordinal",
        RuleKind.SINGLE: "choose-1",
        RuleKind.CUMULATIVE: "cumulative",
    }.get(kind, "approval")


def _vote_and_points(rule: Rule, answer: tuple[str, ...]) -> tuple[list[str], list[int] | None]:
    """A counted answer as pabulib's `vote` and `points` cells (points only where pabulib would
    not find the same score without them)."""
    if rule.kind is RuleKind.CUMULATIVE:
        grouped = Counter(answer)  # insertion order: the order the voter listed them
        return list(grouped), list(grouped.values())
    if rule.kind is RuleKind.RANKED and rule.rank_points is not RankPoints.BALLOT_LENGTH:
        # Cap Collectif's votesLimit points: pabulib would score by the ballot's length instead
        return list(answer), [rule.points(rank, len(answer)) for rank in range(len(answer))]
    return list(answer), None


def dump(pb_or_election: PabulibElection | Election, ballots: Iterable[Ballot], path: str | os.PathLike[str]) -> Path:
    """Write the election's first question and its counted ballots as a `.pb` file (atomically).

    Built from the answers `urne tally` counts, with its functions: only counted ballots whose
    answer is valid (or blank, an empty vote: it still counts in equal shares' division); the
    `votes` and `score` columns are the tally's; `selected` is the outcome Urne decides (plus a
    file's own 2 and 3, extra funds); points are written for cumulative ballots, and for ranked
    ones scored Cap Collectif's way."""
    pb = pb_or_election if isinstance(pb_or_election, PabulibElection) else None
    election = pb.election if pb else pb_or_election  # type: ignore[union-attr]
    assert isinstance(election, Election)
    q = election.questions[0]
    meta: dict[str, str] = dict(pb.meta) if pb else dict(election.extra)
    lang = election.languages[0] if election.languages else "fr"
    counted = [b for b in ballots if b.status is BallotStatus.COUNTED and not b.test and b.election == election.id]
    statuses: dict[tuple[str, ...], QuestionStatus] = {}
    written: list[Ballot] = []
    for b in counted:
        answer = b.selection.get(q.id, ())
        status = statuses.get(answer)
        if status is None:
            status = statuses[answer] = check_question(q, answer).status
        if status in (QuestionStatus.VALID, QuestionStatus.BLANK):
            written.append(b)
    left_out = len(counted) - len(written)
    blanks = sum(1 for b in written if not b.selection.get(q.id, ()))
    t = tally(election, written)
    qt = t.question(q.id)
    votes, score = qt.votes(), scores_of(q, qt)
    outcome = decide(election, q, qt, written)
    vote_type = _vote_type(q.rule.kind)
    meta.update(
        num_projects=str(len(q.choices)),
        num_votes=str(len(written)),
        budget=str(q.rule.budget),
        vote_type=vote_type,
    )
    if pb is None:  # an Urne election: describe it the way pabulib files do
        defaults = {
            "description": election.title.get(lang),
            "country": "France",  # Urne serves French town halls; an election's META may say otherwise
            "unit": election.organiser,
            "instance": election.date_begin[:4],
            "rule": RULE_NAMES.get(election.outcome, election.outcome.value),
            "date_begin": pb_day(election.date_begin),
            "date_end": pb_day(election.date_end),
            "language": lang,
            "currency": election.currency,
        }
        if q.rule.kind is RuleKind.CUMULATIVE:
            defaults.update(min_sum_points=str(q.rule.min), max_sum_points=str(q.rule.max))
            if q.rule.max_per_choice:
                defaults["max_points"] = str(q.rule.max_per_choice)
        elif q.rule.kind is not RuleKind.SINGLE:
            # a blank ballot is an empty vote: the file's minimum must allow it
            defaults.update(min_length=str(0 if blanks else q.rule.min), max_length=str(q.rule.max))
        if election.outcome in (OutcomeRule.GREEDY, OutcomeRule.GREEDY_THRESHOLD, OutcomeRule.GREEDY_NO_SKIP):
            # Urne's greedy never funds a project nobody voted for; pabulib's would: in pabulib's
            # words that is a threshold of 1 (so the file's `selected` is what its rule gives)
            defaults["min_project_score_threshold"] = str(max(q.rule.min_score, 1))
            if election.outcome is OutcomeRule.GREEDY:
                defaults["rule"] = "greedy-threshold"
        elif q.rule.min_score:
            defaults["min_project_score_threshold"] = str(q.rule.min_score)
        comments = []
        if blanks:
            comments.append(f"#1: {blanks} blank ballot(s) listed as empty votes")
        if left_out:
            comments.append(f"#{len(comments) + 1}: {left_out} ballot(s) breaking the rule left out, as in the tally")
        if comments:
            defaults["comment"] = " ".join(comments)
        for k, v in defaults.items():
            if v:
                meta.setdefault(k, v)
    meta = {k: v for k, v in meta.items() if v != ""}

    with_score = q.rule.kind in (RuleKind.RANKED, RuleKind.CUMULATIVE) or bool(pb and pb.scores is not None)
    extra_cols: list[str] = ["name"]
    if pb:
        for cols in pb.project_columns.values():
            for h in cols:
                if h not in extra_cols:
                    extra_cols.append(h)
    else:
        if any(c.category for c in q.choices):
            extra_cols.append("category")
        if any(c.description for c in q.choices):
            extra_cols.append("description")
    # the official column of a pabulib file is kept; an Urne election's is its outcome
    with_selected = pb is None or pb.selected is not None
    winners = set(outcome.winners)
    header = ["project_id", "cost", "votes", *(["score"] if with_score else []), *extra_cols]
    if with_selected:
        header.append("selected")

    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(["META"])
    w.writerow(["key", "value"])
    for k, v in meta.items():
        w.writerow([k, v])
    w.writerow(["PROJECTS"])
    w.writerow(header)
    for choice in q.choices:
        cols = dict(pb.project_columns.get(choice.id, {})) if pb else {}
        cols.setdefault("name", choice.title.get(lang))
        if choice.category:
            cols.setdefault("category", choice.category)
        if choice.description:
            cols.setdefault("description", choice.description.get(lang))
        row = [choice.id, str(choice.cost), str(votes[choice.id])]
        if with_score:
            row.append(str(score[choice.id]))
        row += [cols.get(h, "") for h in extra_cols]
        if with_selected:
            extra = pb.selected_values.get(choice.id, "") if pb else ""
            row.append("1" if choice.id in winners else extra if extra in ("2", "3") else "0")
        w.writerow(row)
    w.writerow(["VOTES"])
    cells = [_vote_and_points(q.rule, tuple(b.selection.get(q.id, ()))) for b in written]
    with_points = any(p is not None for _, p in cells)
    w.writerow(["voter_id", "vote", *(["points"] if with_points else [])])
    prefix = f"{election.id}:"
    for b, (vote, pts) in zip(written, cells, strict=True):
        voter = b.id[len(prefix) :] if b.id.startswith(prefix) else b.id
        row = [voter, ",".join(vote)]
        if with_points:
            row.append(",".join(str(x) for x in pts or ()))
        w.writerow(row)

    return atomic_write(path, out.getvalue().encode("utf-8"))
