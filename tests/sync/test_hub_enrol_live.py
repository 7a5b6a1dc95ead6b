"""Issue 17 item 7, against a live hub process: `urne device enrol` (another process writing the
hub's SQLite file) while stations push without a pause used to make the hub answer 500 (a
deferred BEGIN upgraded under WAL got SQLITE_BUSY at once). Now every write is BEGIN IMMEDIATE
with a busy timeout: both wait their turn, nothing fails, and the new devices push at once."""

from __future__ import annotations

import random
import subprocess
import sys
import threading

import requests

from sync import client, devices, outbox
from sync.config import SyncConfig
from sync.errors import HubRefused, HubUnreachable
from tests.sync.helpers import device_store, enrol, vote
from tests.sync.hubproc import ROOT, HubProcess


def test_enrolling_devices_while_stations_push_never_fails(tmp_path, budget_election):
    hub_store = device_store(tmp_path / "hub", budget_election)
    pushers = [device_store(tmp_path / f"k{i}", budget_election) for i in range(2)]
    tokens = [enrol(hub_store, k, f"kiosk {i}") for i, k in enumerate(pushers)]
    hub_store.close()
    newcomers = [device_store(tmp_path / f"n{i}", budget_election) for i in range(3)]
    hub = HubProcess(tmp_path / "hub").start()
    errors: list[str] = []
    stop = threading.Event()

    def push_forever(i: int) -> None:
        rng = random.Random(i)
        k = pushers[i]
        cfg = SyncConfig(hub_url=hub.url, token=tokens[i], timeout_seconds=30)
        while not stop.is_set():
            vote(k, 3, rng)
            try:
                client.push(k, cfg, batch_size=2)  # many small batches: many write transactions
            except (HubUnreachable, HubRefused) as exc:
                errors.append(f"{k.device}: {exc}")

    threads = [threading.Thread(target=push_forever, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    try:
        new_tokens = []
        for n in newcomers:  # one CLI process per enrolment, like a volunteer at the hub
            me = devices.identity(n)
            r = subprocess.run(
                [sys.executable, "-m", "kiosk.cli", "device", "enrol", me.device, me.public_key_hex, "--data",
                 str(tmp_path / "hub")],
                cwd=ROOT, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert r.returncode == 0, r.stderr
            new_tokens.append(r.stdout.rsplit(":", 1)[1].strip())
    finally:
        stop.set()
        for t in threads:
            t.join(120)
    try:
        assert errors == []  # no 500, no "database is locked" while the enrolments wrote
        for i, (n, tok) in enumerate(zip(newcomers, new_tokens, strict=True)):  # trusted at once
            vote(n, 2, random.Random(100 + i))
            client.push(n, SyncConfig(hub_url=hub.url, token=tok, timeout_seconds=30))
            assert outbox.backlog(n) == 0
        status = requests.get(hub.url + "/v1/status", headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=10)
        expected = sum(k.counts().ballots for k in pushers + newcomers)
        assert status.json()["ballots"] == expected
        log = (tmp_path / f"hub-{hub.port}.log").read_text(errors="replace")
        assert "Traceback" not in log and "storage-unavailable" not in log
    finally:
        hub.stop()
        for s in pushers + newcomers:
            s.close()
