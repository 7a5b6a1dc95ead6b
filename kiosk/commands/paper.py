"""Paper ballots: print, layout, testdeck, scan (and a headless demo step)."""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from ballots.paper import geometry, scan, testdeck
from ballots.paper.printing import print_ballots
from ballots.report.labels import reason_label, status_label
from kiosk.context import Context


def cmd_print(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    size = "letter" if args.letter else ctx.config.paper.page_size
    serials = print_ballots(store, args.count, args.out, size, args.large_print)
    lay = geometry.layout(store.election(), geometry.variant_for(size, args.large_print))
    print(
        f"{len(serials)} bulletin(s) ({lay.sheets} feuille(s) chacun, {size}"
        f"{', gros caractères' if args.large_print else ''}) écrits dans {args.out}"
    )
    return 0


def cmd_layout(ctx: Context, args: argparse.Namespace) -> int:
    size = "letter" if args.letter else ctx.config.paper.page_size
    lay = geometry.layout(ctx.store().election(), geometry.variant_for(size, args.large_print))
    doc = lay.to_json()
    if args.json:
        print(json.dumps(doc, ensure_ascii=False))
    else:
        print(f"page {doc['page_size_pt']} pt, {lay.sheets} sheet(s), {len(lay.boxes)} box(es)")
        for b in lay.boxes:
            print(f"  sheet {b.sheet} {b.question}/{b.key}: {[round(v, 1) for v in b.rect]}")
    return 0


def cmd_testdeck(ctx: Context, args: argparse.Namespace) -> int:
    exp = testdeck.make_testdeck(ctx.store(), args.count, args.out, png=args.png, seed=args.seed)
    print(
        f"{exp['ballots']} bulletin(s) de test dans {args.out} (testdeck.pdf{', PNG' if args.png else ''}, "
        "expected.json); lisez-les avec 'urne scan --test-mode'"
    )
    return 0


def cmd_scan(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()

    def progress(done: int, total: int, res: scan.SheetResult) -> None:
        if args.json:
            print(json.dumps(res.to_json(), ensure_ascii=False), flush=True)
        else:
            # Staff read this line: the status and reasons in words (`--json` keeps the codes).
            why = " — " + "; ".join(reason_label(r) for r in res.reasons) if res.reasons else ""
            print(f"[{done}/{total}] {res.source} p.{res.page}: {status_label(res.status)}{why}", flush=True)

    results = scan.scan_paths(store, args.paths, test_mode=args.test_mode, on_progress=progress, workers=args.workers)
    if not args.json:
        counts: dict[str, int] = {}
        for r in results:
            counts[r.status] = counts.get(r.status, 0) + 1
        print(
            "total : " + ", ".join(f"{status_label(k)} {v}" for k, v in sorted(counts.items()))
            if counts
            else "aucune feuille trouvée"
        )
    return 0


def demo_step(ctx: Context, args: argparse.Namespace) -> None:
    """Print 4 ballots, draw pen marks on their rendered images (one turned upside down), scan them."""
    import cv2
    import numpy as np

    t0 = time.perf_counter()
    store = ctx.store()
    election = store.election()
    lay = geometry.layout(election, "A")
    rng = random.Random(getattr(args, "seed", 2026))
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "bulletins.pdf"
        print_ballots(store, 4, pdf)
        pages = testdeck.render_pages(pdf, Path(tmp), 150)
        k = 150 / 72
        for i, page in enumerate(pages):
            img = cv2.imread(str(page), cv2.IMREAD_GRAYSCALE)
            for q in election.questions:
                boxes = [b for b in lay.sheet_boxes(1) if b.question == q.id]
                hi = 1 if q.rule.kind.value == "single" else max(q.rule.max, 1)
                for b in rng.sample(boxes, rng.randint(1, min(hi, len(boxes)))):
                    x, y, w, h = (int(v * k) for v in b.rect)
                    cv2.line(img, (x + 2, y + 2), (x + w - 2, y + h - 2), 25, 3)
                    cv2.line(img, (x + w - 2, y + 2), (x + 2, y + h - 2), 25, 3)
            if i == 3:
                img = np.ascontiguousarray(img[::-1, ::-1])
            cv2.imwrite(str(page), img)
        results = scan.scan_paths(store, pages, workers=1)
    by: dict[str, int] = {}
    for r in results:
        by[r.status] = by.get(r.status, 0) + 1
    print(
        f"[demo] paper: 4 ballots printed, marked, scanned (one upside down): {by} in {time.perf_counter() - t0:.1f} s"
    )


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("print", parents=[parent], help="print N paper ballots with unique serials to a PDF")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--letter", action="store_true", help="US Letter instead of the configured page size")
    p.add_argument("--large-print", action="store_true", help="large print for voters with low vision")
    p.set_defaults(func=cmd_print)

    p = sub.add_parser("layout", parents=[parent], help="the ballot geometry (PDF points, top-left origin)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--letter", action="store_true")
    p.add_argument("--large-print", action="store_true")
    p.set_defaults(func=cmd_layout)

    p = sub.add_parser("testdeck", parents=[parent], help="pre-marked test ballots and their expected tally")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--png", action="store_true", help="also write PNG pages (150 dpi)")
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(func=cmd_testdeck)

    p = sub.add_parser("scan", parents=[parent], help="read scanned ballots (files or folders)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="one JSON line per sheet")
    p.add_argument("--test-mode", action="store_true", help="read test-deck ballots (stored as test, never counted)")
    p.add_argument("--workers", type=int, default=None, help="processes (default: every core)")
    p.set_defaults(func=cmd_scan)

    from kiosk.commands import core

    core.add_demo_step(demo_step)
