"""City-scale hub bench: hundreds of stations push overlapping batches at once over loopback
while a hub process is SIGKILLed and PostgreSQL is restarted (crash stop) mid-run.

Afterwards the totals must equal those of the union of what the stations hold (nothing lost,
nothing twice) and every station's backlog must be empty. Prints ballots/s sustained and the
p50/p99 latency of a batch (one POST, answered 200), for SQLite (one hub process, SIGKILLed
and restarted) and PostgreSQL (two hub processes on one database, one SIGKILLed and restarted,
the database crash-restarted).

Stations are simulated by threads (2 shared cores): each holds its own ballots plus a copy of
a slice of its neighbour's (a relay, a second scan of the same sheets), pushes batches with an
Idempotency-Key derived from the content, resends on any failure, and now and then resends an
acknowledged batch under a fresh key (a reinstalled station). Ballots are generated from a
seed on the fly, so a million of them need no memory.

Run: .venv/bin/python bench/bench_city.py [--ballots 1000000] [--stations 300] [--backend both]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ballots import election_file, samples  # noqa: E402
from ballots.store import Store  # noqa: E402
from sync import devices, merge, provenance  # noqa: E402

ELECTION = election_file.load(samples.path("budget-participatif"))
QUESTION = ELECTION.questions[0]
CHOICES = list(QUESTION.choice_ids)
SECRET = bytes(range(32))
DAY = "2026-05-30"


KEYS: dict[int, Ed25519PrivateKey] = {}  # each station's device key (provenance: it signs its ballots)


def ballot(owner: int, j: int) -> list[object]:
    """Ballot j of station `owner`, the same wherever and however often it is generated."""
    h = hashlib.blake2b(f"{owner}:{j}".encode(), digest_size=16).digest()
    rng = random.Random(h)
    chosen = rng.sample(CHOICES, 1 + h[0] % 3)
    return [h.hex(), ELECTION.id, "kiosk", f"st{owner:04d}", {QUESTION.id: chosen}, "counted", [], DAY, False]


def signed(owner: int, j: int) -> list[object]:
    """The wire record as a station sends it: signed by the key of the station that cast it
    (sync.provenance), so a neighbour relaying it passes the hub's check. Ed25519 is
    deterministic: a resent batch is byte-identical."""
    wire = ballot(owner, j)
    return [*wire, KEYS[owner].sign(provenance.record_bytes(merge.ballot_from_wire(wire))).hex()]


@dataclass
class Station:
    index: int
    device: str
    token: str
    own: int  # ballots of its own
    relayed: tuple[int, int, int]  # (owner, first, count): copies of a neighbour's ballots
    pending: list[tuple[int, int]] = field(default_factory=list)
    acked: list[list[tuple[int, int]]] = field(default_factory=list)

    def holds(self) -> list[tuple[int, int]]:
        owner, first, count = self.relayed
        return [(self.index, j) for j in range(self.own)] + [(owner, first + j) for j in range(count)]


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    resends: int = 0
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def post_batch(
    http: requests.Session, url: str, st: Station, items: list[tuple[int, int]], fig: Figures
) -> tuple[bool, str]:
    body = json.dumps(
        {
            "device": st.device,
            "election": ELECTION.id,
            "election_fingerprint": ELECTION.fingerprint,
            "ballots": [signed(o, j) for o, j in items],
            "register": [],
            "backlog": max(0, len(st.pending) - len(items)),
        },
        separators=(",", ":"),
    ).encode()
    key = "b-" + hashlib.sha256(body).hexdigest()[:40]
    try:
        r = http.post(
            url + "/v1/batches",
            data=body,
            headers={"Authorization": f"Bearer {st.token}", "Idempotency-Key": key, "Content-Type": "application/json"},
            timeout=60,
        )
    except requests.RequestException as exc:
        return False, type(exc).__name__
    if r.status_code == 200:
        refused = r.json().get("refused", [])
        if refused:  # a record the hub would not count (bad signature...): the run is not exact
            with fig.lock:
                fig.refused += len(refused)
    return r.status_code == 200, str(r.status_code)


def run_station(st: Station, urls: list[str], batch: int, fig: Figures, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    http = requests.Session()
    st.pending = st.holds()
    rng.shuffle(st.pending)
    n = 0
    delay = 0.05
    while st.pending and time.monotonic() < deadline:
        items = st.pending[:batch]
        url = urls[(st.index + n) % len(urls)]
        n += 1
        t0 = time.perf_counter()
        ok, why = post_batch(http, url, st, items, fig)
        dt = time.perf_counter() - t0
        if not ok:
            with fig.lock:
                fig.failures[why] += 1
            time.sleep(rng.uniform(0, delay))  # full-jitter back-off, as sync.client does
            delay = min(delay * 2, 2.0)
            continue
        delay = 0.05
        with fig.lock:
            fig.latencies.append(dt)
        del st.pending[: len(items)]
        st.acked.append(items)
        if rng.random() < 0.03:  # a reinstalled station resends an acknowledged batch under a new key
            again = list(rng.choice(st.acked))
            rng.shuffle(again)
            ok, _ = post_batch(http, urls[n % len(urls)], st, again, fig)
            with fig.lock:
                fig.resends += 1


def setup_hub(tmp: Path, stations: int, ballots: int) -> list[Station]:
    per = ballots // stations
    out: list[Station] = []
    with Store(tmp / "hub") as hub:
        hub.install_election(ELECTION, secret=SECRET)
        for i in range(stations):
            KEYS[i] = Ed25519PrivateKey.generate()
            key = devices.public_hex(KEYS[i].public_key())
            token = devices.enrol(hub, f"st{i:04d}", key, name=f"station {i}", place=f"bureau {i // 4 + 1}")
            own = per + (1 if i < ballots - per * stations else 0)
            neighbour = (i - 1) % stations
            out.append(Station(i, f"st{i:04d}", token, own, (neighbour, 0, per // 20)))
    return out


def expected_totals(stations: list[Station]) -> tuple[int, Counter[str]]:
    votes: Counter[str] = Counter()
    n = 0
    for st in stations:  # the union: each owner's own ballots (relayed copies are among them)
        for j in range(st.own):
            for c in ballot(st.index, j)[4][QUESTION.id]:  # type: ignore[index]
                votes[c] += 1
            n += 1
    return n, votes


def bench(backend: str, n_ballots: int, n_stations: int, batch: int, workers_note: str = "") -> dict[str, object]:
    from tests.sync.hubproc import HubProcess
    from tests.sync.pgcluster import PgCluster

    tmp = Path(tempfile.mkdtemp(prefix=f"urne-city-{backend}-"))
    stations = setup_hub(tmp, n_stations, n_ballots)
    cluster = None
    database = ""
    if backend == "postgresql":
        cluster = PgCluster().init().start()
        database = cluster.new_database()
    hubs = [HubProcess(tmp / "hub", database=database, threads=8).start()]
    if backend == "postgresql":
        hubs.append(HubProcess(tmp / "hub", database=database, threads=8).start())
    try:
        return _run(backend, stations, hubs, cluster, database, tmp, batch)
    finally:
        for h in hubs:
            h.stop()
        if cluster is not None:
            cluster.destroy()


def _run(
    backend: str, stations: list[Station], hubs: list, cluster, database: str, tmp: Path, batch: int
) -> dict[str, object]:  # type: ignore[type-arg]
    n_stations = len(stations)
    urls = [h.url for h in hubs]
    fig = Figures()
    deadline = time.monotonic() + 3600
    threads = [
        threading.Thread(target=run_station, args=(st, urls, batch, fig, deadline, st.index), daemon=True)
        for st in stations
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    events: list[str] = []

    def progress() -> int:
        return sum(len(st.pending) for st in stations)

    total_items = sum(len(st.holds()) for st in stations)
    # Faults once a third of the work is done: SIGKILL a hub, restart it; crash-restart PostgreSQL.
    while progress() > total_items * 2 // 3 and any(t.is_alive() for t in threads):
        time.sleep(0.5)
    hubs[0].kill()
    events.append(f"{time.perf_counter() - t0:.1f}s SIGKILL hub 1")
    time.sleep(2)
    hubs[0].start(timeout=600)  # its health check waits in line behind the stations' batches
    events.append(f"{time.perf_counter() - t0:.1f}s hub 1 restarted")
    if cluster is not None:
        while progress() > total_items // 2 and any(t.is_alive() for t in threads):
            time.sleep(0.5)
        t_r = time.perf_counter()
        cluster.restart("immediate")
        events.append(f"{t_r - t0:.1f}s PostgreSQL crash-stopped and restarted ({time.perf_counter() - t_r:.1f} s)")
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    backlog = progress()

    n_expected, votes = expected_totals(stations)
    token = stations[0].token
    auth = {"Authorization": f"Bearer {token}"}
    totals_r = requests.get(urls[-1] + "/v1/totals", headers=auth, timeout=600)
    status_r = requests.get(urls[-1] + "/v1/status", headers=auth, timeout=600)
    if totals_r.status_code != 200 or status_r.status_code != 200:
        raise SystemExit(f"hub answered {totals_r.status_code} {totals_r.text[:300]} / {status_r.status_code}")
    totals, status = totals_r.json(), status_r.json()
    for h in hubs:
        h.stop()
    if cluster is not None:
        import psycopg

        with psycopg.connect(database) as conn:
            rows, distinct = conn.execute("SELECT count(*), count(DISTINCT id) FROM ballots").fetchone()  # type: ignore[misc]
    else:
        with Store(tmp / "hub") as hub:
            rows = distinct = hub.conn.execute("SELECT count(*) FROM ballots").fetchone()[0]
    got = totals["questions"][QUESTION.id]["votes"]
    ok = (
        backlog == 0
        and rows == distinct == n_expected == totals["ballots_counted"]
        and all(got.get(c, 0) == votes.get(c, 0) for c in CHOICES)
        and status["conflicts"] == 0
        and fig.refused == 0
    )
    lat = sorted(fig.latencies)
    result = {
        "backend": backend,
        "hub_processes": len(hubs),
        "stations": n_stations,
        "ballots_unique": n_expected,
        "ballots_sent": total_items,
        "batch": batch,
        "seconds": round(elapsed, 1),
        "ballots_per_s": round(total_items / elapsed),
        "p50_ms": round(statistics.median(lat) * 1000),
        "p99_ms": round(lat[int(len(lat) * 0.99)] * 1000),
        "batches_ok": len(lat),
        "failed_attempts": dict(fig.failures),
        "resent_batches": fig.resends,
        "records_refused": fig.refused,
        "events": events,
        "backlog_left": backlog,
        "exact": ok,
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)
    if not ok:
        raise SystemExit(f"MISMATCH: rows {rows} distinct {distinct} expected {n_expected} totals {totals}")
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ballots", type=int, default=1_000_000)
    ap.add_argument("--stations", type=int, default=300)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    a = ap.parse_args()
    for backend in ["sqlite", "postgresql"] if a.backend == "both" else [a.backend]:
        bench(backend, a.ballots, a.stations, a.batch)


if __name__ == "__main__":
    main()
