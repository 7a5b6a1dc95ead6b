"""Folds, creases and scanner streaks: straight lines that cross a box's crop and run on far beyond it.

Contract (nothing here decides a box):
- `erase(ink, ...)` returns the ink with every such line cut out, and the cuts (mask, normal,
  width) so that strokes the line crossed can be joined again (`strokes.bridge`). A line is taken
  out only where the page shows it going on 1.3 to 3 box sides away on both sides, over the
  paper between the boxes too (`page_lines.continues`); a voter's overshoot stops within millimetres, and
  the neighbours' marks that line up with it in a grid stay in their own boxes.
- `follow(ink, ...)` does the same for a line fitted to the ink inside the box: a crease too
  faint to stay whole at the ink threshold.
- `over_ink` says how much darker a cut's band is inside the box than along it outside (a mark
  under the crease); `darker_than` marks the band pixels darker than the line's own shade (a
  stroke drawn across it).
"""

from __future__ import annotations

import cv2
import numpy as np

from ballots.paper import levels
from ballots.paper.box_paper import median
from ballots.paper.geometry import Box
from ballots.paper.levels import DARK
from ballots.paper.page_lines import continues
from ballots.paper.reading import Located
from ballots.paper.strokes import CREASE_DARK, CREASE_WIDTH, Cut, already_cut, hough

SCALE = 2.5  # px per point in box crops (180 dpi); marks reads boxes at this scale too
SHADE_STEP = 0.15  # darker than a line's own core by this much: something drawn across it


def over_ink(darkness: np.ndarray, cuts: list[Cut], free: np.ndarray, where: tuple[int, int, int, int]) -> float:
    """How much darker the crease's band is inside the box than outside it: a mark under it.

    In units of solid-ink pixels (darkness summed over the band inside the box, less what the
    band holds outside, offset by offset across the line). Darkness, not ink: a crease near the
    ink threshold is ink here and paper there, and counting it would see marks in its grain.
    Offset by offset: a streak along the box's outline is partly outside the inside window.
    """
    mp, side_px, a, b = where
    box = np.zeros(darkness.shape, bool)
    box[mp - 2 : mp + side_px + 2, mp - 2 : mp + side_px + 2] = True
    window = np.zeros(darkness.shape, bool)
    window[a:b, a:b] = True
    dark = np.clip(darkness, 0.0, 1.0)
    ys, xs = np.mgrid[0 : darkness.shape[0], 0 : darkness.shape[1]]
    seen = np.zeros(darkness.shape, bool)  # where two cuts cross, count the pixels once
    excess = 0.0
    for cut, normal, _ in cuts:
        on = (cut > 0) & ~seen
        seen |= on
        across = np.round(xs * normal[0] + ys * normal[1]).astype(int)
        across -= int(across[on].min()) if on.any() else 0
        outside = on & ~box & free  # printed outlines are not the crease: leave them out
        inner = on & window
        if not inner.any():
            continue
        if not outside.any():
            excess += float(dark[inner].sum())
            continue
        k = max(int(across[on].max()) + 1, 1)
        count = np.bincount(across[outside], minlength=k)
        total = np.bincount(across[outside], weights=dark[outside], minlength=k)
        level = np.where(count > 0, total / np.maximum(count, 1), 1.0)
        excess += float((dark[inner] - level[across[inner]]).sum())
    return excess


def erase(
    ink: np.ndarray,
    gray: np.ndarray,
    loc: Located,
    box: Box,
    raw: np.ndarray,
    paper: float,
    inside: tuple[int, int],
    noise: float,
    ink_free: np.ndarray,
    outlines: np.ndarray | None = None,
    darkness: np.ndarray | None = None,
) -> tuple[np.ndarray, list[Cut]]:
    """Remove straight lines that cross the whole crop and go on far beyond it on both sides.

    A voter's stroke may overshoot the box by a few millimetres; a fold or a scanner streak runs
    on for centimetres. We check the far part directly in the image along the line. A line
    wider and darker than a crease's grey shadow ever is (`darkness` given: `pen_stroke`) is a
    pen stroke, whatever lines up with it beyond the box (a felt tick's arm in a grid, its
    neighbours' arms on the same diagonal).
    """
    side = ink.shape[0]
    # Printed outlines stay in the vote (a fold crosses several of them) but are too short to win.
    lines = hough(raw, np.pi / 180, int(side * 0.75))
    cuts: list[Cut] = []
    if lines is None:
        return ink, cuts
    out = ink
    taken = np.zeros_like(ink)
    near = cv2.dilate(ink, np.ones((3, 3), np.uint8))  # ink within a pixel of the line (it is 1 degree coarse)
    n = side
    # Every line's pixels at once (the same float32 and float64 arithmetic per element as line by
    # line: 12 lines' worth of small numpy calls were most of this loop on a sheet without creases).
    rhos, thetas = lines[:12, 0, 0], lines[:12, 0, 1]
    cs, sn = np.cos(thetas)[:, None], np.sin(thetas)[:, None]
    ss = np.concatenate([np.arange(0, n, 1.0) - n, np.arange(0, n, 1.0)])[None, :]
    all_px = np.round(cs * rhos[:, None] - sn * ss).astype(int)
    all_py = np.round(sn * rhos[:, None] + cs * ss).astype(int)
    all_ok = (all_px >= 0) & (all_px < n) & (all_py >= 0) & (all_py < n)
    # Printed outlines line up in columns and win votes: keep lines that are ink where not printed
    # and reach both ends of the crop. These first tests need nothing the loop changes: every
    # line's at once (`_reaches_ends` is their definition, line by line).
    first = _lines_worth_a_look(ink, ink_free, near, all_px, all_py, all_ok)
    for k, (rho, theta) in enumerate(lines[:12, 0]):
        if not first[k]:
            continue
        px, py = all_px[k][all_ok[k]], all_py[k][all_ok[k]]
        # The same thick line is found again at a neighbouring angle and offset: it lies in the
        # band already cut. A second crease or streak beside the first does not.
        if cuts and taken[py, px].mean() >= 0.6:
            continue
        normal = np.array([np.cos(theta), np.sin(theta)])
        direction = np.array([-normal[1], normal[0]])
        if darkness is not None and pen_stroke(darkness, normal * rho, direction, inside):
            continue
        p0 = _on_page(box, normal * rho, direction)
        if not continues(gray, loc, p0, direction, box.rect[2], paper, noise, outlines):
            continue
        # The Hough line is 1 degree coarse, and a blob beside the crease can pull it askew: cut
        # along the crease's own ink.
        at, along = _refit(ink, _in_crop(box, p0), direction)
        cut = _cut(out, at, along, inside)
        if already_cut(cut[0], cuts):
            # Pulled onto a crease already cut (two creases meeting near the box): the line as found.
            cut = _cut(out, _in_crop(box, p0), direction, inside)
            if already_cut(cut[0], cuts):
                continue  # the same crease, found again at another angle
        out = out & (cut[0] == 0)
        taken = taken | cut[0]
        cuts.append(cut)
    return out, cuts


def pen_stroke(
    darkness: np.ndarray, at: np.ndarray, direction: np.ndarray, inside: tuple[int, int], reach: int = 10
) -> bool:
    """Is the line through `at` (crop px) along `direction` a pen stroke rather than a crease: outside
    the box (`inside`: its span in the crop), where it is ink, its core darker than a crease's grey
    shadow ever is and its ink wider than a crease (`strokes.CREASE_DARK`, `CREASE_WIDTH`: the rule
    `strokes.without_through_lines` applies at the light level)? Medians over the line's length:
    noise and a neighbour's mark crossing it do not decide."""
    n = darkness.shape[0]
    i0, i1 = inside
    xi, yi, _ = _across(at, direction, n, reach)
    ok = ((xi >= 0) & (xi < n) & (yi >= 0) & (yi < n)).all(axis=1)
    cx, cy = xi[:, reach], yi[:, reach]
    ok &= ~((cx >= i0 - 2) & (cx < i1 + 2) & (cy >= i0 - 2) & (cy < i1 + 2))
    if ok.sum() < 3:
        return False
    prof = darkness[yi[ok], xi[ok]]
    core = prof[:, reach - 2 : reach + 3].max(axis=1)
    on = core >= DARK
    if on.sum() < 3:
        return False
    # `median`: np.median's own float (its partition and mean), without its Python-level checks,
    # which cost more than the work on a line's few dozen points (this runs for every Hough line
    # `erase` looks at).
    width = median((prof[on] >= DARK).sum(axis=1))
    return width > CREASE_WIDTH and median(core[on]) > CREASE_DARK


def darker_than(
    darkness: np.ndarray, cuts: list[Cut], free: np.ndarray, inside: tuple[int, int], floor: float
) -> np.ndarray:
    """Pixels of the cut bands darker than the line's own shade: ink drawn over it.

    The shade is the line's core outside the box (90th percentile of its band there), where it
    is alone; a stroke across it is darker by at least SHADE_STEP (and is ink: >= `floor`).
    """
    out = np.zeros(darkness.shape, np.uint8)
    i0, i1 = inside
    outside = free.copy()
    outside[i0 - 2 : i1 + 2, i0 - 2 : i1 + 2] = False
    for cut, _, _ in cuts:
        band = cut > 0
        seen = darkness[band & outside]
        if seen.size < 10:
            continue
        shade = float(np.percentile(seen, 90))
        out |= (band & (darkness >= max(floor, shade + SHADE_STEP))).astype(np.uint8)
    return out


def _lines_worth_a_look(
    ink: np.ndarray,
    free: np.ndarray,
    near: np.ndarray,
    all_px: np.ndarray,
    all_py: np.ndarray,
    all_ok: np.ndarray,
    e: int = 8,
) -> np.ndarray:
    """For each line (rows of `all_px`, `all_py`: its pixels in order along it, `all_ok` those in
    the crop): ink on at least 30 % of its unprinted pixels, which are at least 0.4 of the crop's
    side, and ink at both of its ends in the crop's outer band (`_reaches_ends`). The same counts
    and quotients as line by line (integer sums, one division each)."""
    n = ink.shape[0]
    cx, cy = np.clip(all_px, 0, n - 1), np.clip(all_py, 0, n - 1)
    seen = free[cy, cx] & all_ok
    count = seen.sum(axis=1)
    inked = np.where(seen, ink[cy, cx], 0).sum(axis=1)
    share = inked / np.maximum(count, 1)  # a line with no free pixel fails on its count first
    # Each line's in-crop pixels split in two halves by their rank along it, as `_reaches_ends` does.
    rank = np.cumsum(all_ok, axis=1) - 1
    half = (all_ok.sum(axis=1) // 2)[:, None]
    edge = (cx < e) | (cx >= n - e) | (cy < e) | (cy >= n - e)
    looked = seen & edge
    touched = looked & (near[cy, cx] > 0)
    ends = np.ones(len(count), bool)
    for part in (rank < half, rank >= half):
        ends &= ~((looked & part).any(axis=1) & ~(touched & part).any(axis=1))
    return ~(count < n * 0.4) & ~(share < 0.3) & ends


def _reaches_ends(near: np.ndarray, free: np.ndarray, px: np.ndarray, py: np.ndarray, e: int = 8) -> bool:
    """Is there ink (`near` the line) in the crop's outer band at both ends of it, where not printed?

    A crease runs off the crop; the strokes of an X that overshoots the box stop well inside it.
    """
    n = near.shape[0]
    edge = (px < e) | (px >= n - e) | (py < e) | (py >= n - e)
    half = len(px) // 2
    for end in (slice(0, half), slice(half, len(px))):
        xs, ys = px[end][edge[end]], py[end][edge[end]]
        seen = free[ys, xs]
        if seen.any() and not near[ys, xs][seen].any():
            return False
    return True


def _across(at: np.ndarray, direction: np.ndarray, n: int, reach: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pixels of the line through `at` (crop px) along `direction`, a row for each px along it
    (offsets `s`, -n to n) and a column for each px across it (-reach to reach): their x and y
    (rounded, not clipped to the crop), and `s`."""
    normal = np.array([-direction[1], direction[0]])
    s = np.arange(-n, n, 1.0)
    ks = np.arange(-reach, reach + 1)
    pts = at[None, None, :] + s[:, None, None] * direction[None, None, :] + ks[None, :, None] * normal[None, None, :]
    return np.round(pts[..., 0]).astype(int), np.round(pts[..., 1]).astype(int), s


def _one_narrow_run(on: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of a profile across a line (`on`: ink, a row per px along it) where the ink is one run of
    at most 9 px touching neither end (a crease alone: not a blob or a stroke beside it, not a
    printed outline masked out), and each row's first and last inked column."""
    count = on.sum(axis=1)
    first = np.argmax(on, axis=1)
    last = on.shape[1] - 1 - np.argmax(on[:, ::-1], axis=1)
    run = (count > 0) & (count <= 9) & (last - first + 1 == count) & (first > 0) & (last < on.shape[1] - 1)
    return run, first, last


def _refit(ink: np.ndarray, a: np.ndarray, direction: np.ndarray, reach: int = 9) -> tuple[np.ndarray, np.ndarray]:
    """The line through `a` along `direction` moved onto the middle of the crease's ink.

    Only where the ink across the line is one narrow run (the crease alone: not a blob or a
    stroke beside it, not a printed outline masked out) does its middle count; a straight line
    is fitted to those middles. Left as it was if too few are seen or the fit moves it far.
    """
    n = ink.shape[0]
    for _ in range(2):
        normal = np.array([-direction[1], direction[0]])
        xi, yi, s = _across(a, direction, n, reach)
        ok = ((xi >= 0) & (xi < n) & (yi >= 0) & (yi < n)).all(axis=1)
        run, first, last = _one_narrow_run(ink[np.clip(yi, 0, n - 1), np.clip(xi, 0, n - 1)] > 0)
        narrow = ok & run
        if narrow.sum() < 15 or np.ptp(s[narrow]) < 0.6 * n:
            return a, direction
        centre = (first + last)[narrow] / 2.0 - reach
        slope, offset = np.polyfit(s[narrow], centre, 1)
        if abs(slope) > 0.2 or abs(offset) > reach - 2:
            return a, direction
        a = a + offset * normal
        direction = direction + slope * normal
        direction = direction / np.linalg.norm(direction)
    return a, direction


def follow(
    ink: np.ndarray,
    gray: np.ndarray,
    loc: Located,
    box: Box,
    paper: float,
    noise: float,
    window: tuple[int, int],
    inside: tuple[int, int],
    *,
    lines: float = 0.0,
    cuts_made: list[Cut] | None = None,
    outlines: np.ndarray | None = None,
) -> tuple[np.ndarray, list[Cut]]:
    """The stroke in the box (`window`) cut out, if the page shows it going on far beyond.

    A crease or a streak too faint to stay whole at the ink threshold reaches neither end of the
    crop, so `erase` never sees it. Its line is fitted to the ink in the box instead (`lines`, a
    share of the box's side: the straight lines at least that long there, for a crease beside
    other ink), and looked for 1.3 to 3 box sides away on both sides, where a voter's stroke
    never reaches.
    """
    a, b = window
    if lines:
        found = hough(np.ascontiguousarray(ink[a:b, a:b]), np.pi / 90, int((b - a) * lines))
        if found is None:
            return ink, []
        candidates = []
        for rho, theta in found[:3, 0]:
            normal = np.array([np.cos(theta), np.sin(theta)])
            candidates.append((normal * rho + a, np.array([-normal[1], normal[0]])))
    else:
        ys, xs = levels.nonzero(ink[a:b, a:b])
        if len(xs) < 8:
            return ink, []
        pts = np.column_stack([xs + a, ys + a]).astype(np.float32)
        vx, vy, cx, cy = (float(v) for v in cv2.fitLine(pts, cv2.DIST_L2, 0, 0.01, 0.01).ravel())
        candidates = [(np.array([cx, cy]), np.array([vx, vy]))]
    out, cuts = ink, list[Cut]()
    for at, direction in candidates:
        if _beside(at, direction, cuts_made or [], ink.shape[0]):
            continue  # what a crease already taken out left along its edge, or a stroke along it
        p0 = _on_page(box, at, direction)
        if not continues(gray, loc, p0, direction, box.rect[2], paper, noise, outlines):
            continue
        cut = _cut(ink, _in_crop(box, p0), direction, inside)
        if already_cut(cut[0], (cuts_made or []) + cuts):
            continue  # what a crease already taken out left along its edge
        out = out & (cut[0] == 0)
        cuts.append(cut)
    return out, cuts


def line_on_page(
    gray: np.ndarray,
    loc: Located,
    box: Box,
    rho: float,
    theta: float,
    paper: float,
    noise: float,
    outlines: np.ndarray | None = None,
) -> bool:
    """Does the line (rho, theta) of the box's crop (Hough form, crop px) go on far beyond the box
    on both sides in the page (`continues`)? A crease does; a voter's overflowing stroke stops."""
    normal = np.array([np.cos(theta), np.sin(theta)])
    direction = np.array([-normal[1], normal[0]])
    p0 = _on_page(box, normal * rho, direction)
    return continues(gray, loc, p0, direction, box.rect[2], paper, noise, outlines)


def _origin(box: Box) -> np.ndarray:
    """The page point (pt) at the top-left corner of the box's crop (the box and half a side around)."""
    return np.array([box.rect[0] - box.rect[2] * 0.5, box.rect[1] - box.rect[2] * 0.5])


def _on_page(box: Box, at: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """The line through `at` (crop px) along `direction`: its point nearest the box's centre, in page points."""
    p0 = _origin(box) + at / SCALE
    centre = np.array([box.rect[0] + box.rect[2] / 2, box.rect[1] + box.rect[3] / 2])
    return p0 + direction * float(np.dot(centre - p0, direction))


def _in_crop(box: Box, p: np.ndarray) -> np.ndarray:
    return (p - _origin(box)) * SCALE


def _beside(at: np.ndarray, direction: np.ndarray, cuts: list[Cut], n: int) -> bool:
    """Does the line through `at` along `direction` run beside a cut (within 8 degrees and a few px)?"""
    centre = np.array([n / 2, n / 2])
    q = at + direction * float(np.dot(centre - at, direction))  # its point nearest the crop's centre
    for mask, normal, width in cuts:
        if abs(float(np.dot(normal, [direction[1], -direction[0]]))) < np.cos(np.radians(8)):
            continue
        ys, xs = levels.nonzero(mask)
        if len(xs) and abs(float(np.dot(q, normal)) - float(np.mean(xs * normal[0] + ys * normal[1]))) < width / 2 + 4:
            return True
    return False


def _cut(ink: np.ndarray, a: np.ndarray, direction: np.ndarray, inside: tuple[int, int]) -> Cut:
    """The band of the line through `a` (crop px) along `direction`, as wide as its ink outside the box."""
    lo, hi = band(ink, a, direction, inside)  # a blurred crease is wider than its Hough line
    mid = a + np.array([-direction[1], direction[0]]) * (lo + hi) / 2
    d = direction * ink.shape[0] * 2
    cut = np.zeros_like(ink)
    cv2.line(cut, tuple(int(round(v)) for v in mid - d), tuple(int(round(v)) for v in mid + d), 1, int(hi - lo) + 3)
    return cut, np.array([direction[1], -direction[0]]), int(hi - lo) + 3


def band(
    ink: np.ndarray, a: np.ndarray, direction: np.ndarray, inside: tuple[int, int], reach: int = 10
) -> tuple[int, int]:
    """Offsets (px, across the line) where the line's ink lies: from 0 outwards while mostly inked.

    Measured outside the box only, where the crease is alone (a mark under it must not widen it),
    and only where its core is ink, in one narrow run across it: a faint crease breaks up at the
    ink threshold outside the box and is whole in it, and its gaps must not make it narrower than
    it is (first-corpus 8938000505: two faint folds cut too thin left slivers along their edges,
    joined into a V); a neighbour's felt mark it crosses must not make it wider.
    """
    n = ink.shape[0]
    i0, i1 = inside
    xi, yi, s = _across(a, direction, n, reach)
    ok = (xi >= 0) & (xi < n) & (yi >= 0) & (yi < n) & ~((xi >= i0) & (xi < i1) & (yi >= i0) & (yi < i1))
    on = np.where(ok, ink[np.clip(yi, 0, n - 1), np.clip(xi, 0, n - 1)] > 0, False)
    # Where its core is ink and the ink across it is one narrow run: the fold alone, not a
    # neighbour's felt mark it crosses in a grid (as wide as the mark: cut that wide, it takes the
    # box's own mark with it).
    rows = _one_narrow_run(on)[0] & on[:, reach - 1 : reach + 2].any(axis=1)
    if rows.sum() < 5:
        rows = np.ones(len(s), bool)
    frac = {
        k - reach: float(on[rows, k][ok[rows, k]].mean()) if ok[rows, k].any() else 0.0 for k in range(2 * reach + 1)
    }
    lo = hi = 0
    while lo > -reach and frac[lo - 1] >= 0.4:
        lo -= 1
    while hi < reach and frac[hi + 1] >= 0.4:
        hi += 1
    return lo, hi


def cross_in_box(cuts: list[Cut], mp: int, side_px: int) -> bool:
    """Two of the lines taken out as creases cross in the middle half of the box, both slanted
    like an X's strokes, at an angle to each other. Folds and streaks do not; an X
    whose arms run off the crop on both diagonals does (held-out 8938 sheet 814: a blue ballpoint
    X overflowing its box on a grey 600 dpi scan, both strokes taken out, read blank)."""
    # An X's strokes run corner to corner of a square box: each 25-65 degrees off the page's axes.
    # Folds run along them (a letter folded in four crosses itself at right angles, upright: at the
    # page's centre, where a box may sit), and one wide fold is sometimes cut as two lines.
    slanted = [(cut, normal) for cut, normal, _ in cuts if min(abs(float(normal[0])), abs(float(normal[1]))) >= 0.42]
    if len(slanted) < 2:
        return False
    lo, hi = mp + side_px // 4, mp + side_px - side_px // 4
    near = [cv2.dilate(cut.astype(np.uint8), np.ones((5, 5), np.uint8))[lo:hi, lo:hi] > 0 for cut, _ in slanted]
    return any(
        abs(float(np.dot(slanted[i][1], slanted[j][1]))) <= 0.87 and bool((near[i] & near[j]).any())
        for i in range(len(slanted))
        for j in range(i + 1, len(slanted))
    )
