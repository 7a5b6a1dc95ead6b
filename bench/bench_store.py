"""Durable store figures: one kiosk ballot committed (WAL + synchronous=FULL), bulk import, tally.

Run: .venv/bin/python bench/bench_store.py
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ballots import election_file  # noqa: E402
from ballots import samples as sample_elections  # noqa: E402
from ballots.ballot import Channel, new_ballot  # noqa: E402
from ballots.outcome import decide_all  # noqa: E402
from ballots.store import Polls, Store  # noqa: E402
from ballots.tally import tally  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    election = election_file.load(sample_elections.path("budget-participatif"))
    q = election.questions[0]
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "kiosk")
        store.install_election(election)
        store.set_polls(Polls.OPEN, actor="bench")
        lat = []
        for _ in range(500):
            b = new_ballot(election, {q.id: tuple(rng.sample(q.choice_ids, 5))}, channel=Channel.KIOSK, device="b")
            t0 = time.perf_counter()
            store.cast(b)
            lat.append((time.perf_counter() - t0) * 1000)
        lat.sort()
        print(
            f"kiosk cast, durable commit (n=500): p50 {statistics.median(lat):.2f} ms, "
            f"p99 {lat[int(len(lat) * 0.99) - 1]:.2f} ms, max {lat[-1]:.2f} ms"
        )

        bulk = [
            new_ballot(
                election, {q.id: tuple(rng.sample(q.choice_ids, rng.randint(1, 5)))}, channel=Channel.IMPORT, device="b"
            )
            for _ in range(100_000)
        ]
        t0 = time.perf_counter()
        store.cast_many(bulk)
        dt = time.perf_counter() - t0
        print(f"bulk import of 100 000 ballots in one transaction: {dt:.2f} s ({100_000 / dt:,.0f} ballots/s)")

        t0 = time.perf_counter()
        ballots = list(store.ballots())
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        t = tally(election, ballots)
        decide_all(election, t, ballots)
        t_tally = time.perf_counter() - t0
        print(f"read {len(ballots):,} ballots: {t_read:.2f} s; tally + greedy winners: {t_tally:.2f} s")
        store.close()


if __name__ == "__main__":
    main()
