"""Is this box marked? Fill scores relative to the sheet's own paper and ink, and three outcomes.

Contract: `read_boxes(gray, located, layout, sheet)` returns one `BoxRead` per box of that sheet,
in layout order: `state` is MARKED, BLANK or AMBIGUOUS, never a guess. Ambiguous goes to a
person. The rules, in the order they apply (after erasing straight lines that run far beyond
the box on both sides, i.e. folds, creases and scanner streaks (`creases`), and specks of noise):

- ink covering < BLANK_COVER of the inside of the box: blank (empty box, light dot, noise);
- ink spanning the box only as ends of strokes come in from outside, each in the half next to
  where it comes in (neighbours' strays from two sides): ambiguous (`box_ink.tips_only`);
- a compact blob (extent < 40 % of the box): a dot — blank if small, else ambiguous;
- a single thin straight stroke: blank if it only clips an edge (a neighbour's stray line), or
  if it is one straight line of even width from edge to edge of the whole crop and nothing else
  (a crease or streak too faint to follow further), else ambiguous (a lone slash is not one of
  the marks we promise to read);
- ink overflowing all around the box and filling it, or a filled box with strokes running out
  of it at three or four of its corners (an X drawn over it), or with two crossing strokes
  darker than the fill inside it (the X as a second layer of ink): a crossed-out box, ambiguous;
- no ink at the ink threshold, but lighter ink well above the paper's own noise in one piece that
  spans the box, not a straight line from beyond the crop (a light pencil tick): ambiguous;
- coverage >= MARK_COVER and spread over the box: marked (X, tick, full or partial fill);
- anything else: ambiguous.

A line crossing the crop that could not be confirmed as a crease: the box is marked only if it is
marked without that line, or what is left meets the line the way an X's other stroke or a tick's
short stroke does; a dot or a stray's tip beside it (compact, the line going on past both sides
of where they touch) is never a mark.

"Darkness" of a pixel is (paper - value) / (paper - ink): 0 on this box's paper, 1 on the
sheet's solid ink (measured in the alignment marks), so pencil on grey recycled paper and pen
on a bright scan are judged alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np

from ballots.paper import box_ink, copies, creases, levels
from ballots.paper.box_paper import noise
from ballots.paper.box_read import BoxRead, MarkState
from ballots.paper.creases import SCALE
from ballots.paper.crossed_out import corner_arms, crossed_out, sides_filled
from ballots.paper.geometry import Box, Layout
from ballots.paper.identity_cache import once
from ballots.paper.levels import DARK
from ballots.paper.light_ink import faint_ink, left_beside, thinness
from ballots.paper.line_beside import dot_beside_line, line_plus_blob, lone_crossing_line
from ballots.paper.outlines import align, all_in_image, free, sheet_bands
from ballots.paper.outlines import printed as printed_mask
from ballots.paper.own_pen import own_pen
from ballots.paper.page_paper import PagePaper
from ballots.paper.reading import Located, warp
from ballots.paper.strokes import (
    Cut,
    bridge,
    crosses,
    cut_union,
    drop_specks,
    without_longest_line,
    without_through_lines,
)

FAINT = 0.12  # darkness at which a faint crease is seen whole (to find it, never to count ink)
BLANK_COVER = 0.035
MARK_COVER = 0.14  # a real X or tick covers >= 0.18 of the inside even in a thin pen; below, a person decides
WINDOW_INSET = 5  # px: inside the box's outline and its masked margin (shape tests look at all of it)
OVER_INK = 8.0  # solid-ink pixels more under a crease in the box than along it outside: a stroke under it
OVER_INK_ALONE = 20.0  # the same when nothing else is left in the box: a whole pen stroke along the crease
LINE_LIKE = ("single_stroke", "off_centre")  # one thin stroke, or ink beside the centre only: maybe just a crease
FOLLOW_BELOW = 0.3  # a mark covering less may be a crease too faint to see whole plus a stray: follow its lines
LOOK_AROUND = 0.1  # crop's paper this much (of the sheet's paper-to-ink span) darker than the sheet's: look around
COVERED = 0.25  # ...and this much darker than the page's paper around the box: its crop is covered, not paper
NOISY = 0.06  # grain (sigma) over the paper-to-ink span above which a box is read smoothed
THIN_COVER = MARK_COVER / 2  # a thin mark: a mark's shape with at least half a mark's least ink (`own_pen`)


def read_boxes(
    gray: np.ndarray, loc: Located, lay: Layout, sheet: int, bitonal: bool | None = None, dots: bool = False
) -> list[BoxRead]:
    """`bitonal`: `copies.one_bit(gray)` if known (the page's); `dots`: a 1-bit copy descreened."""
    out = []
    bitonal = copies.one_bit(gray) if bitonal is None else bitonal
    around = PagePaper(gray, loc)  # measured once, only if a box's crop looks covered
    boxes = lay.sheet_boxes(sheet)
    # Whether each box lies inside the scan, for all of them at once (`in_image`'s answers).
    visible = all_in_image(gray, loc.homography, [box.rect for box in boxes])
    for i, box in enumerate(boxes):
        out.append(read_box(gray, loc, lay, sheet, i, box, bitonal, around, visible=visible[i], dots=dots))
    out = own_pen(out)
    # A box the reader could not see (cut off, outline not found) says nothing of the copy's ink.
    states = [copies.UNSEEN if r.why in ("off_image", "misaligned") else r.state.value for r in out]
    # Only a sheet with a box read marked asks how the copy was made (`copies.doubt`; measured away
    # from the boxes and their margins, which hold the voter's marks, not the copier's way): on one
    # with none, every box goes to a person however it was made.
    diffused = bitonal and "marked" in states and copies.dithered_sheet(gray, loc.homography, lay, sheet)
    whys = copies.doubt(
        gray,
        [r.crop for r in out],
        states,
        lay,
        sheet,
        bitonal,
        [r.cover for r in out],
        [r.why for r in out],
        diffused,
    )
    # Where the file cannot show a mark (a 1-bit copy that lost ink, or on which nothing reads
    # marked), that box, or every box with a sheet-level reason (`copies`), goes to a person.
    return [
        r if why is None or r.state is MarkState.AMBIGUOUS else replace(r, state=MarkState.AMBIGUOUS, why=why)
        for r, why in zip(out, whys, strict=True)
    ]


def read_box(
    gray: np.ndarray,
    loc: Located,
    lay: Layout,
    sheet: int,
    index: int,
    box: Box,
    bitonal: bool = False,
    page_paper: PagePaper | None = None,
    *,
    visible: bool,
    dots: bool = False,
) -> BoxRead:
    """One box; `bitonal`: the scan is a 1-bit copy (`copies.one_bit`), which shows no shade;
    `page_paper`: the sheet's paper level around any box (`page_paper`, shared by a sheet's boxes);
    `visible`: whether the box lies wholly inside the scan (`all_in_image`, once per sheet)."""
    m = lay.box_margin
    x, y, w, h = box.rect
    crop = warp(gray, loc.homography, (x - m, y - m, w + 2 * m, h + 2 * m), SCALE)
    if not visible:
        # The frame cut this box off the scan: what the crop holds there is the image's edge
        # repeated, not the paper. Never read a box we cannot see: the sheet goes to a person.
        return BoxRead(box, MarkState.AMBIGUOUS, 0.0, "off_image", crop)
    sample = crop[::2, ::2].flatten()  # a copy: partitioned in place
    k = int(sample.size * 0.9)
    sample.partition(k)
    paper = float(sample[k])  # np.percentile costs 20x more on arrays this small
    if loc.paper - paper > LOOK_AROUND * max(loc.paper - loc.ink_under(loc.paper), 25.0):
        # The crop's lightest tenth is well darker than the sheet's paper: a shadow, light falling
        # off, or ink covering the whole crop (a fill overflowing the box, its neighbours filled).
        # The paper level is never taken from ink: the page's paper around the box is.
        around = (page_paper or PagePaper(gray, loc)).around(box.rect)
        if around - paper > COVERED * max(around - loc.ink_under(around), 25.0):
            paper = around
    span = max(paper - loc.ink_under(paper), 25.0)
    # Pixel noise (median of neighbour differences: edges and strokes do not count).
    grain = levels.median(cv2.absdiff(crop[::2, 1:], crop[::2, :-1])) / 0.954
    if grain > NOISY * span:
        # So much grain for this contrast that paper alone passes the ink threshold here and there:
        # judge a smoothed copy (strokes are >= 2.5 px wide and survive; grain does not).
        darkness = (paper - cv2.GaussianBlur(crop, (0, 0), 1.0).astype(np.float32)) / span
        grain *= 0.45  # what smoothing leaves of it
    else:
        darkness = _darkness(crop, paper, span)
    # Creases are looked for below the ink threshold, but above what grain alone reaches.
    faint_at = min(max(FAINT, 4 * grain / span), DARK)
    printed = printed_mask(lay, sheet, index)
    mp = int(round(m * SCALE))
    side_px = int(round(w * SCALE))
    dark = darkness >= DARK
    shift = align(dark, mp, side_px, max(int(round(lay.style.line * SCALE)), 1))
    if shift is None:
        # The printed outline is not where the geometry says: never read a box we cannot see.
        return BoxRead(box, MarkState.AMBIGUOUS, 0.0, "misaligned", crop)
    if shift != (0, 0):  # paper not flat, or scaling the homography cannot follow: follow the outline
        crop, darkness, dark = (np.roll(v, (-shift[0], -shift[1]), (0, 1)) for v in (crop, darkness, dark))
    ink = dark.view(np.uint8) & free(lay, sheet, index)  # (dark & (printed == 0)) as 0/1
    inset = int(round((lay.style.line + 1.8) * SCALE))
    a, b = mp + inset, mp + side_px - inset
    outlines = sheet_bands(lay, sheet)

    @once
    def crop_noise() -> float:
        # The crop's noise, measured once when first needed (empty boxes rarely need it).
        return noise(darkness)

    @once
    def pale() -> np.ndarray:
        # Asked for only where a box's ink falls apart at the ink threshold (`box_ink.one_pale_stroke`).
        return box_ink.pale(darkness, printed, mp, side_px, crop_noise())

    def on_page(rho: float, theta: float) -> bool:
        # A line seen only in the crop is a crease only if the page shows it going on beyond.
        return creases.line_on_page(gray, loc, box, rho, theta, paper, crop_noise(), outlines)

    if not np.count_nonzero(ink[a:b, a:b]):  # (numpy's any on a slice costs 2x more)
        if faint_ink(darkness, grain / span, printed, mp, side_px, a, b, None, on_page, ink, not (bitonal or dots)):
            return BoxRead(box, MarkState.AMBIGUOUS, 0.0, "faint_ink", crop)
        return BoxRead(box, MarkState.BLANK, 0.0, "empty", crop)
    with_specks = ink
    ink = drop_specks(ink)
    ink0 = ink  # as scanned, before any line is taken out as a crease
    e = 8  # the crop's outer band (neighbours' outlines, masked, cover its outermost pixels)
    crossed = crosses(ink, e)
    if crossed_out(ink, darkness, faint_at, printed, mp, side_px, a, b, bitonal):
        # A filled (or shaded) box with strokes leaving it at three or four of its corners: an
        # X drawn over a filled box to cross it out. Judged before any stroke can be taken for a
        # crease and erased (an X's arms reaching the crop's edge look like creases; two real
        # creases through the corners of the same filled box are rare, and a person decides).
        return BoxRead(box, MarkState.AMBIGUOUS, levels.share(ink[a:b, a:b]), "crossed_out", crop)
    excess = 0.0  # how much darker a crease's band is in the box than outside it (creases.over_ink)
    cuts: list[Cut] = []
    if crossed:  # a fold or a streak crosses the whole crop; a voter's overshoot does not reach its edge
        ink, cuts = creases.erase(
            ink,
            gray,
            loc,
            box,
            dark.astype(np.uint8),
            paper,
            (mp, mp + side_px),
            crop_noise(),
            printed == 0,
            outlines,
            darkness,
        )
        # The crease's band is darker inside the box than along it outside: it crossed (or ran
        # along) a mark.
        excess = creases.over_ink(darkness, cuts, printed == 0, (mp, side_px, a, b)) if cuts else 0.0
    over_ink = excess > OVER_INK
    if cuts:
        # Judge the box without the crease, but with the strokes it crossed whole again.
        # Under a fold, ink is darker than the fold's own shade.
        under = box_ink.strong(darkness, printed) | creases.darker_than(
            darkness, cuts, printed == 0, (mp, mp + side_px), DARK
        )
        joined = bridge(ink, cuts, under, folds=True)
        taken = cut_union(cuts, ink)
        seen = None if bitonal else (lambda: pale() & ((taken == 0) | (joined > 0)))  # no crease's own shade
        res = _classify(box, joined, crop, printed, mp, side_px, a, b, joined, taken, seen)
    else:
        res = _classify(box, ink, crop, printed, mp, side_px, a, b, pale=None if bitonal else pale)
    if res.state is MarkState.MARKED and crossed and crosses(ink, e):
        # Something still runs from edge to edge of the crop (a crease we could not confirm):
        # the box is marked only if it is marked without that line.
        rest, line_mask = without_longest_line(ink, e=e)
        again = res if not line_mask.any() else _classify(box, rest, crop, printed, mp, side_px, a, b)
        # The strokes of an X or a tick meet the line taken away; a dot beside a streak stands apart.
        near = cv2.dilate(line_mask, np.ones((3, 3), np.uint8)) & (line_mask == 0)
        touches = bool((rest[a:b, a:b] & near[a:b, a:b]).any())
        if again.state is not MarkState.MARKED and not touches:
            return BoxRead(box, MarkState.AMBIGUOUS, res.cover, "unconfirmed_line", crop)
        if again.state is not MarkState.MARKED and dot_beside_line(ink, printed == 0, a, b):
            # What meets the line is compact (a dot, a stray's tip), not an X's other stroke or a
            # tick's arms: a dot or a stray beside a crease is never a mark.
            return BoxRead(box, MarkState.AMBIGUOUS, res.cover, "line_plus_dot", crop)
    if res.state is MarkState.MARKED and (res.cover < FOLLOW_BELOW or box_ink.ink_outside(ink, mp, side_px)):
        # A faint crease breaks into bits at the ink threshold (or, through JPEG, is ink only in
        # the box), and bits plus a dot can pass for a mark. Seen at a lower threshold it is whole:
        # a straight line from end to end of the crop (a voter's overshoot stops well before).
        # Without it, is the box still marked? (Taking a line out here can only send the box to
        # a person: the line need not be confirmed on the page.)
        rest, more = without_through_lines(darkness, faint_at, ink, printed == 0, (mp, mp + side_px), cuts)
        # Strokes the lines crossed are still whole: what is darker than the lines' own shade was
        # drawn over them (a pencil tick across a faint streak), not the line.
        if more:
            over = box_ink.strong(darkness, printed) | creases.darker_than(
                darkness, more, printed == 0, (mp, mp + side_px), DARK
            )
            joined = bridge(rest, cuts + more, over)
            if _classify(box, joined, crop, printed, mp, side_px, a, b, joined).state is not MarkState.MARKED:
                return BoxRead(box, MarkState.AMBIGUOUS, res.cover, "through_line", crop)
    if res.state is MarkState.MARKED and res.cover < FOLLOW_BELOW:
        # A crease too faint to be whole even at the lower threshold, and a stray or a dot: is one
        # of the straight lines in the box there far beyond it on both sides? Without it (strokes
        # it crossed joined again), is the box still marked? Where nothing shows outside the box,
        # only a line across the whole box can be a crease (JPEG can lose one outside it).
        share = 0.5 if box_ink.ink_outside(ink, mp, side_px) else 0.9
        rest, more = creases.follow(
            ink,
            gray,
            loc,
            box,
            paper,
            crop_noise(),
            (a, b),
            (mp, mp + side_px),
            lines=share,
            cuts_made=cuts,
            outlines=outlines,
        )
        if more:
            joined = bridge(rest, cuts + more, box_ink.strong(darkness, printed))
            if _classify(box, joined, crop, printed, mp, side_px, a, b, joined).state is not MarkState.MARKED:
                return BoxRead(box, MarkState.AMBIGUOUS, res.cover, "through_line", crop)

    def lone_line() -> BoxRead:
        # The line was all the ink there was; a pale mark beside it or along it (a pale X whose arm
        # lies on a ranked grid's diagonal, where the neighbours' felt arms overflow in line) is
        # below the ink threshold: never guess blank, light ink goes to a person. The line stays in
        # the light ink: its band taken out (`faint_ink(taken=...)`, straight across the crop) cut a
        # pale tick crossing it into bits too short to count (test_reading, crossed pale tick).
        if faint_ink(darkness, grain / span, printed, mp, side_px, a, b, ink, on_page, with_specks):
            return BoxRead(box, MarkState.AMBIGUOUS, res.cover, "faint_ink", crop)
        return BoxRead(box, MarkState.BLANK, res.cover, "lone_line", crop)

    if res.why in LINE_LIKE and not over_ink:
        # The one stroke may be a crease seen whole at a lower threshold, running from end to end
        # of the crop (a voter's slash stops near the box): without it, is there anything left?
        # Read blank only if the page shows the line going on far beyond the box (an X's
        # overflowing arms run off a small crop too) and nothing paler is left beside it.
        rest, more = without_through_lines(darkness, faint_at, ink, printed == 0, (mp, mp + side_px), cuts, on_page)
        if (
            more
            and not drop_specks(np.ascontiguousarray(rest[a:b, a:b])).any()
            and not left_beside(darkness, faint_at, printed, cut_union(more, ink), a, b)
        ):
            return lone_line()
        if lone_crossing_line(ink, printed == 0, mp, side_px) and not left_beside(
            darkness, faint_at, printed, without_longest_line(ink)[1], a, b
        ):
            # One thin straight line of even width from edge to edge of the crop (a crease or a
            # streak too faint to follow further) and nothing else: an empty box.
            return lone_line()
        # A crease too faint to stay whole at the ink threshold: fitted to the stroke, is it there
        # far beyond the box on both sides? Then it is all there was if nothing is left without it.
        rest, more = creases.follow(
            ink, gray, loc, box, paper, crop_noise(), (a, b), (mp, mp + side_px), cuts_made=cuts, outlines=outlines
        )
        if (
            more
            and _classify(box, rest, crop, printed, mp, side_px, a, b).why == "faint"
            and creases.over_ink(darkness, more, printed == 0, (mp, side_px, a, b)) <= OVER_INK
            and not left_beside(darkness, faint_at, printed, cut_union(more, ink), a, b)
        ):
            return lone_line()
    if (
        res.why == "single_stroke"
        and res.cover >= THIN_COVER
        and not (bitonal or crossed or cuts or over_ink)
        and box_ink.second_pale_stroke(ink, pale(), printed, mp + WINDOW_INSET, mp + side_px - WINDOW_INSET)
    ):
        # One straight stroke at the ink threshold, and beside it, at the pale level and in one
        # piece with it, a second stroke: a check mark whose short stroke was pressed lighter. Read
        # as the mark it is (with too little ink to read alone, a thin mark: the voter's own pen
        # decides); the tests below still apply (a stroke come in from outside the crop).
        res = (
            replace(res, state=MarkState.MARKED, why="mark")
            if res.cover >= MARK_COVER
            else replace(res, why="thin_mark")
        )
    if res.state is MarkState.MARKED and levels.share(ink0[a:b, a:b]) < MARK_COVER:
        # Marked only once strokes were joined again across a line taken out: the scan itself
        # holds less ink in the box than any mark we read (the tip of a neighbour's stroke).
        return BoxRead(box, MarkState.AMBIGUOUS, res.cover, "weak", crop)
    if res.state is MarkState.MARKED and box_ink.stroke_from_outside(ink0, a, b, e):
        # One broad straight stroke running in from beyond the crop (a felt tip's arm of a
        # neighbour's big X, a slash across the grid): whose mark it is is a person's call.
        return BoxRead(box, MarkState.AMBIGUOUS, res.cover, "from_outside", crop)
    # Nothing at all left without the crease: only a lone stroke along it could have hidden there,
    # and only a dark one shows; bits along the box's edge are the crease's own.
    stroke_under = excess > (OVER_INK_ALONE if res.why == "faint" else OVER_INK)
    if res.state is MarkState.BLANK and (stroke_under or (bool(cuts) and res.why not in ("faint", "edge_only"))):
        # What a crease leaves of a mark can look like a dot or a stray: a person decides.
        return BoxRead(box, MarkState.AMBIGUOUS, res.cover, "fold_over_ink", crop)
    if res.state is MarkState.BLANK and creases.cross_in_box(cuts, mp, side_px):
        # Two "creases" crossing in the box's middle are an X's strokes run off the crop.
        return BoxRead(box, MarkState.AMBIGUOUS, res.cover, "crossing_lines", crop)
    if bitonal and res.state is MarkState.BLANK and res.why in ("faint", "dot") and res.cover > 0:
        # A 1-bit copy has no pale ink and its paper no shade: ink bigger than a speck in the box is
        # what the copier kept of a stroke it broke up (red ballpoint, pencil), never paper; a dot
        # in the middle of the box may be all it kept of a tick (a pen's rest is a person's call).
        return BoxRead(box, MarkState.AMBIGUOUS, res.cover, "one_bit_faint", crop)
    # With creases taken out too: a crease or a neighbour's stroke crossing the crop does not
    # make a pale mark beside it go away (the light-ink rule leaves the creases out itself).
    light = res.state is MarkState.BLANK and res.why in ("faint", "dot", "edge_only", "stray_line")
    if light and faint_ink(darkness, grain / span, printed, mp, side_px, a, b, ink, on_page, with_specks):
        # Never guess blank: a mark lighter than the ink threshold but plainly there.
        return BoxRead(box, MarkState.AMBIGUOUS, res.cover, "faint_ink", crop)
    if res.why == "thin_mark" and (
        bitonal
        or cuts
        or (crossed and box_ink.crossed_by_a_line(ink, darkness, faint_at, printed, mp, side_px, a, b, e))
        or box_ink.stroke_from_outside(ink0, a, b, e)
        or without_through_lines(darkness, faint_at, ink, printed == 0, (mp, mp + side_px), cuts, pen_lines=True)[1]
    ):
        # Only the box's own ink, as scanned in shades: no line taken out or running off the crop
        # (a neighbour's stroke, a crease, or a faint fold broken at the ink threshold but whole at
        # the faint level: a dot beside it passed for a thin mark, dev seed 192 sheet 22), no 1-bit
        # copy (its threshold makes every pen alike). A line through the crop counts however wide
        # and dark it is: a faint fold lined up with a neighbour's felt stray measures as a felt
        # stroke, and the fold's bits plus the stray's tip passed for a thin mark (9879000499 c16).
        return replace(res, why="weak")
    if (res.state is MarkState.MARKED and res.why == "mark") or res.why == "thin_mark":
        # Kept, not measured: only a sheet holding a thin mark asks (`own_pen`).
        return replace(res, pen=np.where(ink[a:b, a:b] > 0, darkness[a:b, a:b], np.float32(0)))
    return res


def _darkness(crop: np.ndarray, paper: float, span: float) -> np.ndarray:
    """(paper - crop.astype(np.float32)) / span, the same float32s, in one array (two fewer copies
    of the crop per box)."""
    out = crop.astype(np.float32)
    np.subtract(paper, out, out=out)
    out /= span
    return out


def _classify(
    box: Box,
    ink: np.ndarray,
    crop: np.ndarray,
    printed: np.ndarray,
    mp: int,
    side_px: int,
    a: int,
    b: int,
    joined: np.ndarray | None = None,
    hidden: np.ndarray | None = None,
    pale: Callable[[], np.ndarray] | None = None,
) -> BoxRead:
    """`joined`: the ink with strokes joined again across the creases taken out of it; `hidden`:
    where they were (a mark may go on under one: it reaches as far as the band beside it);
    `pale`: the crop's pale ink (`box_ink.pale`), asked for only where the ink falls apart."""
    inner = ink[a:b, a:b]
    cover = levels.share(inner)
    if cover < BLANK_COVER:
        return BoxRead(box, MarkState.BLANK, cover, "faint", crop)
    # Pale pieces are looked for over the whole inside of the outline (as `second_pale_stroke`'s
    # are): a check mark's foot sits low in the box, and where graphite broke it at the ink
    # threshold the two strokes meet, at the pale level, only below the inner window.
    w0, w1 = mp + WINDOW_INSET, mp + side_px - WINDOW_INSET
    ys, xs = levels.nonzero(inner)
    n = inner.shape[0]
    # The ink's bounds, each taken once (rows come sorted: their first and last are the extremes).
    x0, x1, y0, y1 = int(xs.min()), int(xs.max()), int(ys[0]), int(ys[-1])
    extent = max(x1 - x0, y1 - y0) / n
    touches = x0 == 0 or y0 == 0 or x1 == n - 1 or y1 == n - 1
    c0, c1 = int(n * 0.25), int(n * 0.75)  # the central zone of the inside (box centre ± 15 %)
    if not np.count_nonzero(inner[c0:c1, c0:c1]):
        if touches and cover < 0.1:
            return BoxRead(box, MarkState.BLANK, cover, "edge_only", crop)
        return BoxRead(box, MarkState.AMBIGUOUS, cover, "off_centre", crop)
    if extent < 0.4:
        return BoxRead(box, MarkState.BLANK if cover < 0.12 else MarkState.AMBIGUOUS, cover, "dot", crop)
    if thinness(xs, ys) < 0.2:
        if touches and extent < 0.6:
            return BoxRead(box, MarkState.BLANK, cover, "stray_line", crop)
        return BoxRead(box, MarkState.AMBIGUOUS, cover, "single_stroke", crop)
    if cover > 0.8:  # (the ring is only looked at around a box filled all over)
        ring = ink.copy()
        ring[mp : mp + side_px, mp : mp + side_px] = 0
        if box_ink.overflow(ring, printed, mp, side_px) > 0.45:
            return BoxRead(box, MarkState.AMBIGUOUS, cover, "crossed_out", crop)
        if cover > 0.85 and sides_filled(inner) == 4 and sum(corner_arms(ring, printed, mp, side_px, own=True)) >= 3:
            # A filled box with strokes leaving it at its corners: an X drawn over a filled box to
            # cross it out. What the voter meant is a person's call.
            return BoxRead(box, MarkState.AMBIGUOUS, cover, "crossed_out", crop)
    if cover >= MARK_COVER and extent < 0.8 and hidden is not None:
        extent = box_ink.extent_under(inner, hidden[a:b, a:b])
    if cover >= THIN_COVER and extent < 0.8 and pale is not None:
        # A pencil stroke fading as it leaves the box stops short at the ink threshold: how far it
        # reaches at the pale level, if it is one pale stroke there.
        extent = max(extent, box_ink.pale_extent(ink, pale(), printed, w0, w1))
    if cover >= THIN_COVER and extent >= 0.8 and box_ink.tips_only(ink, printed, mp, side_px, a, b):
        # Spanning the box only together: strokes' ends come in from two sides (neighbours' strays,
        # a fat felt pen's in a small box). Not a voter's mark we read; a person looks.
        return BoxRead(box, MarkState.AMBIGUOUS, cover, "from_outside", crop)
    if cover >= MARK_COVER and extent >= 0.8:  # a mark spans the box one way or the other
        if box_ink.largest_span(inner if joined is None else joined[a:b, a:b]) < 0.6 and not (
            pale is not None and box_ink.one_pale_stroke(ink, pale(), printed, w0, w1)
        ):
            # ...in one piece: a dot and bits of a crease or an outline are scattered, not a mark.
            return BoxRead(box, MarkState.AMBIGUOUS, cover, "scattered", crop)
        # A crease and a dot cover at most ~40 % of the inside (a 1.4 mm dot, a 0.8 mm crease).
        # (A pencil tick's short stroke, broken by graphite, is a blob at the ink threshold; at the
        # pale level it is whole and meets the long one at its end: `box_ink.one_pale_stroke`.)
        if (
            cover < 0.55
            and line_plus_blob(ink, printed == 0, mp + WINDOW_INSET, mp + side_px - WINDOW_INSET, hidden)
            and not (pale is not None and box_ink.one_pale_stroke(ink, pale(), printed, w0, w1))
        ):
            return BoxRead(box, MarkState.AMBIGUOUS, cover, "line_plus_blob", crop)
        return BoxRead(box, MarkState.MARKED, cover, "mark", crop)
    if (
        cover >= THIN_COVER
        and extent >= 0.8
        and thinness(xs, ys) >= 0.2
        and (
            (
                box_ink.largest_span(inner if joined is None else joined[a:b, a:b]) >= 0.6
                and not line_plus_blob(ink, printed == 0, mp + WINDOW_INSET, mp + side_px - WINDOW_INSET, hidden)
            )
            or (pale is not None and box_ink.one_pale_stroke(ink, pale(), printed, w0, w1))
        )
    ):
        # A mark's shape, spanning the box in one piece (at the ink threshold, or held together by
        # paler ink: graphite's grain), but less ink than we read alone (a thin pen, a check mark
        # whose foot is under the outline's mask): the voter's own marks on the sheet say whether
        # this is their pen (`own_pen`).
        return BoxRead(box, MarkState.AMBIGUOUS, cover, "thin_mark", crop)
    return BoxRead(box, MarkState.AMBIGUOUS, cover, "weak", crop)
