"""Finding a ballot in an image: alignment marks, orientation, QR code.

Contract: `locate(gray)` takes a 2-D uint8 image (any resolution, any rotation, a phone's
perspective) and returns a `Located` (homography from page points to image pixels, the QR text,
the ink level) or raises `ReadError` with one of the reasons below. It never searches for the
QR outside the region where the geometry puts it, so a noisy page cannot make it slow.

How: the four solid corner squares are found on a reduced copy normalised by its own local
paper level (uneven light); they are the extreme points of the candidate squares whose sizes
and spacing agree with the geometry (90–110 % scaling and strong perspective pass). The long
sides give portrait; of the two remaining orientations the one with the QR's ink in its corner
wins. The homography is recomputed for the page size the QR names (A4 or letter).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import cv2
import numpy as np
from pyzbar import pyzbar

from ballots.errors import SheetRefused
from ballots.paper import geometry, levels
from ballots.paper.geometry import MARK_SIZE, MM, QR_SIZE
from ballots.reasons import Code

BLANK_PAGE = Code.BLANK_PAGE
NOT_A_BALLOT = Code.NOT_A_BALLOT  # no alignment marks: a page of something else
UNREADABLE_QR = Code.UNREADABLE_QR
ALIGNMENT_FAILED = Code.ALIGNMENT_FAILED  # corner squares or box outlines not where they should be
WORK_SIDE = 640  # longer side of the reduced copy used to find the marks
_QR_SCALE = 6.0 / MM  # px per point in the QR crop (6 px per mm: ~4 px per module)


ReadError = SheetRefused  # the one error for a page that is not a ballot (ballots.errors)


@dataclass(frozen=True)
class Located:
    homography: np.ndarray  # 3x3, page points (top-left origin) -> image pixels
    qr_text: str
    ink: float  # grey level of solid ink on this sheet (from the marks)
    paper: float  # typical paper grey level
    scale: float  # image pixels per page point (mean)
    # Solid ink over the paper beside it, at the marks. Light falls on ink and paper alike (a
    # phone's shadow, a scanner's uneven lamp), so `paper * ink_ratio` is the ink level anywhere.
    # 0: unknown (use `ink`).
    ink_ratio: float = 0.0

    def ink_under(self, paper: float) -> float:
        """The grey level solid ink would have where the paper's grey level is `paper`."""
        return paper * self.ink_ratio if self.ink_ratio > 0 else self.ink


def page_homography(image_marks: np.ndarray, page: tuple[float, float]) -> np.ndarray:
    src = np.array(geometry.mark_centres(page), dtype=np.float32)
    return cv2.getPerspectiveTransform(src, image_marks.astype(np.float32))


def warp(gray: np.ndarray, h: np.ndarray, rect: tuple[float, float, float, float], scale: float) -> np.ndarray:
    """The page rectangle `rect` (points) straightened at `scale` px per point."""
    x, y, w, hh = rect
    size = (max(int(round(w * scale)), 1), max(int(round(hh * scale)), 1))
    to_page = np.array([[1 / scale, 0, x], [0, 1 / scale, y], [0, 0, 1]], dtype=np.float64)
    m = h @ to_page
    return cv2.warpPerspective(
        gray, m, size, flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE
    )


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
    dark = (small.astype(np.int16) * 2 < paper.astype(np.int16) + ink_level) & (paper.astype(np.int16) - ink_level > 30)
    mask: np.ndarray = dark.astype(np.uint8)
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


def find_marks(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """Image positions of the four marks as (TL, TR, BR, BL) up to a 180° turn, and the paper level."""
    small, _, paper_level, cands = _candidates(gray)
    if len(cands) < 4:
        if float(np.std(small)) < 6 or _ink_fraction(small) < 0.002:
            raise ReadError(BLANK_PAGE, "nothing printed on this page")
        if _partial_frame(cands):
            raise ReadError(ALIGNMENT_FAILED, "a corner square is missing (a corner cut off by the scanner's frame?)")
        raise ReadError(NOT_A_BALLOT, "no alignment marks")
    pts = np.array([(x, y) for x, y, _ in cands], dtype=np.float32)
    hull_idx = cv2.convexHull(pts, returnPoints=False).ravel().tolist() if len(pts) >= 3 else []
    best, best_area = None, 0.0
    pool: list[int] = [int(i) for i in hull_idx] if len(hull_idx) >= 4 else list(range(len(cands)))
    pool = sorted(pool, key=lambda i: -cands[i][2])[:10]
    for combo in combinations(pool, 4):
        quad = _order_clockwise(pts[list(combo)])
        sides = [cands[i][2] for i in combo]
        if max(sides) > 1.6 * min(sides):
            continue
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
            best, best_area = quad, area
    if best is None:
        if _partial_frame(cands):
            raise ReadError(ALIGNMENT_FAILED, "the corner squares do not make a page (a corner cut off?)")
        raise ReadError(NOT_A_BALLOT, "alignment marks not found")
    # Start at a corner whose next side is a short one (portrait top side).
    if np.linalg.norm(best[1] - best[0]) > np.linalg.norm(best[2] - best[1]):
        best = np.roll(best, -1, axis=0)
    return best, paper_level


def _partial_frame(cands: list[tuple[float, float, float]]) -> bool:
    """Two squares of one size as far apart as two corner squares of a ballot (a side or the
    diagonal, in square sides: independent of the scan's resolution): this is one of our ballots
    whose other squares the scanner's frame cut off, not a page of something else."""
    spans = []
    for w, h in geometry.PAGE_SIZES.values():
        a, b = w - 2 * geometry.MARK_INSET, h - 2 * geometry.MARK_INSET
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


def _order_clockwise(q: np.ndarray) -> np.ndarray:
    c = q.mean(axis=0)
    ang = np.arctan2(q[:, 1] - c[1], q[:, 0] - c[0])
    return q[np.argsort(ang)]  # y down: increasing angle is clockwise on screen


def _qr_region() -> tuple[float, float, float, float]:
    pad = 4 * MM
    return (geometry.QR_X - pad, geometry.QR_Y - pad, QR_SIZE + 2 * pad, QR_SIZE + 2 * pad)


def decode_qr(crop: np.ndarray) -> str | None:
    """pyzbar first; then a binarised copy; then OpenCV's detector. None when nothing reads."""

    def variants():
        yield crop
        yield cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]
        lo, hi = int(levels.percentile(crop, 2)), int(levels.percentile(crop, 60))
        # A crease or a pencil line across the code is lighter than printed ink: cut it away.
        yield cv2.threshold(crop, lo + 0.35 * (hi - lo), 255, cv2.THRESH_BINARY)[1]
        yield cv2.medianBlur(cv2.threshold(crop, lo + 0.35 * (hi - lo), 255, cv2.THRESH_BINARY)[1], 3)

    for img in variants():
        for sym in pyzbar.decode(img, symbols=[pyzbar.ZBarSymbol.QRCODE]):
            try:
                return sym.data.decode("ascii")
            except UnicodeDecodeError:
                continue
    try:
        text, _, _ = cv2.QRCodeDetector().detectAndDecode(crop)
    except cv2.error:
        return None
    return text or None


def _mark_side(quad: np.ndarray) -> float:
    """A corner square's side in image pixels, from the distance between two found squares."""
    return float(np.linalg.norm(quad[1] - quad[0])) * MARK_SIZE / 540


def refine_marks(gray: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The marks' centres measured again on the full image (they were found on a reduced copy).

    A pixel of error on the reduced copy is several on the page; far from the marks (the
    bottom of a column of boxes) the homography would be off by more than a box outline.
    """
    side = _mark_side(quad)
    r = max(int(side * 1.1), 4)
    out = quad.astype(np.float64).copy()
    for k, (x, y) in enumerate(quad):
        xi, yi = int(round(x)), int(round(y))
        x0, y0 = max(xi - r, 0), max(yi - r, 0)
        patch = gray[y0 : yi + r + 1, x0 : xi + r + 1]
        if patch.size < 16:
            continue
        lo, hi = levels.percentile(patch, 5), levels.percentile(patch, 95)
        if hi - lo < 30:
            continue
        mask: np.ndarray = (patch < (lo + hi) / 2).astype(np.uint8)
        # A light scanner streak across the square would cut it in two: close such thin gaps.
        gap = max(int(side * 0.12) | 1, 3)
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((gap, gap), np.uint8))
        n, labels, stats, cents = cv2.connectedComponentsWithStats(mask, connectivity=8)
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
    return out.astype(quad.dtype)


def check_marks(gray: np.ndarray, quad: np.ndarray) -> None:
    """Raise ReadError unless each found corner is solid ink on paper, at full resolution.

    On the reduced copy a dark corner of a badly lit photo can pass for a square; a homography
    through a wrong corner would put boxes on their neighbours and read their marks.
    """
    side = _mark_side(quad)
    c, r = max(int(side * 0.25), 1), max(int(side * 1.1), 4)
    for x, y in quad:
        xi, yi = int(round(x)), int(round(y))
        centre = gray[max(yi - c, 0) : yi + c + 1, max(xi - c, 0) : xi + c + 1]
        around = gray[max(yi - r, 0) : yi + r + 1, max(xi - r, 0) : xi + r + 1]
        if not centre.size or not around.size:
            raise ReadError(ALIGNMENT_FAILED, "a corner square lies outside the image")
        ink, paper = levels.median(centre), levels.percentile(around, 95)
        if paper - ink < 35 or ink > 0.75 * paper:
            raise ReadError(ALIGNMENT_FAILED, "a corner square is not solid ink where it was found")


def locate(gray: np.ndarray) -> Located:
    quad, paper_level = find_marks(gray)
    quad = refine_marks(gray, quad)
    check_marks(gray, quad)
    a4 = geometry.PAGE_SIZES["A4"]
    region = _qr_region()
    tries = []
    for turn in (0, 2):
        marks = np.roll(quad, -turn, axis=0)
        h = page_homography(marks, a4)
        crop = warp(gray, h, region, _QR_SCALE)
        tries.append((float(np.mean(crop < (int(levels.median(crop)) + int(crop.min())) // 2)), h, crop, marks))
    tries.sort(key=lambda t: -t[0])
    text, h, marks = None, tries[0][1], tries[0][3]
    for t in tries:
        text = decode_qr(t[2])
        if text:
            h, marks = t[1], t[3]
            break
    if text is None:
        raise ReadError(UNREADABLE_QR, "QR code not readable")
    # The QR names the variant; the letter page puts the marks elsewhere.
    variant = text[18] if len(text) > 18 else "A"
    page = geometry.PAGE_SIZES[geometry.VARIANTS.get(variant, ("A4", False))[0]]
    h = page_homography(marks, page) if page != a4 else h
    ink, ratio = _ink_level(gray, marks, quad)
    scale = float(np.linalg.norm(marks[1] - marks[0]) / (page[0] - 2 * geometry.MARK_INSET))
    return Located(h, text, ink, paper_level, scale, ratio)


def _ink_level(gray: np.ndarray, marks: np.ndarray, quad: np.ndarray) -> tuple[float, float]:
    """The ink's grey level in the marks, and its ratio to the paper around each mark."""
    side = _mark_side(quad)
    r = max(int(side * 0.25), 1)
    around = max(int(side * 1.2), 2)
    vals, ratios = [], []
    for x, y in marks:
        xi, yi = int(round(x)), int(round(y))
        patch = gray[max(yi - r, 0) : yi + r + 1, max(xi - r, 0) : xi + r + 1]
        near = gray[max(yi - around, 0) : yi + around + 1, max(xi - around, 0) : xi + around + 1]
        if patch.size:
            ink = levels.median(patch)
            vals.append(ink)
            paper = levels.percentile(near, 90) if near.size else 0.0
            if paper > ink + 25:
                ratios.append(ink / paper)
    ink = float(np.median(vals)) if vals else 0.0
    return ink, float(np.median(ratios)) if len(ratios) >= 2 else 0.0
