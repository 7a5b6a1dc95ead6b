"""The page's homography refined from the printed box outlines, where the corner squares cannot
fix it alone (a phone photo that missed a corner: three squares and a code, `reading`).

Contract: `refine(gray, loc, lay, sheet)` returns `loc` with a homography fitted to the three
corner squares seen and the centres of the box outlines found near where `loc` puts them; `loc`
unchanged when too few outlines are found (the box reading then refuses a misaligned sheet).

Why outlines: three points fix only an affine map, and a code's corners lie within 20 mm of each
other, so a perspective fitted to them may be millimetres off at the far side of the page. The
box outlines are printed all down the page where the layout says: each one found is a point of
the page with a long baseline to the squares.
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from ballots.paper import frames, levels
from ballots.paper.creases import SCALE
from ballots.paper.geometry import Layout
from ballots.paper.outlines import align
from ballots.paper.reading import Located, warp

# Passes: a wide search first (the fitted perspective may be ~8 pt off far from the code), then a
# narrow one from the better fit. Boxes are >= 21 pt apart: 12 px at SCALE is 4.8 pt, no neighbour.
_PASSES = (12, 4)
_MIN_BOXES = 6


def refine(gray: np.ndarray, loc: Located, lay: Layout, sheet: int) -> Located:
    boxes = lay.sheet_boxes(sheet)
    seen = [k for k in range(4) if loc.real[k]]
    page_marks = np.array(frames.mark_centres(lay.page_size, lay.frame), np.float64)[seen]
    image_marks = cv2.perspectiveTransform(page_marks[None], loc.homography)[0]
    h = loc.homography
    t = max(int(round(lay.style.line * SCALE)), 1)
    for r in _PASSES:
        src, dst = [page_marks], [image_marks]
        for box in boxes:
            x, y, w, hh = box.rect
            m = lay.box_margin
            crop = warp(gray, h, (x - m, y - m, w + 2 * m, hh + 2 * m), SCALE)
            paper = levels.percentile(crop, 90)
            ink = loc.ink_under(paper)
            if paper - ink < 25:
                continue
            dark = crop < paper - levels.DARK * (paper - ink)
            mp, side = int(round(m * SCALE)), int(round(w * SCALE))
            shift = align(dark, mp, side, t, r)
            if shift is None:
                continue
            # The outline's centre as found, in the current fit's page points, then in the image.
            at = np.array([[x + w / 2 + shift[1] / SCALE, y + hh / 2 + shift[0] / SCALE]])
            src.append(np.array([[x + w / 2, y + hh / 2]]))
            dst.append(cv2.perspectiveTransform(at[None], h)[0])
        if len(src) - 1 < _MIN_BOXES:
            return loc
        fit, _ = cv2.findHomography(np.vstack(src), np.vstack(dst), 0)
        if fit is None:
            return loc
        h = fit
    return dataclasses.replace(loc, homography=h)
