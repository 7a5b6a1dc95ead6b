"""What keeping the ballots order-free costs per commit, before (whole-table rewrite, s17a) and
after (a window around each changed key, `ballots.order_free`), with the incremental seal.

    python -m bench.bench_order_free [--sizes 1000,5000,20000,100000] [--batch 1000] [--dir /dev/shm]

Per store size N: the median of 5 commits that add ONE ballot (a kiosk vote), and of 3 commits
that add a batch of --batch ballots from another device (a hub batch or a bundle import, through
`Store.insert_ballots` as `sync.merge` does). "before" forces the whole-table rewrite and the
full-table seal the first design did at each such commit.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ballots import order_free, seal
from ballots import samples as sample_elections
from ballots.ballot import Channel, new_ballot
from ballots.election import Election
from ballots.election_file import load
from ballots.store import Polls, Store


@contextlib.contextmanager
def before() -> Iterator[None]:
    """The first design: every touched table rewritten whole, the seal computed from every row."""
    window, updated = order_free.WINDOW, seal.updated
    order_free.WINDOW = 1e9
    seal.updated = lambda conn, key, sealed: (seal.forget(conn), seal.full(conn, key))[1]  # type: ignore[assignment]
    try:
        yield
    finally:
        order_free.WINDOW, seal.updated = window, updated


def _ballots(election: Election, rng: random.Random, n: int, device: str) -> list:  # type: ignore[type-arg]
    q = election.questions[0]
    return [
        new_ballot(election, {q.id: tuple(rng.sample(q.choice_ids, 3))}, channel=Channel.IMPORT, device=device)
        for _ in range(n)
    ]


def measure(store: Store, election: Election, rng: random.Random, batch: int) -> tuple[float, float]:
    one = []
    for _ in range(5):
        (b,) = _ballots(election, rng, 1, "kiosk")
        t0 = time.perf_counter()
        store.cast(b, require_open=False)
        one.append((time.perf_counter() - t0) * 1000)
    many = []
    for _ in range(3):
        bs = _ballots(election, rng, batch, "hub-peer")
        t0 = time.perf_counter()
        with store.transaction() as db:
            store.insert_ballots(db, bs)
        many.append((time.perf_counter() - t0) * 1000)
    return statistics.median(one), statistics.median(many)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,5000,20000,100000")
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--dir", default=None)
    ap.add_argument("--skip-before-above", type=int, default=100_000)
    args = ap.parse_args()
    election = load(sample_elections.path("budget-participatif"))
    rng = random.Random(1)
    print(
        f"{'stored':>8} | {'1 ballot before':>15} | {'1 ballot after':>14} | {f'{args.batch} before':>12} | {f'{args.batch} after':>11}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            store = Store(Path(tmp) / "data")
            store.install_election(election)
            store.set_polls(Polls.OPEN, actor="bench")
            store.cast_many(_ballots(election, rng, size, "bulk"))
            if size <= args.skip_before_above:
                with before():
                    b1, bn = measure(store, election, rng, args.batch)
                cells = f"{b1:13.1f} ms | {'':>14} | {bn:9.0f} ms | "
            else:
                cells = f"{'(skipped)':>15} | {'':>14} | {'(skipped)':>12} | "
            a1, an = measure(store, election, rng, args.batch)
            store.check_seal()  # the incremental seal equals the one computed from every row
            store.close()
        print(
            f"{size:>8} | {cells.split('|')[0].strip():>15} | {a1:11.1f} ms | {cells.split('|')[2].strip():>12} | {an:8.0f} ms"
        )


if __name__ == "__main__":
    main()
