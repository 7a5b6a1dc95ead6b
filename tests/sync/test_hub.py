"""The hub as a real process on 127.0.0.1, with faults between it and the kiosks."""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from ballots.store import Store
from sync import client, devices, merge, outbox, provenance
from sync.config import SyncConfig
from sync.errors import HubRefused, HubUnreachable
from tests.sync.helpers import device_store, enrol, totals, vote
from tests.sync.hubproc import FaultProxy, HubProcess


@dataclass
class Town:
    hub: HubProcess
    proxy: FaultProxy
    kiosks: list[Store]
    tokens: list[str]
    hub_dir: Path
    database: str  # "" = the hub's SQLite store

    def hub_ballots(self) -> dict[str, tuple[str, str]]:
        """What the hub's storage holds, read directly (not through the hub): id -> (status, selection)."""
        if not self.database:
            with Store(self.hub_dir) as hub:
                return {b.id: (b.status.value, json.dumps(dict(b.selection), sort_keys=True)) for b in hub.ballots()}
        import psycopg

        with psycopg.connect(self.database) as conn:
            rows = conn.execute("SELECT id, status, selection FROM ballots").fetchall()
        return {r[0]: (r[1], json.dumps(json.loads(r[2]), sort_keys=True)) for r in rows}

    def cfg(self, i: int, *, via_proxy: bool = True) -> SyncConfig:
        return SyncConfig(
            hub_url=self.proxy.url if via_proxy else self.hub.url, token=self.tokens[i], timeout_seconds=1.0
        )

    def get(self, path: str) -> dict:
        r = requests.get(self.hub.url + path, headers={"Authorization": f"Bearer {self.tokens[0]}"}, timeout=5)
        r.raise_for_status()
        return r.json()


@pytest.fixture
def town(tmp_path, budget_election, hub_database):
    hub_store = device_store(tmp_path / "hub", budget_election)
    kiosks = [device_store(tmp_path / f"k{i}", budget_election) for i in range(2)]
    tokens = [enrol(hub_store, k, f"kiosk {i}") for i, k in enumerate(kiosks)]
    hub_store.close()  # the hub process is the one writer of its data dir
    hub = HubProcess(tmp_path / "hub", database=hub_database).start()
    proxy = FaultProxy(hub.port, slow_seconds=1.5)
    yield Town(hub, proxy, kiosks, tokens, tmp_path / "hub", hub_database)
    proxy.close()
    hub.stop()
    for k in kiosks:
        k.close()


def push_until_done(store: Store, cfg: SyncConfig, *, batch_size: int, max_tries: int = 40) -> int:
    failures = 0
    for _ in range(max_tries):
        try:
            client.push(store, cfg, batch_size=batch_size)
            return failures
        except HubUnreachable:
            failures += 1
    raise AssertionError("never got through")


def test_faults_kills_and_resends_end_with_exact_totals(town, tmp_path):
    rng = random.Random(5)
    for k, n in zip(town.kiosks, (120, 80), strict=True):
        vote(k, n, rng)
        for _ in range(n):
            k.register_voter(origin=k.device)
    expected_ids = {b.id for k in town.kiosks for b in k.ballots()}

    town.proxy.faults.extend(
        ["500", "cut-request", "pass", "cut-response", "500-after", "slow", "pass", "cut-response"]
    )
    failures = push_until_done(town.kiosks[0], town.cfg(0), batch_size=25)
    assert failures >= 6

    # The hub is killed (SIGKILL) and restarted on the same port while kiosk 1 pushes.
    town.hub.kill()
    with pytest.raises(HubUnreachable):
        client.push(town.kiosks[1], town.cfg(1), batch_size=25)
    assert outbox.backlog(town.kiosks[1]) == 160 and outbox.counts(town.kiosks[1]).get("inflight", 0) == 0
    town.hub.start()
    town.proxy.faults.extend(["cut-response", "pass", "500", "slow"])
    push_until_done(town.kiosks[1], town.cfg(1), batch_size=25)

    # Everything is resent from scratch (a reinstalled kiosk, a lost checkpoint): nothing moves.
    for k, i in zip(town.kiosks, (0, 1), strict=True):
        k.conn.execute("UPDATE outbox SET state = 'pending'")
        client.push(k, town.cfg(i, via_proxy=False), batch_size=25)

    status = town.get("/v1/status")
    tot = town.get("/v1/totals")
    town.hub.stop()
    assert set(town.hub_ballots()) == expected_ids  # zero duplicates, nothing lost
    by_kiosk = [totals(k) for k in town.kiosks]
    assert status["ballots"] == tot["ballots_counted"] == 200 == sum(t["counted"] for t in by_kiosk)
    assert status["register"] == 200 and status["conflicts"] == 0 and status["duplicate_voters"] == 0
    for choice, votes in tot["questions"]["projets"]["votes"].items():
        assert votes == sum(t["votes"]["projets"][choice] for t in by_kiosk)
    for k in town.kiosks:  # nothing lost on the kiosks either, and all acknowledged
        assert outbox.backlog(k) == 0 and k.conn.execute("SELECT count(*) FROM ballots").fetchone()[0] > 0
    assert client.status(town.kiosks[0]).last_synced is not None and client.status(town.kiosks[0]).last_error is None


def test_hub_killed_while_a_batch_is_being_written(town, tmp_path):
    k = town.kiosks[0]
    vote(k, 400, random.Random(8))
    town.proxy.faults.append("kill")
    town.proxy.on_forwarded = town.hub.kill  # SIGKILL as soon as the whole batch reached the hub
    with pytest.raises(HubUnreachable):
        client.push(k, town.cfg(0), batch_size=400)
    assert outbox.backlog(k) == 400
    if not town.database:
        with Store(tmp_path / "hub") as hub:  # whatever the hub had time to do, its file is whole
            assert hub.integrity_check() == "ok"
    assert len(town.hub_ballots()) in (0, 400)  # one transaction: all of the batch or none
    town.hub.start()
    client.push(k, town.cfg(0), batch_size=400)
    assert town.get("/v1/status")["ballots"] == 400 and outbox.backlog(k) == 0


def test_background_loop_delivers_once_the_hub_comes_back(town):
    k = town.kiosks[1]
    vote(k, 30, random.Random(9))
    town.hub.kill()
    stop = threading.Event()
    seen: list[client.SyncStatus] = []

    def on_status(st: client.SyncStatus) -> None:
        seen.append(st)
        if st.backlog == 0:
            stop.set()
        elif len(seen) == 3:
            town.hub.start()  # the network comes back after a few failed tries

    loop = threading.Thread(
        target=client.run,
        args=(k, town.cfg(1)),
        kwargs={"stop": stop, "interval": 0.05, "backoff": client.Backoff(base=0.02, cap=0.2), "on_status": on_status},
    )
    loop.start()
    finished = stop.wait(60)
    stop.set()
    loop.join(10)
    assert finished, [s.line() for s in seen]
    assert seen[0].last_error is not None and seen[-1].last_error is None and seen[-1].backlog == 0
    assert town.get("/v1/status")["ballots"] == 30


def _post(town: Town, body: dict, key: str, token: str | None = None) -> requests.Response:
    return requests.post(
        town.hub.url + "/v1/batches",
        data=json.dumps(body),
        headers={"Authorization": f"Bearer {token or town.tokens[0]}", "Idempotency-Key": key},
        timeout=5,
    )


def test_the_same_batch_three_times_counts_once_and_keys_are_not_reusable(town):
    k = town.kiosks[0]
    vote(k, 10, random.Random(3))
    body, _ = client.batch_payload(k, outbox.claim(k, 100))
    answers = [_post(town, body, "batch-1") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["ballots_new"] for a in answers] == [10, 10, 10]  # the stored first response
    assert [a.headers.get("Idempotent-Replayed") for a in answers] == [None, "true", "true"]
    fresh_key = _post(town, body, "batch-2").json()
    assert (fresh_key["ballots_new"], fresh_key["ballots_known"]) == (0, 10)
    other = dict(body, ballots=body["ballots"][:3])
    reused = _post(town, other, "batch-1")
    assert reused.status_code == 422 and reused.json()["error"] == "idempotency-key-reused"
    assert town.get("/v1/status")["ballots"] == 10


def test_hub_refusals_are_clear(town, tmp_path, votation_election):
    k = town.kiosks[0]
    vote(k, 2, random.Random(4))
    bad = client.SyncConfig(hub_url=town.hub.url, token="nope", timeout_seconds=2)
    with pytest.raises(HubRefused, match="401"):
        client.push(k, bad)
    assert outbox.backlog(k) == 2
    body, _ = client.batch_payload(k, outbox.claim(k, 10))
    assert _post(town, body, "x", token=town.tokens[1]).status_code == 403  # another device's token
    assert _post(town, dict(body, election_fingerprint="0" * 64), "y").status_code == 409
    r = requests.post(
        town.hub.url + "/v1/batches",
        data=b"{nope",
        headers={"Authorization": f"Bearer {town.tokens[0]}", "Idempotency-Key": "z"},
        timeout=5,
    )
    assert r.status_code == 400
    assert requests.get(town.hub.url + "/v1/totals", timeout=5).status_code == 401


def test_conflicting_copies_reach_the_hub_and_are_held_aside(town):
    k0, k1 = town.kiosks
    [b] = vote(k0, 1, random.Random(6))
    copy = merge.ballot_to_wire(b)
    copy[5] = "spoiled"
    # A different copy, signed by kiosk 0 itself (a bug, or two decisions), reached kiosk 1.
    copy.append(provenance.sign(devices.identity(k0), merge.ballot_from_wire(copy)))
    enrol(k1, k0)
    provenance.merge_signed(k1, k1.election(), [copy], delivered_by="usb")
    client.push(k0, town.cfg(0, via_proxy=False))
    client.push(k1, town.cfg(1, via_proxy=False))
    status = town.get("/v1/status")
    assert status["conflicts"] == 1 and town.get("/v1/totals")["ballots_counted"] == 0
