"""The voter's own pen: a thin mark on a sheet is read by the voter's other marks on the same sheet.

Contract: `own_pen(reads)` takes a sheet's box reads and returns them with every `thin_mark` (a
mark's shape, too little ink to read alone) decided: marked where a confident mark of the same
pen (as dark, strokes as wide) is on the sheet (`own_pen`); else marked by its own strokes where
they are a pen's all the way (`pen_strokes`: `thin_alone`); else `weak` (a person decides).
`marks.read_boxes` calls it once per sheet.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from ballots.paper.box_read import BoxRead, MarkState

PEN_DARK = 0.08  # a thin mark's ink is as dark as one of the sheet's own confident marks (darkness)...
PEN_WIDTH = 1.35  # ...and its strokes as wide (ratio): the voter's pen
FILLED = 0.55  # a confident mark covering less is strokes (a fill's width is not its pen's)


def _pen(ink: np.ndarray) -> tuple[float, float] | None:
    """A box's ink (`BoxRead.pen`): its median darkness and its strokes' width (area over half
    the outline's length: a stroke's length), or None if there is none."""
    inner = (ink > 0).astype(np.uint8)
    area = int(np.count_nonzero(inner))
    if area < 3:
        return None
    contours, _ = cv2.findContours(inner, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    length = sum(cv2.arcLength(c, True) for c in contours) / 2
    return float(np.median(ink[inner > 0])), area / max(length, 1.0)


def pen_strokes(ink: np.ndarray) -> bool:
    """A thin mark (`BoxRead.pen`) that is a pen's strokes all the way: still spanning the box
    (>= 0.8 one way or the other, its largest piece >= 0.6) once every part narrower than 2 px is
    taken away. A scanner's streak or a crease's hair is 1 px wide where it passes the ink
    threshold at all: with a dot on it, it spans the box as a mark would (first corpus, dev seed
    606 sheet 222); no pen draws that thin at 150 dpi and up."""
    inner = (ink > 0).astype(np.uint8)
    opened = cv2.morphologyEx(inner, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    k, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    if k <= 1:
        return False
    n = inner.shape[0]
    x0, y0 = stats[1:, cv2.CC_STAT_LEFT].min(), stats[1:, cv2.CC_STAT_TOP].min()
    x1 = (stats[1:, cv2.CC_STAT_LEFT] + stats[1:, cv2.CC_STAT_WIDTH]).max()
    y1 = (stats[1:, cv2.CC_STAT_TOP] + stats[1:, cv2.CC_STAT_HEIGHT]).max()
    i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    largest = max(int(stats[i, cv2.CC_STAT_WIDTH]), int(stats[i, cv2.CC_STAT_HEIGHT]))
    return bool(max(x1 - x0, y1 - y0) >= 0.8 * n and largest >= 0.6 * n)


def own_pen(reads: list[BoxRead]) -> list[BoxRead]:
    """Thin marks (`thin_mark`: a mark's shape, too little ink to read alone) decided by the voter's
    own confident marks on the sheet: a voter marks a ballot with one pen. Where the thin mark's
    ink is as dark as one of those marks' (within PEN_DARK) and its strokes as wide (within
    PEN_WIDTH times), it is that pen's stroke, not a crease's shade, grain or a smudge: marked.
    Otherwise (no confident mark of a pen like it on the sheet) its own strokes decide
    (`pen_strokes`), else a person (`weak`)."""
    if not any(r.why == "thin_mark" for r in reads):
        return reads
    pens = [
        p
        for r in reads
        if r.state is MarkState.MARKED and r.why == "mark" and r.cover < FILLED and r.pen is not None
        for p in [_pen(r.pen)]
        if p is not None
    ]
    out = []
    for r in reads:
        if r.why == "thin_mark":
            pen = _pen(r.pen) if r.pen is not None else None
            same = pen is not None and any(
                abs(pen[0] - d) <= PEN_DARK and 1 / PEN_WIDTH <= pen[1] / w <= PEN_WIDTH for d, w in pens
            )
            if same:
                r = replace(r, state=MarkState.MARKED, why="own_pen")
            elif r.pen is not None and pen_strokes(r.pen):
                # No confident mark of a pen like it on the sheet (a voter who ticked every box in
                # pencil), but the box's own ink is a mark's shape in one piece, only its own (the
                # line checks of `marks.read_box` let no crease, streak or neighbour's stroke
                # through), and a pen's strokes all the way.
                r = replace(r, state=MarkState.MARKED, why="thin_alone")
            else:
                r = replace(r, why="weak")
        out.append(r)
    return out
