"""Pushing this device's outbox to the hub, and what the kiosk shows about it.

Contract of `push()`: claims the outbox in batches, POSTs each with an Idempotency-Key
derived from its content (a resend after any failure reuses it), and marks a batch sent only
on the hub's own acknowledgement of that batch (sync.ack: an HMAC keyed by the device token
over the device, the key and the SHA-256 of the body), never on a bare HTTP 200. Redirects are
not followed. A network error, a timeout, a cut connection, a 5xx, a redirect or a 200 without
a valid acknowledgement (a captive portal, a login page, `{"ok": false}`) puts the batch back
to pending and raises HubUnreachable; a 4xx puts it back and raises HubRefused (retrying would
not help: a person must look). Either way nothing is lost and nothing is counted twice.

`run()` pushes whenever the hub is reachable, waiting with exponential back-off and full jitter
after failures. `status()` is what the kiosk shows: last synced, backlog, last error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from ballots.store import Store
from sync import ack, heads, outbox, provenance
from sync.config import SyncConfig

BATCH_SIZE = 1000


@dataclass(frozen=True)
class SyncStatus:
    hub_url: str
    backlog: int
    last_synced: str | None  # local time to the minute, "2026-11-25 14:32"
    last_error: str | None

    def line(self) -> str:
        """One line for the kiosk's staff screen."""
        if not self.hub_url:
            return f"pas de hub configuré — {self.backlog} à transmettre (clé USB)"
        when = self.last_synced or "jamais"
        text = f"dernière synchro : {when} — {self.backlog} en attente"
        return text + (f" — erreur : {self.last_error}" if self.last_error else "")


@dataclass(frozen=True)
class PushReport:
    batches: int
    sent: int
    accepted_new: int
    replayed: int  # batches the hub had already committed (answered from its idempotency store)


def status(store: Store, hub_url: str = "") -> SyncStatus:
    return SyncStatus(
        hub_url, outbox.backlog(store), store.get_meta("sync:last_synced"), store.get_meta("sync:last_error")
    )


def _now() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M")


@dataclass
class Backoff:
    """Exponential back-off with full jitter: wait uniform(0, min(cap, base * 2**n))."""

    base: float = 5.0
    cap: float = 600.0
    failures: int = 0
    rng: random.Random = field(default_factory=random.SystemRandom)

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.base * (2**self.failures))
        self.failures += 1
        return self.rng.uniform(0, ceiling)

    def reset(self) -> None:
        self.failures = 0


def batch_payload(
    store: Store, batch: outbox.Batch, *, backlog: int | None = None
) -> tuple[dict[str, object], outbox.Batch]:
    """The JSON body for `batch` and the part of it that belongs to the current election.
    `backlog`: what this device will still hold once the batch is acknowledged (for the
    hub's dashboard)."""
    election = store.election()
    ballots, register = outbox.load(store, election.id, batch)
    payload: dict[str, object] = {
        "device": store.device,
        "election": election.id,
        "election_fingerprint": election.fingerprint,
        "ballots": provenance.signed_wire(store, ballots),
        "register": provenance.signed_register_wire(store, register),
        # This device's audit head, anchored at the hub with every batch (sync.heads); inside
        # the body, so the hub's acknowledgement covers it.
        "audit_head": heads.text(heads.of_store(store)),
    }
    if backlog is not None:
        payload["backlog"] = backlog
    sent = outbox.Batch(tuple(b.id for b in ballots), tuple(f"{e.election}:{e.fingerprint}" for e in register))
    return payload, sent


def _acknowledged(resp: requests.Response, token: str, device: str, key: str, body_sha: str) -> dict[str, Any] | None:
    """The hub's answer if it carries a valid acknowledgement of exactly this batch, else None."""
    try:
        answer = json.loads(resp.content[:1_000_000])
    except (ValueError, RecursionError):
        return None
    if not isinstance(answer, dict) or answer.get("ok") is not True or answer.get("key") != key:
        return None
    if not ack.valid(token, device, key, body_sha, answer.get("ack")):
        return None
    return answer


# What the hub says when it refuses a batch: its `error` code (the wire's, sync.hub), in French.
HUB_REFUSALS = {
    "unknown-token": "jeton inconnu : inscrivez cet appareil au hub ('urne device enrol') et copiez son jeton",
    "wrong-device": "ce jeton appartient à un autre appareil",
    "foreign-election": "le hub compte une autre élection",
    "idempotency-key-missing": "envoi sans clé d'idempotence",
    "idempotency-key-reused": "cette clé d'idempotence a servi pour un autre envoi",
    "bad-json": "le corps de l'envoi n'est pas du JSON",
    "bad-batch": "l'envoi n'a pas la forme attendue",
    "batch-too-large": "trop d'enregistrements dans un envoi",
    "body-too-large": "envoi trop volumineux",
    "storage-unavailable": "la base de données du hub est indisponible",
}


def refusal_words(resp: requests.Response) -> str:
    """The hub's refusal in French, looked up by its code; an unknown code is quoted as it came."""
    try:
        body = resp.json()
    except ValueError:
        return f"« {resp.text[:200]} »"
    said = body if isinstance(body, dict) else {}
    code = str(said.get("error", ""))
    if code in HUB_REFUSALS:
        return HUB_REFUSALS[code]
    return f"« {str(said.get('detail') or code or resp.text)[:200]} »"


def push(
    store: Store, cfg: SyncConfig, *, batch_size: int = BATCH_SIZE, session: requests.Session | None = None
) -> PushReport:
    from sync.errors import HubRefused, HubUnreachable

    if not cfg.hub_url:
        raise HubUnreachable("-", "pas de hub_url dans la section [sync] de config.toml")
    url = cfg.hub_url.rstrip("/") + "/v1/batches"
    http = session or requests.Session()
    outbox.recover(store)
    batches = sent = new = replayed = 0
    skipped: list[outbox.Batch] = []
    try:
        while True:
            batch = outbox.claim(store, batch_size)
            if not batch:
                break
            payload, part = batch_payload(store, batch, backlog=max(0, outbox.backlog(store) - len(batch)))
            others = outbox.Batch(
                tuple(set(batch.ballots) - set(part.ballots)), tuple(set(batch.register) - set(part.register))
            )
            if others:
                skipped.append(others)  # other elections' rows stay queued (released below)
            if not part:
                continue
            body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()
            key = "b-" + hashlib.sha256(body).hexdigest()[:40]
            headers = {
                "Authorization": f"Bearer {cfg.token}",
                "Idempotency-Key": key,
                "Content-Type": "application/json",
            }
            try:
                resp = http.post(url, data=body, headers=headers, timeout=cfg.timeout_seconds, allow_redirects=False)
            except requests.RequestException as exc:
                outbox.release(store, part)
                problem = type(exc).__name__
                store.set_meta("sync:last_error", problem)
                raise HubUnreachable(cfg.hub_url, problem) from exc
            if resp.status_code in (301, 302, 303, 307, 308):
                outbox.release(store, part)
                problem = (
                    f"redirigé vers {resp.headers.get('Location', '?')[:100]} (portail captif ou connexion au proxy ?)"
                )
                store.set_meta("sync:last_error", f"HTTP {resp.status_code}")
                raise HubUnreachable(cfg.hub_url, problem)
            if resp.status_code != 200:
                outbox.release(store, part)
                detail = refusal_words(resp)
                store.set_meta("sync:last_error", f"HTTP {resp.status_code}")
                if resp.status_code >= 500:
                    raise HubUnreachable(cfg.hub_url, f"HTTP {resp.status_code}")
                raise HubRefused(cfg.hub_url, resp.status_code, detail)
            answer = _acknowledged(resp, cfg.token, store.device, key, hashlib.sha256(body).hexdigest())
            if answer is None:
                outbox.release(store, part)
                store.set_meta("sync:last_error", "no acknowledgement")
                raise HubUnreachable(
                    cfg.hub_url,
                    "la réponse n'est pas l'accusé de réception du hub pour cet envoi (portail captif ou proxy ?)",
                )
            outbox.mark_sent(store, part)
            batches += 1
            sent += len(part)
            new += answer["ballots_new"] if isinstance(answer.get("ballots_new"), int) else 0
            replayed += resp.headers.get("Idempotent-Replayed") == "true"
        with store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('sync:last_synced', ?)", [_now()])
            db.execute("DELETE FROM meta WHERE key = 'sync:last_error'")
    finally:
        for b in skipped:
            outbox.release(store, b)
    return PushReport(batches, sent, new, replayed)


def run(
    store: Store,
    cfg: SyncConfig,
    stop: threading.Event,
    *,
    interval: float = 30.0,
    backoff: Backoff | None = None,
    on_status: Callable[[SyncStatus], None] | None = None,
) -> None:
    """Background loop for the kiosk: push now and every `interval` s, back off after failures."""
    from ballots.errors import UrneError

    wait = backoff or Backoff()
    while not stop.is_set():
        try:
            push(store, cfg)
            wait.reset()
            delay = interval
        except UrneError:
            delay = wait.next_delay()
        if on_status is not None:
            on_status(status(store, cfg.hub_url))
        stop.wait(delay)
