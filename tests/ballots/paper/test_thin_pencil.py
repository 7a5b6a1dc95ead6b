"""Plain pencil check marks with little ink (issue 11, clear sheets decided): read, not sent to a
person, on sheets of spent held-out seed 2340 (replayed exactly by `bench_scan_hard`).

- a tick whose long arm fades as it leaves the box stops short of the box's side at the ink
  threshold (extent 0.79 < 0.8: `weak`); at the pale level it is one stroke reaching across
  (`box_ink.pale_extent`);
- a thin tick on a sheet with no confident mark of a pen like it (the voter ticked in pencil) is
  read by its own strokes (`own_pen.pen_strokes`: a pen's width all the way), `thin_alone`.
"""

from __future__ import annotations

import pytest

from tests.ballots.paper.test_pencil import _pencil_tick_read, hard_corpus  # noqa: F401 (fixture)


@pytest.mark.parametrize(
    "seed, key, why",
    [
        (2340003140, "239@9", "mark"),  # Dieppe, phone 150: the long arm fades past (19, 7) of 24
        (2340000130, "250@1", "thin_alone"),  # Dieppe, phone 180, cover 0.135
        (2340002126, "BO.OM.34/24@1", "thin_alone"),  # Kraków, grey 150, cover 0.099
        (2340001740, "p14", "thin_alone"),  # the sample election, phone 180, cover 0.109
    ],
)
def test_a_plain_pencil_tick_with_little_ink_is_read(hard_corpus, seed, key, why):  # noqa: F811
    _pencil_tick_read(hard_corpus(seed), key, why)
