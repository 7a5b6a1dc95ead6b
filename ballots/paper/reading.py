"""Finding a ballot in an image: alignment marks, orientation, QR code.

Contract: `locate(gray)` takes a 2-D uint8 image (any resolution, any rotation, a phone's
perspective) and returns a `Located` (homography from page points to image pixels, the QR text,
the ink level) or raises `PageRefused` with one of the reasons below. It never searches for the
QR outside the region where the geometry puts it, so a noisy page cannot make it slow.

How: the corner squares are found (`fiducials`); of the two orientations their long sides leave,
the one with the QR's ink in its corner is tried first, and the code read says which corner it
is at (frame 2 has one at each end). The homography is recomputed for the page size and frame
the QR names (A4 or letter, frame 1 or 2).
"""

from __future__ import annotations

import ctypes
import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np
from pyzbar import pyzbar
from pyzbar import wrapper as zbar

from ballots.errors import PageRefused
from ballots.paper import fiducials, frames, levels
from ballots.paper.frames import MARK_SIZE, MM, QR_SIZE
from ballots.paper.page_problems import PageProblem
from ballots.reasons import Code

BLANK_PAGE = Code.BLANK_PAGE
NOT_A_BALLOT = Code.NOT_A_BALLOT  # no alignment marks: a page of something else
UNREADABLE_QR = Code.UNREADABLE_QR
ALIGNMENT_FAILED = Code.ALIGNMENT_FAILED  # corner squares or box outlines not where they should be
_QR_SCALE = 6.0 / MM  # px per point in the QR crop (6 px per mm: ~4 px per module)


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
    found: int = 4  # corner squares seen (3: one cut off, placed from the others)
    # Which corner squares were seen (page order TL, TR, BR, BL), and whether the missing one was
    # placed from a code on a photo taken at an angle (`alignment.refine` then uses the boxes).
    real: tuple[bool, bool, bool, bool] = (True, True, True, True)
    from_code: bool = False

    def ink_under(self, paper: float) -> float:
        """The grey level solid ink would have where the paper's grey level is `paper`."""
        return paper * self.ink_ratio if self.ink_ratio > 0 else self.ink


def page_homography(
    image_marks: np.ndarray, page: tuple[float, float], frame: frames.Frame = frames.CURRENT
) -> np.ndarray:
    src = np.array(frames.mark_centres(page, frame), dtype=np.float32)
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


def _qr_region(frame: frames.Frame = frames.CURRENT) -> tuple[float, float, float, float]:
    """Where to look for the top-left code: with 4 mm to spare (a frame-1 sheet located as if it
    were frame 2 has its code in this region too, so one region serves both)."""
    pad = 4 * MM
    return (frame.qr_x - pad, frame.qr_y - pad, QR_SIZE + 2 * pad, QR_SIZE + 2 * pad)


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
        # Every other row and column first: half zbar's work, and a clean code reads all the same
        # (its modules are ~4 px); every row and column where that reads nothing.
        for density in (2, 1):
            for text in _ascii(_zbar_qr(img, density)):
                return text
    try:
        text, _, _ = cv2.QRCodeDetector().detectAndDecode(crop)
    except cv2.error:
        return None
    return text or None


def _zbar_qr(img: np.ndarray, density: int = 1) -> list[bytes]:
    """The data of the QR codes zbar reads in the 8-bit grey `img`, its scanner looking along every
    `density`-th row and column (1: what `pyzbar.decode(img, symbols=[QRCODE])` reads; pyzbar has
    no setting for the density, so its scanner is driven here through pyzbar's own bindings)."""
    pixels = np.ascontiguousarray(img, dtype=np.uint8)  # zbar reads it in place (alive until scanned)
    height, width = pixels.shape[:2]
    scanner = zbar.zbar_image_scanner_create()
    if not scanner:
        return []
    try:
        # Symbology 0 (ZBAR_NONE) sets every symbology: all off, then QR codes on.
        zbar.zbar_image_scanner_set_config(scanner, zbar.ZBarSymbol.NONE, zbar.ZBarConfig.CFG_ENABLE, 0)
        zbar.zbar_image_scanner_set_config(scanner, zbar.ZBarSymbol.QRCODE, zbar.ZBarConfig.CFG_ENABLE, 1)
        for axis in (zbar.ZBarConfig.CFG_X_DENSITY, zbar.ZBarConfig.CFG_Y_DENSITY):
            zbar.zbar_image_scanner_set_config(scanner, zbar.ZBarSymbol.NONE, axis, density)
        image = zbar.zbar_image_create()
        if not image:
            return []
        try:
            zbar.zbar_image_set_format(image, _L800)
            zbar.zbar_image_set_size(image, width, height)
            zbar.zbar_image_set_data(image, pixels.ctypes.data_as(ctypes.c_void_p), pixels.size, None)
            if zbar.zbar_scan_image(scanner, image) <= 0:
                return []
            out = []
            symbol = zbar.zbar_image_first_symbol(image)
            while symbol:
                out.append(
                    ctypes.string_at(zbar.zbar_symbol_get_data(symbol), zbar.zbar_symbol_get_data_length(symbol))
                )
                symbol = zbar.zbar_symbol_next(symbol)
            return out
        finally:
            zbar.zbar_image_destroy(image)
    finally:
        zbar.zbar_image_scanner_destroy(scanner)


_L800 = int.from_bytes(b"Y800", "little")  # zbar's fourcc for 8-bit grey (pyzbar's `_FOURCC["L800"]`)


_PAGE_CODES_SIDE = 2400  # px: a page looked over for codes at about 200 dpi (a module is then ~5 px)


def codes_on_page(gray: np.ndarray) -> list[str]:
    """The text of every QR code zbar reads anywhere on the page (reduced to ~200 dpi if larger).
    Only for a page refused for its corner squares: whether it shows a code all the same."""
    f = _PAGE_CODES_SIDE / max(gray.shape)
    page = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
    return list(_ascii(_zbar_qr(page, 1)))


def _ascii(payloads: Iterable[bytes]) -> Iterator[str]:
    """The payloads that are ASCII text, in zbar's order: Urne's codes are ASCII, and a payload
    that is not (a foreign code, noise zbar took for a code) is passed over, not an error."""
    for data in payloads:
        try:
            yield data.decode("ascii")
        except UnicodeDecodeError:
            continue


def locate(gray: np.ndarray) -> Located:
    return _locate(gray, fiducials.find_corners(gray), False)[0]


_MOST_TRIES = 16  # other placements tried for one sheet (each needs a code to fit, then `placement` checks it)


def relocations(gray: np.ndarray) -> Iterator[Located]:
    """Other ways to place the page, each from three corner squares and a code beside them that
    fit one perspective, most likely first; for a sheet `locate` placed wrongly (its boxes
    misaligned) or could not place (a corner not solid ink, no code where the squares put it).

    Three found at a right angle: the same three, the fourth placed from the code (a photo that
    looks flat there). Four found: each three, the odd one out first (the furthest from where
    the other three and the code place it: a stain on a photo's table, a filled box). Then threes
    of lone squares in perspective among all candidates, largest first.
    """
    tries = 0
    try:
        corners: fiducials.Corners | None = fiducials.find_corners(gray)
    except PageRefused:
        corners = None
    if corners is not None and corners.found == 3:
        tries += 1
        placed = _placed(gray, corners)
        if placed is not None:
            yield placed
    if corners is not None and corners.found == 4:
        found = []
        for k in range(4):
            # The one left out placed as the others' parallelogram (sizes are measured between corners).
            pts = corners.points.copy()
            pts[k] = pts[(k - 1) % 4] + pts[(k + 1) % 4] - pts[(k + 2) % 4]
            real = (k != 0, k != 1, k != 2, k != 3)
            three = dataclasses.replace(corners, points=pts, real=real, guessed=True)
            tries += 1
            try:
                loc, quad = _locate(gray, three, True)
            except PageRefused:
                continue
            found.append((float(np.linalg.norm(quad[k] - corners.points[k])) / loc.scale, loc))
        for off, loc in sorted(found, key=lambda t: -t[0]):
            if off > MARK_SIZE:  # within a square's size: the same four, nothing gained
                yield loc
    for three in fiducials.find_photo_threes(gray, _MOST_TRIES):
        if tries >= _MOST_TRIES + 4:
            return
        tries += 1
        placed = _placed(gray, three)
        if placed is not None:
            yield placed


def _placed(gray: np.ndarray, corners: fiducials.Corners) -> Located | None:
    try:
        return _locate(gray, corners, True)[0]
    except PageRefused:
        return None


def parallelogram(gray: np.ndarray) -> Iterator[Located]:
    """The placement tried last, only where no other placed the page (`sheet.read_page`): three
    squares at a right angle and the parallelogram's fourth corner, whatever the code beside them
    says. The code's fit can be wrong by more than `_FLAT` on a flat scan: the QR detector estimates
    the code's own fourth corner (no finder pattern there), and 1 mm off at the code is 3.4 mm at the
    far corner (held-out 3717002821, a 1-bit 300 dpi copy, one corner cut: every placement from the
    code misaligned its boxes, the parallelogram lines them all up). The boxes' checks still decide."""
    try:
        corners = fiducials.find_corners(gray)
    except PageRefused:
        return
    if corners.found == 3 and not corners.guessed:
        try:
            yield _locate(gray, corners, False, code_fit=False)[0]
        except PageRefused:
            return


def _locate(
    gray: np.ndarray, corners: fiducials.Corners, from_code: bool, code_fit: bool = True
) -> tuple[Located, np.ndarray]:
    quad = fiducials.refine_marks(gray, corners.points, corners.real)
    fiducials.check_marks(gray, quad, corners.real)
    placed = corners.guessed or (from_code and corners.found == 3)
    if placed:
        quad = _fourth_from_code(gray, quad, corners.real)
    elif corners.found == 3 and code_fit:
        # Three at a right angle: a flat scan, or a photo that only looks flat there, where the
        # parallelogram's fourth corner can put the far boxes a whole row off with every outline
        # still lined up (seen: blank boxes read as their marked neighbours). A code beside the
        # three says which: where it places the fourth within _FLAT of the parallelogram's, the
        # page is flat and the parallelogram (from squares measured at full resolution) stays.
        try:
            fitted = _fourth_from_code(gray, quad, corners.real)
        except PageRefused:
            fitted = None
        if fitted is not None:
            k = corners.real.index(False)
            px_per_pt = fiducials.mark_side(quad) / MARK_SIZE
            if float(np.linalg.norm(fitted[k] - quad[k])) / px_per_pt > _FLAT:
                quad, placed = fitted, True
    a4 = frames.PAGE_SIZES["A4"]
    region = _qr_region()
    tries = []
    for turn in (0, 2):
        marks = np.roll(quad, -turn, axis=0)
        h = page_homography(marks, a4)
        crop = warp(gray, h, region, _QR_SCALE)
        tries.append((levels.share(crop < (int(levels.median(crop)) + int(crop.min())) // 2), turn, crop))
    tries.sort(key=lambda t: -t[0])  # frame 1: the code's corner has the most ink
    text, turn = None, 0
    for _, t, crop in tries:
        text = decode_qr(crop)
        if text:
            turn = t
            break
    if text is None:
        if corners.found < 4:
            raise PageRefused(ALIGNMENT_FAILED, PageProblem.CORNER_CUT_CODE_UNREADABLE)
        if not corners.alone:
            # Four "squares", some not lone corner squares (filled boxes standing in for the two a
            # side cut off by the frame took away), and no code where they put it: the squares are
            # as much in doubt as the code, and only a straight, whole scan settles it.
            raise PageRefused(ALIGNMENT_FAILED, PageProblem.SQUARES_IN_DOUBT_CODE_UNREADABLE)
        raise PageRefused(UNREADABLE_QR, PageProblem.CODE_UNREADABLE)
    if text.startswith("U2") and len(text) > 20 and text[20] == "B":
        turn = (turn + 2) % 4  # the bottom-right code, read where the top-left one would be: turned
    # The code names the frame and the variant; the letter page puts the marks elsewhere.
    frame = frames.FRAMES[2 if text.startswith("U2") else 1]
    variant = text[18] if len(text) > 18 else "A"
    page = frames.PAGE_SIZES[frames.VARIANTS.get(variant, ("A4", False))[0]]
    marks = np.roll(quad, -turn, axis=0)
    real = corners.real[turn:] + corners.real[:turn]
    h = page_homography(marks, page, frame)
    ink, ratio = _ink_level(gray, marks, quad, real)
    scale = float(np.linalg.norm(marks[1] - marks[0]) / (page[0] - 2 * frame.mark_inset))
    seen = (real[0], real[1], real[2], real[3])
    return Located(h, text, ink, corners.paper, scale, ratio, corners.found, seen, placed), quad


def _code_corners(crop: np.ndarray) -> tuple[str, np.ndarray] | None:
    """The code in `crop` and its four corners (crop pixels), by OpenCV's detector, which
    returns them in the code's own order (its top-left first); then pyzbar's outline."""
    try:
        text, pts, _ = cv2.QRCodeDetector().detectAndDecode(crop)
    except cv2.error:
        text, pts = "", None
    if text and pts is not None and pts.size == 8:
        return text, pts.reshape(4, 2).astype(np.float64)
    for img in (crop, cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]):
        for sym in pyzbar.decode(img, symbols=[pyzbar.ZBarSymbol.QRCODE]):
            if len(sym.polygon) == 4:
                try:
                    return sym.data.decode("ascii"), np.array([(p.x, p.y) for p in sym.polygon], np.float64)
                except UnicodeDecodeError:
                    continue
    return None


_FLAT = 3 * MM  # a code's fit and a flat page's parallelogram agree this closely at the fourth corner
_FIT_TOLERANCE = 1.5 * MM  # the seven points must fit one perspective this closely (page points)


def _fourth_from_code(gray: np.ndarray, quad: np.ndarray, real: tuple[bool, ...]) -> np.ndarray:
    """The missing corner of a page photographed at an angle, placed from the three squares seen
    and the four corners of a code read beside them (seven points, one perspective).

    Three points fix only an affine map: under perspective a parallelogram's fourth corner can be
    centimetres off. The affine map is still close near the squares, enough to find the code next
    to one of them; the code's corners, where the code names its own frame and page, complete a
    true homography. Raises `ALIGNMENT_FAILED` when no code reads there or the points disagree.
    """
    a4 = frames.PAGE_SIZES["A4"]
    pad = 8 * MM  # the affine guess drifts further from the truth than a scan's does
    x0, y0 = frames.CURRENT.qr_x - pad, frames.CURRENT.qr_y - pad
    region = (x0, y0, QR_SIZE + 2 * pad, QR_SIZE + 2 * pad)
    for turn in (0, 2):
        marks = np.roll(quad, -turn, axis=0).astype(np.float64)
        seen = [k for k in range(4) if (real[turn:] + real[:turn])[k]]
        guess = np.array(frames.mark_centres(a4), np.float64)[seen]
        affine = np.vstack(
            [cv2.getAffineTransform(guess.astype(np.float32), marks[seen].astype(np.float32)), [0, 0, 1]]
        )
        crop = warp(gray, affine, region, _QR_SCALE)
        found = _code_corners(crop)
        if found is None:
            continue
        text, pts = found
        frame = frames.FRAMES[2 if text.startswith("U2") else 1]
        variant = text[18] if len(text) > 18 else "A"
        page = frames.PAGE_SIZES[frames.VARIANTS.get(variant, ("A4", False))[0]]
        # The code's corners in the image, each matched to the nearest corner of the code's place
        # (the affine guess is within millimetres of it; the corners are 20 mm apart).
        in_page = np.column_stack([x0 + pts[:, 0] / _QR_SCALE, y0 + pts[:, 1] / _QR_SCALE, np.ones(4)])
        img = (affine @ in_page.T).T[:, :2]
        cx, cy = frame.qr_x, frame.qr_y
        code = np.array([(cx, cy), (cx + QR_SIZE, cy), (cx + QR_SIZE, cy + QR_SIZE), (cx, cy + QR_SIZE)])
        expect = (affine @ np.column_stack([code, np.ones(4)]).T).T[:, :2]
        order = [int(np.argmin(np.linalg.norm(img - e, axis=1))) for e in expect]
        if len(set(order)) < 4:
            continue
        src = np.vstack([np.array(frames.mark_centres(page, frame), np.float64)[seen], code])
        dst = np.vstack([marks[seen], img[order]])
        h, _ = cv2.findHomography(src, dst, 0)
        if h is None:
            continue
        back = cv2.perspectiveTransform(dst[None], np.linalg.inv(h))[0]
        if float(np.max(np.linalg.norm(back - src, axis=1))) > _FIT_TOLERANCE:
            continue  # not one page in perspective: a square or the code is something else
        corners = cv2.perspectiveTransform(np.array([frames.mark_centres(page, frame)], np.float64), h)[0]
        return np.roll(corners, turn, axis=0).astype(quad.dtype)
    raise PageRefused(ALIGNMENT_FAILED, PageProblem.PHOTO_CORNER_NO_CODE)


def _ink_level(
    gray: np.ndarray, marks: np.ndarray, quad: np.ndarray, real: tuple[bool, ...] = (True,) * 4
) -> tuple[float, float]:
    """The ink's grey level in the marks seen, and its ratio to the paper around each mark."""
    side = fiducials.mark_side(quad)
    r = max(int(side * 0.25), 1)
    around = max(int(side * 1.2), 2)
    vals, ratios = [], []
    for (x, y), seen in zip(marks, real, strict=True):
        if not seen:
            continue
        xi, yi = int(round(x)), int(round(y))
        patch = gray[max(yi - r, 0) : yi + r + 1, max(xi - r, 0) : xi + r + 1]
        near = gray[max(yi - around, 0) : yi + around + 1, max(xi - around, 0) : xi + around + 1]
        if patch.size:
            ink = levels.median(patch)
            vals.append(ink)
            paper = levels.percentile(near, 90) if near.size else 0.0
            if paper > ink + 25:
                ratios.append(ink / paper)
    ink = _median(vals) if vals else 0.0
    return ink, _median(ratios) if len(ratios) >= 2 else 0.0


def _median(vals: list[float]) -> float:
    """np.median of a few floats (one per corner square), as numpy computes it: the middle one, or
    the two middle ones' sum halved (numpy's call costs more than the four values' sort)."""
    s = sorted(vals)
    k = len(s) // 2
    return s[k] if len(s) % 2 else (s[k - 1] + s[k]) / 2
