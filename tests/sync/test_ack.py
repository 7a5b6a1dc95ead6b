"""Delivered means acknowledged: only the hub's keyed acknowledgement of a batch marks it sent.

A real HTTP server on 127.0.0.1 plays the captive portal / proxy / broken hub; the real hub
(in process, real HTTP) gives the acknowledgement that does mark the batch sent."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ballots.store import Store
from sync import ack, client, outbox
from sync.config import SyncConfig
from sync.errors import HubUnreachable
from sync.hubstore import SqliteHubStorage
from tests.sync.helpers import device_store, enrol, vote
from tests.sync.hubproc import InProcessHub


class Portal(BaseHTTPRequestHandler):
    """Answers every POST the way `mode` says; GET /login is the portal's login page."""

    mode = "html"
    forged_ack = ""

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._send(200, b"<html><form>Wi-Fi de la mairie : acceptez les conditions</form></html>")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        key = self.headers.get("Idempotency-Key", "")
        mode = type(self).mode
        if mode == "html":
            self._send(200, b"<html>Bienvenue sur le Wi-Fi public</html>")
        elif mode.startswith("redirect"):
            code = int(mode[-3:])
            self._send(code, b"", Location=f"http://127.0.0.1:{self.server.server_port}/login")
        elif mode == "ok-false":
            self._send(200, json.dumps({"ok": False, "key": key}).encode(), "application/json")
        elif mode == "ok-no-ack":
            self._send(200, json.dumps({"ok": True, "key": key, "ballots_new": 3}).encode(), "application/json")
        elif mode == "forged-ack":
            body = {"ok": True, "key": key, "ballots_new": 3, "ack": type(self).forged_ack}
            self._send(200, json.dumps(body).encode(), "application/json")
        elif mode == "nested":
            self._send(200, b"[" * 100_000, "application/json")


@pytest.fixture
def portal() -> Iterator[tuple[str, type[Portal]]]:
    handler = type("P", (Portal,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", handler
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "mode", ["html", "redirect302", "redirect303", "redirect307", "ok-false", "ok-no-ack", "forged-ack", "nested"]
)
def test_a_captive_portal_or_a_bare_200_leaves_the_backlog_intact(store, portal, mode):
    url, handler = portal
    handler.mode = mode
    # An acknowledgement made with another token (another device's, or an old one) is no use.
    handler.forged_ack = ack.sign(ack.token_key("someone-else"), store.device, "k", "0" * 64)
    vote(store, 3, random.Random(1))
    with pytest.raises(HubUnreachable) as exc:
        client.push(store, SyncConfig(hub_url=url, token="tok", timeout_seconds=5))
    assert outbox.backlog(store) == 3 and outbox.counts(store) == {"pending": 3}
    assert client.status(store, url).last_error
    if mode.startswith("redirect"):
        assert "/login" in exc.value.problem


def test_an_acknowledgement_names_the_device_the_batch_and_its_bytes():
    sig = ack.sign(ack.token_key("tok"), "k1", "b-1", "a" * 64)
    assert ack.valid("tok", "k1", "b-1", "a" * 64, sig)
    assert not ack.valid("tok2", "k1", "b-1", "a" * 64, sig)
    assert not ack.valid("tok", "k2", "b-1", "a" * 64, sig)
    assert not ack.valid("tok", "k1", "b-2", "a" * 64, sig)
    assert not ack.valid("tok", "k1", "b-1", "b" * 64, sig)
    assert not ack.valid("tok", "k1", "b-1", "a" * 64, None)


def test_the_real_hub_acknowledges_and_only_then_the_batch_is_sent(tmp_path, budget_election):
    hub_store = device_store(tmp_path / "hub", budget_election)
    kiosk: Store = device_store(tmp_path / "k", budget_election)
    token = enrol(hub_store, kiosk)
    hub = InProcessHub(SqliteHubStorage(hub_store))
    port = hub.port
    try:
        vote(kiosk, 5, random.Random(2))
        cfg = SyncConfig(hub_url=f"http://127.0.0.1:{port}", token=token, timeout_seconds=10)
        report = client.push(kiosk, cfg, batch_size=2)
        assert (report.batches, report.sent, outbox.backlog(kiosk)) == (3, 5, 0)
        # The same batches again (outbox reset): the hub's stored answers still acknowledge them.
        with kiosk.transaction() as db:
            db.execute("UPDATE outbox SET state = 'pending'")
        again = client.push(kiosk, cfg, batch_size=2)
        assert again.replayed == 3 and outbox.backlog(kiosk) == 0
    finally:
        hub.close()
        hub_store.close()
        kiosk.close()
