"""Purpoz / Cap Collectif adapter: read a step to make the election, push paper totals.

Contracts (every call raises PurpozError naming the operation, never half-reports):
- `PurpozSession.login(username, password)`: `POST /login_check` with JSON; success is a 2xx
  answer that leaves a session cookie. Wrong credentials → PurpozError("connexion", ...).
- `PurpozSession.execute(document, variables)`: one `POST /graphql/internal` with the session
  cookie; GraphQL `errors`, HTTP errors and timeouts raise.
- `read_step(session, step_id)`: the step's rule and all its proposals (100 per page).
- `election_from_step(step)`: an Election whose choice ids are the proposals' full references
  (the same references Cap Collectif's back-office CSV uses), costs from `estimation`.
- `push(session, step, totals, dry_run=...)`: one `updateProposalStepPaperVoteCounter` per
  proposal with the deduplicated ABSOLUTE totals (so a repeat is harmless), then one read-back
  of `paperVotesTotalCount` / `paperVotesTotalPointsCount`; returns what differs. In dry-run
  mode nothing is written: the result lists what would be sent.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from ballots.ballot import Ballot
from ballots.election import Choice, Election, Question, RegisterMode, Rule, RuleKind, Text, money
from ballots.tally import tally
from sync import purpoz_queries as Q
from sync.errors import PurpozError


@dataclass(frozen=True)
class ProposalInfo:
    id: str
    reference: str
    title: str
    estimation: float | None


@dataclass(frozen=True)
class StepInfo:
    id: str
    title: str
    vote_type: str  # SIMPLE, BUDGET or DISABLED
    votes_limit: int | None
    votes_min: int | None
    budget: int | None
    ranked: bool
    proposals: tuple[ProposalInfo, ...]


@dataclass(frozen=True)
class PaperTotal:
    proposal: str
    reference: str
    votes: int
    points: int


@dataclass(frozen=True)
class PushResult:
    dry_run: bool
    sent: tuple[PaperTotal, ...]
    calls: int  # mutation calls made (one per proposal)
    errors: tuple[tuple[str, str], ...]  # (reference, what the platform said, or that it kept nothing)
    differences: tuple[tuple[str, int, int, int, int], ...]  # (reference, sent votes, read votes, sent pts, read pts)
    not_on_platform: tuple[str, ...]  # choice ids of the election the step does not have
    not_in_election: tuple[str, ...]  # references the election does not have (left untouched)


def choice_id(reference: str) -> str:
    """A platform reference as an Urne choice id (letters, digits, '-', '_', '.')."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", reference).strip("-")[:64] or "x"


class PurpozSession:
    def __init__(self, base_url: str, *, timeout: float = 20.0, http: requests.Session | None = None) -> None:
        if not base_url:
            raise PurpozError("configuration", "pas de base_url dans la section [purpoz] de config.toml")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.http = http or requests.Session()
        self.calls: Counter[str] = Counter()

    def login(self, username: str, password: str) -> None:
        if not username or not password:
            raise PurpozError(
                "connexion",
                "il faut un nom d'utilisateur et un mot de passe (le mot de passe vient d'une variable d'environnement)",
            )
        try:
            r = self.http.post(
                self.base_url + "/login_check", json={"username": username, "password": password}, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise PurpozError("connexion", f"{self.base_url} ne répond pas ({type(exc).__name__})") from exc
        self.calls["login_check"] += 1
        if r.status_code >= 400:
            raise PurpozError(
                "connexion", f"refusée (HTTP {r.status_code}) : vérifiez le nom d'utilisateur et le mot de passe"
            )
        # The platform answers 200 {"success": false[, "reason": ...]} when it does not log in
        # (e-mail not confirmed under shield mode), and still sets a (logged-out) session cookie.
        try:
            body = r.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or body.get("success") is not True:
            reason = body.get("reason") if isinstance(body, dict) else None
            if reason == "please-confirm-your-email-address-to-login":
                raise PurpozError(
                    "connexion", "refusée : l'adresse e-mail du compte n'est pas confirmée sur la plateforme"
                )
            why = f"« {reason} »" if reason else "la plateforme ne l'a pas confirmée"
            raise PurpozError("connexion", f"refusée ({why})")
        if not self.http.cookies:
            raise PurpozError("connexion", "aucun cookie de session n'a été renvoyé")

    def execute(self, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        name = re.search(r"(?:query|mutation)\s+(\w+)", document)
        op = name.group(1) if name else "graphql"
        try:
            r = self.http.post(
                self.base_url + "/graphql/internal",
                json={"query": document, "variables": variables, "operationName": op},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise PurpozError(op, f"{self.base_url} ne répond pas ({type(exc).__name__})") from exc
        self.calls[op] += 1
        if r.status_code in (401, 403):
            raise PurpozError(
                op, f"non autorisé (HTTP {r.status_code}) : la session a expiré ou le compte n'est pas administrateur"
            )
        try:
            data = r.json()
        except ValueError as exc:
            raise PurpozError(op, f"HTTP {r.status_code}, pas une réponse GraphQL") from exc
        if data.get("errors"):  # HTTP 200 all the same: access denied comes this way
            said = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in data["errors"])
            if "access denied" in said.lower():
                raise PurpozError(
                    op, f"non autorisé (« {said} ») : la session a expiré ou le compte ne peut pas modifier ceci"
                )
            raise PurpozError(op, f"la plateforme répond « {said} »")
        if r.status_code >= 400 or "data" not in data:
            raise PurpozError(op, f"HTTP {r.status_code}")
        return dict(data["data"])


def _pages(session: PurpozSession, document: str, step_id: str) -> Iterable[tuple[dict[str, Any], dict[str, Any]]]:
    after: str | None = None
    while True:
        data = session.execute(document, {"step": step_id, "after": after})
        node = data.get("node")
        if not node or "proposals" not in node:
            raise PurpozError("lecture de l'étape", f"étape {step_id} introuvable ou sans propositions")
        conn = node["proposals"]
        for edge in conn.get("edges") or []:
            if edge and edge.get("node"):
                yield node, edge["node"]
        if not conn["pageInfo"]["hasNextPage"]:
            return
        after = conn["pageInfo"]["endCursor"]


def read_step(session: PurpozSession, step_id: str) -> StepInfo:
    head: dict[str, Any] = {}
    proposals: list[ProposalInfo] = []
    for node, p in _pages(session, Q.STEP_PROPOSALS, step_id):
        head = node
        proposals.append(ProposalInfo(p["id"], p["reference"], p["title"], p.get("estimation")))
    if not head:
        data = session.execute(Q.STEP_PROPOSALS, {"step": step_id, "after": None})
        head = data.get("node") or {}
    return StepInfo(
        id=step_id,
        title=str(head.get("title", step_id)),
        vote_type=str(head.get("voteType", "DISABLED")),
        votes_limit=head.get("votesLimit"),
        votes_min=head.get("votesMin"),
        budget=head.get("budget"),
        ranked=bool(head.get("votesRanking")),
        proposals=tuple(proposals),
    )


def election_from_step(step: StepInfo, *, election_id: str | None = None) -> Election:
    if step.vote_type == "DISABLED":
        raise PurpozError("lecture de l'étape", f"l'étape {step.id} (« {step.title} ») n'a pas de vote")
    if not step.proposals:
        raise PurpozError("lecture de l'étape", f"l'étape {step.id} (« {step.title} ») n'a pas de proposition")
    choices = tuple(
        Choice(
            id=choice_id(p.reference),
            title=Text.of(p.title),
            cost=money(repr(p.estimation)) if p.estimation else 0,
            platform_ids=(("capcollectif", p.reference),),
        )
        for p in step.proposals
    )
    n = len(choices)
    limit = min(step.votes_limit or n, n)
    if step.ranked:
        # the platform gives the first place votesLimit points even when the step has fewer
        # proposals than that: paper points on the same scale as online points
        rule = Rule(RuleKind.RANKED, min=min(step.votes_min or 1, limit), max=limit, points_scale=step.votes_limit or 0)
    elif step.vote_type == "BUDGET":
        budget = money(repr(step.budget)) if step.budget else 0
        rule = Rule(RuleKind.BUDGET, min=min(step.votes_min or 1, limit), max=limit, budget=budget)
    else:
        rule = Rule(RuleKind.APPROVAL, min=min(step.votes_min or 1, limit), max=limit)
    eid = election_id or "purpoz-" + hashlib.sha256(step.id.encode()).hexdigest()[:10]
    return Election(
        id=eid,
        title=Text.of(step.title),
        questions=(Question(id="propositions", title=Text.of(step.title), rule=rule, choices=choices),),
        register=RegisterMode.ATTEST,
    )


def paper_totals(
    election: Election, ballots: Iterable[Ballot], step: StepInfo, *, question: str | None = None
) -> list[PaperTotal]:
    """Deduplicated totals of the counted ballots, one per platform proposal the election has."""
    q = election.question(question) if question else election.questions[0]
    t = tally(election, ballots).question(q.id)
    votes, points = t.votes(), t.points()
    out = []
    by_reference = {c.platform_id("capcollectif") or c.id: c.id for c in q.choices}
    for p in step.proposals:
        cid = by_reference.get(p.reference, choice_id(p.reference))
        if cid in votes:
            # Points only mean something on ranked steps; elsewhere the platform ignores them.
            out.append(PaperTotal(p.id, p.reference, votes[cid], points[cid] if step.ranked else 0))
    return out


def read_back(session: PurpozSession, step_id: str) -> dict[str, tuple[int, int]]:
    return {
        p["id"]: (int(p["paperVotesTotalCount"]), int(p["paperVotesTotalPointsCount"]))
        for _, p in _pages(session, Q.PAPER_VOTES, step_id)
    }


def push(
    session: PurpozSession, election: Election, step: StepInfo, totals: list[PaperTotal], *, dry_run: bool
) -> PushResult:
    q = election.questions[0]
    known = {p.reference for p in step.proposals}
    not_on_platform = tuple(c.id for c in q.choices if (c.platform_id("capcollectif") or c.id) not in known)
    sent_refs = {t.reference for t in totals}
    not_in_election = tuple(p.reference for p in step.proposals if p.reference not in sent_refs)
    if dry_run:
        return PushResult(True, tuple(totals), 0, (), (), not_on_platform, not_in_election)
    errors: list[tuple[str, str]] = []
    calls = 0
    for t in totals:
        variables = {
            "input": {"proposal": t.proposal, "step": step.id, "totalCount": t.votes, "totalPointsCount": t.points}
        }
        calls += 1
        try:
            data = session.execute(Q.UPDATE_PAPER_VOTES, variables)
        except PurpozError as exc:  # access denied comes as a GraphQL error with HTTP 200
            errors.append((t.reference, exc.problem))
            continue
        # The platform's mutation returns its user error (PROPOSAL_NOT_FOUND, STEP_NOT_FOUND,
        # STEP_NOT_VOTABLE) under a key the payload type does not have: what arrives is a null
        # `proposal` and a null `errorCode`. A null proposal is a failure whatever errorCode says.
        payload = data.get("updateProposalStepPaperVoteCounter") or {}
        proposal = payload.get("proposal") or {}
        if payload.get("errorCode") or proposal.get("id") != t.proposal:
            code = payload.get("errorCode")
            errors.append(
                (
                    t.reference,
                    str(code)
                    if code
                    else "not saved (the platform gives no reason: proposal unknown, step not found or closed)",
                )
            )
    now = read_back(session, step.id)
    diffs = []
    for t in totals:
        got = now.get(t.proposal, (-1, -1))
        if got != (t.votes, t.points):
            diffs.append((t.reference, t.votes, got[0], t.points, got[1]))
    return PushResult(False, tuple(totals), calls, tuple(errors), tuple(diffs), not_on_platform, not_in_election)


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_election_toml(election: Election, path: str | Path, *, step_id: str = "") -> Path:
    """The pulled election as an election file every kiosk can `urne init --election`."""
    lines = [
        f"# Made by 'urne purpoz pull' from Cap Collectif step {step_id}",
        f"id = {_toml_str(election.id)}",
        f"title.fr = {_toml_str(election.title.get('fr'))}",
        f"register = {_toml_str(election.register.value)}",
        f"outcome = {_toml_str(election.outcome.value)}",
    ]
    for q in election.questions:
        lines += [
            "",
            "[[questions]]",
            f"id = {_toml_str(q.id)}",
            f"title.fr = {_toml_str(q.title.get('fr'))}",
            f"rule = {_toml_str(q.rule.kind.value)}",
            f"min = {q.rule.min}",
            f"max = {q.rule.max}",
        ]
        if q.rule.points_scale:
            lines.append(f"points_scale = {q.rule.points_scale}  # the step's votesLimit: first place's points")
        if q.rule.kind is RuleKind.BUDGET:
            b = q.rule.budget
            lines.append(f"budget = {b}" if isinstance(b, int) else f'budget = "{b}"')
        for c in q.choices:
            lines += [
                "",
                "[[questions.choices]]",
                f"id = {_toml_str(c.id)}",
                f"title.fr = {_toml_str(c.title.get('fr'))}",
            ]
            if c.cost:
                lines.append(f"cost = {c.cost}" if isinstance(c.cost, int) else f'cost = "{c.cost}"')
            if c.platform_ids:
                ids = ", ".join(f"{k} = {_toml_str(v)}" for k, v in c.platform_ids)
                lines.append(f"ids = {{ {ids} }}")
    p = Path(path)
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p
