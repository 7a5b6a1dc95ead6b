"""A hub that stays up: slow, dribbling, oversized and malformed requests on real loopback HTTP."""

from __future__ import annotations

import contextlib
import json
import random
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from sync import client, merge, outbox
from sync.config import SyncConfig
from sync.hub import MAX_BATCH_RECORDS, HubLimits
from sync.hubstore import SqliteHubStorage
from tests.sync.helpers import device_store, enrol, vote
from tests.sync.hubproc import InProcessHub

LIMITS = HubLimits(header_timeout=1.0, request_timeout=3.0, idle_timeout=2.0, max_body=256 * 1024)


@pytest.fixture
def hub(tmp_path, budget_election) -> Iterator[tuple[str, str, object]]:
    hub_store = device_store(tmp_path / "hub", budget_election)
    kiosk = device_store(tmp_path / "k", budget_election)
    token = enrol(hub_store, kiosk)
    server = InProcessHub(SqliteHubStorage(hub_store), limits=LIMITS)
    yield server.url, token, kiosk
    server.close()
    hub_store.close()
    kiosk.close()


def _open(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def _closed_by_server(s: socket.socket) -> bool:
    s.setblocking(False)
    try:
        s.recv(4096)  # EOF or an error page: either way the server ended it
        return True
    except BlockingIOError:
        return False
    except OSError:
        return True


def test_150_silent_and_dribbling_connections_neither_stop_the_hub_nor_stay_open(hub):
    url, token, kiosk = hub
    silent = [_open(url) for _ in range(50)]
    head_dribblers = [_open(url) for _ in range(50)]
    body_dribblers = [_open(url) for _ in range(50)]
    for s in body_dribblers:
        s.sendall(b"POST /v1/batches HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
    stop = threading.Event()

    def dribble() -> None:  # one byte every 0.2 s on each: never idle, never finished
        while not stop.is_set():
            for s in head_dribblers + body_dribblers:
                with contextlib.suppress(OSError):
                    s.send(b"X")
            time.sleep(0.2)

    threading.Thread(target=dribble, daemon=True).start()
    try:
        # While 150 connections hang, a kiosk is served (waitress's default limit was 100).
        vote(kiosk, 20, random.Random(3))
        cfg = SyncConfig(hub_url=url, token=token, timeout_seconds=10)
        assert client.push(kiosk, cfg).sent == 20 and outbox.backlog(kiosk) == 0
        assert requests.get(url + "/v1/health", timeout=5).status_code == 200
        # And the server closes every one of them (bounded: limits of 1-3 s, polled for 20 s).
        everyone = silent + head_dribblers + body_dribblers
        deadline = time.monotonic() + 20
        open_ = list(everyone)
        while open_ and time.monotonic() < deadline:
            time.sleep(0.5)
            open_ = [s for s in open_ if not _closed_by_server(s)]
        assert open_ == []
    finally:
        stop.set()
        for s in silent + head_dribblers + body_dribblers:
            s.close()


def test_oversized_bodies_and_batches_are_refused_before_the_store(hub):
    url, token, kiosk = hub
    auth = {"Authorization": f"Bearer {token}", "Idempotency-Key": "k1", "Content-Type": "application/json"}
    big = requests.post(url + "/v1/batches", data=b"[" * (LIMITS.max_body + 10), headers=auth, timeout=10)
    assert big.status_code == 413
    payload = {"device": kiosk.device, "ballots": [[]] * (MAX_BATCH_RECORDS + 1), "register": []}
    many = requests.post(url + "/v1/batches", data=json.dumps(payload), headers=auth, timeout=10)
    assert many.status_code == 413 and many.json()["error"] == "batch-too-large"
    nested = requests.post(url + "/v1/batches", data=b"[" * 200_000, headers=auth, timeout=10)
    assert nested.status_code == 400 and nested.json()["error"] == "bad-json"
    noauth = requests.post(url + "/v1/batches", data=b"{}", headers={"Idempotency-Key": "k"}, timeout=10)
    assert noauth.status_code == 401
    status = requests.get(url + "/v1/status", headers=auth, timeout=10).json()
    assert status["ballots"] == 0 and merge.MergeReport().ballots_new == 0
