"""The vote-day dashboard, served by the hub at `/`: what the staff watch in a browser.

Why server-rendered Flask + Jinja: the hub already is Flask; a page rendered on the server
needs no build step and works on the oldest phone browser. A 40-line script only refreshes
the live part of the page (and can be paused, WCAG 2.2.2); without script, a link reloads.

Contract:
- Nothing but the login page, the static files and (if enabled, once the polls are closed)
  the public results page is readable without a staff session. A session is a signed cookie
  (HttpOnly, SameSite=Strict, Secure behind HTTPS) keyed by a secret every hub process shares
  through the storage; every POST carries the session's CSRF token.
- Staff sign in by name with their own account (`urne hub staff add NAME`), or, in a town,
  with the shared staff password (`urne staff-password`) and no name: scrypt hashes in the hub's
  storage (sync.staffstore). Without either, nobody can log in and the page says how to set
  one. Five wrong passwords from one address within five minutes lock that address out for a
  minute. Every sign-in, refusal, sign-out and polls change is audited with the person's name.
- A session is checked against the storage at EVERY request: an account removed, a password
  changed or the shared password changed ends the sessions opened with it at their next
  request, in every hub process, without a restart.
- Provisional totals appear only when the election allows them (`show_partial_results`) or
  once the polls are closed at the hub; the public results page only after the close.
- Every figure comes from the storage's `status()` and `totals()`, the same numbers the
  JSON API and `urne tally` give.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Request,
    Response,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.globals import request_ctx
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from ballots import publication
from ballots.election import Election
from ballots.store import Polls
from sync import staff, staffstore
from sync.dashboard_texts import TEXTS, age_minutes, ago, bar_chart
from sync.errors import HubStorageUnavailable
from sync.hubstore import HubStorage


@dataclass(frozen=True)
class DashboardOptions:
    stale_minutes: int = 15  # a station silent for longer is flagged
    refresh_seconds: int = 20
    public_results: bool = False  # a results page without login, once the polls are closed
    secure_cookies: bool = False  # set when the hub is behind HTTPS (the README's reverse proxy)


class _Throttle:
    """Wrong passwords per client address: five within five minutes lock it out for a minute."""

    def __init__(self) -> None:
        self.fails: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    def locked(self, who: str) -> bool:
        now = time.monotonic()
        with self.lock:
            recent = [t for t in self.fails.get(who, []) if now - t < 300]
            self.fails[who] = recent
            return len(recent) >= 5 and now - recent[-1] < 60

    def failed(self, who: str) -> None:
        with self.lock:
            self.fails.setdefault(who, []).append(time.monotonic())

    def clear(self, who: str) -> None:
        with self.lock:
            self.fails.pop(who, None)


class _Sessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, keyed by a secret every hub process shares through the
    storage (a session holds whichever process answers). The key is read when a page first
    needs a session, not at start-up, and never for the device API (/v1/), which must not
    depend on it. (A key read in a before-request hook came too late for the very first
    request: Flask opens the session before those hooks, so a fresh hub's /login failed.)"""

    def __init__(self, storage: HubStorage) -> None:
        self.storage = storage

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith("/v1/"):
            return None  # a null session: the device API has none
        if app.secret_key is None:
            try:
                app.secret_key = session_secret(self.storage)
            except HubStorageUnavailable:
                return None  # the request's own hook (below) answers 503: here it would be a 500
        return super().open_session(app, request)


def session_secret(storage: HubStorage) -> str:
    return str(storage.setting("session_secret", default=secrets.token_hex(32)))


def register(app: Flask, storage: HubStorage, options: DashboardOptions | None = None) -> None:
    opts = options or DashboardOptions()
    app.config.update(
        SESSION_COOKIE_NAME="urne_staff",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=opts.secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=14),  # a vote day, not longer
    )
    throttle = _Throttle()
    kept: list[staffstore.StaffAccounts] = []

    def accounts() -> staffstore.StaffAccounts:
        # Opened on the first page that needs it, not at start-up: the device API must not
        # depend on the dashboard's tables.
        if not kept:
            kept.append(staffstore.accounts_for(storage))
        return kept[0]

    app.session_interface = _Sessions(storage)
    bp = Blueprint(
        "dashboard", __name__, template_folder="templates", static_folder="static", static_url_path="/static/dashboard"
    )

    def lang() -> str:
        asked = request.args.get("lang") or request.cookies.get("urne_lang")
        if asked in TEXTS:
            return asked
        return request.accept_languages.best_match(["fr", "en"], default="fr") or "fr"

    def page(template: str, status: int = 200, **ctx: Any) -> Response:
        lg = lang()
        resp = make_response(render_template(template, t=TEXTS[lg], lang=lg, **ctx), status)
        if request.args.get("lang") in TEXTS:
            resp.set_cookie("urne_lang", lg, max_age=3600 * 24 * 30, samesite="Strict", httponly=True)
        return resp

    def csrf_token() -> str:
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        return str(session["csrf"])

    def csrf_ok() -> bool:
        sent = request.form.get("csrf", "")
        return bool(sent) and "csrf" in session and hmac.compare_digest(sent, str(session["csrf"]))

    def current_hash(name: str) -> str | None:
        """What the person's session was opened with, read now from the storage (not cached:
        `urne hub staff remove` and new passwords apply at once in every hub process)."""
        if name == staffstore.SHARED:
            return storage.setting("staff_password")
        return accounts().password_hash(name)

    def fingerprint(hashed: str) -> str:
        return hashlib.sha256(hashed.encode()).hexdigest()[:16]

    def staff_name() -> str | None:
        """The signed-in person, or None (a session whose account or password changed is ended)."""
        name, pw = session.get("staff"), session.get("pw")
        if not isinstance(name, str) or not isinstance(pw, str):
            return None
        hashed = current_hash(name)
        if hashed is None or not hmac.compare_digest(fingerprint(hashed), pw):
            session.clear()
            return None
        return name

    def signed_in() -> bool:
        return staff_name() is not None

    def audit(action: str, actor: str, **detail: Any) -> None:
        accounts().record(actor, action, {"address": request.remote_addr or "?", **detail})

    @bp.before_app_request
    def session_key() -> None:
        # The key could not be read when the session was opened (the database was down): read
        # it again here, where a database still down becomes the 503 + Retry-After answer.
        if app.secret_key is None and not request.path.startswith(("/v1/", "/static/")):
            app.secret_key = session_secret(storage)
            request_ctx.session = app.session_interface.open_session(app, request)  # type: ignore[misc,assignment]

    @bp.after_app_request
    def headers(resp: Response) -> Response:
        if request.path.startswith("/v1/"):
            return resp
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        if not request.path.startswith("/static/"):
            resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    def view_model(lg: str) -> dict[str, Any]:
        now = dt.datetime.now(dt.UTC)
        st = storage.status()
        election = storage.election()
        polls = st["polls"]
        # The one rule every front end applies (ballots.publication).
        pub = publication.of_status(st)
        show_totals = pub.allowed
        rows = []
        stale = 0
        for d in st["devices"]:
            age = age_minutes(d["last_seen"], now)
            if d["revoked"]:
                state = "revoked"
            elif d.get("audit_problem"):
                state = "audit_problem"  # its audit log went back or was rewritten (sync.heads)
            elif age is None:
                state = "never_synced"
            elif age > opts.stale_minutes:
                state = "stale"
            else:
                state = "ok"
            stale += state in ("stale", "never_synced")
            rows.append({**d, "ago": ago(d["last_seen"], now, lg), "state": state, "iso": d["last_seen"] or ""})
        return {
            "st": st,
            "election": election,
            "election_title": election.title.get(lg),
            "polls": polls,
            "devices": rows,
            "stale": stale,
            "stale_minutes": opts.stale_minutes,
            "charts": charts(election, lg) if show_totals else None,
            "show_totals": show_totals,
            "results_final": pub.final,
            # Why the figures are provisional, or not shown: the publication service's words.
            "why_provisional": pub.why_provisional(lg),
            "why_withheld": pub.why_withheld(lg),
            "refresh": opts.refresh_seconds,
            "updated": now.astimezone().strftime("%H:%M:%S"),
        }

    def charts(election: Election, lg: str) -> list[dict[str, Any]]:
        totals = storage.totals()
        out = []
        for q in election.questions:
            votes = totals["questions"].get(q.id, {}).get("votes", {})
            rows = sorted(
                ((q.choice(c).title.get(lg), int(votes.get(c, 0))) for c in q.choice_ids), key=lambda r: -r[1]
            )
            title = q.title.get(lg)
            out.append(
                {
                    "id": q.id,
                    "title": title,
                    "rows": rows,
                    "chart": bar_chart(rows, TEXTS[lg]["chart"].format(q=title)),
                    "blank": totals["questions"].get(q.id, {}).get("blank", 0),
                }
            )
        return out

    @bp.get("/")
    def index() -> Any:
        if not signed_in():
            return redirect(url_for("dashboard.login", lang=request.args.get("lang")))
        lg = lang()
        vm = view_model(lg)
        if request.args.get("partial") == "1":
            return page("dashboard/live.html", **vm)
        name = session.get("staff")
        shown = TEXTS[lg]["shared_session"] if name == staffstore.SHARED else name
        return page("dashboard/index.html", csrf=csrf_token(), who=shown, **vm)

    @bp.get("/login")
    def login() -> Any:
        if signed_in():
            return redirect(url_for("dashboard.index"))
        return page(
            "dashboard/login.html",
            csrf=csrf_token(),
            error=request.args.get("e"),
            configured=configured(),
        )

    def configured() -> bool:
        return bool(storage.setting("staff_password")) or bool(accounts().accounts())

    @bp.post("/login")
    def login_post() -> Any:
        who = request.remote_addr or "?"
        if not csrf_ok():
            return redirect(url_for("dashboard.login", e="expired"))
        name = request.form.get("name", "").strip()[:60]
        actor = name or staffstore.SHARED
        if throttle.locked(who):
            audit("staff.login_refused", actor, reason="locked")
            return page("dashboard/login.html", 429, csrf=csrf_token(), error="locked", configured=True, name=name)
        hashed = current_hash(actor)
        if not staff.verify(request.form.get("password", ""), hashed):
            throttle.failed(who)
            audit("staff.login_refused", actor, reason="unknown-name" if hashed is None else "bad-password")
            return page(
                "dashboard/login.html", 401, csrf=csrf_token(), error="bad_password", configured=True, name=name
            )
        assert hashed is not None
        throttle.clear(who)
        session.clear()
        session.permanent = True
        session["staff"] = actor
        session["pw"] = fingerprint(hashed)  # the session ends when this password changes
        session["csrf"] = secrets.token_urlsafe(32)  # a new token after login (no fixation)
        audit("staff.login", actor)
        return redirect(url_for("dashboard.index"))

    @bp.post("/logout")
    def logout() -> Any:
        if csrf_ok():
            name = staff_name()
            if name is not None:
                audit("staff.logout", name)
            session.clear()
        return redirect(url_for("dashboard.login"))

    @bp.post("/polls")
    def polls() -> Any:
        name = staff_name()
        if name is None:
            abort(401)
        if not csrf_ok():
            abort(403)
        state = request.form.get("state")
        if state not in (Polls.CLOSED.value, Polls.OPEN.value):
            abort(400)
        storage.set_polls(Polls(state), actor=f"dashboard:{name}")
        audit("staff.polls", name, state=state)
        return redirect(url_for("dashboard.index"))

    @bp.get("/results")
    def results() -> Any:
        if not opts.public_results or storage.polls() is not Polls.CLOSED:
            abort(404)
        lg = lang()
        vm = view_model(lg)
        return page("dashboard/results.html", **vm)

    app.register_blueprint(bp)
