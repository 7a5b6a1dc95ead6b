"""The sheet's own paper level anywhere on the page, measured beyond any mark.

Contract: `PagePaper(gray, loc).around(rect)` is the grey level of the blank paper around the
page rectangle `rect` (points): the page reduced to about one pixel per millimetre, then closed
(grey dilation, then erosion) with a window wider than any mark, word or filled neighbour group
(`WINDOW_MM`): whatever is darker than the paper and narrower than that (ink, print, a row of
overflowing fills) is filled with the paper beside it, while light falling off across a photo
(a slope, far wider than the window) is kept. Worked out once per sheet, when first asked.

Why: a box's paper is measured in its own crop (`marks.read_box`), which is cheap and follows the
light; but a fill that overflows the box can cover the whole crop, and the crop's "paper" is then
the ink itself, every pixel as light as that "paper", the box read empty. The page's paper around
the box is never taken from ink: a box darker than it is never blank.
"""

from __future__ import annotations

import cv2
import numpy as np

from ballots.paper.outlines import image_point
from ballots.paper.reading import Located

MM_PER_PT = 25.4 / 72
WINDOW_MM = 25.0  # wider than a mark overflowing its box, a word, a few filled neighbours


class PagePaper:
    def __init__(self, gray: np.ndarray, loc: Located) -> None:
        self._gray = gray
        self._loc = loc
        self._map: np.ndarray | None = None
        self._step = 1

    def around(self, rect: tuple[float, float, float, float]) -> float:
        """The paper's grey level at the centre of the page rectangle `rect` (x, y, w, h in points)."""
        if self._map is None:
            self._map, self._step = self._measure()
        x, y, w, h = rect
        u, v = image_point(self._loc.homography.tolist(), x + w / 2, y + h / 2)
        u, v = u / self._step, v / self._step
        rows, cols = self._map.shape
        return float(self._map[int(np.clip(v, 0, rows - 1)), int(np.clip(u, 0, cols - 1))])

    def _measure(self) -> tuple[np.ndarray, int]:
        px_mm = self._loc.scale / MM_PER_PT  # image px per mm
        step = max(int(px_mm), 1)
        rows, cols = (s // step * step for s in self._gray.shape[:2])
        # Area means over step x step pixels: the paper's grain averaged away before the max.
        small = cv2.resize(self._gray[:rows, :cols], (cols // step, rows // step), interpolation=cv2.INTER_AREA)
        k = max(int(round(WINDOW_MM * px_mm / step)) | 1, 3)
        closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
        return closed, step
