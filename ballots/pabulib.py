"""pabulib `.pb` files: import of a real participatory budget with its ballots, and export back.

Contract
--------
`load(path)` reads a `.pb` file (sections META, PROJECTS, VOTES; `;`-separated; fields may be
quoted) and returns a `PabulibElection`: one `Election` with a single question `pb` whose choices
are the projects in file order, the ballots (channel `import`, device `pabulib`, id
`<election id>:<voter_id>`, status counted, day = META `date_end`), the file's `votes` column, its
`selected` column when present, and the META section (also kept in `Election.extra`).

Mapping of `vote_type` to a rule (the file's own bounds are widened to what its ballots really
contain, so that a tally reproduces the file's `votes` column; no real file needs it):
- `approval` → APPROVAL, min = `min_length` (0), max = `max_length` (number of projects);
- `ordinal` → RANKED, scored as pabulib does: a ballot ranking n projects gives n, n-1, … 1
  points (`RankPoints.BALLOT_LENGTH`; Cap Collectif's `max`, `max`-1, … stays for Urne and Purpoz
  elections);
- `cumulative` → APPROVAL over the projects a voter listed: a project's votes are the ballots
  that give it points. The points themselves are kept in `PabulibElection.points` (per ballot)
  and written back by `dump`, but Urne's outcome rules do not use them;
- `choose-1` → SINGLE.
`budget` → `Rule.budget` and `cost` → `Choice.cost`, as exact amounts (`election.money`: an int, or
a Decimal when the file has cents, e.g. Kraków 2023's 1555905.71 — never a binary float); META `rule` `equalshares…` → `OutcomeRule.EQUAL_SHARES`, anything else
(`greedy`, `greedy-threshold`, `unknown`) → GREEDY. Project titles are the `name` column in the
file's `language` (derived from `country` when absent); `category` and `description` are kept.

`dump(pb_or_election, ballots, path)` writes a valid `.pb` file: META (the election's META with the
counts brought up to date), PROJECTS (`project_id;cost;votes;name` [+ `score`, `category`,
`description`, `selected`]) and VOTES (`voter_id;vote` [+ `points`]). Counts come from the given
counted ballots. load → dump → load gives the same projects, votes and ballots.

A broken file raises `PabulibError(path, line, problem)`; nothing is half-loaded.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ballots.ballot import Ballot, BallotStatus, Channel
from ballots.durable import atomic_write
from ballots.election import (
    Choice,
    Election,
    Money,
    OutcomeRule,
    Question,
    RankPoints,
    Rule,
    RuleKind,
    Text,
    money,
)
from ballots.errors import PabulibError
from ballots.outcome import decide, scores_of
from ballots.rules import QuestionStatus, check_question
from ballots.tally import tally

QUESTION_ID = "pb"
DEVICE = "pabulib"
SECTIONS = ("META", "PROJECTS", "VOTES")
VOTE_TYPES = {
    "approval": RuleKind.APPROVAL,
    "ordinal": RuleKind.RANKED,
    "cumulative": RuleKind.CUMULATIVE,
    "choose-1": RuleKind.SINGLE,
}
_COUNTRY_LANG = {
    "france": "fr",
    "poland": "pl",
    "netherlands": "nl",
    "switzerland": "de",
    "belgium": "fr",
    "germany": "de",
    "spain": "es",
    "italy": "it",
    "united kingdom": "en",
    "united states": "en",
    "canada": "en",
}

# META `rule` -> the rule Urne applies. `unknown` (and any rule Urne does not implement, such as
# greedy-exclusive, whose exclusion groups the format does not carry) is decided by plain greedy;
# the file's own `rule` stays in META, the procès-verbal names the rule applied.
RULES = {
    "greedy": OutcomeRule.GREEDY,
    "greedy-no-skip": OutcomeRule.GREEDY_NO_SKIP,
    "greedy-threshold": OutcomeRule.GREEDY_THRESHOLD,
    "equalshares": OutcomeRule.EQUAL_SHARES,
    "equalshares/add1": OutcomeRule.EQUAL_SHARES,
    "equalshares/add1-comparison": OutcomeRule.EQUAL_SHARES_COMPARISON,
}
# the name Urne writes back for each rule
RULE_NAMES = {
    OutcomeRule.GREEDY: "greedy",
    OutcomeRule.GREEDY_NO_SKIP: "greedy-no-skip",
    OutcomeRule.GREEDY_THRESHOLD: "greedy-threshold",
    OutcomeRule.EQUAL_SHARES: "equalshares/add1",
    OutcomeRule.EQUAL_SHARES_COMPARISON: "equalshares/add1-comparison",
}


@dataclass(frozen=True)
class PabulibElection:
    election: Election
    ballots: tuple[Ballot, ...]
    votes: dict[str, int]  # the file's `votes` column
    selected: (
        tuple[str, ...] | None
    )  # projects with selected=1 (chosen by the rule; file order), None without the column
    meta: dict[str, str]
    scores: dict[str, int] | None = None  # the file's `score` column (ordinal / cumulative), if any
    points: tuple[tuple[int, ...], ...] | None = None  # cumulative: per ballot, points per listed project
    project_columns: dict[str, dict[str, str]] = field(default_factory=dict)  # every other column, per project
    selected_values: dict[str, str] = field(default_factory=dict)  # the `selected` column as written (0-3)

    @property
    def question(self) -> Question:
        return self.election.questions[0]


def _slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return s[:64] or "pabulib"


def _iso_day(value: str) -> str:
    """pabulib dates are dd.mm.yyyy; Urne keeps ISO days."""
    m = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*", value or "")
    if m:
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return value.strip() if value else ""


def _pb_day(iso: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    return f"{m.group(3)}.{m.group(2)}.{m.group(1)}" if m else iso


class _Reader:
    """Splits the file into its three sections, keeping each row's line number for errors."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.sections: dict[str, tuple[list[str], list[tuple[int, list[str]]]]] = {}
        reader = csv.reader(io.StringIO(text), delimiter=";")
        current: str | None = None
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        try:
            for row in reader:
                line = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                name = row[0].strip().upper()
                if len(row) == 1 and name in SECTIONS:
                    if name in self.sections or name == current:
                        raise PabulibError(path, line, f"section {name} appears twice")
                    if current is not None:
                        self._close(current, header, rows, line)
                    current, header, rows = name, None, []
                    continue
                if current is None:
                    raise PabulibError(path, line, "expected the META section first")
                if header is None:
                    header = [h.strip() for h in row]
                    continue
                rows.append((line, row))
        except csv.Error as exc:
            raise PabulibError(path, reader.line_num, f"unreadable line ({exc})") from None
        if current is not None:
            self._close(current, header, rows, reader.line_num)
        for name in SECTIONS:
            if name not in self.sections:
                raise PabulibError(path, reader.line_num, f"section {name} is missing (truncated file?)")

    def _close(self, name: str, header: list[str] | None, rows: list[tuple[int, list[str]]], line: int) -> None:
        if header is None:
            raise PabulibError(self.path, line, f"section {name} has no header line")
        self.sections[name] = (header, rows)


def _int(path: str, line: int, what: str, value: str) -> int:
    """pabulib writes integers, sometimes as `400000.0`; anything fractional is refused."""
    v = value.strip()
    if len(v) > 30:  # no count in a ballot file has 30 digits; int() of 5 000 digits is slow
        raise PabulibError(path, line, f"{what} '{v[:30]}…' is not a number")
    try:
        return int(v)
    except ValueError:
        pass
    try:
        f = float(v)
    except ValueError:
        raise PabulibError(path, line, f"{what} '{value}' is not a number") from None
    if not math.isfinite(f):  # nan, inf, 1e400
        raise PabulibError(path, line, f"{what} '{value}' is not a finite number")
    if f != int(f):
        raise PabulibError(path, line, f"{what} '{value}' is not a whole number")
    return int(f)


def _money(path: str, line: int, what: str, value: str) -> Money:
    """pabulib's `budget` and `cost` are floats in the format; Urne keeps them as exact decimals."""
    try:
        if len(value.strip()) > 40:
            raise ValueError(value)
        return money(value)
    except ValueError:
        raise PabulibError(path, line, f"{what} '{value}' is not a number") from None


def _columns(path: str, header: list[str], required: Sequence[str], section: str, line: int) -> dict[str, int]:
    index = {h: i for i, h in enumerate(header)}
    for r in required:
        if r not in index:
            raise PabulibError(path, line, f"section {section} lacks the column '{r}'")
    return index


def load(path: str | os.PathLike[str]) -> PabulibElection:
    p = Path(path)
    spath = str(p)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PabulibError(spath, 1, f"not UTF-8 text ({exc.reason})") from None
    r = _Reader(spath, text)

    mhead, mrows = r.sections["META"]
    meta: dict[str, str] = {}
    for line, row in mrows:
        if len(row) < 2:
            raise PabulibError(spath, line, "META line needs a key and a value")
        meta[row[0].strip()] = ";".join(row[1:]).strip()
    meta_line = mrows[0][0] if mrows else 1
    vote_type = meta.get("vote_type", "approval").strip().lower()
    if vote_type not in VOTE_TYPES:
        raise PabulibError(spath, meta_line, f"vote_type '{vote_type}' is not one of {', '.join(VOTE_TYPES)}")
    if "budget" not in meta:
        raise PabulibError(spath, meta_line, "META has no budget")
    budget = _money(spath, meta_line, "budget", meta["budget"])
    if budget < 0:
        raise PabulibError(spath, meta_line, f"negative budget {meta['budget']}")

    phead, prows = r.sections["PROJECTS"]
    pidx = _columns(spath, phead, ("project_id", "cost"), "PROJECTS", prows[0][0] - 1 if prows else 1)
    lang = (meta.get("language") or _COUNTRY_LANG.get(meta.get("country", "").strip().lower(), "en")).strip()
    choices: list[Choice] = []
    votes: dict[str, int] = {}
    scores: dict[str, int] | None = {} if "score" in pidx else None
    selected: list[str] | None = [] if "selected" in pidx else None
    selected_values: dict[str, str] = {}
    extra_cols = [h for h in phead if h not in ("project_id", "cost", "votes", "score", "selected")]
    project_columns: dict[str, dict[str, str]] = {}
    for line, row in prows:
        if len(row) != len(phead):
            raise PabulibError(spath, line, f"project line has {len(row)} fields, the header {len(phead)}")
        pid = row[pidx["project_id"]].strip()
        if not pid:
            raise PabulibError(spath, line, "empty project_id")
        if pid in votes:
            raise PabulibError(spath, line, f"project '{pid}' appears twice")
        cost = _money(spath, line, f"cost of project {pid}", row[pidx["cost"]])
        if cost < 0:
            raise PabulibError(spath, line, f"negative cost for project {pid}")
        votes[pid] = _int(spath, line, f"votes of project {pid}", row[pidx["votes"]]) if "votes" in pidx else 0
        if scores is not None:
            scores[pid] = _int(spath, line, f"score of project {pid}", row[pidx["score"]] or "0")
        if selected is not None:
            value = row[pidx["selected"]].strip()
            selected_values[pid] = value
            if value == "1":  # 2, 3: funded from extra money, not by the rule
                selected.append(pid)
        cols = {h: row[pidx[h]] for h in extra_cols}
        project_columns[pid] = cols
        choices.append(
            Choice(
                id=pid,
                title=Text.of(cols.get("name") or pid, lang),
                description=Text.of(cols.get("description") or None, lang),
                cost=cost,
                category=cols.get("category", ""),
            )
        )
    if not choices:
        raise PabulibError(spath, prows[0][0] if prows else 1, "no project")
    known = set(votes)

    vhead, vrows = r.sections["VOTES"]
    vidx = _columns(spath, vhead, ("voter_id", "vote"), "VOTES", vrows[0][0] - 1 if vrows else 1)
    vi, vv, vp = vidx["voter_id"], vidx["vote"], vidx.get("points")
    eid = _slug(p.stem)
    day = _iso_day(meta.get("date_end", ""))
    width = len(vhead)
    imported = Channel.IMPORT
    counted = BallotStatus.COUNTED
    ballots: list[Ballot] = []
    points: list[tuple[int, ...]] | None = [] if vote_type == "cumulative" and vp is not None else None
    seen_ids: set[str] = set()
    parsed: dict[str, tuple[str, ...]] = {}
    lengths: Counter[int] = Counter()
    same_vote: Counter[str] = Counter()  # voters per distinct `vote` text, for the votes column
    sums: Counter[int] = Counter()  # cumulative: total points per ballot
    most_points = 0
    for line, row in vrows:
        if len(row) != width:
            raise PabulibError(spath, line, f"vote line has {len(row)} fields, the header {width} (truncated file?)")
        voter = row[vi].strip()
        if voter in seen_ids:
            raise PabulibError(spath, line, f"voter_id '{voter}' appears twice")
        seen_ids.add(voter)
        raw = row[vv]
        chosen = parsed.get(raw)
        if chosen is None:  # many voters cast the same vote: parse and check it once
            chosen = tuple(c.strip() for c in raw.split(",")) if raw.strip() else ()
            if not known.issuperset(chosen):
                bad = next(c for c in chosen if c not in known)
                raise PabulibError(spath, line, f"vote for unknown project '{bad}'")
            if len(set(chosen)) != len(chosen):
                raise PabulibError(spath, line, "the same project appears twice in one vote")
            parsed[raw] = chosen
        answer = chosen
        if points is not None and vp is not None:
            praw = row[vp].strip()
            pts = tuple(_int(spath, line, "points", x) for x in praw.split(",")) if praw else ()
            if len(pts) != len(chosen):
                raise PabulibError(spath, line, f"{len(chosen)} projects but {len(pts)} points")
            if any(x < 0 for x in pts):
                raise PabulibError(spath, line, "negative points")
            points.append(pts)
            # a cumulative answer lists each project once per point: ("15", "15", "22", ...)
            answer = tuple(c for c, x in zip(chosen, pts, strict=True) for _ in range(x))
            most_points = max(most_points, *pts) if pts else most_points
            sums[sum(pts)] += 1
        lengths[len(chosen)] += 1
        same_vote[raw] += 1
        ballots.append(Ballot(f"{eid}:{voter}", eid, imported, DEVICE, {QUESTION_ID: answer}, counted, (), day))
    declared = meta.get("num_votes")
    if declared is not None and _int(spath, meta_line, "num_votes", declared) != len(ballots):
        last = vrows[-1][0] if vrows else meta_line
        raise PabulibError(
            spath, last, f"META says {declared} votes but the file holds {len(ballots)} (truncated file?)"
        )
    if "votes" in pidx:
        # The file's own PROJECTS `votes` column: a file cut inside its last vote line still has
        # the right number of fields, and only this column shows the changed ballot.
        approvals: Counter[str] = Counter()
        for raw_vote, n in same_vote.items():
            for c in parsed[raw_vote]:
                approvals[c] += n
        wrong = [pid for pid in votes if votes[pid] != approvals[pid]]
        if wrong:
            last = vrows[-1][0] if vrows else meta_line
            raise PabulibError(
                spath,
                last,
                f"project {wrong[0]} has {approvals[wrong[0]]} votes in VOTES but {votes[wrong[0]]} in PROJECTS "
                "(truncated or edited file?)",
            )
    declared_p = meta.get("num_projects")
    if declared_p is not None and _int(spath, meta_line, "num_projects", declared_p) != len(choices):
        raise PabulibError(spath, meta_line, f"META says {declared_p} projects but the file lists {len(choices)}")

    kind = VOTE_TYPES[vote_type]
    nonempty = [n for n in lengths if n > 0]
    lo = min(nonempty, default=0)
    hi = max(nonempty, default=0)
    rmin = _int(spath, meta_line, "min_length", meta["min_length"]) if meta.get("min_length") else 0
    rmax = _int(spath, meta_line, "max_length", meta["max_length"]) if meta.get("max_length") else len(choices)
    per_choice = 0
    if kind is RuleKind.SINGLE:
        rmin, rmax = 1, 1
    elif kind is RuleKind.CUMULATIVE:  # bounds on the ballot's total points
        if points is None:  # no points column: one point per listed project
            sums = lengths
        pos = [n for n in sums if n > 0]
        smin = _int(spath, meta_line, "min_sum_points", meta["min_sum_points"]) if meta.get("min_sum_points") else 0
        smax = (
            _int(spath, meta_line, "max_sum_points", meta["max_sum_points"])
            if meta.get("max_sum_points")
            else max(pos, default=1)
        )
        rmin, rmax = min([smin, *pos]), max([smax, *pos])
        if meta.get("max_points"):
            per_choice = max(_int(spath, meta_line, "max_points", meta["max_points"]), most_points)
    else:
        rmin, rmax = min(rmin, lo) if nonempty else rmin, max(rmax, hi)
    threshold = meta.get("min_project_score_threshold", "").strip()
    rule = Rule(
        kind=kind,
        min=rmin,
        max=rmax,
        budget=budget,
        # pabulib scores an ordinal ballot by its own length (n, n-1, ... 1), Cap Collectif by votesLimit
        rank_points=RankPoints.BALLOT_LENGTH,
        min_score=_int(spath, meta_line, "min_project_score_threshold", threshold) if threshold else 0,
        max_per_choice=per_choice,
    )
    outcome_rule = RULES.get(meta.get("rule", "").strip(), OutcomeRule.GREEDY)
    unit = meta.get("unit", "")
    place = " — ".join(x for x in (unit, meta.get("subunit", ""), meta.get("instance", "")) if x)
    title = Text.of(
        f"{meta.get('description') or 'Participatory budget'} ({place})"
        if place
        else meta.get("description") or p.stem,
        lang,
    )
    question = Question(
        id=QUESTION_ID, title=Text.of(meta.get("description") or "Projects", lang), rule=rule, choices=tuple(choices)
    )
    election = Election(
        id=eid,
        title=title,
        questions=(question,),
        languages=(lang,),
        outcome=outcome_rule,
        currency=meta.get("currency", "EUR") or "EUR",
        date_begin=_iso_day(meta.get("date_begin", "")),
        date_end=day,
        organiser=unit,
        extra=tuple(meta.items()),
    )
    return PabulibElection(
        election=election,
        ballots=tuple(ballots),
        votes=votes,
        selected=tuple(selected) if selected is not None else None,
        meta=meta,
        scores=scores,
        points=tuple(points) if points is not None else None,
        selected_values=selected_values,
        project_columns=project_columns,
    )


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
            "date_begin": _pb_day(election.date_begin),
            "date_end": _pb_day(election.date_end),
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
