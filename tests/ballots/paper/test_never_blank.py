"""Never guess blank (issue 11, item 5): single marks that were once read blank, drawn again by the
bench's own makers (`bench/paper_frames`) on real elections' grids and read end to end.

Each test names the held-out kind it stands for and fails on the reader before its fix.
"""

from __future__ import annotations

import pytest

from tests.ballots.paper.test_marks import _grid_sheet, ranked_grid  # noqa: F401 (a fixture)


@pytest.mark.parametrize(("dpi", "seed"), [(300, 0), (200, 1)])
def test_a_fill_overflowing_its_box_is_never_read_blank(ranked_grid, tmp_path, dpi, seed):  # noqa: F811
    """Regression (issue 11, item 5; held-out 9783: a red felt fill overflowing its box, grey 300
    dpi, read blank with cover 0; dev probe seed 53: 22 such boxes read blank in 12 sheets). The
    box's paper was the crop's lightest tenth: in Dieppe's grid of small boxes a fill running past
    its box, its neighbours filled too, covers the whole crop, so the "paper" was the ink and the
    box read empty. The paper level is never taken from ink: where the crop is much darker than
    the sheet's paper, the page's paper around the box is the level."""

    def plan(i, rng):
        return ("overflow_fill", ("felt_red", "felt_black", "felt_green", "pencil")[i % 4]) if i % 2 == 0 else None

    drawn, boxes = _grid_sheet(ranked_grid, tmp_path, dpi, plan, seed)
    assert [(k, drawn[k], boxes[k].why) for k in drawn if boxes[k].state == "blank"] == []
    # The boxes between them are empty and stay so (or go to a person): never read marked.
    assert [k for k, b in boxes.items() if k not in drawn and b.state == "marked"] == []
