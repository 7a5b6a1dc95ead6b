"""Grey-level statistics of 8-bit images, from a histogram.

`percentile(a, q)` equals `np.percentile(a, q)` (linear interpolation between order statistics)
for uint8 arrays, but counts 256 bins instead of partially sorting: 5-20x faster on the patches
and reduced pages the reader measures many times per sheet; of a float array, one partition
(10x faster than numpy's checks on a box's few hundred values). `percentiles(a, q1, q2, ...)` counts
them once for several. `median` of a box-sized patch partitions instead (its two middle values:
half the cost of counting 256 bins there). Other dtypes go to numpy.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

DARK = 0.30  # darkness (0 paper, 1 the sheet's solid ink) for a pixel to count as ink
_CALC_HIST = 8192  # pixels: above, cv2.calcHist counts 2-4x faster (below, its call costs more than the count)


def percentile(a: np.ndarray, q: float) -> float:
    if a.dtype.kind == "f" and a.size:
        return _float_percentile(a.ravel(), q)
    if a.dtype != np.uint8 or a.size == 0:
        return float(np.percentile(a, q))
    return _at(_cumulative(a), a.size, q)


def _float_percentile(a: np.ndarray, q: float) -> float:
    """`np.percentile(a, q)` of a 1-D float array, the same float (numpy's linear interpolation,
    `_lerp`'s two forms either side of a half, in the array's own precision), from one partition:
    numpy's own checks cost ten times the work on a box's zones (`crossed_out.x_over_fill` asks
    eight a box; the property test holds it to numpy)."""
    n = a.size
    pos = (n - 1) * (q / 100.0)
    k = math.floor(pos)
    if k + 1 >= n:
        return float(np.partition(a, n - 1)[n - 1])
    t = pos - k
    part = np.partition(a, (k, k + 1))
    lo, hi = part[k], part[k + 1]
    diff = hi - lo
    return float(hi - diff * (1 - t)) if t >= 0.5 else float(lo + diff * t)


def percentiles(a: np.ndarray, *qs: float) -> tuple[float, ...]:
    """`percentile(a, q)` for each q, from one count of the pixels."""
    if a.dtype != np.uint8 or a.size == 0:
        return tuple(float(np.percentile(a, q)) for q in qs)
    counts = _cumulative(a)
    return tuple(_at(counts, a.size, q) for q in qs)


def _cumulative(a: np.ndarray) -> np.ndarray:
    """How many pixels are at or below each of the 256 levels."""
    if a.size > _CALC_HIST:
        # OpenCV's histogram reads the uint8 pixels in place; np.bincount first widens every one
        # of them to a 64-bit index (the same counts: exact in float32 below 2^24 pixels).
        return cv2.calcHist([a], [0], None, [256], [0, 256]).ravel().astype(np.int64).cumsum()
    return np.bincount(a.ravel(), minlength=256).cumsum()


def _at(counts: np.ndarray, size: int, q: float) -> float:
    pos = (size - 1) * q / 100.0
    k = math.floor(pos)
    lo = int(counts.searchsorted(k + 1))  # the (k+1)-th smallest value
    frac = pos - k
    if frac == 0.0:
        return float(lo)
    hi = int(counts.searchsorted(k + 2))
    return lo + frac * (hi - lo)


def median(a: np.ndarray) -> float:
    if a.dtype != np.uint8 or a.size == 0 or a.size > _CALC_HIST:
        return percentile(a, 50.0)
    # The two middle values by a partial sort (the same order statistics, the same arithmetic).
    part = a.flatten()  # a copy to partition in place (np.partition's own copy, without its wrappers)
    pos = (part.size - 1) * 0.5
    k = math.floor(pos)
    if pos == k:
        part.partition(k)
        return float(part[k])
    part.partition((k, k + 1))
    lo = int(part[k])
    return lo + 0.5 * (int(part[k + 1]) - lo)


def nonzero(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.nonzero(mask)` of a 2-D bool or uint8 mask: the same rows and columns (intp), in the
    same row-major order, from OpenCV's findNonZero, which scans rows in that order (numpy's own
    nonzero costs 3x more on a box's crop; the reader asks ~40 times per sheet). Other masks go
    to numpy."""
    if mask.ndim != 2 or mask.dtype not in (np.bool_, np.uint8) or mask.strides[1] != 1 or mask.size == 0:
        return np.nonzero(mask)  # type: ignore[return-value]
    pts = cv2.findNonZero(mask.view(np.uint8))
    if pts is None:
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    xy = pts.reshape(-1, 2)
    return xy[:, 1].astype(np.intp), xy[:, 0].astype(np.intp)


def share(mask: np.ndarray) -> float:
    """`float(mask.mean())` of a bool or integer mask (the share of it inked), without numpy's
    Python-level mean: the count is exact, and count / size is the same correctly rounded quotient
    mean's float64 sum / size gives. The reader takes ~200 such shares per sheet."""
    if mask.size == 0:
        return float("nan")  # numpy's mean of nothing (without its warning)
    if mask.dtype == np.bool_:
        return np.count_nonzero(mask) / mask.size
    return int(mask.sum()) / mask.size
