"""A box filled, then crossed out with an X kept inside it (its arms do not run out past the
corners): only the two layers inside the box show it (`crossed_out.two_layers`). The bench's own
crossed-out boxes always run their X out past the corners; `bench/probe_crossed.py` draws these."""

from __future__ import annotations

import pytest

from bench import paper_frames, probe_crossed
from tests.ballots.paper.helpers import frames_sheet


@pytest.mark.xfail(
    strict=True,
    reason="known hole (x19-cross, probe 1746: 290 of 887 such boxes decided on main 751b215): a fat "
    "X over a fill covers most of the window, two_layers' fill level (its 30th percentile) is the X's "
    "own, nothing lies LAYER above it",
)
@pytest.mark.parametrize("seed", [0, 1])
def test_a_fill_crossed_out_with_an_x_inside_the_box_is_never_decided(paper_store, tmp_path, monkeypatch, seed):
    """Probe 1746 (bench/probe_crossed.py, 120 sheets): of 887 fills crossed out with an X kept
    inside the box, 290 were read `marked` (of 1 125 fills stopping short of the outline crossed out,
    188); of the bench's 2 062 crossed boxes, none. A filled box with an X drawn over it is a
    person's call wherever the X's arms went."""
    monkeypatch.setattr(paper_frames, "draw_mark", probe_crossed.draw_mark)

    def plan(i, rng):
        if i % 2 == 0:
            return ("crossed_inside", rng.choice(("felt_blue", "felt_red", "ballpoint_black", "felt_black")))
        return None

    drawn, read = frames_sheet(paper_store, tmp_path, plan, 1900 + seed)
    assert drawn
    assert [(k, drawn[k], read[k].state) for k in drawn if read[k].state != "ambiguous"] == []
