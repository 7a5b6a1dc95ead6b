"""A box filled (or shaded in pencil) and then crossed out with an X running out of it: what the
voter meant is a person's call.

Contract: `crossed_out(ink, darkness, shade_at, printed, mp, side_px, a, b)` is judged on the
ink as scanned, before any stroke can be taken for a crease and erased (an X's arms reaching the
crop's edge look like creases). `sides_filled` and `corner_arms` are the two shapes it
compares: a fill inks the middles of the box's sides, an X's arms run out at its corners.
`two_layers` looks inside the box only: an X drawn over a fill is a second layer of ink, darker
than the fill, along two crossing strokes, wherever its arms went (pale, broken, among a
neighbour's marks). `x_over_fill` is the same two layers seen from the wedges between the X's
arms when the X covers most of the box (a fat X, or one kept inside the box over a dark fill).
`x_alone` is what no crossed-out box shows: all the paper left inside the box is the wedges
between an X's arms, each narrowing to a point (a fat felt X on a small box, whose blurred edges
shade the box all over).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import cv2
import numpy as np

from ballots.paper import levels
from ballots.paper.box_paper import median, paper_level
from ballots.paper.identity_cache import once
from ballots.paper.levels import DARK
from ballots.paper.strokes import drop_specks, hough

X_PAST = 0.27  # box sides: an X's arms out this far past three corners of a 1-bit box: crossing out
# Two layers: darkness an X adds over a fill where it crosses it. A pencil X over a pencil fill adds
# 0.06-0.36 (median 0.22) on 150/200-dpi probes, a pen more; a one-layer fill's own grain, JPEG and
# stroke edges line up along two crossing diagonals at most 0.10 above its level.
LAYER = 0.12
LAYER_LEVEL = 30  # percentile of the box's ink taken as the fill's level (an X covers less than half)
LAYER_NEAR = 3.0  # px: a second-layer pixel this near one of the two strokes is the X's
LAYER_UNDER = 0.4  # share of the fill's level that three quarters of the box away from the X reach
# A plain fill's diagonals against its wedges, median against median (one layer, the same texture):
# at most 0.034 darker over 4 881 plain marks filling the box (probe 1746, held-out 3717's first
# 1 500 sheets); a ballpoint or felt X over a ballpoint or felt fill, 0.056 at the median. Half a
# LAYER: 110 of 250 such boxes the rules before it missed, no plain mark.
LAYER_MEDIAN = LAYER / 2
# Three quarters of each wedge's pixels below this share of the fill's level: paper there, no fill.
# The wedge's 75th percentile against the level: 0.42 and up over 3 383 crossed-out boxes two_layers
# sees (crossed probe 3401, dev seed 5153, clear-only probe 3402), 0.16 and 0.27 on the two fat felt
# X's it took for one (phone photos, 150 dpi, Dieppe's 5 mm boxes).
WEDGE_FILL = 0.3
WEDGE_TIP = 2  # px: an X's wedge of paper ends in a point (a fill's edge would cut it flat, wider)
WEDGE_OPEN = 3  # px: ...from at least this wide where it opens on the box's side (wider than its point)
# A fat felt X's wedges lose their points to the blur of its edges (darker than the shade's level
# there): a wedge this deep (rows past the outline's mask, ~4 px: ~20 % of a 5 mm box's side from its
# edge, deeper than a fill stopping short of the outline leaves paper) may end this wide, narrower
# than it opened (dev seed 9055: 10 of 900 clear sheets, felt X's at 150-200 dpi, sent to a person).
# Two rows are enough for such a wedge (dev seed 5154, session 36: a fat felt X at 200 dpi whose two
# lower wedges end [4, 3] and [6, 4], three rows were asked): a fill's margin is a strip as wide as
# the side, never 4 px at its second row.
BLUNT_DEEP = 2
BLUNT_TIP = 4


def crossed_out(
    ink: np.ndarray,
    darkness: np.ndarray,
    shade_at: float,
    printed: np.ndarray,
    mp: int,
    side_px: int,
    a: int,
    b: int,
    bitonal: bool = False,
) -> bool:
    """A box filled or shaded all over (a pencil's shading is paler than ink: seen at the lower
    threshold), with ink running out of it at three or four of its corners (an X over it).

    `bitonal`: a 1-bit copy has no shade to see: the copier's threshold breaks a pencil or pale
    fill into blotches (or dithers it into dots), so a fill is told from an X by its sides alone,
    with the gaps between blotches closed: an X's strokes leave the middles of the box's sides
    empty, however broken the fill under it."""
    inner = ink[a:b, a:b]
    cover = levels.share(inner)
    if cover < 0.2:  # not even an X's strokes: nothing to cross out
        return False
    ring = ink.copy()
    ring[mp : mp + side_px, mp : mp + side_px] = 0

    @once
    def ring_labels() -> np.ndarray:
        # The ring's pieces, labelled once however many of the tests below ask (was up to twice).
        return _labels(ring)

    @once
    def shade_level() -> float:
        # The shading's level, measured once and only where a test needs it (most marks stop first).
        return min(max(shade_at, paper_level(darkness, printed, mp, side_px, without_ink=True)), DARK)

    @once
    def lone_x() -> bool:
        # Asked only of a box a rule below would cross out (few): the paper in it shows an X alone.
        return x_alone(ink, darkness, shade_level(), printed, mp, side_px, blunt=not bitonal)

    if cover > 0.75 and not bitonal:
        # The window smoothed once for both looks (graphite's grain is finer than a stroke).
        smooth = cv2.GaussianBlur(darkness[a:b, a:b], (5, 5), 1.0)
        layered = two_layers(darkness, inner, a, b, smooth) or x_over_fill(darkness, a, b, smooth)
    else:
        layered = False
    if layered:
        # Whatever its arms outside did (pale pencil broken at the ink threshold, a neighbour's X
        # crossing them, cut by the outline's mask), a fill with an X drawn over it is two layers.
        # Asked before the rules below, whose X-alone test (`lone_x`) clears a box: two layers of
        # ink inside it are never an X alone, whichever rule saw the box first (they disagree: a
        # person decides).
        return True
    if bitonal:
        # What is left of an X the copier broke up: any piece of ink (specks are gone already) at
        # three corners, or ink leaving the box at two opposite corners (both ends of one of its
        # strokes; a neighbour's fill in a dense grid does not reach this box's corner).
        arms = sum(corner_arms(ring, printed, mp, side_px, least=3))
        ends = (
            corner_arms(ring, printed, mp, side_px, own=True, least=3, need=2, labels=ring_labels)
            if arms >= 2
            else [False] * 4
        )
        opposite = (ends[0] and ends[3]) or (ends[1] and ends[2])
        if (arms >= 3 or opposite) and sides_filled(
            cv2.morphologyEx(inner, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
        ) == 4:
            return not lone_x()
    filled = cover > 0.75 and sides_filled(inner) == 4
    if filled and sum(corner_arms(ring, printed, mp, side_px, own=not bitonal, least=3, labels=ring_labels)) >= 3:
        # A box filled all over: any piece of ink leaving it at three corners is an X's arm (a
        # fill's overflow leaves by its sides; specks are gone already), however thin: a pencil
        # X's arms, cut by the outline's mask, hold a few px of each corner block.
        return not lone_x()
    if (
        cover > 0.75
        and not bitonal
        and _arms_at(darkness, min(shade_at, DARK), printed, mp, side_px)
        and _shaded(darkness, shade_level(), printed, a, b)
    ):
        # A pencil X over a pencil fill: its arms out on the paper are as pale as the shading
        # (the fill is dark only where strokes overlap), under the ink threshold: seen at the
        # shade's own level, they leave the box at three corners all the same.
        pale = ((darkness >= shade_level()) & (printed == 0)).astype(np.uint8)
        pale[mp : mp + side_px, mp : mp + side_px] = 0
        out = np.ones(ring.shape, bool)  # diagonally out from the box: off both its rows and its columns
        out[mp : mp + side_px, :] = out[:, mp : mp + side_px] = False
        # ...pale ones (a pencil stroke's grain: about half its px pass the ink threshold): a dark
        # X whose arms just miss the box's corners is no pencil X (a fat felt X on a small box
        # shades it all over, blur and JPEG included: 87 % of its px out there are ink).
        if 10 * int(ring[out].sum()) < 7 * int(pale[out].sum()) and (
            sum(corner_arms(drop_specks(pale), printed, mp, side_px, own=True, least=3)) >= 3
        ):
            return not lone_x()
    if sum(corner_arms(ring, printed, mp, side_px, own=not bitonal, labels=ring_labels)) < 3:  # most marks stop here
        return False
    if bitonal and cover >= 0.4 and sorted(corner_reach(ring, mp, side_px))[1] >= X_PAST:
        # The fill lost (pencil or red under the copier's threshold): what is left is an X whose
        # arms run out past three corners further than a voter's plain cross overshoots (at most
        # ~0.24 of the side in the bench's hands; a crossing-out X reaches 0.25-0.5).
        return not lone_x()
    # A fat felt X's blurred edges shade a small box all over at the shade's level: unless the
    # paper in the box shows the X alone.
    return _shaded(darkness, shade_level(), printed, a, b) and not lone_x()


def two_layers(darkness: np.ndarray, inner: np.ndarray, a: int, b: int, smooth: np.ndarray | None = None) -> bool:
    """A box filled all over (`inner`: its ink inside the window, the print already left out) with
    an X drawn over the fill: pixels darker than the fill's own level by LAYER (smoothed: graphite's
    grain is finer than a stroke) lie along two straight strokes, one near each diagonal, that
    cross in the box's middle and hold most of that darker ink, and away from them the box is
    still the fill. A one-layer fill, a fill's darker overlaps along its own strokes (one
    direction), a scribble or a fat X (one layer, paper and blurred stroke edges between the
    strokes) is not. Nothing outside the box is looked at: only how dark its own ink is, against
    itself. `smooth`: the window already smoothed as below (`crossed_out` smooths it once for both
    looks)."""
    n = inner.shape[0]
    own = inner > 0
    count = np.count_nonzero(own)
    if n < 8 or count < 0.75 * own.size:
        return False
    d = cv2.GaussianBlur(darkness[a:b, a:b], (5, 5), 1.0) if smooth is None else smooth
    lo, _, _, _ = cv2.minMaxLoc(d, own.view(np.uint8))
    _, hi, _, _ = cv2.minMaxLoc(d)
    if hi <= lo + LAYER:  # nothing darker than even the fill's palest pixel by LAYER (a flat fill): cheap, exact
        return False
    k = int(count * LAYER_LEVEL / 100)
    level = float(np.partition(d[own], k)[k])
    top = (d > level + LAYER).astype(np.uint8)
    if not 0.04 <= levels.share(top) <= 0.6:  # no second layer (most fills stop here), or no fill under it
        return False
    lines = hough(top, np.pi / 90, int(0.72 * n))  # votes: ~half the window's diagonal
    if lines is None:
        return False
    best: dict[int, tuple[float, float]] = {}
    for rho, theta in lines[:, 0]:  # strongest first
        deg = float(np.degrees(theta))
        for family, at in ((0, 135.0), (1, 45.0)):  # along the two diagonals (the normal's angle)
            if abs(deg - at) <= 20 and family not in best:
                best[family] = (float(rho), float(theta))
    if len(best) < 2:
        return False
    (r0, t0), (r1, t1) = best.values()
    # Where the two strokes cross: an X's strokes cross in the box's middle half; a zigzag's
    # strokes meet at its sides.
    cx, cy = np.linalg.solve(np.array([[np.cos(t0), np.sin(t0)], [np.cos(t1), np.sin(t1)]]), np.array([r0, r1]))
    if max(abs(cx - (n - 1) / 2), abs(cy - (n - 1) / 2)) > n / 4:
        return False
    ys, xs = levels.nonzero(top)
    near = np.zeros(xs.size, bool)
    for rho, theta in best.values():
        near |= np.abs(xs * np.cos(theta) + ys * np.sin(theta) - rho) <= LAYER_NEAR
    if np.count_nonzero(near) < 0.6 * xs.size:  # darker ink elsewhere: no X over a fill
        return False
    # The lower layer is a fill: away from the darker strokes the box is still at the fill's level
    # (three quarters of it at least LAYER_UNDER of it: graphite's grain). Between a scribble's
    # strokes, around a fat X's, are paper and the strokes' blurred edges.
    away = d[cv2.distanceTransform(1 - top, cv2.DIST_L2, 3) >= LAYER_NEAR]
    if away.size < 0.1 * n * n:
        return False
    q = away.size // 4
    if float(np.partition(away, q)[q]) < LAYER_UNDER * level:
        return False
    # ...and it is there in each of the four wedges between the diagonals: a fill under the X
    # shows in every one; a fat felt X alone on a small box leaves one mostly paper, however much
    # its blurred edges shade the rest (dev seed 5153, phone photos at 150 dpi of Dieppe's grid).
    zones, _ = _wedges_and_diagonals(n)
    return all(levels.percentile(d[z], 75) >= WEDGE_FILL * level for z in zones if z.any())


@cache
def _wedges_and_diagonals(n: int) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """For an n-px window: the four wedge zones (a quarter of the window or more away from both
    diagonals, by the side they lie at: where an X alone leaves paper) and the two diagonals (within
    2 px: where an X drawn corner to corner lies)."""
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float32) - (n - 1) / 2
    off = np.minimum(np.abs(yy - xx), np.abs(yy + xx)) / np.sqrt(2)  # px from the nearer diagonal
    side = np.argmin(np.stack([yy + n, n - yy, xx + n, n - xx]), axis=0)  # top, bottom, left, right
    zones = tuple((off >= n / 4) & (side == k) for k in range(4))
    return zones, off <= 2


def x_over_fill(darkness: np.ndarray, a: int, b: int, smooth: np.ndarray | None = None) -> bool:
    """A fill with an X drawn over it, seen from the wedges between the X's arms: at the middle of
    each of the four sides, away from both diagonals, the box is ink all over (its palest tenth at
    the ink threshold: a fill, flat, not the blurred edge of an X fading to the paper of its wedge,
    `x_alone`), and along the two diagonals the ink is LAYER darker than every wedge's palest
    tenth, or LAYER_MEDIAN darker than every wedge's median (the X, a second layer over the fill).
    What `two_layers` misses when the X covers most of the window (a
    fat X, or one kept inside the box over a dark fill: its 30th percentile is the X's own level):
    x19-cross's probe 1746, 290 of 887 fills crossed out with an X inside the box read `marked`.

    It only ever sends a box to a person (a plain fill is one flat level, its diagonals no darker
    than its sides: no plain mark moved on probes 1746-1747 and dev seeds 342-344; a plain X alone
    leaves paper or a fading edge in its wedges). An X off the box's diagonals, or the same ink so
    dark twice that not even LAYER_MEDIAN is left, is still missed (a known limit)."""
    n = b - a
    if n < 12:  # too small a window for four wedges apart from the diagonals
        return False
    raw = darkness[a:b, a:b]
    # As two_layers (`smooth`, when given, is this): graphite's grain is finer than a stroke.
    d = cv2.GaussianBlur(raw, (5, 5), 1.0) if smooth is None else smooth
    zones, diagonals = _wedges_and_diagonals(n)
    x = median(d[diagonals])
    if x - LAYER_MEDIAN < DARK:  # the diagonals are no ink over ink: a plain or pale mark stops here
        return False
    tenths, middles = [], []
    for z in zones:
        # Paper (or an X's edge fading to it) in a wedge, smoothed or as scanned (smoothing spreads a
        # fat felt X's ink over the 2-px tip of its wedge that the window holds, 342000331): no fill.
        tenth = levels.percentile(d[z], 10)
        if tenth < DARK or levels.percentile(raw[z], 10) < DARK:
            return False
        tenths.append(tenth)
        middles.append(median(d[z]))
    # The X a second layer: its diagonals LAYER darker than every wedge's palest tenth, or
    # LAYER_MEDIAN darker than every wedge's median (like against like: a dark fill's palest tenth
    # may lie near its median, a textured fill's well below it).
    return max(tenths) <= x - LAYER or max(middles) <= x - LAYER_MEDIAN


def x_alone(
    ink: np.ndarray, darkness: np.ndarray, level: float, printed: np.ndarray, mp: int, side_px: int, blunt: bool = False
) -> bool:
    """The paper left inside the box (within the outline's mask: unprinted, no ink, paler than the
    shade's `level`) shows an X and nothing under it: at the middle of three or four sides one
    piece of paper, a wedge between the X's arms, that narrows row by row as it goes in, ends in a
    point (<= WEDGE_TIP px) and goes no deeper than it is wide; any other paper is a corner the
    strokes left, in one piece on the edge (not a broken fill's holes).

    Why that is enough: a fill under the X shows in the wedges, where nothing but paper can be if
    the X is alone. Its edge cuts a wedge flat (paper down to the fill's margin, then ink across),
    its grain or a copier's dots break it up, a pale one (pencil) is darker than the shade's level
    there. A fill the X hides entirely (its margin deeper than every wedge) leaves nothing of
    itself on the paper: what the paper shows, and what a person reads, is the X. Looked at at
    the shade's level, so a fat felt X's blurred edges only narrow the wedges.

    `blunt`: a scan in shades, whose blur takes a fat felt X's wedge points (a wedge at least
    BLUNT_DEEP rows deep may end BLUNT_TIP px wide; two whole wedges and two tips are an X whose
    crossing lies off the centre). Not on a 1-bit copy: there a pencil fill the
    copier dropped to blotches leaves blunt holes of paper beside the X's arms (dev seed 9055, probe
    5501: three pencil fills crossed out, 1-bit, read as an X alone; the sheets' lost ink sent them
    to a person)."""
    lo, hi = mp, mp + side_px
    free = printed[lo:hi, lo:hi] == 0
    paper = (free & (ink[lo:hi, lo:hi] == 0) & (darkness[lo:hi, lo:hi] < level)).astype(np.uint8)
    k, labels, stats, _ = cv2.connectedComponentsWithStats(paper, connectivity=4)
    if k < 4:  # not even three pieces of paper: no X's wedges
        return False
    mid = slice(int(side_px * 0.3), int(side_px * 0.7))
    wedge = np.zeros(k, bool)
    closed = np.zeros(k, bool)  # what is left of a wedge the X's crossing, off the centre, nearly closed
    for turn in range(4):  # each side in turn at the top
        pieces, open_ = np.rot90(labels, turn), np.rot90(free, turn)
        rows = np.flatnonzero(open_[:, mid].any(axis=1))
        if rows.size == 0:
            continue
        top = int(rows[0])  # the first row inside the outline's mask
        ids = np.unique(pieces[top, mid])
        ids = ids[ids > 0]
        if ids.size != 1:  # paper at the side's middle in one piece, or none
            continue
        widths = np.count_nonzero(pieces[top:] == ids[0], axis=1)
        deep = int(np.argmin(widths > 0)) if not widths.all() else widths.size
        w = widths[:deep]
        # A wedge: narrowing (never wider by more than a px of jitter) from WEDGE_OPEN px at least to
        # a point, and nothing of it below its first empty row; no deeper than it is wide where it
        # starts (an X's arms cross near a right angle: a zigzag's turns leave long thin wedges).
        # Two rows are enough: a fat felt X on a small box at 150-200 dpi leaves wedges that
        # short, their tips blurred away; a hole in a fill is no wedge (a felt fill has none, a
        # pencil or ballpoint fill's holes are many: specks, below).
        if (
            2 <= deep <= w[0]
            and w[0] >= WEDGE_OPEN
            and (w[-1] <= WEDGE_TIP or (blunt and deep >= BLUNT_DEEP and w[-1] <= BLUNT_TIP and w[-1] < w[0]))
            and not (np.diff(w) > 1).any()
            and not widths[deep:].any()
        ):
            wedge[ids[0]] = True
        elif (
            deep <= 2
            and w.size
            and (w[0] < WEDGE_OPEN or (blunt and w[0] == WEDGE_OPEN))
            and not (np.diff(w) > 0).any()
            and not widths[deep:].any()
        ):
            # At most two rows of paper at the side's middle, narrower than a wedge opens and never
            # widening: the tip of the wedge on the side the X's crossing lies towards (an X off the
            # box's centre). Neither a wedge nor a hole in a fill (held-out 7763000259, spent: such a
            # 3 px tip counted as specks; an X alone with three wedges went to a person). Blunt:
            # the blur leaves such a tip as wide as a wedge opens (probe 3401, 3 px, one row).
            closed[ids[0]] = True
    wedges = np.count_nonzero(wedge)
    if wedges < 3 and not (blunt and wedges == 2 and np.count_nonzero(closed) >= 2):
        # Blunt: an X whose crossing lies towards a corner narrows the two wedges on that side to
        # their tips (dev seed 5154 sheet 374, Dieppe, grey 150): two whole wedges and two tips.
        return False
    rim = free & (cv2.erode(free.astype(np.uint8), np.ones((3, 3), np.uint8), borderValue=0) == 0)
    corners, specks = 0, 0
    for i in range(1, k):
        if wedge[i] or closed[i]:
            continue
        area = int(stats[i, cv2.CC_STAT_AREA])
        if area >= 6 and bool(rim[labels == i].any()):
            corners += 1
        else:
            specks += area
    return corners <= 4 and specks <= 2


def _arms_at(darkness: np.ndarray, floor: float, printed: np.ndarray, mp: int, side_px: int) -> bool:
    """Could pale arms leave the box at three corners? Ink at `floor` (at most the shading's level,
    so it holds every pale arm's px) in three corner blocks: a cheap first look that only skips
    the shading test where its arms test could not pass (most fills on clean paper)."""
    lo = ((darkness >= floor) & (printed == 0)).astype(np.uint8)
    return sum(corner_arms(lo, printed, mp, side_px, least=3)) >= 3


def _shaded(darkness: np.ndarray, at: float, printed: np.ndarray, a: int, b: int) -> bool:
    """The box shaded all over at level `at` (ink is shade whatever the ring holds: in a dense
    grid, neighbours' fills raise its level), the 1-px gaps between strokes closed."""
    shade = ((darkness[a:b, a:b] >= at) & (printed[a:b, a:b] == 0)).astype(np.uint8)
    shade = cv2.morphologyEx(shade, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    return bool(levels.share(shade) > 0.9 and sides_filled(shade) == 4)


def corner_reach(ring: np.ndarray, mp: int, side_px: int) -> list[float]:
    """How far ink runs out diagonally past each corner of the box (in box sides): the largest
    distance out along both axes at once, so a stroke beside the box (one axis) does not count."""
    ys, xs = levels.nonzero(ring)
    hi = mp + side_px
    out = []
    for dx, dy in ((mp - xs, mp - ys), (xs - hi + 1, mp - ys), (mp - xs, ys - hi + 1), (xs - hi + 1, ys - hi + 1)):
        both = np.minimum(dx, dy)
        out.append(float(both.max()) / side_px if both.size and both.max() > 0 else 0.0)
    return out


def sides_filled(inner: np.ndarray) -> int:
    """How many of the four middles of the box's sides are inked inside: an X leaves them empty
    (its strokes run corner to corner), a filled box does not."""
    n = inner.shape[0]
    lo, hi, d = int(n * 0.4), int(n * 0.6), max(int(n * 0.18), 2)
    blocks = (inner[:d, lo:hi], inner[n - d :, lo:hi], inner[lo:hi, :d], inner[lo:hi, n - d :])
    return sum(int(blk.size > 0 and levels.share(blk) > 0.8) for blk in blocks)


def _labels(ring: np.ndarray) -> np.ndarray:
    return cv2.connectedComponents(np.ascontiguousarray(ring), connectivity=8)[1]


def corner_arms(
    ring: np.ndarray,
    printed: np.ndarray,
    mp: int,
    side_px: int,
    own: bool = False,
    least: int | None = None,
    need: int = 3,
    labels: Callable[[], np.ndarray] | None = None,
) -> list[bool]:
    """Which of the four diagonal corner blocks around the box hold ink (an X's arms run out
    there; a fill's overflow runs out of its sides); their sum is at how many corners ink leaves
    the box, which the rules compare with 3.

    `own`: only ink that leaves this box counts: a piece of ink in a block must reach the box's
    corner (within the outline's mask and a few px). In a dense grid the neighbours' marks reach
    into a crop's corners too (a felt-tip fill beside, above and below a partly filled box) and
    are no X over this one. (Not on a 1-bit copy: the copier breaks a pale arm into bits.)
    `least`: the px of ink a block must hold (default: a twelfth of it, at least 3). Which of
    the four (top-left, top-right, bottom-left, bottom-right); `own` is only looked at where at
    least `need` blocks hold ink. `labels`: the ring's pieces labelled already (a caller asking
    more than once labels them once)."""
    hi = mp + side_px
    # Diagonally out from each corner, 0.3 to 0.8 of the margin away: a fill's overflow and the
    # caps of its strokes stay nearer the box; a big X's arms run out there.
    near, far = max(int(mp * 0.3), 1), max(int(mp * 0.8), 2)
    spans = ((slice(mp - far, mp - near), slice(mp - far, mp - near)),
             (slice(mp - far, mp - near), slice(hi + near, hi + far)),
             (slice(hi + near, hi + far), slice(mp - far, mp - near)),
             (slice(hi + near, hi + far), slice(hi + near, hi + far)))  # fmt: skip
    counted = [
        blk.size > 0 and blk.sum() >= (least or max(3, blk.size // 12)) for blk in (ring[ys, xs] for ys, xs in spans)
    ]
    if not own or sum(counted) < need:
        return counted
    pieces = labels() if labels is not None else _labels(ring)
    reach = 6  # the outline's mask reaches ~3-4 px out of the box: an arm shows just past it
    corners = ((mp - 1, mp - 1, -1, -1), (mp - 1, hi, -1, 1), (hi, mp - 1, 1, -1), (hi, hi, 1, 1))
    arms = []
    top = int(pieces.max()) + 1  # labels run 0 .. top - 1
    for (ys, xs), ok, (cy, cx, sy, sx) in zip(spans, counted, corners, strict=True):
        if not ok:
            arms.append(False)
            continue
        at_corner = pieces[
            min(cy, cy + sy * reach) : max(cy, cy + sy * reach) + 1,
            min(cx, cx + sx * reach) : max(cx, cx + sx * reach) + 1,
        ]
        # The pieces at the corner as a table over every label (membership, as np.isin of the
        # corner's labels but the background's: the same pixels, without numpy's set operations,
        # which sorted both arrays and cost most of this test).
        mine_at = np.zeros(top, bool)
        mine_at[at_corner] = True
        mine_at[0] = False
        mine = mine_at[pieces[ys, xs]]
        arms.append(bool(mine.sum() >= (least or max(3, mine.size // 12))))
    return arms
