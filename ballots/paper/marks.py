"""Is this box marked? Fill scores relative to the sheet's own paper and ink, and three outcomes.

Contract: `read_boxes(gray, located, layout, sheet)` returns one `BoxRead` per box of that sheet,
in layout order: `state` is MARKED, BLANK or AMBIGUOUS, never a guess. Ambiguous goes to a
person. The rules, in the order they apply (after erasing straight lines that run far beyond
the box on both sides, i.e. folds, creases and scanner streaks, and specks of noise):

- ink covering < BLANK_COVER of the inside of the box: blank (empty box, light dot, noise);
- a compact blob (extent < 40 % of the box): a dot — blank if small, else ambiguous;
- a single thin straight stroke: blank if it only clips an edge (a neighbour's stray line),
  else ambiguous (a lone slash is not one of the marks we promise to read);
- ink overflowing all around the box and filling it: a crossed-out box, ambiguous;
- coverage >= MARK_COVER and spread over the box: marked (X, tick, full or partial fill);
- anything else: ambiguous.

"Darkness" of a pixel is (paper - value) / (paper - ink): 0 on this box's paper, 1 on the
sheet's solid ink (measured in the alignment marks), so pencil on grey recycled paper and pen
on a bright scan are judged alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import cv2
import numpy as np

from ballots.paper.geometry import Box, Layout
from ballots.paper.reading import Located, warp

SCALE = 2.5  # px per point in box crops (180 dpi)
DARK = 0.30  # darkness for a pixel to count as ink
BLANK_COVER = 0.035
MARK_COVER = 0.09
SPECK = 5  # connected bits of ink smaller than this (px) are noise


class MarkState(StrEnum):
    MARKED = "marked"
    BLANK = "blank"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class BoxRead:
    box: Box
    state: MarkState
    cover: float  # share of the inside covered by ink, after erasing folds and specks
    why: str  # short reason code (for review screens and the bench)
    crop: np.ndarray  # the straightened box with its margin, grey


def read_boxes(gray: np.ndarray, loc: Located, lay: Layout, sheet: int) -> list[BoxRead]:
    out = []
    for i, box in enumerate(lay.sheet_boxes(sheet)):
        out.append(read_box(gray, loc, lay, sheet, i, box))
    return out


@lru_cache(maxsize=256)
def _printed(lay: Layout, sheet: int, index: int) -> np.ndarray:
    """Where printed box outlines fall in this box's crop (dilated: blur and misregistration)."""
    box = lay.sheet_boxes(sheet)[index]
    m = lay.box_margin
    x0, y0 = box.rect[0] - m, box.rect[1] - m
    side = int(round((box.rect[2] + 2 * m) * SCALE))
    mask = np.zeros((side, side), np.uint8)
    for b in lay.sheet_boxes(sheet):
        x, y, w, h = ((b.rect[0] - x0) * SCALE, (b.rect[1] - y0) * SCALE, b.rect[2] * SCALE, b.rect[3] * SCALE)
        if x > side or y > side or x + w < 0 or y + h < 0:
            continue
        t = max(int(round(lay.style.line * SCALE)), 1)
        cv2.rectangle(mask, (int(round(x)), int(round(y))), (int(round(x + w)) - 1, int(round(y + h)) - 1), 1, t)
    return cv2.dilate(mask, np.ones((5, 5), np.uint8))


def read_box(gray: np.ndarray, loc: Located, lay: Layout, sheet: int, index: int, box: Box) -> BoxRead:
    m = lay.box_margin
    x, y, w, h = box.rect
    crop = warp(gray, loc.homography, (x - m, y - m, w + 2 * m, h + 2 * m), SCALE)
    paper = float(np.percentile(crop, 90))
    span = max(paper - loc.ink, 25.0)
    darkness = (paper - crop.astype(np.float32)) / span
    printed = _printed(lay, sheet, index)
    ink = ((darkness >= DARK) & (printed == 0)).astype(np.uint8)
    mp = int(round(m * SCALE))
    side_px = int(round(w * SCALE))
    inset = int(round((lay.style.line + 1.8) * SCALE))
    a, b = mp + inset, mp + side_px - inset
    if not ink[a:b, a:b].any():
        return BoxRead(box, MarkState.BLANK, 0.0, "empty", crop)
    ink = _drop_specks(ink)
    ink = _erase_long_lines(ink, gray, loc, box, darkness, printed)
    inner = ink[a:b, a:b]
    cover = float(inner.mean())
    if cover < BLANK_COVER:
        return BoxRead(box, MarkState.BLANK, cover, "faint", crop)
    ring = ink.copy()
    ring[mp:mp + side_px, mp:mp + side_px] = 0
    free = (printed == 0).copy()
    free[mp:mp + side_px, mp:mp + side_px] = False
    overflow = float(ring.sum() / max(free.sum(), 1))
    ys, xs = np.nonzero(inner)
    n = inner.shape[0]
    extent = max(int(xs.max() - xs.min()), int(ys.max() - ys.min())) / n
    if extent < 0.4:
        return BoxRead(box, MarkState.BLANK if cover < 0.12 else MarkState.AMBIGUOUS, cover, "dot", crop)
    cov = np.cov(np.vstack([xs, ys]).astype(np.float64)) if len(xs) > 2 else np.eye(2)
    ev = np.sort(np.linalg.eigvalsh(cov))
    thin = np.sqrt(max(ev[0], 0) / max(ev[1], 1e-9))
    if thin < 0.2 and cover < 0.2:
        touches = xs.min() == 0 or ys.min() == 0 or xs.max() == n - 1 or ys.max() == n - 1
        if touches and extent < 0.6:
            return BoxRead(box, MarkState.BLANK, cover, "stray_line", crop)
        return BoxRead(box, MarkState.AMBIGUOUS, cover, "single_stroke", crop)
    if cover > 0.8 and overflow > 0.45:
        return BoxRead(box, MarkState.AMBIGUOUS, cover, "crossed_out", crop)
    if cover >= MARK_COVER and extent >= 0.5:
        return BoxRead(box, MarkState.MARKED, cover, "mark", crop)
    return BoxRead(box, MarkState.AMBIGUOUS, cover, "weak", crop)


def _drop_specks(ink: np.ndarray) -> np.ndarray:
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return ink
    small = stats[:, cv2.CC_STAT_AREA] < SPECK
    small[0] = False
    if small.any():
        ink = ink.copy()
        ink[small[labels]] = 0
    return ink


def _erase_long_lines(ink: np.ndarray, gray: np.ndarray, loc: Located, box: Box, darkness: np.ndarray,
                      printed: np.ndarray) -> np.ndarray:
    """Remove straight lines that cross the whole crop and go on far beyond it on both sides.

    A voter's stroke may overshoot the box by a few millimetres; a fold or a scanner streak runs
    on for centimetres. We check the far part directly in the image along the line.
    """
    side = ink.shape[0]
    lines = cv2.HoughLines(ink, 1, np.pi / 180, int(side * 0.75))
    if lines is None:
        return ink
    out = ink
    x0, y0 = box.rect[0] - box.rect[2] * 0.5, box.rect[1] - box.rect[2] * 0.5
    c = np.array([box.rect[0] + box.rect[2] / 2, box.rect[1] + box.rect[3] / 2])
    for rho, theta in lines[:4, 0]:
        normal = np.array([np.cos(theta), np.sin(theta)])
        direction = np.array([-normal[1], normal[0]])
        # The line in page points: through p0, along `direction`.
        p0 = np.array([x0, y0]) + normal * rho / SCALE
        p0 = p0 + direction * float(np.dot(c - p0, direction))
        if not _continues(gray, loc, p0, direction, box.rect[2]):
            continue
        out = out.copy() if out is ink else out
        a = (p0 - [x0, y0]) * SCALE
        d = direction * side * 2
        cv2.line(out, tuple(int(v) for v in a - d), tuple(int(v) for v in a + d), 0, 5)
    return out


def _continues(gray: np.ndarray, loc: Located, p0: np.ndarray, direction: np.ndarray, box_side: float) -> bool:
    ts = np.concatenate([np.linspace(-3.0, -1.3, 12), np.linspace(1.3, 3.0, 12)]) * box_side
    pts = (p0[None, :] + ts[:, None] * direction[None, :]).astype(np.float64)
    img = cv2.perspectiveTransform(pts[None, :, :], loc.homography)[0]
    hgt, wid = gray.shape
    hits = []
    r = max(int(round(loc.scale * 1.2)), 1)
    for x, y in img:
        xi, yi = int(round(x)), int(round(y))
        if not (r <= xi < wid - r and r <= yi < hgt - r):
            hits.append(False)
            continue
        v = float(gray[yi - r: yi + r + 1, xi - r: xi + r + 1].min())
        hits.append((loc.paper - v) / max(loc.paper - loc.ink, 25.0) >= 0.2)
    h = np.array(hits)
    return bool(h[:12].mean() >= 0.75 and h[12:].mean() >= 0.75)
