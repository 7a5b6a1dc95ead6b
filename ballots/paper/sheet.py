"""One page in, one `PageRead` out: the pure, picklable part of scanning (runs in worker processes).

Contract: `read_gray(gray, election, secret)` and `read_page(path, page, election, secret)`
never raise for bad input: every failure becomes `PageRead.error = (reason, detail)`. They touch
no store; authentication (MAC, election) happens here because the key is needed to trust the
sheet number and variant before looking at boxes.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ballots.election import Election
from ballots.errors import CodeRefused, FileRefused, PageRefused
from ballots.paper import alignment, copies, geometry, marks, placement, qrcode_payload, reading, sources
from ballots.paper.issued import EVIDENCE_SCALE
from ballots.paper.page_problems import PageProblem
from ballots.paper.qrcode_payload import Payload
from ballots.reasons import ReasonText


@dataclass(frozen=True)
class BoxResult:
    question: str
    key: str  # choice id, or "choice@rank" on ranked questions
    state: str
    cover: float
    why: str


@dataclass(frozen=True)
class PageRead:
    source: str
    page: int
    image_hash: str | None = None
    error: tuple[str, str] | None = None
    payload: Payload | None = None
    boxes: tuple[BoxResult, ...] = ()
    reasons: tuple[ReasonText, ...] = ()  # the sheet's own (copies.sheet_reasons): e.g. a 1-bit copy that lost ink
    crops_png: bytes = b""
    sheet_jpg: bytes = b""
    one_bit: bool = False  # read from a 1-bit (black-and-white) copy: the batch says so once (scan.Notice)


def image_hash(gray: np.ndarray) -> str:
    """Hash of the decoded pixels (subsampled: same decode, same hash; 50x cheaper than all)."""
    h = hashlib.sha256(f"{gray.shape}".encode())
    h.update(np.ascontiguousarray(gray[::3, ::3]).data)  # its buffer: the same bytes, one copy fewer
    return h.hexdigest()


def _read_boxes(
    gray: np.ndarray, loc: reading.Located, lay: geometry.Layout, sheet: int, bitonal: bool
) -> tuple[reading.Located, list[marks.BoxRead] | None]:
    """The boxes read through this placement; None when the placement is wrong (`placement`)."""
    if placement.codes_off(gray, loc, lay):
        return loc, None  # a code is not where this placement puts it: no box is read through it
    if loc.from_code:
        # A photo's fourth corner placed from a code: the box outlines fit it better where the
        # boxes are (each point moves a few points at most: never a box pitch; the fit may drift
        # at the codes, away from the boxes, so these were checked before).
        loc = alignment.refine(gray, loc, lay, sheet)
    if bitonal and copies.dithered_sheet(gray, loc.homography, lay, sheet):
        # A copier's "photo" mode (error diffusion) keeps every shade as a density of dots: no
        # mark vanishes, and blurred over a few dots the file is a grey scan again. Its boxes are
        # read as one (every rule for shades: light ink, the voter's own pen, a fill crossed out
        # in two layers), not by the 1-bit rules, which take dots for a pen at a threshold.
        reads = marks.read_boxes(copies.descreen(gray, loc.homography), loc, lay, sheet, False, dots=True)
    else:
        reads = marks.read_boxes(gray, loc, lay, sheet, bitonal)
    if _misaligned(reads) or placement.ends_off(lay, sheet, [r.why == "misaligned" for r in reads]):
        return loc, None
    return loc, reads


def _shows_our_code(gray: np.ndarray, election: Election, secret: bytes) -> bool:
    """Does the page hold a code in Urne's format (this election's, or another's: its fields
    parse), wherever it is?"""
    for text in reading.codes_on_page(gray):
        try:
            qrcode_payload.decode(text, secret, election.fingerprint)
        except CodeRefused as exc:
            if exc.reason == qrcode_payload.NOT_OURS:
                continue
        return True
    return False


def _misaligned(reads: list[marks.BoxRead]) -> bool:
    # More than two boxes whose outlines are not where the placement puts them: the placement is
    # wrong (a photo placed one row off lines up every box but the list's ends with a neighbour's
    # outline), not a few outlines hidden by ink. A share of the boxes (n/4) let such a sheet
    # through: 5 misaligned of 20, the 15 others read from their neighbours.
    return bool(reads) and sum(r.why == "misaligned" for r in reads) > 2


def read_page(path: str, page: int, election: Election, secret: bytes, evidence: bool = True) -> PageRead:
    try:
        gray = sources.load(Path(path), page)
    except FileRefused as exc:
        return PageRead(path, page, error=(exc.reason, exc.detail))
    except (OSError, MemoryError, ValueError) as exc:
        return PageRead(path, page, error=(sources.UNREADABLE, str(exc)))
    return read_gray(gray, election, secret, source=path, page=page, evidence=evidence)


def read_gray(
    gray: np.ndarray, election: Election, secret: bytes, *, source: str = "", page: int = 1, evidence: bool = True
) -> PageRead:
    digest = image_hash(gray)
    try:
        first: reading.Located | None = reading.locate(gray)
    except PageRefused as exc:
        if exc.reason == reading.NOT_A_BALLOT and _shows_our_code(gray, election, secret):
            # No corner squares to place it by, yet one of our codes on it: a ballot whose squares
            # the scanner's frame cut off (or hid), never "not a ballot". Rescan it straight.
            seen = PageRefused(reading.ALIGNMENT_FAILED, PageProblem.CODE_SEEN_SQUARES_NOT)
            return PageRead(source, page, digest, error=(seen.reason, seen.detail))
        if exc.reason not in (reading.ALIGNMENT_FAILED, reading.UNREADABLE_QR):
            return PageRead(source, page, digest, error=(exc.reason, exc.detail))
        refused: PageRead | None = PageRead(source, page, digest, error=(exc.reason, exc.detail))
        first = None
    else:
        refused = None
    want = None
    bitonal = copies.one_bit(gray)  # the page's, once: every placement's boxes and the batch notice
    best: tuple[int, reading.Located, geometry.Layout, Payload, list[marks.BoxRead]] | None = None

    def last_resort() -> Iterator[reading.Located]:
        # Asked only when every other placement failed (read lazily, after them): the parallelogram
        # of three squares, which the code's fit overrules on a page that only looks flat.
        if best is None:
            yield from reading.parallelogram(gray)

    for loc in itertools.chain([first] if first else [], reading.relocations(gray), last_resort()):
        # Placed again (boxes misaligned, or refused): from three squares and a code (`relocations`).
        try:
            payload = qrcode_payload.decode(loc.qr_text, secret, election.fingerprint)
        except CodeRefused as exc:
            if loc is first:
                return PageRead(source, page, digest, error=(exc.reason, exc.detail))
            continue
        if want is not None and (payload.serial, payload.sheet, payload.variant) != want:
            continue  # another placement must find the same sheet (either of its two codes)
        want = (payload.serial, payload.sheet, payload.variant)
        lay = geometry.layout(election, payload.variant, payload.frame)
        if payload.sheets != lay.sheets or payload.sheet > lay.sheets:
            return PageRead(
                source,
                page,
                digest,
                error=(qrcode_payload.NOT_OURS, "sheet count does not match the layout"),
                payload=payload,
            )
        loc, reads = _read_boxes(gray, loc, lay, payload.sheet, bitonal)
        if reads is None:
            if refused is None:
                wrong = PageRefused(reading.ALIGNMENT_FAILED, PageProblem.BOXES_NOT_IN_PLACE)
                refused = PageRead(source, page, digest, error=(wrong.reason, wrong.detail), payload=payload)
            continue
        off = sum(r.why == "misaligned" for r in reads)
        if off == 0:
            return _page_read(gray, loc, lay, payload, reads, source, page, digest, evidence, bitonal)
        # One or two boxes not lined up: ink over an outline, or a placement a little wrong there
        # (a stain taken for a square that the outlines nearly put right). Another placement that
        # lines every box up is better; else this one, those boxes to a person.
        if best is None or off < best[0]:
            best = (off, loc, lay, payload, reads)
    if best is not None:
        _, loc, lay, payload, reads = best
        return _page_read(gray, loc, lay, payload, reads, source, page, digest, evidence, bitonal)
    assert refused is not None
    return refused


def _page_read(
    gray: np.ndarray,
    loc: reading.Located,
    lay: geometry.Layout,
    payload: Payload,
    reads: list[marks.BoxRead],
    source: str,
    page: int,
    digest: str,
    evidence: bool,
    bitonal: bool,
) -> PageRead:
    boxes = tuple(BoxResult(r.box.question, r.box.key, r.state.value, round(r.cover, 4), r.why) for r in reads)
    crops, sheet_jpg = b"", b""
    if evidence:
        if reads:
            ok, buf = cv2.imencode(".png", np.hstack([r.crop for r in reads]))
            crops = buf.tobytes() if ok else b""
        w, h = lay.page_size
        straight = reading.warp(gray, loc.homography, (0, 0, w, h), EVIDENCE_SCALE)
        ok, buf = cv2.imencode(".jpg", straight, [cv2.IMWRITE_JPEG_QUALITY, 70])
        sheet_jpg = buf.tobytes() if ok else b""
    reasons = copies.sheet_reasons([r.why for r in reads], payload.sheet)
    return PageRead(
        source,
        page,
        digest,
        payload=payload,
        boxes=boxes,
        reasons=reasons,
        crops_png=crops,
        sheet_jpg=sheet_jpg,
        one_bit=bitonal,  # copies.one_bit(gray), computed once in read_gray
    )
