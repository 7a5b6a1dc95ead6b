"""Scanner frames: how many sheets are accepted when the frame cuts a corner, and what reading costs.

    .venv/bin/python bench/bench_frames.py [--sheets 1200] [--seed 0] [--workers 2] [--frame 2]

Ballots of real elections (the sample budget and five pabulib files: Toulouse Saint-Cyprien,
Kraków 2024, Łódź 2022, Zürich D10, Wieliczka), each in A4, Letter and large print, are printed
with `print_ballots`, rendered by pdfium at the scanner's dpi, marked with 0-5 clear pen marks
(`paper_corpus.draw`), then captured by `paper_frames` (p11b's independent scanner model: the
page turned 0/90/180/270 plus up to 5 degrees, shifted on the bed, the frame cutting a band off
one edge or a deep corner off, white/grey/black lid with the page's shadow line, 150-600 dpi,
colour/grey/1-bit TIFF G4 or PNG, JPEG). Each file is read exactly as `urne scan` reads it
(`sources.load` then `sheet.read_gray`).

Reported: accepted (the right serial and sheet, no refusal) by how many corner regions the frame
cut (paper_frames.CUT_DEPTH_MM lost at a corner), by family, dpi and mode; refusal reasons;
misreads (a drawn mark read blank or an empty box read marked; "ambiguous" goes to a person and
is allowed); and the process CPU time (one core) of decoding the file and of reading it.

`--frame 1` prints the ballots as they were before frame 2 (one code, squares 12 mm in): with the
reader of that time (a checkout of main before "Paper frame 2"), it gives the "before" figures.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from ballots import election_file, pabulib  # noqa: E402
from ballots import samples as sample_elections  # noqa: E402
from ballots.paper import geometry, issued, sheet, sources  # noqa: E402
from ballots.paper.printing import print_ballots  # noqa: E402
from ballots.store import Store  # noqa: E402
from bench import paper_corpus, paper_frames  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PABULIB = ROOT.parent / "shared" / "data" / "pabulib"
if not PABULIB.exists():
    PABULIB = Path("/work/shared/data/pabulib")
REAL = (
    "France_Toulouse_2022_6_-_Saint-Cyprien.pb",
    "Poland_Krakow_2024.pb",
    "Poland_Lodz_2022.pb",
    "Switzerland_Zurich_D10.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
)
VARIANTS = (("A4", False), ("letter", False), ("A4", True))
# Most sheets have a corner cut (the case measured); the rest keep the whole-page cases honest.
FAMILIES = (("corner_cut", 0.45), ("edge_crop", 0.25), ("straight", 0.30))
RUN = 20
HI_DPI = 0.3  # share of paper_frames' 600 dpi draws kept (they are ~1 in 5): ~6 % of sheets


def elections() -> list[tuple[str, object]]:
    out = [("sample", election_file.load(sample_elections.path("budget-participatif")))]
    for name in REAL:
        path = PABULIB / name
        if path.exists():
            out.append((name.split(".")[0], pabulib.load(path).election))
    return out


def setups(tmp: Path, frame: int) -> list[tuple[str, object, bytes, str, str]]:
    """One printed ballot per election and variant (fixed secrets and serials: replayable)."""
    kw = {"frame": frame} if "frame" in inspect.signature(print_ballots).parameters else {}
    if frame != 2 and not kw:
        kw = {}  # the reader of before frame 2 prints frame 1 anyway
    out = []
    for name, election in elections():
        store = Store(tmp / name)
        store.install_election(election, secret=hashlib.sha256(name.encode()).digest())
        for size, large in VARIANTS:
            variant = geometry.variant_for(size, large)
            pdf = tmp / f"{name}-{variant}.pdf"
            tag = int(hashlib.sha256(f"{name}{variant}".encode()).hexdigest(), 16) % 97
            serials = (f"F{tag:02d}{i:05d}" for i in range(10**6))
            try:
                with mock.patch.object(issued, "new_serial", serials.__next__):
                    print_ballots(store, 1, pdf, page_size=size, large_print=large, **kw)
            except Exception as exc:  # noqa: BLE001 - a layout this election cannot have (Dieppe's ranks)
                print(f"  {name} {variant}: not printable ({exc})")
                continue
            out.append((name, election, store.election_secret(), str(pdf), variant))
        store.close()
    return out


_W: dict = {}


def _init(items: list, frame: int) -> None:
    _W["setups"] = items
    _W["frame"] = frame
    _W["pages"] = {}
    _W["tmp"] = Path(tempfile.mkdtemp(prefix="bench-frames-"))  # this process's own files


def _layout(election, variant: str):
    try:
        return geometry.layout(election, variant, _W["frame"])
    except TypeError:  # the reader of before frame 2: one frame only
        return geometry.layout(election, variant)


def _page(pdf: str, dpi: int) -> np.ndarray:
    """Sheet 1 rendered at `dpi`; consecutive seeds share a layout, so one layout's pages are kept."""
    key = (pdf, dpi)
    if key not in _W["pages"]:
        if any(k[0] != pdf for k in _W["pages"]):
            _W["pages"].clear()
        _W["pages"][key] = paper_corpus.render_pdf_pages(Path(pdf), dpi)[0]
    return _W["pages"][key]


def _family(rng: random.Random) -> str:
    r = rng.random()
    for name, share in FAMILIES:
        if r < share:
            return name
        r -= share
    return FAMILIES[-1][0]


def _job(seed: int) -> dict:
    rng = random.Random(seed)
    # Runs of RUN seeds share a layout (rendering a page at 600 dpi costs more than reading it).
    name, election, secret, pdf, variant = _W["setups"][(seed // RUN) % len(_W["setups"])]
    family = _family(rng)
    cap = paper_frames.random_capture(rng, family)
    if cap.dpi == 600 and rng.random() > HI_DPI:
        cap.dpi = rng.choice((200, 300))  # 600 dpi costs 10x to make: a smaller share, still measured
    lay = _layout(election, variant)
    page = _page(pdf, cap.dpi).copy()
    boxes = lay.sheet_boxes(1)
    # 0-5 clear pen marks, at most one per question line (a voter's choices).
    chosen = {b.key for b in rng.sample(list(boxes), min(len(boxes), rng.randint(0, 5)))}
    k = cap.dpi / 72
    for b in boxes:
        if b.key in chosen:
            paper_corpus.draw(
                page, tuple(v * k for v in b.rect), rng.choice(("x", "tick", "fill")), "pen", cap.dpi / 25.4, rng
            )
    # paper_frames takes the page in colour (BGR) whatever the capture mode.
    data, suffix = paper_frames.capture(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR), cap, rng)
    keep = _W.get("keep")
    tmp = (keep or _W["tmp"]) / f"bench-frames-{seed}{suffix}"
    tmp.write_bytes(data)
    try:
        t0 = time.process_time()
        gray = sources.load(tmp, 1)
        t1 = time.process_time()
        read = sheet.read_gray(gray, election, secret, evidence=False)
        t2 = time.process_time()
    finally:
        if keep is None:
            tmp.unlink()
    ok = read.error is None and read.payload is not None and read.payload.sheet == 1
    misread, ambiguous = 0, 0
    for b in read.boxes:
        if b.state == "ambiguous":
            ambiguous += 1
        elif (b.state == "marked") != (b.key in chosen):
            misread += 1
    return {
        "seed": seed,
        "election": name,
        "variant": variant,
        "family": family,
        "dpi": cap.dpi,
        "mode": cap.mode,
        "cut": int(getattr(cap, "corners_cut", 0)),
        "ok": ok,
        "why": "" if ok else (read.error[0] if read.error else "wrong sheet"),
        "misread": misread,
        "ambiguous": ambiguous,
        "boxes": len(read.boxes),
        "decode_ms": 1000 * (t1 - t0),
        "read_ms": 1000 * (t2 - t1),
    }


def _pct(ok: int, n: int) -> str:
    return f"{ok}/{n} = {100 * ok / n:.2f} %" if n else "-"


def run(count: int, workers: int, seed: int, frame: int, show: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-frames-"))
    items = setups(tmp, frame)
    _init(items, frame)
    seeds = range(seed * 10**6, seed * 10**6 + count)
    t = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(workers, initializer=_init, initargs=(items, frame)) as pool:
            rows = list(pool.map(_job, seeds, chunksize=RUN))
    else:
        rows = [_job(s) for s in seeds]
    wall = time.perf_counter() - t
    import ballots.paper.reading as reading_module

    print(f"reader: {Path(reading_module.__file__).resolve().parent.parent.parent}  frame printed: {frame}")
    print(
        f"{len(rows)} sheets, {len(items)} layouts ({len({r['election'] for r in rows})} elections), {wall:.0f} s wall"
    )
    by: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by[f"corner regions cut: {min(r['cut'], 2)}{'+' if r['cut'] >= 2 else ''}"].append(r)
    at_most_one = [r for r in rows if r["cut"] <= 1]
    print(f"  accepted, at most one corner region cut: {_pct(sum(r['ok'] for r in at_most_one), len(at_most_one))}")
    for key in sorted(by):
        print(f"  accepted, {key}: {_pct(sum(r['ok'] for r in by[key]), len(by[key]))}")
    for field in ("family", "dpi", "mode", "variant"):
        groups: dict[object, list[dict]] = defaultdict(list)
        for r in at_most_one:
            groups[r[field]].append(r)
        print(
            f"  by {field} (<= 1 corner cut): "
            + "; ".join(
                f"{k} {_pct(sum(r['ok'] for r in g), len(g))}"
                for k, g in sorted(groups.items(), key=lambda kv: str(kv[0]))
            )
        )
    why = Counter(r["why"] for r in at_most_one if not r["ok"])
    print(f"  refusals (<= 1 corner cut): {dict(why)}")
    boxes = sum(r["boxes"] for r in rows)
    print(
        f"  boxes read: {boxes}, misread: {sum(r['misread'] for r in rows)}, ambiguous: {sum(r['ambiguous'] for r in rows)}"
    )
    for dpi in sorted({r["dpi"] for r in rows}):
        dec = sorted(r["decode_ms"] for r in rows if r["dpi"] == dpi)
        rd = sorted(r["read_ms"] for r in rows if r["dpi"] == dpi)
        print(
            f"  CPU per sheet at {dpi} dpi ({len(dec)} sheets): decode median {dec[len(dec) // 2]:.1f} ms, "
            f"read median {rd[len(rd) // 2]:.1f} ms (p90 {rd[int(len(rd) * 0.9)]:.1f} ms)"
        )
    bad = [r for r in at_most_one if not r["ok"]] + [r for r in rows if r["cut"] > 1 and not r["ok"]]
    for r in bad[:show]:
        print(
            f"  REFUSED seed={r['seed']} {r['election']} {r['variant']} {r['family']} cut={r['cut']} {r['dpi']} dpi {r['mode']}: {r['why']}"
        )


def dump(seeds: list[int], frame: int, out: Path) -> None:
    """Keep the captured files of these seeds in `out` (to look at them) and print what was read."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-frames-"))
    _init(setups(tmp, frame), frame)
    out.mkdir(parents=True, exist_ok=True)
    _W["keep"] = out
    for seed in seeds:
        print(_job(seed))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sheets", type=int, default=1200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--frame", type=int, default=2, help="1: print as before frame 2 (the 'before' run)")
    ap.add_argument("--show", type=int, default=20, help="list this many refused sheets")
    ap.add_argument("--dump", type=int, nargs="+", help="write these seeds' files to --out")
    ap.add_argument("--out", type=Path, default=Path("/tmp/bench-frames"))
    args = ap.parse_args()
    if args.dump:
        dump(args.dump, args.frame, args.out)
        return 0
    run(args.sheets, args.workers, args.seed, args.frame, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
