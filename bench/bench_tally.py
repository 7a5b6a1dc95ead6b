"""Benchmark: `urne tally` as a town runs it (a fresh process each time), on large elections, and
the Method of Equal Shares on a Budapest-sized election, with the outcome cache.

- Łódź 2022 (90 494 ballots, greedy-threshold), read in place from ../shared (URNE_SHARED);
- a synthetic approval election of 131 778 ballots (100 projects, up to 5 choices);
- a synthetic Budapest-sized election (28 943 voters, 175 projects, equal shares): equal shares
  in-process, then `urne tally` twice (the second reads the winners back from the cache).

Prints CPU time (user + system of the child: what the other load on a shared machine does not
inflate) and wall time, median and best over N runs.

Run: .venv/bin/python bench/bench_tally.py [N]
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(
    os.environ.get("URNE_SHARED")
    or next((p / "shared" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT.parent / "shared")
)
LODZ = SHARED / "data" / "pabulib" / "Poland_Lodz_2022.pb"
URNE = ROOT / ".venv" / "bin" / "urne"

from ballots.ballot import Channel, new_ballot  # noqa: E402
from ballots.election import Choice, Election, OutcomeRule, Question, Rule, RuleKind, Text  # noqa: E402
from ballots.outcome.equal_shares import equal_shares  # noqa: E402
from ballots.store import Polls, Store  # noqa: E402


def _run(argv: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(name: str, argv: list[str], n: int) -> None:
    runs = [_run(argv) for _ in range(n)]
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print(
        f"{name:<44} CPU median {statistics.median(cpus):.2f} s, best {min(cpus):.2f} s; "
        f"wall median {statistics.median(walls):.2f} s, best {min(walls):.2f} s "
        f"(n = {n}, load {os.getloadavg()[0]:.1f})",
        flush=True,
    )


def synthetic(
    eid: str, n_projects: int, n_voters: int, seed: int, *, outcome: OutcomeRule, budget: int
) -> tuple[Election, list]:
    rng = random.Random(seed)
    costs = [rng.randrange(5, 200) * 10_000 for _ in range(n_projects)]
    choices = tuple(Choice(f"p{i:03d}", Text.of(f"Projet {i}"), cost=costs[i]) for i in range(n_projects))
    q = Question("projets", Text.of("Projets"), Rule(RuleKind.APPROVAL, 0, 5, budget=budget), choices)
    e = Election(eid, Text.of(eid), (q,), outcome=outcome)
    ids = q.choice_ids
    weights = [1 / (i + 1) ** 0.8 for i in range(n_projects)]  # some projects far more popular
    ballots = []
    for _ in range(n_voters):
        k = rng.randint(1, 5)
        picked = tuple(dict.fromkeys(rng.choices(ids, weights, k=k)))
        ballots.append(new_ballot(e, {q.id: picked}, channel=rng.choice([Channel.KIOSK, Channel.PAPER]), device="b"))
    return e, ballots


def store_with(path: Path, e: Election, ballots: list) -> None:
    s = Store(path)
    s.install_election(e)
    s.set_polls(Polls.OPEN, actor="bench")
    s.cast_many(ballots)
    s.close()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    exe = [str(URNE)] if URNE.exists() else [sys.executable, "-m", "kiosk.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        if LODZ.exists():
            data = str(Path(tmp) / "lodz")
            t0 = time.perf_counter()
            subprocess.run(
                [*exe, "init", "--election", str(LODZ), "--with-ballots", "--data", data],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(f"urne init --with-ballots, Łódź 2022: wall {time.perf_counter() - t0:.1f} s")
            measure("urne tally, Łódź 2022 (90 494 ballots)", [*exe, "tally", "--data", data], n)
        else:
            print(f"(Łódź skipped: {LODZ} not found)")

        e, ballots = synthetic("big-131778", 100, 131_778, 1, outcome=OutcomeRule.GREEDY, budget=5_000_000)
        big = Path(tmp) / "big"
        store_with(big, e, ballots)
        measure("urne tally, 131 778 ballots (synthetic)", [*exe, "tally", "--data", str(big)], n)

        e, ballots = synthetic("budapest-like", 175, 28_943, 2, outcome=OutcomeRule.EQUAL_SHARES, budget=50_000_000)
        q = e.questions[0]
        costs = {c.id: c.cost for c in q.choices}
        approvals = [b.selection[q.id] for b in ballots]
        t0 = time.process_time()
        stats: dict[str, int] = {}
        winners = equal_shares(costs, approvals, q.rule.budget, stats=stats)
        print(
            f"equal shares, 28 943 voters x 175 projects (in-process): CPU {time.process_time() - t0:.2f} s, "
            f"{len(winners)} funded, {stats['runs']} runs ({stats['exact']} exact)",
            flush=True,
        )
        bud = Path(tmp) / "budapest"
        store_with(bud, e, ballots)
        measure("urne tally, Budapest-sized, 1st (computes MES)", [*exe, "tally", "--data", str(bud)], 1)
        measure("urne tally, Budapest-sized, cached", [*exe, "tally", "--data", str(bud)], n)


if __name__ == "__main__":
    main()
