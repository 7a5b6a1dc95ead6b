"""Sync figures: hub ingest rate, 100 000-ballot bundle import, Purpoz calls per push.

Run: .venv/bin/python bench/bench_sync.py   (targets: ≥ 5 000 ballots/s; < 10 s; 1 call/proposal)
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ballots import election_file  # noqa: E402
from ballots import samples as sample_elections  # noqa: E402
from ballots.ballot import Ballot, BallotStatus, Channel  # noqa: E402
from ballots.store import Store  # noqa: E402
from sync import bundle, devices, merge, purpoz  # noqa: E402

ELECTION = election_file.load(sample_elections.path("budget-participatif"))
SECRET = bytes(range(32))


def ballots(n: int, device: str, seed: int) -> list[Ballot]:
    rng = random.Random(seed)
    q = ELECTION.questions[0]
    ids = list(q.choice_ids)
    return [
        Ballot(
            f"{rng.getrandbits(128):032x}",
            ELECTION.id,
            Channel.KIOSK,
            device,
            {q.id: tuple(rng.sample(ids, rng.randint(1, 5)))},
            BallotStatus.COUNTED,
            (),
            "2026-05-30",
        )
        for _ in range(n)
    ]


def bench_hub_ingest(tmp: Path, n: int = 50_000, batch: int = 1000) -> None:
    from tests.sync.hubproc import HubProcess

    hub_dir = tmp / "hub"
    with Store(hub_dir) as hub:
        hub.install_election(ELECTION, secret=SECRET)
        with Store(tmp / "k") as k:
            me = devices.identity(k)
            token = devices.enrol(hub, me.device, me.public_key_hex)
    proc = HubProcess(hub_dir).start()
    try:
        http = requests.Session()
        wire = [merge.ballot_to_wire(b) for b in ballots(n, me.device, 1)]
        bodies = [
            json.dumps(
                {
                    "device": me.device,
                    "election": ELECTION.id,
                    "election_fingerprint": ELECTION.fingerprint,
                    "ballots": wire[i : i + batch],
                    "register": [],
                }
            ).encode()
            for i in range(0, n, batch)
        ]
        headers = {"Authorization": f"Bearer {token}"}
        t0 = time.perf_counter()
        for i, body in enumerate(bodies):
            r = http.post(
                proc.url + "/v1/batches", data=body, headers={**headers, "Idempotency-Key": f"b{i}"}, timeout=60
            )
            assert r.status_code == 200 and r.json()["ballots_new"] == len(json.loads(body)["ballots"]), r.text
        dt = time.perf_counter() - t0
        t1 = time.perf_counter()
        for i, body in enumerate(bodies):  # the whole set resent under new keys: all known
            r = http.post(
                proc.url + "/v1/batches", data=body, headers={**headers, "Idempotency-Key": f"again{i}"}, timeout=60
            )
            assert r.json()["ballots_new"] == 0
        dt2 = time.perf_counter() - t1
        total = requests.get(proc.url + "/v1/status", headers=headers, timeout=30).json()["ballots"]
        assert total == n
    finally:
        proc.stop()
    print(f"hub ingest: {n} ballots in batches of {batch}: {dt:.2f} s = {n / dt:,.0f} ballots/s (target ≥ 5 000)")
    print(f"hub re-ingest of the same {n} (all duplicates): {dt2:.2f} s = {n / dt2:,.0f} ballots/s")


def bench_bundle_import(tmp: Path, n: int = 100_000) -> None:
    with Store(tmp / "kiosk") as kiosk:
        kiosk.install_election(ELECTION, secret=SECRET)
        kiosk.cast_many(ballots(n, kiosk.device, 2))
        t0 = time.perf_counter()
        r = bundle.export(kiosk, tmp / "big.urne")
        t_export = time.perf_counter() - t0
        me = devices.identity(kiosk)
    with Store(tmp / "town") as town:
        town.install_election(ELECTION, secret=SECRET)
        devices.enrol(town, me.device, me.public_key_hex)
        t0 = time.perf_counter()
        rep = bundle.import_bundle(town, tmp / "big.urne")
        t_import = time.perf_counter() - t0
        assert rep.merged.ballots_new == n
        t0 = time.perf_counter()
        again = bundle.import_bundle(town, tmp / "big.urne")
        t_again = time.perf_counter() - t0
        assert again.already_imported
    print(
        f"bundle: {n} ballots, {r.size / 1e6:.1f} MB; export {t_export:.2f} s; import {t_import:.2f} s (target < 10 s); "
        f"second import {t_again * 1000:.0f} ms"
    )


def bench_purpoz_calls(tmp: Path, proposals: int = 40) -> None:
    from tests.sync.fake_capcollectif import SCHEMA_FILE, FakePlatform, Served

    if not SCHEMA_FILE.exists():
        print("purpoz: shared schema not available, skipped")
        return
    p = FakePlatform()
    p.add_proposals(proposals)
    served = Served(p)
    try:
        s = purpoz.PurpozSession(served.url)
        s.login(p.username, p.password)
        step = purpoz.read_step(s, p.step_id)
        election = purpoz.election_from_step(step)
        rng = random.Random(3)
        q = election.questions[0]
        bs = [
            Ballot(
                f"{i}",
                election.id,
                Channel.PAPER,
                "scan",
                {q.id: tuple(rng.sample(q.choice_ids, 3))},
                BallotStatus.COUNTED,
                (),
                "2026-05-30",
            )
            for i in range(500)
        ]
        before = dict(p.calls)
        t0 = time.perf_counter()
        r = purpoz.push(s, election, step, purpoz.paper_totals(election, bs, step), dry_run=False)
        dt = time.perf_counter() - t0
    finally:
        served.close()
    mut = p.calls["UrneUpdatePaperVotes"] - before.get("UrneUpdatePaperVotes", 0)
    reads = p.calls["UrnePaperVotes"] - before.get("UrnePaperVotes", 0)
    assert mut == proposals and not r.differences
    print(
        f"purpoz push: {proposals} proposals -> {mut} mutation calls (one per proposal) + {reads} read-back call(s); {dt:.2f} s locally"
    )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as d:
        bench_hub_ingest(Path(d))
    with tempfile.TemporaryDirectory() as d:
        bench_bundle_import(Path(d))
    with tempfile.TemporaryDirectory() as d:
        bench_purpoz_calls(Path(d))
