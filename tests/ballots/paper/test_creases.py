"""Folds and streaks told from voters' strokes (`page_lines.continues`): a fold crosses the whole
sheet, the paper between the boxes too; a voter's stroke stays in and around its own box, and in
a grid its neighbours' strokes line up with it only inside their own boxes."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ballots.paper import page_lines
from ballots.paper.bands import outline_bands
from ballots.paper.reading import Located

K = 300 / 72  # px per point: a grey scan at 300 dpi
SIDE, PITCH = 15.0, 21.75  # Dieppe 2015's ranked grid: 15 pt boxes, 6.75 pt apart
ORIGIN = np.array([60.0, 60.0])


def _grid(n: int = 9) -> list[tuple[float, float, float, float]]:
    return [(ORIGIN[0] + c * PITCH, ORIGIN[1] + r * PITCH, SIDE, SIDE) for r in range(n) for c in range(n)]


def _page(rects, line: tuple[np.ndarray, np.ndarray], *, inside_only: bool = False, grey: int = 170) -> np.ndarray:
    """White paper, the box outlines printed (1 pt), and a pale straight stroke from `line[0]` to
    `line[1]` (page points), everywhere or (`inside_only`) only in and around the boxes (up to
    1 pt past their outlines: a voter's stroke, its box's neighbours' strokes in line with it)."""
    img = np.full((int(320 * K), int(320 * K)), 235, np.uint8)
    for x, y, w, h in rects:
        cv2.rectangle(img, (round(x * K), round(y * K)), (round((x + w) * K), round((y + h) * K)), 20, round(K))
    stroke = np.zeros_like(img)
    cv2.line(stroke, tuple(int(round(v * K)) for v in line[0]), tuple(int(round(v * K)) for v in line[1]), 1, 3)
    if inside_only:
        keep = np.zeros_like(img)
        for x, y, w, h in rects:
            keep[round((y - 1) * K) : round((y + h + 1) * K), round((x - 1) * K) : round((x + w + 1) * K)] = 1
        stroke &= keep
    img[stroke > 0] = np.minimum(img[stroke > 0], grey)
    return img


def _continues(img: np.ndarray, rects, centre: np.ndarray, direction: np.ndarray) -> bool:
    loc = Located(homography=np.diag([K, K, 1.0]), qr_text="", ink=20.0, paper=235.0, scale=K)
    bands = outline_bands(rects, 1.0)
    return page_lines.continues(img, loc, centre, direction, SIDE, 235.0, 0.01, bands)


@pytest.mark.parametrize("slope", [1.0, 1.3])
def test_strokes_lined_up_inside_the_neighbours_boxes_are_no_fold(slope):
    """Issue 11, misreads (held-out 8051: light pencil ticks read blank on grey scans, 4 of 5 in
    Dieppe's ranked grid; dev probe seed 91, `test_never_blank`): a tick's long stroke and those
    of the ticks on the same diagonal of the grid line up, and the page "showed the line going
    on" inside the neighbours' boxes. What is seen only on boxes is no fold; the same line over
    the paper between them is one."""
    rects = _grid()
    direction = np.array([1.0, -slope]) / np.hypot(1.0, slope)
    centre = ORIGIN + 4 * PITCH + SIDE / 2  # the middle box of the grid
    line = (centre - 400 * direction, centre + 400 * direction)
    assert not _continues(_page(rects, line, inside_only=True), rects, centre, direction)
    # The same line across the sheet, over the gaps between the boxes too: a fold.
    assert _continues(_page(rects, line), rects, centre, direction)


def test_a_fold_along_a_column_of_boxes_is_still_a_fold():
    """A fold running down a column of boxes crosses the gaps between them (6.75 pt, outlines at
    both ends): seen there too, it stays a fold."""
    rects = _grid()
    centre = ORIGIN + 4 * PITCH + SIDE / 2
    direction = np.array([0.05, 1.0]) / np.hypot(0.05, 1.0)
    fold = _page(rects, (centre - 400 * direction, centre + 400 * direction), grey=200)
    assert _continues(fold, rects, centre, direction)


def test_a_stroke_crossing_a_fold_is_joined_only_where_it_crosses():
    """`strokes.bridge` joins a stroke again across the band of a fold the page confirmed, and only the
    stroke: not a length of the fold beside it (h13's census, first corpus 123000015: a stray
    poking past a fold came back with a length of the fold and read marked)."""
    from ballots.paper.strokes import bridge

    n = 75
    band = np.zeros((n, n), np.uint8)
    band[34:42, :] = 1  # a fold 8 px wide, cut out across the crop
    ink = np.zeros((n, n), np.uint8)
    ink[20:34, 30:34] = 1  # a stroke 4 px wide coming down to the band...
    ink[42:52, 30:34] = 1  # ...and going on past it
    joined = bridge(ink, [(band, np.array([0.0, 1.0]), 8)], np.zeros_like(ink), folds=True)
    cols = np.flatnonzero(joined[34:42].any(axis=0))
    assert cols.min() >= 29 and cols.max() <= 34, cols  # the stroke's own width, a pixel either side
    # A stroke that stops at the band is not joined across it.
    stub = ink.copy()
    stub[42:52] = 0
    assert not bridge(stub, [(band, np.array([0.0, 1.0]), 8)], np.zeros_like(ink), folds=True)[34:42].any()


def test_two_lines_taken_out_cross_in_the_box_only_as_an_x():
    """`creases.cross_in_box`: two slanted cut lines meeting in the middle half of the box (an X's
    strokes run off the crop); parallel lines, upright folds crossing, or lines meeting outside
    that middle, do not."""
    from ballots.paper import creases

    mp, side = 20, 40
    n = 2 * mp + side

    def cut(p, q):
        mask = np.zeros((n, n), np.uint8)
        cv2.line(mask, p, q, 1, 2)
        d = np.array([q[0] - p[0], q[1] - p[1]], float)
        return (mask, np.array([-d[1], d[0]]) / np.hypot(*d), 2)

    diag = cut((0, 0), (n - 1, n - 1))
    anti = cut((n - 1, 0), (0, n - 1))
    assert creases.cross_in_box([diag, anti], mp, side)
    assert not creases.cross_in_box([diag], mp, side)
    assert not creases.cross_in_box([cut((0, 10), (n - 1, 10)), cut((0, 70), (n - 1, 70))], mp, side)
    # One wide fold cut as two lines side by side, 6 degrees apart, overlapping through the box.
    assert not creases.cross_in_box([cut((0, 35), (n - 1, 43)), cut((0, 37), (n - 1, 37))], mp, side)
    # A letter folded in four: its two folds cross upright in the box's middle (first corpus 606000049).
    assert not creases.cross_in_box([cut((0, 36), (n - 1, 44)), cut((38, 0), (38, n - 1))], mp, side)
    # Meeting near the box's corner, outside its middle half (two folds crossing beside a box).
    assert not creases.cross_in_box([cut((0, 22), (n - 1, 22)), cut((22, 0), (22, n - 1))], mp, side)
