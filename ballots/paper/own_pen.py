"""The voter's own pen: a thin mark on a sheet is read by the voter's other marks on the same sheet.

Contract: `own_pen(reads)` takes a sheet's box reads and returns them with every `thin_mark` (a
mark's shape, too little ink to read alone) decided: marked where a confident mark of the same
pen (as dark, strokes as wide) is on the sheet, else `weak` (a person decides). Moved out of
`marks` unchanged; `marks.read_boxes` calls it once per sheet.
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


def own_pen(reads: list[BoxRead]) -> list[BoxRead]:
    """Thin marks (`thin_mark`: a mark's shape, too little ink to read alone) decided by the voter's
    own confident marks on the sheet: a voter marks a ballot with one pen. Where the thin mark's
    ink is as dark as one of those marks' (within PEN_DARK) and its strokes as wide (within
    PEN_WIDTH times), it is that pen's stroke, not a crease's shade, grain or a smudge: marked.
    Otherwise (no confident mark of a pen like it on the sheet) a person decides (`weak`)."""
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
            r = replace(r, state=MarkState.MARKED, why="own_pen") if same else replace(r, why="weak")
        out.append(r)
    return out
