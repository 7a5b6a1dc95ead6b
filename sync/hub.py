"""`urne hub`: the town's own central server (Flask on waitress).

Why Flask on waitress: both are pure Python and synchronous, which matches the store's single
SQLite writer (an async stack would only queue on the same lock); waitress is a production
WSGI server with a thread pool, request-size limits and clean handling of cut connections,
and it runs the same on the town-hall Windows laptop and on a Linux box.

Endpoints (JSON; every one but /v1/health needs `Authorization: Bearer <device token>`):
- `POST /v1/batches` with header `Idempotency-Key`: body {"device", "election",
  "election_fingerprint", "ballots": [...], "register": [...], "audit_head": "SEQ:HASH"} in
  the merge wire format; the device's audit head is kept per device (sync.heads).
  200 with the merge report once committed; the same key and body again → the stored
  response (header `Idempotent-Replayed: true`); the same key with another body → 422;
  other election → 409; bad token → 401; token of another device → 403; bad JSON → 400;
  more than MAX_BATCH_RECORDS records → 413. Every 200 carries `ack`, the HMAC of
  sync.ack over (device, key, SHA-256 of the body): the device marks the batch sent on it only.
- `GET /v1/status`: election, counts, conflicts, duplicate voters, devices (batches, last day).
- `GET /v1/totals`: votes and points per choice, counted ballots only (conflicts held aside).
- `GET /v1/health`: liveness, no auth.
- `/`, `/login`, `/results`: the staff's vote-day dashboard (sync/dashboard.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, request

from sync import ack, heads
from sync.dashboard import DashboardOptions
from sync.errors import HubStorageUnavailable
from sync.hubstore import HubStorage

log = logging.getLogger(__name__)

# A batch is at most client.BATCH_SIZE (1 000) records of ~200 bytes: 8 MB and 5 000 records
# leave room for long ballots while bounding what one device can make the single writer do.
MAX_BODY = 8 * 1024 * 1024
MAX_BATCH_RECORDS = 5000


@dataclass(frozen=True)
class HubLimits:
    """What keeps the hub up when clients are slow, broken or hostile (see README, "A hub
    that stays up"). Times in seconds. A connection is closed when its request headers take
    longer than `header_timeout`, when a whole request takes longer than `request_timeout`
    (dribbling a body), or when it sits idle between requests for `idle_timeout`."""

    header_timeout: float = 10.0
    request_timeout: float = 120.0
    idle_timeout: float = 30.0
    connection_limit: int = 1000
    max_body: int = MAX_BODY
    max_header: int = 16 * 1024


def _json(status: int, body: dict[str, Any], **headers: str) -> Response:
    if status >= 400:  # every refusal says why, in the hub's log (never the ballots' content)
        log.warning(
            "refused %s %s from %s: %s %s", request.method, request.path, request.remote_addr, status, body.get("error")
        )
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    for k, v in headers.items():
        resp.headers[k.replace("_", "-")] = v
    return resp


def create_app(storage: HubStorage, dashboard_options: DashboardOptions | None = None) -> Flask:
    app = Flask("urne-hub", static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY

    def token() -> str:
        auth = request.headers.get("Authorization", "")
        return auth[7:].strip() if auth.startswith("Bearer ") else ""

    def device() -> str | None:
        tok = token()
        return storage.device_for_token(tok) if 0 < len(tok) <= 200 else None

    @app.errorhandler(HubStorageUnavailable)
    def storage_unavailable(exc: HubStorageUnavailable) -> Response:
        # Nothing was committed: the station keeps its backlog and resends after Retry-After.
        app.logger.warning("%s", exc)
        return _json(
            503, {"error": "storage-unavailable", "detail": "the hub's database is unavailable"}, Retry_After="5"
        )

    @app.get("/v1/health")
    def health() -> Response:
        return _json(200, {"ok": True})

    @app.post("/v1/batches")
    def batches() -> Response:
        dev = device()
        if dev is None:
            return _json(
                401, {"error": "unknown-token", "detail": "enrol this device on the hub ('urne device enrol')"}
            )
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 200:
            return _json(400, {"error": "idempotency-key-missing", "detail": "send an Idempotency-Key header"})
        raw = request.get_data(cache=False)
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: thousands of nested '['
            return _json(400, {"error": "bad-json", "detail": "the body is not JSON"})
        if not isinstance(payload, dict):
            return _json(400, {"error": "bad-batch", "detail": "the body must be a JSON object"})
        if payload.get("device") != dev:
            return _json(403, {"error": "wrong-device", "detail": f"this token belongs to {dev}"})
        records = [payload.get("ballots", []), payload.get("register", [])]
        if not all(isinstance(r, list) for r in records):
            return _json(400, {"error": "bad-batch", "detail": "ballots and register must be lists"})
        if sum(len(r) for r in records) > MAX_BATCH_RECORDS:
            return _json(
                413, {"error": "batch-too-large", "detail": f"send at most {MAX_BATCH_RECORDS} records per batch"}
            )
        try:
            heads.parse(payload.get("audit_head"))
        except heads.BadHead as exc:
            return _json(400, {"error": "bad-batch", "detail": str(exc)})
        body_sha = hashlib.sha256(raw).hexdigest()
        result = storage.ingest(dev, key, body_sha, payload)
        body = result.body
        if result.status == 200:
            body = {**body, "ack": ack.sign(ack.token_key(token()), dev, key, body_sha)}
        if result.replayed:
            return _json(result.status, body, Idempotent_Replayed="true")
        return _json(result.status, body)

    @app.errorhandler(413)
    def too_large(_exc: Exception) -> Response:
        return _json(413, {"error": "body-too-large", "detail": f"a batch body is at most {MAX_BODY} bytes"})

    @app.get("/v1/status")
    def status() -> Response:
        if device() is None:
            return _json(401, {"error": "unknown-token", "detail": "a device token is needed"})
        return _json(200, storage.status())

    @app.get("/v1/totals")
    def totals() -> Response:
        if device() is None:
            return _json(401, {"error": "unknown-token", "detail": "a device token is needed"})
        return _json(200, storage.totals())

    from sync import dashboard

    dashboard.register(app, storage, dashboard_options)  # the staff's browser view at /
    return app


def make_server(
    storage: HubStorage,
    host: str,
    port: int,
    *,
    threads: int = 4,
    limits: HubLimits = HubLimits(),
    dashboard: DashboardOptions | None = None,
) -> Any:
    """A waitress server with the limits applied; `.run()` serves, `.close()` stops.

    Waitress has an idle timeout (channel_timeout) but none for a request that arrives one
    byte at a time, which kept ~100 dribbling connections open for ever and stopped the hub at
    waitress's default connection limit. Its periodic maintenance also closes, here, a
    connection whose request is unfinished after header_timeout (headers) or request_timeout.
    Only complete requests reach the thread pool, so open connections cost no thread."""
    from waitress.server import create_server

    server = create_server(
        create_app(storage, dashboard),
        host=host,
        port=port,
        threads=threads,
        ident="urne-hub",
        max_request_body_size=limits.max_body,
        max_request_header_size=limits.max_header,
        channel_timeout=int(max(1, limits.idle_timeout)),
        connection_limit=limits.connection_limit,
        cleanup_interval=1,
    )
    idle_maintenance = server.maintenance

    def maintenance(now: float) -> None:
        idle_maintenance(now)
        for channel in list(server.active_channels.values()):
            req = channel.request  # the request being received (None between requests)
            if req is None or channel.requests:
                continue
            started = getattr(req, "urne_started", None)
            if started is None:
                req.urne_started = now
                continue
            late = now - started > (limits.request_timeout if req.headers_finished else limits.header_timeout)
            if late and not channel.will_close:
                log.info("closing a connection from %s: request too slow", channel.addr)
                channel.will_close = True

    server.maintenance = maintenance
    return server


def serve(
    storage: HubStorage,
    host: str,
    port: int,
    *,
    threads: int = 4,
    limits: HubLimits = HubLimits(),
    dashboard: DashboardOptions | None = None,
) -> None:
    """Serve until interrupted. Each batch is committed before its 200 is written, so a cut
    connection or a killed hub costs at most a resend, never a ballot."""
    server = make_server(storage, host, port, threads=threads, limits=limits, dashboard=dashboard)
    server.run()
