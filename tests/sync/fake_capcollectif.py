"""A fake Cap Collectif on 127.0.0.1: the real internal schema executed by graphql-core,
resolvers backed by an in-memory platform, `/login_check` handing out a session cookie."""

from __future__ import annotations

import base64
import json
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graphql import GraphQLError, GraphQLSchema, build_schema, graphql_sync
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from tests.conftest import CAPCOLLECTIF  # noqa: E402

SCHEMA_FILE = CAPCOLLECTIF / "schema.internal.graphql"
# The one defect of the published SDL dump (an empty default value); nothing Urne uses.
KNOWN_SCHEMA_DEFECTS = {"AppLogOrder.field has invalid default value"}


@cache
def internal_schema() -> GraphQLSchema:
    return build_schema(SCHEMA_FILE.read_text(encoding="utf-8"), assume_valid=True)


def gid(kind: str, n: int | str) -> str:
    return base64.b64encode(f"{kind}:{n}".encode()).decode()


@dataclass
class FakePlatform:
    username: str = "admin@mairie.fr"
    password: str = "s3cret"
    step_id: str = field(default_factory=lambda: gid("SelectionStep", "vote-2026"))
    vote_type: str = "SIMPLE"
    votes_limit: int | None = 5
    votes_min: int | None = 1
    budget: int | None = None
    ranked: bool = False
    proposals: list[dict[str, Any]] = field(default_factory=list)
    paper: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    calls: Counter[str] = field(default_factory=Counter)
    sessions: set[str] = field(default_factory=set)
    drop_writes_for: set[str] = field(default_factory=set)  # proposals whose update the platform "loses"
    closed: bool = False  # the step is no longer votable: STEP_NOT_VOTABLE
    email_confirmed: bool = True  # shield mode and an unconfirmed e-mail: login answers success false
    denied: set[str] = field(default_factory=set)  # proposals the account may not edit

    def add_proposals(self, n: int, *, form_ref: str = "3") -> None:
        for i in range(1, n + 1):
            self.proposals.append(
                {"id": gid("Proposal", i), "ref": f"{form_ref}-{i}", "title": f"Projet n°{i}", "estimation": 1000.0 * i}
            )

    # -- resolvers -----------------------------------------------------------------------

    def _proposal(self, p: dict[str, Any]) -> dict[str, Any]:
        def reference(info: Any, full: bool | None = None) -> str:
            return p["ref"] if full else p["ref"].split("-")[-1]

        def count(info: Any, stepId: str | None = None) -> int:  # noqa: N803 - GraphQL argument name
            return self.paper.get((p["id"], stepId or self.step_id), (0, 0))[0]

        def points(info: Any, stepId: str | None = None) -> int:  # noqa: N803
            return self.paper.get((p["id"], stepId or self.step_id), (0, 0))[1]

        return {
            "__typename": "Proposal",
            "id": p["id"],
            "reference": reference,
            "title": p["title"],
            "estimation": p["estimation"],
            "paperVotesTotalCount": count,
            "paperVotesTotalPointsCount": points,
        }

    def _step(self) -> dict[str, Any]:
        def proposals(info: Any, first: int = 100, after: str | None = None, **_: Any) -> dict[str, Any]:
            start = int(after) if after else 0
            page = self.proposals[start : start + first]
            end = start + len(page)
            return {
                "totalCount": len(self.proposals),
                "pageInfo": {
                    "hasNextPage": end < len(self.proposals),
                    "endCursor": str(end),
                    "hasPreviousPage": start > 0,
                },
                "edges": [{"cursor": str(start + i + 1), "node": self._proposal(p)} for i, p in enumerate(page)],
            }

        return {
            "__typename": "SelectionStep",
            "id": self.step_id,
            "title": "Vote du budget participatif",
            "voteType": self.vote_type,
            "votesLimit": self.votes_limit,
            "votesMin": self.votes_min,
            "budget": self.budget,
            "votesRanking": self.ranked,
            "proposals": proposals,
        }

    def root(self) -> dict[str, Any]:
        def node(info: Any, id: str) -> dict[str, Any] | None:  # noqa: A002 - GraphQL argument name
            if id == self.step_id:
                return self._step()
            for p in self.proposals:
                if p["id"] == id:
                    return self._proposal(p)
            return None

        def update(info: Any, input: dict[str, Any]) -> dict[str, Any] | None:  # noqa: A002
            # UpdateProposalStepPaperVoteCounterMutation: isGranted() false is a top-level
            # "Access denied to this field." (HTTP 200, null field); a UserError is returned as
            # ['error' => CODE], a key the payload type lacks: the client sees errorCode null
            # and proposal null. The fake returns exactly that shape.
            if input["proposal"] in self.denied:
                raise GraphQLError("Access denied to this field.")
            found = [p for p in self.proposals if p["id"] == input["proposal"]]
            if not found:
                return {"error": "PROPOSAL_NOT_FOUND"}
            if input["step"] != self.step_id:
                return {"error": "STEP_NOT_FOUND"}
            if self.closed:
                return {"error": "STEP_NOT_VOTABLE"}
            if input["proposal"] not in self.drop_writes_for:
                self.paper[(input["proposal"], input["step"])] = (input["totalCount"], input["totalPointsCount"])
            return {"proposal": self._proposal(found[0])}

        return {"node": node, "updateProposalStepPaperVoteCounter": update}

    # -- HTTP ----------------------------------------------------------------------------

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        req = Request(environ)
        if req.path == "/login_check" and req.method == "POST":
            body = req.get_json(silent=True) or {}
            self.calls["login_check"] += 1
            if body.get("username") != self.username or body.get("password") != self.password:
                return Response(json.dumps({"message": "Bad credentials."}), 401, mimetype="application/json")(
                    environ, start_response
                )
            token = secrets.token_hex(8)
            if not self.email_confirmed:
                # SecurityController::loginAction under shield mode: the session is invalidated
                # (a fresh, logged-out cookie is still sent) and the answer is 200
                body = {"success": False, "reason": "please-confirm-your-email-address-to-login"}
                resp = Response(json.dumps(body), 200, mimetype="application/json")
                resp.set_cookie("PHPSESSID", token, httponly=True)
                return resp(environ, start_response)
            self.sessions.add(token)
            resp = Response(json.dumps({"success": True}), 200, mimetype="application/json")
            resp.set_cookie("PHPSESSID", token, httponly=True)
            return resp(environ, start_response)
        if req.path == "/graphql/internal" and req.method == "POST":
            body = req.get_json()
            if req.cookies.get("PHPSESSID") not in self.sessions:
                # an anonymous viewer on the internal API: access denied as a GraphQL error, HTTP 200
                denied = {"errors": [{"message": "Access denied to this field."}], "data": None}
                return Response(json.dumps(denied), 200, mimetype="application/json")(environ, start_response)
            self.calls[body.get("operationName") or "graphql"] += 1
            result = graphql_sync(
                internal_schema(),
                body["query"],
                root_value=self.root(),
                variable_values=body.get("variables"),
                operation_name=body.get("operationName"),
            )
            out: dict[str, Any] = {"data": result.data}
            if result.errors:
                out["errors"] = [{"message": e.message} for e in result.errors]
            return Response(json.dumps(out), 200, mimetype="application/json")(environ, start_response)
        return Response("not found", 404)(environ, start_response)


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class Served:
    def __init__(self, platform: FakePlatform) -> None:
        self.platform = platform
        self.server = make_server("127.0.0.1", 0, platform.wsgi, threaded=True, request_handler=_Quiet)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join(5)
