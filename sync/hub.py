"""`urne hub`: the town's own central server (Flask on waitress).

Why Flask on waitress: both are pure Python and synchronous, which matches the store's single
SQLite writer (an async stack would only queue on the same lock); waitress is a production
WSGI server with a thread pool, request-size limits and clean handling of cut connections,
and it runs the same on the town-hall Windows laptop and on a Linux box.

Endpoints (JSON; every one but /v1/health needs `Authorization: Bearer <device token>`):
- `POST /v1/batches` with header `Idempotency-Key`: body {"device", "election",
  "election_fingerprint", "ballots": [...], "register": [...]} in the merge wire format.
  200 with the merge report once committed; the same key and body again → the stored
  response (header `Idempotent-Replayed: true`); the same key with another body → 422;
  other election → 409; bad token → 401; token of another device → 403; bad JSON → 400.
- `GET /v1/status`: election, counts, conflicts, duplicate voters, devices (batches, last day).
- `GET /v1/totals`: votes and points per choice, counted ballots only (conflicts held aside).
- `GET /v1/health`: liveness, no auth.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Flask, Response, request

from sync.hubstore import HubStorage

MAX_BODY = 256 * 1024 * 1024


def _json(status: int, body: dict[str, Any], **headers: str) -> Response:
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    for k, v in headers.items():
        resp.headers[k.replace("_", "-")] = v
    return resp


def create_app(storage: HubStorage) -> Flask:
    app = Flask("urne-hub")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY

    def device() -> str | None:
        auth = request.headers.get("Authorization", "")
        token = auth[7:].strip() if auth.startswith("Bearer ") else ""
        return storage.device_for_token(token)

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
        except ValueError:
            return _json(400, {"error": "bad-json", "detail": "the body is not JSON"})
        if not isinstance(payload, dict):
            return _json(400, {"error": "bad-batch", "detail": "the body must be a JSON object"})
        if payload.get("device") != dev:
            return _json(403, {"error": "wrong-device", "detail": f"this token belongs to {dev}"})
        result = storage.ingest(dev, key, hashlib.sha256(raw).hexdigest(), payload)
        if result.replayed:
            return _json(result.status, result.body, Idempotent_Replayed="true")
        return _json(result.status, result.body)

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

    return app


def serve(storage: HubStorage, host: str, port: int, *, threads: int = 4) -> None:
    """Serve until interrupted. Each batch is committed before its 200 is written, so a cut
    connection or a killed hub costs at most a resend, never a ballot."""
    from waitress import serve as waitress_serve

    waitress_serve(
        create_app(storage), host=host, port=port, threads=threads, ident="urne-hub", max_request_body_size=MAX_BODY
    )
