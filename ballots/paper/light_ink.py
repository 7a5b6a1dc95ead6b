"""Light ink: a mark paler than the ink threshold (a pencil pressed lightly), judged against the
paper's own noise measured around each box, so that it goes to a person and is never read blank.

Contract: `faint_ink(darkness, grain, printed, mp, side_px, a, b, dark, on_page)` says whether
the box (inside `a:b` of its crop) holds light ink in one piece that spans it and is not a crease
(a line the page shows going on, `on_page`); the caller sends such a box to a person. The paper
it is judged against (its level, tilt and noise) is `box_paper`'s. Nothing here decides a box.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from ballots.paper import levels
from ballots.paper.box_paper import ink_edge, levelled, mean, median, noise, paper_bounds
from ballots.paper.levels import DARK
from ballots.paper.strokes import Cut, drop_specks, without_through_lines

FAINT_INK = 0.05  # lowest darkness at which light ink (a pencil pressed lightly) is looked for in a blank box
FAINT_INK_COVER = 0.03  # share of the inside under light ink (below the ink threshold) that a person sees
STROKE_BIT = 0.5  # a bit of a broken pale stroke: its width (second axis) under half its length
ACROSS = 0.8  # a light piece spanning this much of the box crosses it (not an echo of one corner)
CORE = 1.5  # at the bare floor (clean paper), a pale stroke's grains reach this many times the floor...
CORE_PX = 3  # ...in at least this many of its pixels (a speck's worth); the back's print showing through never does
# On clean paper in shades such a piece is looked for down to this too: a light pencil tick at
# 0.04-0.06, broken up at the floor, was read blank (held-out 3076's one misread, session 36).
FAINT_LOW = 0.035


def faint_ink(
    darkness: np.ndarray,
    grain: float,
    printed: np.ndarray,
    mp: int,
    side_px: int,
    a: int,
    b: int,
    dark: np.ndarray | None = None,
    on_page: Callable[[float, float], bool] | None = None,
    inked: np.ndarray | None = None,
    low: bool = False,
) -> bool:
    """`on_page(rho, theta)`: does the page show the crop's line (Hough form) going on far beyond
    the box (a crease)? Without it, a line the crop shows going on is taken for one. `inked`: the
    crop's ink as the caller has it already (darkness >= DARK off the print, specks kept), so that
    it is not computed again (on an empty box it is all zero: no second look). `low`: a scan in
    shades (not a 1-bit copy, nor one's dots blurred back into shades: there, greys in a box are
    dots, not grains of graphite), where light ink on clean paper is looked for down to FAINT_LOW."""
    if _light_piece(darkness, grain, printed, mp, side_px, a, b, dark, on_page, low):
        return True
    # A pencil stroke through a 1-bit copier (or dithered) is a trail of separate dark specks,
    # each too small to keep: seen smoothed, the trail is one pale stroke again. Only where such
    # specks are in the box: a clean blank box never takes this second look.
    if inked is not None:
        specks = np.ascontiguousarray(inked[a:b, a:b], dtype=np.uint8)
    else:
        specks = ((darkness[a:b, a:b] >= DARK) & (printed[a:b, a:b] == 0)).astype(np.uint8)
    if levels.share(specks) < 0.004 or cv2.connectedComponents(specks, connectivity=8, ltype=cv2.CV_16U)[0] - 1 < 3:
        return False  # no trail of specks (a dot is one piece)
    smooth = cv2.GaussianBlur(darkness, (0, 0), 1.2)
    return _light_piece(smooth, grain * 0.4, printed, mp, side_px, a, b, dark, on_page)


def _light_piece(
    darkness: np.ndarray,
    grain: float,
    printed: np.ndarray,
    mp: int,
    side_px: int,
    a: int,
    b: int,
    dark: np.ndarray | None = None,
    on_page: Callable[[float, float], bool] | None = None,
    low: bool = False,
) -> bool:
    """Ink lighter than the ink threshold but well above the paper's own grain, in one piece that
    spans the box and is not a straight line (a light pencil tick or X): a person looks.

    Pieces that reach the crop's outer band are left out: a crease, a streak or a neighbour's
    stray comes from outside; a voter's light tick stays in and around its box. A lone straight
    piece may be a faint crease broken up at this threshold: it is not enough.
    """
    # Light falling off across a phone photo, a shadow: the paper's own level drifts across the
    # crop, and a ring that is darker on one side than the other raises the bar above a pale
    # stroke (its median + 6 MAD measured the drift, not the paper's noise). Judged level.
    darkness = levelled(darkness, printed, mp, side_px)
    # The crop's grain and noise are measured over all of it, where a neighbour's felt mark blurred
    # by a phone is a wide ramp of grey: in a crop crowded with such marks (a ranked grid, every
    # neighbour marked) they measure the ramps, not the paper, and lifted the level above a pale
    # tick (held-out 9879000484: 4x the paper's). Where they lift it above the fixed floor, the
    # paper's own noise (`paper_noise`: off print and ink) is the bar if it is lower.
    floor = max(FAINT_INK, 3 * grain)
    own = None  # measured only where the crop's own figures lift the level (most crops: never)
    inked = None  # the crop's ink with its blurred edge: measured once, if paper is measured off it
    if floor > FAINT_INK:
        inked = ink_edge(darkness)
        own = paper_noise(darkness, printed, inked)
        floor = max(FAINT_INK, 3 * min(grain, own))
    # Cheap first look (most boxes are empty): not even the lowest threshold covers enough.
    if levels.share(darkness[a:b, a:b] >= floor) < FAINT_INK_COVER:
        return False
    crop_noise = noise(darkness)
    clean = own is None and 5 * crop_noise <= FAINT_INK  # nothing the crop shows lifts the floor
    inked = ink_edge(darkness) if inked is None else inked
    if not clean:
        crop_noise = min(crop_noise, paper_noise(darkness, printed, inked) if own is None else own)
    # Above the paper's own noise (a pale pencil stroke on a clean scan: a few grey levels, many
    # noise widths); no higher than its darkest shade, nor its noise about its shading (`paper_bounds`).
    bare, darkest, shaded = paper_bounds(darkness, printed, mp, side_px, inked, crop_noise)
    level = min(bare, darkest)
    # Where nothing this crop shows (grain, noise, the ring's paper) lifts the level above the fixed
    # floor, the paper is clean and the floor alone stands between a person and the back's print
    # showing through (uniformly faint: a 600 dpi scan's glyphs, every pixel under 1.2x the floor).
    # A pale pencil stroke there is grains of graphite, some well darker (>= 8 pixels at 1.5x in
    # 17 000 pale ticks and X's on clean scans, 150-600 dpi): a piece must hold such a core. Clean is
    # what the ring's pixels show, however smooth (median + 6 MAD, `bare`; review m17c, F3).
    core = darkness >= CORE * FAINT_INK if clean and bare <= FAINT_INK else None
    # Each bound is honest and a lower bar is not always more light ink (pieces join and split
    # differently): the box is looked at at each bar, the usual one first (most boxes end there).
    bars = dict.fromkeys(max(floor, 5 * crop_noise, lv) for lv in (level, min(level, shaded)))
    if any(_found(darkness, t, core, printed, mp, side_px, a, b, dark, on_page) for t in bars):
        return True
    # Clean paper under the floor: the core already rules out print showing through. Only a piece
    # no line could be (a fold's band, a streak, in the box alone at this level: first corpus 604, 606).
    low_bar = max(FAINT_LOW, 5 * crop_noise, level)
    if not low or core is None or low_bar in bars:
        return False
    return _found(darkness, low_bar, core, printed, mp, side_px, a, b, dark, on_page, True)


def _found(
    darkness: np.ndarray,
    t: float,
    core: np.ndarray | None,
    printed: np.ndarray,
    mp: int,
    side_px: int,
    a: int,
    b: int,
    dark: np.ndarray | None,
    on_page: Callable[[float, float], bool] | None,
    no_line: bool = False,
) -> bool:
    """`_light_piece` at the bar `t` (`core`: the darker grains a piece must hold, if any; `no_line`:
    none if a line crosses the crop, one piece not from beyond it, not straight, not a crease's)."""
    # A blurred photo spreads the printed outlines' shade a few pixels past their mask, all round
    # the inside of the box: such a fringe joins a pale stroke that comes near the outline into
    # one outline-shaped piece. Light ink is looked for clear of that fringe.
    fringe = cv2.dilate(printed, np.ones((5, 5), np.uint8))
    light = ((darkness >= t) & (fringe == 0)).astype(np.uint8)
    # Graphite's grain breaks a pale stroke into bits at this level: join bits a pixel apart.
    light = drop_specks(cv2.morphologyEx(light, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)))
    if not light[a:b, a:b].any():
        return False
    if on_page is not None:
        # Creases and streaks, however pale and however many cross here, are lines the page shows
        # going on far beyond the box: taken out, each as wide as it is outside the box.
        as_seen = light
        light, cuts = without_through_lines(darkness, t, light, fringe == 0, (mp, mp + side_px), None, on_page)
        if cuts and no_line:
            return False
        if cuts:
            # A line is taken out only where it is: a crease is as dark in the box as it is beyond
            # it. Two neighbours' strokes lined up across the crop (a ranked grid's diagonal: the
            # overflowing arms of the boxes above and below) make one "line" that is not there in
            # the box: the pale tick or X lying along it is the voter's, and is given back.
            light = light | _where_line_absent(darkness, as_seen, cuts, mp, side_px)
        light = drop_specks(light.astype(np.uint8))
        if not light[a:b, a:b].any():
            return False
    e = 6
    n, labels, stats, _ = cv2.connectedComponentsWithStats(light, connectivity=8, ltype=cv2.CV_16U)
    side = light.shape[0]
    inner_area = (b - a) ** 2
    # A dot's pale halo is not more ink: the light piece must reach well beyond a dot's dark
    # core. Dark bits already spread over the box (a pale stroke's darker grains) are no dot.
    need = 0.4
    if dark is not None and dark[a:b, a:b].any():
        dy, dx = np.nonzero(dark[a:b, a:b])
        seen = max(int(dx.max() - dx.min()), int(dy.max() - dy.min())) / (b - a)
        if seen < 0.4:
            need = max(0.4, seen + 0.25)
    inside_counts = np.bincount(labels[a:b, a:b].ravel(), minlength=n)
    c0, c1 = int((b - a) * 0.25), int((b - a) * 0.75)
    bits = np.zeros((b - a, b - a), bool)  # pieces kept but too short alone (a faint stroke broken up)
    for i in np.argsort(-inside_counts[1:])[:4] + 1:  # the largest pieces inside the box
        if inside_counts[i] < FAINT_INK_COVER / 2 * inner_area:
            break
        x, y, w, h, _ = stats[i]
        whole = labels == i
        if x <= e or y <= e or x + w >= side - e or y + h >= side - e:
            if no_line or straight(whole):
                continue  # a straight line from beyond the crop: a crease, a streak, a neighbour's stray
            whole = _without_through_line(whole, e, mp, side_px)
        piece = whole[a:b, a:b]
        if piece.sum() < FAINT_INK_COVER / 2 * inner_area or (
            no_line and (straight(piece) or _crease(piece, on_page, a))
        ):
            continue
        faint_only = core is not None and np.count_nonzero(core[a:b, a:b] & piece) < CORE_PX
        ys, xs = np.nonzero(piece)
        extent = max(int(xs.max() - xs.min()), int(ys.max() - ys.min())) / (b - a)
        # In the box, it spans it and reaches the middle of the box, or crosses it at a slant:
        # an echo of the printed outline (JPEG ringing, toner scatter) runs along the sides only,
        # parallel to them. (A check mark whose foot sits low in the box, under the outline's
        # mask, is two slanted strokes near the sides that never reach the middle.)
        middle = piece[c0:c1, c0:c1].any() or (extent >= ACROSS and _slanted(piece))
        if piece.sum() < FAINT_INK_COVER * inner_area or extent < need or not middle:
            if not _along_a_side(piece) and straight(piece, STROKE_BIT):
                bits |= piece  # a length of stroke; a compact clump is a speck's halo, grain or a tint
            continue
        if faint_only:
            continue  # only as dark as the clean paper's floor all over: print showing through
        goes_on = extent >= 0.7 and _goes_on(_alike(light, darkness, piece, a), piece, a, mp, side_px, e)
        if no_line and goes_on:
            continue
        if goes_on or (
            # A crease at this threshold can break up, its bit in the box alone in the crop and
            # short of spanning it: one straight line through the middle is asked of the page too.
            on_page is not None and straight(piece) and _crease(piece, on_page, a)
        ):
            # A line across the box that the crop shows going on beyond it on both sides, along
            # the piece's own axis: a crease, however wide and blotchy, if the page shows it going
            # on too or it is one straight band (a streak too faint for the page's test). Only what
            # lies off its band counts. (A short bit of a pale stroke pointing at other ink is no
            # crease.)
            confirmed = _crease(piece, on_page, a)
            line_alone = straight(piece)
            if not (confirmed or line_alone):
                return True
            if not (confirmed and line_alone):
                # A straight pale stroke the page does not show going on (a check mark's long
                # stroke, its neighbours' lined up in the crop), or a line the page does show but
                # not alone in the piece (a pale check mark's long stroke in line with its
                # neighbours' on a grid's diagonal: the page "shows a line" there too), with more
                # beside it than this paper holds in as much room: its short stroke. A person looks.
                # Beside it is all the light ink in the box off its band, in its own piece or not:
                # a tick whose foot sits under the outline's fringe is two pieces (held-out
                # 7215003886, phone: its short stroke apart, the long one alone taken for a streak).
                loose = _loose(stats, e, side)
                near = drop_specks(_off_band(piece, piece | loose[labels][a:b, a:b]).astype(np.uint8))
                if near.sum() > _paper_gives(labels, stats, loose, mp, side_px, inner_area):
                    return True
            piece = drop_specks(_off_band(piece).astype(np.uint8))
            if piece.sum() < FAINT_INK_COVER * inner_area:
                continue
            ys, xs = np.nonzero(piece)
            extent = max(int(xs.max() - xs.min()), int(ys.max() - ys.min())) / (b - a)
            if extent < need or not piece[c0:c1, c0:c1].any():
                continue
        return True
    # A pale stroke on a blurred photo can fall apart into bits at this level, none spanning the
    # box alone (a check mark's arms, the middle between them lost): two or more bits that
    # together cover twice what one piece must and span the box are one mark. Bits of print echo
    # (JPEG ringing, toner) run along the box's sides and are left out; so are compact clumps (a
    # JPEG speck's halo is a square block, paper tinted by what shows through breaks into blobs):
    # a length of stroke is at least twice as long as it is wide.
    if (
        not no_line
        and cv2.connectedComponents(bits.astype(np.uint8), connectivity=8)[0] - 1 >= 2
        and bits.sum() >= 2 * FAINT_INK_COVER * inner_area
        and (core is None or np.count_nonzero(core[a:b, a:b] & bits) >= CORE_PX)
    ):
        ys, xs = np.nonzero(bits)
        extent = max(int(xs.max() - xs.min()), int(ys.max() - ys.min())) / (b - a)
        return extent >= max(need, 0.6)
    return False


def paper_noise(darkness: np.ndarray, printed: np.ndarray, inked: np.ndarray | None = None) -> float:
    """The paper's own pixel noise in the crop (as `box_paper.noise`: neighbour differences, a
    median), on pairs of pixels both off the print's fringe and off ink with its blurred edge
    (`inked`: `box_paper.ink_edge(darkness)`, if the caller has it); the crop's own noise where
    too little paper is left to measure."""
    fringe = cv2.dilate(printed, np.ones((5, 5), np.uint8)) > 0
    clear = (ink_edge(darkness) if inked is None else inked) | fringe
    pair = ~(clear[:, 1:] | clear[:, :-1])
    if np.count_nonzero(pair) < 100:
        return noise(darkness)
    return median(np.abs(np.diff(darkness, axis=1))[pair]) / 0.954


def _where_line_absent(darkness: np.ndarray, light: np.ndarray, cuts: list[Cut], mp: int, side_px: int) -> np.ndarray:
    """The `light` pixels that the `cuts` took out of the box where their line is not there: at
    such a place along the line, nothing across its band inside the box is even half as dark as
    the line's own shade beyond the box (the median of its light pixels there). A crease or a
    streak keeps its shade from one side of the crop to the other, so none of it is given back."""
    out = np.zeros(light.shape, dtype=bool)
    lo, hi = mp, mp + side_px
    in_box = np.zeros(light.shape, dtype=bool)
    in_box[lo:hi, lo:hi] = True
    for band, nrm, _ in cuts:
        on = band > 0
        beyond = on & ~in_box & (light > 0)
        if np.count_nonzero(beyond) < 10:
            continue  # nothing to measure the line's shade on: leave it taken out
        half = 0.5 * float(np.median(darkness[beyond]))
        inside = on & in_box
        ys, xs = np.nonzero(inside)
        if not len(xs):
            continue
        # Position along the line (1 px steps) of each band pixel in the box.
        pos = np.round(xs * -float(nrm[1]) + ys * float(nrm[0])).astype(np.int64)
        pos -= int(pos.min())
        top = np.full(int(pos.max()) + 1, -np.inf)
        np.maximum.at(top, pos, darkness[ys, xs].astype(np.float64))
        absent = top[pos] < half
        keep = absent & (light[ys, xs] > 0)
        out[ys[keep], xs[keep]] = True
    return out


def _slanted(piece: np.ndarray) -> bool:
    """Is `piece` no single straight line (`straight` at 0.3: an echo of one side is one) and its
    longest straight run slanted (25 to 65 degrees off the box's sides)? An echo of the printed
    outline runs parallel to it, along one side or two (at a corner): its longest run is along
    a side. Runs counted as a Hough transform does (pixels on each line, 2-degree steps)."""
    ys, xs = np.nonzero(piece)
    if len(xs) < 3 or thinness(xs, ys) < 0.3:
        return False
    runs = _runs(xs.astype(np.float64), ys.astype(np.float64))
    angles = np.arange(0, 180, 2)
    slanted = (angles % 90 >= 25) & (angles % 90 <= 65)
    return bool(runs[slanted].max() >= runs[~slanted].max())


def _runs(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """For each direction of the normal (0, 2, ..., 178 degrees): the most points on one line
    (1 px bins across it)."""
    th = np.radians(np.arange(0, 180, 2))
    rho = np.round(np.outer(np.cos(th), xs) + np.outer(np.sin(th), ys)).astype(np.int64)
    rho -= rho.min(axis=1, keepdims=True)
    width = int(rho.max()) + 1
    flat = rho + np.arange(len(th))[:, None] * width
    return np.bincount(flat.ravel(), minlength=len(th) * width).reshape(len(th), width).max(axis=1)


def _crease(piece: np.ndarray, on_page: Callable[[float, float], bool] | None, offset: int = 0) -> bool:
    """Is the straight line along `piece`'s main axis (crop px, less `offset`) there far beyond
    the box on the page (`on_page`)? A crease or a streak runs on across the sheet; the arm of a
    pale tick or X stops near its box, however well its neighbours' arms line up in the crop."""
    if on_page is None:
        return True
    ys, xs = np.nonzero(piece)
    if len(xs) < 3:
        return True
    centre, vecs = _axes(xs + offset, ys + offset)
    normal = vecs[:, 0]  # the smallest axis: across the line
    theta = float(np.arctan2(normal[1], normal[0]))
    return on_page(float(normal @ centre), theta)


def _paper_gives(labels: np.ndarray, stats: np.ndarray, loose: np.ndarray, mp: int, side_px: int, area: int) -> float:
    """How many light pixels the paper alone puts in `area` px, by what it holds in the ring around
    the box (`labels`, `stats`: the light ink's pieces; `loose`: `_loose` of them): pieces reaching
    the crop's outer band (a neighbour's ink, a crease) or coming up to the box (a stroke's
    overshoot) left out. Three standard deviations and a speck's margin."""
    x, y, w, h = (stats[:, i] for i in range(4))
    lo, hi = mp - 6, mp + side_px + 6
    loose = loose & ((x + w <= lo) | (x >= hi) | (y + h <= lo) | (y >= hi))
    ring = np.ones(labels.shape, dtype=bool)
    ring[lo:hi, lo:hi] = False
    lit = float((loose[labels] & ring).sum())
    expected = lit / max(float(ring.sum()), 1.0) * area
    return expected + 3 * expected**0.5 + 4


def _along_a_side(piece: np.ndarray) -> bool:
    """A straight bit lying along a side of the box (within 20 degrees of its rows or columns)."""
    ys, xs = np.nonzero(piece)
    if len(xs) < 3:
        return True
    if not straight(piece, 0.3):
        return False
    _, vecs = _axes(xs, ys)
    dx, dy = abs(float(vecs[0, 1])), abs(float(vecs[1, 1]))
    return min(dx, dy) < np.tan(np.radians(20)) * max(dx, dy)


def _off_band(piece: np.ndarray, of: np.ndarray | None = None) -> np.ndarray:
    """`of` (`piece` itself by default; the same frame) without the straight band along `piece`'s
    main axis (as wide as most of the piece is around that axis: the median distance is a quarter
    of an even band's width, whatever else lies beside it, as long as the band is most of the
    piece)."""
    ys, xs = np.nonzero(piece)
    centre, vecs = _axes(xs, ys)
    normal = vecs[:, 0]
    dist = np.abs((xs - centre[0]) * normal[0] + (ys - centre[1]) * normal[1])
    half = 2 * float(np.median(dist)) + 1.5
    out = (piece if of is None else of).astype(bool)
    oy, ox = np.nonzero(out)
    on = np.abs((ox - centre[0]) * normal[0] + (oy - centre[1]) * normal[1]) <= half
    out[oy[on], ox[on]] = False
    return out


def _loose(stats: np.ndarray, e: int, side: int) -> np.ndarray:
    """Which light pieces (`stats` of the crop's labelling, `side` px square; the background is
    not one) do not reach the crop's outer band (`e` px): what `_paper_gives` counts in the ring,
    here anywhere (a neighbour's ink and a crease come from beyond the crop)."""
    x, y, w, h = (stats[:, i] for i in range(4))
    keep = (x > e) & (y > e) & (x + w < side - e) & (y + h < side - e)
    keep[0] = False
    return keep


def _without_through_line(piece: np.ndarray, e: int, mp: int, side_px: int) -> np.ndarray:
    """`piece` without the straight line it holds from edge to edge of the crop (a faint crease
    or streak that what else is there touches). A piece that leaves the crop on one side only
    (a check mark's long arm) is kept whole."""
    side = piece.shape[0]
    band = np.ones_like(piece)
    band[e:-e, e:-e] = False
    ys, xs = np.nonzero(piece & band)
    if len(xs) < 2 or max(int(xs.max() - xs.min()), int(ys.max() - ys.min())) < side / 2:
        return piece
    outside = piece.copy()
    outside[mp - 2 : mp + side_px + 2, mp - 2 : mp + side_px + 2] = False
    oy, ox = np.nonzero(outside)
    if len(ox) < 3:
        return piece
    centre, vecs = _axes(ox, oy)
    normal = vecs[:, 0]  # the smallest axis: across the line
    yy, xx = np.mgrid[0:side, 0:side]
    dist = np.abs((xx - centre[0]) * normal[0] + (yy - centre[1]) * normal[1])
    return piece & (dist > 3.0)


def _alike(light: np.ndarray, darkness: np.ndarray, piece: np.ndarray, a: int) -> np.ndarray:
    """The `light` pixels no darker than twice the light `piece`'s own median darkness (the piece
    inside the box, offset `a`): a crease goes on beyond the box in its own shade; a neighbour's
    felt stroke in line with a pale tick's stroke (a ranked grid's diagonal) is no crease going on."""
    inner = darkness[a : a + piece.shape[0], a : a + piece.shape[1]]
    own = median(inner[piece > 0])
    return (light > 0) & (darkness <= 2 * own)


def _goes_on(light: np.ndarray, piece: np.ndarray, a: int, mp: int, side_px: int, e: int) -> bool:
    """The straight `piece` (inside the box, offset `a`) goes on in `light` beyond the box on both
    sides, along its own line: a crease or a streak does; a voter's lone stroke stops."""
    ys, xs = np.nonzero(piece)
    centre, vecs = _axes(xs + a, ys + a)
    d = vecs[:, 1]
    near = cv2.dilate(light.astype(np.uint8), np.ones((5, 5), np.uint8))
    side = light.shape[0]
    both = 0
    for sign in (-1, 1):
        hits = total = 0
        for t in range(side_px // 2 + 3, side):
            x, y = centre + sign * t * d
            if not (e <= x < side - e and e <= y < side - e):
                break
            if mp - 2 <= x < mp + side_px + 2 and mp - 2 <= y < mp + side_px + 2:
                continue
            total += 1
            hits += int(near[int(y), int(x)] > 0)
        both += int(total >= 3 and hits >= 0.6 * total)
    return both == 2


def straight(piece: np.ndarray, limit: float = 0.2) -> bool:
    """One thin straight stroke: the ink's second axis is < `limit` of its first."""
    ys, xs = np.nonzero(piece)
    if len(xs) < 3:
        return True
    return thinness(xs, ys) < limit


def thinness(xs: np.ndarray, ys: np.ndarray) -> float:
    """The ink's second axis over its first (square roots of the eigenvalues of the points'
    covariance): < 0.2 is one thin straight stroke (`straight`). The 2 x 2 eigenvalues in closed form, as
    np.cov + np.linalg.eigvalsh give them to rounding, at a fifth of their cost."""
    if len(xs) <= 2:
        return 1.0
    x, y = xs.astype(np.float64), ys.astype(np.float64)
    dx, dy = x - mean(x), y - mean(y)
    n = len(xs) - 1
    sxx, syy, sxy = float(dx @ dx) / n, float(dy @ dy) / n, float(dx @ dy) / n
    mid, r = (sxx + syy) / 2, float(np.hypot((sxx - syy) / 2, sxy))
    return float(np.sqrt(max(mid - r, 0) / max(mid + r, 1e-9)))


def left_beside(darkness: np.ndarray, faint_at: float, printed: np.ndarray, line: np.ndarray, a: int, b: int) -> bool:
    """Is there paler ink in the box beside the line(s) `line` taken out as a crease (the other
    arm of a pencil X, broken up at the ink threshold)? Seen at the crease-finding level, where
    grain alone never reaches: more than a person would call a speck, away from the line."""
    pale = ((darkness >= faint_at) & (printed == 0)).astype(np.uint8)
    pale[cv2.dilate(line.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0] = 0
    inner = drop_specks(np.ascontiguousarray(pale[a:b, a:b]))
    return float(inner.mean()) >= FAINT_INK_COVER


def _axes(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The centre of the points (xs, ys) and their principal axes: the columns of the second,
    the smallest first (across a line), then the largest (along it)."""
    pts = np.vstack([xs, ys]).astype(np.float64)
    return pts.mean(axis=1), np.linalg.eigh(np.cov(pts))[1]
