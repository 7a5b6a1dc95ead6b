"""`load`: a `.pb` file read into a `PabulibElection` (see the package's contract); a broken
file raises `PabulibError(path, line, problem)` and nothing is half-loaded."""

from __future__ import annotations

import csv
import io
import math
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ballots.ballot import Ballot, BallotStatus, Channel
from ballots.election import Choice, Election, Money, OutcomeRule, Question, RankPoints, Rule, RuleKind, Text, money
from ballots.errors import PabulibError
from ballots.pabulib.format import (
    COUNTRY_LANG,
    DEVICE,
    QUESTION_ID,
    RULES,
    SECTIONS,
    VOTE_TYPES,
    PabulibElection,
    iso_day,
    slug,
)


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
                        raise PabulibError(path, line, f"la section {name} apparaît deux fois")
                    if current is not None:
                        self._close(current, header, rows, line)
                    current, header, rows = name, None, []
                    continue
                if current is None:
                    raise PabulibError(path, line, "il faut d'abord la section META")
                if header is None:
                    header = [h.strip() for h in row]
                    continue
                rows.append((line, row))
        except csv.Error as exc:
            raise PabulibError(path, reader.line_num, f"ligne illisible (« {exc} »)") from None
        if current is not None:
            self._close(current, header, rows, reader.line_num)
        for name in SECTIONS:
            if name not in self.sections:
                raise PabulibError(path, reader.line_num, f"la section {name} manque (fichier tronqué ?)")

    def _close(self, name: str, header: list[str] | None, rows: list[tuple[int, list[str]]], line: int) -> None:
        if header is None:
            raise PabulibError(self.path, line, f"la section {name} n'a pas de ligne d'en-tête")
        self.sections[name] = (header, rows)


def _int(path: str, line: int, what: str, value: str) -> int:
    """pabulib writes integers, sometimes as `400000.0`; anything fractional is refused."""
    v = value.strip()
    if len(v) > 30:  # no count in a ballot file has 30 digits; int() of 5 000 digits is slow
        raise PabulibError(path, line, f"{_what(what)} : « {v[:30]}… » n'est pas un nombre")
    try:
        return int(v)
    except ValueError:
        pass
    try:
        f = float(v)
    except ValueError:
        raise PabulibError(path, line, f"{_what(what)} : « {value} » n'est pas un nombre") from None
    if not math.isfinite(f):  # nan, inf, 1e400
        raise PabulibError(path, line, f"{_what(what)} : « {value} » n'est pas un nombre fini")
    if f != int(f):
        raise PabulibError(path, line, f"{_what(what)} : « {value} » n'est pas un nombre entier")
    return int(f)


def _money(path: str, line: int, what: str, value: str) -> Money:
    """pabulib's `budget` and `cost` are floats in the format; Urne keeps them as exact decimals."""
    try:
        if len(value.strip()) > 40:
            raise ValueError(value)
        return money(value)
    except ValueError:
        raise PabulibError(path, line, f"{_what(what)} : « {value} » n'est pas un nombre") from None


def _what(what: str) -> str:
    """A META key (`num_votes`) is quoted as the file spells it; a phrase (« coût du projet 3 ») is not."""
    return f"« {what} »" if what.replace("_", "").isalpha() and what.islower() else what


def _columns(path: str, header: list[str], required: Sequence[str], section: str, line: int) -> dict[str, int]:
    index = {h: i for i, h in enumerate(header)}
    for r in required:
        if r not in index:
            raise PabulibError(path, line, f"il manque à la section {section} la colonne « {r} »")
    return index


def load(path: str | os.PathLike[str]) -> PabulibElection:
    p = Path(path)
    spath = str(p)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PabulibError(spath, 1, f"ce n'est pas du texte UTF-8 (« {exc.reason} »)") from None
    r = _Reader(spath, text)

    mhead, mrows = r.sections["META"]
    meta: dict[str, str] = {}
    for line, row in mrows:
        if len(row) < 2:
            raise PabulibError(spath, line, "une ligne de META a besoin d'une clé et d'une valeur")
        meta[row[0].strip()] = ";".join(row[1:]).strip()
    meta_line = mrows[0][0] if mrows else 1
    vote_type = meta.get("vote_type", "approval").strip().lower()
    if vote_type not in VOTE_TYPES:
        allowed = ", ".join(f"« {t} »" for t in VOTE_TYPES)
        raise PabulibError(spath, meta_line, f"« vote_type » : « {vote_type} » n'est pas permis ({allowed})")
    if "budget" not in meta:
        raise PabulibError(spath, meta_line, "META n'a pas de « budget »")
    budget = _money(spath, meta_line, "budget", meta["budget"])
    if budget < 0:
        raise PabulibError(spath, meta_line, f"budget négatif : {meta['budget']}")

    phead, prows = r.sections["PROJECTS"]
    pidx = _columns(spath, phead, ("project_id", "cost"), "PROJECTS", prows[0][0] - 1 if prows else 1)
    lang = (meta.get("language") or COUNTRY_LANG.get(meta.get("country", "").strip().lower(), "en")).strip()
    choices: list[Choice] = []
    votes: dict[str, int] = {}
    scores: dict[str, int] | None = {} if "score" in pidx else None
    selected: list[str] | None = [] if "selected" in pidx else None
    selected_values: dict[str, str] = {}
    extra_cols = [h for h in phead if h not in ("project_id", "cost", "votes", "score", "selected")]
    project_columns: dict[str, dict[str, str]] = {}
    for line, row in prows:
        if len(row) != len(phead):
            raise PabulibError(spath, line, f"la ligne de projet a {len(row)} champs, l'en-tête {len(phead)}")
        pid = row[pidx["project_id"]].strip()
        if not pid:
            raise PabulibError(spath, line, "« project_id » vide")
        if pid in votes:
            raise PabulibError(spath, line, f"le projet « {pid} » apparaît deux fois")
        cost = _money(spath, line, f"coût du projet « {pid} »", row[pidx["cost"]])
        if cost < 0:
            raise PabulibError(spath, line, f"coût négatif pour le projet « {pid} »")
        votes[pid] = _int(spath, line, f"voix du projet « {pid} »", row[pidx["votes"]]) if "votes" in pidx else 0
        if scores is not None:
            scores[pid] = _int(spath, line, f"score du projet « {pid} »", row[pidx["score"]] or "0")
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
        raise PabulibError(spath, prows[0][0] if prows else 1, "aucun projet")
    known = set(votes)

    vhead, vrows = r.sections["VOTES"]
    vidx = _columns(spath, vhead, ("voter_id", "vote"), "VOTES", vrows[0][0] - 1 if vrows else 1)
    vi, vv, vp = vidx["voter_id"], vidx["vote"], vidx.get("points")
    eid = slug(p.stem)
    day = iso_day(meta.get("date_end", ""))
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
            raise PabulibError(
                spath, line, f"la ligne de vote a {len(row)} champs, l'en-tête {width} (fichier tronqué ?)"
            )
        voter = row[vi].strip()
        if voter in seen_ids:
            raise PabulibError(spath, line, f"« voter_id » : « {voter} » apparaît deux fois")
        seen_ids.add(voter)
        raw = row[vv]
        chosen = parsed.get(raw)
        if chosen is None:  # many voters cast the same vote: parse and check it once
            chosen = tuple(c.strip() for c in raw.split(",")) if raw.strip() else ()
            if not known.issuperset(chosen):
                bad = next(c for c in chosen if c not in known)
                raise PabulibError(spath, line, f"vote pour un projet inconnu « {bad} »")
            if len(set(chosen)) != len(chosen):
                raise PabulibError(spath, line, "le même projet apparaît deux fois dans un vote")
            parsed[raw] = chosen
        answer = chosen
        if points is not None and vp is not None:
            praw = row[vp].strip()
            pts = tuple(_int(spath, line, "points", x) for x in praw.split(",")) if praw else ()
            if len(pts) != len(chosen):
                raise PabulibError(spath, line, f"{len(chosen)} projets mais {len(pts)} points")
            if any(x < 0 for x in pts):
                raise PabulibError(spath, line, "points négatifs")
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
            spath, last, f"META annonce {declared} votes mais le fichier en contient {len(ballots)} (fichier tronqué ?)"
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
                f"le projet « {wrong[0]} » a {approvals[wrong[0]]} voix dans VOTES mais {votes[wrong[0]]} dans "
                "PROJECTS (fichier tronqué ou modifié ?)",
            )
    declared_p = meta.get("num_projects")
    if declared_p is not None and _int(spath, meta_line, "num_projects", declared_p) != len(choices):
        raise PabulibError(
            spath, meta_line, f"META annonce {declared_p} projets mais le fichier en liste {len(choices)}"
        )

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
        date_begin=iso_day(meta.get("date_begin", "")),
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
