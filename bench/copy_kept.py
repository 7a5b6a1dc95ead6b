"""What a 1-bit copy kept of each mark: the bench knows what it drew, and the copier's threshold.

A copier's "text" mode keeps a pixel black only where it is darker than its threshold: pencil
and pale strokes can lose most of their ink, leaving a trail of specks or nothing (the reader then
sends the whole sheet to a person: `ballots.paper.copies`). Such a sheet is clear on paper but not
in its file: no person reading the file could decide it either. The clear-sheet figure is given
both ways (`hard_tally`): over every clear sheet, and over those whose file shows every mark.

`share(before, after, rect, cap)`: of the ink one mark drew inside its box (pixels at least
`DRAWN` grey levels darker than before it was drawn), the share darker than the copier's threshold
once the scanner's blur is applied: 1.0 on a copier's "photo" mode (error diffusion keeps every
shade as a density of dots), 0.0 where the mark drew nothing in the box. Measured on the page as
drawn, before the scanner turns and resamples it (a thin stroke resampled loses a little more).
A mark is kept when its share is at least `KEPT`.
"""

from __future__ import annotations

import cv2
import numpy as np

DRAWN = 25  # grey levels: a pixel the mark darkened at least this much is its ink
KEPT = 0.5  # a mark whose ink the copy kept at least this share of is in the file


def window(page: np.ndarray, rect: tuple[float, ...]) -> tuple[slice, slice]:
    """The page's pixels around a box (`rect`, px): the box and 60 % of its side around it."""
    x, y, w, h = (int(round(v)) for v in rect)
    m = int(w * 0.6)
    return slice(max(y - m, 0), y + h + m), slice(max(x - m, 0), x + w + m)


def share(before: np.ndarray, page: np.ndarray, rect: tuple[float, ...], cap) -> float:
    """`before`: `page[window(page, rect)]` copied before the mark was drawn (BGR); `page`: after;
    `cap`: the capture (`paper_frames.Capture`, a 1-bit one)."""
    if cap.dither:
        return 1.0
    ys, xs = window(page, rect)
    was = cv2.cvtColor(before, cv2.COLOR_BGR2GRAY).astype(np.int16)
    now = cv2.cvtColor(page[ys, xs], cv2.COLOR_BGR2GRAY).astype(np.int16)
    x, y, w, h = (int(round(v)) for v in rect)
    inside = np.zeros(now.shape, bool)
    inside[y - ys.start : y - ys.start + h, x - xs.start : x - xs.start + w] = True
    drawn = inside & (now < was - DRAWN)
    if not drawn.any():
        return 0.0
    seen = cv2.GaussianBlur(now.astype(np.float32), (0, 0), cap.blur) if cap.blur else now
    return float(np.count_nonzero(seen[drawn] < cap.threshold)) / int(np.count_nonzero(drawn))
