"""Benchmark: Urne's pabulib loading, greedy and Method of Equal Shares against pabutools.

Run apart from the tests (needs the `bench` extra: `pip install -e .[bench]` and ../shared):

    .venv/bin/python bench/bench_outcome.py [--quick]

pabutools is run the way these files are decided (pabulib's `equalshares/add1` and `greedy`):
    method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
    greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
on the plain profile parsed by `parse_pabulib`, and also on `profile.as_multiprofile()` (pabutools'
own faster path). Every row asserts identical winners.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PABULIB = next((p / "shared" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT.parent / "shared")
PABULIB = PABULIB / "data" / "pabulib"

from ballots import pabulib  # noqa: E402
from ballots.outcome import decide_all  # noqa: E402
from ballots.outcome.equal_shares import equal_shares  # noqa: E402
from ballots.tally import tally  # noqa: E402

MES_FILES = ("Poland_Swiecie_2023.pb", "Netherlands_Assen_2024.pb", "Poland_Wieliczka_2023_Green_Budget.pb")
LOAD_FILES = ("Poland_Lodz_2022.pb", "Poland_Krakow_2024.pb")


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best CPU time of `repeat` calls (CPU time: the machine is shared, wall time is noisy)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.process_time()
        result = fn()
        best = min(best, time.process_time() - t)
    return best, result


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms" if seconds < 10 else f"{seconds:9.2f} s "


def bench_mes(name: str, quick: bool) -> tuple[str, str, float, float, float | None]:
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import method_of_equal_shares

    path = PABULIB / name
    pb = pabulib.load(path)
    q = pb.question
    costs = {c.id: c.cost for c in q.choices}
    approvals = [b.selection[q.id] for b in pb.ballots]
    stats: dict[str, int] = {}
    ours, won = best_of(lambda: equal_shares(costs, approvals, q.rule.budget, stats=stats), 5)
    instance, profile = parse_pabulib(str(path))
    multi, theirs_multi = best_of(
        lambda: method_of_equal_shares(
            instance, profile.as_multiprofile(), sat_class=Cost_Sat, voter_budget_increment=1
        ),
        1,
    )
    assert sorted(str(p) for p in theirs_multi) == sorted(won), name
    plain: float | None = None
    if not quick:
        plain, theirs = best_of(
            lambda: method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1), 1
        )
        assert sorted(str(p) for p in theirs) == sorted(won), name
    label = f"{name} ({len(approvals)} ballots, {stats['runs']} runs, {stats['exact']} exact)"
    return ("MES add1", label, ours, multi, plain)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip pabutools on the plain profile (slowest)")
    args = ap.parse_args()
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare

    rows: list[tuple[str, str, float, float, float | None]] = []

    for name in LOAD_FILES:
        path = PABULIB / name
        ours, pb = best_of(lambda path=path: pabulib.load(path), 3)
        theirs, _ = best_of(lambda path=path: parse_pabulib(str(path)), 1)
        rows.append(("load .pb", f"{name} ({len(pb.ballots)} ballots)", ours, theirs, None))

    for name in MES_FILES:
        rows.append(bench_mes(name, args.quick))

    path = PABULIB / "Poland_Lodz_2022.pb"
    pb = pabulib.load(path)

    def ours_greedy() -> tuple[str, ...]:
        t = tally(pb.election, pb.ballots)
        return decide_all(pb.election, t, pb.ballots)[0].winners

    ours, won = best_of(ours_greedy, 3)
    instance, profile = parse_pabulib(str(path))
    theirs_t, theirs = best_of(lambda: greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat), 1)
    assert sorted(str(p) for p in theirs) == sorted(won) == sorted(pb.selected or ())
    rows.append(("greedy+tally", f"Poland_Lodz_2022.pb ({len(pb.ballots)} ballots)", ours, theirs_t, None))

    print(f"{'what':<13} {'file':<62} {'urne':>12} {'pabutools':>12} {'speed-up':>9} {'pabutools plain':>16}")
    for what, label, ours_s, theirs_s, plain_s in rows:
        ratio = (plain_s or theirs_s) / ours_s
        plain_txt = fmt(plain_s) if plain_s is not None else ""
        print(f"{what:<13} {label:<62} {fmt(ours_s)} {fmt(theirs_s)} {ratio:8.0f}x {plain_txt:>16}")
    print("CPU times, best of several runs for urne; identical winners in every row (asserted);")
    print("speed-up against pabutools on the plain profile where measured, else against its multiprofile")
    return 0


if __name__ == "__main__":
    sys.exit(main())
