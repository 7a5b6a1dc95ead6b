"""A probe for the crossed-out rule (`ballots/paper/crossed_out.py`): `bench_scan_hard.py`'s sheets
and captures as drawn (every family, mode and dpi), on small-box ballots mostly (Dieppe's ranked
grid and Kraków, 5 mm boxes: where a plain mark is most often taken for a box crossed out), with
every sheet dense with boxes crossed out in three ways, and with the plain marks the rule mistakes
for them.

    python bench/probe_crossed.py --seed 1746 --save /work/dev/p1746 --first 120
    python bench/probe_crossed.py --clear-only --seed 1747 --save /work/dev/p1747 --first 60
    python bench/census.py record --out base.jsonl /work/dev/p1746     # then compare two readers

Crossed out (truth `person`, a misread if decided either way):
- `crossed`: the bench's own — a fill, then a big X running 25-45 % of the side out past the corners;
- `crossed_short`: a fill that stops short of the outline on every side (a margin of 4-12 % of the
  side: 1.5-4.5 px of a 5 mm box at 150 dpi, as a hand stops), then the bench's big X or, half the
  time, an X kept inside the box;
- `crossed_inside`: the bench's fill with an X kept inside the box (its arms do not run out: only
  the two layers inside the box show it).
The X is in a ballpoint, a black felt tip or the fill's own ink. Plain marks (truth `marked`): an X
(twice as often), a scribble or a fill, felt tips favoured. With `--clear-only` a sheet holds only
the bench's clear marks (x, tick, fill, partial, scribble) in 60 % of its boxes, one voter's pen
mostly, felt tips favoured: what a keen voter's clear sheet looks like.

The bench's `random_marks`, `draw_mark` and the draw of a sheet's ballot are replaced in this
process only (the saved folder's `meta.json` names the seed: use probe seeds nobody else uses). A
`--from` read of such a folder by `bench_scan_hard.py` scores it the same, except that it cannot
tell a misread's mark absent from the file (it makes the sheet again without the probe): "not
checked".
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_scan_hard as hard  # noqa: E402
from bench import paper_frames  # noqa: E402

FELT = ("felt_black", "felt_blue", "felt_red", "felt_green")
KINDS = ("crossed_short", "crossed_inside")


def crossed_marks(keys: list[str], rng: random.Random, style: str) -> dict[str, tuple[str, str, str]]:
    """36 % of the boxes crossed out (18 % the bench's, 10 % short fills, 8 % X inside), 30 % plain
    marks, the rest empty (`style` is the bench's draw, unused: every sheet is dense)."""
    out: dict[str, tuple[str, str, str]] = {}
    for k in keys:
        r = rng.random()
        if r < 0.18:
            out[k] = ("crossed", rng.choice(paper_frames.CLEAR_INKS), "person")
        elif r < 0.28:
            out[k] = ("crossed_short", rng.choice(paper_frames.CLEAR_INKS), "person")
        elif r < 0.36:
            out[k] = ("crossed_inside", rng.choice(paper_frames.CLEAR_INKS), "person")
        elif r < 0.66:
            ink = rng.choice(FELT) if rng.random() < 0.6 else rng.choice(paper_frames.CLEAR_INKS)
            out[k] = (rng.choice(("x", "x", "scribble", "fill")), ink, "marked")
        else:
            out[k] = ("", "", "blank")
    return out


def clear_marks(keys: list[str], rng: random.Random, style: str) -> dict[str, tuple[str, str, str]]:
    """Plain marks only, in 60 % of the boxes: one voter's pen (a felt tip 60 % of the time), another
    now and then."""
    out: dict[str, tuple[str, str, str]] = {}
    voter = rng.choice(FELT) if rng.random() < 0.6 else rng.choice(paper_frames.CLEAR_INKS)
    for k in keys:
        if rng.random() < 0.6:
            ink = voter if rng.random() < 0.85 else rng.choice(paper_frames.CLEAR_INKS)
            out[k] = (rng.choice(paper_frames.CLEAR), ink, "marked")
        else:
            out[k] = ("", "", "blank")
    return out


_DRAW = paper_frames.draw_mark


def draw_mark(
    img: np.ndarray,
    rect: tuple[float, float, float, float],
    kind: str,
    ink: str,
    px_mm: float,
    rng: random.Random,
    x_too: bool = True,
) -> None:
    """`paper_frames.draw_mark`, and the probe's two kinds (`KINDS`): a fill (short of the outline,
    or the bench's), then an X over it (`x_too=False`: drawn, with the same draws, but not laid)."""
    if kind not in KINDS:
        _DRAW(img, rect, kind, ink, px_mm, rng, x_too)
        return
    x, y, w, h = rect
    patch, x0, y0 = paper_frames.box_patch(img, rect)
    shape = patch.shape[:2]

    def at(u: float, v: float) -> tuple[float, float]:
        return (x - x0 + u * w, y - y0 + v * h)

    cov = np.zeros(shape, np.float32)
    if kind == "crossed_short":
        m = rng.uniform(0.04, 0.12)  # the margin the hand left, a share of the side
        lines = 10
        fat = h * (1 - 2 * m) / lines * 1.7
        e = fat / 2 / h  # a stroke's round cap and edge reach half its width past its line
        for i in range(lines + 1):
            v = m + e + i * (1 - 2 * m - 2 * e) / lines
            paper_frames._coverage(shape, [at(m + e, v), at(1 - m - e, v)], fat, rng, cov)
        inside = np.zeros(shape, np.float32)  # nothing of it past the margin (jitter cut)
        inside[int(y - y0 + m * h) : int(y - y0 + (1 - m) * h), int(x - x0 + m * w) : int(x - x0 + (1 - m) * w)] = 1
        cov *= inside
    else:  # the bench's fill (`paper_frames.draw_mark`, kind "fill")
        cover = rng.uniform(0.85, 1.0)
        v0 = (1 - cover) / 2 + rng.uniform(-0.04, 0.04)
        lines = int(5 + 10 * min(cover, 1.0))
        step = cover / lines
        fat = max(rng.uniform(*paper_frames.INKS[ink][1]) * px_mm, h * step * 1.7)
        for i in range(lines + 1):
            v = v0 + i * step
            left = at(0.05 + rng.uniform(-0.05, 0.05), v + rng.uniform(-0.02, 0.02))
            right = at(0.95 + rng.uniform(-0.05, 0.05), v + rng.uniform(-0.02, 0.02))
            paper_frames._coverage(shape, [left, right], fat, rng, cov)
    paper_frames._lay_ink(patch, cov, ink, rng)
    big = kind == "crossed_short" and rng.random() < 0.5
    o = rng.uniform(-0.45, -0.25) if big else rng.uniform(0.0, 0.15)  # out past the corners, or inside
    other = rng.choice(["ballpoint_black", "ballpoint_blue", "felt_black", ink])
    w2 = rng.uniform(*paper_frames.INKS[other][1]) * px_mm
    cov = paper_frames._coverage(shape, [at(o, o), at(1 - o, 1 - o)], w2, rng)
    cov = np.maximum(cov, paper_frames._coverage(shape, [at(1 - o, o), at(o, 1 - o)], w2, rng))
    paper_frames._lay_ink(patch if x_too else patch.copy(), cov, other, rng)


_INIT = hard._init


def _init(*args, **kwargs) -> None:
    """The bench's worker set-up, then small boxes favoured: Dieppe drawn 3 times as often as each
    other ballot, Kraków twice (`make_sheet` draws a sheet's ballot from `_W["setups"]`; this order
    made probes 1746 and 1747)."""
    _INIT(*args, **kwargs)
    setups = hard._W["setups"]
    weight = [3 if "Dieppe" in s[0] else 2 if "Krakow" in s[0] else 0 for s in setups]
    small = [s for s, n in zip(setups, weight, strict=True) for _ in range(n)]
    hard._W["setups"] = small + [s for s, n in zip(setups, weight, strict=True) if n == 0]


def main() -> int:
    clear = "--clear-only" in sys.argv
    if clear:
        sys.argv.remove("--clear-only")
    paper_frames.random_marks = clear_marks if clear else crossed_marks
    paper_frames.draw_mark = draw_mark
    hard._init = _init
    sys.argv[0] = "bench_scan_hard"
    return hard.main()


if __name__ == "__main__":
    sys.exit(main())
