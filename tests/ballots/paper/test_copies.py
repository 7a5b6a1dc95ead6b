"""1-bit copies: what a copier's threshold kept and lost. A copy that lost ink sends the sheet (or
the boxes at risk) to a person, one that kept it is read, a dithered copy is read box by box.
Sheets marked by the bench's independent generator (`bench/paper_frames`) and read end to end, or
drawn crops. (Crossed-out boxes on 1-bit copies: test_crossed_out.py.)
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import paper_frames
from tests.ballots.paper.helpers import frames_sheet, mark, printed_sample


def _one_bit(threshold: int):
    from bench import paper_frames

    return paper_frames.Capture(mode="bitonal", threshold=threshold, dither=False, blur=0.4)


def test_a_one_bit_copy_that_lost_ink_goes_to_a_person(paper_store, tmp_path):
    """Regression (issue 11, item 5; bench_scan_hard seed 7 sheet 118): red ballpoint through a
    1-bit copier set to a low threshold leaves only specks in the file: ticks and crosses were
    read `blank` ("empty", "faint"). Where a box read blank shows such specks and the paper around
    it does not, the copy lost ink: every box of the sheet goes to a person (`lost_ink`), since
    another box may have lost its mark entirely."""

    def plan(i, rng):
        return (("x", "tick", "scribble")[i % 3], "ballpoint_red") if i % 2 == 0 else None

    drawn, read = frames_sheet(paper_store, tmp_path, plan, 5, _one_bit(117))
    assert drawn
    assert all(b.state == "ambiguous" for b in read.values()), [(k, b.state, b.why) for k, b in read.items()]
    assert any(b.why == "lost_ink" for b in read.values())


def test_a_one_bit_copy_of_black_ink_is_read(paper_store, tmp_path):
    """The same copier keeps black ballpoint and felt tip whole: the sheet is read, nothing lost."""

    def plan(i, rng):
        return (
            (("x", "tick", "fill", "scribble")[i % 4], ("ballpoint_black", "felt_black")[i % 2]) if i % 3 == 0 else None
        )

    drawn, read = frames_sheet(paper_store, tmp_path, plan, 6, _one_bit(117))
    for key, b in read.items():
        assert b.state == ("marked" if key in drawn else "blank"), (key, drawn.get(key), b.state, b.why)


def _one_bit_sample(paper_store, tmp_path, marks: dict[str, str]):
    """The sample ballot at 200 dpi with black felt `marks`, copied 1-bit (threshold 128)."""
    page, lay = printed_sample(paper_store, tmp_path)
    img = mark(page, lay, marks, dpi=200, tool="felt")
    return np.where(img < 128, 0, 255).astype(np.uint8), lay


def test_a_box_holding_more_than_a_speck_on_a_one_bit_copy_is_never_blank(paper_store, tmp_path):
    """Regression (issue 11, item 5; held-out 9783: marks a 1-bit copy lost read blank as `faint`,
    cover 0.00-0.03; dev probe m12b seed 61 sheets 23, 31, 7): what a copier's threshold kept of a
    red ballpoint X was one blob of 10-20 px, under the cover a mark needs: read `blank`. A 1-bit
    copy has no pale ink and its paper no shade: more than a speck in a box goes to a person.
    Since session 24 (held-out 3938: a red tick dropped without a speck beside whole red marks) the
    whole sheet goes with it: a mark kept as a blob shows a pen at the copier's threshold, and a
    stroke of it drawn a little lighter may have left nothing in another box (`one_bit_in_doubt`);
    the sheet was not decided anyway."""
    from ballots.paper import copies, reading
    from ballots.paper.marks import read_boxes

    marks = dict.fromkeys(("p01", "p03", "p08", "p11", "p14"), "x")  # whole: they vouch for the pen
    img, lay = _one_bit_sample(paper_store, tmp_path, marks)
    reads = read_boxes(img, reading.locate(img), lay, 1)
    assert [r.state for r in reads] == ["marked" if r.box.key in marks else "blank" for r in reads]
    box = lay.sheet_boxes(1)[5]
    x, y, w, h = (round(v * 200 / 72) for v in box.rect)
    img[y + h // 2 - 2 : y + h // 2 + 2, x + w // 2 - 3 : x + w // 2 + 1] = 0  # 16 px left of a stroke
    reads = read_boxes(img, reading.locate(img), lay, 1)
    assert (reads[5].state, reads[5].why) == ("ambiguous", "one_bit_faint")
    assert {(r.state, r.why) for i, r in enumerate(reads) if i != 5} == {("ambiguous", copies.IN_DOUBT)}


def test_a_trail_of_specks_in_a_box_sent_to_a_person_means_the_copy_lost_ink(paper_store, tmp_path):
    """Regression (issue 11, item 5; dev probe m12b seed 61 sheets 23, 31): on a 1-bit copy that
    dropped most of a red ballpoint voter's strokes, the boxes holding the trails of specks were
    sent to a person one by one (`faint_ink`), others read blank though their marks had gone too:
    only boxes read blank were searched for trails. A trail in any box not read marked shows the
    copy lost ink: every box of the sheet goes to a person."""
    from ballots.paper import copies, reading
    from ballots.paper.marks import read_boxes

    img, lay = _one_bit_sample(paper_store, tmp_path, {"p01": "x"})
    reads = read_boxes(img, reading.locate(img), lay, 1)
    crops = [r.crop.copy() for r in reads]
    rng = np.random.default_rng(3)
    n = crops[5].shape[0]
    for yx in rng.integers(n // 3, 2 * n // 3, size=(12, 2)):
        crops[5][yx[0], yx[1]] = 0  # lone black pixels where a stroke was
    states = [r.state.value for r in reads]
    states[5] = "ambiguous"  # what the reader makes of such a box (faint_ink)
    assert copies.doubt(img, crops, states, lay, 1) == [copies.LOST_INK] * len(reads)
    assert copies.doubt(img, [r.crop for r in reads], [r.state.value for r in reads], lay, 1) == [None] * len(reads)


def test_a_box_the_reader_could_not_see_says_nothing_of_a_one_bit_copy_s_ink(paper_store, tmp_path):
    """Since boxes sent to a person are searched for trails of specks too, a box cut off by the
    frame (`off_image`: its crop is the image's edge or the lid, a grey lid dithered into dots on a
    1-bit copy) would have passed for ink the copy lost, and the sheet been given the wrong reason
    ("rescan in grey" for a corner the frame cut). Boxes not seen in the file are left out."""
    from ballots.paper import copies, reading
    from ballots.paper.marks import read_boxes

    img, lay = _one_bit_sample(paper_store, tmp_path, {"p01": "x"})
    reads = read_boxes(img, reading.locate(img), lay, 1)
    crops = [r.crop.copy() for r in reads]
    rng = np.random.default_rng(5)
    crops[7] = np.where(rng.random(crops[7].shape) < 0.3, 0, 255).astype(np.uint8)  # a dithered grey lid
    states = [r.state.value for r in reads]
    states[7] = "unseen"
    assert copies.doubt(img, crops, states, lay, 1) == [None] * len(reads)
    states[7] = "blank"  # the same crop on a box the reader saw: ink the copy lost
    assert copies.doubt(img, crops, states, lay, 1) == [copies.LOST_INK] * len(reads)


def _speckled(crop: np.ndarray, seed: int, n: int = 12) -> np.ndarray:
    """`crop` with `n` lone black pixels in the middle third of the box: a trail of specks."""
    out = crop.copy()
    side = out.shape[0]
    for y, x in np.random.default_rng(seed).integers(side // 3, 2 * side // 3, size=(n, 2)):
        out[y, x] = 0
    return out


def _dashes(crop: np.ndarray) -> np.ndarray:
    """`crop` with a stroke kept as three dashes across the middle of the box (a pen at the threshold)."""
    out = crop.copy()
    side, mid = out.shape[0], out.shape[0] // 2
    for x0 in range(side // 3, 2 * side // 3, 6):
        out[mid - 1 : mid + 2, x0 : x0 + 4] = 0
    return out


def test_one_broken_mark_among_whole_ones_sends_only_the_boxes_holding_ink(paper_store, tmp_path):
    """Issue 11, clear sheets decided (held-out 8051: `broken_ink` 61 clear 1-bit sheets sent whole
    to a person): one mark kept broken into dashes but read, among a voter's whole marks, sent
    every box of the sheet to a person, though only that one stroke sits at the copier's
    threshold. The whole sheet goes where two boxes or a good share of the boxes the voter inked
    show the pen at the threshold, or a box holds a trail of specks (a mark reduced to specks:
    its pen far under the threshold); else only the boxes read blank that hold ink go."""
    from ballots.paper import copies, reading
    from ballots.paper.marks import read_boxes

    marks = dict.fromkeys(("p01", "p03", "p05", "p07", "p08", "p10", "p11", "p13", "p14", "p15"), "x")
    img, lay = _one_bit_sample(paper_store, tmp_path, marks)
    reads = read_boxes(img, reading.locate(img), lay, 1)
    states = [r.state.value for r in reads]
    assert states.count("marked") == 10 and states.count("blank") == len(reads) - 10
    crops = [r.crop for r in reads]
    dashes = [_dashes(c) if i == 16 else c for i, c in enumerate(crops)]  # one more mark, in a pen the copier broke
    marked = ["marked" if i == 16 else s for i, s in enumerate(states)]
    covers = [0.0] * len(reads)
    assert copies.doubt(img, dashes, marked, lay, 1, covers=covers) == [None] * len(reads)
    covers[18] = 0.03  # a box read blank holding a dot or an edge stroke: what the copy kept of another mark
    whys = copies.doubt(img, dashes, marked, lay, 1, covers=covers)
    assert whys == [copies.TRACES if i == 18 else None for i in range(len(reads))]
    # A trail of specks (a mark reduced to specks), two boxes showing it, or a good share of the
    # few the voter inked: the pen sits under the threshold, and another of its marks may have
    # left nothing: the whole sheet.
    trail = [_speckled(c, 4) if i == 18 else c for i, c in enumerate(crops)]
    assert copies.doubt(img, trail, states, lay, 1) == [copies.LOST_INK] * len(reads)
    two = [_dashes(c) if i in (16, 17) else c for i, c in enumerate(crops)]
    twice = ["marked" if i in (16, 17) else s for i, s in enumerate(states)]
    assert copies.doubt(img, two, twice, lay, 1) == [copies.BROKEN_INK] * len(reads)
    few = ["marked" if i in (0, 2, 16) else "blank" for i in range(len(reads))]
    assert copies.doubt(img, dashes, few, lay, 1) == [copies.BROKEN_INK] * len(reads)


def test_ink_in_a_box_read_blank_beside_a_pen_at_the_threshold_goes_to_a_person(paper_store, tmp_path):
    """Regression (issue 11, item 5; held-out 8051: a pencil tick and a red ballpoint scribble read
    blank on 1-bit copies): a voter in black and blue used a red ballpoint in three boxes; the
    1-bit copy (200 dpi, threshold 125) kept one red mark whole, broke one (`scattered`) and kept
    of the third, a tick, only a stroke along the box's edge: read `blank` (`edge_only`), the
    sheet read box by box (one box showed the threshold). A trail of specks anywhere sends the
    whole sheet; where one kept mark is broken, a box read blank that holds any ink at all is
    what the copy kept of another mark in that pen: a person looks (`one_bit_traces`)."""

    def plan(i, rng):
        if i in (3, 9, 14):
            return (rng.choice(("tick", "x", "scribble")), rng.choice(("pencil", "ballpoint_red")))
        if i % 2 == 1:
            inks = ("ballpoint_black", "ballpoint_blue", "felt_black", "felt_blue")
            return (rng.choice(("x", "tick", "fill", "scribble")), rng.choice(inks))
        return None

    cap = paper_frames.Capture(mode="bitonal", dpi=200, threshold=125, dither=False, blur=0.3)
    drawn, read = frames_sheet(paper_store, tmp_path, plan, 702, cap)
    assert [(k, drawn[k], read[k].why) for k in drawn if read[k].state == "blank"] == []


@pytest.mark.parametrize(("seed", "dpi"), [(803, 200), (805, 300)])
def test_a_dithered_one_bit_copy_is_read_box_by_box(paper_store, tmp_path, seed, dpi):
    """Issue 11, clear sheets decided (held-out 3938: 1-bit copies decided 61.2 %): a copier's
    "photo" mode diffuses each pixel's error to its neighbours, so every shade of ink is kept as
    a density of dots: a pencil stroke comes out dotted, a blue ballpoint one half dots. The 1-bit
    rules took the dots for a pen broken at the copier's threshold, or for a trail of specks, and
    sent every box of the sheet to a person (`broken_ink`). On a dithered copy no mark can vanish:
    its boxes are read as they are, every mark read right."""
    from ballots.paper import copies

    def plan(i, rng):
        if i in (4, 13):
            return (rng.choice(("x", "tick", "scribble")), "pencil")
        if i % 3 == 0:
            return (rng.choice(("x", "tick", "fill")), rng.choice(("felt_black", "ballpoint_black", "ballpoint_blue")))
        return None

    cap = paper_frames.Capture(mode="bitonal", dpi=dpi, dither=True, blur=0.3, noise=1.0)
    drawn, read = frames_sheet(paper_store, tmp_path, plan, seed, cap, dpi)
    assert [
        (k, drawn.get(k), b.state, b.why) for k, b in read.items() if b.state != ("marked" if k in drawn else "blank")
    ] == []
    # The same marked page through the copier's "text" mode (one threshold) is no dithered copy.
    from PIL import Image

    for threshold in (110, 140, 170):
        cap = paper_frames.Capture(mode="bitonal", dpi=dpi, threshold=threshold, dither=False, blur=0.3, noise=1.0)
        (tmp_path / f"t{threshold}").mkdir()
        frames_sheet(paper_store, tmp_path / f"t{threshold}", plan, seed, cap, dpi)
        (path,) = (tmp_path / f"t{threshold}").glob("s*.*")
        assert not copies.dithered(np.asarray(Image.open(path).convert("L")))


@pytest.mark.parametrize(("dpi", "threshold"), [(300, 108), (200, 110), (600, 110)])
def test_red_marks_a_one_bit_copy_dropped_beside_whole_ones_are_never_read_blank(paper_store, tmp_path, dpi, threshold):
    """Regression (issue 11, item 5; held-out 3938: a red ballpoint tick read blank on a 1-bit copy,
    the copy dropped it without a speck beside whole red marks; dev probe m14b seed 142 sheet 54):
    a voter in red ballpoint, copied 1-bit at a low threshold, kept five marks whole and dropped
    four (a fill, a partial fill, a scribble, a tick) down to nothing, or one or two specks, or a
    dot: read `blank`, the sheet decided. On a threshold copy the paper keeps no speck: one speck
    in a box where the sheet's empty boxes hold none is ink the copier kept of a stroke, and a
    box in doubt for what the copy kept of its mark shows the pen at the threshold: the whole
    sheet goes to a person."""

    def plan(i, rng):
        return (
            (rng.choice(("x", "tick", "scribble", "fill", "partial")), "ballpoint_red") if rng.random() < 0.4 else None
        )

    cap = paper_frames.Capture(mode="bitonal", dpi=dpi, threshold=threshold, dither=False, blur=0.3, noise=0.5)
    drawn, read = frames_sheet(paper_store, tmp_path, plan, 311, cap, dpi)
    assert sum(read[k].why == "mark" for k in drawn) == 0  # every box goes, the kept marks too
    assert [(k, drawn[k], read[k].why) for k in drawn if read[k].state == "blank"] == []


@pytest.mark.parametrize("threshold", [90, 110, 125])
def test_a_copier_s_photo_mode_is_told_from_its_text_mode_on_small_type_turned_a_quarter(
    paper_store, tmp_path, threshold
):
    """`copies.dithered` must never take a threshold copy for a dithered one: there the whole-sheet
    rules are what catches a mark the copier dropped. A threshold set low breaks small type at 150
    dpi into lone black pixels, and a page turned a quarter makes letters' 1-px strokes lone along
    rows (dev probe m12b 61 sheet 114, Warszawa, read `dithered` by a first count of lone pixels
    along rows); pencil marks at the threshold leave lone specks. Only error diffusion leaves
    white pixels alone in black as well."""
    from PIL import Image

    from ballots.paper import copies

    def plan(i, rng):
        return (rng.choice(("x", "tick", "scribble")), "pencil") if i % 3 == 0 else None

    for dither in (False, True):
        where = tmp_path / f"d{dither}"
        where.mkdir()
        cap = paper_frames.Capture(
            mode="bitonal", dpi=150, threshold=threshold, dither=dither, blur=0.7, noise=1.0, turn=90
        )
        frames_sheet(paper_store, where, plan, 7, cap, 150)
        (path,) = where.glob("s*.*")
        assert copies.dithered(np.asarray(Image.open(path).convert("L"))) is dither


def test_ink_the_crop_s_edge_cuts_beyond_a_fill_s_corners_is_no_lost_x(paper_store, tmp_path):
    """Issue 11, clear sheets decided (held-out 6345: `one_bit_lost_x` sent 6 clear 1-bit sheets to
    a person; dev seeds m14b 141 sheets 17, 135, 144 sheet 99, m15b probe 1203 sheet 63): on a
    threshold copy, a fill read marked whose crop held single pixels at its very edge, on the
    box's diagonals beyond two corners, was taken for the ends of an X whose middle the copier
    dropped. Those pixels were the tips of a neighbour's fill or stroke running past its own box,
    cut by the crop's edge: a piece the edge cuts is no speck. Specks seen whole there still are."""
    from ballots.paper import copies, reading
    from ballots.paper.marks import read_boxes
    from ballots.paper.outlines import printed

    page, lay = printed_sample(paper_store, tmp_path)
    marks = {"p01": "fill", "p03": "tick", "p08": "tick", "p11": "partial", "p14": "tick"}
    img = np.where(mark(page, lay, marks, dpi=200, tool="pen") < 128, 0, 255).astype(np.uint8)
    reads = read_boxes(img, reading.locate(img), lay, 1)
    states = [r.state.value for r in reads]
    i = [r.box.key for r in reads].index("p01")
    assert states[i] == "marked" and copies.doubt(img, [r.crop for r in reads], states, lay, 1) == [None] * len(reads)
    n = reads[i].crop.shape[0]

    def with_specks(at: int) -> list:
        crop = reads[i].crop.copy()
        for y, x in ((at, at), (at, n - 1 - at)):  # beyond the top corners, on the box's diagonals
            assert printed(lay, 1, i)[y, x] == 0
            crop[y, x] = 0
        return [crop if j == i else r.crop for j, r in enumerate(reads)]

    assert copies.doubt(img, with_specks(0), states, lay, 1) == [None] * len(reads)  # cut by the edge
    whys = copies.doubt(img, with_specks(1), states, lay, 1)  # seen whole: what is left of an X's ends
    assert whys == [copies.LOST_X if j == i else None for j in range(len(reads))]


def test_a_speck_left_of_a_pen_the_copy_dropped_is_judged_by_the_copy_s_empty_boxes_and_paper(paper_store, tmp_path):
    """Regression (issue 11, item 5; held-out 6345: a pencil X read blank, `empty`, on a 1-bit
    150-dpi copy; dev probe m15b seed 1205: a lone pencil X among a dark pen's marks, threshold
    110-135, sheets 154 and 106): of the X the copier kept one or three single pixels inside the
    box, and the sheet was decided with the box read blank. A speck where this copy's paper and
    empty boxes hold none is what the copier kept of a stroke (`traces(lone=True)`), but the
    yardsticks were taken from the wrong boxes: what an empty box "usually holds" was the median
    over the empty boxes INCLUDING the box itself (a sheet with two empty boxes: 0.5), and the
    paper's specks were counted in the rings of every box, marked ones too (the voter's marks
    broken at the threshold leave their own bits around them). The box is judged by the OTHER
    empty boxes, and a threshold copy's paper by the rings of the boxes not read marked."""
    from ballots.paper import copies, reading
    from ballots.paper.marks import read_boxes

    img, lay = _one_bit_sample(paper_store, tmp_path, {"p01": "x"})
    reads = read_boxes(img, reading.locate(img), lay, 1)
    crops = [r.crop.copy() for r in reads]
    mid = crops[0].shape[0] // 2
    assert all(not (c[3:6, 3:6] < 128).any() for c in crops)  # the crops' own corners: paper

    # Two boxes not read marked, one holding a lone pixel: judged by the other one (none).
    states = ["blank" if i in (6, 7) else "marked" for i in range(len(reads))]
    speck = [c.copy() for c in crops]
    speck[7][mid, mid] = 0
    assert copies.doubt(img, crops, states, lay, 1) == [None] * len(reads)
    assert copies.doubt(img, speck, states, lay, 1) == [copies.LOST_INK] * len(reads)

    # Marks broken at the threshold leave bits in their own rings: not the paper's.
    states = ["marked" if i < 12 else "blank" for i in range(len(reads))]
    bits = [c.copy() for c in crops]
    for i in range(12):
        bits[i][4, 4] = 0  # a bit of the mark's stroke out in its margin
    assert copies.doubt(img, bits, states, lay, 1) == [None] * len(reads)
    for dx in (-6, 0, 6):
        bits[15][mid + dx, mid - dx] = 0  # three pixels left of a stroke across the box
    assert copies.doubt(img, bits, states, lay, 1) == [copies.LOST_INK] * len(reads)


def test_the_printed_outline_a_copy_thickened_past_its_mask_is_no_trail(paper_store, tmp_path):
    """Regression (issue 11; dev seed 5151 sheets 241, 1496 and 1712, black ballpoint copied 1-bit
    at thresholds 130-168 after a corner cut): the copy kept the outline's grey edge black and the
    crop sits on its outline to a whole pixel, so along one side of 4-9 empty boxes the outline
    poked past its mask into the box, strips 1-2 px thick: taken for the trail of a stroke the copy
    lost, the whole sheet went to a person (`lost_ink`) though every mark was kept whole. A piece no
    thicker than `OUTLINE_REACH`, wholly that close to the outline's ink, is the outline; what a
    stroke crossing the outline leaves further in still counts."""
    from ballots.paper import copies, reading
    from ballots.paper.marks import read_boxes
    from ballots.paper.outlines import printed

    img, lay = _one_bit_sample(paper_store, tmp_path, {"p01": "x", "p05": "x"})
    reads = read_boxes(img, reading.locate(img), lay, 1)
    states = [r.state.value for r in reads]
    assert states.count("marked") == 2
    blank = [i for i, st in enumerate(states) if st == "blank"][:4]

    def thickened(deep: int, stubs: bool = False) -> list[np.ndarray]:
        """Each of the four empty boxes' outline, along eight runs of its top side, `deep` px past
        its mask (`stubs`: eight 2-px stubs reaching that far instead, a stroke's bits)."""
        out = [r.crop.copy() for r in reads]
        for i in blank:
            crop, mask = out[i], printed(lay, 1, i) > 0
            mid = crop.shape[0] // 2
            edge = int(np.flatnonzero((crop[:mid, mid] < 128) & mask[:mid, mid]).max())  # the ink's inner edge
            past = int(np.flatnonzero(~mask[edge:mid, mid])[0]) + edge  # the mask's
            for x0 in range(mid - 16, mid + 16, 4):
                crop[edge : past + deep, x0 : x0 + (2 if stubs else 3)] = 0
        return out

    assert copies.doubt(img, [r.crop for r in reads], states, lay, 1) == [None] * len(reads)
    for deep in range(1, copies.OUTLINE_REACH + 1):
        assert copies.doubt(img, thickened(deep), states, lay, 1) == [None] * len(reads), deep
    assert copies.doubt(img, thickened(5, stubs=True), states, lay, 1) == [copies.LOST_INK] * len(reads)


def test_one_bit_is_its_definition():
    """`one_bit`'s single comparison (uint8 wrap-around) against `_one_bit_reference`, on arrays
    of every size around the 1-in-1000 bound, with 0, 255, 1 and 254 (the edges) over-drawn."""
    from ballots.paper import copies

    rng = np.random.default_rng(11)
    seen = set()
    for _ in range(3000):
        g = rng.choice(np.array([0, 255, 1, 254, 128], np.uint8), size=(rng.integers(1, 90), rng.integers(1, 90)))
        g[rng.random(g.shape) < rng.random() ** 0.2] = rng.choice(np.array([0, 255], np.uint8))
        seen.add(copies._one_bit_reference(g))
        assert copies.one_bit(g) == copies._one_bit_reference(g)
    assert seen == {True, False}
    wrong = lambda g: int(np.count_nonzero((g[::7, ::7] - np.uint8(1)) < 255)) <= g[::7, ::7].size // 1000  # noqa: E731
    white = np.full((70, 70), 255, np.uint8)  # a wrong bound (< 255) counts white paper as grey
    assert wrong(white) != copies._one_bit_reference(white)


def test_a_one_bit_sheet_with_no_box_read_marked_never_asks_how_the_copy_was_made(paper_store, tmp_path, monkeypatch):
    """Review leftover (session 25): `read_boxes` measured `copies.dithered` on every 1-bit sheet,
    though `copies.doubt` asks it only where a box reads marked (on a sheet with none, every box
    goes to a person however the copy was made): measured only where it is used. The sheet with a
    mark still asks, and both read as before."""
    from ballots.paper import copies, reading
    from ballots.paper.marks import read_boxes

    asked = []
    measure = copies.dithered
    monkeypatch.setattr(copies, "dithered", lambda *a, **k: asked.append(1) or measure(*a, **k))
    img, lay = _one_bit_sample(paper_store, tmp_path, {})
    reads = read_boxes(img, reading.locate(img), lay, 1)
    assert [(r.state, r.why) for r in reads] == [("ambiguous", copies.NOTHING_MARKED)] * len(reads)
    assert not asked
    img, lay = _one_bit_sample(paper_store, tmp_path, {"p01": "x"})
    reads = read_boxes(img, reading.locate(img), lay, 1)
    assert [r.state for r in reads] == ["marked" if r.box.key == "p01" else "blank" for r in reads]
    assert asked == [1]


@settings(max_examples=400)
@given(st.lists(st.integers(0, 12), min_size=2, max_size=60))
def test_each_box_s_others_median_equals_its_numpy_definition(pieces):
    """`copies.traces` judges each empty box by the median of the OTHER empty boxes' pieces: one
    sort for all of them, exactly `np.median(np.delete(...))` box by box (ties, odd and even)."""
    from ballots.paper import copies

    values = np.array(pieces, np.float64)
    want = [float(np.median(np.delete(values, at))) for at in range(values.size)]
    assert copies._medians_without_each(values).tolist() == want


@settings(max_examples=300)
@given(
    st.lists(st.tuples(*[st.floats(-50, 400, allow_nan=False)] * 2, *[st.floats(1, 40)] * 2), min_size=1, max_size=30),
    st.integers(0, 29),
    st.integers(10, 120),
)
def test_the_other_boxes_reaching_a_crop_are_those_the_box_by_box_loop_finds(rects, i, size):
    """`copies.x_ends` blanks the other boxes' insides in a crop, all boxes at once: the same
    rectangles, truncated as `int` truncates, as asking each box in turn."""
    from ballots.paper import copies
    from ballots.paper.creases import SCALE

    i %= len(rects)
    x0, y0 = rects[i][0] - 7.5, rects[i][1] - 7.5
    want = []
    for j, (ox, oy, ow, oh) in enumerate(rects):
        c0, r0 = int((ox - x0) * SCALE) - 3, int((oy - y0) * SCALE) - 3
        c1, r1 = int((ox + ow - x0) * SCALE) + 3, int((oy + oh - y0) * SCALE) + 3
        if j != i and c1 > 0 and r1 > 0 and c0 < size and r0 < size:
            want.append((r0, c0, r1, c1))
    assert copies._others(np.array(rects, np.float64), i, x0, y0, (size, size)) == want


@pytest.mark.parametrize("dpi", [150, 200])
def test_a_dithered_copy_of_a_blank_ballot_is_read_blank(paper_store, tmp_path, dpi):
    """Issue 11, clear sheets decided (1-bit copies 65 % on held-out 7215; dev probe m17b 1711
    sheet 139): on a 1-bit copy with no box read marked, every box went to a person
    (`nothing_marked`: a threshold can drop every mark of a pale pen without a speck). A copier's
    "photo" mode drops nothing (each shade is kept as a density of dots): its blank ballot, read
    as the grey scan it holds (`copies.descreen`), is blank, and a mark on it is read. (At 300 dpi
    this crisp blank page shows too few dots for `copies.dithered` to tell the copier's mode: it
    is taken for a threshold copy and still goes to a person, the safe way.)"""
    cap = paper_frames.Capture(mode="bitonal", dpi=dpi, dither=True, blur=0.3, noise=1.0)
    _, read = frames_sheet(paper_store, tmp_path, lambda i, rng: None, 40 + dpi, cap, dpi)
    assert [(k, b.state, b.why) for k, b in read.items() if b.state != "blank"] == []
    (tmp_path / "one").mkdir()
    drawn, read = frames_sheet(
        paper_store, tmp_path / "one", lambda i, rng: ("x", "ballpoint_blue") if i == 7 else None, 40 + dpi, cap, dpi
    )
    assert [(k, b.state) for k, b in read.items() if b.state != ("marked" if k in drawn else "blank")] == []


@pytest.mark.parametrize(("seed", "dpi"), [(70, 200), (73, 200), (74, 300), (76, 300)])
def test_thin_ticks_on_a_dithered_copy_are_read_by_the_voter_s_pen(paper_store, tmp_path, seed, dpi):
    """Issue 11, clear sheets decided (dev probes m17b 1710/1711: ticks on dithered copies sent to
    a person as `weak`): a dithered copy keeps a pencil or ballpoint stroke as dots; the 1-bit
    rules read a tick thinned that way as a thin mark, which no 1-bit copy lets the voter's own
    pen vouch for (a threshold makes every pen alike). Read as the grey scan it holds, the
    voter's other marks vouch for it as on any grey scan: every mark read, no box to a person."""

    def plan(i, rng):
        return ("tick", rng.choice(("pencil", "ballpoint_blue", "ballpoint_black"))) if i % 3 == 0 else None

    cap = paper_frames.Capture(mode="bitonal", dpi=dpi, dither=True, blur=0.5, noise=2.0)
    drawn, read = frames_sheet(paper_store, tmp_path, plan, seed, cap, dpi)
    assert [
        (k, drawn.get(k), b.state, b.why) for k, b in read.items() if b.state != ("marked" if k in drawn else "blank")
    ] == []
