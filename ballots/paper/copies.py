"""1-bit copies: black and white pixels only, and what a copier's threshold lost.

Contract: `one_bit(gray)` says whether a scan is 1-bit (copier "text" or "photo" mode),
`dithered(gray)` whether it is a "photo" mode copy (error diffusion: shades kept as dots);
`traces(crops, blank, lay, sheet)`, given every box's crop of such a sheet and which boxes were
not read marked, says which of them hold a trail of specks (where a stroke was);
`broken(crops, inked, lay, sheet)` which marks it kept are broken into pieces (the pen sits at
the copier's threshold); `x_ends(...)` which boxes read marked are fills with what is left of an
X crossing them out. `doubt(...)` turns these into each box's `why`: None (read as it is),
`TRACES` (that box to a person: ink in a box read blank beside one broken mark, or on a
dithered copy), `LOST_X` (that box to a person: a fill crossed out), or for every box of the
sheet `LOST_INK`, `BROKEN_INK`, `IN_DOUBT`, `NOTHING_MARKED` (the whole sheet to a person);
`sheet_reasons(whys, sheet)` turns the whole-sheet ones into the sheet-level reason the staff
read (what to do: rescan in grey).
"""

from __future__ import annotations

import functools

import cv2
import numpy as np

from ballots.paper.creases import SCALE
from ballots.paper.crossed_out import X_PAST, corner_reach
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
WHOLE = ("crossed_out", "off_image", "misaligned")  # box `why`s in doubt for a mark kept whole, or unseen
UNSEEN = "unseen"  # a box state for `doubt`: not seen in the file (off the image, outline not found)
BROKEN_PIECES = 3  # pieces (specks apart) of one mark inside its box: a stroke the copier broke
TRACES = "one_bit_traces"  # box `why`: ink in a box read blank beside one mark the copy broke
LOST_X = "one_bit_lost_x"  # box `why`: a fill with the ends of an X beyond its corners (the X's middle lost)
SHOWN = 2  # boxes showing the pen at the copier's threshold: the whole sheet goes (`doubt`), however
# many whole marks stand beside them: those may be another pen's, and cannot vouch for this one (test_copies_pen)...
SHARE = 0.25  # ...and so it does where they are this share of the boxes inked, however few
X_ENDS = 2  # corners of a filled box beyond which a dash points along its diagonal: an X's ends, its middle lost
FILLED = 0.3  # ink off a box's diagonals covering this share of it: a fill (an X over it could be lost)
HOLES = 0.001  # white pixels alone in black per edge: dithered copies >= 0.003, threshold copies <= 0.0001
PAPER_SPECK = 6  # px: a piece of ink this small around a box may be a speck of the copy's paper...
SHED = 3  # ...unless it lies within this many px of print or of a larger piece (a ragged edge's specks)
OUTLINE_REACH = 2  # px: how far a threshold copy's printed outline pokes past its mask into a box (`_off_outline`)
LONE_PIXEL = 192  # crop level: one black copy pixel at 200 dpi, resampled to the crop, is darker at its darkest
DIFFUSED = 0.004  # pixels alone both ways per edge: dithered copies >= 0.010, threshold copies <= 0.0014 (dev seeds)


def doubt(
    gray: np.ndarray,
    crops: list[np.ndarray],
    states: list[str],
    lay: Layout,
    sheet: int,
    bitonal: bool | None = None,
    covers: list[float] | None = None,
    whys: list[str] | None = None,
    diffused: bool | None = None,
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
    - a box in doubt for what the copy kept of its mark (a dot, too little ink, strokes broken
      apart: any `why` but `WHOLE`) shows the pen at the threshold: every box goes (the sheet is
      not decided anyway); so does one speck where the copy's paper and empty boxes hold none
      (`traces(lone=True)`): all a copier kept of a tick or a fill (held-out 3938, dev probe
      m14b seed 142: red marks gone without a speck beside whole ones).
    - a box read marked that is a fill with the ends of an X beyond two of its corners, or an X
      running far out past three corners over specks of a fill the copy dropped, was crossed
      out: that box goes to a person (`LOST_X`, `x_ends`).
    - where no box reads marked, nothing in the file tells a ballot left blank from one whose
      every mark the threshold dropped: every box goes to a person (`NOTHING_MARKED`).
    - a dithered copy (`dithered`) keeps every shade as a density of dots: nothing vanishes and
      dotted strokes are no pen at a threshold; its boxes are read as they are, a box read
      blank that holds ink or a trail going to a person (`TRACES`).
    `states`: each box's state as read (`UNSEEN`: a box not in the file); `bitonal`:
    `one_bit(gray)` if the caller has it already; `covers`: each box's ink cover as read;
    `whys`: each box's reason as read; `diffused`: `dithered(...)` if the caller has it."""
    if not (one_bit(gray) if bitonal is None else bitonal):
        return [None] * len(states)
    diffused = "marked" in states and (dithered(gray) if diffused is None else diffused)
    trail = traces(crops, [s not in ("marked", UNSEEN) for s in states], lay, sheet, lone=not diffused)
    kept = covers if covers is not None else [0.0] * len(states)
    ends = x_ends(crops, [s == "marked" for s in states], lay, sheet, specks=not diffused)
    if diffused:
        # A copier's "photo" mode diffuses each pixel's error to its neighbours: every shade of
        # ink is kept as a density of dots, a pale stroke as a dotted one, so no mark can vanish
        # from the file and dotted strokes are no pen at a threshold. The boxes are read as they
        # are (a dotted mark is smoothed, `marks`); a box read blank that holds any ink, or a
        # trail of dots, goes to a person.
        return [
            LOST_X if x else TRACES if s == "blank" and (t or c > 0) else None
            for s, t, c, x in zip(states, trail, kept, ends, strict=True)
        ]
    cut = broken(crops, [s not in ("blank", UNSEEN) for s in states], lay, sheet)
    lossy = [t or c for t, c in zip(trail, cut, strict=True)]
    shown = sum(lo or s == "ambiguous" for lo, s in zip(lossy, states, strict=True))
    inked = sum(s in ("marked", "ambiguous") for s in states)
    if "marked" not in states:
        why = LOST_INK if any(trail) else BROKEN_INK if any(cut) else NOTHING_MARKED
        return [why] * len(states)
    # A box in doubt for what the copy kept of its mark (a dot, a stroke too thin or broken to
    # read): that pen sits at the threshold, and a stroke of it drawn a little lighter may have
    # left nothing at all in another box. The sheet is not decided anyway: every box goes.
    thinned = any(s == "ambiguous" and w not in WHOLE for s, w in zip(states, whys or [""] * len(states), strict=True))
    if any(trail) or thinned or (any(cut) and shown >= SHOWN) or shown >= SHARE * inked:
        why = LOST_INK if any(trail) else BROKEN_INK if any(cut) else IN_DOUBT
        return [why] * len(states)
    held = kept if any(cut) else [0.0] * len(states)
    return [
        LOST_X if x else TRACES if s == "blank" and c > 0 else None for s, c, x in zip(states, held, ends, strict=True)
    ]


def sheet_reasons(whys: list[str], sheet: int) -> tuple[ReasonText, ...]:
    """The sheet-level reasons (looked up from the boxes' `why`), numbered with the sheet."""
    codes = dict.fromkeys(SHEET_CODES[w] for w in whys if w in SHEET_CODES)
    return tuple(of(code, number=sheet) for code in codes)


def one_bit(gray: np.ndarray) -> bool:
    """A 1-bit scan (copier "text" or "photo" mode): black and white pixels only."""
    sample = gray[::7, ::7]
    # 0 < v < 255 in one comparison: uint8 wraps 0 - 1 to 255, and 255 - 1 is 254 (`_one_bit_reference`)
    return int(np.count_nonzero((sample - np.uint8(1)) < 254)) <= sample.size // 1000


def _one_bit_reference(gray: np.ndarray) -> bool:
    """`one_bit`'s definition, as first written (its test holds the fast form to it)."""
    sample = gray[::7, ::7]
    return int(np.count_nonzero((sample > 0) & (sample < 255))) <= sample.size // 1000


def dithered(gray: np.ndarray, homography: np.ndarray | None = None, rects: list | None = None) -> bool:
    """A 1-bit copy made by error diffusion (a copier's "photo" mode), not by one threshold.

    Diffusion turns every grey pixel (a printed letter's or line's soft edge, tinted paper) into
    a scatter of lone pixels; a threshold keeps edges as edges. Measured on the middle of the page
    (no lid, no frame), away from the boxes and their margins (`rects`, page points, placed by
    `homography`): a pen at a threshold copy's threshold leaves lone specks there too. The share
    of black/white changes along rows that are a pixel alone (different from both neighbours);
    every fourth row is enough."""
    h, w = gray.shape
    top, left = h // 5, w // 5
    mid = np.arange(top + 1, h - h // 5 - 1, 4)
    rows, above, below = (gray[mid + d, left : w - w // 5] < 128 for d in (0, -1, 1))
    keep = np.ones(rows.shape, np.uint8)
    if homography is not None and rects:
        for x, y, bw, bh in rects:
            corners = np.array([[[x, y], [x + bw, y], [x + bw, y + bh], [x, y + bh]]], np.float64)
            px = cv2.perspectiveTransform(corners, homography)[0]
            poly = np.column_stack([px[:, 0] - left, (px[:, 1] - top - 1) / 4]).round().astype(np.int32)
            cv2.fillPoly(keep, [poly], 0)
    diff = (rows[:, 1:] != rows[:, :-1]) & (keep[:, 1:] > 0)
    edges = int(np.count_nonzero(diff))
    c = rows[:, 1:-1]
    # Alone both ways: a letter's 1-px stroke (small type at 150 dpi, a page turned a quarter) is
    # alone along a row but not along its column. Black pixels alone are also what a threshold
    # set low keeps of small pale type; white ones alone in black are diffusion's only (a
    # threshold copy of a smooth image keeps no white hole: dev seeds, <= 0.0001 per edge).
    alone = (
        (c != rows[:, :-2]) & (c != rows[:, 2:]) & (c != above[:, 1:-1]) & (c != below[:, 1:-1]) & (keep[:, 1:-1] > 0)
    )
    black, white = int(np.count_nonzero(alone & c)), int(np.count_nonzero(alone & ~c))
    return edges > 0 and black >= DIFFUSED * edges and white >= HOLES * edges


def dithered_sheet(gray: np.ndarray, homography: np.ndarray, lay: Layout, sheet: int) -> bool:
    """`dithered(gray)` measured away from this sheet's boxes and their margins (`lay`, placed by
    `homography`): the voter's strokes at a threshold copy's threshold leave lone specks there."""
    m = lay.box_margin
    rects = [(b.rect[0] - m, b.rect[1] - m, b.rect[2] + 2 * m, b.rect[3] + 2 * m) for b in lay.sheet_boxes(sheet)]
    return dithered(gray, homography, rects)


def descreen(gray: np.ndarray, homography: np.ndarray) -> np.ndarray:
    """A dithered copy's shades, back: error diffusion keeps each patch's mean grey as its density
    of black dots, so a blur over a few dots gives that grey again. Blurred over one pixel of the
    crops the boxes are read from (`SCALE` px per point; `homography`: page points to the file's
    pixels, a scanner's copy: no perspective), the boxes are read as a grey scan at the reader's
    own resolution: a pencil stroke dotted by the copier is a pale stroke again, not a pen broken
    at a threshold, and no shade of the file is smoothed away below what the reader looks at."""
    h = homography / homography[2, 2]
    px_per_point = abs(float(h[0, 0] * h[1, 1] - h[0, 1] * h[1, 0])) ** 0.5
    return cv2.GaussianBlur(gray, (0, 0), max(px_per_point / SCALE, 0.5))


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


def x_ends(crops: list[np.ndarray], marked: list[bool], lay: Layout, sheet: int, specks: bool) -> list[bool]:
    """On a 1-bit copy, which boxes read marked (`marked`) are filled (ink off the box's
    diagonals too: a fill, even one the copier broke into blotches) and show, beyond `X_ENDS`
    of their corners or more, ink on the box's diagonal: the ends of an X drawn over the fill to
    cross it out, whose middle the copier's threshold dropped (a single layer of pencil or red
    ballpoint out on the paper is paler than the fill with the X over it). A dash along the
    diagonal counts; so does a speck where the copy keeps no specks of paper (`specks`: a
    threshold copy). A plain fill stops at its box; an X's own overshoot has no fill under it;
    other boxes' insides around the box are left out (their own marks)."""
    m = lay.box_margin
    mp = int(round(m * SCALE))
    inset = int(round((lay.style.line + 1.8) * SCALE))
    boxes = lay.sheet_boxes(sheet)
    rects = np.array([b.rect for b in boxes], np.float64).reshape(-1, 4)
    out = []
    for i, (crop, box, on) in enumerate(zip(crops, boxes, marked, strict=True)):
        side_px = int(round(box.rect[2] * SCALE))
        inside = (crop[mp + inset : mp + side_px - inset, mp + inset : mp + side_px - inset] < 128).astype(np.uint8)
        filled = on and _filled(inside)
        if not on or not (filled or specks):
            out.append(False)
            continue
        black = ((crop < 128) & (printed(lay, sheet, i) == 0)).astype(np.uint8)
        black[mp - 2 : mp + side_px + 2, mp - 2 : mp + side_px + 2] = 0
        for r0, c0, r1, c1 in _others(rects, i, box.rect[0] - m, box.rect[1] - m, black.shape):
            black[max(r0, 0) : r1, max(c0, 0) : c1] = 0  # another box's inside (its own mark) is not this box's X
        k, labels, stats, centres = cv2.connectedComponentsWithStats(black, connectivity=8)
        centre = mp + side_px / 2 - 0.5
        rows, cols = black.shape
        corners = set()
        for q in range(1, k):
            dx, dy = centres[q][0] - centre, centres[q][1] - centre
            if min(abs(dx), abs(dy)) < side_px / 2 + 1 or abs(abs(dx) - abs(dy)) > 0.3 * max(abs(dx), abs(dy)):
                continue  # not beyond a corner, or off the diagonal
            area = stats[q, cv2.CC_STAT_AREA]
            x, y, w, h = stats[q, :4]
            # A speck is a piece seen whole: one the crop's edge cuts is the tip of something larger
            # beyond it (a neighbour's stroke or fill running past its own box), not a speck.
            speck = specks and area <= SPECK and x > 0 and y > 0 and x + w < cols and y + h < rows
            if speck or (area >= 3 and _along(labels == q, 45 if (dx > 0) == (dy > 0) else 135)):
                corners.add((dx > 0, dy > 0))
        if filled and len(corners) >= X_ENDS:
            out.append(True)
            continue
        # The fill the copy dropped but for specks, the X over it kept whole: an X whose arms run
        # out past three corners further than a voter's plain cross overshoots (`X_PAST`), over
        # specks of ink its strokes do not explain (a threshold copy keeps no speck of paper).
        k, _, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=8)
        out.append(
            specks
            and bool((stats[1:k, cv2.CC_STAT_AREA] < SPECK).any())
            and sorted(corner_reach(black, mp, side_px))[1] >= X_PAST
        )
    return out


def _others(rects: np.ndarray, i: int, x0: float, y0: float, shape: tuple[int, ...]) -> list[tuple[int, int, int, int]]:
    """The insides (3 px grown; rows, then columns, in the crop of box `i`, whose corner sits at
    page point `x0`, `y0`) of the other boxes (`rects`, page points) that reach into that crop of
    `shape`: all boxes at once (a grid of 300 boxes asked box by box costs a Python loop of 300 per
    box). Truncated towards zero as `int` does."""
    c0 = np.trunc((rects[:, 0] - x0) * SCALE).astype(np.int64) - 3
    r0 = np.trunc((rects[:, 1] - y0) * SCALE).astype(np.int64) - 3
    c1 = np.trunc((rects[:, 0] + rects[:, 2] - x0) * SCALE).astype(np.int64) + 3
    r1 = np.trunc((rects[:, 1] + rects[:, 3] - y0) * SCALE).astype(np.int64) + 3
    near = (c1 > 0) & (r1 > 0) & (c0 < shape[1]) & (r0 < shape[0])
    near[i] = False
    return [(int(r0[j]), int(c0[j]), int(r1[j]), int(c1[j])) for j in np.flatnonzero(near)]


@functools.cache
def _off_diagonals(n: int) -> np.ndarray:
    """The inside of a box `n` px wide away from its diagonals (`_filled`), made once per size."""
    yy, xx = np.mgrid[0:n, 0:n]
    band = max(n * 0.12, 2.0)
    off = (np.abs(yy - xx) > band) & (np.abs(yy + xx - (n - 1)) > band)
    off.flags.writeable = False
    return off


def _filled(inside: np.ndarray) -> bool:
    """Ink covers `FILLED` of the inside of the box away from its diagonals (an X's strokes)."""
    off = _off_diagonals(inside.shape[0])
    return bool(off.any()) and float(inside[off].mean()) >= FILLED


def _along(piece: np.ndarray, angle: float) -> bool:
    """The piece is a dash (2.5 times longer than wide) lying within 20 degrees of `angle`
    (degrees, image axes: 45 runs down to the right)."""
    ys, xs = np.nonzero(piece)
    ev, vec = np.linalg.eigh(np.cov(np.vstack([xs, ys]).astype(np.float64)))
    if ev[1] < 6.25 * max(float(ev[0]), 0.05):
        return False
    turn = abs(np.degrees(np.arctan2(vec[1, 1], vec[0, 1]))) % 180
    return min(abs(turn - angle), 180 - abs(turn - angle)) <= 20


def traces(crops: list[np.ndarray], blank: list[bool], lay: Layout, sheet: int, lone: bool = False) -> list[bool]:
    """On a 1-bit scan, which boxes not read marked (`blank`: read blank, or sent to a person for what
    it holds) hold pieces of ink (bits of a stroke the threshold dropped) that the paper of this
    copy does not have: at least 2, and far more than the paper's own specks give for its area (a
    dithered copy's paper has specks; a threshold copy's has none: specks standing alone,
    `_paper_specks`, not those a stroke's ragged edge sheds), and more than an empty box of
    this copy usually holds (the median over the OTHER boxes not read marked: a high threshold
    thickens the outlines' corners in every box; a box's own trail is no yardstick for itself). The
    paper's rate is the median over the rings around the boxes, so a mark's own broken overflow
    does not raise it; on a threshold copy (`lone`) only around the boxes not read marked: on a
    sheet mostly marked, most rings hold bits of the voter's strokes, not paper. A pen resting on
    the paper leaves one dot, a neighbour's stray one line. On a threshold copy whose paper and
    empty boxes hold nothing, one speck is a trail, down to a lone pixel the crop's resampling
    left grey (`LONE_PIXEL`), where the paper around the boxes shows no grey speck either."""
    m = lay.box_margin
    mp = int(round(m * SCALE))
    counted: dict[int, tuple[int, int]] = {}  # box -> (pieces in it, its area), for boxes not read marked
    specks: dict[int, int] = {}  # box -> pieces in it too small for the box's reader to see (`SPECK`)
    grey: dict[int, bool] = {}  # box -> a lone copy pixel resampled grey in it (`LONE_PIXEL`)
    rates: list[float] = []
    grey_paper = False  # the same grey specks on the paper around the boxes not read marked
    for i, (crop, box) in enumerate(zip(crops, lay.sheet_boxes(sheet), strict=True)):
        side_px = int(round(box.rect[2] * SCALE))
        mask = printed(lay, sheet, i)
        dark = crop < 128
        black = (dark & (mask == 0)).astype(np.uint8)
        ring = black.copy()
        ring[mp - 2 : mp + side_px + 2, mp - 2 : mp + side_px + 2] = 0
        if blank[i] or not lone:  # a threshold copy's paper: around the boxes not read marked
            rates.append(_paper_specks(ring, mask) / max(black.size - (side_px + 4) ** 2, 1))
        if blank[i]:
            a, b = mp + 2, mp + side_px - 2  # the whole box, up to its outline (masked)
            k, labels, stats, _ = cv2.connectedComponentsWithStats(
                np.ascontiguousarray(black[a:b, a:b]), connectivity=8
            )
            pieces = _off_outline(labels, stats, dark & (mask > 0), a, b) if k > 1 else stats[1:]
            counted[i] = (len(pieces), (b - a) ** 2)
            specks[i] = int((pieces[:, cv2.CC_STAT_AREA] < SPECK).sum())
            if lone:
                pale = _grey_only(crop, mask)
                pale_ring = pale.copy()
                pale_ring[mp - 2 : mp + side_px + 2, mp - 2 : mp + side_px + 2] = 0
                grey_paper = grey_paper or _paper_specks(pale_ring, mask) > 0
                k, labels, stats, _ = cv2.connectedComponentsWithStats(
                    np.ascontiguousarray(pale[a:b, a:b]), connectivity=8
                )
                grey[i] = k > 1 and len(_off_outline(labels, stats, dark & (mask > 0), a, b)) > 0
    rate = float(np.median(rates)) if rates else 0.0
    # What an empty box of this copy holds anyway: a high threshold thickens the printed outline
    # past its mask (its corners first), in every box alike.
    pieces = np.array([n for n, _ in counted.values()], np.float64)
    others = _medians_without_each(pieces)  # the OTHER boxes' median, for each box
    out = [False] * len(crops)
    for at, (i, (n, area)) in enumerate(counted.items()):
        usual = float(others[at]) if pieces.size > 1 else 0.0
        expected = max(rate * area, usual)
        # Where neither this copy's paper nor its empty boxes hold any piece (a threshold copy:
        # `lone`), one speck, too small for the box's reader, is ink the copier kept of a stroke:
        # a fill or a tick of the same pen drawn a little lighter leaves nothing at all.
        # Two pieces apart where the box's reader sees only a dot or an edge stroke are bits of one.
        # A lone pixel the copier kept of a stroke is grey in the crop where resampling split it
        # (up to ~190 at 200 dpi): counted only where the copy's paper shows no such grey speck.
        out[i] = (n >= 2 and n > expected + 3 * expected**0.5 + 2) or (
            lone and expected == 0 and (specks[i] > 0 or n >= 2 or (grey.get(i, False) and not grey_paper))
        )
    return out


def _grey_only(crop: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The crop's pieces darker than `LONE_PIXEL` that hold no pixel darker than half and are
    smaller than `SPECK` (0/1, print masked off): a lone copy pixel the resampling split, not the
    grey rim of ink the box's reader sees."""
    pale = ((crop < LONE_PIXEL) & (mask == 0)).astype(np.uint8)
    k, labels, stats, _ = cv2.connectedComponentsWithStats(pale, connectivity=8)
    if k == 1:
        return pale
    inked = np.bincount(labels[crop < 128].ravel(), minlength=k) > 0
    keep = ~inked & (stats[:, cv2.CC_STAT_AREA] < SPECK)
    keep[0] = False
    return keep[labels].astype(np.uint8)


def _off_outline(labels: np.ndarray, stats: np.ndarray, outline: np.ndarray, a: int, b: int) -> np.ndarray:
    """The pieces in a box's window (`labels`, `stats` of `connectedComponentsWithStats` over
    `[a:b, a:b]`) that are not the printed outline's own edge: a threshold copy keeps the outline's
    grey edge black, and the crop is aligned to its outline to a whole pixel, so the outline
    pokes past its mask into the window by up to `OUTLINE_REACH` px, along one side, in every box
    of a region of the page (dev seed 5151: a corner cut placed the page from three squares;
    strips 1-2 px thick, 1-29 px long, at the window's edge in 4-9 empty boxes sent black-ballpoint
    sheets to a person as `lost_ink`). Such a piece is no thicker than that and lies wholly within
    it of the outline's ink (`outline`: the crop's dark pixels under the print mask); the bits a
    stroke lost at the threshold leaves elsewhere, or reaching further in, still count. Returns
    the stats of the pieces kept, without the background's row."""
    near = cv2.dilate(outline.view(np.uint8), np.ones((2 * OUTLINE_REACH + 1,) * 2, np.uint8))[a:b, a:b]
    beyond = np.bincount(labels[near == 0].ravel(), minlength=len(stats))  # each piece's pixels out of reach
    thin = np.minimum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) <= OUTLINE_REACH
    edge = thin & (beyond == 0)
    return stats[1:][~edge[1:]]


def _paper_specks(ring: np.ndarray, print_mask: np.ndarray) -> int:
    """How many pieces of ink in `ring` (0/1, print masked off) are specks of the copy's paper: at
    most `PAPER_SPECK` px, standing alone. Print and strokes the threshold cut shed specks along
    their ragged edges, within `SHED` px of them: a printed outline thickened by the copy, a
    neighbour's grainy fill overflowing to its outline (held-out 9909003871: such specks along the
    neighbours' outlines in three rings made this copy's paper look speckled, and the one speck a
    pencil tick left in its box was taken for paper, read blank). The copy's own paper, if it has
    specks at all, has them everywhere, not only beside ink (`print_mask`: the masked print)."""
    k, labels, stats, _ = cv2.connectedComponentsWithStats(ring, connectivity=8)
    if k == 1:
        return 0
    small = stats[1:k, cv2.CC_STAT_AREA] <= PAPER_SPECK
    lut = np.concatenate(([0], ~small)).astype(np.uint8)  # label -> 1 for the larger pieces
    edge = lut[labels] | (print_mask > 0).view(np.uint8)
    near = cv2.dilate(edge, np.ones((2 * SHED + 1, 2 * SHED + 1), np.uint8))
    beside = np.zeros(k, bool)
    beside[labels[near > 0]] = True
    return int(np.count_nonzero(small & ~beside[1:]))


def _medians_without_each(values: np.ndarray) -> np.ndarray:
    """For each value, the median of all the others (`np.median(np.delete(values, at))`), from one
    sort: leaving out the value of rank r shifts the ranks above it down by one, so the middle of
    what is left is read off the sorted values at r's side of the middle (Dieppe's grid: ~300
    empty boxes, 300 medians of 300 values one by one)."""
    n = values.size
    if n < 2:
        return np.zeros(n, np.float64)
    order = np.argsort(values, kind="stable")
    ranks = np.empty(n, np.int64)
    ranks[order] = np.arange(n)
    s = values[order].astype(np.float64)

    def left(k: np.ndarray) -> np.ndarray:  # the k-th smallest of the others
        return s[np.where(k < ranks, k, k + 1)]

    m = n - 1
    if m % 2:
        return left(np.full(n, m // 2))
    return (left(np.full(n, m // 2 - 1)) + left(np.full(n, m // 2))) / 2
