"""Box reading on sheets of the bench corpus that were once misread (replayed exactly: the bench
prints with a fixed secret and serials, so a sheet seed always draws the same image).

Each case is a real rendered, marked and degraded page read end to end by `sheet.read_gray`;
the assertion is on the box that went wrong, and on every other box of the sheet: no misread.
"""

from __future__ import annotations

import pytest

from ballots.paper import sheet
from bench import bench_scan


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    bench_scan._init(bench_scan.fixed_setups(tmp_path_factory.mktemp("corpus")))
    return bench_scan.corpus_sheet


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
    "seed, key",
    [
        (1000147, "c05"),  # a wide pale crease beside a dot, bits of it over the threshold
        (1001079, "c17"),  # a 1-px crease leaving the crop through neighbours' outlines
        (1001939, "c04"),  # a faint crease broken into fragments, one touching the dot
        (1002590, "p01"),
        (1001894, "p03"),  # the dot sits on the crease
        (2001547, "c01"),
        (4001119, "c06"),  # a 1-px crease left in fragments after erasing, beside a dot
        (2000602, "p04"),  # fragments touching the dot, all of it one piece (cover below a real mark's)
    ],
)
def test_a_dot_beside_a_crease_is_never_marked(corpus, seed, key):
    sh, boxes = _read(corpus, seed)
    assert sh.kinds[key] == "dot"
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


def test_a_dark_corner_passing_for_a_square_rejects_the_sheet(corpus):
    """A badly lit corner passed for a corner square on the reduced copy; the homography through
    it put boxes on their neighbours. The sheet is refused rather than read."""
    from ballots.paper import sources

    sh, election, secret = corpus(1002414)
    read = sheet.read_gray(sources.decode_bytes(sh.data), election, secret, evidence=False)
    assert read.error is not None and read.error[0] == "alignment_failed"
