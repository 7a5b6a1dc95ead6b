"""A box filled (or shaded in pencil) and then crossed out with an X running out of it: what the
voter meant is a person's call.

Contract: `crossed_out(ink, darkness, shade_at, printed, mp, side_px, a, b)` is judged on the
ink as scanned, before any stroke can be taken for a crease and erased (an X's arms reaching the
crop's edge look like creases). `sides_filled` and `corners_crossed` are the two shapes it
compares: a fill inks the middles of the box's sides, an X's arms run out at its corners.
"""

from __future__ import annotations

import cv2
import numpy as np

from ballots.paper.levels import DARK
from ballots.paper.light_ink import paper_level


def crossed_out(
    ink: np.ndarray, darkness: np.ndarray, shade_at: float, printed: np.ndarray, mp: int, side_px: int, a: int, b: int
) -> bool:
    """A box filled or shaded all over (a pencil's shading is paler than ink: seen at the lower
    threshold), with ink running out of it at three or four of its corners (an X over it)."""
    inner = ink[a:b, a:b]
    cover = float(inner.mean())
    if cover < 0.2:  # not even an X's strokes: nothing to cross out
        return False
    ring = ink.copy()
    ring[mp : mp + side_px, mp : mp + side_px] = 0
    if corners_crossed(ring, printed, mp, side_px) < 3:  # cheap, and most marks stop here
        return False
    if cover > 0.75 and sides_filled(inner) == 4:
        return True
    # Ink is shade whatever the ring holds (in a dense grid, neighbours' fills raise its level).
    at = min(max(shade_at, paper_level(darkness, printed, mp, side_px)), DARK)
    shade = ((darkness[a:b, a:b] >= at) & (printed[a:b, a:b] == 0)).astype(np.uint8)
    shade = cv2.morphologyEx(shade, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    return bool(shade.mean() > 0.9 and sides_filled(shade) == 4)


def sides_filled(inner: np.ndarray) -> int:
    """How many of the four middles of the box's sides are inked inside: an X leaves them empty
    (its strokes run corner to corner), a filled box does not."""
    n = inner.shape[0]
    lo, hi, d = int(n * 0.4), int(n * 0.6), max(int(n * 0.18), 2)
    blocks = (inner[:d, lo:hi], inner[n - d :, lo:hi], inner[lo:hi, :d], inner[lo:hi, n - d :])
    return sum(int(blk.size > 0 and blk.mean() > 0.8) for blk in blocks)


def corners_crossed(ring: np.ndarray, printed: np.ndarray, mp: int, side_px: int) -> int:
    """How many of the four diagonal corner blocks around the box hold ink (an X's arms run out
    there; a fill's overflow runs out of its sides)."""
    hi = mp + side_px
    # Diagonally out from each corner, 0.3 to 0.8 of the margin away: a fill's overflow and the
    # caps of its strokes stay nearer the box; a big X's arms run out there.
    near, far = max(int(mp * 0.3), 1), max(int(mp * 0.8), 2)
    blocks = (
        ring[mp - far : mp - near, mp - far : mp - near],
        ring[mp - far : mp - near, hi + near : hi + far],
        ring[hi + near : hi + far, mp - far : mp - near],
        ring[hi + near : hi + far, hi + near : hi + far],
    )
    return sum(int(blk.size > 0 and blk.sum() >= max(3, blk.size // 12)) for blk in blocks)
