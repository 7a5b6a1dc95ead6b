"""A line in a box and what lies beside it: a crease alone, a crease plus a dot, a tick's stroke
plus a blob.

Contract: `lone_crossing_line`, `dot_beside_line` and `line_plus_blob` answer `marks.read_box`'s
questions about a crop's binary ink mask (uint8, 0 or 255) once a straight line is found in it:
is that line all there is, or is something beside it that a person must look at. The line
finding itself (`strokes.line_band`, `across_line`) is shared with the crease cutting in
`strokes`.
"""

from __future__ import annotations

import cv2
import numpy as np

from ballots.paper import levels
from ballots.paper.strokes import CREASE_WIDTH, across_line, drop_specks, hough, line_band


def lone_crossing_line(ink: np.ndarray, free: np.ndarray, mp: int, side_px: int) -> bool:
    """Only one thin, straight, even line, running from edge to edge of the whole crop.

    Sampled along the line: inked up to both ends of the crop (>= 2.6 mm beyond the box each
    way) and nearly all along (where no outline is printed), the same width across the box (a
    crossing or meeting stroke would widen it), and no ink left in or around the box without it.
    """
    n = ink.shape[0]
    # A low vote: a 1 px streak loses the outlines it crosses (masked); the checks below are strict.
    lines = hough(ink, np.pi / 180, int(n * 0.35))
    if lines is None:
        return False
    rho, theta = lines[0, 0]
    xi, yi, inside = across_line(n, float(rho), float(theta), 5)
    if inside.sum() < n * 0.9:
        return False
    xi, yi = xi[inside], yi[inside]
    across = ink[yi, xi]  # (positions along the line, offsets across it)
    widths = across.sum(axis=1)
    clear = free[yi, xi].all(axis=1)  # printed outlines are masked out of the ink: skip them
    idx = np.flatnonzero(clear)  # a neighbour's outline may hide the crop's very end
    if (
        len(idx) < 10
        or idx[0] > 12
        or idx[-1] < len(clear) - 13
        or not (widths[idx[:5]].any() and widths[idx[-5:]].any())
    ):
        return False
    lo, hi = mp - 4, mp + side_px + 4
    cx, cy = xi[:, 5], yi[:, 5]
    near_box = clear & (cx >= lo) & (cx < hi) & (cy >= lo) & (cy < hi)
    if clear.sum() < n * 0.4 or (widths[clear] > 0).mean() < 0.75 or near_box.sum() < side_px * 0.5:
        return False
    w = widths[near_box]
    if (w > 0).mean() < 0.85 or across[near_box][:, [0, 1, -2, -1]].any():  # wider than a crease, or a stroke
        return False
    wm = float(np.median(w[w > 0]))
    if wm > 5 or float(w.max()) > wm * 1.6 + 1:
        return False
    band = np.zeros_like(ink)
    band[yi, xi] = 1
    band = cv2.morphologyEx(band, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))  # rounding leaves holes in a slanted band
    rest = ink & (band == 0)
    return int(rest[lo:hi, lo:hi].sum()) <= 3


def dot_beside_line(ink: np.ndarray, free: np.ndarray, a: int, b: int) -> bool:
    """Without its longest line across the crop, is what is left in the box a dot beside it?

    Left of an X: its other stroke, spanning the box. Left of a tick whose long stroke was taken:
    its short stroke, where that stroke ends. A dot or a stray's tip beside a crease is compact
    and the line goes on well past both sides of where it touches.
    """
    n = ink.shape[0]
    lines = hough(ink, np.pi / 180, int(n * 0.6))
    if lines is None:
        return True
    return blob_beside(ink, free, a, b, float(lines[0, 0][0]), float(lines[0, 0][1]), spread=0.55)


def line_plus_blob(ink: np.ndarray, free: np.ndarray, w0: int, w1: int, hidden: np.ndarray | None = None) -> bool:
    """One straight line across the box plus something small (a dot beside an unconfirmed crease).

    [w0:w1] is the inside of the box's outline. Take the longest line away: what is left of an X
    is the other stroke, of a tick its short stroke, of a fill the rest of the fill; what is left
    of a crease and a dot is just the dot. `hidden`: creases taken out of the ink (a tick's short
    stroke cut off where a crease crossed it still meets the long one, under the crease).
    """
    window = np.ascontiguousarray(ink[w0:w1, w0:w1])
    n = w1 - w0
    lines = hough(window, np.pi / 90, int(n * 0.7))
    if lines is None:
        return False
    rho, theta = float(lines[0, 0][0]), float(lines[0, 0][1])
    rho += w0 * (np.cos(theta) + np.sin(theta))  # into the crop's frame
    return blob_beside(ink, free, w0, w1, rho, theta, spread=0.45, hidden=hidden)


def blob_beside(
    ink: np.ndarray,
    free: np.ndarray,
    w0: int,
    w1: int,
    rho: float,
    theta: float,
    *,
    spread: float,
    hidden: np.ndarray | None = None,
) -> bool:
    """Is the ink in [w0:w1] the line (rho, theta) and, beside it, something that is not a stroke?

    Not a stroke: almost nothing; something compact (< `spread` of the window) that does not
    touch the line; or that touches it where the line goes on past both sides (a crease runs
    through the box and beyond; a tick's long stroke ends where its short one meets it).
    """
    n = w1 - w0
    # Cheap first look: with a band wider than any crease taken away, is what is left still
    # spread over the box (an X's other stroke, a fill)? Then it is no blob.
    cs, sn = float(np.cos(theta)), float(np.sin(theta))
    p0, d = np.array([cs * rho, sn * rho]), np.array([-sn, cs]) * ink.shape[0] * 2
    wide = np.zeros_like(ink)
    cv2.line(wide, tuple(int(round(v)) for v in p0 - d), tuple(int(round(v)) for v in p0 + d), 1, 2 * CREASE_WIDTH + 1)
    ys, xs = levels.nonzero((ink & (wide == 0))[w0:w1, w0:w1])
    if len(xs) and max(int(xs.max() - xs.min()), int(ys.max() - ys.min())) / n >= spread:
        return False
    band = line_band(ink, rho, theta)
    rest = drop_specks(np.ascontiguousarray((ink & (band == 0))[w0:w1, w0:w1]))
    k, labels, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    if k <= 1 or int(stats[1:, cv2.CC_STAT_AREA].sum()) < 0.015 * n * n:
        return True
    ys, xs = levels.nonzero(rest)
    if max(int(xs.max() - xs.min()), int(ys.max() - ys.min())) / n >= spread:
        return False
    near_band = cv2.dilate(band, np.ones((5, 5), np.uint8)) > 0
    if hidden is not None:  # a crease taken out right beside the line may hide where they meet
        beside = cv2.dilate(hidden & cv2.dilate(band, np.ones((9, 9), np.uint8)), np.ones((3, 3), np.uint8))
        near_band = near_band | (beside > 0)
    near = near_band[w0:w1, w0:w1]
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    cy, cx = levels.nonzero((labels == biggest) & near)
    if len(cx) == 0:
        return True
    u = np.array([-np.sin(theta), np.cos(theta)])
    p = np.array([np.cos(theta) * rho, np.sin(theta) * rho])
    t = (np.stack([cx + w0, cy + w0], 1) - p) @ u
    return _runs_past(ink, free, band, rho, theta, (float(t.min()), float(t.max())), int(max(9.0, 0.3 * n)))


def _runs_past(
    ink: np.ndarray,
    free: np.ndarray,
    band: np.ndarray,
    rho: float,
    theta: float,
    contact: tuple[float, float],
    reach: int,
) -> bool:
    """Does the line go on `reach` px past both ends of `contact` (positions along it), or to the crop's edge?

    The line is ink in its band with no ink just beside the band (a neighbour's mark further
    along is not the line going on, nor is anything past a second outline: that is the
    neighbour's box). Gaps of a few px are bridged; printed outlines (masked out of the ink: a
    crease crossing an outline is hidden there) are stepped over without counting.
    """
    u = np.array([-np.sin(theta), np.cos(theta)])
    p = np.array([np.cos(theta) * rho, np.sin(theta) * rho])

    def along(mask: np.ndarray) -> np.ndarray:
        ys, xs = levels.nonzero(mask)
        return np.round((np.stack([xs, ys], 1) - p) @ u).astype(int)

    # Along the band's middle only: a wide band (a bent stroke) would reach outlines and
    # neighbours' ink off to the side.
    depth = cv2.distanceTransform(band.astype(np.uint8), cv2.DIST_L2, 3)
    inband = depth >= max(float(depth.max()) - 1.5, 0.5)
    beside = cv2.dilate(band, np.ones((7, 7), np.uint8)) & (band == 0)
    wide = np.bincount(along((ink > 0) & (beside > 0)) + 4 * ink.shape[0], minlength=8 * ink.shape[0])
    seen = set(along((ink > 0) & inband).tolist())
    hidden = set(along((free == 0) & inband).tolist())
    span = along(inband)
    first, last = int(span.min()), int(span.max())

    def runs(start: int, step: int) -> bool:
        gap = covered = found = beyond = stretches = 0
        k, was_hidden = start, False
        while first <= k <= last:
            k += step
            if k in hidden and k not in seen:
                if not was_hidden:
                    stretches += 1
                    if stretches == 2:  # a neighbour's outline: what lies past it is its own ink
                        return beyond >= 2
                was_hidden = True
                continue  # under an outline: neither evidence nor a gap
            was_hidden = False
            covered += 1
            line_here = k in seen and wide[k + 4 * ink.shape[0]] < 3
            found += line_here
            beyond += line_here and stretches > 0
            gap = 0 if line_here else gap + 1
            if gap > 3:
                return False
            if covered > reach:
                return True
        return beyond >= 2 if stretches else found >= 3  # the line reaches the crop's edge

    return runs(int(np.ceil(contact[1])), 1) and runs(int(np.floor(contact[0])), -1)
