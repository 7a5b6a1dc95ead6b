"""Synthetic scanned ballots with ground truth: hand-like marks, non-marks and degradations.

Used by bench/bench_scan.py (accuracy over >= 100 000 boxes) and by the paper tests (small,
deterministic cases). Everything is drawn with OpenCV on pages rendered from our own PDFs with
pdfium, so the reader sees exactly what a scanner would give it for a real printed ballot.

Marks (truth "marked"): x, tick, fill, partial — with pen, pencil or felt pen, varied width,
pressure, position and overshoot. Non-marks (truth "blank"): dot, stray (a neighbour's line
clipping an edge), and blank boxes; folds and streaks are page degradations that may cross boxes.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

MARKS = ("x", "tick", "fill", "partial")
NON_MARKS = ("dot", "stray")
TOOLS = {  # grey level range, width range in mm
    "pen": ((15, 70), (0.35, 0.7)),
    "pencil": ((95, 150), (0.35, 0.6)),
    "felt": ((10, 45), (0.8, 1.5)),
}
# Drawn on request only (tests, the hard-marks bench): not in TOOLS, so seeded corpora stay the same.
EXTRA_TOOLS = {"light": ((165, 215), (0.3, 0.5))}  # a pencil pressed lightly: plainly visible, below the ink level


@dataclass
class Degrade:
    angle: float = 0.0  # degrees, any
    scale: float = 1.0  # 0.9 .. 1.1 printer scaling
    perspective: float = 0.0  # corner jitter as a share of the page
    blur: float = 0.0  # gaussian sigma in px
    noise: float = 0.0  # gaussian sigma in grey levels
    specks: int = 0  # salt-and-pepper specks
    contrast: tuple[int, int] = (0, 255)  # ink, paper grey after the scan
    jpeg: int = 0  # quality, 0 = PNG
    folds: int = 0
    streaks: int = 0
    light: float = 0.0  # uneven light (phone photo): the darkest corner gets this much less light
    background: int = 255  # what is around the page: a white scanner lid, or a dark table under a phone
    fold_through: list[int] = field(default_factory=list)  # box indexes a fold goes through


def render_pdf_pages(pdf: Path, dpi: int) -> list[np.ndarray]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for i in range(len(doc)):
            a = doc[i].render(scale=dpi / 72, grayscale=True).to_numpy()
            out.append((a[..., 0] if a.ndim == 3 else a).copy())
        return out
    finally:
        doc.close()


def bent_path(start: tuple[float, float], end: tuple[float, float], bend: float, n: int) -> list[tuple[float, float]]:
    """`n + 1` points along a hand's slightly bent line from `start` to `end`: a quadratic curve
    whose middle is pushed aside by `bend` times the line's length (used by both corpora)."""
    (x0, y0), (x1, y1) = start, end
    mx, my = (x0 + x1) / 2 - (y1 - y0) * bend, (y0 + y1) / 2 + (x1 - x0) * bend
    out = []
    for i in range(n + 1):
        t = i / n
        out.append(
            (
                (1 - t) ** 2 * x0 + 2 * (1 - t) * t * mx + t * t * x1,
                (1 - t) ** 2 * y0 + 2 * (1 - t) * t * my + t * t * y1,
            )
        )
    return out


def _stroke(img: np.ndarray, pts: list[tuple[float, float]], grey: int, width: float, rng: random.Random) -> None:
    """A hand-like stroke: a slightly bent polyline, pressure varying along it."""
    prev = None
    for x, y in bent_path(pts[0], pts[-1], rng.uniform(-0.08, 0.08), 14):
        if prev is not None:
            w = max(1, int(round(width * rng.uniform(0.8, 1.15))))
            g = int(np.clip(grey + rng.uniform(-12, 12), 0, 255))
            cv2.line(img, (int(prev[0]), int(prev[1])), (int(x), int(y)), g, w, cv2.LINE_AA)
        prev = (x, y)


def draw(
    img: np.ndarray, rect: tuple[float, float, float, float], kind: str, tool: str, px_mm: float, rng: random.Random
) -> None:
    x, y, w, h = rect
    (g0, g1), (w0, w1) = TOOLS[tool] if tool in TOOLS else EXTRA_TOOLS[tool]
    grey = rng.randint(g0, g1)
    width = rng.uniform(w0, w1) * px_mm

    def P(u: float, v: float) -> tuple[float, float]:
        return (x + u * w, y + v * h)

    def j(a: float) -> float:
        return rng.uniform(-a, a)

    if kind == "x":
        o = rng.uniform(-0.25, 0.2)  # negative: overshoot outside the box
        _stroke(img, [P(o + j(0.05), o + j(0.05)), P(1 - o + j(0.05), 1 - o + j(0.05))], grey, width, rng)
        _stroke(img, [P(1 - o + j(0.05), o + j(0.05)), P(o + j(0.05), 1 - o + j(0.05))], grey, width, rng)
    elif kind == "tick":
        s = rng.uniform(0.8, 1.25)
        a = P(0.15 + j(0.05), 0.5 + j(0.08))
        b = P(0.4 + j(0.05), 0.85 + j(0.06))
        c = P(0.5 + 0.5 * s + j(0.05), 0.15 - 0.15 * s + j(0.06))
        _stroke(img, [a, b], grey, width, rng)
        _stroke(img, [b, c], grey, width, rng)
    elif kind in ("fill", "partial"):
        cover = rng.uniform(0.85, 1.0) if kind == "fill" else rng.uniform(0.4, 0.7)
        lines = int(4 + 10 * cover)
        v0 = rng.uniform(0.05, 1 - cover) if kind == "partial" else rng.uniform(-0.02, 0.06)
        step = cover / lines
        fat = max(width, h * step * 1.6)
        for i in range(lines + 1):
            v = v0 + i * step
            _stroke(img, [P(0.05 + j(0.05), v + j(0.02)), P(0.95 + j(0.05), v + j(0.02))], grey, fat, rng)
    elif kind == "crossed":  # a filled box crossed out with a big X running out of it
        draw(img, rect, "fill", tool, px_mm, rng)
        o = rng.uniform(-0.4, -0.25)
        _stroke(img, [P(o, o), P(1 - o, 1 - o)], 20, 0.6 * px_mm, rng)
        _stroke(img, [P(1 - o, o), P(o, 1 - o)], 20, 0.6 * px_mm, rng)
    elif kind == "dot":
        r = rng.uniform(0.25, 0.7) * px_mm
        cv2.circle(
            img,
            (int(x + rng.uniform(0.25, 0.75) * w), int(y + rng.uniform(0.25, 0.75) * h)),
            max(int(r), 1),
            grey,
            -1,
            cv2.LINE_AA,
        )
    elif kind == "stray":
        # a neighbour's stroke coming in from above or below and stopping near the edge
        side = rng.choice((-1, 1))
        depth = rng.uniform(0.05, 0.25)
        u = rng.uniform(0.1, 0.9)
        end = P(u + j(0.1), depth) if side < 0 else P(u + j(0.1), 1 - depth)
        # it starts in the gap between rows (a neighbour's overshoot), not inside another box
        start = P(u + j(0.3), -0.35) if side < 0 else P(u + j(0.3), 1.35)
        _stroke(img, [start, end], grey, width, rng)
    else:
        raise ValueError(kind)


def degrade(img: np.ndarray, d: Degrade, rng: random.Random, fold_points: list[tuple[float, float]]) -> np.ndarray:
    h, w = img.shape
    out = img
    for i in range(d.folds):
        # A crease: a light-grey line across the whole page, through a box when asked.
        if i < len(fold_points):
            cx, cy = fold_points[i]
        else:
            cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        a = rng.uniform(0, math.pi)
        dx, dy = math.cos(a) * 3 * max(w, h), math.sin(a) * 3 * max(w, h)
        g = rng.randint(120, 190)
        layer = np.full_like(out, 255)
        cv2.line(layer, (int(cx - dx), int(cy - dy)), (int(cx + dx), int(cy + dy)), g, rng.randint(1, 3), cv2.LINE_AA)
        out = np.minimum(out, layer)  # a crease's shadow darkens paper, never lightens ink
    # Geometry: printer scaling around the centre, rotation, perspective; the scanner bed is white.
    c = np.array([w / 2, h / 2])
    rad = math.radians(d.angle)
    rot = np.array([[math.cos(rad), -math.sin(rad)], [math.sin(rad), math.cos(rad)]]) * d.scale
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64)
    moved = (corners - c) @ rot.T
    moved += np.array(
        [[rng.uniform(-1, 1) * d.perspective * w, rng.uniform(-1, 1) * d.perspective * h] for _ in range(4)]
    )
    pad = 20 if d.background == 255 else 150
    lo = moved.min(axis=0) - pad
    moved -= lo
    size = (int(moved[:, 0].max() + pad), int(moved[:, 1].max() + pad))
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), moved.astype(np.float32))
    out = cv2.warpPerspective(out, m, size, flags=cv2.INTER_LINEAR, borderValue=d.background)
    if d.blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), d.blur)
    ink, paper = d.contrast
    if (ink, paper) != (0, 255):
        out = (out.astype(np.float32) * ((paper - ink) / 255.0) + ink).astype(np.uint8)
    if d.light > 0:
        hh, ww = out.shape
        a = rng.uniform(0, 2 * math.pi)
        ramp = (np.cos(a) * np.linspace(-1, 1, ww)[None, :] + np.sin(a) * np.linspace(-1, 1, hh)[:, None]) / 2 + 0.5
        out = np.clip(out.astype(np.float32) * (1 - d.light * np.clip(ramp, 0, 1)), 0, 255).astype(np.uint8)
    for _ in range(d.streaks):
        x = rng.randint(0, out.shape[1] - 1)
        cv2.line(out, (x, 0), (x, out.shape[0]), rng.randint(110, 200), rng.randint(1, 2))
    if d.noise > 0:
        out = np.clip(
            out.astype(np.float32) + np.random.default_rng(rng.randint(0, 2**31)).normal(0, d.noise, out.shape), 0, 255
        ).astype(np.uint8)
    if d.specks:
        g = np.random.default_rng(rng.randint(0, 2**31))
        ys, xs = g.integers(0, out.shape[0], d.specks), g.integers(0, out.shape[1], d.specks)
        out[ys, xs] = g.choice(np.array([0, 255], np.uint8), d.specks)
    return out


def encode(img: np.ndarray, jpeg: int) -> bytes:
    if jpeg:
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, jpeg])
    else:
        ok, buf = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    assert ok
    return buf.tobytes()


def random_degrade(rng: random.Random, level: str = "mixed") -> Degrade:
    if level == "clean":
        return Degrade()
    heavy = level == "heavy" or rng.random() < 0.3
    return Degrade(
        angle=rng.choice(
            [
                rng.uniform(-3, 3),
                rng.uniform(-3, 3),
                180 + rng.uniform(-3, 3),
                90 + rng.uniform(-2, 2),
                rng.uniform(0, 360),
            ]
        ),
        scale=rng.uniform(0.9, 1.1),
        perspective=rng.uniform(0, 0.04) if heavy else rng.uniform(0, 0.01),
        blur=rng.uniform(0, 1.3) if heavy else rng.uniform(0, 0.6),
        noise=rng.uniform(0, 12) if heavy else rng.uniform(0, 5),
        specks=rng.randint(0, 3000) if heavy else 0,
        contrast=(rng.randint(40, 110), rng.randint(170, 235)) if heavy and rng.random() < 0.5 else (0, 255),
        jpeg=rng.choice([0, rng.randint(30, 95), rng.randint(60, 95)]),
        folds=rng.choice([0, 0, 1, 2]),
        streaks=rng.choice([0, 0, 0, 1, 2]),
        light=rng.uniform(0.1, 0.45) if heavy and rng.random() < 0.5 else 0.0,
    )


@dataclass
class Sheet:
    data: bytes  # encoded image file
    truth: dict[str, str]  # box key -> "marked" | "blank"
    kinds: dict[str, str]  # box key -> what was drawn ("", x, tick, fill, partial, dot, stray)
    degrade: Degrade
    dpi: int
    serial: str


def mark_sheet(
    page: np.ndarray,
    lay,
    sheet: int,
    dpi: int,
    rng: random.Random,
    *,
    mark_share: float = 0.3,
    nonmark_share: float = 0.15,
    level: str = "mixed",
    serial: str = "",
) -> Sheet:
    """Draw random marks on a rendered page, degrade it, encode it; return it with its truth."""
    img = page.copy()
    k = dpi / 72
    px_mm = dpi / 25.4
    truth, kinds = {}, {}
    fold_points = []
    d = random_degrade(rng, level)
    for b in lay.sheet_boxes(sheet):
        r = rng.random()
        rect = tuple(v * k for v in b.rect)
        tool = rng.choice(list(TOOLS))
        if r < mark_share:
            kind = rng.choice(MARKS)
            draw(img, rect, kind, tool, px_mm, rng)
            truth[b.key], kinds[b.key] = "marked", kind
        elif r < mark_share + nonmark_share:
            kind = rng.choice(NON_MARKS)
            draw(img, rect, kind, "pencil" if kind == "dot" and rng.random() < 0.5 else tool, px_mm, rng)
            truth[b.key], kinds[b.key] = "blank", kind
        else:
            truth[b.key], kinds[b.key] = "blank", ""
        if d.folds and len(fold_points) < d.folds and rng.random() < 0.2:
            fold_points.append((rect[0] + rect[2] * rng.uniform(0.3, 0.7), rect[1] + rect[3] * rng.uniform(0.3, 0.7)))
    out = degrade(img, d, rng, fold_points)
    return Sheet(encode(out, d.jpeg), truth, kinds, d, dpi, serial)
