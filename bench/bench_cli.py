"""Whole-process start-up of the `urne` command line, as a user runs it.

Runs the installed `urne` script (a fresh Python each time, nothing cached in-process):
- `urne --help`
- `urne tally` on Świecie 2023 (2 553 ballots, equal shares) and on Łódź 2022 (90 494 ballots,
  greedy-threshold; N // 4 runs, at least 3), pabulib files read in place from ../shared
and prints, over N runs, the median and best wall-clock time, the median and best CPU time (user +
system, which the other work on a shared machine does not inflate) and the machine's load
average before and after, so a figure is read with the load it was measured under.

Run: .venv/bin/python bench/bench_cli.py [N]   (URNE_SHARED=/path/to/shared if not ../shared)
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URNE = ROOT / ".venv" / "bin" / "urne"
# ../shared from the checkout; URNE_SHARED names it when the checkout lives elsewhere (a worktree).
SHARED = Path(os.environ.get("URNE_SHARED", ROOT.parent / "shared"))
SWIECIE = SHARED / "data" / "pabulib" / "Poland_Swiecie_2023.pb"
LODZ = SHARED / "data" / "pabulib" / "Poland_Lodz_2022.pb"


def _run(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(name: str, argv: list[str], n: int) -> None:
    _run(argv)  # warm the OS file cache once
    load_before = os.getloadavg()[0]
    runs = [_run(argv) for _ in range(n)]
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print(
        f"{name:<28} wall median {statistics.median(walls):.3f} s, best {min(walls):.3f} s; "
        f"CPU median {statistics.median(cpus):.3f} s, best {min(cpus):.3f} s  "
        f"(n = {n}, load {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    exe = [str(URNE)] if URNE.exists() else [sys.executable, "-m", "kiosk.cli"]
    measure("urne --help", [*exe, "--help"], n)
    if not SWIECIE.exists():
        print(f"(skipped urne tally: {SWIECIE} not found)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "d")
        subprocess.run(
            [*exe, "init", "--election", str(SWIECIE), "--with-ballots", "--data", data],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        measure("urne tally (Świecie 2023)", [*exe, "tally", "--data", data], n)
        measure("urne tally --json (Świecie)", [*exe, "tally", "--json", "--data", data], n)
    if not LODZ.exists():
        print(f"(skipped Łódź: {LODZ} not found)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "d")
        subprocess.run(
            [*exe, "init", "--election", str(LODZ), "--with-ballots", "--data", data],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        measure("urne tally (Łódź 2022)", [*exe, "tally", "--data", data], max(3, n // 4))


if __name__ == "__main__":
    main()
