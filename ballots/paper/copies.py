"""1-bit copies: black and white pixels only, and what a copier's threshold lost.

Contract: `one_bit(gray)` says whether a scan is 1-bit (copier "text" or "photo" mode);
`traces(crops, blank, lay, sheet)`, given every box's crop of such a sheet and which boxes were
not read marked, says which of them hold a trail of specks (where a stroke was);
`broken(crops, inked, lay, sheet)` which marks it kept are broken into pieces (the pen sits at
the copier's threshold). `doubt(...)` turns both into each box's `why`: None (read as it is),
`TRACES` (that box to a person: ink in a box read blank beside one broken mark), or for every
box of the sheet `LOST_INK`, `BROKEN_INK`, `IN_DOUBT`, `NOTHING_MARKED` (the whole sheet to a
person); `sheet_reasons(whys, sheet)` turns the
whole-sheet ones into the sheet-level reason the staff read (what to do: rescan in grey).
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
IN_DOUBT = "one_bit_in_doubt"  # box `why`: too many of the 1-bit copy's inked boxes are in doubt to vouch for the pen
SHEET_CODES = {
    LOST_INK: Code.ONE_BIT_LOST_INK,
    NOTHING_MARKED: Code.ONE_BIT_NOTHING_MARKED,
    BROKEN_INK: Code.ONE_BIT_BROKEN_INK,
    IN_DOUBT: Code.ONE_BIT_IN_DOUBT,
}
UNSEEN = "unseen"  # a box state for `doubt`: not seen in the file (off the image, outline not found)
BROKEN_PIECES = 3  # pieces (specks apart) of one mark inside its box: a stroke the copier broke
TRACES = "one_bit_traces"  # box `why`: ink in a box read blank beside one mark the copy broke
SHOWN = 2  # boxes showing the pen at the copier's threshold: the whole sheet goes (`doubt`)...
SHARE = 0.25  # ...and so it does where they are this share of the boxes inked, however few


def doubt(
    gray: np.ndarray,
    crops: list[np.ndarray],
    states: list[str],
    lay: Layout,
    sheet: int,
    bitonal: bool | None = None,
    covers: list[float] | None = None,
) -> list[str | None]:
    """Per box, why it cannot be decided from this file (None: read as it is).

    A 1-bit copy keeps only what is darker than the copier's threshold: red ballpoint or pencil
    can vanish from the file, leaving a trail of specks where the stroke was, or nothing at all.
    What the copy lost is measured on the sheet itself:
    - a box not read marked that holds pieces of ink its paper does not have (a trail: `traces`)
      is a mark the copy reduced to specks: the pen sits far under the threshold, and another
      mark of it may have left nothing at all: every box goes to a person (`LOST_INK`);
    - the voter's pen sits at the copier's threshold where the boxes the voter inked show it:
      marks kept but broken into pieces (`broken`), boxes sent to a person (a mark the copy
      thinned to a stroke or a dot, a crossed-out box). Where `SHOWN` boxes or more do, a stroke
      of that pen drawn a little lighter may have vanished from another box (a mark, or the X
      over a fill the copy kept): every box goes (`BROKEN_INK`). So it does where a quarter or
      more of the inked boxes (`SHARE`) are in doubt, however few (`IN_DOUBT` if none is broken:
      the fill of a red pen kept, its X's and scribbles gone without a speck): the few sure
      marks cannot vouch for the pen. One mark kept broken but read, among many whole marks, is
      one light stroke, or a second pen used once, just at the threshold: only the boxes read
      blank that hold any ink at all go (`TRACES`: `covers`, a dot, a stroke along the edge:
      what the copy kept of another mark in that pen). (Dev probes m12b 61, 62, 64, m13b 101, 474
      1-bit sheets, and 156 frames probes: no mark lost on a sheet read box by box but 3 red
      ticks gone without a speck at threshold 110, beside whole red marks, which session 22's
      whole-sheet rules read blank too.)
    - where no box reads marked, nothing in the file tells a ballot left blank from one whose
      every mark the threshold dropped: every box goes to a person (`NOTHING_MARKED`).
    `states`: each box's state as read (`UNSEEN`: a box not in the file); `bitonal`:
    `one_bit(gray)` if the caller has it already; `covers`: each box's ink cover as read."""
    if not (one_bit(gray) if bitonal is None else bitonal):
        return [None] * len(states)
    trail = traces(crops, [s not in ("marked", UNSEEN) for s in states], lay, sheet)
    cut = broken(crops, [s not in ("blank", UNSEEN) for s in states], lay, sheet)
    lossy = [t or c for t, c in zip(trail, cut, strict=True)]
    shown = sum(lo or s == "ambiguous" for lo, s in zip(lossy, states, strict=True))
    inked = sum(s in ("marked", "ambiguous") for s in states)
    if "marked" not in states:
        why = LOST_INK if any(trail) else BROKEN_INK if any(cut) else NOTHING_MARKED
        return [why] * len(states)
    if any(trail) or (any(cut) and shown >= SHOWN) or shown >= SHARE * inked:
        why = LOST_INK if any(trail) else BROKEN_INK if any(cut) else IN_DOUBT
        return [why] * len(states)
    kept = covers if covers is not None and any(cut) else [0.0] * len(states)
    return [TRACES if s == "blank" and c > 0 else None for s, c in zip(states, kept, strict=True)]


def sheet_reasons(whys: list[str], sheet: int) -> tuple[ReasonText, ...]:
    """The sheet-level reasons (looked up from the boxes' `why`), numbered with the sheet."""
    codes = dict.fromkeys(SHEET_CODES[w] for w in whys if w in SHEET_CODES)
    return tuple(of(code, number=sheet) for code in codes)


def one_bit(gray: np.ndarray) -> bool:
    """A 1-bit scan (copier "text" or "photo" mode): black and white pixels only."""
    sample = gray[::7, ::7]
    return int(np.count_nonzero((sample > 0) & (sample < 255))) <= sample.size // 1000


def broken(crops: list[np.ndarray], inked: list[bool], lay: Layout, sheet: int) -> list[bool]:
    """On a 1-bit scan, which boxes not read blank (`inked`) hold ink inside the box in
    `BROKEN_PIECES` pieces or more, specks apart: a voter's X, tick, fill or scribble is drawn in one or two strokes that
    cross or touch, and a copier keeps a pen well darker than its threshold whole; one at the
    threshold keeps it in dashes. Looked at inside the outline's inner edge only (a stroke
    crossing the outline is cut there by the printed mask)."""
    m = lay.box_margin
    mp = int(round(m * SCALE))
    inset = int(round((lay.style.line + 1.8) * SCALE))
    out = []
    for i, (crop, box, on) in enumerate(zip(crops, lay.sheet_boxes(sheet), inked, strict=True)):
        if not on:
            out.append(False)
            continue
        side_px = int(round(box.rect[2] * SCALE))
        a, b = mp + inset, mp + side_px - inset
        black = ((crop[a:b, a:b] < 128) & (printed(lay, sheet, i)[a:b, a:b] == 0)).astype(np.uint8)
        k, _, stats, _ = cv2.connectedComponentsWithStats(black, connectivity=8, ltype=cv2.CV_16U)
        out.append(int((stats[1:k, cv2.CC_STAT_AREA] >= SPECK).sum()) >= BROKEN_PIECES)
    return out


def traces(crops: list[np.ndarray], blank: list[bool], lay: Layout, sheet: int) -> list[bool]:
    """On a 1-bit scan, which boxes not read marked (`blank`: read blank, or sent to a person for what
    it holds) hold pieces of ink (bits of a stroke the threshold dropped) that the paper of this
    copy does not have: at least 2, and far more than the paper's own specks give for its area (a
    dithered copy's paper has specks; a threshold copy's has none), and more than an empty box of
    this copy usually holds (the median over the boxes not read marked: a high threshold thickens the outlines' corners in every box). The paper's rate
    is the median over the rings around every box of the sheet, so a mark's own broken overflow
    does not raise it. A pen resting on the paper leaves one dot, a neighbour's stray one line."""
    m = lay.box_margin
    mp = int(round(m * SCALE))
    counted: dict[int, tuple[int, int]] = {}  # box -> (pieces in it, its area), for boxes not read marked
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
            counted[i] = (pieces, (b - a) ** 2)
    rate = float(np.median(rates)) if rates else 0.0
    # What an empty box of this copy holds anyway: a high threshold thickens the printed outline
    # past its mask (its corners first), in every box alike.
    usual = float(np.median([n for n, _ in counted.values()])) if counted else 0.0
    out = [False] * len(crops)
    for i, (n, area) in counted.items():
        expected = max(rate * area, usual)
        out[i] = n >= 2 and n > expected + 3 * expected**0.5 + 2
    return out
