"""Helpers for the paper tests: real PDFs printed by our code, rendered by pdfium, marked with OpenCV."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from bench import paper_corpus

DPI = 150


def render(pdf: Path, dpi: int = DPI) -> list[np.ndarray]:
    return paper_corpus.render_pdf_pages(pdf, dpi)


def mark(
    page: np.ndarray, lay, marks: dict[str, str], *, dpi: int = DPI, sheet: int = 1, seed: int = 1, tool: str = "pen"
) -> np.ndarray:
    """Draw `marks` (box key -> kind: x, tick, fill, partial, dot, stray) on a copy of `page`."""
    img = page.copy()
    rng = random.Random(seed)
    k = dpi / 72
    for b in lay.sheet_boxes(sheet):
        if b.key in marks:
            paper_corpus.draw(img, tuple(v * k for v in b.rect), marks[b.key], tool, dpi / 25.4, rng)
    return img


def write(img: np.ndarray, path: Path, jpeg: int = 0) -> Path:
    path.write_bytes(paper_corpus.encode(img, jpeg))
    return path


def turn(img: np.ndarray, angle: float, scale: float = 1.0) -> np.ndarray:
    d = paper_corpus.Degrade(angle=angle, scale=scale)
    return paper_corpus.degrade(img.copy(), d, random.Random(0), [])
