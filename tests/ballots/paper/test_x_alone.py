"""`x_alone`: the paper left in a box shows an X alone (its wedges), so a fat felt X that shades a
small box all over is not a box crossed out. Golden crops as the reader saw them, and drawn ones."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ballots.paper.helpers import golden_crop


@pytest.mark.parametrize(
    "crop",
    [
        "felt_x_dieppe_grey300",
        "felt_x_zurich_1bit150",
        "felt_x_dieppe_grey150_short_wedges",
        "felt_x_dieppe_phone200_short_wedges",
        "felt_x_big_grey150_blunt_wedges",
        "felt_x_dieppe_colour200_blunt_wedges",
        "felt_x_zurich_grey300_closed_wedge",
        "felt_x_sample_colour200_two_short_wedges",
        "felt_x_dieppe_grey150_two_closed_wedges",
    ],
)
def test_a_fat_felt_x_on_a_small_box_whose_paper_shows_the_x_alone_is_not_crossed_out(crop):
    """Regression (issue 11; spent held-out 9879, where `crossed_out` was the first reason clear
    sheets went to a person: sheet 9879000264 box 253@12, Dieppe grey 300, and sheet 9879002989
    box 7, Zurich 1-bit 150): a felt X 1-2 mm wide on a 5 mm box. Its blurred edges shade the box
    all over at the pencil-shading level (on a 1-bit copy, closing the gaps fills its wedges), so
    it was taken for a shaded box crossed out. The paper left in the box is the wedges between its
    arms, each narrowing to a point: an X alone. The golden files hold each box's crop as the
    reader saw it.

    Regression (x17's probe 1720, Dieppe's grid, felt X's only: sheet 1720000004 box 245@14, grey
    150 dpi, and 1720000021 box 241@5, phone 200 dpi): at 150-200 dpi such an X's wedges are two
    rows deep, their tips blurred away, and a wedge needed three: crossed out. A wedge of two rows
    narrowing from 3 px to a point is one.

    Regression (dev seed 9055, session 32: felt X's were the first reason clear sheets in shades
    went to a person, 10 of 900: sheet 9055000609 box c49, the 56-choice ballot, grey 150 dpi, and
    9055001652 box 245@5, Dieppe, colour 200 dpi): wedges three or four rows deep whose points the
    blur took, ending 3-4 px wide. On a scan in shades such a wedge is one (`BLUNT_TIP`).

    Regression (spent held-out 7763, session 32: sheet 7763000259 box 5, Zürich, grey 300 dpi): an X
    off the box's centre leaves three wedges and, on the side its crossing lies towards, 3 px of
    the fourth's tip, which counted as specks of a fill: crossed out.

    Regression (dev seed 5154, session 36: fat felt X's were the first reason clear sheets in
    shades with every box in the image went to a person, 5 of 15; sheet 5154000238 box p13, the
    sample ballot, colour 200 dpi, and 5154000374 box 247@1, Dieppe, grey 150 dpi): an X whose
    blur leaves two wedges two rows deep ending 3-4 px wide (a blunt wedge needed three rows), and
    an X whose crossing lies off the centre, towards a corner, so that two of its wedges are
    closed to their tips (3 px at most, one or two rows) beside two whole ones."""
    from ballots.paper.crossed_out import crossed_out, x_alone

    ink, darkness, printed, (mp, side, a, b), shade_at, bitonal = golden_crop(crop)
    assert not crossed_out(ink, darkness, shade_at, printed, mp, side, a, b, bitonal)
    assert x_alone(ink, darkness, shade_at, printed, mp, side, blunt=not bitonal)


def test_blunt_wedges_are_an_x_alone_only_on_a_scan_in_shades():
    """The blunt wedges of a felt X at 150 dpi are an X alone where blur took their points (a scan
    in shades), never on a 1-bit copy, where a pencil fill the copier broke into blotches leaves
    blunt holes of paper beside the X's arms (dev seed 9055 sheet 9055000016, probe 5501)."""
    from ballots.paper.crossed_out import x_alone

    ink, darkness, printed, (mp, side, _, _), shade_at, _ = golden_crop("felt_x_big_grey150_blunt_wedges")
    assert x_alone(ink, darkness, shade_at, printed, mp, side, blunt=True)
    assert not x_alone(ink, darkness, shade_at, printed, mp, side, blunt=False)


def test_a_fill_with_small_flat_notches_at_its_sides_is_no_x_alone():
    """`x_alone` (5e94f87: a wedge may be two rows deep): a felt fill reaching the outline all round
    but for a notch 2 px wide and 2 deep at the middle of each side (its ragged edge) leaves four
    pieces of paper at the sides' middles, two rows deep, cut flat: no X's wedges, which open at
    least WEDGE_OPEN px wide and narrow to a point. (Without that bound they passed for wedges and
    the fill was an X alone; found in review, m17c.)"""
    import cv2

    from ballots.paper.crossed_out import x_alone

    n, mp, side = 76, 19, 38
    printed = np.zeros((n, n), np.uint8)
    cv2.rectangle(printed, (mp - 1, mp - 1), (mp + side, mp + side), 1, 3)
    darkness = np.zeros((n, n), np.float32)
    darkness[mp : mp + side, mp : mp + side] = 1.0
    top, mid = mp + 2, mp + side // 2 - 1  # the first row inside the outline's mask; a notch's first column
    darkness[top : top + 2, mid : mid + 2] = 0  # top, then the other three sides by symmetry
    darkness[mp + side - 4 : mp + side - 2, mid : mid + 2] = 0
    darkness[mid : mid + 2, top : top + 2] = 0
    darkness[mid : mid + 2, mp + side - 4 : mp + side - 2] = 0
    ink = ((darkness >= 0.3) & (printed == 0)).astype(np.uint8)
    assert not x_alone(ink, darkness, 0.12, printed, mp, side)
