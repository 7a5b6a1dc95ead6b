"""The ink in one box's crop: what it measures and the shapes it makes.

`marks.read_box` levels a box's crop to darkness (0 paper, 1 the sheet's solid ink) and asks these
questions of it: is the ink one straight stroke come in from outside, a line through the box, one
pale stroke (a pencil's grains), how far does it reach, does it overflow the box. Split from
`marks` (which keeps the order in which the rules apply and the sheet-wide rules): these take a
crop and give a number or a yes/no, and know nothing of the sheet.
"""

from __future__ import annotations

import cv2
import numpy as np

from ballots.paper import levels
from ballots.paper.box_paper import paper_level
from ballots.paper.levels import DARK
from ballots.paper.light_ink import straight, thinness
from ballots.paper.line_beside import line_plus_blob
from ballots.paper.strokes import crosses, without_through_lines

STRONG = 0.75  # darker than a crease's shadow ever is (grey <= 0.55, noise): a pen stroke


def stroke_from_outside(ink: np.ndarray, a: int, b: int, e: int) -> bool:
    """The ink in the box is one straight piece (broad or thin) that reaches the crop's outer band."""
    side = ink.shape[0]
    # (count_nonzero: numpy's any on a slice costs 2x more)
    bands = (ink[: e + 1], ink[side - e - 1 :], ink[:, : e + 1], ink[:, side - e - 1 :])
    if not any(np.count_nonzero(band) for band in bands):
        return False  # no ink in the outer band: no piece reaches it (what most marks' crops show)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8, ltype=cv2.CV_16U)
    if n <= 1:
        return False
    inside = np.bincount(labels[a:b, a:b].ravel(), minlength=n)
    inside[0] = 0
    i = int(np.argmax(inside))
    if inside[i] < 0.9 * inside.sum():
        return False  # more than one piece in the box: not one stroke
    x, y, w, h, _ = stats[i]
    if not (x <= e or y <= e or x + w >= side - e or y + h >= side - e):
        return False
    return straight(labels == i, 0.3)


def crossed_by_a_line(
    ink: np.ndarray,
    darkness: np.ndarray,
    faint_at: float,
    printed: np.ndarray,
    mp: int,
    side_px: int,
    a: int,
    b: int,
    e: int,
) -> bool:
    """Ink runs from edge to edge of the crop (`crosses`): is that a line through the box, or only
    the neighbours' marks poking into the crop's corners (Dieppe's grid of small boxes: every
    crop holds bits of eight neighbours)? A line through the box is the box's own ink running
    off the crop at two places (a crease, a neighbour's stroke joined to it), or a straight line
    from end to end of the crop seen at the faint level (`without_through_lines`, not confirmed
    on the page: a crease too faint to stay whole at the ink threshold)."""
    k, labels = cv2.connectedComponents(ink, connectivity=8)
    inside = np.unique(labels[a:b, a:b])
    own = np.isin(labels, inside[inside > 0]).astype(np.uint8) if k > 1 else ink
    if crosses(own, e):
        return True
    _, lines = without_through_lines(darkness, faint_at, ink, printed == 0, (mp, mp + side_px))
    return bool(lines)


def one_pale_stroke(ink: np.ndarray, pale: np.ndarray, printed: np.ndarray, a: int, b: int) -> bool:
    """Is the box's ink, in bits at the ink threshold, one mark held together by paler ink?

    Graphite breaks a pencil stroke into dark grains with paler ones between them: at the ink
    threshold a tick is bits, none spanning the box (`scattered`); at the pale level (`pale`,
    above this crop's paper and noise) it is whole. One pale piece must hold most (3/4) of the
    box's ink, span the box (>= 0.6, as one piece of ink must), reach its middle and not be one
    straight line; and seen at that level it must not be a line with a blob beside it
    (`line_plus_blob`): bits of a crease are whole there, a straight line, and a dot beside it
    stays a dot."""
    return _pale_piece(ink, pale, printed, a, b, with_pale=False) > 0


def second_pale_stroke(ink: np.ndarray, pale: np.ndarray, printed: np.ndarray, a: int, b: int) -> bool:
    """Is the box's one straight stroke at the ink threshold (`single_stroke`) a check mark's long
    stroke whose short one was pressed lighter (a pencil's pressure varies along a tick)?

    At the pale level (`pale`: above this crop's paper and noise, off the outlines' fringe) the two
    are one piece: it holds most (3/4) of the box's ink, spans the box (>= 0.6) through its middle,
    and, its pale pixels counted with the ink, is no longer one straight line (`one_pale_stroke`
    measures straightness on the ink: here the ink alone is the straight stroke); and seen at that
    level it is not a line with a blob beside it (`line_plus_blob`). A crease or a slash alone has
    nothing beside it at the pale level; paper's grain and tint stay under it. `a:b`: the window
    looked at, the whole inside of the outline (a tick's short stroke starts near its side)."""
    return _pale_piece(ink, pale, printed, a, b, with_pale=True) > 0


def pale_extent(ink: np.ndarray, pale: np.ndarray, printed: np.ndarray, a: int, b: int) -> float:
    """How far across the box (0..1) the box's ink reaches seen at the pale level, when it is one
    pale stroke there (`second_pale_stroke`'s piece: most of the ink, through the middle, not one
    straight line, no blob beside a line); else 0. A pencil tick's long arm fades where the
    graphite was pressed lightly (the end of the stroke, as it leaves the box): at the ink
    threshold it stops short of the box's side, at the pale level it runs on."""
    return _pale_piece(ink, pale, printed, a, b, with_pale=True)


def _pale_piece(ink: np.ndarray, pale: np.ndarray, printed: np.ndarray, a: int, b: int, with_pale: bool) -> float:
    """What `one_pale_stroke` and `second_pale_stroke` both ask of the box at the pale level: one
    piece holds most (3/4) of the box's ink, spans the box (>= 0.6) through its middle, is not one
    straight line — measured on the box's ink in it, or with its pale pixels too (`with_pale`) —
    and is not a line with a blob beside it (`line_plus_blob`). How far it spans (>= 0.6), or 0
    where there is no such piece."""
    inner = ink[a:b, a:b] > 0
    whole = (pale > 0) | (ink > 0)
    k, labels = cv2.connectedComponents(np.ascontiguousarray(whole[a:b, a:b]).astype(np.uint8), connectivity=8)
    if k <= 1 or not inner.any():  # (no ink inside: nothing to hold together; np.ptp below needs points)
        return 0.0
    held = np.bincount(labels[inner], minlength=k)
    held[0] = 0
    i = int(np.argmax(held))
    if held[i] < 0.75 * int(inner.sum()):
        return 0.0
    ys, xs = levels.nonzero(labels == i) if with_pale else levels.nonzero(inner & (labels == i))
    n = b - a
    c0, c1 = int(n * 0.25), int(n * 0.75)
    span = max(int(np.ptp(xs)), int(np.ptp(ys))) / n
    if span < 0.6 or thinness(xs, ys) < 0.2:
        return 0.0
    if not ((xs >= c0) & (xs < c1) & (ys >= c0) & (ys < c1)).any():
        return 0.0
    piece = np.zeros(ink.shape, np.uint8)
    piece[a:b, a:b] = labels == i
    if line_plus_blob(piece, printed == 0, a, b):
        return 0.0
    return span


def pale(darkness: np.ndarray, printed: np.ndarray, mp: int, side_px: int, noise_: float) -> np.ndarray:
    """The crop's pale ink: darker than half the ink threshold, than five times the crop's noise
    and than the paper around the box gets (`paper_level`), away from the printed outlines'
    blurred fringe (where their shade spreads past their mask)."""
    level = max(DARK / 2, 5 * noise_, paper_level(darkness, printed, mp, side_px, without_ink=True))
    fringe = cv2.dilate(printed, np.ones((5, 5), np.uint8))
    return ((darkness >= level) & (fringe == 0)).astype(np.uint8)


def overflow(ring: np.ndarray, printed: np.ndarray, mp: int, side_px: int) -> float:
    """The share of the unprinted ring around the box that is inked (a fill overflowing all round)."""
    free = (printed == 0).copy()
    free[mp : mp + side_px, mp : mp + side_px] = False
    return float(ring.sum() / max(free.sum(), 1))


def extent_under(inner: np.ndarray, hidden: np.ndarray, reach: int = 7) -> float:
    """The ink's extent counting the crease bands next to it (within `reach` px: about a band's
    width), where the ink may go on unseen. A dot is < 0.4 across: with a band, still < 0.8."""
    near = hidden.astype(bool) & (cv2.dilate(inner, np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)) > 0)
    ys, xs = levels.nonzero(inner.astype(bool) | near)
    return max(int(xs.max() - xs.min()), int(ys.max() - ys.min())) / inner.shape[0]


def strong(darkness: np.ndarray, printed: np.ndarray) -> np.ndarray:
    """Ink darker than a crease's shadow ever is (a pen stroke under a crease)."""
    return ((darkness >= STRONG) & (printed == 0)).astype(np.uint8)


def ink_outside(ink: np.ndarray, mp: int, side_px: int) -> bool:
    """Ink in the ring around the box (a line through the box crosses it twice)."""
    ring = ink.copy()
    ring[mp - 2 : mp + side_px + 2, mp - 2 : mp + side_px + 2] = 0
    return bool(np.count_nonzero(ring))


def largest_span(inner: np.ndarray) -> float:
    """How far the largest piece of ink reaches across the box (1-px gaps closed), 0..1."""
    closed = cv2.morphologyEx(inner, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    k, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8, ltype=cv2.CV_16U)
    if k <= 1:
        return 0.0
    i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return max(int(stats[i, cv2.CC_STAT_WIDTH]), int(stats[i, cv2.CC_STAT_HEIGHT])) / inner.shape[0]


def tips_only(ink: np.ndarray, printed: np.ndarray, mp: int, side_px: int, a: int, b: int) -> bool:
    """Every piece of ink inside the box (`ink[a:b, a:b]`) is the end of a stroke come in from
    outside: it touches the inside's edge on one side, or on two sides at one corner, stays in the
    half (or the quarter) next to where it comes in, and the crop has ink just beyond the printed
    outline there (the stroke goes on outside). Neighbours' strays reaching in from two sides make
    a "mark" that spans the box while no stroke of it does; a voter's mark reaches past the middle
    from wherever it starts, and a piece of it that stops short (a pencil tick's foot, broken off
    by the graphite's grain) starts inside the box."""
    inner = ink[a:b, a:b]
    k, _, stats, _ = cv2.connectedComponentsWithStats(inner, connectivity=8, ltype=cv2.CV_16U)
    if k <= 1:
        return False
    n = inner.shape[0]
    half = n / 2
    # The first row (column) outside the printed outline's mask, above (left of) the box, and
    # below (right of) it: the mask is the same on all four sides.
    mid = mp + side_px // 2
    out0 = mp
    while out0 > 0 and printed[out0, mid]:
        out0 -= 1
    out1 = 2 * mp + side_px - 1 - out0
    for x, y, w, h, _ in stats[1:]:
        top, left, bottom, right = y == 0, x == 0, y + h == n, x + w == n
        if top + left + bottom + right == 0 or (top and bottom) or (left and right):
            return False  # inside the box, or across it
        if (top and y + h > half) or (bottom and y < half) or (left and x + w > half) or (right and x < half):
            return False  # reaches past the middle from its side
        # Where it comes in, in crop coordinates, widened to take in a corner's outside.
        c0, c1, r0, r1 = a + x - 3, a + x + w + 3, a + y - 3, a + y + h + 3
        c0, r0 = (out0 - 3 if left else c0), (out0 - 3 if top else r0)
        c1, r1 = (out1 + 4 if right else c1), (out1 + 4 if bottom else r1)
        beyond = 0
        if top:
            beyond += int(np.count_nonzero(ink[max(out0 - 3, 0) : out0 + 1, max(c0, 0) : c1]))
        if bottom:
            beyond += int(np.count_nonzero(ink[out1 : out1 + 4, max(c0, 0) : c1]))
        if left:
            beyond += int(np.count_nonzero(ink[max(r0, 0) : r1, max(out0 - 3, 0) : out0 + 1]))
        if right:
            beyond += int(np.count_nonzero(ink[max(r0, 0) : r1, out1 : out1 + 4]))
        if not beyond:
            return False  # it stops at the outline: a piece of the voter's own mark
    return True
