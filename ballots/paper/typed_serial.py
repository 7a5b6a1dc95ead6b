"""A page whose QR code cannot be read, adopted under the serial printed beside it (typed by staff).

Contract: `adopt(store, source, page, typed, *, sheet=1, actor)` returns the ballot, now in review,
or raises `TypedSerialRefused` (reason code + words) and changes nothing.

What authenticates such a page: staff type the serial *and* the 6-character check code printed
beside it (`ballots.paper.check_code`, a 30-bit HMAC under the election's secret over the
election, serial and sheet), so the MAC is still checked. Besides, the serial must have been
issued for this election (40 random bits), must be an official one, and no sheet with this
serial and sheet number may have been scanned already (that would be a copy);
the page must carry the four alignment marks; and the ballot always goes to review, where a
person confirms every box. The reader's own functions straighten the page from its marks (the
side where the QR square is darkest is the top, as the reader does) and read the boxes.

A domain service (no Qt): the counting window's rejected list calls it; so can any front end.
Written in one transaction: the sheet with its evidence (straightened image, box crops), the
ballot (new, or updated for a ballot whose other sheets were read), the removal of the page from
the unattributed list and an audit entry naming who typed the serial.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ballots import audit
from ballots.ballot import Ballot, BallotStatus, Channel, new_ballot
from ballots.election import Election
from ballots.errors import FileRefused, PageRefused, UrneError
from ballots.paper import check_code, fiducials, geometry, ids, issued, ledger, marks, reading, scan, sources
from ballots.paper.issued import EVIDENCE_SCALE, StoredSheet
from ballots.paper.sheet import image_hash
from ballots.reasons import Code, of
from ballots.store import Store

UNREADABLE_QR = of(Code.UNREADABLE_QR)
TYPED = of(Code.TYPED_SERIAL)
SERIAL = re.compile(r"[A-Z2-7]{8}")


@dataclass
class TypedSerialRefused(UrneError):
    reason: str  # bad_format | not_issued | other_election | test_serial | bad_sheet | already_scanned | not_a_ballot
    words: str

    def message(self) -> str:
        return self.words


def normalise(typed: str) -> str:
    """'abcd efgh' -> 'ABCDEFGH' (the ballot prints the serial in two groups of four)."""
    return re.sub(r"[\s\-.]", "", typed).upper()


def _orient(
    gray: np.ndarray, corners: fiducials.Corners, election: Election, variant: str, sheet: int
) -> tuple[np.ndarray, geometry.Layout, list[marks.BoxRead], float]:
    """The frame and the turn (0 or 180°) under which this sheet's box outlines are where its
    layout puts them: both codes may be unreadable, and frame 2 has a code at each end, so
    neither the codes nor their ink can tell up from down. Returns the homography, the layout,
    the boxes read and the paper level."""
    page = geometry.PAGE_SIZES[geometry.VARIANTS[variant][0]]
    quad = fiducials.refine_marks(gray, corners.points, corners.real)
    best: tuple[int, np.ndarray, geometry.Layout, list[marks.BoxRead]] | None = None
    for version, frame in geometry.FRAMES.items():
        lay = geometry.layout(election, variant, version)
        for turn in (0, 2):
            h = reading.page_homography(np.roll(quad, -turn, axis=0), page, frame)
            loc = _located(gray, h, page, frame, corners.paper)
            reads = marks.read_boxes(gray, loc, lay, sheet)
            seen = sum(r.why != "misaligned" for r in reads)
            if best is None or seen > best[0]:
                best = (seen, h, lay, reads)
    assert best is not None
    return best[1], best[2], best[3], corners.paper


def _located(
    gray: np.ndarray, h: np.ndarray, page: tuple[float, float], frame: geometry.Frame, paper_level: float
) -> reading.Located:
    corners = cv2.perspectiveTransform(np.array(geometry.mark_centres(page, frame), np.float64).reshape(1, -1, 2), h)[0]
    scale = float(np.linalg.norm(corners[1] - corners[0]) / (page[0] - 2 * frame.mark_inset))
    ink = _ink(gray, corners)
    return reading.Located(h, "", ink, paper_level, scale, ink / paper_level if paper_level > ink + 25 else 0.0)


def _ink(gray: np.ndarray, corners: np.ndarray) -> float:
    values = []
    for x, y in corners:
        xi, yi = int(round(x)), int(round(y))
        patch = gray[max(yi - 3, 0) : yi + 4, max(xi - 3, 0) : xi + 4]
        if patch.size:
            values.append(float(np.median(patch)))
    return float(np.median(values)) if values else 0.0


def adopt(store: Store, source: str, page: int, typed: str, *, sheet: int = 1, actor: str) -> Ballot | None:
    issued.ensure(store)
    ledger.ensure(store)
    cleaned = normalise(typed).replace("CODE", "").replace("·", "")
    serial, code = cleaned[:8], cleaned[8:]
    if not SERIAL.fullmatch(serial) or len(code) != check_code.LENGTH:
        raise TypedSerialRefused(
            "bad_format",
            f"« {typed} » : tapez le numéro (8 caractères) puis le code (6 caractères) imprimés sous le titre",
        )
    election = store.election()
    info = issued.issued(store, serial)
    if info is None:
        raise TypedSerialRefused("not_issued", f"le numéro {serial} n'a jamais été émis pour cette élection")
    if info.election != election.id:
        raise TypedSerialRefused("other_election", f"le numéro {serial} appartient à une autre élection")
    if info.test:
        raise TypedSerialRefused("test_serial", f"le numéro {serial} est celui d'un bulletin de test")
    try:
        check_code.verify(store.election_secret(), election.fingerprint, serial, sheet, code)
    except check_code.CheckCodeError:
        raise TypedSerialRefused(
            "bad_code", f"le code ne correspond pas au bulletin {serial} : vérifiez la saisie"
        ) from None
    if not 1 <= sheet <= info.sheets:
        raise TypedSerialRefused("bad_sheet", f"ce bulletin a {info.sheets} feuille(s)")
    if any(s.sheet == sheet for s in issued.sheets_of(store, serial)):
        raise TypedSerialRefused(
            "already_scanned", f"la feuille {sheet} du bulletin {serial} a déjà été lue : cette page serait une copie"
        )
    try:
        gray = sources.load(Path(source), page)
        corners = fiducials.find_corners(gray)
    except (FileRefused, PageRefused) as exc:
        raise TypedSerialRefused(
            "not_a_ballot", f"cette page ne peut pas être lue comme un bulletin ({exc.detail or exc.reason})"
        ) from exc
    page_size = geometry.PAGE_SIZES[geometry.VARIANTS[info.variant][0]]
    h, lay, reads, _ = _orient(gray, corners, election, info.variant, sheet)
    sheet_marks = {r.box.key: r.state.value for r in reads}
    digest = image_hash(gray)
    evidence = issued.evidence_root(store) / serial / f"{sheet}-{digest[:12]}"
    evidence.mkdir(parents=True, exist_ok=True)
    straight = reading.warp(gray, h, (0, 0, *page_size), EVIDENCE_SCALE)
    cv2.imwrite(str(evidence / "sheet.jpg"), straight, [cv2.IMWRITE_JPEG_QUALITY, 70])
    if reads:
        cv2.imwrite(str(evidence / "boxes.png"), np.hstack([r.crop for r in reads]))
    row = StoredSheet(digest, serial, sheet, source, page, "review", (UNREADABLE_QR, TYPED), sheet_marks, str(evidence))
    with store.transaction() as db:
        issued.record_sheet(db, election.id, row)
        merged: dict[str, str] = {}
        for s in issued.sheets_of(store, serial):
            merged.update(s.marks)
        selection, reasons = scan.selection_from_marks(election, merged)
        stored_id = ids.for_store(store, serial)
        ballot = new_ballot(election, selection, channel=Channel.PAPER, device=store.device, ballot_id=stored_id)
        ballot = dataclasses.replace(
            ballot, status=BallotStatus.REVIEW, reasons=(UNREADABLE_QR, TYPED, *reasons, *ballot.reasons)
        )
        if store.ballot(stored_id) is None:
            store.cast(ballot, require_open=False)
        else:
            store.set_status(stored_id, BallotStatus.REVIEW, actor=actor, selection=ballot.selection, note=TYPED)
            store.set_reasons(db, stored_id, ballot.reasons)
        ledger.forget(db, source, page)
        audit.append(
            db,
            actor,
            "paper.typed_serial",
            {"serial": serial, "ballot": stored_id, "sheet": sheet, "source": str(source), "page": page},
        )
    return store.ballot(ids.for_store(store, serial))
