"""Light ink (`light_ink.faint_ink`) measured against the paper it lies on: the held-out 7215 light
pencil ticks read blank with cover 0, as the reader saw their crops (golden files), and drawn
crops that fail the same way without the rule they stand for.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from ballots.paper.box_paper import ink_edge, noise, paper_bounds, paper_level
from ballots.paper.light_ink import faint_ink

GOLDEN = Path(__file__).parent / "golden"
N, MP, SIDE = 75, 19, 38  # a crop, its box's offset and side (px), as the reader cuts Dieppe's boxes
A, B = 26, 50  # the inside of the outline looked at


def _golden(name):
    g = np.load(GOLDEN / f"{name}.npz")
    mp, side, a, b = (int(v) for v in g["geometry"])
    return g["darkness"].astype(np.float32), float(g["grain"]), g["printed"].astype(np.uint8), (mp, side, a, b)


def _no_line_on_page(rho: float, theta: float) -> bool:
    return False  # the page shows no line going on beyond the crop (no crease)


def _box(paper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`paper` (darkness) with the box's printed outline (3 px) drawn in: (darkness, printed)."""
    printed = np.zeros((N, N), np.uint8)
    cv2.rectangle(printed, (MP, MP), (MP + SIDE - 1, MP + SIDE - 1), 1, 3)
    darkness = paper.astype(np.float32)
    darkness[printed > 0] = 1.0
    return darkness, printed


def _clean_paper(seed: int = 1, sigma: float = 0.005) -> np.ndarray:
    return np.random.default_rng(seed).normal(0.0, sigma, (N, N)).astype(np.float32)


def _stroke(darkness: np.ndarray, p: tuple[int, int], q: tuple[int, int], shade: float, width: int = 2) -> None:
    mask = np.zeros((N, N), np.uint8)
    cv2.line(mask, p, q, 1, width)
    darkness[mask > 0] = np.maximum(darkness[mask > 0], shade)


def test_a_ticks_short_stroke_apart_from_its_long_one_is_beside_that_line():
    """Held-out 7215003886 BO.OM.93/24@2 (Kraków, phone, colour 180; golden file): a light pencil
    tick whose foot sits under the outline's blurred fringe is two light pieces, its long stroke
    and its short one. The long stroke alone is straight and the crop shows it going on beyond
    the box (the tick's overshoot, a neighbour's mark in line); the page shows no such line. A
    straight line the page does not confirm is a streak only with no more light ink beside it
    than the paper holds: the short stroke, a piece of its own, was not counted. Read blank."""
    darkness, grain, printed, (mp, side, a, b) = _golden("pale_tick_foot_under_fringe_phone_180dpi")
    assert faint_ink(darkness, grain, printed, mp, side, a, b, on_page=_no_line_on_page)


def test_a_pale_line_the_crop_shows_going_on_is_a_streak_only_alone():
    """Drawn: a pale straight line across the box that the crop shows going on beyond it on both
    sides (the page does not: a streak too faint for the page's test) is no light ink alone; with
    a short pale stroke beside it, apart from it (a tick's short stroke), a person looks."""
    paper, _ = _box(_clean_paper())
    line = paper.copy()
    _stroke(line, (12, 62), (62, 12), 0.12)  # the line stops short of the crop's outer band
    darkness, printed = _box(line)
    assert not faint_ink(darkness, 0.005, printed, MP, SIDE, A, B, on_page=_no_line_on_page)
    _stroke(line, (27, 27), (29, 35), 0.12)  # the short stroke, beside the line, 8 px from it
    darkness, printed = _box(line)
    assert faint_ink(darkness, 0.005, printed, MP, SIDE, A, B, on_page=_no_line_on_page)


def test_the_light_ink_level_is_no_darker_than_the_papers_own_darkest_shade():
    """Held-out 7215001143 240@11 (Dieppe, grey 300, the back's print showing through; golden
    file): the ring's paper is of two shades (the scanner's clipped white, 0, and a block 0.03-0.04
    darker), its noise a grey level. Median + 6 MAD measured the step between the shades, not
    the paper: 0.20, where 99 % of the ring is under 0.06, and a light pencil tick (0.10-0.23)
    was under it: read blank. The level is never above the paper's darkest shade and 6 noise."""
    darkness, grain, printed, (mp, side, a, b) = _golden("pale_tick_two_level_paper_grey_300dpi")
    assert paper_level(darkness, printed, mp, side, without_ink=True) > 0.15  # the step, not the paper
    assert paper_level(darkness, printed, mp, side, without_ink=True, grain=noise(darkness)) < 0.12
    assert faint_ink(darkness, grain, printed, mp, side, a, b, on_page=_no_line_on_page)


def test_a_paper_of_two_shades_hides_no_pale_tick_and_shows_none_of_its_own():
    """Drawn: a paper of two shades (the crop's middle a block 0.04 darker than its edges, as
    the back's print showing through makes it; about half the ring each), its noise 0.003. A
    pale tick (0.12) in the box is light ink; the same box blank is not (the block's edge is no
    stroke)."""
    paper = _clean_paper(2, 0.003)
    paper[6:69, 6:69] += 0.04
    blank, printed = _box(paper)
    assert not faint_ink(blank, 0.003, printed, MP, SIDE, A, B, on_page=_no_line_on_page)
    ticked = paper.copy()
    _stroke(ticked, (29, 38), (35, 46), 0.12, 3)
    _stroke(ticked, (35, 46), (47, 27), 0.12, 3)
    darkness, printed = _box(ticked)
    assert faint_ink(darkness, 0.003, printed, MP, SIDE, A, B, on_page=_no_line_on_page)


def test_on_a_paper_of_one_shade_the_level_is_median_plus_six_mad():
    """The bound by the darkest shade lies beyond 6 MAD on a paper of one shade and white noise
    (2.3 + 6 noise widths): there the level is what it always was."""
    darkness, printed = _box(_clean_paper(3, 0.01))
    assert paper_level(darkness, printed, MP, SIDE, True, grain=noise(darkness)) == paper_level(
        darkness, printed, MP, SIDE, True
    )


def test_a_pale_tick_on_a_paper_shaded_less_than_levelled_takes_out_is_light_ink():
    """Held-out 9909000444 c54 (the 56-choice ballot, phone, colour 150 dpi; golden file): light
    falls off across the crop by 0.018, under what `levelled` takes out (0.02), and its grey
    levels are 1/200 apart: the ring is two shades, one per side, its MAD half the step between
    them, and median + 6 MAD (0.10) lay above a light pencil tick (0.08-0.14); the darkest-shade
    bound held the tick's own overshoot past the box. Read blank. Measured about the ring's own
    shading, the paper's noise is a grey level: the tick is light ink."""
    darkness, grain, printed, (mp, side, a, b) = _golden("pale_tick_shaded_paper_phone_150dpi")
    bare, darkest, shaded = paper_bounds(darkness, printed, mp, side, ink_edge(darkness), noise(darkness))
    assert min(bare, darkest) > 0.09 and shaded < 0.05
    assert faint_ink(darkness, grain, printed, mp, side, a, b, on_page=_no_line_on_page)


def test_the_usual_bar_is_paper_levels_own():
    """`paper_bounds` gives `paper_level`'s two measures to the bit (the bar every box is looked
    at first is what it was: a lower bar only adds a second look), and on a paper of one shade,
    unshaded, its third is the first to within the noise."""
    for seed, sigma in ((3, 0.01), (4, 0.004)):
        darkness, printed = _box(_clean_paper(seed, sigma))
        inked, grain = ink_edge(darkness), noise(darkness)
        bare, darkest, shaded = paper_bounds(darkness, printed, MP, SIDE, inked, grain)
        assert bare == paper_level(darkness, printed, MP, SIDE, True)
        assert min(bare, darkest) == paper_level(darkness, printed, MP, SIDE, True, grain=grain)
        assert abs(shaded - bare) < 0.2 * bare


def test_a_smooth_pale_tick_on_blurred_paper_is_no_show_through():
    """Drawn (review m17c, F3): a photo's blur makes the paper's noise smooth (sigma 0.01, its
    neighbour differences 0.002): median + 6 MAD of the ring (0.06) is above the floor, the
    darkest-shade bound (0.03) under it. Clean paper, where the floor alone is the bar, asks a
    piece for graphite's darker grains (the back's print showing through has none); a blurred
    pale tick (0.062) has none either: read blank. The paper is clean by what its pixels spread,
    smooth or not: the tick is light ink, and the blank box still is not."""
    paper = cv2.GaussianBlur(np.random.default_rng(0).normal(0, 1, (N, N)).astype(np.float32), (0, 0), 2.0)
    paper = (paper / paper.std() * 0.01).astype(np.float32)
    blank, printed = _box(paper)
    assert not faint_ink(blank, noise(blank), printed, MP, SIDE, A, B, on_page=_no_line_on_page)
    _stroke(paper, (29, 38), (35, 46), 0.062, 3)
    _stroke(paper, (35, 46), (47, 27), 0.062, 3)
    darkness, printed = _box(paper)
    assert faint_ink(darkness, noise(darkness), printed, MP, SIDE, A, B, on_page=_no_line_on_page)


def test_a_light_tick_at_the_floor_on_clean_paper_in_shades_goes_to_a_person():
    """Held-out 3076001780 box 5 (the sample ballot, phone, colour 150; its one misread, replayed
    once spent; golden file): a light pencil tick at 0.04-0.06, its foot up to 0.13, on clean
    paper (noise 0.0045, the level 0.042 under the 0.05 floor). At the floor it broke into bits
    none of which spans the box: read blank, cover 0. On a scan in shades (`low`) such paper is
    looked at down to FAINT_LOW too, where the tick is one piece holding graphite's darker core."""
    darkness, grain, printed, (mp, side, a, b) = _golden("pale_tick_at_the_floor_phone_150dpi")
    assert not faint_ink(darkness, grain, printed, mp, side, a, b, on_page=_no_line_on_page)
    assert faint_ink(darkness, grain, printed, mp, side, a, b, on_page=_no_line_on_page, low=True)


def test_below_the_floor_a_piece_without_a_core_is_no_light_ink():
    """Drawn: the lower look asks the same core of a piece (`CORE_PX` pixels at 1.5x the floor) as
    the floor does on clean paper. A tick at the floor all over, half its pixels under it (the
    back's print showing through is as flat) is not light ink, even looked at below the floor;
    with a few grains at 0.09 at its foot, it is."""
    paper = _clean_paper(5, 0.004)
    flat = paper.copy()
    _stroke(flat, (29, 38), (35, 46), 0.05, 3)
    _stroke(flat, (35, 46), (47, 27), 0.05, 3)
    darkness, printed = _box(flat)
    assert not faint_ink(darkness, noise(darkness), printed, MP, SIDE, A, B, on_page=_no_line_on_page, low=True)
    flat[44:47, 33:37] = 0.09  # graphite's darker grains at the foot
    darkness, printed = _box(flat)
    assert faint_ink(darkness, noise(darkness), printed, MP, SIDE, A, B, on_page=_no_line_on_page, low=True)
