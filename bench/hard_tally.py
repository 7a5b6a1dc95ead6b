"""The second corpus's figures (`bench_scan_hard.py`): one scored sheet at a time in, the summary out.

A direct run and `--from` feed the same `Tally` with the same sheets, so they print the same
figures. What is counted: misreads (and by what was drawn, the capture mode and what was read),
boxes to a person, sheets accepted by family / corners cut / mode / dpi (scanner sheets and photos
apart), clear sheets decided without a person (and, for those sent to a person, the reasons given,
the capture and the election), refusals by family and reason, CPU per sheet.
The last line (`SUMMARY {...}`) sums across chunks.
"""

from __future__ import annotations

import json
from collections import Counter

from bench.copy_kept import KEPT

SHOWN = (
    "straight",
    "edge_crop",
    "corner_cut",
    "phone",
    "phone_cut",
    "cut0",
    "cut1",
    "cut2",
    "scanner_cut0",
    "scanner_cut1",
    "scanner_cut2",
    "photo_cut0",
    "photo_cut1",
    "photo_cut2",
    "colour",
    "grey",
    "bitonal",
    "dpi150",
    "dpi200",
    "dpi300",
    "dpi600",
)


class Tally:
    def __init__(self, families: list[str]) -> None:
        self.families = families
        self.total: Counter = Counter()
        self.amb: Counter = Counter()
        self.errors: Counter = Counter()
        self.by: Counter = Counter()
        self.bad: list = []
        self.absent_unchecked = 0  # such misreads on a saved file the generator no longer makes
        self.absent = 0  # misreads whose mark (or a crossed-out box's X) left no trace in the file
        self.absent_keys: set[tuple[int, str]] = set()
        self.cpu_make = self.cpu_read = 0.0
        self.clear_undecided: list[int] = []
        self.refused_ok_cut: list[tuple[int, str, str]] = []
        self.n = 0

    def add(self, r: dict) -> None:
        """One sheet as `bench_scan_hard._score` returned it."""
        by = self.by
        self.n += 1
        self.cpu_make += r["cpu_make"]
        self.cpu_read += r["cpu_read"]
        fam = r["family"]
        cut = min(r["cut"], 2)
        by[(fam, "sheets")] += 1
        by[(f"cut{cut}", "sheets")] += 1
        # Scanner sheets and photos apart: the issue's "≥ 99.5 % accepted with at most one
        # corner region cut" is about what an office scanner's frame does.
        device = f"{'photo' if fam.startswith('phone') else 'scanner'}_cut{cut}"
        by[(device, "sheets")] += 1
        by[(r["mode"], "sheets")] += 1
        by[(f"dpi{r['dpi']}", "sheets")] += 1
        if "error" in r:
            self.errors[f"{fam}:{r['error']}"] += 1
            if cut <= 1:
                self.refused_ok_cut.append((r["seed"], fam, r["error"]))
        else:
            for key in (fam, f"cut{cut}", device, r["mode"], f"dpi{r['dpi']}"):
                by[(key, "accepted")] += 1
            self.total.update(r["stats"])
            self.amb.update(r["amb"])
            self.bad.extend(r["bad"])
            self.absent += len(r.get("absent", ()))
            self.absent_unchecked += r.get("absent_unchecked", 0)
            self.absent_keys.update((r["seed"], k) for k in r.get("absent", ()))
            by[(r["mode"], "absent")] += len(r.get("absent", ()))
            if r["clear"]:
                by[(fam, "clear")] += 1
                by[(fam, "clear_decided")] += r["decided"]
                by[("all", "clear")] += 1
                by[("all", "clear_decided")] += r["decided"]
                if not r["off_image"]:
                    by[("all", "clear_whole")] += 1
                    by[("all", "clear_whole_decided")] += r["decided"]
                    if r.get("kept", 1.0) >= KEPT:
                        # ...and, on a 1-bit copy, every mark kept by the copier: the file shows them.
                        by[("all", "clear_file")] += 1
                        by[("all", "clear_file_decided")] += r["decided"]
                        by[(f"file_{r['mode']}", "clear")] += 1
                        by[(f"file_{r['mode']}", "decided")] += r["decided"]
                # By capture (a phone photo, or a scanner's mode and dpi), and for those sent to a
                # person the reasons given (each why counted once per sheet, and per box): which rules
                # keep the clear sheets from being decided, on which captures.
                capture = "phone" if fam.startswith("phone") else f"{r['mode']}{r['dpi']}"
                by[(f"cap_{capture}", "clear")] += 1
                # And by election: a ranked grid's small boxes in line are not a list's.
                ballot = f"el_{short_name(r['name'])}"
                by[(ballot, "clear")] += 1
                if not r["decided"]:
                    self.clear_undecided.append(r["seed"])
                    by[(f"cap_{capture}", "clear_undecided")] += 1
                    by[(ballot, "clear_undecided")] += 1
                    whys: Counter = Counter()
                    for kind_why, k in r["amb"].items():
                        whys[kind_why.split("/", 1)[1]] += k
                    for why, k in whys.items():
                        by[(f"why_{why}", "clear_sheets")] += 1
                        by[(f"why_{why}", "clear_boxes")] += k
            by[("all", "lost_ink")] += r["lost_ink"]
            by[("all", "nothing_marked")] += r.get("nothing_marked", False)
            by[("all", "broken_ink")] += r.get("broken_ink", False)
            by[("all", "in_doubt")] += r.get("in_doubt", False)
        if self.n % 200 == 0:
            print(f"  ... {self.n} sheets, {self.total['boxes']} boxes, {self.total['misread']} misreads", flush=True)

    def report(self, title: str, wall: float, workers: int) -> None:
        total, by, n = self.total, self.by, self.n
        print(f"{title}: {n} sheets, {total['boxes']} boxes read in {wall:.0f} s wall ({workers} workers)")
        print(
            f"  misreads: {total['misread']}  ambiguous: {total['ambiguous']} "
            f"({100 * total['ambiguous'] / max(total['boxes'], 1):.3f} % of boxes)"
        )
        modes = ", ".join(f"{m} {by[(m, 'absent')]}" for m in ("bitonal", "grey", "colour") if by[(m, "absent")])
        print(
            f"    of which the mark (or a crossed-out box's X) left no trace in the file (absent from the file): "
            f"{self.absent}"
            + (f" ({modes})" if modes else "")
            + (
                f"; {self.absent_unchecked} not checked (the bench no longer makes the file that was read)"
                if self.absent_unchecked
                else ""
            )
        )
        print(
            f"  CPU per sheet: making {1000 * self.cpu_make / max(n, 1):.0f} ms, "
            f"reading (decode + read) {1000 * self.cpu_read / max(n, 1):.0f} ms"
        )
        for key in SHOWN:
            k = by[(key, "sheets")]
            if k:
                print(f"  {key:>10}: {k:5d} sheets, {100 * by[(key, 'accepted')] / k:6.2f} % accepted")
        c = by[("all", "clear")]
        print(f"  clear sheets decided without a person: {100 * by[('all', 'clear_decided')] / max(c, 1):.2f} % of {c}")
        w = by[("all", "clear_whole")]
        print(
            f"    with every box in the image (no box cut off by the frame): "
            f"{100 * by[('all', 'clear_whole_decided')] / max(w, 1):.2f} % of {w}"
        )
        f = by[("all", "clear_file")]
        b = by[("file_bitonal", "clear")]
        print(
            f"    ...and, on 1-bit copies, every mark kept by the copier (>= {KEPT:.0%} of its ink darker than its "
            f"threshold, `copy_kept`): {100 * by[('all', 'clear_file_decided')] / max(f, 1):.2f} % of {f} "
            f"(1-bit {by[('file_bitonal', 'decided')]}/{b})"
        )
        print(f"  sheets sent to a person because the 1-bit copy lost ink (lost_ink): {by[('all', 'lost_ink')]}")
        print(
            f"  1-bit sheets on which no box reads marked, to a person (nothing_marked): {by[('all', 'nothing_marked')]}"
        )
        print(
            "  1-bit sheets whose kept marks are broken (pen at the copier's threshold), to a person (broken_ink): "
            f"{by[('all', 'broken_ink')]}"
        )
        print(
            "  1-bit sheets whose inked boxes are too often in doubt to vouch for the pen, to a person "
            f"(one_bit_in_doubt): {by[('all', 'in_doubt')]}"
        )
        for fam in self.families:
            c = by[(fam, "clear")]
            if c:
                print(f"    {fam}: {100 * by[(fam, 'clear_decided')] / c:.2f} % of {c}")
        _counted(by, "by reason (sheets/boxes; a sheet may give several)", "why_", "clear_sheets", "clear_boxes")
        _counted(by, "by capture (to a person/clear)", "cap_", "clear_undecided", "clear")
        _counted(by, "by election (to a person/clear)", "el_", "clear_undecided", "clear")
        print(f"  refused: {dict(self.errors.most_common())}")
        print(f"  refused with at most one corner region cut (replay with --sheets): {self.refused_ok_cut[:30]}")
        print("  ambiguous by kind/why: " + ", ".join(f"{k} {v}" for k, v in self.amb.most_common(16)))
        print(f"  clear sheets sent to a person: {self.clear_undecided[:40]}")
        causes = Counter(
            f"{label} on {tag.split('/')[1]}, read {state} ({why})" for _, _, label, tag, state, _, why in self.bad
        )
        print(
            "  misreads by what was drawn, capture mode, what was read: "
            + ", ".join(f"{k} {v}" for k, v in causes.most_common())
        )
        for b in self.bad[:60]:
            gone = " (absent from the file)" if (b[0], b[1]) in self.absent_keys else ""
            print("  MISREAD seed={} box={} drawn={} capture={} read={} cover={:.3f} why={}".format(*b) + gone)
        summary: dict[str, float] = {
            "sheets": n,
            "boxes": total["boxes"],
            "misreads": total["misread"],
            "ambiguous": total["ambiguous"],
        }
        summary["absent"] = self.absent
        summary["absent_unchecked"] = self.absent_unchecked
        summary |= {f"{k[0]}:{k[1]}": v for k, v in by.items()}
        summary |= {"cpu_make": round(self.cpu_make, 1), "cpu_read": round(self.cpu_read, 1)}
        print("SUMMARY " + json.dumps(summary, sort_keys=True))


def short_name(name: str) -> str:
    """An election's bench name without pabulib's country prefix and suffixes: `Dieppe_2015`."""
    for cut in ("US_Stanford_Dataset_PB_", "France_", "Poland_", "Netherlands_", "Switzerland_"):
        name = name.removeprefix(cut)
    return name.removesuffix("_vote_rankings").split("_-_")[0]


def _counted(by: Counter, title: str, prefix: str, first: str, second: str) -> None:
    """One line of clear sheets sent to a person, counted by what the key after `prefix` names
    (a reason, a capture), most first: `first`/`second` of each."""
    names = sorted(
        (k[0][len(prefix) :] for k in by if k[0].startswith(prefix) and k[1] == second),
        key=lambda n: (-by[(prefix + n, first)], n),
    )
    print(
        f"  clear sheets sent to a person, {title}: "
        + ", ".join(f"{n} {by[(prefix + n, first)]}/{by[(prefix + n, second)]}" for n in names)
    )
