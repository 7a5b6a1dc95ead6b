"""One page in, one `PageRead` out: the pure, picklable part of scanning (runs in worker processes).

Contract: `read_gray(gray, election, secret)` and `read_page(path, page, election, secret)`
never raise for bad input: every failure becomes `PageRead.error = (reason, detail)`. They touch
no store; authentication (MAC, election) happens here because the key is needed to trust the
sheet number and variant before looking at boxes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ballots.election import Election
from ballots.errors import CodeRefused, FileRefused, PageRefused
from ballots.paper import alignment, geometry, marks, qrcode_payload, reading, sources
from ballots.paper.issued import EVIDENCE_SCALE
from ballots.paper.qrcode_payload import Payload


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
    crops_png: bytes = b""
    sheet_jpg: bytes = b""


def image_hash(gray: np.ndarray) -> str:
    """Hash of the decoded pixels (subsampled: same decode, same hash; 50x cheaper than all)."""
    h = hashlib.sha256(f"{gray.shape}".encode())
    h.update(np.ascontiguousarray(gray[::3, ::3]).data)  # its buffer: the same bytes, one copy fewer
    return h.hexdigest()


def _read_boxes(
    gray: np.ndarray, loc: reading.Located, lay: geometry.Layout, sheet: int
) -> tuple[reading.Located, list[marks.BoxRead]]:
    if loc.from_code:  # a photo's fourth corner placed from a code: the box outlines fit it better
        loc = alignment.refine(gray, loc, lay, sheet)
    return loc, marks.read_boxes(gray, loc, lay, sheet)


def _misaligned(reads: list[marks.BoxRead]) -> bool:
    return bool(reads) and sum(r.why == "misaligned" for r in reads) > max(2, len(reads) // 4)


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
        loc = reading.locate(gray)
    except PageRefused as exc:
        if exc.reason not in (reading.ALIGNMENT_FAILED, reading.UNREADABLE_QR):
            return PageRead(source, page, digest, error=(exc.reason, exc.detail))
        try:  # a photo's odd fourth "square", or three seen at an angle: placed from a code
            loc = reading.locate(gray, from_code=True)
        except PageRefused:
            return PageRead(source, page, digest, error=(exc.reason, exc.detail))
    try:
        payload = qrcode_payload.decode(loc.qr_text, secret, election.fingerprint)
    except CodeRefused as exc:
        return PageRead(source, page, digest, error=(exc.reason, exc.detail))
    lay = geometry.layout(election, payload.variant, payload.frame)
    if payload.sheets != lay.sheets or payload.sheet > lay.sheets:
        return PageRead(
            source,
            page,
            digest,
            error=(qrcode_payload.NOT_OURS, "sheet count does not match the layout"),
            payload=payload,
        )
    loc, reads = _read_boxes(gray, loc, lay, payload.sheet)
    if _misaligned(reads) and not loc.from_code:
        # The boxes are not where the squares put them: three at a right angle taken for a flat
        # scan (a photo at an angle that looked flat there), or a photo's fourth "square" that is
        # something else. Place the page from three squares and a code.
        try:
            again = reading.locate(gray, from_code=True)
            same = qrcode_payload.decode(again.qr_text, secret, election.fingerprint)
        except (PageRefused, CodeRefused):
            same = None
        # The same sheet (the code read may be the other one of the two, its position letter aside).
        if same is not None and (same.serial, same.sheet, same.variant) == (
            payload.serial,
            payload.sheet,
            payload.variant,
        ):
            loc, reads = _read_boxes(gray, again, lay, payload.sheet)
    if _misaligned(reads):
        error = (reading.ALIGNMENT_FAILED, "box outlines not where expected")
        return PageRead(source, page, digest, error=error, payload=payload)
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
    return PageRead(source, page, digest, payload=payload, boxes=boxes, crops_png=crops, sheet_jpg=sheet_jpg)
