"""Secrecy and cost of the order-free store, whole process (`make bench`, or run directly).

    python -m bench.bench_secrecy [--voters 600] [--seeds 5] [--dir /tmp] [--no-cost]

Per seed: a real kiosk process casts VOTERS identity-register votes through the casting
service; the folder is copied at a few random moments, after a SIGKILL, after the end, and
backed up; the attacker of `tests/ballots/secrecy_attack.py` scores every copy; its "lowest
cell of a page is the newest" bets (one per page, on disjoint ballots, pooled over the seed's
copies) are checked against the 99.9 % bound of a fair coin, per seed and over all seeds (`make
bench` runs 30 seeds: at 99.9 % a chance layout falls outside on about one seed in 1 000). Then the cost:
milliseconds per voter (two durable commits, register and ballot) on the given disk, with
VOTERS and with 5 000 ballots already stored.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ballots import backup, election_file
from ballots import samples as sample_elections
from ballots.casting import cast_vote
from ballots.election import RegisterMode
from ballots.register import fingerprint
from ballots.store import Polls, Store
from tests.ballots import secrecy_attack
from tests.ballots.secrecy_kiosk import identity, selection_for

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = sample_elections.path("budget-participatif")
SECRET = bytes(range(32))


def install(data: Path) -> None:
    election = dataclasses.replace(election_file.load(SAMPLE), register=RegisterMode.IDENTITY)
    with Store(data) as s:
        s.install_election(election, secret=SECRET)
        s.set_polls(Polls.OPEN, actor="bench")


def copy(data: Path, dest: Path) -> Path:
    dest.mkdir()
    for f in list(data.iterdir()):
        with contextlib.suppress(FileNotFoundError):
            shutil.copyfile(f, dest / f.name)
    return dest


def acknowledged(truth: Path) -> dict[str, int]:
    if not truth.exists():
        return {}
    return {p[1]: int(p[0]) for p in (ln.split() for ln in truth.read_text().splitlines()) if len(p) == 2}


def one_seed(base: Path, voters: int, seed: int) -> tuple[list[secrecy_attack.Score], dict[str, int]]:
    data, truth, copies = base / "data", base / "truth", base / "copies"
    copies.mkdir(parents=True)
    install(data)
    rng = random.Random(seed)
    cmd = [sys.executable, "-m", "tests.ballots.secrecy_kiosk", str(data), str(truth)]
    proc = subprocess.Popen([*cmd, "0", str(voters), str(seed)], cwd=ROOT)
    kept = []
    for k in range(3):
        target = rng.randint(voters * (k + 1) // 6, voters * (k + 2) // 6)
        while len(acknowledged(truth)) < target and proc.poll() is None:
            time.sleep(0.002)
        kept.append(copy(data, copies / f"live-{k}"))
    time.sleep(rng.random() * 0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    kept.append(copy(data, copies / "killed"))
    done = len(acknowledged(truth))
    subprocess.run([*cmd, str(done + 1), str(voters + 1), str(seed)], cwd=ROOT, check=True)
    kept.append(copy(data, copies / "stopped"))
    with Store(data) as s:
        (copies / "backup").mkdir()
        backup.backup(s, copies / "backup" / "urne.sqlite")
    kept.append(copies / "backup")
    truth_map = acknowledged(truth)
    who = {fingerprint(SECRET, identity(i)): i for i in range(voters + 1)}
    scores = [secrecy_attack.score(c, truth_map, who) for c in kept]
    return scores, truth_map


def cost(base: Path, voters: int, preload: int) -> list[float]:
    data = base / f"cost-{preload}"
    install(data)
    rng = random.Random(1)
    with Store(data) as s:
        election = s.election()
        if preload:
            from ballots.ballot import Channel, new_ballot

            s.cast_many(
                new_ballot(election, selection_for(rng, election), channel=Channel.KIOSK, device=s.device)
                for _ in range(preload)
            )
        times = []
        for i in range(voters):
            t = time.perf_counter()
            cast_vote(s, election, selection_for(rng, election), identity=identity(100_000 + i))
            times.append((time.perf_counter() - t) * 1000)
    return times


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--voters", type=int, default=600)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--dir", default=None, help="where the data folders go (the disk measured)")
    ap.add_argument("--no-cost", action="store_true", help="secrecy only, no cast_vote timing")
    args, _ = ap.parse_known_args()
    base = Path(tempfile.mkdtemp(prefix="urne-bench-secrecy-", dir=args.dir))
    try:
        pooled = {"file": [0, 0], "pages": [0, 0], "lowest": [0, 0]}
        links = 0
        worst = 0.0
        hits = []
        won = bet = outside = 0
        for seed in range(1, args.seeds + 1):
            scores, truth = one_seed(base / f"seed-{seed}", args.voters, seed)
            bets = secrecy_attack.disjoint(b for sc in scores for b in sc.bets)
            wins = sum(truth[low] > truth[above] for low, above in bets)
            lo, hi = secrecy_attack.binomial_bounds(len(bets))
            outside += not lo <= wins <= hi
            won, bet = won + wins, bet + len(bets)
            for sc in scores:
                for attack, (c, p) in sc.orders.items():
                    pooled[attack][0] += c
                    pooled[attack][1] += p
                links += sc.links
                hits.append(sc.rank_hits)
                # Per copy, the whole-file and in-page orders ("lowest" bets on ~20 pages per
                # copy: too few for one copy, it is reported pooled).
                worst = max(worst, *(abs(sc.concordance(a) - 0.5) for a in ("file", "pages")))
            print(
                f"seed {seed}: lowest-cell bets {wins}/{len(bets)} (99.9 % bound {lo}-{hi}); "
                + ", ".join(f"{sc.worst:.3f}/{sc.links}/{sc.rank_hits}" for sc in scores),
                flush=True,
            )
        print(
            f"{args.seeds} seeds x 6 copies: links {links}, rank-pairing hits max {max(hits)} "
            f"(mean {statistics.mean(hits):.2f}), concordance pooled "
            + ", ".join(f"{a} {c / p:.4f}" for a, (c, p) in pooled.items())
            + ", "
            f"worst copy {0.5 + worst:.3f}"
        )
        lo, hi = secrecy_attack.binomial_bounds(bet)
        print(
            f"lowest-cell bets: {won}/{bet} = {won / bet:.4f} won over {args.seeds} seeds "
            f"(all seeds' 99.9 % bound {lo}-{hi}, z = {(won - bet / 2) / (bet**0.5 / 2):+.2f}); "
            f"seeds outside their own bound: {outside}"
        )
        for preload in () if args.no_cost else (0, 5000):
            t = sorted(cost(base, min(args.voters, 300), preload))
            print(
                f"cast_vote with {preload} ballots stored: p50 {t[len(t) // 2]:.1f} ms, "
                f"p99 {t[int(len(t) * 0.99)]:.1f} ms per voter"
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
