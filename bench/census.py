"""Census: the same saved sheets read by two readers, compared box by box against their truth.

    .venv/bin/python bench/census.py record --out base.jsonl /work/dev/s301 /work/dev/s302
    .venv/bin/python bench/census.py record --tree /tmp/base --out base.jsonl /work/dev/s301  # another tree
    .venv/bin/python bench/census.py compare base.jsonl main.jsonl

`record` reads every sheet of `bench_scan_hard.py --save` folders with one tree's reader (this
one, or `--tree DIR`: a checkout or `git archive REV ballots bench | tar -x -C DIR`, so a session's
base reader can be recorded once and kept) and writes one JSON line per sheet: its truth (election,
capture, corners cut, clear or not, what was drawn in each box) and what the reader said of every
box (state, why, cover) or the refusal. `compare` puts two such records of the same sheets side by
side: misreads, boxes to a person, clear sheets decided (overall, by capture, by election, the
reasons on those sent to a person), then sheet by sheet what moved: each box whose state or why
changed, named by its truth (`ok`, `person`, `MISREAD`), the clear sheets newly decided or newly
sent to a person, and every misread that came or went. `bench_ab.py --from` says whether two
readers differ at all; this says whether the difference is right. The held-out folder is refused.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def record(tree: Path, out: Path, dirs: list[Path]) -> int:
    sys.path.insert(0, str(tree.resolve()))
    import cv2

    from ballots.paper import sheet, sources
    from bench import bench_scan_hard as hard

    if not Path(sheet.__file__).resolve().is_relative_to(tree.resolve()):
        raise SystemExit(f"the reader came from {sheet.__file__}, not from {tree}")
    cv2.setNumThreads(1)
    sources.steady_memory()  # as `urne scan` reads: the CPU per sheet is what it pays
    setups = hard.fixed_setups(Path(tempfile.mkdtemp(prefix="census-")))
    by_name = {n: (e, s) for n, e, s, _ in setups}
    layouts = hard.layouts_print(setups)
    t0, n = time.perf_counter(), 0
    with out.open("w") as f:
        for src in dirs:
            meta, truths = hard.saved_sheets(src)
            if meta["seed"] == hard.HELD_OUT:
                raise SystemExit("the held-out seed's sheets are read once, by bench_scan_hard.py --held-out")
            if meta["layouts"] != layouts:
                raise SystemExit(f"{src}: printed with other layouts than this tree's")
            for t in truths:
                election, secret = by_name[t["name"]]
                c = time.process_time()
                read = sheet.read_page(str(src / f"{t['seed']}{t['suffix']}"), 1, election, secret, evidence=False)
                rec = {k: t[k] for k in ("seed", "name", "family", "mode", "dpi", "cut", "clear", "plan")}
                rec["cpu"] = round(time.process_time() - c, 4)
                rec["error"] = str(read.error[0]) if read.error else None
                rec["boxes"] = [[b.key, b.state, b.why, round(float(b.cover), 4)] for b in read.boxes]
                f.write(json.dumps(rec, sort_keys=True) + "\n")
                n += 1
                if n % 100 == 0:
                    print(f"  ... {n} sheets, {time.perf_counter() - t0:.0f} s", flush=True)
    print(f"{n} sheets recorded into {out} in {time.perf_counter() - t0:.0f} s")
    return 0


def load(path: Path) -> dict[int, dict]:
    return {r["seed"]: r for r in map(json.loads, path.read_text().splitlines()) if r}


def short(name: str) -> str:
    from bench.hard_tally import short_name

    return short_name(name)


def capture(r: dict) -> str:
    """A phone photo, or the scanner's mode (bitonal, grey, colour)."""
    return "phone" if r["family"].startswith("phone") else r["mode"]


def misreads(r: dict) -> list[tuple]:
    """The boxes of one sheet read neither as drawn nor sent to a person (`bench_scan_hard._score`)."""
    out = []
    for key, state, why, cover in r["boxes"]:
        kind, ink, want = r["plan"][key]
        if state not in ("ambiguous", want):
            tag = "phone" if r["family"].startswith("phone") else f"{r['mode']}{r['dpi']}"
            out.append((r["seed"], key, f"{kind or 'empty'}/{ink or '-'}", tag, state, cover, why))
    return out


def decided(r: dict) -> bool:
    return all(b[1] != "ambiguous" for b in r["boxes"])


def figures(recs: dict[int, dict]) -> tuple[Counter, Counter, list[tuple]]:
    """Sheets, refusals, boxes, misreads, boxes to a person; clear sheets decided by key
    (`all`, `cap_<capture>`, `el_<election>`: `(key, "clear")` and `(key, "decided")`); the
    reasons on clear sheets sent to a person (each why once per sheet); the misreads."""
    s: Counter = Counter()
    whys: Counter = Counter()
    bad: list[tuple] = []
    for r in recs.values():
        s["sheets"] += 1
        if r["error"]:
            s["refused"] += 1
            continue
        s["boxes"] += len(r["boxes"])
        s["ambiguous"] += sum(b[1] == "ambiguous" for b in r["boxes"])
        bad += misreads(r)
        if r["clear"]:
            for k in ("all", f"cap_{capture(r)}", f"el_{short(r['name'])}"):
                s[(k, "clear")] += 1
                s[(k, "decided")] += decided(r)
            whys.update({b[2] for b in r["boxes"] if b[1] == "ambiguous"})
    s["misreads"] = len(bad)
    return s, whys, bad


def moves(a: dict[int, dict], b: dict[int, dict]) -> tuple[int, Counter, list[tuple]]:
    """Sheet by sheet from `a` to `b`: how many sheets read differently (refusal, or any box's
    state, why or cover), the box moves named by their truth (`ok->person`, `person->MISREAD`...;
    refusals as `refused->read` and back), and the clear sheets whose decision changed."""
    differ, moved, clear = 0, Counter(), []
    for seed in sorted(a):
        ra, rb = a[seed], b[seed]
        if ra["error"] or rb["error"]:
            if ra["error"] != rb["error"]:
                differ += 1
                moved[f"{'refused' if ra['error'] else 'read'}->{'refused' if rb['error'] else 'read'}"] += 1
            continue
        if ra["boxes"] == rb["boxes"]:
            continue
        differ += 1
        before = {x[0]: x for x in ra["boxes"]}
        for key, state, why, _ in rb["boxes"]:
            _, was, was_why, _ = before[key]
            if (was, was_why) != (state, why):
                want = rb["plan"][key][2]
                moved[f"{_named(was, want)}->{_named(state, want)}"] += 1
        if rb["clear"] and decided(ra) != decided(rb):
            left = rb if not decided(rb) else ra
            whys = sorted({x[2] for x in left["boxes"] if x[1] == "ambiguous"})
            clear.append((seed, capture(ra), short(ra["name"]), "decided" if decided(rb) else "to a person", whys))
    return differ, moved, clear


def _named(state: str, want: str) -> str:
    return "ok" if state == want else "person" if state == "ambiguous" else "MISREAD"


def _pct(s: Counter, k: str) -> str:
    c = s[(k, "clear")]
    return f"{s[(k, 'decided')]}/{c} ({100 * s[(k, 'decided')] / max(c, 1):.1f} %)"


def compare(pa: Path, pb: Path) -> int:
    a, b = load(pa), load(pb)
    if a.keys() != b.keys():
        raise SystemExit("the two records are not of the same sheets")
    (fa, wa, ba), (fb, wb, bb) = figures(a), figures(b)
    print(f"| | {pa.stem} | {pb.stem} |\n|---|---|---|")
    for k in ("sheets", "refused", "boxes", "misreads", "ambiguous"):
        print(f"| {k} | {fa[k]} | {fb[k]} |")
    keys = sorted({k[0] for k in list(fa) + list(fb) if isinstance(k, tuple)}, key=lambda k: (k != "all", k))
    for k in keys:
        print(f"| clear decided, {k} | {_pct(fa, k)} | {_pct(fb, k)} |")
    order = sorted(set(wa) | set(wb), key=lambda w: (-max(wa[w], wb[w]), w))
    print(
        "| clear sheets to a person, by reason | "
        + " | ".join(", ".join(f"{w} {c[w]}" for w in order if c[w]) for c in (wa, wb))
        + " |"
    )
    for name, bad in ((pa.stem, ba), (pb.stem, bb)):
        print(f"misreads, {name}: {len(bad)}")
        for m in bad:
            print("  MISREAD seed={} box={} drawn={} capture={} read={} cover={:.3f} why={}".format(*m))
    gone = {m[:2] for m in ba} - {m[:2] for m in bb}
    new = {m[:2] for m in bb} - {m[:2] for m in ba}
    print(f"misreads gone: {sorted(gone)}; new: {sorted(new)}")
    differ, moved, clear = moves(a, b)
    print(f"sheets read differently (refusal, or a box's state, why or cover): {differ} of {len(a)}")
    print("box moves by truth: " + ", ".join(f"{k} {v}" for k, v in moved.most_common()))
    for c in clear:
        print("  clear sheet {} ({}, {}): {} {}".format(*c))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    rec = sub.add_parser("record", help="read saved sheets with one tree's reader, every box written down")
    rec.add_argument("--tree", type=Path, default=ROOT, help="the tree whose reader reads (default: this one)")
    rec.add_argument("--out", type=Path, required=True)
    rec.add_argument("dirs", type=Path, nargs="+", help="bench_scan_hard.py --save folders")
    cmp = sub.add_parser("compare", help="two records of the same sheets, side by side and sheet by sheet")
    cmp.add_argument("a", type=Path)
    cmp.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.cmd == "record":
        return record(args.tree, args.out, args.dirs)
    sys.path.insert(0, str(ROOT))
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
