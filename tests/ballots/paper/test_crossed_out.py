"""Crossed-out boxes: a box filled then crossed out goes to a person in any pen, however a copier
broke it up (a 1-bit copy that lost or kept ink otherwise: test_copies.py). Sheets marked by the
bench's independent generator (`bench/paper_frames`) and read end to end, or the crossed-out rule
on a drawn crop.
"""

from __future__ import annotations

import numpy as np
import pytest

from ballots.paper import sheet
from bench import paper_frames
from tests.ballots.paper.helpers import frames_sheet, golden_crop, mark, printed_sample


def test_a_filled_box_crossed_out_goes_to_a_person_and_a_felt_x_is_still_a_mark(paper_store, tmp_path):
    """Regression (issue 11): a box filled then crossed out with a large X was counted with no review."""
    page, lay = printed_sample(paper_store, tmp_path)
    keys = [b.key for b in lay.sheet_boxes(1)]
    for seed in range(3):
        img = mark(page, lay, dict.fromkeys(keys[::2], "crossed"), dpi=200, seed=seed, tool="pen")
        img = mark(img, lay, dict.fromkeys(keys[1::4], "x"), dpi=200, seed=seed, tool="felt")
        read = sheet.read_gray(img, paper_store.election(), paper_store.election_secret(), evidence=False)
        boxes = {b.key: b for b in read.boxes}
        assert all(boxes[k].state == "ambiguous" and boxes[k].why == "crossed_out" for k in keys[::2])
        assert all(boxes[k].state == "marked" for k in keys[1::4])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_filled_box_crossed_out_in_any_pen_is_never_decided(paper_store, tmp_path, seed):
    """Regression (issue 11, item 5): a box filled in ballpoint, then crossed out with a big X whose
    arms ran out to the crop's edge, was read `marked`: the arms were taken for creases and erased
    before the crossed-out rule looked at the box."""

    def plan(i, rng):
        ink = rng.choice(("ballpoint_black", "ballpoint_blue", "ballpoint_red", "felt_black", "pencil"))
        return ("crossed", ink) if i % 3 == 0 else None

    drawn, read = frames_sheet(paper_store, tmp_path, plan, seed)
    for key in drawn:
        assert read[key].state == "ambiguous", (key, drawn[key], read[key].state, read[key].why)


@pytest.mark.parametrize(("dpi", "seed"), [(150, 10), (200, 0)])
def test_a_pencil_fill_crossed_out_in_pencil_is_never_decided(paper_store, tmp_path, dpi, seed):
    """Regression (issue 11, item 5; held-out 9783: crossed-out boxes read marked on grey scans
    and a phone photo; dev probe m12b seed 63 sheet 106): a box shaded in pencil and crossed out
    with a pencil X was read `marked`: the X's arms out on the paper are as pale as the shading,
    under the ink threshold, so no arm was seen leaving the box. A box shaded all over is looked
    at for arms at the shade's own level too."""

    def plan(i, rng):
        return ("crossed", "pencil") if i % 2 == 0 else None

    cap = paper_frames.Capture(mode="grey", dpi=dpi, blur=0.3, noise=1.5)
    drawn, read = frames_sheet(paper_store, tmp_path, plan, 700 + seed, cap, dpi)
    assert drawn
    assert [(k, read[k].why, read[k].cover) for k in drawn if read[k].state != "ambiguous"] == []


def test_a_fill_with_both_ends_of_one_stroke_of_an_x_on_a_one_bit_copy_is_crossed_out(paper_store, tmp_path):
    """Regression (issue 11, item 5; dev probe m12b seed 64 sheet 107): a red ballpoint fill crossed
    out in red ballpoint, copied 1-bit at 150 dpi, kept the fill and only the two arms of one of
    the X's strokes, leaving the box at opposite corners: read `marked`. Ink leaving a filled box
    at two opposite corners (reaching the corner: a neighbour's fill does not) is crossed out."""

    def plan(i, rng):
        return ("crossed", "ballpoint_red") if i % 2 == 0 else None

    cap = paper_frames.Capture(mode="bitonal", dpi=150, threshold=128, dither=False, blur=0.35, noise=0.4)
    drawn, read = frames_sheet(paper_store, tmp_path, plan, 915, cap, 150)
    assert drawn
    assert [(k, read[k].why) for k in drawn if read[k].state != "ambiguous"] == []


@pytest.mark.parametrize(
    ("seed", "threshold", "inks"),
    [(0, 135, "pencil"), (2, 135, "pencil"), (4, 150, "pencil"), (5, 135, "pencil")],
)
def test_a_box_crossed_out_on_a_one_bit_copy_is_never_decided(paper_store, tmp_path, seed, threshold, inks):
    """Regression (issue 11, item 5; bench_scan_hard seed 21 sheets 43, 124, 160): a box filled
    in pencil or red ballpoint then crossed out, copied in 1-bit, was read `marked`: the copier's
    threshold broke the fill into blotches (or dropped it, leaving an X whose arms run far past
    the box), and without shade to see the box no longer looked filled. On a 1-bit copy a fill is
    told by its sides with the blotches closed, and an X running out past three corners further
    than a plain cross does is a crossing-out: a person decides."""

    pens = {"pencil": ("pencil", "ballpoint_red", "pencil"), "felt": ("felt_green", "felt_red", "felt_blue")}[inks]

    def plan(i, rng):
        return ("crossed", pens[i % 3]) if i % 3 == 0 else None

    dpi = 200 if inks == "pencil" else 300
    cap = paper_frames.Capture(mode="bitonal", dpi=dpi, threshold=threshold, dither=False, blur=0.4)
    drawn, read = frames_sheet(paper_store, tmp_path, plan, 20 + seed, cap, dpi)
    assert drawn
    assert [(k, drawn[k], b.cover) for k, b in read.items() if k in drawn and b.state != "ambiguous"] == []


def test_a_filled_box_with_bits_of_an_x_at_three_corners_of_a_one_bit_copy_is_crossed_out():
    """Regression (issue 11, item 5; bench_scan_hard seed 21 sheet 160): a felt fill crossed out
    in ballpoint, copied in 1-bit at a low threshold, kept its fill and only bits of the X's arms
    (5 and 3 px at two corners), under the 3-px-and-a-twelfth-of-the-block a corner needed: read
    `marked`. On a 1-bit copy (specks already dropped) any piece of ink at three corners of a
    filled box is what is left of an X. On a grey scan, bits that do not reach the box's corner
    are no arms (a neighbour's mark)."""
    from ballots.paper.crossed_out import crossed_out

    mp, side = 19, 38
    n = 2 * mp + side
    ink = np.zeros((n, n), np.uint8)
    ink[mp + 3 : mp + side - 3, mp + 3 : mp + side - 3] = 1  # the fill, inside the outline's mask
    for y, x in ((mp - 13, mp - 13), (mp - 13, mp + side + 10), (mp + side + 10, mp - 13)):
        ink[y : y + 2, x : x + 3] = 1  # 6 px of an arm at three corners, apart from the box
    printed = np.zeros_like(ink)
    darkness = ink.astype(np.float32)
    a, b = mp + 7, mp + side - 7
    assert crossed_out(ink, darkness, 0.12, printed, mp, side, a, b, bitonal=True)
    assert not crossed_out(ink, darkness, 0.12, printed, mp, side, a, b, bitonal=False)


def test_a_filled_box_with_thin_pencil_arms_at_its_corners_is_crossed_out():
    """Regression (issue 11, item 5; bench_scan_hard seed 22 sheet 77, a phone photo of Dieppe's
    grid): a box shaded in pencil and crossed out with a thin pencil X was read `marked`: cut by
    the outline's mask, two of the X's arms held 7 px of their corner blocks, under the 8 px a
    corner needed. A box filled all over with ink leaving it at three corners is crossed out,
    however thin the arms."""
    import cv2

    from ballots.paper.crossed_out import crossed_out

    mp, side = 19, 38
    n = 2 * mp + side
    ink = np.zeros((n, n), np.uint8)
    ink[mp + 3 : mp + side - 3, mp + 3 : mp + side - 3] = 1
    hi = mp + side - 1
    for (x0, y0), (dx, dy) in (((mp, mp), (-1, -1)), ((hi, mp), (1, -1)), ((mp, hi), (-1, 1)), ((hi, hi), (1, 1))):
        cv2.line(ink, (x0 + 4 * dx, y0 + 4 * dy), (x0 + 11 * dx, y0 + 11 * dy), 1, 1)  # a thin arm
    darkness = ink.astype(np.float32)
    assert crossed_out(ink, darkness, 0.12, np.zeros_like(ink), mp, side, mp + 7, mp + side - 7)


def test_bits_beside_a_filled_box_that_do_not_reach_its_corners_are_no_arms():
    """Regression (issue 11, "clear sheets decided"; bench_scan_hard seed 23 sheet 185): a plain
    ballpoint fill in Dieppe's grid with a neighbour's bits of ink 8-10 px out from three of its
    corners went to a person as `crossed_out`: "reaching the corner" took in half the corner
    block. An arm shows just past the outline's mask (≤ 6 px out), a neighbour's bits do not."""
    from ballots.paper.crossed_out import crossed_out

    mp, side = 19, 38
    n = 2 * mp + side
    ink = np.zeros((n, n), np.uint8)
    ink[mp + 3 : mp + side - 3, mp + 3 : mp + side - 3] = 1
    for y, x in ((mp - 10, mp - 10), (mp - 10, mp + side + 7), (mp + side + 7, mp - 10)):
        ink[y : y + 2, x : x + 3] = 1
    darkness = ink.astype(np.float32)
    assert not crossed_out(ink, darkness, 0.12, np.zeros_like(ink), mp, side, mp + 7, mp + side - 7)


def test_the_bench_can_leave_out_a_crossed_out_box_s_x_and_nothing_else():
    """The bench says when a misread mark left no trace in the file (`bench_scan_hard.absent`): the
    sheet is made again with that mark, or only a crossed-out box's X, drawn onto a scratch copy
    of the page. The rest of the sheet must come out the same: the same random draws, and the
    fill under the X still laid."""
    import random

    page = np.full((300, 300, 3), 255, np.uint8)
    rect = (110.0, 110.0, 80.0, 80.0)
    whole, fill_only = page.copy(), page.copy()
    r1, r2 = random.Random(7), random.Random(7)
    paper_frames.draw_mark(whole, rect, "crossed", "felt_black", 8.0, r1)
    paper_frames.draw_mark(fill_only, rect, "crossed", "felt_black", 8.0, r2, x_too=False)
    assert r1.random() == r2.random()  # the same draws: what comes after is drawn the same
    inside = (slice(125, 175), slice(125, 175))
    assert fill_only[inside].mean() < 100  # the fill is there
    corners = np.concatenate([fill_only[:95, :95], fill_only[205:, 205:]])
    assert (corners == 255).all() and (whole[:95, :95] < 200).any()  # the X's arms are not


def test_absent_from_the_file_is_said_only_of_a_file_the_bench_still_makes(monkeypatch):
    """A `--from` folder may hold files made by older bench code: a mark is "absent from the file"
    only when the bench, making the sheet again, makes the very file that was read; otherwise the
    misread is counted as not checked (never as absent)."""
    from bench import bench_scan_hard

    made = {None: b"sheet", "a": b"sheet", "b": b"sheet without b"}
    monkeypatch.setattr(
        bench_scan_hard, "make_sheet", lambda seed, withhold=None, x_only=False: {"data": made[withhold]}
    )
    plan = {"a": ("tick", "pencil", "marked"), "b": ("x", "pencil", "marked"), "c": ("", "", "blank")}
    bad = [
        (1, "a", "tick/pencil", "straight/bitonal/200", "blank", 0.0, "empty"),
        (1, "b", "x/pencil", "straight/bitonal/200", "blank", 0.02, "faint"),
        (1, "c", "empty/-", "straight/bitonal/200", "marked", 0.3, ""),  # a blank read marked: not asked
    ]
    assert bench_scan_hard._absent(1, plan, bad, b"sheet") == (["a"], 0)
    assert bench_scan_hard._absent(1, plan, bad, b"made by older bench code") == ([], 2)


def test_pencil_fills_crossed_out_whose_x_a_one_bit_copy_dropped_are_never_decided(paper_store, tmp_path):
    """Regression (issue 11, item 5; held-out 8051: a pencil fill crossed out read marked on a 1-bit
    copy): pencil fills crossed out in pencil beside whole black marks, copied 1-bit at 300 dpi
    (threshold 120): the copier kept the fills as blotches and dropped the X's arms; two of them
    still read crossed out, one box held a trail. With the whole sheet sent only where three
    boxes showed the pen at the threshold, the five others were read `marked`: two boxes showing
    it are enough (one broken mark among many whole ones is not)."""

    def plan(i, rng):
        if i % 3 == 0:
            return ("crossed", "pencil")
        return (("x", "tick", "fill")[i % 3], "ballpoint_black") if i % 3 == 1 else None

    cap = paper_frames.Capture(mode="bitonal", dpi=300, threshold=120, dither=False, blur=0.3)
    drawn, read = frames_sheet(paper_store, tmp_path, plan, 501, cap, 300)
    crossed = [k for k in drawn if drawn[k][0] == "crossed"]
    assert len(crossed) == 7
    assert [(k, read[k].state, read[k].why) for k in crossed if read[k].state != "ambiguous"] == []


@pytest.mark.parametrize(("seed", "dpi", "threshold"), [(902, 150, 120), (902, 300, 120), (903, 200, 125)])
def test_a_lone_pencil_fill_crossed_out_whose_x_a_one_bit_copy_dropped_is_never_decided(
    paper_store, tmp_path, seed, dpi, threshold
):
    """Regression (issue 11, item 5; held-out 3938: a box filled in pencil and crossed out read
    marked on a 1-bit copy, 150 dpi, cover 0.93): one pencil fill crossed out in pencil on a sheet
    of whole black marks; the copier kept the fill (in blotches) and of the X only its middle over
    the fill, or nothing inside, and a few specks or dashes beyond the box's corners where its
    arms ran on the paper: read `marked`. A filled box with ink on its diagonals beyond two of
    its corners is what is left of an X crossing it out: a person decides (`one_bit_lost_x`)."""

    def plan(i, rng):
        if i == 7:
            return ("crossed", "pencil")
        if i % 4 == 1:
            return (rng.choice(("x", "tick", "fill")), rng.choice(("felt_black", "ballpoint_black")))
        return None

    cap = paper_frames.Capture(mode="bitonal", dpi=dpi, threshold=threshold, dither=False, blur=0.4, noise=0.5)
    drawn, read = frames_sheet(paper_store, tmp_path, plan, seed, cap, dpi)
    (crossed,) = [k for k in drawn if drawn[k][0] == "crossed"]
    assert read[crossed].state == "ambiguous", (read[crossed].why, read[crossed].cover)
    assert [(k, read[k].state) for k in drawn if k != crossed and read[k].state != "marked"] == []


def _grainy_fill(n: int, level: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A crop whose box (19 px margin, 38 px side) is shaded all over in pencil at `level`, its grain
    finer than a stroke; nothing outside it. Returns ink, darkness, printed."""
    import cv2

    rng = np.random.default_rng(seed)
    darkness = np.zeros((n, n), np.float32)
    grain = cv2.GaussianBlur(rng.standard_normal((38, 38)).astype(np.float32), (0, 0), 0.7)
    darkness[19:57, 19:57] = level + 0.08 * grain / grain.std()
    ink = (darkness >= 0.3).astype(np.uint8)
    return ink, darkness, np.zeros_like(ink)


@pytest.mark.parametrize(
    "crop",
    [
        "crossed_pencil_x_over_fill_150dpi",
        "crossed_pencil_x_over_fill_150dpi_grey",
        "crossed_pencil_x_over_grainy_fill_phone300",
    ],
)
def test_an_x_drawn_over_a_fill_is_two_layers_whatever_its_arms_did(crop):
    """Regression (issue 11, item 5; held-out 6345: a pencil fill crossed out read marked, colour
    150 dpi, Kraków, cover 0.939; probes x15 seed 1304 sheet 105, colour, and seed 1310 sheet 135,
    grey, both Kraków 150 dpi): a pencil X over a pencil fill whose arms outside the box were pale
    and broken at the ink threshold, and crossed by the X's of the boxes around it, left no arm
    the corner tests could see: read `marked`. Inside the box the X is a second layer of ink,
    darker than the fill along two crossing strokes: crossed out, whatever the arms did. The
    golden files hold each box's crop as the reader saw it; the third (x17's probe 1720, sheet
    1720000038 box 244@14, phone 300 dpi) is the grainiest pencil fill under an X seen: paper shows
    through 4.5 % of it away from the X, and it is still a fill."""
    from ballots.paper.crossed_out import crossed_out, two_layers

    ink, darkness, printed, (mp, side, a, b), shade_at, _ = golden_crop(crop)
    assert crossed_out(ink, darkness, shade_at, printed, mp, side, a, b)
    assert two_layers(darkness, ink[a:b, a:b], a, b)


@pytest.mark.parametrize(
    "crop",
    [
        "crossed_pencil_x_over_fill_150dpi",
        "crossed_pencil_x_over_fill_150dpi_grey",
        "crossed_pencil_x_over_grainy_fill_phone300",
    ],
)
@pytest.mark.parametrize("edge", ["top", "bottom", "left", "right"])
def test_an_x_over_a_fill_that_stops_short_of_the_outline_is_still_crossed_out(crop, edge):
    """Review r18 (session 28, of 5c8fb86, reverted): a hand's fill seldom reaches the outline on
    every side. The same crops with the row or column of the window nearest one side left as paper
    (its pixels drawn from the crop's own ring paper): still crossed out. Counting "paper shown away
    from the X" as a sign of one layer read such a box as the vote it crossed out (5 of these 12
    with one row)."""
    from ballots.paper.crossed_out import crossed_out

    ink, darkness, printed, (mp, side, a, b), shade_at, _ = golden_crop(crop)
    ring = (printed == 0) & (ink == 0)
    ring[mp - 2 : mp + side + 2, mp - 2 : mp + side + 2] = False
    band = {"top": np.s_[a, a:b], "bottom": np.s_[b - 1, a:b], "left": np.s_[a:b, a], "right": np.s_[a:b, b - 1]}[edge]
    darkness[band] = np.random.default_rng(1).choice(darkness[ring], b - a)
    ink[band] = 0
    assert crossed_out(ink, darkness, shade_at, printed, mp, side, a, b)


def test_a_darker_x_inside_a_fill_is_crossed_out_and_a_one_layer_fill_or_x_is_not():
    """Two layers, drawn: an X (0.3 darker) over a grainy pencil fill with no arms outside the box
    is crossed out; the same fill alone, the fill with darker overlaps along its own strokes (one
    direction), and a fat felt X alone (one layer, paper between its arms) are not."""
    import cv2

    from ballots.paper.crossed_out import crossed_out, two_layers

    n, mp, side, a, b = 76, 19, 38, 26, 50
    for seed in range(4):
        ink, darkness, printed = _grainy_fill(n, 0.5, seed)
        assert not crossed_out(ink, darkness, 0.12, printed, mp, side, a, b)
        overlaps = darkness.copy()
        overlaps[19:57:6, 19:57] += 0.3  # a shading's strokes overlapping along its rows
        assert not two_layers(overlaps, ink[a:b, a:b], a, b)
        x = np.zeros((n, n), np.float32)
        cv2.line(x, (21, 21 + seed), (54, 54 - seed), 1.0, 3, cv2.LINE_AA)
        cv2.line(x, (54, 21), (21, 54), 1.0, 3, cv2.LINE_AA)
        crossed = darkness + 0.3 * x * (darkness > 0)
        assert two_layers(crossed, ink[a:b, a:b], a, b)
        assert crossed_out(ink, crossed, 0.12, printed, mp, side, a, b)
        felt = np.zeros((n, n), np.float32)
        cv2.line(felt, (14, 14), (61, 61), 1.0, 13, cv2.LINE_AA)
        cv2.line(felt, (61, 14), (14, 61), 1.0, 13, cv2.LINE_AA)
        assert not two_layers(felt, (felt[a:b, a:b] >= 0.3).astype(np.uint8), a, b)


def _fat_x(fill: float = 0.0, margin: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A drawn crop (76 px, box 38 px at 19) with its outline masked: a felt X 11 px wide whose
    arms run past the corners, over a fill of darkness `fill` that leaves `margin` px inside the
    outline's centre (0: no fill)."""
    import cv2

    n, mp, side = 76, 19, 38
    printed = np.zeros((n, n), np.uint8)
    cv2.rectangle(printed, (mp - 1, mp - 1), (mp + side, mp + side), 1, 3)
    darkness = np.zeros((n, n), np.float32)
    if fill:
        darkness[mp + margin : mp + side - margin, mp + margin : mp + side - margin] = fill
    x = np.zeros((n, n), np.float32)
    cv2.line(x, (10, 11), (65, 64), 1.0, 11, cv2.LINE_AA)
    cv2.line(x, (65, 10), (11, 65), 1.0, 11, cv2.LINE_AA)
    darkness = cv2.GaussianBlur(np.maximum(darkness, x), (0, 0), 1.0)
    ink = ((darkness >= 0.3) & (printed == 0)).astype(np.uint8)
    return ink, darkness, printed


def test_a_fat_x_alone_shows_pointed_wedges_and_one_over_a_fill_does_not():
    """`x_alone`, drawn: a fat X alone leaves pointed wedges of paper between its arms; the same X
    over a fill whose edge shows in the wedges (cut flat: a 6 px margin), over a fill reaching the
    outline (no wedge), or over a pale pencil fill (under the ink threshold, over the shade's level)
    does not, and that box stays crossed out."""
    from ballots.paper.crossed_out import crossed_out, x_alone

    mp, side, a, b = 19, 38, 26, 50
    ink, darkness, printed = _fat_x()
    assert x_alone(ink, darkness, 0.12, printed, mp, side)
    for fill, margin in [(f, m) for f in (1.0, 0.25) for m in (0, 2, 3, 4, 6)]:  # short wedges cut flat too
        ink, darkness, printed = _fat_x(fill, margin)
        assert not x_alone(ink, darkness, 0.12, printed, mp, side), (fill, margin)
        assert not x_alone(ink, darkness, 0.12, printed, mp, side, blunt=True), (fill, margin)
        assert crossed_out(ink, darkness, 0.12, printed, mp, side, a, b), (fill, margin)


def test_a_pencil_fill_crossed_out_with_a_felt_x_in_a_grid_crossed_out_all_round_is_crossed_out():
    """Regression (issue 11; x16's probe 1601, sheet 1601000004 box 238@18, Dieppe colour 150: a
    pencil fill crossed out with a black felt X, its neighbours crossed out the same way, read
    `marked`; main read 18 such boxes so on the probe's 40 sheets): the shading's level was taken
    from the paper around the box with the ink on it, and around a box whose neighbours' big X's
    cover the ring that rose to the ink threshold, where graphite's grain leaves holes in a
    side's middle: no rule saw the box shaded all over. The paper's level is measured on the
    paper, the ring's ink and its blurred edge left out. The golden file holds the box's crop as
    the reader saw it."""
    from ballots.paper.crossed_out import crossed_out

    ink, darkness, printed, (mp, side, a, b), shade_at, bitonal = golden_crop(
        "crossed_pencil_fill_felt_x_dense_grid_150dpi"
    )
    assert crossed_out(ink, darkness, shade_at, printed, mp, side, a, b, bitonal)


def test_two_layers_cross_a_box_out_whichever_rule_sees_it_first(monkeypatch):
    """Review leftover (session 26): a rule seeing arms at three corners of a filled box returned
    `not lone_x()` at once, so where the paper's X-alone test cleared the box, `two_layers` (an X
    drawn over the fill, inside the box) was never asked, and the same box was crossed out or not
    depending on which rule saw it first. Two layers of ink inside a box cross it out whatever
    the X-alone test says of its paper (they disagree: a person decides). The X-alone test is
    made to clear the box here, as it would a fill whose edge lies under a fat X's arms."""
    import cv2

    from ballots.paper import crossed_out as module

    n, mp, side, a, b = 76, 19, 38, 26, 50
    ink, darkness, printed = _grainy_fill(n, 0.5, 0)
    x = np.zeros((n, n), np.float32)
    cv2.line(x, (21, 21), (54, 54), 1.0, 3, cv2.LINE_AA)
    cv2.line(x, (54, 21), (21, 54), 1.0, 3, cv2.LINE_AA)
    darkness = darkness + 0.3 * x * (darkness > 0)
    hi = mp + side - 1
    for (x0, y0), (dx, dy) in (((mp, mp), (-1, -1)), ((hi, mp), (1, -1)), ((mp, hi), (-1, 1))):
        cv2.line(ink, (x0 + 2 * dx, y0 + 2 * dy), (x0 + 12 * dx, y0 + 12 * dy), 1, 2)  # the X's arms out
        cv2.line(darkness, (x0 + 2 * dx, y0 + 2 * dy), (x0 + 12 * dx, y0 + 12 * dy), 1.0, 2)
    assert module.two_layers(darkness, ink[a:b, a:b], a, b)
    assert sum(module.corner_arms(ink * (1 - _box(n, mp, side)), printed, mp, side, own=True, least=3)) >= 3
    monkeypatch.setattr(module, "x_alone", lambda *args: True)
    assert module.crossed_out(ink, darkness, 0.12, printed, mp, side, a, b)


def _box(n: int, mp: int, side: int) -> np.ndarray:
    inside = np.zeros((n, n), np.uint8)
    inside[mp : mp + side, mp : mp + side] = 1
    return inside


@pytest.mark.parametrize("crop", ["felt_x_dieppe_phone150_wedge_paper_1", "felt_x_dieppe_phone150_wedge_paper_2"])
def test_a_fat_felt_x_whose_wedge_is_paper_is_no_x_over_a_fill(crop):
    """Regression (issue 11, clear sheets decided; dev seed 5153, sheet 827, boxes 247@2 and
    253@15: black felt X's in Dieppe's 5 mm grid on a phone photo at 150 dpi): the X's cores were
    a layer darker than its blurred edges along both diagonals, and the edges shaded enough of the
    box to pass for a fill under them: `crossed_out`, a clear sheet to a person. A fill under an X
    shows in all four wedges between its arms; here one wedge is mostly paper (its 75th percentile
    at 0.16 and 0.27 of the level taken for the fill, 0.42 and up over 3 383 boxes crossed out)."""
    from ballots.paper.crossed_out import crossed_out, two_layers

    ink, darkness, printed, (mp, side, a, b), shade_at, bitonal = golden_crop(crop)
    assert not two_layers(darkness, ink[a:b, a:b], a, b)
    assert not crossed_out(ink, darkness, shade_at, printed, mp, side, a, b, bitonal)
