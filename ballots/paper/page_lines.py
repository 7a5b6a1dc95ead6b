"""Does a line seen in a box's crop go on across the page? A fold or a scanner streak does; a voter's
stroke stops within millimetres of its box.

Contract: `continues(gray, located, p0, direction, box_side, paper, noise, outlines)` is True when
the page shows the line 1.3 to 3 box sides away on both sides of the box, and — where the sheet
has printed box outlines — on the paper between the boxes too (`between_boxes`): in a grid of
small boxes the neighbours' marks can line up along a diagonal, but they stay in their boxes.
Split from `creases` (which cuts the lines out of a box's ink): this looks only at the page.
"""

from __future__ import annotations

import cv2
import numpy as np

from ballots.paper.bands import in_boxes, near_outlines
from ballots.paper.reading import Located


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
