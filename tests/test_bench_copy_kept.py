"""The bench's measure of what a 1-bit copy kept of each mark (`bench/copy_kept.py`): it splits the
clear-sheet figure into sheets whose file shows every mark and sheets whose copy lost one."""

from __future__ import annotations

import random

import numpy as np

from bench import copy_kept, paper_frames


def _drawn(kind: str, ink: str, seed: int = 3) -> tuple[np.ndarray, np.ndarray, tuple[float, ...]]:
    page = np.full((300, 300, 3), 255, np.uint8)
    rect = (110.0, 110.0, 80.0, 80.0)
    before = page[copy_kept.window(page, rect)].copy()
    paper_frames.draw_mark(page, rect, kind, ink, 8.0, random.Random(seed))
    return before, page, rect


def test_a_felt_mark_is_kept_by_a_low_threshold_and_a_pencil_one_is_not():
    cap = paper_frames.Capture(mode="bitonal", threshold=110, blur=0.0)
    before, page, rect = _drawn("x", "felt_black")
    assert copy_kept.share(before, page, rect, cap) > 0.9
    before, page, rect = _drawn("x", "pencil")
    assert copy_kept.share(before, page, rect, cap) < copy_kept.KEPT
    # A copier set darker (a higher threshold) keeps more of the same pencil stroke.
    high = paper_frames.Capture(mode="bitonal", threshold=230, blur=0.0)
    assert copy_kept.share(before, page, rect, high) > copy_kept.share(before, page, rect, cap)


def test_error_diffusion_keeps_every_mark_and_a_mark_that_drew_nothing_in_its_box_is_lost():
    before, page, rect = _drawn("x", "pencil")
    assert copy_kept.share(before, page, rect, paper_frames.Capture(mode="bitonal", dither=True)) == 1.0
    blank = np.full((300, 300, 3), 255, np.uint8)
    same = blank[copy_kept.window(blank, rect)].copy()
    assert copy_kept.share(same, blank, rect, paper_frames.Capture(mode="bitonal")) == 0.0
