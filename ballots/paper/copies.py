"""1-bit copies: black and white pixels only, and what a copier's threshold lost.

Contract: `one_bit(gray)` says whether a scan is 1-bit (copier "text" or "photo" mode);
`lost_ink(crops, blank, lay, sheet)`, given every box's crop of such a sheet and which boxes were
not read marked, says whether the copy lost ink (trails of specks where a stroke was);
`broken(crops, inked, lay, sheet)` whether the marks it kept are broken into pieces (the pen sits
at the copier's threshold): the caller then sends every box of the sheet to a person.
`doubt(...)` is that whole-sheet rule: the `why` every box of a 1-bit sheet then carries
(`LOST_INK`, `BROKEN_INK`, `NOTHING_MARKED`) or None; `sheet_reasons(whys,
sheet)` turns those into the sheet-level reason the staff read (what to do: rescan in grey).
"""

from __future__ import annotations

import cv2
import numpy as np

from ballots.paper.creases import SCALE
from ballots.paper.geometry import Layout
from ballots.paper.outlines import printed
from ballots.paper.strokes import SPECK
from ballots.reasons import Code, ReasonText, of

LOST_INK = "lost_ink"  # box `why`: the 1-bit copy dropped strokes (a trail of specks in a box not read marked)
NOTHING_MARKED = "nothing_marked"  # box `why`: no box of the 1-bit copy reads marked
BROKEN_INK = "broken_ink"  # box `why`: the strokes the 1-bit copy kept are broken (the pen sits at its threshold)
SHEET_CODES = {
    LOST_INK: Code.ONE_BIT_LOST_INK,
    NOTHING_MARKED: Code.ONE_BIT_NOTHING_MARKED,
    BROKEN_INK: Code.ONE_BIT_BROKEN_INK,
}
UNSEEN = "unseen"  # a box state for `doubt`: not seen in the file (off the image, outline not found)
BROKEN_PIECES = 3  # pieces (specks apart) of one mark inside its box: a stroke the copier broke


def doubt(
    gray: np.ndarray, crops: list[np.ndarray], states: list[str], lay: Layout, sheet: int, bitonal: bool | None = None
) -> str | None:
    """Why no box of this sheet can be decided from this file, or None.

    A 1-bit copy keeps only what is darker than the copier's threshold: red ballpoint or pencil
    can vanish from the file, leaving a trail of specks where the stroke was, or nothing at all.
    Where one box not read marked shows such a trail, the copy lost ink: another box may have lost
    all of its. Where no box reads marked, nothing in the file tells a ballot left blank from one
    whose every mark the threshold dropped (a voter in red ballpoint): a person looks at the
    paper, or the sheet is scanned again in grey. Where the marks the copy kept are broken into
    pieces, the voter's pen sits at the copier's threshold: a stroke of it drawn a little lighter
    (less pressure, a thinner line) may have vanished from another box without a trace.
    `states`: each box's state as read (`UNSEEN`: a box not in the file); `bitonal`:
    `one_bit(gray)` if the caller has it already."""
    if not (one_bit(gray) if bitonal is None else bitonal):
        return None
    if lost_ink(crops, [s not in ("marked", UNSEEN) for s in states], lay, sheet):
        return LOST_INK
    if broken(crops, [s not in ("blank", UNSEEN) for s in states], lay, sheet):
        return BROKEN_INK
    if "marked" not in states:
        return NOTHING_MARKED
    return None


def sheet_reasons(whys: list[str], sheet: int) -> tuple[ReasonText, ...]:
    """The sheet-level reasons (looked up from the boxes' `why`), numbered with the sheet."""
    codes = dict.fromkeys(SHEET_CODES[w] for w in whys if w in SHEET_CODES)
    return tuple(of(code, number=sheet) for code in codes)


def one_bit(gray: np.ndarray) -> bool:
    """A 1-bit scan (copier "text" or "photo" mode): black and white pixels only."""
    sample = gray[::7, ::7]
    return int(np.count_nonzero((sample > 0) & (sample < 255))) <= sample.size // 1000


def broken(crops: list[np.ndarray], inked: list[bool], lay: Layout, sheet: int) -> bool:
    """On a 1-bit scan, a box not read blank (`inked`) whose ink inside the box is in
    `BROKEN_PIECES` pieces or more, specks apart: a voter's X, tick, fill or scribble is drawn in one or two strokes that
    cross or touch, and a copier keeps a pen well darker than its threshold whole; one at the
    threshold keeps it in dashes. Looked at inside the outline's inner edge only (a stroke
    crossing the outline is cut there by the printed mask)."""
    m = lay.box_margin
    mp = int(round(m * SCALE))
    inset = int(round((lay.style.line + 1.8) * SCALE))
    for i, (crop, box, on) in enumerate(zip(crops, lay.sheet_boxes(sheet), inked, strict=True)):
        if not on:
            continue
        side_px = int(round(box.rect[2] * SCALE))
        a, b = mp + inset, mp + side_px - inset
        black = ((crop[a:b, a:b] < 128) & (printed(lay, sheet, i)[a:b, a:b] == 0)).astype(np.uint8)
        k, _, stats, _ = cv2.connectedComponentsWithStats(black, connectivity=8, ltype=cv2.CV_16U)
        if int((stats[1:k, cv2.CC_STAT_AREA] >= SPECK).sum()) >= BROKEN_PIECES:
            return True
    return False


def lost_ink(crops: list[np.ndarray], blank: list[bool], lay: Layout, sheet: int) -> bool:
    """On a 1-bit scan, a box not read marked (`blank`: read blank, or sent to a person for what
    it holds) holds pieces of ink (bits of a stroke the threshold dropped) that the paper of this
    copy does not have: at least 2, and far more than the paper's own specks give for its area (a
    dithered copy's paper has specks; a threshold copy's has none), and more than an empty box of
    this copy usually holds (the median over the boxes not read marked: a high threshold thickens the outlines' corners in every box). The paper's rate
    is the median over the rings around every box of the sheet, so a mark's own broken overflow
    does not raise it. A pen resting on the paper leaves one dot, a neighbour's stray one line."""
    m = lay.box_margin
    mp = int(round(m * SCALE))
    counted: list[tuple[int, int]] = []  # (pieces in the box, its area) for boxes not read marked
    rates: list[float] = []
    for i, (crop, box) in enumerate(zip(crops, lay.sheet_boxes(sheet), strict=True)):
        side_px = int(round(box.rect[2] * SCALE))
        black = ((crop < 128) & (printed(lay, sheet, i) == 0)).astype(np.uint8)
        ring = black.copy()
        ring[mp - 2 : mp + side_px + 2, mp - 2 : mp + side_px + 2] = 0
        k, _, stats, _ = cv2.connectedComponentsWithStats(ring, connectivity=8)
        rates.append(float((stats[1:k, cv2.CC_STAT_AREA] <= 6).sum()) / max(black.size - (side_px + 4) ** 2, 1))
        if blank[i]:
            a, b = mp + 2, mp + side_px - 2  # the whole box, up to its outline (masked)
            pieces = cv2.connectedComponents(np.ascontiguousarray(black[a:b, a:b]), connectivity=8)[0] - 1
            counted.append((pieces, (b - a) ** 2))
    rate = float(np.median(rates)) if rates else 0.0
    # What an empty box of this copy holds anyway: a high threshold thickens the printed outline
    # past its mask (its corners first), in every box alike.
    usual = float(np.median([n for n, _ in counted])) if counted else 0.0
    for n, area in counted:
        expected = max(rate * area, usual)
        if n >= 2 and n > expected + 3 * expected**0.5 + 2:
            return True
    return False
