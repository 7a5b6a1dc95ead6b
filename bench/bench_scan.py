"""Paper scanning: accuracy over >= 100 000 boxes and speed per A4 sheet at 200 dpi.

    .venv/bin/python bench/bench_scan.py [--boxes 100000] [--seed 0] [--workers 2] [--speed-sheets 30]

`--seed S` draws a different corpus (sheets S*10^6 ...), so several runs cover different boxes;
`--boxes 10000 --skip-speed` is a quick look (~1/10 of the full run); `--seed S --sheet N` replays the
N-th sheet of seed S and writes its crops (`--dump DIR`).

Accuracy: ballots of two elections (the 20-project sample, one column; a 56-choice ballot, two
columns) are printed, rendered at 150/200/300 dpi, marked by `paper_corpus` with hand-like
marks and non-marks, degraded (rotation incl. upside down, 90-110 % scaling, perspective, uneven light,
blur, noise, specks, JPEG 30-95, low contrast, folds through boxes, scanner streaks), encoded,
then decoded and read exactly as `urne scan` does. A misread is a true mark read blank or a
blank/non-mark read marked; ambiguous is allowed and counted.
Speed: the same pipeline on one core over PNG files at 200 dpi, against the bare decode time,
decode and decode + read interleaved sheet by sheet (`--speed-rounds` times over `--speed-sheets`),
median and 10-90 % range of each, memory kept as `urne scan` keeps it (`sources.steady_memory`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ballots import election_file  # noqa: E402
from ballots import samples as sample_elections  # noqa: E402
from ballots.election import Choice, Election, Question, Rule, RuleKind, Text  # noqa: E402
from ballots.errors import FileRefused
from ballots.paper import geometry, issued, sheet, sources  # noqa: E402
from ballots.paper.printing import print_ballots  # noqa: E402
from ballots.store import Store  # noqa: E402
from bench import paper_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DPIS = (150, 200, 200, 300)
# Ballots printed with frame 1 (one code, squares 12 mm in): the box positions every recorded
# seed (tests/ballots/paper/test_marks.py) was drawn on, so a seed replays the same image.
FRAME = 1
HELD_OUT = 1060  # the seed nobody looks at (bench/README.md): run once, for the README's final figures
# Held-out seeds that were looked at (their summaries read, rules changed after them): ordinary now.
SPENT = (4242, 5806, 9783, 8051, 3938, 6345, 9879, 7215, 9909, 7259, 3717, 9055, 7763, 2340, 8938, 4802, 3076)


def big_election() -> Election:
    choices = tuple(
        Choice(f"c{i:02d}", Text.of(f"Projet n° {i} : quartier"), cost=1000 * (i % 17 + 3)) for i in range(1, 57)
    )
    q = Question("projets", Text.of("Quels projets voulez-vous ?"), Rule(RuleKind.APPROVAL, 0, 10), choices)
    return Election("bench-56", Text.of("Banc d'essai 56 choix"), (q,))


_W: dict = {}


def _init(setups: list[tuple[Election, bytes, str, str]]) -> None:
    _W["setups"] = []
    for election, secret, pdf, variant in setups:
        pages = {dpi: paper_corpus.render_pdf_pages(Path(pdf), dpi) for dpi in set(DPIS)}
        # The frame the PDF was printed with (fixed_setups: frame 1, so old seeds replay exactly).
        _W["setups"].append((election, secret, pages, geometry.layout(election, variant, FRAME)))


def corpus_sheet(seed: int) -> tuple[paper_corpus.Sheet, Election, bytes]:
    """Sheet `seed` of the corpus (after `_init`): the image, its truth, and what reads it."""
    rng = random.Random(seed)
    election, secret, pages, lay = _W["setups"][seed % len(_W["setups"])]
    dpi = rng.choice(DPIS)
    i = rng.randrange(len(pages[dpi]))
    # Half the sheets carry only real marks (the voters who mark cleanly); half also dots and strays.
    sh = paper_corpus.mark_sheet(pages[dpi][i], lay, 1, dpi, rng, nonmark_share=0.0 if seed % 4 < 2 else 0.15)
    return sh, election, secret


def _job(seed: int, dump: Path | None = None) -> dict:
    sh, election, secret = corpus_sheet(seed)
    try:
        gray = sources.decode_bytes(sh.data)
    except FileRefused as exc:
        return {"error": exc.reason}
    read = sheet.read_gray(gray, election, secret, evidence=dump is not None)
    if dump is not None:
        _dump(dump, seed, sh, read)
    if read.error:
        return {"error": read.error[0], "deg": repr(sh.degrade)}
    stats: Counter = Counter()
    bad = []
    amb_kinds: Counter = Counter()
    for b in read.boxes:
        truth, kind = sh.truth[b.key], sh.kinds[b.key] or "empty"
        stats["boxes"] += 1
        stats[f"kind:{kind}"] += 1
        if b.state == "ambiguous":
            stats["ambiguous"] += 1
            amb_kinds[f"{kind}/{b.why}"] += 1
        elif b.state != truth:
            stats["misread"] += 1
            bad.append((seed, b.key, kind, b.state, b.cover, b.why))
    clear = all(k in ("", *paper_corpus.MARKS) for k in sh.kinds.values())
    undecided = any(b.state == "ambiguous" for b in read.boxes)
    lines = sh.degrade.folds + sh.degrade.streaks > 0  # creases or scanner streaks somewhere on the page
    return {
        "seed": seed,
        "stats": stats,
        "bad": bad,
        "amb": amb_kinds,
        "clear": clear,
        "decided": not undecided,
        "lines": lines,
    }


def _dump(out: Path, seed: int, sh: paper_corpus.Sheet, read: sheet.PageRead) -> None:
    """Write the sheet and the crops of its misread and ambiguous boxes, to look at them."""
    import cv2
    import numpy as np

    out.mkdir(parents=True, exist_ok=True)
    (out / f"{seed}-sheet.{'jpg' if sh.degrade.jpeg else 'png'}").write_bytes(sh.data)
    print(f"sheet {seed}: dpi {sh.dpi} {sh.degrade}")
    if not read.crops_png:
        print(f"  not read: {read.error}")
        return
    strip = cv2.imdecode(np.frombuffer(read.crops_png, np.uint8), cv2.IMREAD_GRAYSCALE)
    side = strip.shape[0]
    for i, b in enumerate(read.boxes):
        truth, kind = sh.truth[b.key], sh.kinds[b.key] or "empty"
        if b.state == truth:
            continue
        tag = "amb" if b.state == "ambiguous" else "MISREAD"
        crop = cv2.resize(strip[:, i * side : (i + 1) * side], None, fx=3, fy=3, interpolation=cv2.INTER_NEAREST)
        cv2.imwrite(str(out / f"{seed}-{i:02d}-{tag}-{kind}-{b.why}.png"), crop)
        print(f"  box {i} {b.key}: drawn {kind}, read {b.state} ({b.why}, cover {b.cover:.3f})")


def fixed_setups(tmp: Path) -> list[tuple[Election, bytes, str, str]]:
    """The two elections' printed ballots, the same bytes on every run (fixed secret and serials).

    Serials and secrets are random in use; here they are fixed so that a seed draws the same
    sheets every time and a misread can be replayed (`--sheets`).
    """
    setups = []
    for name, election in (
        ("sample", election_file.load(sample_elections.path("budget-participatif"))),
        ("big", big_election()),
    ):
        store = Store(tmp / name)
        store.install_election(election, secret=hashlib.sha256(name.encode()).digest())
        pdf = tmp / f"{name}.pdf"
        serials = (f"{name[:3].upper()}{i:05d}" for i in range(10**6))
        with mock.patch.object(issued, "new_serial", serials.__next__):
            print_ballots(store, 6, pdf, frame=FRAME)
        setups.append((election, store.election_secret(), str(pdf), "A"))
        store.close()
    return setups


def accuracy(
    boxes: int, workers: int, seed: int = 0, only: list[int] | None = None, dump: Path | None = None, offset: int = 0
) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-scan-"))
    setups = fixed_setups(tmp)
    per_sheet = (20 + 56) / 2
    n = int(boxes / per_sheet * 1.02) + 1  # ~1 % of sheets are refused (too degraded): still >= `boxes` read
    t0 = time.perf_counter()
    total: Counter = Counter()
    amb: Counter = Counter()
    errors: Counter = Counter()
    bad: list = []
    clear = clear_decided = decided = sheets = 0
    clear_undecided: list[int] = []
    by_lines: Counter = Counter()  # clear sheets with / without creases or streaks: (count, decided)
    if only:
        _init(setups)
        for s in only:
            _job(s, dump or tmp / "dump")
        print(f"crops in {dump or tmp / 'dump'}")
        return
    with ProcessPoolExecutor(workers, initializer=_init, initargs=(setups,)) as pool:
        for r in pool.map(_job, range(seed * 10**6 + offset, seed * 10**6 + offset + n), chunksize=8):
            if "error" in r:
                errors[r["error"]] += 1
                continue
            sheets += 1
            total.update(r["stats"])
            amb.update(r["amb"])
            bad.extend(r["bad"])
            decided += r["decided"]
            if r["clear"]:
                clear += 1
                clear_decided += r["decided"]
                by_lines[(r["lines"], "n")] += 1
                by_lines[(r["lines"], "ok")] += r["decided"]
                if not r["decided"]:
                    clear_undecided.append(r["seed"])
    dt = time.perf_counter() - t0
    print(
        f"accuracy (seed {seed}): {n} sheets generated, {sheets} read, {total['boxes']} boxes in {dt:.0f} s ({workers} workers)"
    )
    print(f"  sheets not read: {dict(errors)}")
    print(
        f"  misreads: {total['misread']}  ambiguous: {total['ambiguous']} "
        f"({100 * total['ambiguous'] / max(total['boxes'], 1):.3f} % of boxes)"
    )
    print(
        f"  sheets decided without a person: {100 * decided / max(sheets, 1):.2f} % of all; "
        f"{100 * clear_decided / max(clear, 1):.2f} % of {clear} sheets with clear marks only (no dots or strays; every degradation incl. folds)"
    )
    for has, label in ((False, "no crease or streak on the page"), (True, "creases or streaks")):
        k, ok = by_lines[(has, "n")], by_lines[(has, "ok")]
        print(f"    clear sheets, {label}: {100 * ok / max(k, 1):.2f} % of {k} decided")
    print("  boxes by kind: " + ", ".join(f"{k[5:]} {v}" for k, v in sorted(total.items()) if k.startswith("kind:")))
    print("  ambiguous by kind/why: " + ", ".join(f"{k} {v}" for k, v in amb.most_common(12)))
    print(f"  clear sheets sent to a person (replay with --sheets): {clear_undecided[:40]}")
    for b in bad[:60]:
        print("  MISREAD seed={} box={} drawn={} read={} cover={:.3f} why={}".format(*b))
    summary = {"sheets": sheets, "boxes": total["boxes"], "misreads": total["misread"], "ambiguous": total["ambiguous"]}
    summary |= {"decided": decided, "clear": clear, "clear_decided": clear_decided, "refused": sum(errors.values())}
    print("SUMMARY " + json.dumps(summary, sort_keys=True))


def speed_sheets(count: int, prefix: str = "bench-speed-") -> tuple[Election, bytes, list[Path]]:
    """The speed run's sheets: clean marked A4 sample ballots at 200 dpi (PNG), always the same
    (seed 7); `bench_ab.py` times two readers on exactly these."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    election = election_file.load(sample_elections.path("budget-participatif"))
    store = Store(tmp / "d")
    store.install_election(election)
    pdf = tmp / "b.pdf"
    print_ballots(store, 4, pdf)
    pages = paper_corpus.render_pdf_pages(pdf, 200)
    lay = geometry.layout(election, "A")
    rng = random.Random(7)
    files = []
    for i in range(count):
        sh = paper_corpus.mark_sheet(pages[i % len(pages)], lay, 1, 200, rng, level="clean")
        f = tmp / f"s{i:03d}.png"
        f.write_bytes(sh.data)
        files.append(f)
    return election, store.election_secret(), files


def _faults() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _machine_busy() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far (Linux /proc/stat; zeros elsewhere)."""
    try:
        fields = [float(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0.0, 0.0
    hz = 100.0  # USER_HZ: /proc/stat counts in 1/100 s on Linux
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)
    return (sum(fields[:8]) - idle) / hz, sum(fields[:8]) / hz


def _spread(v: list[float], unit: float = 1000.0) -> str:
    """Median and the 10-90 % range (of CPU times in ms, or of ratios with unit 1)."""
    v = sorted(v)
    n = len(v)
    return f"median {unit * v[n // 2]:.2f} (10-90 %: {unit * v[n // 10]:.2f}-{unit * v[(9 * n) // 10]:.2f})"


def speed(count: int, rounds: int = 5) -> None:
    """Decode alone and decode + read, interleaved sheet by sheet (the same memory and cache state
    for both), `rounds` times over `count` sheets: medians, spreads and the per-sheet ratio.

    CPU time of this process (time.process_time, user + system): on a machine shared with other
    work, wall time measures the neighbours; CPU time is what one core spends on our sheet
    (contention for the shared caches still shows in it: the load is printed). Memory as `urne
    scan`'s readers keep it (`sources.steady_memory`); the decode is also timed with glibc's
    default thresholds, where each page is mapped afresh (what made the bare decode move)."""
    import os

    import cv2

    election, secret, files = speed_sheets(count)
    sources.steady_memory()  # as `scan` sets it in every process that reads pages
    cv2.setNumThreads(1)  # one core: OpenCV's own threads would add their CPU time to ours
    for f in files[:3]:  # warm caches (layout, templates)
        sheet.read_page(str(f), 1, election, secret)
    clock = time.process_time
    load0 = os.getloadavg()[0]
    busy0, all0, own0 = *_machine_busy(), clock()
    dec, full, ev, ratio, dec_faults, full_faults = [], [], [], [], [], []
    for _ in range(rounds):
        for f in files:
            k, t = _faults(), clock()
            sources.load(f, 1)
            dec.append(clock() - t)
            dec_faults.append(_faults() - k)
            k, t = _faults(), clock()
            r = sheet.read_page(str(f), 1, election, secret, evidence=False)
            full.append(clock() - t)
            full_faults.append(_faults() - k)
            assert r.error is None, r.error
            ratio.append(full[-1] / dec[-1])
            t = clock()
            sheet.read_page(str(f), 1, election, secret, evidence=True)
            ev.append(clock() - t)
    busy1, all1, own1 = *_machine_busy(), clock()
    # The other cores' work shares the caches and memory with ours and raises our CPU time (a
    # test suite on the other core: +30-45 % on the same reader): how busy they were, apart from us.
    others = 100 * (busy1 - busy0 - (own1 - own0)) / max(all1 - all0 - (own1 - own0), 1e-9)
    fresh, fresh_faults = _fresh_decodes(files)
    load1 = os.getloadavg()[0]
    dec_med, full_med = sorted(dec)[len(dec) // 2], sorted(full)[len(full) // 2]
    print(
        f"speed (A4, 200 dpi PNG, 1 core, CPU time, {len(dec)} reads interleaved with their decodes, "
        f"load {load0:.1f} -> {load1:.1f} on {os.cpu_count()} cores, the other cores {others:.0f} % busy):"
    )
    print(f"  decode only:                 {_spread(dec)} ms, page faults {sorted(dec_faults)[len(dec) // 2]}")
    print(
        f"  decode + read (all boxes):   {_spread(full)} ms -> {full_med / dec_med:.2f}x decode "
        f"(per sheet: {_spread(ratio, 1)}x), page faults {sorted(full_faults)[len(full) // 2]}"
    )
    print(f"  + evidence (JPEG + crops):   {_spread(ev)} ms")
    print(
        f"  decode with glibc's default thresholds (each page mapped afresh, as before steady_memory): "
        f"{_spread(fresh)} ms, page faults {sorted(fresh_faults)[len(fresh) // 2]}"
    )


def _fresh_decodes(files: list[Path]) -> tuple[list[float], list[int]]:
    """The bare decode with glibc's default mmap threshold (128 KiB): every page's memory is
    mapped afresh and faulted in. Last: it leaves the process in that state."""
    import ctypes
    import ctypes.util

    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.mallopt(-3, 128 << 10)  # M_MMAP_THRESHOLD
    libc.mallopt(-1, 128 << 10)  # M_TRIM_THRESHOLD
    times, faults = [], []
    for f in files:
        k, t = _faults(), time.process_time()
        sources.load(f, 1)
        times.append(time.process_time() - t)
        faults.append(_faults() - k)
    return times, faults


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--boxes", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0, help="corpus seed: sheets seed*10^6 onwards")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--speed-sheets", type=int, default=30)
    ap.add_argument("--speed-rounds", type=int, default=5, help="reads of each speed sheet (interleaved)")
    ap.add_argument("--skip-accuracy", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--sheets", type=int, nargs="+", help="replay these sheet seeds and dump their crops")
    ap.add_argument("--dump", type=Path, help="where --sheets writes sheets and crops")
    ap.add_argument("--held-out", action="store_true", help="the final run on the held-out seed")
    ap.add_argument("--offset", type=int, default=0, help="start at this sheet of the seed (run in chunks)")
    ap.add_argument(
        "--sheet", type=int, nargs="+", help="replay sheet N of --seed (its N-th sheet, from 0) and dump it"
    )
    args = ap.parse_args()
    if args.sheet:
        if args.held_out or args.seed == HELD_OUT:
            ap.error("the held-out seed's sheets are not replayed")
        args.sheets = [args.seed * 10**6 + n for n in args.sheet]
    if args.held_out:
        args.seed = HELD_OUT
    elif args.seed == HELD_OUT:
        ap.error(f"seed {HELD_OUT} is held out: only --held-out runs it (final figures)")
    if args.sheets and any(s // 10**6 == HELD_OUT for s in args.sheets):
        ap.error("the held-out seed's sheets are not replayed")
    if args.sheets:
        accuracy(0, 1, only=args.sheets, dump=args.dump)
        return 0
    if not args.skip_speed:
        speed(args.speed_sheets, args.speed_rounds)
    if not args.skip_accuracy:
        accuracy(args.boxes, args.workers, args.seed, offset=args.offset)
    return 0


if __name__ == "__main__":
    sys.exit(main())
