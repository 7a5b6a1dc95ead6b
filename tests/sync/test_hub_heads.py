"""Issue 17: every hub batch carries the device's audit head; the hub keeps it per device (SQLite
and PostgreSQL) and says when a device's log went back or was rewritten."""

from __future__ import annotations

import hashlib
import json
import random

import pytest
import requests

from ballots import backup
from ballots.store import Store
from sync import ack, client, heads
from sync.config import SyncConfig
from tests.sync.helpers import vote
from tests.sync.hubproc import HubProcess


@pytest.fixture
def hub(one_kiosk_hub):  # tests/sync/conftest.py
    return one_kiosk_hub


def _device(proc: HubProcess, token: str, device: str) -> dict:
    r = requests.get(proc.url + "/v1/status", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    return next(d for d in r.json()["devices"] if d["device"] == device)


def _post(proc: HubProcess, token: str, payload: dict) -> requests.Response:
    body = json.dumps(payload).encode()
    return requests.post(
        proc.url + "/v1/batches",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k-" + hashlib.sha256(body).hexdigest()[:20]},
        timeout=10,
    )


def test_batches_carry_the_head_and_a_log_that_went_back_is_shown(hub, tmp_path):
    proc, kiosk, token = hub
    cfg = SyncConfig(hub_url=proc.url, token=token, timeout_seconds=5.0)
    vote(kiosk, 5, random.Random(3))
    copy = tmp_path / "before.sqlite"
    backup.backup(kiosk, copy)  # a backup taken now: its log is shorter than what follows
    for i in range(4):
        kiosk.log("test", "staff.note", {"n": i})
    client.push(kiosk, cfg)  # acknowledged (sync.ack): the head in the body broke nothing
    seen = heads.of_store(kiosk)
    d = _device(proc, token, kiosk.device)
    assert d["audit_head"] == f"{seen.seq}:{seen.hash[:16]}" and d["audit_problem"] == ""

    # A batch from a device older than this (no head) is taken; a malformed head is refused.
    election = kiosk.election()
    base = {"device": kiosk.device, "election": election.id, "election_fingerprint": election.fingerprint}
    assert _post(proc, token, {**base, "ballots": [], "register": []}).status_code == 200
    for bad in ("12", "x:" + "0" * 64, f"1:{'A' * 64}", 7, "1:" + "0" * 64 + "\n"):
        r = _post(proc, token, {**base, "ballots": [], "register": [], "audit_head": bad})
        assert r.status_code == 400 and r.json()["error"] == "bad-batch", bad

    # The same seq with another hash: a rewritten log.
    forged = f"{seen.seq}:{'ab' * 32}"
    r = _post(proc, token, {**base, "ballots": [], "register": [], "audit_head": forged})
    assert r.status_code == 200 and "rewritten" in r.json()["audit_problem"]
    body = json.dumps({**base, "ballots": [], "register": [], "audit_head": forged}).encode()
    assert r.json()["ack"] == ack.sign(
        ack.token_key(token), kiosk.device, r.json()["key"], hashlib.sha256(body).hexdigest()
    )

    # The kiosk restored from the older backup: its next batch shows a log that went back.
    kiosk.close()
    backup.restore(copy, tmp_path / "k0", actor="test")
    kiosk2 = Store(tmp_path / "k0")
    vote(kiosk2, 2, random.Random(4))
    client.push(kiosk2, cfg)
    now = heads.of_store(kiosk2)
    d = _device(proc, token, kiosk2.device)
    assert now.seq < seen.seq, (now, seen)
    assert d["audit_head"] == f"{now.seq}:{now.hash[:16]}"
    assert "went back" in d["audit_problem"]
    kiosk2.close()
    proc.stop()
    if not proc.database:  # the SQLite hub also wrote it to its own audit log
        with Store(tmp_path / "hub") as h:
            actions = [r[0] for r in h.conn.execute("SELECT action FROM audit")]
        assert actions.count("sync.audit_head_problem") >= 2
