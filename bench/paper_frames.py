"""Hard sheets made independently of the reader: hand marks in colour, then an office scanner or a phone.

`bench/paper_corpus.py` draws grey marks on a grey page and degrades it with one affine model;
this module is a second, independent way of making sheets, written from how people mark and how
devices capture, never from the reader's thresholds (nothing here imports `ballots.paper.marks`):

- **Marks** (`MARK_STYLES`), drawn in colour with a multiply blend (ink darkens paper, overlaps
  darken more): ballpoint in black, blue, red; felt tip in black, blue, red, green; pencil at
  normal pressure with graphite grain; light pencil; crosses, ticks/check marks, fills, partial
  fills, scribbles, marks overflowing the box; a filled box crossed out. Non-marks: a pen rested
  on the paper (a dot), a neighbour's stray line, an erased pencil mark.
- **Scanner** (`Capture(device="scanner")`): the page placed on a bed by hand or an ADF:
  turned 0/90/180/270 degrees plus up to 5 degrees of skew, shifted, the frame cutting a band
  off an edge or a deep corner off (skewed page over the bed's edge), the lid or the ADF's
  backing around it (white, grey, black, with the shadow line at the page's edge), 150 to 600
  dpi, colour, grey or 1-bit (bitonal: a fixed threshold or error diffusion, stored as TIFF G4 or
  1-bit PNG as copiers do), show-through of a mirrored page, JPEG or PNG.
- **Phone** (`Capture(device="phone")`): a page on a table photographed by hand: perspective
  from a tilted camera, the page any way round, light falling off across the page and a soft
  shadow, defocus or motion blur, sensor noise, colour cast, JPEG.

Truth per box: "marked", "blank" or "person" (a box a person must see: crossed out). A read
is a misread when a marked box is read blank, a blank box marked, or a "person" box decided.
A sheet is *clear* when every box is empty or holds one of the clear marks (`CLEAR`): a
person would decide it at a glance. Corner regions cut: how many of the page's four corners
lost more than `CUT_DEPTH_MM` to the frame (a corner region holds a corner square or a code).
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field

import cv2
import numpy as np

from bench.paper_corpus import bent_path  # the hand's curve; ink, pressure and capture are this module's own

# name: (BGR colour, stroke width range in mm, opacity range, grain): grain = graphite's broken
# strokes (share of the stroke the paper's tooth leaves uncovered).
INKS: dict[str, tuple[tuple[int, int, int], tuple[float, float], tuple[float, float], float]] = {
    "ballpoint_black": ((40, 35, 35), (0.3, 0.55), (0.85, 1.0), 0.0),
    "ballpoint_blue": ((150, 60, 25), (0.3, 0.55), (0.8, 1.0), 0.0),
    "ballpoint_red": ((45, 40, 190), (0.3, 0.55), (0.8, 1.0), 0.0),
    "felt_black": ((25, 25, 25), (0.9, 1.8), (0.95, 1.0), 0.0),
    "felt_blue": ((170, 75, 20), (0.9, 1.8), (0.95, 1.0), 0.0),
    "felt_red": ((50, 45, 205), (0.9, 1.8), (0.95, 1.0), 0.0),
    "felt_green": ((70, 140, 30), (0.9, 1.8), (0.95, 1.0), 0.0),
    "pencil": ((105, 105, 110), (0.35, 0.7), (0.7, 0.95), 0.25),
    "pencil_light": ((150, 150, 155), (0.3, 0.55), (0.25, 0.6), 0.35),  # pressed lightly: plainly seen, pale
}
CLEAR_INKS = tuple(k for k in INKS if k != "pencil_light")
# A vote: what a person reads as "this box is chosen" at a glance.
CLEAR = ("x", "tick", "fill", "partial", "scribble")
OVERFLOW = ("overflow_x", "overflow_fill")  # a mark well past the box: read right or sent to a person
NON_MARKS = ("pen_rest", "stray", "erased")  # a person reads the box as blank
PERSON = ("crossed",)  # a filled box crossed out: a person decides
CUT_DEPTH_MM = 4.0  # lost at a corner beyond this: that corner region is cut (everything printed is >= 8 mm in)


@dataclass
class Capture:
    device: str = "scanner"  # scanner | phone
    dpi: int = 200  # scanner resolution; for a phone, the page's long side in px / 11.7 in
    mode: str = "grey"  # colour | grey | bitonal
    turn: int = 0  # 0, 90, 180, 270
    skew: float = 0.0  # degrees
    frame: str = "inside"  # inside | edge_crop | corner_cut
    cut_mm: float = 0.0
    cut_corner: int = 0  # 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left (before turning)
    lid: int = 255  # grey of what is around the page: white lid, grey lid, black ADF backing
    show_through: float = 0.0  # opacity of the mirrored page seen through thin paper
    dither: bool = False  # bitonal by error diffusion rather than a fixed threshold
    threshold: int = 150  # bitonal threshold
    jpeg: int = 0
    blur: float = 0.0
    noise: float = 0.0
    light: float = 0.0  # phone: light falling off across the page
    shadow: float = 0.0  # phone: a soft shadow (a hand, the phone) this much darker
    tilt: float = 0.0  # phone: perspective, as a share of the page
    cast: tuple[float, float, float] = (1.0, 1.0, 1.0)  # phone: white balance (B, G, R gains)
    corners_cut: int = 0  # measured after placing: corner regions cut by the frame
    extra: dict = field(default_factory=dict)


def to_bgr(page: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(page, cv2.COLOR_GRAY2BGR) if page.ndim == 2 else page.copy()


# ---------------------------------------------------------------------------- marks


def _coverage(
    shape: tuple[int, int],
    pts: list[tuple[float, float]],
    width: float,
    rng: random.Random,
    cov: np.ndarray | None = None,
) -> np.ndarray:
    """Where a hand stroke through `pts` lays ink, 0..1 (a slightly bent, pressure-varying line),
    drawn into `cov` (a new array if None) keeping the larger value where strokes overlap."""
    if cov is None:
        cov = np.zeros(shape, np.float32)
    for p0, p1 in zip(pts, pts[1:], strict=False):
        prev = None
        for x, y in bent_path(p0, p1, rng.uniform(-0.08, 0.08), 12):
            if prev is not None:
                w = max(1, int(round(width * rng.uniform(0.75, 1.2))))
                p = rng.uniform(0.8, 1.0)  # pressure
                # Only the segment's bounding patch: a whole-page array per segment costs seconds.
                lo_x, hi_x = int(min(prev[0], x) - w - 2), int(max(prev[0], x) + w + 3)
                lo_y, hi_y = int(min(prev[1], y) - w - 2), int(max(prev[1], y) + w + 3)
                lo_x, lo_y = max(lo_x, 0), max(lo_y, 0)
                hi_x, hi_y = min(hi_x, shape[1]), min(hi_y, shape[0])
                if hi_x > lo_x and hi_y > lo_y:
                    seg = np.zeros((hi_y - lo_y, hi_x - lo_x), np.float32)
                    a = (int((prev[0] - lo_x) * 4), int((prev[1] - lo_y) * 4))
                    b = (int((x - lo_x) * 4), int((y - lo_y) * 4))
                    cv2.line(seg, a, b, p, w, cv2.LINE_AA, 2)
                    view = cov[lo_y:hi_y, lo_x:hi_x]
                    np.maximum(view, seg, out=view)
            prev = (x, y)
    return cov


def _lay_ink(patch: np.ndarray, cov: np.ndarray, ink: str, rng: random.Random) -> None:
    colour, _, (o0, o1), grain = INKS[ink]
    alpha = cov * rng.uniform(o0, o1)
    if grain:  # the paper's tooth: graphite on the peaks, less in the valleys; the mean stays
        tooth = np.random.default_rng(rng.randint(0, 2**31)).standard_normal(cov.shape).astype(np.float32)
        tooth = cv2.GaussianBlur(tooth, (0, 0), 0.7)
        tooth /= max(float(tooth.std()), 1e-6)
        alpha *= np.clip(1.0 + grain * 1.5 * tooth, 0.0, 1.0 / max(float(alpha.max()), 1e-6))
    for c in range(3):  # multiply: ink filters the paper's light, overlapping strokes darken more
        f = 1.0 - alpha * (1.0 - colour[c] / 255.0)
        patch[..., c] = (patch[..., c].astype(np.float32) * f).astype(np.uint8)


def box_patch(img: np.ndarray, rect: tuple[float, float, float, float]) -> tuple[np.ndarray, int, int]:
    """The page around box `rect` (px) that a mark drawn in it may reach (1.2 box sides each way,
    within the page), as a view of `img`, and its top-left corner (x0, y0)."""
    x, y, w, h = rect
    pad = int(max(w, h) * 1.2)
    x0, y0 = max(int(x) - pad, 0), max(int(y) - pad, 0)
    x1, y1 = min(int(x + w) + pad, img.shape[1]), min(int(y + h) + pad, img.shape[0])
    return img[y0:y1, x0:x1], x0, y0


def draw_mark(
    img: np.ndarray,
    rect: tuple[float, float, float, float],
    kind: str,
    ink: str,
    px_mm: float,
    rng: random.Random,
    x_too: bool = True,
) -> None:
    """Draw one mark of `kind` in `ink` on the colour page `img` over the box `rect` (px).
    `x_too=False`: a crossed-out box's X is drawn (same random draws) but not laid on the page."""
    x, y, w, h = rect
    patch, x0, y0 = box_patch(img, rect)
    shape = patch.shape[:2]
    width = rng.uniform(*INKS[ink][1]) * px_mm

    def P(u: float, v: float) -> tuple[float, float]:
        return (x - x0 + u * w, y - y0 + v * h)

    def j(a: float) -> float:
        return rng.uniform(-a, a)

    strokes: list[list[tuple[float, float]]] = []
    if kind in ("x", "overflow_x"):
        o = rng.uniform(-0.15, 0.2) if kind == "x" else rng.uniform(-0.7, -0.3)
        strokes += [[P(o + j(0.06), o + j(0.06)), P(1 - o + j(0.06), 1 - o + j(0.06))]]
        strokes += [[P(1 - o + j(0.06), o + j(0.06)), P(o + j(0.06), 1 - o + j(0.06))]]
    elif kind == "tick":  # a check mark: short arm down, long arm up and right (often past the box)
        s = rng.uniform(0.8, 1.5)
        a, b = P(0.1 + j(0.06), 0.45 + j(0.1)), P(0.38 + j(0.06), 0.88 + j(0.06))
        strokes += [[a, b, P(0.45 + 0.55 * s + j(0.06), 0.2 - 0.3 * s + j(0.08))]]
    elif kind in ("fill", "partial", "overflow_fill", "crossed"):
        lo, hi = {"partial": (0.35, 0.65), "overflow_fill": (1.15, 1.5)}.get(kind, (0.85, 1.0))
        cover = rng.uniform(lo, hi)
        v0 = rng.uniform(0.05, 1 - cover) if kind == "partial" else (1 - cover) / 2 + j(0.04)
        u0, u1 = (0.05, 0.95) if kind != "overflow_fill" else (0.5 - cover / 2, 0.5 + cover / 2)
        lines = int(5 + 10 * min(cover, 1.0))
        step = cover / lines
        fat = max(width, h * step * 1.7)
        for i in range(lines + 1):
            v = v0 + i * step
            strokes.append([P(u0 + j(0.05), v + j(0.02)), P(u1 + j(0.05), v + j(0.02))])
        width = fat
    elif kind == "scribble":  # a zigzag to and fro across the box
        n = rng.randint(4, 8)
        pts = [P(0.1 + (0.8 if i % 2 else 0.0) + j(0.08), 0.1 + 0.8 * i / n + j(0.04)) for i in range(n + 1)]
        strokes.append(pts)
    elif kind == "pen_rest":
        r = rng.uniform(0.3, 0.6) * px_mm
        cov = np.zeros(shape, np.float32)
        cv2.circle(
            cov,
            (int((P(rng.uniform(0.25, 0.75), 0)[0]) * 4), int(P(0, rng.uniform(0.25, 0.75))[1] * 4)),
            int(r * 4),
            1.0,
            -1,
            cv2.LINE_AA,
            2,
        )
        _lay_ink(patch, cov, ink, rng)
        return
    elif kind == "stray":  # a neighbour's line coming in from the gap between rows
        side = rng.choice((-1, 1))
        u = rng.uniform(0.1, 0.9)
        depth = rng.uniform(0.05, 0.22)
        end = P(u + j(0.1), depth if side < 0 else 1 - depth)
        start = P(u + j(0.3), -0.4 if side < 0 else 1.4)
        strokes.append([start, end])
    elif kind == "erased":  # a pencil cross rubbed out: a pale grey smear
        cov = _coverage(shape, [P(0.1, 0.1), P(0.9, 0.9)], width, rng)
        cov = np.maximum(cov, _coverage(shape, [P(0.9, 0.1), P(0.1, 0.9)], width, rng))
        cov = cv2.GaussianBlur(cov, (0, 0), 0.6 * px_mm) * rng.uniform(0.10, 0.22)
        f = 1.0 - cov * (1.0 - 110 / 255.0)
        for c in range(3):
            patch[..., c] = (patch[..., c].astype(np.float32) * f).astype(np.uint8)
        return
    else:
        raise ValueError(kind)
    cov = np.zeros(shape, np.float32)
    for s in strokes:
        _coverage(shape, s, width, rng, cov)
    _lay_ink(patch, cov, ink, rng)
    if kind == "crossed":  # then a big X over it, often in another pen
        o = rng.uniform(-0.45, -0.25)
        other = rng.choice(["ballpoint_black", "ballpoint_blue", ink])
        w2 = rng.uniform(*INKS[other][1]) * px_mm
        cov = _coverage(shape, [P(o, o), P(1 - o, 1 - o)], w2, rng)
        cov = np.maximum(cov, _coverage(shape, [P(1 - o, o), P(o, 1 - o)], w2, rng))
        _lay_ink(patch if x_too else patch.copy(), cov, other, rng)


def random_marks(keys: list[str], rng: random.Random, style: str) -> dict[str, tuple[str, str, str]]:
    """box key -> (kind, ink, truth) for a sheet. `style`: clear (clear marks only), mixed
    (also light pencil, overflowing marks, crossed-out boxes, non-marks)."""
    out: dict[str, tuple[str, str, str]] = {}
    voter_ink = rng.choice(list(CLEAR_INKS))  # one voter, one pen (mostly)
    for k in keys:
        r = rng.random()
        ink = voter_ink if rng.random() < 0.85 else rng.choice(list(CLEAR_INKS))
        if r < 0.3:
            out[k] = (rng.choice(CLEAR), ink, "marked")
        elif style == "mixed" and r < 0.35:
            out[k] = (rng.choice(("x", "tick", "fill")), "pencil_light", "marked")
        elif style == "mixed" and r < 0.38:
            out[k] = (rng.choice(OVERFLOW), ink, "marked")
        elif style == "mixed" and r < 0.40:
            out[k] = ("crossed", ink, "person")
        elif style == "mixed" and r < 0.48:
            out[k] = (rng.choice(NON_MARKS), "pencil" if rng.random() < 0.4 else ink, "blank")
        else:
            out[k] = ("", "", "blank")
    return out


# ---------------------------------------------------------------------------- capture


def random_capture(rng: random.Random, family: str) -> Capture:
    """A capture of one `family`: straight (whole page on the bed), edge_crop, corner_cut, phone,
    phone_cut (a photo whose frame missed one corner of the page, its square with it: the page
    turned 12-30° in the frame, so that one corner sticks out of it by 25-45 mm)."""
    if family == "phone_cut":
        cap = random_capture(rng, "phone")
        cap.frame = "corner_cut"
        cap.skew = rng.choice((-1, 1)) * rng.uniform(12.0, 30.0)
        cap.cut_corner = rng.randrange(4)
        cap.cut_mm = rng.uniform(25.0, 45.0)
        return cap
    if family == "phone":
        return Capture(
            device="phone",
            dpi=rng.choice((150, 180, 200, 250, 300)),
            mode="colour",
            turn=rng.choice((0, 90, 180, 270)),
            skew=rng.uniform(-20, 20),
            jpeg=rng.randint(60, 92),
            blur=rng.choice((0.0, rng.uniform(0.3, 1.2), rng.uniform(0.3, 1.2))),
            noise=rng.uniform(1, 6),
            light=rng.uniform(0.05, 0.45),
            shadow=rng.choice((0.0, 0.0, rng.uniform(0.1, 0.35))),
            tilt=rng.uniform(0.0, 0.08),
            cast=(rng.uniform(0.85, 1.05), 1.0, rng.uniform(0.95, 1.15)),
            lid=rng.randint(30, 140),
            extra={"motion": rng.random() < 0.2},
        )
    dpi = rng.choice((150, 200, 200, 300, 300, 600)) if rng.random() < 0.97 else 600
    mode = rng.choice(("colour", "grey", "grey", "bitonal"))
    if dpi == 600 and mode == "colour":
        mode = "grey"
    cap = Capture(
        device="scanner",
        dpi=dpi,
        mode=mode,
        turn=rng.choice((0, 0, 0, 90, 180, 180, 270)),
        skew=rng.uniform(-5, 5),
        frame=family if family in ("edge_crop", "corner_cut") else "inside",
        lid=rng.choice((255, 255, rng.randint(150, 210), rng.randint(10, 60))),
        show_through=rng.choice((0.0, 0.0, rng.uniform(0.02, 0.05))),  # a printed back through 80 g/m² paper
        dither=rng.random() < 0.3,
        threshold=rng.randint(110, 170),
        jpeg=rng.choice((0, 0, rng.randint(70, 95))) if mode != "bitonal" else 0,
        blur=rng.uniform(0, 0.7),
        noise=rng.uniform(0, 4),
    )
    if cap.frame == "edge_crop":
        cap.cut_mm = rng.uniform(1.0, 7.0)  # an ADF or a badly placed page: a band off one edge
        cap.cut_corner = rng.randrange(4)
        cap.skew = rng.uniform(-1.0, 1.0)
    elif cap.frame == "corner_cut":
        cap.cut_mm = rng.uniform(6.0, 28.0)  # deep at one corner: the corner square or the code's top rows
        cap.cut_corner = rng.randrange(4)
        cap.skew = rng.choice((-1, 1)) * rng.uniform(2.5, 5.0)
    return cap


def _rot(angle: float, centre: tuple[float, float]) -> np.ndarray:
    return cv2.getRotationMatrix2D(centre, angle, 1.0)


def capture(img: np.ndarray, cap: Capture, rng: random.Random) -> tuple[bytes, str]:
    """Capture the colour page `img` (already marked, at `cap.dpi` for a scanner) as a device
    would: returns the file's bytes and its suffix. Sets `cap.corners_cut`."""
    if cap.show_through:
        back = cv2.GaussianBlur(cv2.flip(img, 1), (0, 0), 1.5)
        dark = 255.0 - back.astype(np.float32)
        img = np.clip(img.astype(np.float32) - cap.show_through * dark, 0, 255).astype(np.uint8)
    out = _phone(img, cap, rng) if cap.device == "phone" else _scanner(img, cap, rng)
    if cap.mode != "colour":  # a grey or 1-bit scanner's sensor sees luminance
        out = cv2.cvtColor(out, cv2.COLOR_BGR2GRAY)
    if cap.blur:
        if cap.extra.get("motion"):
            k = max(int(cap.blur * 4), 2)
            kernel = np.zeros((k, k), np.float32)
            cv2.line(kernel, (0, rng.randrange(k)), (k - 1, rng.randrange(k)), 1.0, 1)
            out = cv2.filter2D(out, -1, kernel / kernel.sum())
        else:
            out = cv2.GaussianBlur(out, (0, 0), cap.blur)
    if cap.noise:
        cv2.setRNGSeed(rng.randint(0, 2**31))
        noise = np.zeros(out.shape, np.int16)
        cv2.randn(noise, 0, cap.noise)
        out = cv2.add(out.astype(np.int16), noise, dtype=cv2.CV_16S).clip(0, 255).astype(np.uint8)
    if cap.mode == "bitonal":
        return _bitonal(out, cap, rng)
    if cap.jpeg:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, cap.jpeg])
        return buf.tobytes(), ".jpg"
    ok, buf = cv2.imencode(".png", out, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    return buf.tobytes(), ".png"


def _bitonal(grey: np.ndarray, cap: Capture, rng: random.Random) -> tuple[bytes, str]:
    from PIL import Image

    if cap.dither:  # the copier's "photo" mode: Floyd-Steinberg (PIL's default for mode "1")
        im = Image.fromarray(grey).convert("1")
    else:  # "text" mode: a fixed threshold
        im = Image.fromarray(((grey >= cap.threshold) * 255).astype(np.uint8)).convert("1", dither=Image.Dither.NONE)
    buf = io.BytesIO()
    if rng.random() < 0.5:
        im.save(buf, format="TIFF", compression="group4", dpi=(cap.dpi, cap.dpi))
        return buf.getvalue(), ".tif"
    im.save(buf, format="PNG")
    return buf.getvalue(), ".png"


def _scanner(img: np.ndarray, cap: Capture, rng: random.Random) -> np.ndarray:
    h, w = img.shape[:2]
    px_mm = cap.dpi / 25.4
    # Turn and skew the page about its centre, onto a canvas big enough to hold it.
    angle = cap.turn + cap.skew
    rad = math.radians(angle)
    cw = int(abs(w * math.cos(rad)) + abs(h * math.sin(rad))) + 2
    ch = int(abs(w * math.sin(rad)) + abs(h * math.cos(rad))) + 2
    m = _rot(angle, (w / 2, h / 2))
    m[0, 2] += cw / 2 - w / 2
    m[1, 2] += ch / 2 - h / 2
    corners = np.array([[0, 0, 1], [w, 0, 1], [w, h, 1], [0, h, 1]], np.float64) @ m.T  # page corners on the canvas
    # The bed: the canvas plus a margin of lid around the page, then the frame cuts as asked.
    margin = rng.uniform(2, 12) * px_mm
    left, top, right, bottom = -margin, -margin, cw + margin, ch + margin
    if cap.frame in ("edge_crop", "corner_cut"):
        cx, cy = corners[cap.cut_corner]
        d = cap.cut_mm * px_mm
        # The bed edge nearest that corner cuts `d` into it (a skewed page: deepest at that corner).
        if cap.frame == "edge_crop" or rng.random() < 0.5:
            if cx < cw / 2:
                left = cx + d
            else:
                right = cx - d
        if cap.frame == "corner_cut" and (left == -margin and right == cw + margin or rng.random() < 0.3):
            if cy < ch / 2:
                top = cy + d
            else:
                bottom = cy - d
    # Corner regions cut: page corners that lost more than CUT_DEPTH_MM to the frame.
    cap.corners_cut = _corners_cut(corners, (left, top, right, bottom), CUT_DEPTH_MM * px_mm)
    m[0, 2] -= left
    m[1, 2] -= top
    size = (int(right - left), int(bottom - top))
    lid = (cap.lid,) * 3
    out = cv2.warpAffine(img, m, size, flags=cv2.INTER_AREA if cap.dpi < 200 else cv2.INTER_LINEAR, borderValue=lid)
    if cap.lid < 230:  # the shadow line a page's edge casts on a dark or grey lid
        mask = np.zeros(size[::-1], np.uint8)
        pts = (corners[:, :2] - [left, top]).astype(np.int32)
        cv2.polylines(mask, [pts], True, 1, max(int(0.4 * px_mm), 1))
        out[mask > 0] = (np.minimum(out[mask > 0].astype(np.int16), cap.lid) * 0.7).astype(np.uint8)
    return out


def _corners_cut(corners: np.ndarray, bed: tuple[float, float, float, float], depth: float) -> int:
    """How many page corners lost more than `depth` (along the page's diagonal) to the frame."""
    left, top, right, bottom = bed
    centre = corners[:, :2].mean(axis=0)
    n = 0
    for x, y in corners[:, :2]:
        d = np.array([x, y]) - centre
        p = np.array([x, y]) - d / np.linalg.norm(d) * depth * math.sqrt(2)
        if not (left <= p[0] <= right and top <= p[1] <= bottom):
            n += 1
    return n


def _phone(img: np.ndarray, cap: Capture, rng: random.Random) -> np.ndarray:
    h, w = img.shape[:2]
    long_px = int(cap.dpi * 11.7)
    k = long_px / max(w, h)
    # The camera: the page somewhere in the frame, any way round, seen at an angle.
    frame_w, frame_h = int(long_px * 1.12), int(long_px * 1.12)
    if cap.frame == "corner_cut":  # the page turned well round: the frame holds all of it, then misses one corner
        a = math.radians(cap.turn + cap.skew)
        span = int(
            max(abs(w * math.cos(a)) + abs(h * math.sin(a)), abs(w * math.sin(a)) + abs(h * math.cos(a))) * k * 1.1
        )
        frame_w = frame_h = max(frame_w, span)
    cx, cy = frame_w / 2 + rng.uniform(-0.05, 0.05) * frame_w, frame_h / 2 + rng.uniform(-0.05, 0.05) * frame_h
    angle = math.radians(cap.turn + cap.skew)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    dst = []
    for x, y in src:
        u, v = (x - w / 2) * k, (y - h / 2) * k
        u, v = u * math.cos(angle) - v * math.sin(angle), u * math.sin(angle) + v * math.cos(angle)
        t = cap.tilt * long_px
        dst.append([cx + u + rng.uniform(-t, t), cy + v + rng.uniform(-t, t)])
    m = cv2.getPerspectiveTransform(src, np.array(dst, np.float32))
    g = np.random.default_rng(rng.randint(0, 2**31))
    small = (frame_w // 8 + 1, frame_h // 8 + 1)
    grain = cv2.resize(
        g.normal(0, 8, small[::-1]).astype(np.float32), (frame_w, frame_h), interpolation=cv2.INTER_NEAREST
    )
    table = np.clip(cap.lid + grain, 0, 255).astype(np.uint8)
    table = cv2.cvtColor(table, cv2.COLOR_GRAY2BGR)
    out = cv2.warpPerspective(
        img, m, (frame_w, frame_h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_TRANSPARENT, dst=table
    )
    # Light, worked out on a copy 1/8 the size (it varies slowly) and scaled up.
    sw, sh = small
    f = np.ones((sh, sw), np.float32)
    if cap.light:
        a = rng.uniform(0, 2 * math.pi)
        ramp = (np.cos(a) * np.linspace(-1, 1, sw)[None, :] + np.sin(a) * np.linspace(-1, 1, sh)[:, None]) / 2 + 0.5
        f *= 1 - cap.light * np.clip(ramp, 0, 1).astype(np.float32)
        yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
        r2 = ((xx - sw / 2) ** 2 + (yy - sh / 2) ** 2) / (sw * sw / 4)
        f *= 1 - 0.15 * cap.light * r2  # vignetting
    if cap.shadow:
        blob = np.zeros((sh, sw), np.float32)
        centre = (int(rng.uniform(0, sw)), int(rng.uniform(0, sh)))
        axes = (int(sw * rng.uniform(0.15, 0.4)), int(sh * rng.uniform(0.1, 0.3)))
        cv2.ellipse(blob, centre, axes, rng.uniform(0, 180), 0, 360, 1.0, -1)
        f *= 1 - cap.shadow * cv2.GaussianBlur(blob, (0, 0), sw * 0.04)
    f = cv2.resize(f, (frame_w, frame_h), interpolation=cv2.INTER_LINEAR)
    out = cv2.multiply(out, cv2.merge([f * c for c in cap.cast]), dtype=cv2.CV_8U)
    cap.corners_cut = 0
    if cap.frame == "corner_cut":
        # The photo's frame missed a corner of the page: its edge (a straight line, across x or
        # y, whichever the corner sticks out along most) passes `cut_mm` inside that corner.
        px_mm = long_px / 297.0
        x, y = dst[cap.cut_corner]
        dx, dy = x - cx, y - cy
        x0, y0, x1, y1 = 0, 0, frame_w, frame_h
        d = cap.cut_mm * px_mm
        if abs(dx) > abs(dy):
            x0, x1 = (int(x + d), x1) if dx < 0 else (x0, int(x - d))
        else:
            y0, y1 = (int(y + d), y1) if dy < 0 else (y0, int(y - d))
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, frame_w), min(y1, frame_h)
        out = np.ascontiguousarray(out[y0:y1, x0:x1])
        cap.corners_cut = _corners_cut(np.array(dst), (x0, y0, x1, y1), CUT_DEPTH_MM * px_mm)
    return out
