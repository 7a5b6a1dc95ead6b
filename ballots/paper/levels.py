"""Grey-level statistics of 8-bit images, from a histogram.

`percentile(a, q)` equals `np.percentile(a, q)` (linear interpolation between order statistics)
for uint8 arrays, but counts 256 bins instead of partially sorting: 5-20x faster on the patches
and reduced pages the reader measures many times per sheet. Other dtypes go to numpy.
"""

from __future__ import annotations

import cv2
import numpy as np

DARK = 0.30  # darkness (0 paper, 1 the sheet's solid ink) for a pixel to count as ink
_CALC_HIST = 8192  # pixels: above, cv2.calcHist counts 2-4x faster (below, its call costs more than the count)


def percentile(a: np.ndarray, q: float) -> float:
    if a.dtype != np.uint8 or a.size == 0:
        return float(np.percentile(a, q))
    if a.size > _CALC_HIST:
        # OpenCV's histogram reads the uint8 pixels in place; np.bincount first widens every one
        # of them to a 64-bit index (the same counts: exact in float32 below 2^24 pixels).
        counts = cv2.calcHist([a], [0], None, [256], [0, 256]).ravel().astype(np.int64).cumsum()
    else:
        counts = np.bincount(a.ravel(), minlength=256).cumsum()
    pos = (a.size - 1) * q / 100.0
    k = int(np.floor(pos))
    lo = int(np.searchsorted(counts, k + 1))  # the (k+1)-th smallest value
    frac = pos - k
    if frac == 0.0:
        return float(lo)
    hi = int(np.searchsorted(counts, k + 2))
    return lo + frac * (hi - lo)


def median(a: np.ndarray) -> float:
    return percentile(a, 50.0)
