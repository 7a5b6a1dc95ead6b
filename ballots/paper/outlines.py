"""Where the printed box outlines are: in each box's crop, on the sheet, and in the scan.

Contract: `printed(lay, sheet, index)` is the mask of printed outlines in box `index`'s crop
(dilated, cached per layout); `sheet_bands(lay, sheet)` the sheet's outlines as bands for
`page_lines.continues`; `align(dark, mp, side, t)` the (dy, dx) shift that puts a crop's outline
where the layout has it (None: not found); `in_image(gray, homography, rect)` whether a box lies
wholly inside the scan. Nothing here decides a box: `marks` does, `alignment` refines a fit.
"""

from __future__ import annotations

import cv2
import numpy as np

from ballots.paper import bands
from ballots.paper.creases import SCALE
from ballots.paper.geometry import Layout
from ballots.paper.identity_cache import by_identity


@by_identity(256)
def sheet_bands(lay: Layout, sheet: int) -> np.ndarray:
    """The sheet's printed box outlines as bands for `page_lines.continues` (cached per layout)."""
    return bands.outline_bands([b.rect for b in lay.sheet_boxes(sheet)], lay.style.line)


@by_identity(4096)
def printed(lay: Layout, sheet: int, index: int) -> np.ndarray:
    """`printed_mask`, cached per layout."""
    return printed_mask(lay, sheet, index)


@by_identity(4096)
def free(lay: Layout, sheet: int, index: int) -> np.ndarray:
    """0/1 (uint8): where nothing is printed in this box's crop (`printed == 0`), cached per layout
    and read-only (the reader's ink is the dark pixels here: one `&` per box instead of three steps)."""
    out = (printed(lay, sheet, index) == 0).astype(np.uint8)
    out.flags.writeable = False
    return out


def printed_mask(lay: Layout, sheet: int, index: int) -> np.ndarray:
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


def in_image(gray: np.ndarray, homography: np.ndarray, rect: tuple[float, float, float, float]) -> bool:
    """All four corners of the box (page points) fall inside the image, a pixel in."""
    x, y, w, h = rect
    # Four points through a 3x3 matrix in plain floats: 10x cheaper than cv2.perspectiveTransform
    # on arrays this small (it ran once per box).
    hm = homography.tolist()
    rows, cols = gray.shape[:2]
    for px, py in ((x, y), (x + w, y), (x + w, y + h), (x, y + h)):
        u, v = image_point(hm, px, py)
        if not (1 <= u <= cols - 2 and 1 <= v <= rows - 2):
            return False
    return True


def image_point(hm: list[list[float]], px: float, py: float) -> tuple[float, float]:
    """The image point of page point (px, py) through a homography given as nested lists
    (`homography.tolist()`, once per caller): plain floats, ~10x cheaper than
    cv2.perspectiveTransform for a point or four."""
    (a, b, c), (d, e, f), (g, k, m) = hm
    z = g * px + k * py + m
    return (a * px + b * py + c) / z, (d * px + e * py + f) / z


def align(dark: np.ndarray, mp: int, side: int, t: int, r: int = 4) -> tuple[int, int] | None:
    """(dy, dx) that puts the printed outline where the template has it, or None if not found.

    Uses row and column profiles: both opposite edges must be dark at the same shift, so a
    horizontal stroke inside the box cannot pass for an edge; ties go to the smallest shift.
    The darkest row near each edge counts: rasterising snaps a 1 pt line by a pixel either way.

    The same answer as `align_reference` (numpy over whole profiles), on the 2 x (2r + 1) windows
    it looks at only: row and column counts from cv2.reduce, the windows' maxima and numpy's
    rounding (x * 100, rint, / 100) in plain floats. It ran once per box at ~40 numpy calls.
    """
    w = t + 2
    n0, n1 = dark.shape
    # The windows looked at must lie inside the profile (numpy would wrap a negative index).
    fits = side > 0 and mp - r - 1 >= 0 and mp + side - t + r - 1 < min(n0, n1) - w + 1
    if not (fits and dark.dtype == np.bool_ and dark.strides[1] == 1):
        return align_reference(dark, mp, side, t, r)
    u8 = dark.view(np.uint8)
    rows = cv2.reduce(u8[:, mp : mp + side], 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().tolist()
    cols = cv2.reduce(u8[mp : mp + side, :], 0, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().tolist()
    out: list[int] = []
    near0, far0, n = mp - r - 1, mp + side - t - r - 1, 2 * r + 1
    for counts in (rows, cols):
        # A window's share of dark px: its largest count over `side` (the mean of a 0/1 profile
        # is that exact quotient; dividing after the max changes nothing, and so does taking the
        # smaller of the two edges' counts before dividing: the same float as min(a, b) of shares).
        # Each score as `_round2(min(a, b)) - abs(i - r) * 1e-3`, the best the first of the largest
        # (a strict > over i in order): the same floats, in two list passes instead of a loop.
        both = [min(max(counts[near0 + i : near0 + i + w]), max(counts[far0 + i : far0 + i + w])) for i in range(n)]
        scores = [round(c / side * 100.0) / 100.0 - abs(i - r) * 1e-3 for i, c in enumerate(both)]
        best = max(scores)
        best_i = scores.index(best)
        if best < 0.6 - 0.01:
            # One edge lost (a scanner streak of grey drawn over it): the other, solid, where the
            # template has it within a pixel, still places the box.
            near, far = _maxima(counts, near0, w, r, side), _maxima(counts, far0, w, r, side)
            best, best_i = -1.0, 0
            for i, (a, b) in enumerate(zip(near, far, strict=True)):
                one = _round2(max(a, b)) - abs(i - r) * 1e-3 if abs(i - r) <= 1 else 0.0
                if one > best:
                    best, best_i = one, i
            if best < 0.9 - 0.01:
                return None
        out.append(best_i - r)
    return out[0], out[1]


def _maxima(counts: list[float], start: int, w: int, r: int, side: int) -> list[float]:
    """The 2r + 1 windows of `w` counts from `start` on: each one's largest count over `side`."""
    return [max(counts[i : i + w]) / side for i in range(start, start + 2 * r + 1)]


def _round2(x: float) -> float:
    """np.round(x, 2) for a float64: numpy multiplies by 100, rounds half to even, divides."""
    return round(x * 100.0) / 100.0


def align_reference(dark: np.ndarray, mp: int, side: int, t: int, r: int = 4) -> tuple[int, int] | None:
    """`align` written over whole profiles in numpy (the definition; the property test compares)."""
    out: list[int] = []
    ds = np.arange(-r, r + 1)
    penalty = np.abs(ds) * 1e-3
    w = t + 2
    for profile in (dark[:, mp : mp + side].mean(axis=1), dark[mp : mp + side, :].mean(axis=0)):
        m = len(profile) - w + 1
        win = profile[:m].copy()
        for i in range(1, w):  # running max over w rows
            np.maximum(win, profile[i : i + m], out=win)
        near, far = win[mp + ds - 1], win[mp + side - t + ds - 1]
        score = np.round(np.minimum(near, far), 2) - penalty
        i = int(np.argmax(score))
        if score[i] < 0.6 - 0.01:
            one = np.round(np.maximum(near, far), 2) - penalty
            one[np.abs(ds) > 1] = 0
            i = int(np.argmax(one))
            if one[i] < 0.9 - 0.01:
                return None
        out.append(int(ds[i]))
    return out[0], out[1]
