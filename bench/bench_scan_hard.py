"""Paper reading on sheets made independently of the reader: real elections' layouts, marks in
colour, office scanners' frames and phone photos (`bench/paper_frames.py`).

    .venv/bin/python bench/bench_scan_hard.py [--boxes 20000] [--seed 1] [--workers 1] [--first N]
    .venv/bin/python bench/bench_scan_hard.py --sheets 1000123 1000456 --dump /tmp/hard   # look at sheets
    .venv/bin/python bench/bench_scan_hard.py --seed 1 --sheet 123                       # the same, by number
    .venv/bin/python bench/bench_scan_hard.py --held-out --boxes 200000                  # final figures only
    .venv/bin/python bench/bench_scan_hard.py --held-out --first 3600 --save /work/heldout # make them early...
    .venv/bin/python bench/bench_scan_hard.py --held-out --from /work/heldout --workers 2  # ...read them at the end

Ballots of eight elections are printed exactly as `urne print` prints them (fixed secrets and
serials, so a seed draws the same sheets every time): the 20-project sample, the bench's
56-choice ballot and six real elections from ../shared/data/pabulib (Toulouse 2022 Saint-Cyprien,
Warszawa 2026 Ochota, Kraków 2024, Assen 2024, Zürich D10, and Dieppe 2015's 18-rank grid).
Each sheet is marked by one voter (`paper_frames.random_marks`) and captured by one family:
`straight` (the whole page on a scanner bed, any quarter turn ±5°, lid around it), `edge_crop`
(the frame takes 1-7 mm off one edge), `corner_cut` (a skewed page over the bed's edge: 6-28 mm
off at one corner), `phone` (a photo on a table). The file is written and read back with
`sheet.read_page`, exactly as `urne scan` reads a file.

A misread: a marked box read blank, a blank box read marked, or a crossed-out box decided.
Ambiguous (to a person) is allowed for every box and counted. CPU time (time.process_time) is
summed per worker: it holds on a loaded machine where wall time does not.

The held-out seed (`HELD_OUT`) is refused unless `--held-out` is given: it is run once, for the
README's final figures, after every change to the reader; nobody replays its sheets to tune rules.

`--save DIR` makes the sheets (their files, and `truth.jsonl`: what was drawn in each box, the
capture family, mode, dpi and corners cut) without reading any, so the costly part of a large run
happens early, in the background; `--from DIR` later reads those files with whatever reader the
tree holds and prints the same summaries as a direct run (both score a sheet in `_score`; the
sheets are batched the same way, so `--boxes` stops on the same sheet). The folder records a
fingerprint of the printed layouts: if the layout code changed since, `--from` refuses to score.
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

from ballots import election_file, pabulib  # noqa: E402
from ballots import samples as sample_elections  # noqa: E402
from ballots.election import Election  # noqa: E402
from ballots.paper import geometry, issued, sheet, sources  # noqa: E402
from ballots.paper.printing import print_ballots  # noqa: E402
from ballots.store import Store  # noqa: E402
from bench import copy_kept, paper_frames  # noqa: E402
from bench.bench_scan import HELD_OUT, big_election  # noqa: E402
from bench.hard_tally import Tally  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PABULIB = ROOT.parent / "shared" / "data" / "pabulib"
if not PABULIB.exists():
    PABULIB = Path("/work/shared/data/pabulib")
REAL = (
    "France_Toulouse_2022_6_-_Saint-Cyprien.pb",
    "Poland_Warszawa_2026_Ochota.pb",
    "Poland_Krakow_2024.pb",
    "Netherlands_Assen_2024.pb",
    "Switzerland_Zurich_D10.pb",
    "US_Stanford_Dataset_PB_Dieppe_2015_vote_rankings.pb",
)
FAMILIES = (("straight", 0.40), ("edge_crop", 0.15), ("corner_cut", 0.20), ("phone", 0.25))


def elections() -> list[tuple[str, Election]]:
    out = [
        ("sample", election_file.load(sample_elections.path("budget-participatif"))),
        ("big", big_election()),
    ]
    for name in REAL:
        path = PABULIB / name
        if path.exists():
            out.append((name.split(".")[0], pabulib.load(path).election))
    return out


def fixed_setups(tmp: Path, only: set[str] | None = None) -> list[tuple[str, Election, bytes, str]]:
    """Every election's ballots printed (fixed secrets and serials); `only`: just these printed, the
    others kept in their place unprinted (a test replaying one sheet draws the same election)."""
    setups = []
    for name, election in elections():
        if only is not None and name not in only:
            setups.append((name, election, b"", ""))
            continue
        store = Store(tmp / name)
        store.install_election(election, secret=hashlib.sha256(name.encode()).digest())
        pdf = tmp / f"{name}.pdf"
        tag = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 97
        serials = (f"H{tag:02d}{i:05d}" for i in range(10**6))
        with mock.patch.object(issued, "new_serial", serials.__next__):
            print_ballots(store, 2, pdf)
        setups.append((name, election, store.election_secret(), str(pdf)))
        store.close()
    return setups


_W: dict = {}


def _init(setups: list, tmp: str, family: str | None = None, save: str | None = None, src: str | None = None) -> None:
    sources.steady_memory()  # as `urne scan`'s readers keep memory: the CPU per sheet is what it pays
    _W["family"] = family
    _W["setups"] = [(n, e, s, pdf, geometry.layout(e, "A")) for n, e, s, pdf in setups]
    _W["by_name"] = {n: (n, e, s) for n, e, s, _ in setups}
    _W["pages"] = {}
    _W["tmp"] = Path(tmp)
    _W["save"] = Path(save) if save else None
    _W["from"] = Path(src) if src else None


def layouts_print(setups: list) -> str:
    """A fingerprint of every printed layout (box keys and places, sheet by sheet): sheets saved
    with one layout code are only scored against the same layouts (`--from` checks it)."""
    h = hashlib.sha256()
    for name, election, _, _ in setups:
        lay = geometry.layout(election, "A")
        for no in range(1, lay.sheets + 1):
            for b in lay.sheet_boxes(no):
                h.update(f"{name}|{no}|{b.key}|{','.join(f'{v:.2f}' for v in b.rect)};".encode())
    return h.hexdigest()[:16]


def _page(pdf: str, i: int, dpi: int):
    key = (pdf, i, dpi)
    hit = _W["pages"].get(key)
    if hit is None:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(pdf)
        try:
            a = doc[i].render(scale=dpi / 72, grayscale=True).to_numpy()
        finally:
            doc.close()
        hit = (a[..., 0] if a.ndim == 3 else a).copy()
        if dpi <= 300:
            if len(_W["pages"]) > 24:
                _W["pages"].clear()
            _W["pages"][key] = hit
    return hit


def _pages(pdf: str) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def make_sheet(seed: int, withhold: str | None = None, x_only: bool = False) -> dict:
    """Sheet `seed`: the captured file, its truth and how it was made. `withhold`: that box's mark
    (with `x_only`, only the X over a crossed-out box) is drawn onto a scratch copy of the page,
    with the same random draws, so everything else, the capture included, is as without it.
    Its `kept`: on a 1-bit capture, the least share of a mark's ink the copy kept (`copy_kept`), else None."""
    rng = random.Random(seed)
    name, election, secret, pdf, lay = _W["setups"][rng.randrange(len(_W["setups"]))]
    r, family = rng.random(), FAMILIES[-1][0]
    acc = 0.0
    for fam, share in FAMILIES:
        acc += share
        if r < acc:
            family = fam
            break
    family = _W.get("family") or family  # --family: every sheet of one family (the draw above kept: same sheets)
    cap = paper_frames.random_capture(rng, family)
    n = _W.setdefault(("n", pdf), _pages(pdf))
    i = rng.randrange(n)
    sheet_no = i % lay.sheets + 1
    render_dpi = cap.dpi if cap.device == "scanner" else 300
    page = paper_frames.to_bgr(_page(pdf, i, render_dpi))
    style = "clear" if rng.random() < 0.5 else "mixed"
    boxes = lay.sheet_boxes(sheet_no)
    plan = paper_frames.random_marks([b.key for b in boxes], rng, style)
    if cap.mode == "bitonal":
        # A 1-bit copy drops light pencil altogether (no reader sees what is not in the file):
        # measured apart (`--light-bitonal`), not counted as the reader's misread.
        plan = {k: (v if v[1] != "pencil_light" else ("", "", "blank")) for k, v in plan.items()}
    k = render_dpi / 72
    px_mm = render_dpi / 25.4
    shares: list[float] = []  # on a 1-bit capture, each mark's share of ink the copy kept
    for b in boxes:
        kind, ink, _ = plan[b.key]
        if kind:
            lost = b.key == withhold and not x_only
            onto = page.copy() if lost else page
            x_too = not (b.key == withhold and x_only)
            rect = tuple(v * k for v in b.rect)
            before = onto[copy_kept.window(onto, rect)].copy() if cap.mode == "bitonal" else None
            paper_frames.draw_mark(onto, rect, kind, ink, px_mm, rng, x_too=x_too)
            if before is not None:
                shares.append(copy_kept.share(before, onto, rect, cap))
    data, suffix = paper_frames.capture(page, cap, rng)
    return {
        "name": name,
        "election": election,
        "secret": secret,
        "data": data,
        "suffix": suffix,
        "plan": plan,
        "cap": cap,
        "family": family,
        "kept": min(shares, default=1.0) if cap.mode == "bitonal" else None,
        "clear": all(kind == "" or kind in paper_frames.CLEAR for kind, ink, _ in plan.values())
        and all(ink != "pencil_light" for _, ink, _ in plan.values()),
    }


def absent(seed: int, key: str, x_only: bool = False) -> bool:
    """The mark drawn in box `key` of sheet `seed` (with `x_only`: the X over a crossed-out box)
    left no trace at all in the file: the file made without it is the same, byte for byte (a 1-bit
    copy's threshold dropped every pixel of it). No reader could see it; the misread still counts."""
    return make_sheet(seed)["data"] == make_sheet(seed, withhold=key, x_only=x_only)["data"]


def _absent(seed: int, plan: dict, bad: list, saved: bytes) -> tuple[list[str], int]:
    """Misread boxes whose mark (a marked box read blank) or whose X (a crossed-out box read marked)
    is not in the file at all: sheets without such a misread cost nothing. Only where the generator
    still makes the file that was read (`saved`, byte for byte: a `--from` folder made by older
    bench code may differ); the misreads it could not check are counted (second value)."""
    asked = [
        (key, kind == "crossed")
        for _, key, _, _, state, _, _ in bad
        for kind, _, want in [plan[key]]
        if (want == "marked" and state == "blank") or (kind == "crossed" and state == "marked")
    ]
    if not asked:
        return [], 0
    full = make_sheet(seed)["data"]
    if full != saved:
        return [], len(asked)
    return [key for key, x_only in asked if make_sheet(seed, withhold=key, x_only=x_only)["data"] == full], 0


def _truth(seed: int, s: dict, cpu_make: float) -> dict:
    """What a sheet's file holds and how it was made: all that scoring needs, JSON-ready (`--save`)."""
    cap = s["cap"]
    return {
        "seed": seed,
        "name": s["name"],
        "suffix": s["suffix"],
        "family": s["family"],
        "device": cap.device,
        "mode": cap.mode,
        "dpi": cap.dpi,
        "cut": cap.corners_cut,
        "clear": s["clear"],
        "plan": {k: list(v) for k, v in s["plan"].items()},
        "cpu_make": cpu_make,
        "kept": s["kept"],
    }


def _score(truth: dict, path: Path, dump: bool = False) -> dict:
    """Read one sheet's file exactly as `urne scan` does and score it against its truth. The direct
    run and `--from` both come here, so a sheet scores the same either way."""
    _, election, secret = _W["by_name"][truth["name"]]
    t0 = time.process_time()
    read = sheet.read_page(str(path), 1, election, secret, evidence=False)
    cpu_read = time.process_time() - t0
    tag = f"{truth['family']}/{truth['mode']}/{truth['dpi']}"
    seed = truth["seed"]
    out = {k: truth[k] for k in ("seed", "family", "mode", "dpi", "cut", "name", "clear", "cpu_make")}
    out["cpu_read"] = cpu_read
    if read.error:
        out["error"] = str(read.error[0])
        if dump:
            print(f"  refused: {read.error}")
        return out
    stats: Counter = Counter()
    bad, amb = [], Counter()
    for b in read.boxes:
        kind, ink, want = truth["plan"][b.key]
        stats["boxes"] += 1
        label = f"{kind or 'empty'}/{ink or '-'}"
        if b.state == "ambiguous":
            stats["ambiguous"] += 1
            amb[f"{kind or 'empty'}/{b.why}"] += 1
        elif b.state != want:
            stats["misread"] += 1
            bad.append((seed, b.key, label, tag, b.state, b.cover, b.why))
        if dump and b.state != want:
            print(f"  {b.key}: drawn {label} ({want}), read {b.state} ({b.why}, cover {b.cover:.3f})")
    out.update(stats=stats, bad=bad, amb=amb, decided=not stats["ambiguous"])
    out["absent"], out["absent_unchecked"] = _absent(seed, truth["plan"], bad, path.read_bytes()) if bad else ([], 0)
    # A box the frame cut off the image goes to a person by design (nobody can read it from
    # this file): such sheets are counted apart in the clear-sheet figure.
    out["off_image"] = any(b.why == "off_image" for b in read.boxes)
    if truth["mode"] == "bitonal" and truth["clear"]:
        # What the copy kept of the sheet's least kept mark, as recorded when it was made (a folder
        # saved before session 32: the sheet made again in memory, nothing read).
        out["kept"] = truth["kept"] if truth.get("kept") is not None else make_sheet(seed)["kept"]
    out["lost_ink"] = any(b.why == "lost_ink" for b in read.boxes)
    out["nothing_marked"] = any(b.why == "nothing_marked" for b in read.boxes)
    out["broken_ink"] = any(b.why == "broken_ink" for b in read.boxes)
    out["in_doubt"] = any(b.why == "one_bit_in_doubt" for b in read.boxes)
    return out


def _job(seed: int, dump: Path | None = None) -> dict:
    t0 = time.process_time()
    s = make_sheet(seed)
    truth = _truth(seed, s, time.process_time() - t0)
    path = _W["tmp"] / f"{seed}{s['suffix']}"
    path.write_bytes(s["data"])
    if dump is not None:
        dump.mkdir(parents=True, exist_ok=True)
        (dump / path.name).write_bytes(s["data"])
        cap = s["cap"]
        print(f"sheet {seed}: {s['name']} {s['family']}/{cap.mode}/{cap.dpi} cut={cap.corners_cut} {cap}")
    try:
        return _score(truth, path, dump is not None)
    finally:
        path.unlink()


def _save_job(seed: int) -> dict:
    """`--save`: make sheet `seed`, write its file into the folder, return its truth (nothing is read)."""
    t0 = time.process_time()
    s = make_sheet(seed)
    truth = _truth(seed, s, time.process_time() - t0)
    final = _W["save"] / f"{seed}{s['suffix']}"
    part = final.with_name(final.name + ".part")
    part.write_bytes(s["data"])
    part.replace(final)  # a stopped run leaves no half-written sheet under its real name
    return truth


def _from_job(truth: dict) -> dict:
    """`--from`: read a saved sheet with today's reader."""
    return _score(truth, _W["from"] / f"{truth['seed']}{truth['suffix']}")


def saved_sheets(src: Path) -> tuple[dict, list[dict]]:
    """A `--save` folder: its meta (seed, family, layouts) and the truth of every sheet written, in
    sheet order (one truth file per `--offset`: runs for different offsets may fill it at once)."""
    meta = json.loads((src / "meta.json").read_text())
    truths: dict[int, dict] = {}
    for path in sorted(src.glob("truth*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                try:
                    t = json.loads(line)
                except json.JSONDecodeError:  # the last line of a run stopped while writing it
                    continue
                truths[t["seed"]] = t
    return meta, [truths[s] for s in sorted(truths)]


def save(dest: Path, workers: int, seed: int, first: int, offset: int = 0, family: str | None = None) -> None:
    """Make sheets `offset`..`offset+first` of `seed` into `dest` (files + truth.jsonl), reading none.
    Run again with the same arguments, it goes on where a stopped run left off."""
    dest.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-hard-"))
    setups = fixed_setups(tmp)
    meta = {"seed": seed, "family": family, "layouts": layouts_print(setups)}
    if (dest / "meta.json").exists():
        old, _ = saved_sheets(dest)
        if old != meta:
            raise SystemExit(f"{dest} holds other sheets ({old}); not mixing them with {meta}")
    else:
        (dest / "meta.json").write_text(json.dumps(meta, sort_keys=True) + "\n")
    done = {t["seed"] for t in saved_sheets(dest)[1]}
    todo = [i for i in range(seed * 10**6 + offset, seed * 10**6 + offset + first) if i not in done]
    t0 = time.perf_counter()
    drawn = 0
    with (
        ProcessPoolExecutor(workers, initializer=_init, initargs=(setups, str(tmp), family, str(dest))) as pool,
        (dest / ("truth.jsonl" if offset == 0 else f"truth-{offset:06d}.jsonl")).open("a") as out,
    ):
        for n, truth in enumerate(pool.map(_save_job, todo, chunksize=2), 1):
            out.write(json.dumps(truth, sort_keys=True) + "\n")
            out.flush()
            drawn += len(truth["plan"])
            if n % 100 == 0:
                print(f"  ... {n}/{len(todo)} sheets saved ({drawn} boxes drawn)", flush=True)
    print(
        f"saved {len(todo)} sheets of seed {seed} into {dest} in {time.perf_counter() - t0:.0f} s ({drawn} boxes drawn)"
    )


def run(
    boxes: int | None,
    workers: int,
    seed: int,
    first: int | None = None,
    offset: int = 0,
    family: str | None = None,
    src: Path | None = None,
) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-hard-"))
    setups = fixed_setups(tmp)
    t0 = time.perf_counter()
    items: range | list
    if src is None:
        start = seed * 10**6 + offset
        items = range(start, start + (first if first is not None else 10**6 - 1))
        job = _job
    else:
        meta, truths = saved_sheets(src)
        if meta["layouts"] != layouts_print(setups):
            raise SystemExit(f"{src}: its sheets were printed with other layouts than today's code: not scored")
        items = truths[offset : offset + first if first is not None else None]
        job = _from_job
    tally = Tally([f for f, _ in FAMILIES] + ["phone_cut"])

    def results(pool):
        # Batches (Executor.map submits everything at once): stop when enough boxes were read.
        # `--from` batches its saved sheets the same way, so it stops on the same sheet.
        i = 0
        while i < len(items):
            batch = items[i : i + 8 * workers]
            i += len(batch)
            yield from pool.map(job, batch, chunksize=2)
            if first is None and boxes is not None and tally.total["boxes"] >= boxes:
                return

    initargs = (setups, str(tmp), family, None, str(src) if src else None)
    with ProcessPoolExecutor(workers, initializer=_init, initargs=initargs) as pool:
        for r in results(pool):
            tally.add(r)
    where = f", saved sheets from {src}" if src else ""
    tally.report(f"hard corpus (seed {seed}{where})", time.perf_counter() - t0, workers)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--boxes", type=int, help="stop once this many boxes were read (default 20 000; --from: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--first", type=int, help="read exactly N sheets (from --offset)")
    ap.add_argument("--offset", type=int, default=0, help="start at this sheet of the seed (run in chunks)")
    ap.add_argument("--held-out", action="store_true", help="the final run on the held-out seed")
    ap.add_argument("--sheets", type=int, nargs="+", help="replay these sheets and dump them")
    ap.add_argument("--family", choices=[f for f, _ in FAMILIES] + ["phone_cut"], help="every sheet of this family")
    ap.add_argument("--dump", type=Path, default=Path(tempfile.gettempdir()) / "bench-hard-dump")
    ap.add_argument(
        "--sheet", type=int, nargs="+", help="replay sheet N of --seed (its N-th sheet, from 0) and dump it"
    )
    ap.add_argument("--save", type=Path, help="make --first sheets into this folder (files + truth), read none")
    ap.add_argument("--from", dest="src", type=Path, help="read the sheets a --save wrote, with today's reader")
    args = ap.parse_args()
    if args.src:
        if args.save or args.sheets or args.sheet:
            ap.error("--from reads a saved folder as a whole: no --save, --sheets or --sheet with it")
        meta, _ = saved_sheets(args.src)
        if (meta["seed"] == HELD_OUT) != args.held_out:
            ap.error(f"{args.src} holds seed {meta['seed']}: --held-out goes with the held-out seed only")
        run(args.boxes, args.workers, meta["seed"], args.first, args.offset, meta["family"], args.src)
        return 0
    if args.sheet:
        if args.held_out or args.seed == HELD_OUT:
            ap.error("the held-out seed's sheets are not replayed")
        args.sheets = [args.seed * 10**6 + n for n in args.sheet]
    seed = HELD_OUT if args.held_out else args.seed
    if seed == HELD_OUT and not args.held_out:
        ap.error(f"seed {HELD_OUT} is held out: only --held-out runs it (final figures)")
    if args.sheets:
        if any(s // 10**6 == HELD_OUT for s in args.sheets):
            ap.error("the held-out seed's sheets are not replayed")
        tmp = Path(tempfile.mkdtemp(prefix="bench-hard-"))
        _init(fixed_setups(tmp), str(tmp), args.family)
        for s in args.sheets:
            _job(s, args.dump)
        print(f"files in {args.dump}")
        return 0
    if args.save:
        if args.first is None:
            ap.error("--save makes exactly --first sheets")
        save(args.save, args.workers, seed, args.first, args.offset, args.family)
        return 0
    run(args.boxes or 20_000, args.workers, seed, args.first, args.offset, args.family)
    return 0


if __name__ == "__main__":
    sys.exit(main())
