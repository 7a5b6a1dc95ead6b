"""The shape of the ink in one box: a line and what is left beside it, dots, strokes that cross.

`marks.read_box` decides MARKED / BLANK / AMBIGUOUS; these tests answer the geometric questions
it asks about a crop's binary ink mask (uint8, 0 or 255), so that a crease plus a dot is never
taken for a tick and an X over a crease still counts.
"""

from __future__ import annotations

import cv2
import numpy as np

SPECK = 5  # connected bits of ink smaller than this (px) are noise


def drop_specks(ink: np.ndarray) -> np.ndarray:
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return ink
    small = stats[:, cv2.CC_STAT_AREA] < SPECK
    small[0] = False
    if small.any():
        ink = ink.copy()
        ink[small[labels]] = 0
    return ink


def crosses(ink: np.ndarray, e: int) -> bool:
    """Ink in the crop's outer band on two sides after erasing: a line still crosses the crop."""
    return int(ink[:e].any()) + int(ink[-e:].any()) + int(ink[:, :e].any()) + int(ink[:, -e:].any()) >= 2


def without_longest_line(ink: np.ndarray, width: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """The ink without its longest straight line (`width` px wide), and that line's mask."""
    n = ink.shape[0]
    band = np.zeros_like(ink)
    lines = cv2.HoughLines(ink, 1, np.pi / 180, int(n * 0.6))
    if lines is None:
        return ink, band
    rho, theta = lines[0, 0]
    c, s_ = np.cos(theta), np.sin(theta)
    p = np.array([c * rho, s_ * rho])
    d = np.array([-s_, c]) * n * 2
    cv2.line(band, tuple(int(round(v)) for v in p - d), tuple(int(round(v)) for v in p + d), 1, width)
    return ink & (band == 0), band


def lone_crossing_line(ink: np.ndarray, free: np.ndarray, mp: int, side_px: int) -> bool:
    """Only one thin, straight, even line, running from edge to edge of the whole crop.

    Sampled along the line: inked up to both ends of the crop (>= 2.6 mm beyond the box each
    way) and nearly all along (where no outline is printed), the same width across the box (a
    crossing or meeting stroke would widen it), and no ink left in or around the box without it.
    """
    n = ink.shape[0]
    # A low vote: a 1 px streak loses the outlines it crosses (masked); the checks below are strict.
    lines = cv2.HoughLines(ink, 1, np.pi / 180, int(n * 0.35))
    if lines is None:
        return False
    rho, theta = lines[0, 0]
    cs, sn = float(np.cos(theta)), float(np.sin(theta))
    p = np.array([cs * rho, sn * rho])
    direction, normal = np.array([-sn, cs]), np.array([cs, sn])
    ts = np.arange(-2 * n, 2 * n, 1.0)
    offs = np.arange(-5, 6)
    pts = p[None, None, :] + ts[:, None, None] * direction + offs[None, :, None] * normal
    xi, yi = np.round(pts[..., 0]).astype(int), np.round(pts[..., 1]).astype(int)
    inside = ((xi >= 0) & (xi < n) & (yi >= 0) & (yi < n)).all(axis=1)
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
    """Without its longest line (taken 9 px wide: no crease residue), is what is left a dot beside it?

    Left of an X: its other stroke, spanning the box. Left of a tick whose long stroke was taken:
    its short stroke, meeting that stroke at its end. A dot or a stray's tip beside a crease is
    compact and the line goes on well past both sides of where it touches.
    """
    n = ink.shape[0]
    rest, band = without_longest_line(ink, 9)
    inner = drop_specks(np.ascontiguousarray(rest[a:b, a:b]))
    ys, xs = np.nonzero(inner)
    if len(xs) == 0:
        return True
    if max(int(xs.max() - xs.min()), int(ys.max() - ys.min())) / inner.shape[0] >= 0.55:
        return False
    lines = cv2.HoughLines(ink, 1, np.pi / 180, int(n * 0.6))
    if lines is None:
        return True
    rho, theta = lines[0, 0]
    u = np.array([-np.sin(theta), np.cos(theta)])
    p = np.array([np.cos(theta) * rho, np.sin(theta) * rho])
    near = cv2.dilate(band, np.ones((3, 3), np.uint8)) & (band == 0)
    cy, cx = np.nonzero(rest & near)
    if len(cx) == 0:
        return True
    tc = float(np.mean((np.stack([cx, cy], 1) - p) @ u))
    # Follow the line's ink from the contact each way (gaps of a few px bridged): a neighbour's
    # mark further along the same line does not count. A line across the whole crop always does.
    ly, lx = np.nonzero(ink & band)
    on = np.round((np.stack([lx, ly], 1) - p) @ u - tc).astype(int)
    reach = int(max(10.0, 0.3 * (b - a)))
    seen = set(on.tolist())

    def runs(step: int) -> bool:
        gap = 0
        for k in range(0, step * (reach + 1), step):
            gap = 0 if k in seen else gap + 1
            if gap > 3:
                return False
        return True

    return runs(1) and runs(-1) or _end_to_end(ink, free, rho, theta)


def _end_to_end(ink: np.ndarray, free: np.ndarray, rho: float, theta: float) -> bool:
    """Is there ink on the line (rho, theta) at both ends of the crop (where no outline hides it)?"""
    n = ink.shape[0]
    cs, sn = float(np.cos(theta)), float(np.sin(theta))
    ts = np.arange(-2 * n, 2 * n, 1.0)
    pts = (
        np.array([cs * rho, sn * rho])[None, None, :]
        + ts[:, None, None] * np.array([-sn, cs])
        + np.arange(-2, 3)[None, :, None] * np.array([cs, sn])
    )
    xi, yi = np.round(pts[..., 0]).astype(int), np.round(pts[..., 1]).astype(int)
    inside = ((xi >= 0) & (xi < n) & (yi >= 0) & (yi < n)).all(axis=1)
    xi, yi = xi[inside], yi[inside]
    idx = np.flatnonzero(free[yi, xi].all(axis=1))
    widths = ink[yi, xi].sum(axis=1)
    return bool(
        len(idx) >= 10 and idx[0] <= 12 and idx[-1] >= len(xi) - 13 and widths[idx[:5]].any() and widths[idx[-5:]].any()
    )


def line_plus_blob(inner: np.ndarray) -> bool:
    """One straight line across the box plus something small (a dot beside an unconfirmed crease).

    Take the longest line away: what is left of an X is the other stroke, of a tick its short
    stroke, of a fill the rest of the fill; what is left of a crease and a dot is just the dot.
    """
    n = inner.shape[0]
    lines = cv2.HoughLines(inner, 1, np.pi / 90, int(n * 0.8))
    if lines is None:
        return False
    rho, theta = lines[0, 0]
    c, s_ = np.cos(theta), np.sin(theta)
    p = np.array([c * rho, s_ * rho])
    d = np.array([-s_, c]) * n * 2
    band = np.zeros_like(inner)
    cv2.line(band, tuple(int(round(v)) for v in p - d), tuple(int(round(v)) for v in p + d), 1, 7)
    rest = inner & (band == 0)
    ys, xs = np.nonzero(rest)
    if len(xs) < 0.02 * n * n:
        return True
    if max(int(xs.max() - xs.min()), int(ys.max() - ys.min())) / n >= 0.45:
        return False
    # A tick's short stroke meets its long one; a dot beside a crease stands apart from it.
    near = cv2.dilate(band, np.ones((3, 3), np.uint8)) & (band == 0)
    cy, cx = np.nonzero(rest & near)
    if len(cx) == 0:
        return True
    # ...and meets it at its end (the tick's vertex); a line going on well past both sides of
    # where the blob touches it is a crease with a dot beside it.
    u = np.array([-s_, c])
    tc = float(np.mean((np.stack([cx, cy], 1) - p) @ u))
    ly, lx = np.nonzero(inner & band)
    t = (np.stack([lx, ly], 1) - p) @ u
    return bool((t < tc - 0.3 * n).any() and (t > tc + 0.3 * n).any())
