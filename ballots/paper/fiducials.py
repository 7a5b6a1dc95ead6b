"""The corner squares (fiducials) of a ballot in an image: found, refined, checked.

Contract: `find_corners(gray)` takes a 2-D uint8 image (any resolution, any rotation, a phone's
perspective) and returns `Corners` (four squares, or three and the fourth placed from them) or
raises `PageRefused` (blank page, not a ballot, alignment failed); `refine_marks` measures their
centres again at full resolution and `check_marks` refuses a corner that is not solid ink.
Reading the code and the boxes from there is `reading`.

How: the solid corner squares are found on a reduced copy normalised by its own local paper
level (uneven light); they are the extreme points of the candidate squares whose sizes and
spacing agree with the geometry (90–110 % scaling and strong perspective pass). The long sides
give portrait; `reading` chooses between the two remaining orientations by the code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

import cv2
import numpy as np

from ballots.errors import PageRefused
from ballots.paper import frames, levels
from ballots.paper.frames import MARK_SIZE
from ballots.paper.page_problems import PageProblem
from ballots.reasons import Code

WORK_SIDE = 640  # longer side of the reduced copy used to find the marks


def _candidates(gray: np.ndarray) -> tuple[np.ndarray, float, float, list[tuple[float, float, float]]]:
    # pyrDown (Gaussian + decimate) then a linear resize: anti-aliased, and 8x faster than INTER_AREA.
    small = gray
    while max(small.shape) > 2 * WORK_SIDE:
        small = cv2.pyrDown(small)
    f2 = min(1.0, WORK_SIDE / max(small.shape))
    if f2 < 1:
        small = cv2.resize(small, None, fx=f2, fy=f2, interpolation=cv2.INTER_LINEAR)
    f = small.shape[1] / gray.shape[1]
    k = max(int(min(small.shape) * 0.07) | 1, 3)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    paper = cv2.dilate(small, kernel)  # local paper level: erases anything smaller than k
    paper_level = levels.median(paper[::4, ::4])
    ink_level = int(levels.percentile(small[::2, ::2], 0.5))  # low-contrast scans: ink may be mid-grey
    mask = ink_mask(small, paper, ink_level)
    # Thin lines (folds, streaks, strokes touching a mark) would merge with a mark's outline.
    # Light streaks and specks would cut one. Close the gaps first, then open away the lines.
    o = 5 if min(small.shape) >= 500 else 3
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((o, o), np.uint8))
    # CCOMP: every outer boundary, also those inside a hole (a page on a dark table is a hole in it).
    contours, hier = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    contours = [c for c, h in zip(contours, hier[0] if hier is not None else [], strict=False) if h[3] < 0]
    dim = min(small.shape)
    cands = []
    for c in contours:
        area = cv2.contourArea(c)
        if area < (0.008 * dim) ** 2 or area > (0.09 * dim) ** 2:
            continue
        (cx, cy), (w, h), _ = cv2.minAreaRect(c)
        if w <= 0 or h <= 0 or not 0.6 < w / h < 1.65 or area / (w * h) < 0.8:
            continue
        hull = cv2.convexHull(c)
        if area / max(cv2.contourArea(hull), 1) < 0.9:
            continue
        m = cv2.moments(c)
        cands.append((m["m10"] / m["m00"] / f, m["m01"] / m["m00"] / f, float(np.sqrt(area)) / f))
    return small, f, paper_level, cands


def ink_mask(small: np.ndarray, paper: np.ndarray, ink_level: int) -> np.ndarray:
    """0/1: darker than halfway from the local paper to the ink level (2 * small < paper + ink),
    where the paper is well lighter than ink (paper - ink > 30). Exact in 16 bits (2 * small - paper
    lies in -255..510): the same mask as `ink_mask_reference`. One 16-bit copy of the page, doubled
    and less the paper in place (OpenCV's addWeighted into 16 bits, used before, costs 3x more: its
    mixed-type path computes each pixel in floats)."""
    twice = small.astype(np.int16)
    twice += twice
    twice -= paper
    lower = twice < ink_level
    contrast = cv2.threshold(paper, ink_level + 30, 1, cv2.THRESH_BINARY)[1]
    return cv2.bitwise_and(lower.view(np.uint8), contrast)


def ink_mask_reference(small: np.ndarray, paper: np.ndarray, ink_level: int) -> np.ndarray:
    """`ink_mask` as numpy writes it (the definition; the property test compares)."""
    s, p = small.astype(np.int16), paper.astype(np.int16)
    return ((s * 2 < p + ink_level) & (p - ink_level > 30)).astype(np.uint8)


@dataclass(frozen=True)
class Corners:
    """The four corner squares in the image, clockwise from a corner whose next side is a short
    one (TL, TR, BR, BL up to a 180° turn). A square not seen (cut off by the scanner's frame,
    or refused as not a lone square) is placed from the other three: `real` says which were seen.
    `guessed`: the three seen make no right angle (a photo taken at an angle), so the fourth, placed
    as a parallelogram's, is only a first guess: `reading` places it from a code before use.
    `alone`: every square seen is a lone square on blank paper (`_lone`); False when four were kept
    although some are not (a phone photo's grain around them, or a filled box standing in for a
    corner square the scanner's frame cut off: only a code read where they place it says which)."""

    points: np.ndarray  # 4 x 2, image pixels
    real: tuple[bool, bool, bool, bool]
    paper: float  # typical paper grey level
    guessed: bool = False
    alone: bool = True

    @property
    def found(self) -> int:
        return sum(self.real)


# Side over long side between two corner squares' centres, for every frame and page size: a
# three-square corner must have one of these shapes (within _L_RATIO).
_SHAPES = tuple(
    ((w - 2 * f.mark_inset) / (h - 2 * f.mark_inset), (w - 2 * f.mark_inset) / MARK_SIZE)
    for f in frames.FRAMES.values()
    for w, h in frames.PAGE_SIZES.values()
)
_L_RATIO = 0.03  # a scanner keeps proportions to ~1 %; a wrong square passing would be >= 10 mm off
_L_SQUARE = float(np.sin(np.radians(3.0)))  # |cos| of the corner angle: scanners keep right angles


def find_corners(gray: np.ndarray) -> Corners:
    """The corner squares: four, or three and the fourth placed from them (any three suffice).

    Four squares must make a plausible page (sizes, spacing, shape: phone perspective passes)
    and each be a lone solid square at full resolution (blank paper around it, as printed);
    three must make a right angle with the page's proportions. A square failing either is never
    used: a voter's filled box is not a corner square.
    """
    small, _, paper_level, cands = _candidates(gray)
    if len(cands) < 3:
        if float(np.std(small)) < 6 or _ink_fraction(small) < 0.002:
            raise PageRefused(Code.BLANK_PAGE, PageProblem.NOTHING_PRINTED)
        if _partial_frame(cands):
            raise PageRefused(Code.ALIGNMENT_FAILED, PageProblem.SIDE_CUT_OFF)
        raise PageRefused(Code.NOT_A_BALLOT, PageProblem.NO_SQUARES)
    pts = np.array([(x, y) for x, y, _ in cands], dtype=np.float32)
    hull_idx = [int(i) for i in cv2.convexHull(pts, returnPoints=False).ravel()]
    by_size = sorted(range(len(cands)), key=lambda i: -cands[i][2])
    pools = [sorted(hull_idx, key=lambda i: -cands[i][2])[:10]] if len(hull_idx) >= 3 else []
    pools.append(by_size[:12])
    for pool in pools:
        quad = _best_quad(pts, cands, pool)
        if quad is not None:
            lone = [_lone(gray, pts[i], cands[i][2]) for i in quad]
            if all(lone):
                return _corners(pts[list(quad)], (True, True, True, True), paper_level)
            # Three lone squares at a right angle with the page's proportions: a flat scan whose
            # fourth "square" is something else (a filled box where a cut corner was).
            threes = [[i for i in quad if i != j] for j in quad]
            found = _largest(
                [f for t in threes if all(lone[quad.index(i)] for i in t) for f in [_as_corner(pts, cands, t)] if f]
            )
            if found is not None:
                return _corners(*found, paper_level)
            # Not flat (a phone photo of the whole page), or grain and specks around the squares:
            # the four as found, as before three could suffice (the box outlines are checked next).
            return _corners(pts[list(quad)], (True, True, True, True), paper_level, alone=False)
        found = _best_l(gray, pts, cands, pool)
        if found is not None:
            return _corners(*found, paper_level)
    for pool in pools:
        # Three lone squares seen at an angle (a phone photo that missed a corner): where the
        # fourth is cannot be told from them alone; a code read beside them will place it.
        found = _best_l(gray, pts, cands, pool, _as_photo_corner)
        if found is not None:
            return _corners(*found, paper_level, guessed=True)
    if _partial_frame(cands):
        raise PageRefused(Code.ALIGNMENT_FAILED, PageProblem.SIDE_CUT_OFF)
    raise PageRefused(Code.NOT_A_BALLOT, PageProblem.SQUARES_NOT_FOUND)


def find_photo_threes(gray: np.ndarray, most: int = 8) -> list[Corners]:
    """Threes of lone squares that can be three corners of a page seen in perspective, largest
    first, whatever four were found (square stains on a photo's table can make a "page" with two
    real squares, or a larger three than the real one): each with the fourth only guessed
    (`Corners.guessed`), for `reading` to keep the first that a code beside it confirms."""
    _, _, paper_level, cands = _candidates(gray)
    if len(cands) < 3:
        return []
    pts = np.array([(x, y) for x, y, _ in cands], dtype=np.float32)
    pool = sorted(range(len(cands)), key=lambda i: -cands[i][2])[:12]
    lone: dict[int, bool] = {}
    found = []
    for combo in combinations(pool, 3):
        f = _as_photo_corner(pts, cands, list(combo))
        if f is not None:
            found.append((_area(f), combo, f))
    out = []
    for _, combo, f in sorted(found, key=lambda t: -t[0]):
        for i in combo:
            if i not in lone:
                lone[i] = _lone(gray, pts[i], cands[i][2])
        if all(lone[i] for i in combo):
            out.append(_corners(*f, paper_level, guessed=True))
            if len(out) >= most:
                break
    return out


def _best_quad(pts: np.ndarray, cands: list[tuple[float, float, float]], pool: list[int]) -> tuple[int, ...] | None:
    """Four candidates making the largest plausible page (indexes, clockwise)."""
    best, best_area = None, 0.0
    for combo in combinations(pool, 4):
        sides = [cands[i][2] for i in combo]
        # Perspective makes the near square look at most ~1.3x the far one; a filled box of
        # normal print is 2/3 of a square. (Sizes first: most fours fail here, before any geometry.)
        if max(sides) > 1.6 * min(sides):
            continue
        ordered = sorted(sides)
        mid = (ordered[1] + ordered[2]) / 2  # np.median of four
        if not all(0.75 * mid < v < 1.33 * mid for v in sides):
            continue
        order = _clockwise(pts, combo)
        quad = pts[list(order)]
        edges = [float(np.linalg.norm(quad[(i + 1) % 4] - quad[i])) for i in range(4)]
        short, long_ = min(edges[0], edges[1]), max(edges[0], edges[1])
        mean_side = float(np.mean(sides))
        if not 14 < short / mean_side < 36 or not 1.1 < long_ / short < 1.9:
            continue
        if min(edges[0], edges[2]) < 0.6 * max(edges[0], edges[2]) or min(edges[1], edges[3]) < 0.6 * max(
            edges[1], edges[3]
        ):
            continue
        area = float(cv2.contourArea(quad))
        if area > best_area:
            best, best_area = order, area
    return best


def _clockwise(pts: np.ndarray, idx: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    q = pts[list(idx)]
    c = q.mean(axis=0)
    ang = np.arctan2(q[:, 1] - c[1], q[:, 0] - c[0])
    return tuple(idx[int(k)] for k in np.argsort(ang))  # y down: increasing angle is clockwise on screen


def _as_corner(
    pts: np.ndarray, cands: list[tuple[float, float, float]], three: list[int]
) -> tuple[np.ndarray, tuple[bool, ...]] | None:
    """Three squares as three corners of the page (right angle, the page's proportions), with
    the fourth placed to make the parallelogram; None when they are not."""
    sides = [cands[i][2] for i in three]
    if max(sides) > 1.35 * min(sides):
        return None
    side = float(np.mean(sides))
    for v in range(3):
        p, q = (three[k] for k in range(3) if k != v)
        a, b = pts[p] - pts[three[v]], pts[q] - pts[three[v]]
        la, lb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
        if la == 0 or lb == 0 or abs(float(a @ b)) / (la * lb) > _L_SQUARE:
            continue
        short, long_ = min(la, lb), max(la, lb)
        if not any(
            abs(short / long_ - ratio) < _L_RATIO * ratio and 0.8 < short / side / span < 1.25
            for ratio, span in _SHAPES
        ):
            continue
        fourth = pts[p] + pts[q] - pts[three[v]]
        four = np.vstack([pts[[three[v], p, q]], fourth[None, :]]).astype(np.float32)
        order = _clockwise(four, [0, 1, 2, 3])
        return four[list(order)], tuple(k != 3 for k in order)
    return None


def _as_photo_corner(
    pts: np.ndarray, cands: list[tuple[float, float, float]], three: list[int]
) -> tuple[np.ndarray, tuple[bool, ...]] | None:
    """Three squares as three corners of a page seen in perspective: the bounds `_best_quad`
    puts on four (sizes, spacing in square sides, proportions), an angle of 60-120° at the
    middle one; the fourth placed as the parallelogram's, a first guess only."""
    sides = [cands[i][2] for i in three]
    if max(sides) > 1.6 * min(sides):
        return None
    side = float(np.mean(sides))
    best: tuple[float, int] | None = None
    for v in range(3):
        p, q = (three[k] for k in range(3) if k != v)
        a, b = pts[p] - pts[three[v]], pts[q] - pts[three[v]]
        la, lb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
        if la == 0 or lb == 0:
            continue
        cos = abs(float(a @ b)) / (la * lb)
        short, long_ = min(la, lb), max(la, lb)
        if cos > 0.5 or not 14 < short / side < 36 or not 1.1 < long_ / short < 1.9:
            continue
        if best is None or cos < best[0]:
            best = (cos, v)
    if best is None:
        return None
    v = best[1]
    p, q = (three[k] for k in range(3) if k != v)
    fourth = pts[p] + pts[q] - pts[three[v]]
    four = np.vstack([pts[[three[v], p, q]], fourth[None, :]]).astype(np.float32)
    order = _clockwise(four, [0, 1, 2, 3])
    return four[list(order)], tuple(k != 3 for k in order)


def _area(found: tuple[np.ndarray, tuple[bool, ...]]) -> float:
    (a, b), (c, d) = found[0][1] - found[0][0], found[0][3] - found[0][0]
    return abs(float(a * d - b * c))


def _largest(
    founds: list[tuple[np.ndarray, tuple[bool, ...]]],
) -> tuple[np.ndarray, tuple[bool, ...]] | None:
    return max(founds, key=_area) if founds else None


def _best_l(
    gray: np.ndarray,
    pts: np.ndarray,
    cands: list[tuple[float, float, float]],
    pool: list[int],
    shape: Callable[..., tuple[np.ndarray, tuple[bool, ...]] | None] | None = None,
) -> tuple[np.ndarray, tuple[bool, ...]] | None:
    """The largest three of lone squares making a page's corner: right-angled with the page's
    proportions (`_as_corner`), or as `shape` says."""
    best, best_area = None, 0.0
    lone: dict[int, bool] = {}
    for combo in combinations(pool, 3):
        found = (shape or _as_corner)(pts, cands, list(combo))
        if found is None:
            continue
        area = _area(found)
        if area <= best_area:
            continue
        for i in combo:
            if i not in lone:
                lone[i] = _lone(gray, pts[i], cands[i][2])
        if all(lone[i] for i in combo):
            best, best_area = found, area
    return best


def _corners(
    quad: np.ndarray, real: tuple[bool, ...], paper: float, guessed: bool = False, alone: bool = True
) -> Corners:
    # Start at a corner whose next side is a short one (portrait top side).
    if np.linalg.norm(quad[1] - quad[0]) > np.linalg.norm(quad[2] - quad[1]):
        quad, real = np.roll(quad, -1, axis=0), real[1:] + real[:1]
    flags = (real[0], real[1], real[2], real[3])
    return Corners(quad, flags, paper, guessed, alone)


def _lone(gray: np.ndarray, centre: np.ndarray, side: float) -> bool:
    """A corner square is printed alone: blank paper all around it (KEEP_OUT). Looked at on the
    full image in a ring beyond the square's corners and inside its keep-out zone; a filled
    box has box outlines and its name that close, a corner square nothing."""
    x, y = float(centre[0]), float(centre[1])
    r_out = side * 0.98
    x0, y0 = max(int(x - r_out), 0), max(int(y - r_out), 0)
    x1, y1 = min(int(x + r_out) + 1, gray.shape[1]), min(int(y + r_out) + 1, gray.shape[0])
    step = max(int(side / 24), 1)  # ~24 samples across the square are plenty
    sub = gray[y0:y1:step, x0:x1:step]
    if sub.size < 16:
        return False
    ring, inner = _rings(np.arange(x0, x1, step) - x, np.arange(y0, y1, step)[:, None] - y, side, r_out)
    in_ring = np.count_nonzero(ring)
    if in_ring < 20 or not np.count_nonzero(inner):
        return False
    ink, paper = levels.median(sub[inner]), levels.percentile(sub, 95)
    if paper - ink < 30:
        return False
    # Ink-dark (printed outlines and letters are): a shadow, grain or specks are not. (The ring's
    # share counted in place: the same count over the same number of pixels as of sub[ring].)
    return bool(np.count_nonzero((sub < ink + 0.35 * (paper - ink)) & ring) / in_ring < 0.03)


def _rings(dx: np.ndarray, dy: np.ndarray, side: float, r_out: float) -> tuple[np.ndarray, np.ndarray]:
    """(side x 0.78 < d < r_out, d < side x 0.3) for d = np.hypot(dx, dy) (`_rings_reference`),
    judged on d^2 against the squared bounds with a guard band far wider than both roundings: only
    a distance within 1e-9 of a bound, if any, needs hypot itself (np.hypot cost half of `_lone`)."""
    d2 = dx * dx + dy * dy
    bounds = (side * 0.78, r_out, side * 0.3)
    above, below = [], []
    for t in bounds:
        t2 = t * t
        above.append(d2 > t2 * (1 + 1e-9))
        below.append(d2 < t2 * (1 - 1e-9))
    if not all(bool((a | b).all()) for a, b in zip(above, below, strict=True)):
        return _rings_reference(dx, dy, side, r_out)  # a distance at a bound, to rounding
    return above[0] & below[1], below[2]


def _rings_reference(dx: np.ndarray, dy: np.ndarray, side: float, r_out: float) -> tuple[np.ndarray, np.ndarray]:
    """`_rings` as `_lone` wrote it (the definition)."""
    d = np.hypot(dx, dy)
    return (d > side * 0.78) & (d < r_out), d < side * 0.3


def _partial_frame(cands: list[tuple[float, float, float]]) -> bool:
    """Two squares of one size as far apart as two corner squares of a ballot (a side or the
    diagonal, in square sides: independent of the scan's resolution): this is one of our ballots
    whose other squares the scanner's frame cut off, not a page of something else."""
    spans = []
    for w, h in frames.PAGE_SIZES.values():
        for frame in frames.FRAMES.values():
            a, b = w - 2 * frame.mark_inset, h - 2 * frame.mark_inset
            spans += [a / MARK_SIZE, b / MARK_SIZE, (a * a + b * b) ** 0.5 / MARK_SIZE]
    big = sorted(cands, key=lambda c: -c[2])[:12]
    for (x1, y1, s1), (x2, y2, s2) in combinations(big, 2):
        if max(s1, s2) > 1.3 * min(s1, s2):
            continue
        d = float(np.hypot(x2 - x1, y2 - y1)) / ((s1 + s2) / 2)
        if any(0.88 < d / span < 1.12 for span in spans):
            return True
    return False


def _ink_fraction(small: np.ndarray) -> float:
    _, th = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    dark = float(np.mean(th == 0))
    spread = levels.percentile(small, 95) - levels.percentile(small, 1)
    return dark if spread > 40 else 0.0


def mark_side(quad: np.ndarray) -> float:
    """A corner square's side in image pixels, from the distance between two found squares."""
    return float(np.linalg.norm(quad[1] - quad[0])) * MARK_SIZE / 540


def refine_marks(gray: np.ndarray, quad: np.ndarray, real: tuple[bool, ...] = (True,) * 4) -> np.ndarray:
    """The marks' centres measured again on the full image (they were found on a reduced copy).

    A pixel of error on the reduced copy is several on the page; far from the marks (the
    bottom of a column of boxes) the homography would be off by more than a box outline.
    A corner not seen is placed again from the three refined ones.
    """
    side = mark_side(quad)
    r = max(int(side * 1.1), 4)
    out = quad.astype(np.float64).copy()
    for k, (x, y) in enumerate(quad):
        if not real[k]:
            continue
        xi, yi = int(round(x)), int(round(y))
        x0, y0 = max(xi - r, 0), max(yi - r, 0)
        patch = gray[y0 : yi + r + 1, x0 : xi + r + 1]
        if patch.size < 16:
            continue
        lo, hi = levels.percentiles(patch, 5, 95)
        if hi - lo < 30:
            continue
        mask: np.ndarray = (patch < (lo + hi) / 2).astype(np.uint8)
        # A light scanner streak across the square would cut it in two: close such thin gaps.
        gap = max(int(side * 0.12) | 1, 3)
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((gap, gap), np.uint8))
        # 16-bit labels: the same components, their stats 2.5x cheaper than with 32-bit ones.
        n, labels, stats, cents = cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_16U)
        if n <= 1:
            continue
        i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
        area = stats[i, cv2.CC_STAT_AREA]
        w, h = int(stats[i, cv2.CC_STAT_WIDTH]), int(stats[i, cv2.CC_STAT_HEIGHT])
        # A whole, solid square (any rotation: its box is 1 to 1.41 sides), or keep the first estimate.
        if not (0.5 * side * side < area < 1.6 * side * side and 0.85 * side < min(w, h) and max(w, h) < 1.6 * side):
            continue
        cx, cy = cents[i]
        if abs(x0 + cx - x) < side * 0.5 and abs(y0 + cy - y) < side * 0.5:
            out[k] = (x0 + cx, y0 + cy)
    for k in range(4):
        if not real[k]:  # the parallelogram's fourth corner (a scanner keeps the page flat)
            out[k] = out[(k - 1) % 4] + out[(k + 1) % 4] - out[(k + 2) % 4]
    return out.astype(quad.dtype)


def check_marks(gray: np.ndarray, quad: np.ndarray, real: tuple[bool, ...] = (True,) * 4) -> None:
    """Raise PageRefused unless each found corner is solid ink on paper, at full resolution.

    On the reduced copy a dark corner of a badly lit photo can pass for a square; a homography
    through a wrong corner would put boxes on their neighbours and read their marks.
    """
    side = mark_side(quad)
    c, r = max(int(side * 0.25), 1), max(int(side * 1.1), 4)
    for (x, y), seen in zip(quad, real, strict=True):
        if not seen:
            continue
        xi, yi = int(round(x)), int(round(y))
        centre = gray[max(yi - c, 0) : yi + c + 1, max(xi - c, 0) : xi + c + 1]
        around = gray[max(yi - r, 0) : yi + r + 1, max(xi - r, 0) : xi + r + 1]
        if not centre.size or not around.size:
            raise PageRefused(Code.ALIGNMENT_FAILED, PageProblem.SQUARE_OUTSIDE)
        ink, paper = levels.median(centre), levels.percentile(around, 95)
        if paper - ink < 35 or ink > 0.75 * paper:
            raise PageRefused(Code.ALIGNMENT_FAILED, PageProblem.SQUARE_NOT_SOLID)
