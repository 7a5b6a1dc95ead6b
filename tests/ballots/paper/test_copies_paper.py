"""1-bit copies: what counts as the copy's own paper when a trail of specks is looked for
(`copies.traces`). Drawn crops of the sample ballot copied 1-bit, read end to end, then changed
where the copy's paper and print are."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.ballots.paper.helpers import frames_sheet, mark, printed_sample


def _read_one_bit(paper_store, tmp_path, marks: dict[str, str]):
    """The sample ballot at 200 dpi with black felt `marks`, copied 1-bit (threshold 128), read."""
    from ballots.paper import reading
    from ballots.paper.marks import read_boxes

    page, lay = printed_sample(paper_store, tmp_path)
    img = np.where(mark(page, lay, marks, dpi=200, tool="felt") < 128, 0, 255).astype(np.uint8)
    return img, lay, read_boxes(img, reading.locate(img), lay, 1)


def _ring_pixels(lay, i: int, side: int, beside_print: bool) -> list[tuple[int, int]]:
    """Three pixels of box `i`'s crop, apart, in the ring around the box (off its outline and the
    2 px the ring leaves round it, 4 px off the crop's edge) and off the print: hugging the print
    (1 px from its mask), or at least 8 px away from it."""
    from ballots.paper.creases import SCALE
    from ballots.paper.outlines import printed

    mp = int(round(lay.box_margin * SCALE))
    mask = printed(lay, 1, i)
    far = cv2.distanceTransform((mask == 0).astype(np.uint8), cv2.DIST_L2, 3)
    ring = np.ones(mask.shape, bool)
    ring[mp - 2 : mp + side + 2, mp - 2 : mp + side + 2] = False
    ring[:4], ring[-4:], ring[:, :4], ring[:, -4:] = False, False, False, False
    ok = ring & ((far > 0) & (far <= 1.0) if beside_print else far >= 8)
    out: list[tuple[int, int]] = []
    for y, x in zip(*np.nonzero(ok), strict=True):
        if all(abs(y - v) + abs(x - u) > 8 for v, u in out):
            out.append((int(y), int(x)))
        if len(out) == 3:
            break
    assert len(out) == 3
    return out


def test_specks_along_the_print_are_not_the_copy_s_paper(paper_store, tmp_path):
    """Regression (issue 11, item 5; held-out 9909003871, Assen, 1-bit threshold copy at 300 dpi: a
    pencil tick read blank `faint`, cover 0): the copy kept one speck of the tick in its box. A
    threshold copy's paper holds no specks, so one speck where its paper and empty boxes hold none
    sends the sheet to a person (`traces`, lone); but the rings around three of the empty boxes
    held specks along the neighbours' outlines (a felt fill overflowing to its outline, cut up by
    the threshold), counted as the copy's paper: the speck was taken for paper, the tick read
    blank. Specks within a few px of print or of larger ink are what a ragged edge sheds; only
    specks standing alone are the paper's."""
    from ballots.paper import copies
    from ballots.paper.creases import SCALE

    img, lay, reads = _read_one_bit(paper_store, tmp_path, dict.fromkeys(("p01", "p08", "p14"), "x"))
    states = [r.state.value for r in reads]
    assert states.count("marked") == 3 and states.count("blank") == len(reads) - 3
    blank = [i for i, s in enumerate(states) if s == "blank"]
    tick, rest = blank[4], [i for i in blank if i != blank[4]]
    boxes = lay.sheet_boxes(1)

    def crops_with(shed: str) -> list[np.ndarray]:
        crops = [r.crop.copy() for r in reads]
        for i in rest[: len(rest) * 2 // 3]:  # most of the empty boxes' rings
            side = int(round(boxes[i].rect[2] * SCALE))
            if shed == "print":  # specks along a neighbour's outline
                for y, x in _ring_pixels(lay, i, side, beside_print=True):
                    crops[i][y, x] = 0
            elif shed == "ink":  # specks beside a blob of a neighbour's fill
                y, x = _ring_pixels(lay, i, side, beside_print=False)[0]
                crops[i][y - 1 : y + 2, x - 1 : x + 2] = 0
                crops[i][y, x + 3] = crops[i][y, x - 3] = 0
            else:  # specks standing alone
                for y, x in _ring_pixels(lay, i, side, beside_print=False):
                    crops[i][y, x] = 0
        mid = crops[tick].shape[0] // 2
        crops[tick][mid, mid] = 0  # all the copy kept of a pencil tick: one speck
        return crops

    for shed in ("print", "ink"):
        assert copies.doubt(img, crops_with(shed), states, lay, 1) == [copies.LOST_INK] * len(reads), shed
    # Specks standing alone all over the copy's paper: a speck in a box is as likely paper.
    assert copies.doubt(img, crops_with("alone"), states, lay, 1) == [None] * len(reads)


@pytest.mark.parametrize(("seed", "dpi"), [(910, 150), (911, 200), (912, 300)])
def test_light_pencil_on_a_dithered_copy_is_never_read_blank(paper_store, tmp_path, seed, dpi):
    """Issue 11, item 5 (review F7, session 27): a dithered 1-bit copy is read as the grey scan it
    holds (`copies.descreen`), by the grey rules alone: `copies.doubt`'s net (ink in a box read blank
    goes to a person) no longer runs there, and the bench draws no light pencil on 1-bit captures.
    A copier's "photo" mode keeps a pencil pressed lightly as a sparse trail of dots; read as the
    grey it holds, every such tick, X or fill is read marked or goes to a person, never blank."""
    from PIL import Image

    from ballots.paper import copies
    from bench import paper_frames

    def plan(i, rng):
        return (("tick", "x", "fill")[i // 2 % 3], "pencil_light") if i % 2 == 0 else None

    cap = paper_frames.Capture(mode="bitonal", dpi=dpi, dither=True, blur=0.5, noise=2.0)
    drawn, read = frames_sheet(paper_store, tmp_path, plan, seed, cap, dpi)
    (path,) = tmp_path.glob("s*.*")
    assert copies.dithered(np.asarray(Image.open(path).convert("L")))  # read as the grey it holds
    assert [(k, drawn[k], read[k].why) for k in drawn if read[k].state == "blank"] == []


def test_a_dithered_copys_empty_box_is_not_looked_at_below_the_light_ink_floor(tmp_path):
    """Issue 11, session 36: light ink on clean paper in shades is looked for below the floor too
    (`light_ink.FAINT_LOW`), but not on a 1-bit copy's dots blurred back into shades (the page is
    read as a grey scan, `marks.read_boxes(dots=True)`): there the greys in an empty box are dots,
    and a first form asking it sent 62 empty boxes of such copies on dev seed 5154 to a person.
    Sheet 5154000549 (Dieppe, a dithered 1-bit copy at 300 dpi, a corner cut), made again: its
    empty box 252@18, which that first form sent to a person, is read blank."""
    from tests.ballots.paper.helpers import replay_drawn

    plan, boxes = replay_drawn(tmp_path, 5154000549, "US_Stanford_Dataset_PB_Dieppe_2015_vote_rankings", "corner_cut")
    assert plan["252@18"][2] == "blank"
    assert (boxes["252@18"].state, boxes["252@18"].why) == ("blank", "empty")
