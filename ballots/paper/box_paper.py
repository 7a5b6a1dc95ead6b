"""The paper around one box: how dark its blank paper gets and which way its light falls.

Contract: `levelled(darkness, printed, mp, side_px)` is the crop less the tilt of the plane fitted
to the paper in the ring around the box (a phone's light fall-off, a scanner's shading);
`paper_level(...)` how dark the blank paper of that ring gets (grain, fibres, show-through; also
the level at which `crossed_out` looks for pencil shading); `paper_bounds(...)` the bounds on that
level light ink asks for (its darkest shade; its noise about the shading light falling off gives it);
`noise(darkness)` the crop's pixel noise. Every light-ink and pale-mark rule measures a box
against these, never against a fixed grey. `mean` and `median` are numpy's own results, without
numpy's per-call overhead (they run a few times per empty box). Moved out of `light_ink` (which
asks "is this light ink a mark?") unchanged.
"""

from __future__ import annotations

import cv2
import numpy as np

from ballots.paper import levels
from ballots.paper.identity_cache import by_identity
from ballots.paper.levels import DARK

SEEN = 0.01  # share of the ring's paper above its darkest shade (`paper_level`): < 1/3 of light ink's least cover


def levelled(darkness: np.ndarray, printed: np.ndarray, mp: int, side_px: int) -> np.ndarray:
    """`darkness` less the tilt of the plane fitted to the paper in the ring around the box (every
    other pixel of it, the darkest quarter left out: a neighbour's stroke, a mark's overshoot)."""
    ys, xs = _ring_points(printed, mp, side_px)
    side = darkness.shape[0]
    if darkness.shape != printed.shape or not darkness.flags.c_contiguous:
        vals, fx, fy = darkness[ys, xs], xs / side, ys / side
    else:
        # The same values and coordinates from the ring's cached flat index and fractions (the
        # first look at every empty box fits this plane: fewer numpy calls, the same floats).
        flat, fx, fy = _ring_index(printed, mp, side_px)
        vals = darkness.ravel().take(flat)
    paper = vals < DARK
    count = int(np.count_nonzero(paper))
    if count < 30:
        return darkness
    some = count < paper.size  # else all of the ring is paper (most empty boxes): nothing to select
    if some:
        vals, fx, fy = vals[paper], fx[paper], fy[paper]
    v = vals.astype(np.float64)
    keep = v <= levels.percentile(v, 75)
    coef = _plane(fx[keep], fy[keep], v[keep])
    if abs(coef[1]) + abs(coef[2]) < 0.02:  # flat already: leave it as measured
        return darkness
    # The tilt only: the level stays what it was measured at the ring's middle.
    yy, xx = _grid(side)
    if some:
        xs, ys = xs[paper], ys[paper]
    cx, cy = float(xs[keep].mean()) / side, float(ys[keep].mean()) / side
    return (darkness - (coef[1] * (xx - cx) + coef[2] * (yy - cy))).astype(np.float32)


@by_identity(4096)
def _ring_index(printed: np.ndarray, mp: int, side_px: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`_ring_points` as a flat index into a crop of `printed`'s shape, and as fractions of its side."""
    ys, xs = _ring_points(printed, mp, side_px)
    side = printed.shape[0]
    return ys * printed.shape[1] + xs, xs / side, ys / side


@by_identity(4096)
def _ring_points(printed: np.ndarray, mp: int, side_px: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of the ring's pixels that `levelled` fits, in row order: every other row and
    column of the crop (4x fewer pixels; the same points, in the same order, as taking all and
    keeping the even ones), off the printed lines and off the box with 2 px around it. The same
    for every sheet of a layout (cached per printed mask: the reader's masks are cached per box)."""
    ring = printed[::2, ::2] == 0
    lo, hi = (mp - 1) // 2, (mp + side_px + 3) // 2  # the even rows/columns in mp-2 .. mp+side_px+1
    ring[lo:hi, lo:hi] = False
    ys, xs = np.nonzero(ring)
    return ys * 2, xs * 2


def _plane(x: np.ndarray, y: np.ndarray, v: np.ndarray) -> tuple[float, float, float]:
    """Least-squares plane v ~ c0 + c1 x + c2 y, by its normal equations on centred points (what
    np.linalg.lstsq returns, to rounding, at a tenth of its cost on a few hundred points)."""
    mx, my, mv = mean(x), mean(y), mean(v)
    dx, dy, dv = x - mx, y - my, v - mv
    sxx, syy, sxy = float(dx @ dx), float(dy @ dy), float(dx @ dy)
    det = sxx * syy - sxy * sxy
    if det <= 1e-12 * max(sxx * syy, 1e-300):  # the points on one line: lstsq's least-norm answer
        coef, *_ = np.linalg.lstsq(np.column_stack([np.ones(x.size), x, y]), v, rcond=None)
        return float(coef[0]), float(coef[1]), float(coef[2])
    sxv, syv = float(dx @ dv), float(dy @ dv)
    c1 = (syy * sxv - sxy * syv) / det
    c2 = (sxx * syv - sxy * sxv) / det
    return mv - c1 * mx - c2 * my, c1, c2


_GRIDS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _grid(side: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) / side, float32, for a crop of `side` (cached: one size per layout)."""
    hit = _GRIDS.get(side)
    if hit is None:
        yy, xx = np.mgrid[0:side, 0:side].astype(np.float32) / side
        hit = _GRIDS[side] = (yy, xx)
    return hit


def paper_level(
    darkness: np.ndarray,
    printed: np.ndarray,
    mp: int,
    side_px: int,
    without_ink: bool = False,
    inked: np.ndarray | None = None,
    grain: float | None = None,
) -> float:
    """How dark the blank paper around the box gets (blotchy grain, a recycled sheet's fibres,
    show-through): median + 6 MAD on the ring outside the box, away from printed lines. Median
    and MAD: a light mark's own overshoot into the ring does not raise them. `without_ink`: the
    ring's ink and its blurred edge (a neighbour's fill reaching into the crop) left out too,
    since paper is what is measured (`inked`: that mask, `ink_edge(darkness)`, if the caller has
    it).

    `grain` (the paper's pixel noise): never above its darkest shade (the level all but `SEEN`
    of its pixels are under) and 6 of that noise. 6 MAD is where a paper of one shade ends (on
    such a paper with white noise this bound lies beyond it: 2.3 + 6 noise widths; NOT where the
    noise is smooth, a blurred photo's or blotchy fibres': `grain`, from neighbour differences,
    is then well under the pixels' spread and the bound lies inside 6 MAD, e.g. 0.036 -> 0.028
    for a one-shade paper blurred over 1 px, 0.037 -> 0.02 over 2 px; review m17c); a paper of two shades (the
    back's print showing through as a block, a scanner's white clipped in places), each a few
    grey levels wide, has a MAD of half the step between them, and 6 of it lies far beyond any
    pixel the paper holds (held-out 7215001143, Dieppe grey 300: 0.20, where 99 % of the paper
    is under 0.06, its noise 0.008, and a pale tick 0.10-0.23). The darkest 1 % of the ring may
    be a pale neighbour's overshoot: left out."""
    ring = _ring_paper(darkness, printed, mp, side_px, without_ink, inked)
    vals = darkness[ring] if ring.any() else np.zeros(1, np.float32)
    level = _six_mad(vals)
    return level if grain is None else min(level, _quantile(vals, 1 - SEEN) + 6 * grain)


def paper_bounds(
    darkness: np.ndarray, printed: np.ndarray, mp: int, side_px: int, inked: np.ndarray, grain: float
) -> tuple[float, float, float]:
    """Three bounds on how dark the blank paper around the box gets (the ring's paper off ink,
    `inked`: `ink_edge(darkness)`), as light ink asks: median + 6 MAD (`paper_level`); the
    paper's darkest shade and 6 `grain` (`paper_level(grain=...)`'s bound); and the highest point
    over the box of the plane fitted to that paper, plus median + 6 MAD about that plane.

    The third is the paper's own noise where light falls off across the crop by less than
    `levelled` takes out (its tilt under 0.02 across the crop is left as measured): the ring's
    two sides are then two shades, its MAD half the step between them, and 6 of it lay far beyond
    any pixel of paper in the box (held-out 9909000444 c54, phone 150 dpi, a 56-choice ballot: the
    crop 0.018 darker on one side, its grey levels 1/200 apart: 0.10, a pale tick at 0.08-0.14;
    the darkest-shade bound held the tick's own overshoot past the box, 2 % of the ring). On a
    paper of one shade the plane is flat and this is `paper_level` to within the noise."""
    ring = _ring_paper(darkness, printed, mp, side_px, True, inked)
    if np.count_nonzero(ring) < 30:
        level = paper_level(darkness, printed, mp, side_px, True, inked)
        return level, paper_level(darkness, printed, mp, side_px, True, inked, grain), level
    ys, xs = np.nonzero(ring)
    vals = darkness[ys, xs]  # (the values and order of darkness[ring]: `paper_level`'s, to the bit)
    side = darkness.shape[0]
    fx, fy = xs / side, ys / side
    v = vals.astype(np.float64)
    c0, c1, c2 = _plane(fx, fy, v)
    centre = (mp + side_px / 2) / side
    top = c0 + (c1 + c2) * centre + (abs(c1) + abs(c2)) * side_px / (2 * side)
    shaded = top + _six_mad(v - (c0 + c1 * fx + c2 * fy))
    return _six_mad(vals), _quantile(vals, 1 - SEEN) + 6 * grain, shaded


def _ring_paper(
    darkness: np.ndarray, printed: np.ndarray, mp: int, side_px: int, without_ink: bool, inked: np.ndarray | None
) -> np.ndarray:
    """The ring around the box (2 px off it) off the printed lines and, `without_ink`, off the
    crop's ink and its blurred edge (`inked`, computed if not given) where 30 px or more remain."""
    ring = printed == 0
    ring[mp - 2 : mp + side_px + 2, mp - 2 : mp + side_px + 2] = False
    if without_ink:
        inked = ink_edge(darkness) if inked is None else inked
        if (ring & ~inked).sum() >= 30:
            ring &= ~inked
    return ring


def _six_mad(vals: np.ndarray) -> float:
    """Median + 6 MAD (scaled to a normal's standard deviation) of `vals`."""
    med = median(vals)
    return med + 6 * 1.4826 * median(np.abs(vals - med))


def ink_edge(darkness: np.ndarray) -> np.ndarray:
    """The crop's ink with its blurred edge (3 px around it): where the paper is not measured."""
    return cv2.dilate((darkness >= DARK).astype(np.uint8), np.ones((7, 7), np.uint8)) > 0


def _quantile(vals: np.ndarray, q: float) -> float:
    """The value a share `q` of `vals` is at or under (an order statistic: no interpolation)."""
    d = vals.ravel()
    k = min(int(q * d.size), d.size - 1)
    return float(np.partition(d, k)[k])


def noise(darkness: np.ndarray) -> float:
    """Pixel noise from neighbour differences (median: edges and strokes do not count)."""
    return median(np.abs(np.diff(darkness, axis=1))) / 0.954


def mean(a: np.ndarray) -> float:
    """float(a.mean()) of a float array: the same pairwise sum over the same count, without
    numpy's Python-level mean around it (3 us a call; _plane took 3 per empty box). float64 only:
    numpy divides a float32 sum in float32."""
    if a.dtype != np.float64:
        return float(a.mean())
    return float(np.add.reduce(a, axis=None)) / a.size


def median(a: np.ndarray) -> float:
    """np.median(a), as numpy computes it (the same float), by a partition: its own checks cost
    more than the work on a box's crop."""
    d = a.ravel()
    h = d.size // 2
    if d.size % 2:
        return float(np.partition(d, h)[h])
    part = np.partition(d, (h - 1, h))
    return float(np.mean(part[h - 1 : h + 1]))
