"""What reading one box gives: its state, how much ink covers it, why, and the crop it was read from.

Kept apart from `marks` (which reads the boxes) so that the rules applied to a whole sheet's
reads afterwards (`own_pen`) can take and return them without importing the reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ballots.paper.geometry import Box


class MarkState(StrEnum):
    MARKED = "marked"
    BLANK = "blank"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class BoxRead:
    box: Box
    state: MarkState
    cover: float  # share of the inside covered by ink, after erasing folds and specks
    why: str  # short reason code (for review screens and the bench)
    crop: np.ndarray  # the straightened box with its margin, grey
    pen: np.ndarray | None = None  # a mark's ink in the box: its darkness where inked, 0 elsewhere (`own_pen._pen`)
