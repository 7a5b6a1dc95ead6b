"""Folds, creases and scanner streaks: straight lines that cross a box's crop and run on far beyond it.

Contract (nothing here decides a box):
- `erase(ink, ...)` returns the ink with every such line cut out, and the cuts (mask, normal,
  width) so that strokes the line crossed can be joined again (`strokes.bridge`). A line is taken
  out only where the page shows it going on 1.3 to 3 box sides away on both sides, over the
  paper between the boxes too (`continues`); a voter's overshoot stops within millimetres, and
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

from ballots.paper.bands import in_boxes, near_outlines
from ballots.paper.geometry import Box
from ballots.paper.levels import DARK
from ballots.paper.reading import Located
from ballots.paper.strokes import CREASE_DARK, CREASE_WIDTH, Cut, already_cut

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
    lines = cv2.HoughLines(raw, 1, np.pi / 180, int(side * 0.75))
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
    normal = np.array([-direction[1], direction[0]])
    s = np.arange(-n, n, 1.0)
    ks = np.arange(-reach, reach + 1)
    pts = at[None, None, :] + s[:, None, None] * direction[None, None, :] + ks[None, :, None] * normal[None, None, :]
    xi, yi = np.round(pts[..., 0]).astype(int), np.round(pts[..., 1]).astype(int)
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
    width = float(np.median((prof[on] >= DARK).sum(axis=1)))
    return width > CREASE_WIDTH and float(np.median(core[on])) > CREASE_DARK


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


def _refit(ink: np.ndarray, a: np.ndarray, direction: np.ndarray, reach: int = 9) -> tuple[np.ndarray, np.ndarray]:
    """The line through `a` along `direction` moved onto the middle of the crease's ink.

    Only where the ink across the line is one narrow run (the crease alone: not a blob or a
    stroke beside it, not a printed outline masked out) does its middle count; a straight line
    is fitted to those middles. Left as it was if too few are seen or the fit moves it far.
    """
    n = ink.shape[0]
    ks = np.arange(-reach, reach + 1)
    s = np.arange(-n, n, 1.0)
    for _ in range(2):
        normal = np.array([-direction[1], direction[0]])
        pts = a + s[:, None, None] * direction + ks[None, :, None] * normal
        xi, yi = np.round(pts[..., 0]).astype(int), np.round(pts[..., 1]).astype(int)
        ok = ((xi >= 0) & (xi < n) & (yi >= 0) & (yi < n)).all(axis=1)
        prof = ink[np.clip(yi, 0, n - 1), np.clip(xi, 0, n - 1)] > 0
        count = prof.sum(axis=1)
        first = np.argmax(prof, axis=1)
        last = len(ks) - 1 - np.argmax(prof[:, ::-1], axis=1)
        narrow = ok & (count > 0) & (count <= 9) & (last - first + 1 == count) & (first > 0) & (last < len(ks) - 1)
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
        found = cv2.HoughLines(np.ascontiguousarray(ink[a:b, a:b]), 1, np.pi / 90, int((b - a) * lines))
        if found is None:
            return ink, []
        candidates = []
        for rho, theta in found[:3, 0]:
            normal = np.array([np.cos(theta), np.sin(theta)])
            candidates.append((normal * rho + a, np.array([-normal[1], normal[0]])))
    else:
        ys, xs = np.nonzero(ink[a:b, a:b])
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
        ys, xs = np.nonzero(mask)
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

    Measured outside the box only, where the crease is alone (a mark under it must not widen it).
    """
    n = ink.shape[0]
    i0, i1 = inside
    normal = np.array([-direction[1], direction[0]])
    s = np.arange(-n, n, 1.0)
    frac = {}
    for k in range(-reach, reach + 1):
        pts = a[None, :] + s[:, None] * direction[None, :] + k * normal[None, :]
        xi, yi = np.round(pts[:, 0]).astype(int), np.round(pts[:, 1]).astype(int)
        ok = (xi >= 0) & (xi < n) & (yi >= 0) & (yi < n) & ~((xi >= i0) & (xi < i1) & (yi >= i0) & (yi < i1))
        frac[k] = float(ink[yi[ok], xi[ok]].mean()) if ok.any() else 0.0
    lo = hi = 0
    while lo > -reach and frac[lo - 1] >= 0.4:
        lo -= 1
    while hi < reach and frac[hi + 1] >= 0.4:
        hi += 1
    return lo, hi


def continues(
    gray: np.ndarray,
    loc: Located,
    p0: np.ndarray,
    direction: np.ndarray,
    box_side: float,
    paper: float,
    noise: float,
    outlines: np.ndarray | None = None,
) -> bool:
    """Is there a line along `direction` far from the box on both sides (1.3 to 3 box sides away)?

    Each sample takes the darkest of a few 3x3 means across the line (±1.2 pt): averaging keeps
    scanner noise from passing for a line, the cross search tolerates a 1° error in angle.
    `outlines` (`outline_bands`): for a slanted line, points on printed box outlines are left out;
    and the line must show on the paper between the boxes too (`between_boxes`).
    """
    # Each side is judged on its own samples: the far side is looked at only where the near side
    # shows the line (most lines tested, a mark's strokes, stop there).
    seen = 0
    for sign in (-1.0, 1.0):
        ts = sign * NEAR * box_side
        known, hits = _line_samples(gray, loc, p0, direction, ts, paper, noise, outlines)
        if known.sum() < 3 or hits[known].mean() < 0.75:
            return False
        if (
            outlines is not None
            and len(outlines)
            and not between_boxes(gray, loc, p0, direction, sign * box_side, paper, noise, outlines)
        ):
            return False
        seen += int(known.sum())
    return seen >= 8


NEAR = np.linspace(1.3, 3.0, 12)  # box sides from the box's centre: past any overshoot of the voter's own mark
FAR = np.linspace(3.15, 5.0, 12)  # further out, where the near reach holds no paper between boxes


def between_boxes(
    gray: np.ndarray,
    loc: Located,
    p0: np.ndarray,
    direction: np.ndarray,
    side: float,
    paper: float,
    noise: float,
    outlines: np.ndarray,
) -> bool:
    """Does the line show on the paper between the boxes (`side`: the box side, signed: which way
    along the line)? A fold or a streak crosses the whole sheet, the gaps between boxes too; a
    voter's stroke stays in and around its box. In a grid, the strokes of the neighbours' marks
    (a ranked grid's ticks, one per box along a diagonal) line up with a mark's own stroke inside
    their boxes, never across the paper between them. Only points off every box (outline and
    inside) count here; where none of the line's samples there can be told, near or further out,
    nothing says otherwise: True.

    A fold crosses EVERY gap it passes, so most of the samples there show it (not all: a fold
    found a degree or two off drifts away from far samples; noise). One sample in a few is what
    a chain of neighbours' marks gives: a blurred overshoot sits at the end of a gap next to its
    box (150 dpi: a diagonal of pale ticks in Dieppe's grid, 1 hit of 4 on each side, was "a
    fold" and the tick was taken out). Near samples decide where at least two of them can be
    told; otherwise the far ones join them. A line found some degrees off (a streak seen on the
    smoothed second look) drifts off the far gaps but not the nearest: the two samples nearest the
    box, side by side in one gap, both showing it is enough too (an overshoot lies at the far end
    of a gap, next to the neighbour's box)."""
    known, hits = _line_samples(gray, loc, p0, direction, NEAR * side, paper, noise, outlines, between=True)
    if known.sum() < 2:
        more, more_hits = _line_samples(gray, loc, p0, direction, FAR * side, paper, noise, outlines, between=True)
        known, hits = np.concatenate([known, more]), np.concatenate([hits, more_hits])
    if not known.any() or 2 * int(hits[known].sum()) >= int(known.sum()):
        return True
    # The nearest gap: its first two samples (side by side, nearest the box, where a line found
    # some degrees off has drifted least) both show the line.
    first = int(np.argmax(known))
    return bool(known[first : first + 2].all() and hits[first : first + 2].all() and first + 2 <= len(known))


def _line_samples(
    gray: np.ndarray,
    loc: Located,
    p0: np.ndarray,
    direction: np.ndarray,
    ts: np.ndarray,
    paper: float,
    noise: float,
    outlines: np.ndarray | None,
    between: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """For each distance `ts` along the line: can it be told (`known`), and is the line there (`hits`)?
    `between`: only points off every box count (`in_boxes`), whatever the line's slant."""
    normal = np.array([-direction[1], direction[0]])
    offs = np.linspace(-3.0, 3.0, 11)  # wide enough to see paper on both sides of a wide, blurred crease
    if between:  # further out, where a line found at a few degrees off lies further off it
        offs = np.linspace(-5.0, 5.0, 17)
    along = np.linspace(-1.0, 1.0, 5)  # averaged along the line too: a line is there all along, noise is not
    pts = (
        p0[None, None, None, :]
        + (ts[:, None, None, None] + along[None, None, :, None]) * direction
        + offs[None, :, None, None] * normal
    )
    img = cv2.perspectiveTransform(pts.reshape(1, -1, 2).astype(np.float64), loc.homography)[0]
    hgt, wid = gray.shape
    xi = np.clip(np.round(img[:, 0]).astype(int), 1, wid - 2)
    yi = np.clip(np.round(img[:, 1]).astype(int), 1, hgt - 2)
    acc = np.zeros(len(xi), np.float32)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            acc += gray[yi + dy, xi + dx]
    inside = (img[:, 0] >= 1) & (img[:, 0] < wid - 1) & (img[:, 1] >= 1) & (img[:, 1] < hgt - 1)
    level3 = ((paper - acc / 9) / max(paper - loc.ink_under(paper), 25.0)).reshape(len(ts), len(offs), len(along))
    inside = inside.reshape(len(ts), len(offs), len(along)).all(axis=2).ravel()
    ax, ay = abs(float(direction[0])), abs(float(direction[1]))
    oblique = min(ax, ay) > np.tan(np.radians(15)) * max(ax, ay)
    if outlines is not None and len(outlines) and (oblique or between):
        # Printed outlines are left out point by point: in a grid of boxes a voter's slanted
        # stroke (an X's arm, a check mark's long stroke), extended, crosses an outline at every
        # step, and each slanted crossing darkens some offsets and not others: it looks like a
        # line there. What is left of a sample must still show paper on both sides of the line.
        # (An outline crossed square-on darkens every offset: no contrast, nothing to leave out.)
        # `between`: every point on a box, its inside too, is left out.
        off = in_boxes(pts, outlines) if between else near_outlines(pts, outlines)
        count = (~off).sum(axis=2)
        level = np.where(off, 0.0, level3).sum(axis=2) / np.maximum(count, 1)
        seen = count > 0
        top = np.where(seen, level, -np.inf).max(axis=1)
        low = np.where(seen, level, np.inf).min(axis=1)
        enough = seen.sum(axis=1) >= 7
        if between:  # the paper between boxes is evidence only where a sample lies (nearly) all on it
            enough &= count.sum(axis=1) >= 0.8 * count[0].size
    else:
        level = level3.mean(axis=2)
        top, low = level.max(axis=1), level.min(axis=1)
        enough = np.ones(len(ts), bool)
    # A line is darker than the paper beside it: contrast across the line, not absolute darkness,
    # so a faint 1-pixel streak counts and uniform noise or a grey background does not.
    # Averaging 45 pixels divides the paper's noise by ~6.7; the spread of 11 such means stays under 4 of those.
    need = max(0.1, 6 * noise / 6.7)  # x1.5: the crop noise was measured after interpolation
    hits = ((top - low) >= need) & (top >= need)
    # Where everything is dark (a filled neighbour box, a word) we cannot tell: leave it out.
    known = inside.reshape(len(ts), len(offs)).all(axis=1) & (low < 0.2) & enough
    return known, hits
