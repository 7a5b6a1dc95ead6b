"""The shape of the ink in one box: lines taken out and strokes joined again, dots, strokes that cross.

`marks.read_box` decides MARKED / BLANK / AMBIGUOUS; these tests answer the geometric questions
it asks about a crop's binary ink mask (uint8, 0 or 255), so that a crease plus a dot is never
taken for a tick and an X over a crease still counts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Literal, overload

import cv2
import numpy as np

from ballots.paper import levels

SPECK = 5  # connected bits of ink smaller than this (px) are noise
CREASE_WIDTH = 6  # px at 180 dpi: a crease or a streak (<= 3 px wide, blurred); felt pens are wider...
CREASE_DARK = 0.65  # ...and darker: a crease's shadow is grey

Cut = tuple[np.ndarray, np.ndarray, int]  # a line taken out of the ink: its mask, unit normal (x, y), thickness px


def drop_specks(ink: np.ndarray) -> np.ndarray:
    # 16-bit labels (a crop holds far fewer than 65 536 pieces): the same pieces and stats, the
    # stats 1.5-3x cheaper in OpenCV than with 32-bit labels (so wherever pieces are counted here).
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8, ltype=cv2.CV_16U)
    if n <= 1:
        return ink
    small = stats[:, cv2.CC_STAT_AREA] < SPECK
    small[0] = False
    if small.any():
        ink = ink.copy()
        ink[small[labels]] = 0
    return ink


def hough(img: np.ndarray, theta: float, votes: int) -> np.ndarray | None:
    """`cv2.HoughLines(img, 1, theta, votes)`, strongest first, or None where no line has the
    votes: OpenCV 5.0 gives None there, 5.1 an empty array; every caller asks this one."""
    lines = cv2.HoughLines(img, 1, theta, votes)
    return lines if lines is not None and len(lines) else None


def crosses(ink: np.ndarray, e: int) -> bool:
    """Ink in the crop's outer band (`e` px) at two places half the crop apart: a line crosses it.

    A line through the box leaves the crop far from where it came in; a stroke that overshoots
    into a corner of the crop touches two sides there, close together, and crosses nothing.
    """
    ring = ink.copy()
    ring[e:-e, e:-e] = 0
    ys, xs = levels.nonzero(ring)
    if len(xs) < 2:
        return False
    # max - min, as np.ptp gives it, of x, y and both diagonals: one max and one min over the four
    # (the same integers; eight reductions each cost more in numpy's wrappers than the spans).
    v = np.stack((xs, ys, xs + ys, xs - ys))
    hi, lo = v.max(axis=1).tolist(), v.min(axis=1).tolist()
    spread = max(hi[0] - lo[0], hi[1] - lo[1], (hi[2] - lo[2]) / 1.42, (hi[3] - lo[3]) / 1.42)
    return bool(spread >= 0.5 * ink.shape[0])


def across_line(n: int, rho: float, theta: float, half: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pixel coordinates along the line (rho, theta) of an n x n crop, `half` px either side of it.

    Returns xi, yi of shape (positions along the line, 2 * half + 1 offsets across it) and a mask
    of the positions whose offsets all fall inside the crop.
    """
    cs, sn = float(np.cos(theta)), float(np.sin(theta))
    ts, ks = _steps(n, half)
    # Each coordinate on its own, (point on the line + t along it) + k across it: the same float
    # operations, element by element, as on the stacked (t, k, x/y) array (`across_line_reference`).
    xi = np.round((cs * rho + ts * -sn)[:, None] + (ks * cs)[None, :]).astype(int)
    yi = np.round((sn * rho + ts * cs)[:, None] + (ks * sn)[None, :]).astype(int)
    inside = np.asarray(((xi >= 0) & (xi < n) & (yi >= 0) & (yi < n)).all(axis=1))
    return xi, yi, inside


@functools.lru_cache(maxsize=64)
def _steps(n: int, half: int) -> tuple[np.ndarray, np.ndarray]:
    """The steps along the line (-2n .. 2n - 1) and across it (-half .. half), as floats (read-only)."""
    ts, ks = np.arange(-2 * n, 2 * n, 1.0), np.arange(-half, half + 1).astype(np.float64)
    ts.setflags(write=False)
    ks.setflags(write=False)
    return ts, ks


def across_line_reference(n: int, rho: float, theta: float, half: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`across_line` on the stacked (along, across, x/y) array, as it was written (the definition)."""
    cs, sn = float(np.cos(theta)), float(np.sin(theta))
    ts = np.arange(-2 * n, 2 * n, 1.0)
    pts = (
        np.array([cs * rho, sn * rho])[None, None, :]
        + ts[:, None, None] * np.array([-sn, cs])
        + np.arange(-half, half + 1)[None, :, None] * np.array([cs, sn])
    )
    xi, yi = np.round(pts[..., 0]).astype(int), np.round(pts[..., 1]).astype(int)
    return xi, yi, ((xi >= 0) & (xi < n) & (yi >= 0) & (yi < n)).all(axis=1)


def without_longest_line(ink: np.ndarray, width: int = 5, e: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The ink without its longest straight line (`width` px wide), and that line's mask.

    With `e`: the longest line whose own ink crosses the crop (see `crosses`), if any; a tick's
    long stroke overshooting into a corner of the crop is not one.
    """
    n = ink.shape[0]
    band = np.zeros_like(ink)
    lines = hough(ink, np.pi / 180, int(n * 0.6))
    if lines is None:
        return ink, band
    for rho, theta in lines[:8, 0] if e is not None else lines[:1, 0]:
        c, s_ = np.cos(theta), np.sin(theta)
        p = np.array([c * rho, s_ * rho])
        d = np.array([-s_, c]) * n * 2
        band[:] = 0
        cv2.line(band, tuple(int(round(v)) for v in p - d), tuple(int(round(v)) for v in p + d), 1, width)
        if e is None or crosses(ink & band, e):
            return ink & (band == 0), band
    return ink, np.zeros_like(ink)


def without_through_lines(
    darkness: np.ndarray,
    faint_at: float,
    ink: np.ndarray,
    free: np.ndarray,
    box: tuple[int, int],
    cuts_made: list[Cut] | None = None,
    on_page: Callable[[float, float], bool] | None = None,
    pen_lines: bool = False,
) -> tuple[np.ndarray, list[Cut]]:
    """`ink` without the creases and streaks: straight lines from end to end of the crop.

    Looked for at a low darkness (`faint_at`), where a faint crease is whole. Such a line is
    there outside the box on both sides, nearly all along (a crease runs across the page; a big
    fill or noise only gives Hough votes through the box), and it is thin or pale: a felt-pen
    stroke lined up with a neighbour's is wide and dark. `box` is the box's span in the crop
    (px). Returns the ink without them and the cuts made (none: `ink` itself). A line already
    taken out (`cuts_made`) is still there at this darkness: it is not cut again. `on_page(rho,
    theta)`: does the page show the line going on far beyond the crop (`page_lines.continues`)? An
    X's overflowing arm or a check mark's long stroke also runs off a small crop; only a crease
    or a streak goes on for centimetres. `pen_lines`: a line as wide and dark as a felt pen's is
    taken too (only asked where any line through the crop sends the box to a person: a
    neighbour's felt stroke lined up with a faint fold is no more this box's own ink than the fold).
    """
    n = darkness.shape[0]
    faint = drop_specks(((darkness >= faint_at) & free).astype(np.uint8))
    cuts: list[Cut] = []
    e = 8  # a crease runs off the crop: it is in its outer band (past neighbours' masked outlines) twice
    if not crosses(faint, e):
        return ink, cuts
    # Votes: 0.6 of the crop's side. Asked for a thin mark (`pen_lines`), 0.45: a 1-px streak
    # slanted a few degrees, JPEG-broken, loses a dozen px to the four outlines it crosses (masked)
    # and its votes to neighbouring bins (first-corpus held-out 4802, sheet 271: 35-39 votes, a
    # dot on it read the voter's own pen). There a line only ever sends the box to a person.
    lines = hough(faint, np.pi / 180, int(n * (0.45 if pen_lines else 0.6)))
    if lines is None:
        return ink, cuts
    out = ink
    done: list[tuple[float, float]] = []
    for rho, theta in lines[:6, 0]:
        if any(abs(theta - t) < 0.1 and abs(rho - r) < 6 for t, r in done):
            continue
        if not _end_to_end(faint, free, float(rho), float(theta), ends=2):
            continue
        if not _outside_both_sides(faint, free, float(rho), float(theta), box):
            continue
        band, width = line_band(faint, float(rho), float(theta), with_width=True, outside=box)
        if (
            not pen_lines
            and width > CREASE_WIDTH
            and float(np.median(darkness[(band > 0) & (faint > 0)])) > CREASE_DARK
        ):
            continue
        if cuts_made and already_cut(band, cuts_made):
            continue
        if on_page is not None and not on_page(float(rho), float(theta)):
            continue
        done.append((float(theta), float(rho)))
        out = out & (band == 0)
        cuts.append((band, np.array([np.cos(theta), np.sin(theta)]), width + 2))
    return out, cuts


def cut_union(cuts: list[Cut], like: np.ndarray) -> np.ndarray:
    """Every pixel any of the cuts took out, as a mask shaped like `like`."""
    out = np.zeros_like(like)
    for cut, _, _ in cuts:
        out |= cut
    return out


def already_cut(band: np.ndarray, cuts: list[Cut]) -> bool:
    """Does this line's band lie mostly (>= 60 %) within a cut already made (the same crease)?"""
    taken = cut_union(cuts, band)
    return int((band & cv2.dilate(taken, np.ones((3, 3), np.uint8))).sum()) >= 0.6 * int(band.sum())


def bridge(rest: np.ndarray, cuts: list[Cut], strong: np.ndarray, *, folds: bool = False) -> np.ndarray:
    """`rest` with strokes joined again where a cut line crossed them or ran along them.

    A band pixel is ink again if it is `strong` (darker than any crease's grey shadow: a pen
    stroke under it), or if, near its place along the line, ink goes on for >= 3 px away from
    the band on both sides: a stroke or a fill the crease crossed. What a crease leaves along its
    edges is 1-2 px thin and a dot touching it lies on one side, so neither is joined.
    `folds`: every cut is a line the page showed crossing the sheet (`creases.erase`): its band
    is the fold's own shade, and of it only the stretch between where a stroke goes in and where
    it comes out is joined (a stray's tip poking past a fold must not take a length of the fold
    with it); a stroke running along under the fold is darker than the fold: `strong` then holds
    the band's pixels darker than the fold's shade (`creases.darker_than`). A line taken out
    unconfirmed may be a stroke of the mark itself: its band is joined as far along as a slanted
    crossing can reach, either side of where strokes meet it.
    """
    if not cuts:
        return rest  # nothing was cut: nothing to join (and no coordinate grid to build)
    out = rest
    n = rest.shape[0]
    ys, xs = np.mgrid[0:n, 0:n]
    for band, nrm, thick in cuts:
        u = np.array([-nrm[1], nrm[0]])
        s_ = xs * nrm[0] + ys * nrm[1]
        on = band > 0
        if not on.any():
            continue
        s_ = s_ - float(s_[on].mean())
        t = np.round(xs * u[0] + ys * u[1]).astype(int)
        t -= int(t.min())
        h = thick / 2
        ink = rest > 0
        counts = [
            np.bincount(t[zone & ink], minlength=int(t.max()) + 1)
            for zone in ((s_ > h) & (s_ <= h + 4), (s_ < -h) & (s_ >= -h - 4))
        ]
        # A stroke crossing the crease at a slant leaves it on the other side further along:
        # up to its thickness / tan(20 degrees).
        if folds:
            across = _between(counts[0] >= 3, counts[1] >= 3, int(thick * 2.7))
        else:
            reach = np.ones(2 * int(thick * 2.7) + 1)
            sides = [np.convolve((c >= 3).astype(float), reach, mode="same") > 0 for c in counts]
            across = sides[0] & sides[1]
        out = out | (on & (across[t] | (strong > 0))).astype(out.dtype)
    return out


def _between(a: np.ndarray, b: np.ndarray, reach: int) -> np.ndarray:
    """Positions t lying between a position of `a` and one of `b` at most `reach` apart (either
    order, ends included): where a stroke that meets one side of a band at a and the other at b
    runs under it."""
    idx = np.arange(len(a))
    far = 10**9

    def prev(m: np.ndarray) -> np.ndarray:  # the last position <= t in m, or -far
        return np.maximum.accumulate(np.where(m, idx, -far))

    def nxt(m: np.ndarray) -> np.ndarray:  # the first position >= t in m, or far
        return np.minimum.accumulate(np.where(m, idx, far)[::-1])[::-1]

    return ((nxt(b) - prev(a)) <= reach) | ((nxt(a) - prev(b)) <= reach)


def _outside_both_sides(
    ink: np.ndarray, free: np.ndarray, rho: float, theta: float, box: tuple[int, int], share: float = 0.7
) -> bool:
    """Is the line inked on >= `share` of its visible length outside the box, on each side?"""
    xi, yi, ok = across_line(ink.shape[0], rho, theta, 1)
    xi, yi = xi[ok], yi[ok]
    cx, cy = xi[:, 1], yi[:, 1]
    lo, hi = box
    within = (cx >= lo - 2) & (cx < hi + 2) & (cy >= lo - 2) & (cy < hi + 2)
    if not within.any():
        return False
    first, last = int(np.argmax(within)), len(within) - 1 - int(np.argmax(within[::-1]))
    visible = free[yi, xi].all(axis=1) & ~within
    inked = ink[yi, xi].any(axis=1)
    for side in (slice(0, first), slice(last + 1, len(within))):
        v = visible[side]
        if v.sum() < 5 or inked[side][v].mean() < share:
            return False
    return True


def _end_to_end(ink: np.ndarray, free: np.ndarray, rho: float, theta: float, ends: int = 5) -> bool:
    """Is there ink on the line (rho, theta) at both ends of the crop (where no outline hides it)?

    Within `ends` px of each end: a felt-pen X overshooting a lot stops ~5 px short of the
    crop's corners; a crease runs off the crop.
    """
    xi, yi, inside = across_line(ink.shape[0], rho, theta, 2)
    xi, yi = xi[inside], yi[inside]
    idx = np.flatnonzero(free[yi, xi].all(axis=1))
    widths = ink[yi, xi].sum(axis=1)
    return bool(
        len(idx) >= 10
        and idx[0] <= 12
        and idx[-1] >= len(xi) - 13
        and widths[idx[:ends]].any()
        and widths[idx[-ends:]].any()
    )


@overload
def line_band(ink: np.ndarray, rho: float, theta: float, *, outside: tuple[int, int] | None = None) -> np.ndarray: ...
@overload
def line_band(
    ink: np.ndarray, rho: float, theta: float, *, with_width: Literal[True], outside: tuple[int, int] | None = None
) -> tuple[np.ndarray, int]: ...
def line_band(
    ink: np.ndarray,
    rho: float,
    theta: float,
    *,
    with_width: bool = False,
    outside: tuple[int, int] | None = None,
    reach: int = 6,
) -> np.ndarray | tuple[np.ndarray, int]:
    """The mask of the line (rho, theta), as wide as its ink is across it, and a pixel each side.

    The width is measured where the line is (its centre inked), so a stroke crossing it does not
    widen it; with `outside` (the box's span in the crop), only outside the box, where a crease
    is alone (a fill it crosses would make it as wide as the fill). A fixed width either leaves
    slivers of a wide, blurred crease (which then pass for a stroke) or eats a tick's short
    stroke where it meets the long one.
    """
    n = ink.shape[0]
    cs, sn = float(np.cos(theta)), float(np.sin(theta))
    p, u, nrm = np.array([cs * rho, sn * rho]), np.array([-sn, cs]), np.array([cs, sn])
    xi, yi, inside = across_line(n, rho, theta, reach)
    if outside is not None:
        lo_, hi_ = outside
        cx, cy = xi[:, reach], yi[:, reach]
        in_box = (cx >= lo_) & (cx < hi_) & (cy >= lo_) & (cy < hi_)
        if (inside & ~in_box).sum() >= 10:
            inside &= ~in_box
    across = ink[yi[inside], xi[inside]] > 0  # (along, offsets)
    centre = across[:, reach - 2 : reach + 3]
    on = centre.any(axis=1)
    if not on.any():
        lo = hi = 0
    else:
        frac = across[on].mean(axis=0)
        peak = reach - 2 + int(np.argmax(centre[on].mean(axis=0)))
        floor = 0.5 * frac[peak]
        lo = hi = peak
        while lo > 0 and frac[lo - 1] >= floor:
            lo -= 1
        while hi < 2 * reach and frac[hi + 1] >= floor:
            hi += 1
        lo, hi = lo - reach, hi - reach
    mid = p + nrm * (lo + hi) / 2
    d = u * n * 2
    band = np.zeros_like(ink)
    cv2.line(band, tuple(int(round(v)) for v in mid - d), tuple(int(round(v)) for v in mid + d), 1, hi - lo + 3)
    return (band, hi - lo + 1) if with_width else band
