"""Printed box outlines as bands on the page, for the crease tests that sample a line across it.

Contract: `outline_bands(rects, line)` turns a sheet's box rectangles (page points) into bands
(x0, y0, x1, y1, margin); `in_boxes(pts, bands)` says which page points fall on a box (its
outline or inside it), `near_outlines(pts, bands)` which fall on an outline only. Pure geometry
in page points: no image, no crop.
"""

from __future__ import annotations

import numpy as np


def outline_bands(rects: list[tuple[float, float, float, float]], line: float) -> np.ndarray:
    """Where printed box outlines are, for `continues`: (x, y, w, h) rects in page points ->
    rows (x0, y0, x1, y1, margin), margin = half the line and 1.5 pt (blur, misregistration)."""
    d = line / 2 + 1.5
    return np.array([(x, y, x + w, y + h, d) for x, y, w, h in rects], np.float64).reshape(-1, 5)


def in_boxes(pts: np.ndarray, bands: np.ndarray) -> np.ndarray:
    """For page points (..., 2): does each fall on a box, its printed outline (with the band's
    margin) or inside it? Shape `pts.shape[:-1]`."""
    return _on_bands(pts, bands, inside=True)


def near_outlines(pts: np.ndarray, bands: np.ndarray) -> np.ndarray:
    """For page points (..., 2): does each fall on a printed outline? Shape `pts.shape[:-1]`."""
    return _on_bands(pts, bands, inside=False)


def _on_bands(pts: np.ndarray, bands: np.ndarray, inside: bool) -> np.ndarray:
    """Points on a box's outline band (x0 - d .. x1 + d), and with `inside` also those within it.
    Only the boxes whose bands come near the points' bounding box are compared (a page holds
    hundreds; a line's samples pass few)."""
    flat = pts.reshape(-1, 2)
    lo, hi = flat.min(axis=0), flat.max(axis=0)
    x0, y0, x1, y1, d = (bands[:, i] for i in range(5))
    near = (x0 - d <= hi[0]) & (x1 + d >= lo[0]) & (y0 - d <= hi[1]) & (y1 + d >= lo[1])
    if not near.any():
        return np.zeros(pts.shape[:-1], bool)
    x0, y0, x1, y1, d = (v[near][None, :] for v in (x0, y0, x1, y1, d))
    px, py = flat[:, 0:1], flat[:, 1:2]
    on = (px >= x0 - d) & (px <= x1 + d) & (py >= y0 - d) & (py <= y1 + d)
    if not inside:
        on &= ~((px > x0 + d) & (px < x1 - d) & (py > y0 + d) & (py < y1 - d))
    return on.any(axis=1).reshape(pts.shape[:-1])
