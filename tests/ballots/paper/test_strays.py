"""Neighbours' strays: ends of strokes that come into a box from outside are not a voter's mark.

A stray alone is short (`stray_line`, `edge_only`); two of them, from two sides of a small box and
in a fat felt pen, cover a quarter of the box and together span it. `box_ink.tips_only` sees that
no piece of such ink reaches past the middle from where it comes in: the box goes to a person.
"""

from __future__ import annotations

import numpy as np
import pytest

from ballots.paper import box_ink
from tests.ballots.paper.helpers import decided_wrong, replay_drawn

MP, SIDE = 8, 32  # the crop: the box's margin and side (px), as `marks.read_box` cuts it
A, B = MP + 5, MP + SIDE - 5  # the inside of the outline
CROP = 2 * MP + SIDE


def _printed() -> np.ndarray:
    out = np.zeros((CROP, CROP), np.uint8)
    out[MP - 2 : MP + 3, MP - 2 : MP + SIDE + 2] = 1
    out[MP + SIDE - 3 : MP + SIDE + 2, MP - 2 : MP + SIDE + 2] = 1
    out[MP - 2 : MP + SIDE + 2, MP - 2 : MP + 3] = 1
    out[MP - 2 : MP + SIDE + 2, MP + SIDE - 3 : MP + SIDE + 2] = 1
    return out


def _tips(*rects: tuple[int, int, int, int]) -> bool:
    """Filled rectangles (x, y, w, h, in crop pixels) as the crop's ink (the outline masked)."""
    printed = _printed()
    ink = np.zeros((CROP, CROP), np.uint8)
    for x, y, w, h in rects:
        ink[y : y + h, x : x + w] = 1
    ink &= printed == 0
    return box_ink.tips_only(ink, printed, MP, SIDE, A, B)


def test_two_strokes_ends_from_two_sides_are_tips_only():
    # As read on the held-out sheet below: a felt stroke from above ends 40 % into the box,
    # another comes in at the bottom-left corner.
    assert _tips((18, 0, 12, 20), (0, 36, 18, 12))
    assert _tips((20, 0, 4, 18), (26, 30, 22, 4))


@pytest.mark.parametrize(
    "rects",
    [
        [(18, 0, 12, 20), (20, 24, 3, 3)],  # a piece inside the box, not from outside
        [(18, 0, 4, 26), (0, 36, 18, 12)],  # a stroke reaching past the middle from the top
        [(0, 20, CROP, 5)],  # a bar across the box, side to side
        [(A + 2, A + 2, 15, 15)],  # a fill that touches no side
        [(B - 4, 0, 4, CROP)],  # down the whole right side
        [(0, 0, 20, 26)],  # from the top-left corner but past the middle downwards
        [(18, A, 12, 8), (A, B - 6, 6, 6)],  # pieces touching the inside's edge, nothing beyond
    ],
)
def test_a_piece_inside_across_past_the_middle_or_stopping_at_the_outline_is_not_a_tip(rects):
    assert not _tips(*rects)


def test_two_felt_strays_in_a_small_box_are_not_read_marked(tmp_path):
    """Regression (session 34; spent held-out seed 2340, sheet 3130: Dieppe's 5 mm grid, a grey
    200 dpi scan whose frame cut a corner): a neighbour's blue felt stray came 40 % into box
    245@4 from the top, another neighbour's stroke into its bottom-left corner. Together they
    covered 25 % of the inside and spanned it, and the wider piece (a 1.8 mm felt stroke is 60 %
    of the box) passed for one spanning the box: read `marked`, no review."""
    plan, boxes = replay_drawn(tmp_path, 2340003130, "US_Stanford_Dataset_PB_Dieppe_2015_vote_rankings")
    assert plan["245@4"][:2] == ("stray", "felt_blue")
    assert boxes["245@4"].state == "ambiguous", boxes["245@4"]
    assert decided_wrong(plan, boxes) == []


def _tick(ink: np.ndarray, broken: bool) -> None:
    """A check mark: its foot from the inside's left edge down to low in the box, its long arm up
    and out at the top right; `broken`: the foot's stroke apart from the long arm (graphite)."""
    for t in np.linspace(0, 1, 80):
        x, y = int(A + 8 * t), int(A + 8 + 10 * t)
        if not (broken and t > 0.6):
            ink[y : y + 2, x : x + 2] = 1
        x, y = int(A + 9 + (CROP - A - 11) * t), int(A + 18 - (A + 18) * t)
        ink[max(y - 1, 0) : y + 1, x : x + 2] = 1


@pytest.mark.parametrize("broken", [False, True])
def test_a_tick_whose_long_arm_runs_out_of_the_box_is_not_tips(broken):
    printed = _printed()
    ink = np.zeros((CROP, CROP), np.uint8)
    _tick(ink, broken)
    ink &= printed == 0
    assert not box_ink.tips_only(ink, printed, MP, SIDE, A, B)
