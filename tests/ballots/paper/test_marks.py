"""Box reading on sheets of the bench corpus that were once misread (replayed exactly: the bench
prints with a fixed secret and serials, so a sheet seed always draws the same image).

Each case is a real rendered, marked and degraded page read end to end by `sheet.read_gray`;
the assertion is on the box that went wrong, and on every other box of the sheet: no misread.
"""

from __future__ import annotations

import numpy as np
import pytest

from ballots.paper import sheet
from bench import bench_scan, paper_frames
from tests.ballots.paper.helpers import frames_sheet, mark, printed_sample


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """`bench_scan.corpus_sheet`; a sheet asked for twice (two boxes of one sheet) is drawn once."""
    bench_scan._init(bench_scan.fixed_setups(tmp_path_factory.mktemp("corpus")))
    made: dict[int, tuple] = {}

    def sheet_of(seed):
        if seed not in made:
            made[seed] = bench_scan.corpus_sheet(seed)
        return made[seed]

    return sheet_of


def _read(corpus, seed):
    sh, election, secret = corpus(seed)
    from ballots.paper import sources

    read = sheet.read_gray(sources.decode_bytes(sh.data), election, secret, evidence=False)
    assert read.error is None, read.error
    return sh, {b.key: b for b in read.boxes}


def _no_misread(sh, boxes):
    for key, b in boxes.items():
        if b.state != "ambiguous":
            assert b.state == sh.truth[key], (key, sh.kinds[key], b.state, b.why, b.cover)


@pytest.mark.parametrize(
    "seed, keys",
    [
        # Low contrast, a strong shadow and heavy grain: under the shadow, paper grain passed
        # the ink threshold (ink was judged by the sheet's global level) and a column of empty
        # boxes read marked; an X in the brighter part read blank.
        (1001257, ["c16", "c18", "c20", "c22", "c30"]),
        (2001380, ["p02", "p03", "p10", "p13"]),
    ],
)
def test_grain_under_a_shadow_is_not_ink(corpus, seed, keys):
    sh, boxes = _read(corpus, seed)
    for key in keys:
        assert boxes[key].state == sh.truth[key], (key, sh.kinds[key], boxes[key].why)
    _no_misread(sh, boxes)


@pytest.mark.parametrize(
    "seed, key, kind",
    [
        (1000147, "c05", "dot"),  # a wide pale crease beside a dot, bits of it over the threshold
        (1001079, "c17", "dot"),  # a 1-px crease leaving the crop through neighbours' outlines
        (1001939, "c04", "dot"),  # a faint crease broken into fragments, one touching the dot
        (1002590, "p01", "dot"),
        (1001894, "p03", "dot"),  # the dot sits on the crease
        (2001547, "c01", "dot"),
        (4001119, "c06", "dot"),  # a 1-px crease left in fragments after erasing, beside a dot
        (2000602, "p04", "dot"),  # fragments touching the dot, all of it one piece (cover below a real mark's)
        (6002234, "p06", "dot"),  # two creases side by side (misread while the second was taken for the first)
        (8000411, "c22", "dot"),  # a 1-px streak lost to JPEG outside the box, through the dot inside it
        # A wide blurred crease; a blob beside it pulled the Hough line 10 degrees off, so the cut
        # missed the crease and the blob plus the crease's edge passed for a mark.
        (6001354, "p07", "stray"),
        (7002302, "p05", "stray"),  # a felt stray's tip and a crease too faint to be whole anywhere
        # A dot beside a faint fold broken at the ink threshold (whole at the faint level): a thin
        # mark the voter's pen on the sheet made `marked` (own_pen; x15's fresh dev seed 192).
        (192000022, "p09", "dot"),
        # A faint fold in line with a neighbour's felt stray coming in from below: measured whole
        # along the crop, the line was as wide and dark as a felt stroke and kept; the fold's bits
        # plus the stray's tip passed for a thin mark in the voter's felt (held-out 9879, spent).
        (9879000499, "c16", "stray"),
        # A dot on a 1-px streak slanted a few degrees through a column of boxes, JPEG-broken: at
        # the faint level the streak ran end to end of the crop but gave the line search 35-39
        # votes of the 45 asked, and the dot plus the streak's bits, a thin mark, were read in the
        # voter's own pen (first-corpus held-out 4802, replayed once spent).
        (4802000271, "c17", "dot"),
    ],
)
def test_a_dot_or_stray_beside_a_crease_is_never_marked(corpus, seed, key, kind):
    sh, boxes = _read(corpus, seed)
    assert sh.kinds[key] == kind
    assert boxes[key].state in ("blank", "ambiguous"), (boxes[key].why, boxes[key].cover)
    _no_misread(sh, boxes)


@pytest.mark.parametrize(
    "seed, key",
    [
        (1000069, "c35"),  # a pencil tick whose short stroke is clipped by the inner window
        (1000096, "p18"),  # a dark tick above a neighbour's mark in line with its long stroke
        (1000129, "c36"),  # a bent long stroke (a straight band would leave slivers)
        (1000773, "c15"),  # a felt-pen tick: its short stroke is little more than a blob
    ],
)
def test_a_plain_tick_is_decided_marked(corpus, seed, key):
    sh, boxes = _read(corpus, seed)
    assert sh.kinds[key] == "tick"
    assert boxes[key].state == "marked", (boxes[key].why, boxes[key].cover)
    _no_misread(sh, boxes)


@pytest.mark.parametrize(
    "seed, key, truth",
    [
        (7001353, "c04", "blank"),  # a streak along the outline, partly outside the inside window
        (7001889, "c50", "blank"),  # a streak beside the outline: measured offset by offset across it
        (7000464, "p09", "blank"),  # a faint crease broken into a lone stroke in the box
        (7001437, "c21", "blank"),  # a crease beside the box's centre, through a column of marked boxes
        (7001520, "p05", "blank"),  # a faint crease, broken at the ink threshold, followed in the page
        (7001437, "c27", "marked"),  # a tick's long stroke overshooting into a corner of the crop
        (7002060, "p01", "marked"),  # a crease along the tick's long stroke: its edge is not a second line
        (7001593, "c01", "marked"),  # a pencil tick across a faint streak: darker than the streak
    ],
)
def test_a_box_crossed_by_a_crease_is_decided(corpus, seed, key, truth):
    sh, boxes = _read(corpus, seed)
    assert sh.truth[key] == truth
    assert boxes[key].state == truth, (boxes[key].why, boxes[key].cover)
    _no_misread(sh, boxes)


@pytest.mark.parametrize(
    "seed",
    [
        3000161,  # corners found on the reduced copy only: 3-4 px off at the foot of the column
        5000108,  # a scanner streak across a corner square cut it in two
        5000849,
    ],
)
def test_every_box_is_found_where_it_was_printed(corpus, seed):
    sh, boxes = _read(corpus, seed)
    assert not [k for k, b in boxes.items() if b.why == "misaligned"]
    _no_misread(sh, boxes)


def test_a_crease_along_a_tick_does_not_erase_it(corpus):
    """The crease runs along the tick's long stroke: erasing it took the stroke too."""
    sh, boxes = _read(corpus, 1001023)
    assert sh.kinds["c01"] == "tick"
    assert boxes["c01"].state in ("marked", "ambiguous"), boxes["c01"].why
    _no_misread(sh, boxes)


def test_a_dark_corner_passing_for_a_square_never_puts_boxes_on_their_neighbours(corpus):
    """A badly lit corner passed for a corner square on the reduced copy; the homography through
    it put boxes on their neighbours. First the sheet was refused (their outlines misaligned);
    since the three real squares and a code place the page (reading._fourth_from_code) and the
    outlines refine it, it is read, every box as drawn."""
    from ballots.paper import sources

    sh, election, secret = corpus(1002414)
    read = sheet.read_gray(sources.decode_bytes(sh.data), election, secret, evidence=False)
    assert read.error is None, read.error
    _no_misread(sh, {b.key: b for b in read.boxes})
    assert sum(b.state == "marked" for b in read.boxes) == sum(v == "marked" for v in sh.truth.values())


@pytest.mark.parametrize("kind", ["tick", "x"])
def test_a_light_pencil_mark_is_never_read_blank(paper_store, tmp_path, kind):
    """Regression (issue 11): a light pencil tick, plainly visible, was read blank, not even sent to a person."""
    page, lay = printed_sample(paper_store, tmp_path)
    keys = [b.key for b in lay.sheet_boxes(1)][::2]
    states = []
    for seed in range(4):
        img = mark(page, lay, dict.fromkeys(keys, kind), dpi=200, seed=seed, tool="light")
        read = sheet.read_gray(img, paper_store.election(), paper_store.election_secret(), evidence=False)
        boxes = {b.key: b for b in read.boxes}
        states += [boxes[k].state for k in keys]
        assert all(b.state == "blank" for k, b in boxes.items() if k not in keys)  # neighbours stay blank
    assert "blank" not in states  # the very lightest, smallest ticks too (≤ 4 % still were before the noise rule)
    assert "ambiguous" in states  # the lightest ones go to a person


@pytest.mark.parametrize("seed", [0, 1])
def test_pale_pencil_in_any_shape_goes_to_a_person_never_blank(paper_store, tmp_path, seed):
    """Regression (issue 11, item 5): pale pencil crosses, check marks and fills drawn with graphite
    grain, a few grey levels darker than the paper, were read `blank` ("empty"): the light-ink rule
    only looked above 15 % darkness, and a check mark whose long arm ran out of the box was left
    out as a line from outside."""

    def plan(i, rng):
        return (rng.choice(("x", "tick", "fill")), "pencil_light") if i % 2 == 0 else None

    drawn, read = frames_sheet(paper_store, tmp_path, plan, seed)
    assert drawn
    for key, b in read.items():
        if key in drawn:
            assert b.state != "blank", (key, drawn[key], b.why)
        else:
            assert b.state == "blank", (key, b.state, b.why)  # the empty boxes between stay decided


def test_clear_marks_in_colour_ink_are_read(paper_store, tmp_path):
    """Blue, red and black ballpoint and felt tip, crosses, check marks, fills and scribbles: read marked."""

    def plan(i, rng):
        ink = ("ballpoint_black", "ballpoint_blue", "ballpoint_red", "felt_blue", "felt_red", "felt_green")[i % 6]
        return (("x", "tick", "fill", "scribble")[i % 4], ink) if i % 2 == 0 else None

    drawn, read = frames_sheet(paper_store, tmp_path, plan, 3, None)
    for key, b in read.items():
        assert b.state == ("marked" if key in drawn else "blank"), (key, drawn.get(key), b.state, b.why)


def test_a_box_the_frame_cut_off_is_never_read(paper_store, tmp_path):
    """Regression (issue 11, bench_scan_hard): a blank box on a corner the scanner's frame cut off
    was read `marked`: the straightened crop repeated the image's last rows (black lid) inside it."""
    from ballots.paper import marks, reading

    page, lay = printed_sample(paper_store, tmp_path)
    loc = reading.locate(page)
    boxes = lay.sheet_boxes(1)
    x0, _, w, _ = boxes[0].rect
    cut = int((x0 + w / 2) * 200 / 72)  # the image ends halfway across the first column of boxes
    dark_lid = page.copy()
    dark_lid[:, cut:] = 0
    reads = marks.read_boxes(np.ascontiguousarray(dark_lid[:, : cut + 1]), loc, lay, 1)
    cut_off = [r for r, b in zip(reads, boxes, strict=True) if b.rect[0] + b.rect[2] > cut * 72 / 200]
    assert cut_off
    assert all(r.state == "ambiguous" and r.why == "off_image" for r in cut_off), [(r.state, r.why) for r in cut_off]


@pytest.fixture(scope="module")
def ranked_grid(tmp_path_factory):
    """Dieppe 2015's ranked grid (18 ranks, boxes side by side) printed and rendered at 600 dpi."""
    from ballots import pabulib
    from ballots.paper import geometry, issued
    from ballots.paper.printing import print_ballots
    from ballots.store import Store
    from tests.ballots.paper.helpers import render
    from tests.conftest import PABULIB

    path = PABULIB / "US_Stanford_Dataset_PB_Dieppe_2015_vote_rankings.pb"
    if not path.exists():
        pytest.skip("../shared/data/pabulib is not here")
    tmp = tmp_path_factory.mktemp("grid")
    store = Store(tmp / "data")
    store.install_election(pabulib.load(path).election, secret=b"g" * 32)
    issued.ensure(store)
    print_ballots(store, 1, tmp / "b.pdf")
    pages: dict[int, object] = {}

    def page(dpi: int):
        if dpi not in pages:
            pages[dpi] = render(tmp / "b.pdf", dpi)[0]
        return pages[dpi]

    return store, page, geometry.layout(store.election(), "A")


def _grid_sheet(ranked_grid, tmp_path, dpi, plan_for, seed):
    """The ranked grid at `dpi`, marked by `plan_for(i, rng)` -> (kind, ink) or None, scanned in grey."""
    import random

    store, page, lay = ranked_grid
    rng = random.Random(seed)
    img = paper_frames.to_bgr(page(dpi))
    drawn = {}
    for i, b in enumerate(lay.sheet_boxes(1)):
        if (what := plan_for(i, rng)) is not None:
            paper_frames.draw_mark(img, tuple(v * dpi / 72 for v in b.rect), *what, dpi / 25.4, rng)
            drawn[b.key] = what
    data, suffix = paper_frames.capture(img, paper_frames.Capture(mode="grey", dpi=dpi), rng)
    path = tmp_path / f"g{suffix}"
    path.write_bytes(data)
    read = sheet.read_page(str(path), 1, store.election(), store.election_secret(), evidence=False)
    assert read.error is None, read.error
    assert drawn
    return drawn, {b.key: b for b in read.boxes}


@pytest.mark.parametrize("seed", [0, 1])
def test_an_x_overflowing_the_box_is_never_read_blank(ranked_grid, tmp_path, seed):
    """Regression (issue 11, item 5; bench_scan_hard seed 7 sheet 106): a pencil X whose arms ran
    far past its box in a ranked grid at 600 dpi was read `blank` (`lone_line`): both arms run
    off the box's small crop, so they were taken out as creases, and nothing was left. A crease
    is a line the page shows going on far beyond the box; an X's arms stop a few millimetres out."""

    def plan(i, rng):  # apart enough that one X's arms do not reach the next one drawn
        return ("overflow_x", "pencil") if i % 7 == seed else None

    drawn, boxes = _grid_sheet(ranked_grid, tmp_path, 600, plan, seed)
    assert [(k, boxes[k].why) for k in drawn if boxes[k].state == "blank"] == []


def test_a_check_mark_in_a_ranked_grid_is_decided(ranked_grid, tmp_path):
    """Regression (issue 11, "clear sheets decided"; bench_scan_hard seed 7 sheets 51, 85, 104):
    plain ballpoint check marks in Dieppe's grid at 300 dpi went to a person (`through_line`):
    the long stroke, extended, crosses a printed outline at every step of the grid, and those
    crossings passed for a crease going on far beyond the box. Outlines are left out of that
    look now: the check marks are read, the empty boxes between stay blank."""

    def plan(i, rng):
        return ("tick", ("ballpoint_blue", "ballpoint_red", "ballpoint_black")[i % 3]) if i % 5 == 0 else None

    drawn, boxes = _grid_sheet(ranked_grid, tmp_path, 300, plan, 3)
    wrong = [(k, b.state, b.why) for k, b in boxes.items() if b.state != ("marked" if k in drawn else "blank")]
    assert wrong == []


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_light_pencil_mark_under_a_phone_shadow_is_never_read_blank(paper_store, tmp_path, seed):
    """Regression (issue 11, item 5; bench_scan_hard seed 8 sheet 143): pale pencil crosses on a
    phone photo with light falling off and a soft shadow were read `blank` ("empty"): the paper
    around each box was darker on one side, and its median + 6 MAD measured that drift (and a
    neighbour's fill in the ring), not the paper's noise. The paper is measured level, without ink."""

    def plan(i, rng):
        return (rng.choice(("x", "tick")), "pencil_light") if i % 2 == 0 else None

    cap = paper_frames.Capture(
        device="phone", dpi=200, mode="colour", skew=-6.4, jpeg=76, blur=1.1, noise=3.4, light=0.35, shadow=0.3,
        tilt=0.04, cast=(1.0, 1.0, 1.12), lid=49,
    )  # fmt: skip
    drawn, read = frames_sheet(paper_store, tmp_path, plan, seed, cap)
    assert drawn
    assert [(k, read[k].why) for k in drawn if read[k].state == "blank"] == []


@pytest.mark.parametrize(("dpi", "seed"), [(150, 1), (200, 2)])
def test_a_partial_fill_among_filled_neighbours_in_a_ranked_grid_is_decided(ranked_grid, tmp_path, dpi, seed):
    """Regression (issue 11, "clear sheets decided"; bench_scan_hard seed 21 sheet 167): in
    Dieppe's grid of small boxes, a partial felt-tip fill whose neighbours on the diagonals were
    filled too went to a person as `crossed_out`: the neighbours' fills reaching into the crop's
    corners passed for the arms of an X drawn over it. Only ink that leaves the box at its
    corner is an arm."""
    boxes = ranked_grid[2].sheet_boxes(1)
    centres = [(b.rect[0] + b.rect[2] / 2, b.rect[1] + b.rect[3] / 2) for b in boxes]
    side = boxes[0].rect[2]
    targets = set(range(40, len(boxes) - 40, 23))  # partial fills, apart enough
    fills = set()
    for t in targets:
        tx, ty = centres[t]
        for i, (x, y) in enumerate(centres):
            if side < abs(x - tx) < 3 * side and side < abs(y - ty) < 3 * side:
                fills.add(i)  # a box on a diagonal of the target, filled

    def plan(i, rng):
        if i in targets:
            return ("partial", "felt_black")
        return ("fill", ("felt_black", "felt_blue")[i % 2]) if i in fills - targets else None

    drawn, read = _grid_sheet(ranked_grid, tmp_path, dpi, plan, seed)
    wrong = [
        (k, drawn.get(k), b.state, b.why) for k, b in read.items() if b.state != ("marked" if k in drawn else "blank")
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "seed, keys",
    [
        (11000049, ["c03"]),  # a diagonal fold cut into a short bar by the outline's mask
        (11000288, ["p07"]),  # a wide pale streak and a fold crossing in the box
        (11000300, ["p02"]),  # a streak and a fold crossing in the box
        (11000377, ["c04"]),  # a fold through the box's corner
        # h14's census (dev seeds 161, 164): a fold on a low-contrast page (noise 8-10, light
        # fall-off), pale at the light-ink level and broken there: its bit in the box spans
        # 0.4-0.7 of it, alone in the crop. One straight line: the page is asked, and shows it.
        (161000036, ["p08"]),
        (164000025, ["c01"]),
        # h14's census v2 (dev seed 163): a streak found ~5 degrees off on the smoothed second
        # look; between the boxes it shows in the two samples nearest the box, then drifts off.
        (163000040, ["p06"]),
    ],
)
def test_creases_through_an_empty_box_are_not_light_ink(corpus, seed, keys):
    """Regression (issue 11, clear sheets decided; bench_scan dev seed 11): folds and streaks that
    the page shows going on across the sheet, pale enough to be below the ink level, made
    `faint_ink` on empty boxes of clear sheets (a person asked for nothing). They are taken out
    of the light ink first, each line only where the page confirms it."""
    sh, boxes = _read(corpus, seed)
    for key in keys:
        assert sh.kinds[key] == ""
        assert boxes[key].state == "blank", (key, boxes[key].why)
    _no_misread(sh, boxes)


def test_faint_folds_are_cut_as_wide_as_they_are_where_they_show(corpus):
    """Regression (held-out 8938, first corpus, replayed once spent): two faint folds converging
    through an empty box, broken up at the ink threshold outside it and whole inside. Their width
    was measured over their gaps too, so each was cut too thin; the slivers left along their edges
    were joined across the cuts into a V and read marked. Width is measured where a fold shows."""
    sh, boxes = _read(corpus, 8938000505)
    assert sh.kinds["c02"] == ""
    assert boxes["c02"].state != "marked", (boxes["c02"].why, boxes["c02"].cover)
    _no_misread(sh, boxes)
