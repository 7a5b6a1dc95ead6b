"""Two paper readers side by side in one process: this tree's and another revision's.

    .venv/bin/python bench/bench_ab.py --base main                    # speed: B/A CPU ratio, same reads?
    .venv/bin/python bench/bench_ab.py --base main --from /tmp/hard31 # purity: every box of saved sheets

The other revision's `ballots` package is taken with `git archive` and loaded beside this one
under another name (`ballots_base`), so both readers run in the same process on the same
decoded images. Speed: the clean A4 sheets of `bench_scan.py`'s speed run (200 dpi), read in
turn by each reader (the order swapped every round), CPU time (`time.process_time`, OpenCV on
one thread): on a machine shared with other work the ratio holds where absolute times do not.
Purity (`--from DIR`, folders made by `bench_scan_hard.py --save DIR`): each saved sheet read by
both; a speed-up is pure when no sheet differs in its refusal or in any box's state, reason or
cover. Development seeds only: the held-out seed's folder is refused.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import io
import pickle
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2  # noqa: E402

from ballots.paper import sheet, sources  # noqa: E402
from ballots.store import Store  # noqa: E402
from bench import bench_scan, bench_scan_hard  # noqa: E402
from bench.bench_scan import HELD_OUT  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def load_base(rev: str, into: Path):
    """The `ballots` package of revision `rev`, importable as `ballots_base` (its own imports
    renamed), and its `paper.sheet` module."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "ballots"], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    (into / "ballots").rename(into / "ballots_base")
    for f in (into / "ballots_base").rglob("*.py"):
        text = f.read_text()
        text = re.sub(r"\bfrom ballots(\.| import)", lambda m: f"from ballots_base{m.group(1)}", text)
        f.write_text(re.sub(r"\bimport ballots\.", "import ballots_base.", text))
    sys.path.insert(0, str(into))
    return importlib.import_module("ballots_base.paper.sheet")


class _AsBase(pickle.Unpickler):
    """Unpickles this tree's objects as the base revision's (`ballots.x` -> `ballots_base.x`): the
    base reader compares enums by identity, so it must get an election made of its own classes."""

    def find_class(self, module: str, name: str):
        if module == "ballots" or module.startswith("ballots."):
            module = "ballots_base" + module[len("ballots") :]
        return super().find_class(module, name)


def as_base(obj):
    return _AsBase(io.BytesIO(pickle.dumps(obj))).load()


def _boxes(read) -> tuple:
    err = str(read.error[0]) if read.error else None
    return err, tuple((b.key, b.state, b.why, b.cover) for b in read.boxes)


def speed(base, rounds: int, count: int = 30) -> None:
    election, secret, files = bench_scan.speed_sheets(count, prefix="bench-ab-")
    readers = {"A (base)": base, "B (this tree)": sheet}
    elections = {"A (base)": as_base(election), "B (this tree)": election}
    for f in files[:3]:  # warm caches (layouts, masks)
        for name, mod in readers.items():
            mod.read_page(str(f), 1, elections[name], secret, evidence=False)
    cv2.setNumThreads(1)
    sources.steady_memory()  # as `scan`'s readers run: no page mapped afresh per decode
    clock = time.process_time
    times: dict[str, list[float]] = {k: [] for k in readers}
    dec: list[float] = []
    same = True
    for r in range(rounds):
        for f in files:
            t = clock()
            sources.load(f, 1)
            dec.append(clock() - t)
            reads = {}
            for name in list(readers)[:: 1 if r % 2 == 0 else -1]:
                t = clock()
                reads[name] = readers[name].read_page(str(f), 1, elections[name], secret, evidence=False)
                times[name].append(clock() - t)
            same &= len({_boxes(v) for v in reads.values()}) == 1

    def med(v: list[float]) -> float:
        return 1000 * sorted(v)[len(v) // 2]

    print(f"speed (A4, 200 dpi PNG, 1 core, CPU time, {len(dec)} reads each, interleaved):")
    print(f"  decode only: median {med(dec):.1f} ms")
    for name, v in times.items():  # read_page decodes the file itself: its time is decode + read
        print(f"  {name}: decode + read median {med(v):.1f} ms -> {med(v) / med(dec):.2f}x decode")
    a, b = times["A (base)"], times["B (this tree)"]
    # Each sheet's two reads were taken back to back: their ratio cancels most of what the machine
    # did meanwhile (another process on the shared caches), which the medians of each do not.
    paired = sorted(y / x for x, y in zip(a, b, strict=True))
    print(
        f"  B/A: median {med(b) / med(a):.3f}, total {sum(b) / sum(a):.3f}, per sheet "
        f"{paired[len(paired) // 2]:.3f} (10-90 %: {paired[len(paired) // 10]:.3f}-{paired[(9 * len(paired)) // 10]:.3f}); "
        f"same reads: {same}"
    )


def purity(base, src: Path) -> int:
    meta, truths = bench_scan_hard.saved_sheets(src)
    if meta.get("seed") == HELD_OUT:
        raise SystemExit("the held-out seed's sheets are not replayed")
    tmp = Path(tempfile.mkdtemp(prefix="bench-ab-"))
    by_name: dict = {}
    for name, election in bench_scan_hard.elections():
        # The secret each election's ballots were printed with (`bench_scan_hard.fixed_setups`).
        store = Store(tmp / name)
        store.install_election(election, secret=hashlib.sha256(name.encode()).digest())
        by_name[name] = (election, as_base(election), store.election_secret())
        store.close()
    differ = boxes = 0
    for t in truths:
        election, theirs, secret = by_name[t["name"]]
        path = src / f"{t['seed']}{t['suffix']}"
        a = _boxes(base.read_page(str(path), 1, theirs, secret, evidence=False))
        b = _boxes(sheet.read_page(str(path), 1, election, secret, evidence=False))
        boxes += len(b[1])
        if a != b:
            differ += 1
            if differ <= 20:
                changed = [(x, y) for x, y in zip(a[1], b[1], strict=False) if x != y][:4]
                print(f"  sheet {t['seed']} ({t['family']}/{t['mode']}/{t['dpi']}): A {a[0]} B {b[0]} {changed}")
    print(f"{len(truths)} saved sheets, {boxes} boxes: {differ} sheets read differently")
    return 1 if differ else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="main", help="the other revision (git rev)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--from", dest="src", type=Path, nargs="*", help="bench_scan_hard.py --save folders")
    args = ap.parse_args()
    base = load_base(args.base, Path(tempfile.mkdtemp(prefix="bench-ab-base-")))
    if args.src:
        return max(purity(base, src) for src in args.src)
    speed(base, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
