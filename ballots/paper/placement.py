"""Is the page where a placement puts it? Checked before any box is read, and at the box lists' ends.

Contract: `codes_off(gray, loc, lay)` is True when a code printed inside the image shows ink there
but none of its fixed patterns (three finders, the alignment pattern) within two modules of
where the placement puts them: the placement is wrong. (Lid or blank paper there, a corner the
scanner's frame cut off, says nothing.) `ends_off(lay, sheet, misaligned)` is True when a box at
either end of a run of evenly spaced boxes is misaligned. `sheet.read_gray` then tries the next
placement, else refuses the sheet (rescan): it never reads boxes through a placement that fails
either check.

Why both, by construction: a wrong corner (a stain taken for a square, a corner placed from a
photo's three others) gives a homography that is wrong somewhere. Near the codes (top-left and
bottom-right on frame 2) the codes' fixed modules, 0.69 mm each, show any error beyond two
modules. Between them, box outlines are periodic: a placement a whole box pitch off lines every
box up with its neighbour's outline, and only the ends of a run see paper where a box should be
(a run ends where the spacing changes or the boxes stop, so no outline lies one pitch beyond it).
An error that grows across a run (perspective) misaligns the boxes in between before any of
them reaches a neighbour's outline; more than two misaligned boxes already refuse a placement.
The codes are checked on the placement as the squares (and a code) give it, before a photo's
fit is refined on the box outlines: that fit follows the boxes and may drift a millimetre at the
codes, away from them.
"""

from __future__ import annotations

import cv2
import numpy as np

from ballots.paper import levels
from ballots.paper.frames import QR_SIZE, QR_VERSION
from ballots.paper.geometry import Layout
from ballots.paper.identity_cache import by_identity
from ballots.paper.reading import Located, warp

_N = 17 + 4 * QR_VERSION  # modules across the code (29)
_PX = 4  # pixels per module in the straightened code
_PAD = 3  # modules of margin around the code in the straightened crop: the shift searched
_REACH = 2  # a placement within two modules (1.4 mm) of the code's true place is right there
_AGREE = 0.9  # share of a pattern's modules seen as printed (a crease or a stroke flips a few)
_PITCH_SLACK = 2.0  # points: boxes this close to one spacing are one run


def _features() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(rows, cols, dark) of the modules of each pattern a QR code of this version always prints
    the same way: the three finder patterns with their light separators (and the quiet zone
    beside them), and the alignment pattern."""
    out = []
    for r0, c0 in ((0, 0), (0, _N - 7), (_N - 7, 0)):
        cells = [(r0 + r, c0 + c, max(abs(r - 3), abs(c - 3)) in (0, 1, 3)) for r in range(-1, 8) for c in range(-1, 8)]
        out.append(cells)
    centre = _N - 7  # the one alignment pattern of versions 2-6
    out.append([(centre + r, centre + c, max(abs(r), abs(c)) != 1) for r in range(-2, 3) for c in range(-2, 3)])
    return [(np.array([c[0] for c in f]), np.array([c[1] for c in f]), np.array([c[2] for c in f])) for f in out]


_FEATURES = _features()
# Nearest first: a right placement is found at once.
_SHIFTS = sorted(
    ((dy, dx) for dy in range(-_REACH * _PX, _REACH * _PX + 1) for dx in range(-_REACH * _PX, _REACH * _PX + 1)),
    key=lambda s: abs(s[0]) + abs(s[1]),
)


def code_in_place(gray: np.ndarray, homography: np.ndarray, rect: tuple[float, float, float, float]) -> bool | None:
    """Does the code printed at `rect` (page points) show one of its fixed patterns (each searched
    on its own) within `_REACH` modules of where `homography` puts it? None: nothing printed
    there to judge (the scanner's lid or blank paper where a frame cut the corner off).

    One pattern in place is enough: a frame that cut across the code leaves the others on the
    lid. A wrong placement puts every pattern the same distance off, several modules at least."""
    x, y, w, _ = rect
    module = w / _N
    pad = _PAD * module
    crop = warp(gray, homography, (x - pad, y - pad, w + 2 * pad, w + 2 * pad), _PX / module)
    lo, hi = levels.percentiles(crop, 3, 97)
    if hi - lo < 30:
        return None  # all lid or all paper: no code here to say where it is
    dark = crop < (lo + hi) / 2
    for rows, cols, want in _FEATURES:
        r = (_PAD + rows) * _PX + _PX // 2
        c = (_PAD + cols) * _PX + _PX // 2
        if any(float(np.mean(dark[r + dy, c + dx] == want)) >= _AGREE for dy, dx in _SHIFTS):
            return True
    return False


def _inside(gray: np.ndarray, homography: np.ndarray, rect: tuple[float, float, float, float]) -> bool:
    x, y, w, h = rect
    pts = np.array([[(x, y), (x + w, y), (x + w, y + h), (x, y + h)]], np.float64)
    img = cv2.perspectiveTransform(pts, homography)[0]
    rows, cols = gray.shape[:2]
    return bool(
        np.all(img[:, 0] >= 2)
        and np.all(img[:, 0] <= cols - 3)
        and np.all(img[:, 1] >= 2)
        and np.all(img[:, 1] <= rows - 3)
    )


def codes_off(gray: np.ndarray, loc: Located, lay: Layout) -> bool:
    """A code printed inside the image, beside a corner square that was seen, is not where the
    placement puts it. (Beside a corner placed from the others, a photo's perspective puts the
    code a few millimetres off until the fit is refined on the box outlines: the run ends and the
    outlines judge that corner.)"""
    for rect, corner in zip(lay.code_rects, (0, 2), strict=False):  # top-left, bottom-right
        if not loc.real[corner]:
            continue
        margin = QR_SIZE / _N * _PAD
        padded = (rect[0] - margin, rect[1] - margin, rect[2] + 2 * margin, rect[3] + 2 * margin)
        if _inside(gray, loc.homography, padded) and code_in_place(gray, loc.homography, rect) is False:
            return True
    return False


@by_identity(256)
def run_ends(lay: Layout, sheet: int) -> frozenset[int]:
    """Indexes (in `lay.sheet_boxes(sheet)`) of the boxes at either end of a run of two or more
    boxes evenly spaced along a column or a row (cached per layout)."""
    boxes = lay.sheet_boxes(sheet)
    ends: set[int] = set()
    # Columns (same x, down the page): two boxes already make a run. Rows: three (a ranked grid);
    # two boxes side by side are two columns, and a shift by their spacing misaligns a whole column.
    for along, across, least in ((1, 0, 2), (0, 1, 3)):
        lines: dict[float, list[int]] = {}
        for i, b in enumerate(boxes):
            lines.setdefault(round(b.rect[across], 1), []).append(i)
        for idx in lines.values():
            idx.sort(key=lambda i: boxes[i].rect[along])
            run = [idx[0]]
            for i in idx[1:] + [-1]:
                if i >= 0 and len(run) >= 2:
                    pitch = boxes[run[-1]].rect[along] - boxes[run[-2]].rect[along]
                    if abs(boxes[i].rect[along] - boxes[run[-1]].rect[along] - pitch) <= _PITCH_SLACK:
                        run.append(i)
                        continue
                elif i >= 0 and len(run) == 1:
                    run.append(i)
                    continue
                if len(run) >= least:
                    ends.update((run[0], run[-1]))
                run = [i]
    return frozenset(ends)


def ends_off(lay: Layout, sheet: int, misaligned: list[bool]) -> bool:
    """A box at an end of a run is misaligned: a placement a whole pitch off, or worse."""
    return any(misaligned[i] for i in run_ends(lay, sheet))
