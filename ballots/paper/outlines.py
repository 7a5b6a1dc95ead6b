"""Where the printed box outlines are: in each box's crop, on the sheet, and in the scan.

Contract: `printed(lay, sheet, index)` is the mask of printed outlines in box `index`'s crop
(dilated, cached per layout); `sheet_bands(lay, sheet)` the sheet's outlines as bands for
`page_lines.continues`; `align(dark, mp, side, t)` the (dy, dx) shift that puts a crop's outline
where the layout has it (None: not found); `in_image(gray, homography, rect)` whether a box lies
wholly inside the scan, box by box (the definition `all_in_image`, a sheet's boxes at once, is tested against). Nothing here decides a box: `marks` does, `alignment` refines a fit.
"""

from __future__ import annotations

import functools

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


def all_in_image(
    gray: np.ndarray, homography: np.ndarray, rects: list[tuple[float, float, float, float]]
) -> list[bool]:
    """`in_image` of every rect at once (a sheet's boxes): each corner through the matrix by the
    same float64 operations in the same order as `image_point`, element by element, so the same
    answers, in a dozen numpy calls per sheet instead of a Python loop per box."""
    if not rects:
        return []
    (a, b, c), (d, e, f), (g, k, m) = homography.tolist()
    x, y, w, h = np.array(rects, dtype=np.float64).T
    px = np.stack((x, x + w, x + w, x))
    py = np.stack((y, y, y + h, y + h))
    z = g * px + k * py + m
    u, v = (a * px + b * py + c) / z, (d * px + e * py + f) / z
    rows, cols = gray.shape[:2]
    inside = (u >= 1) & (u <= cols - 2) & (v >= 1) & (v <= rows - 2)
    return inside.all(axis=0).tolist()


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
    it looks at only: row and column counts from cv2.reduce, the windows of both profiles gathered
    at once and their scores looked up, in nine numpy calls (it runs once per box: ~40 numpy calls
    as written, then Python loops over 2 x 9 windows; callgrind 281 k -> 123 k instructions a call).
    """
    w = t + 2
    n0, n1 = dark.shape
    # The windows looked at must lie inside the profile (numpy would wrap a negative index).
    fits = side > 0 and mp - r - 1 >= 0 and mp + side - t + r - 1 < min(n0, n1) - w + 1
    if not (fits and dark.dtype == np.bool_ and dark.strides[1] == 1):
        return align_reference(dark, mp, side, t, r)
    u8 = dark.view(np.uint8)
    rows = cv2.reduce(u8[:, mp : mp + side], 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel()
    cols = cv2.reduce(u8[mp : mp + side, :], 0, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel()
    counts = np.concatenate((rows, cols))
    # Both profiles' 2 x (2r + 1) windows at once, (profile, edge, shift, w) counts gathered by a
    # cached index: each window's largest count, the smaller of the two edges' (a window's share is
    # that count over `side`: dividing after the max and the min changes nothing), then each score
    # `_round2(count / side) - |shift| * 1e-3` looked up in a table of every count and shift (the
    # same floats, computed once per box size), and argmax the first of the largest (the loop's >).
    both = counts[_windows(n0, mp, side, t, r)].max(axis=3).min(axis=1)
    table, shifts = _scores(side, r)
    scores = table[both, shifts]
    best_i = scores.argmax(axis=1).tolist()
    out: list[int] = []
    for k, i in enumerate(best_i):
        if scores[k, i] < 0.6 - 0.01:
            # One edge lost (a scanner streak of grey drawn over it): the other, solid, where the
            # template has it within a pixel, still places the box.
            profile = (rows if k == 0 else cols).tolist()
            near0, far0 = mp - r - 1, mp + side - t - r - 1
            near, far = _maxima(profile, near0, w, r, side), _maxima(profile, far0, w, r, side)
            best, i = -1.0, 0
            for j, (a, b) in enumerate(zip(near, far, strict=True)):
                one = _round2(max(a, b)) - abs(j - r) * 1e-3 if abs(j - r) <= 1 else 0.0
                if one > best:
                    best, i = one, j
            if best < 0.9 - 0.01:
                return None
        out.append(i - r)
    return out[0], out[1]


@functools.lru_cache(maxsize=64)
def _windows(n: int, mp: int, side: int, t: int, r: int) -> np.ndarray:
    """Index into the two profiles laid end to end (rows, then columns: `n` each) of the windows
    `align` looks at: (profile, edge near / far, shift 0 .. 2r, the window's t + 2 counts)."""
    w = t + 2
    starts = np.array([mp - r - 1, mp + side - t - r - 1])
    at = starts[None, :, None, None] + np.arange(2 * r + 1)[None, None, :, None] + np.arange(w)[None, None, None, :]
    out = at + np.array([0, n])[:, None, None, None]
    out.setflags(write=False)
    return out


@functools.lru_cache(maxsize=64)
def _scores(side: int, r: int) -> tuple[np.ndarray, np.ndarray]:
    """Every score a window can get, [count 0 .. side, shift 0 .. 2r]: `_round2(count / side) -
    |shift - r| * 1e-3` (ties go to the smallest shift), and the shifts' index to look them up by."""
    table = np.array([[_round2(c / side) - abs(i - r) * 1e-3 for i in range(2 * r + 1)] for c in range(side + 1)])
    shifts = np.arange(2 * r + 1)
    table.setflags(write=False)
    shifts.setflags(write=False)
    return table, shifts


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
