"""Printing ballots to PDF with reportlab, exactly as `geometry.layout` says.

Contract: `print_ballots(store, count, out, page_size="A4", large_print=False, test=False)`
issues `count` fresh serials in the store (one transaction), then writes one PDF with every
sheet of every ballot, in order (ballot 1 sheet 1, ballot 1 sheet 2, ballot 2 sheet 1, ...).
It returns the serials. If writing the PDF fails, the serials stay issued but unprinted, which
is harmless (an unprinted serial can never be scanned). `render_ballot` draws one ballot on an
open canvas with marks pre-drawn (test decks).

A ballot that checks itself: before any serial is issued, `check_layout` prints one probe
ballot of the same election and variant to memory, renders every sheet at CHECK_DPI (a clean
scan) and reads it back with the reader. A layout that does not read back as this ballot with
every box blank raises `SelfCheckError` naming the sheet and the cause: nothing is issued and
no PDF is written. Checked layouts are remembered for the life of the process.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import segno
from reportlab.pdfgen.canvas import Canvas

from ballots.election import Election
from ballots.errors import UrneError
from ballots.paper import check_code, fonts, frames, geometry, issued, qrcode_payload
from ballots.paper.geometry import MARK_SIZE, Layout
from ballots.store import Store

CHECK_DPI = 200
PROBE_SERIAL = "AAAAAAAA"  # never issued: issue() draws random serials and a probe is never written
BOX_NOT_BLANK = "box_not_blank"
WRONG_SHEET = "wrong_sheet_read"
_CHECKED: set[tuple[str, str, bool, int]] = set()


@dataclass
class SelfCheckError(UrneError):
    """A printed layout that the reader does not read back blank: printing is refused."""

    variant: str
    sheet: int
    reason: str  # a reading reason (not_a_ballot, unreadable_qr, ...) or BOX_NOT_BLANK / WRONG_SHEET
    detail: str = ""

    def message(self) -> str:
        size, large = geometry.VARIANTS.get(self.variant, ("?", False))
        fmt = f"{size}{' gros caractères' if large else ''}"
        return (
            f"impression refusée : la feuille {self.sheet} du bulletin ({fmt}) ne se relit pas à blanc "
            f"({self.reason}{': ' + self.detail if self.detail else ''}) ; rien n'a été émis"
        )


def print_ballots(
    store: Store,
    count: int,
    out: str | os.PathLike[str],
    page_size: str = "A4",
    large_print: bool = False,
    *,
    test: bool = False,
    marks: list[Mapping[str, set[str]]] | None = None,
    frame: int = geometry.CURRENT.version,
) -> list[str]:
    """Issue `count` serials and write their ballots to the PDF `out`; returns the serials.

    `marks` (test decks only) gives, per ballot, the box keys to pre-mark on each question.
    `frame` 1 prints ballots as they were before frame 2 (tests that old ballots stay readable).
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    election = store.election()
    variant = geometry.variant_for(page_size, large_print)
    lay = geometry.layout(election, variant, frame)
    check_layout(election, variant, store.election_secret(), test=test, frame=frame)
    serials = issued.issue(store, count, sheets=lay.sheets, variant=variant, test=test)
    secret = store.election_secret()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    canvas = Canvas(str(out), pagesize=lay.page_size, pageCompression=1)
    canvas.setTitle(f"{election.title.get('fr')} — bulletins")
    canvas.setAuthor("Urne")
    for i, serial in enumerate(serials):
        render_ballot(canvas, election, lay, secret, serial, test=test, marks=marks[i] if marks else None)
    canvas.save()
    return serials


def render_ballot(
    canvas: Canvas,
    election: Election,
    lay: Layout,
    secret: bytes,
    serial: str,
    *,
    test: bool = False,
    marks: Mapping[str, set[str]] | None = None,
) -> None:
    """Draw every sheet of one ballot (one PDF page per sheet)."""
    h = lay.page_size[1]
    reg, bold = fonts.regular(), fonts.bold()
    for sheet in range(1, lay.sheets + 1):
        canvas.setFillGray(0)
        canvas.setStrokeGray(0)
        for cx, cy in lay.marks:
            canvas.rect(cx - MARK_SIZE / 2, h - cy - MARK_SIZE / 2, MARK_SIZE, MARK_SIZE, stroke=0, fill=1)
        # One code per corner region (frame 2: top-left and bottom-right), each naming its place.
        for (qx, qy, qs, _), position in zip(lay.code_rects, (qrcode_payload.TOP, qrcode_payload.BOTTOM), strict=False):
            payload = qrcode_payload.encode(
                secret,
                election.fingerprint,
                serial,
                sheet,
                lay.sheets,
                lay.variant,
                test,
                frame=lay.frame.version,
                position=position,
            )
            _draw_qr(canvas, payload, qx, h - qy - qs, qs)
        code = check_code.printed(secret, election.fingerprint, serial, sheet)
        line = lay.ballot_line
        canvas.setFont(reg, line.size)
        canvas.drawString(
            line.x, h - line.y, f"Bulletin n° {serial[:4]} {serial[4:]} · code {code} — feuille {sheet}/{lay.sheets}"
        )
        if test:
            t = lay.test_line
            canvas.setFont(bold, t.size)
            canvas.drawString(t.x, h - t.y, "BULLETIN DE TEST — NE COMPTE PAS")
        else:
            t = lay.advice_line
            canvas.setFont(bold, t.size)
            canvas.drawString(t.x, h - t.y, t.text)
        for t in lay.texts:
            if t.sheet not in (0, sheet):
                continue
            canvas.setFont(bold if t.bold else reg, t.size)
            if t.align == "right":
                canvas.drawRightString(t.x, h - t.y, t.text)
            else:
                canvas.drawString(t.x, h - t.y, t.text)
        canvas.setLineWidth(lay.style.line)
        for b in lay.sheet_boxes(sheet):
            x, y, w, bh = b.rect
            # The outline's centre line is inset so its outer edge is exactly the rect.
            k = lay.style.line / 2
            canvas.rect(x + k, h - y - bh + k, w - 2 * k, bh - 2 * k, stroke=1, fill=0)
            if marks and b.key in marks.get(b.question, set()):
                _cross(canvas, x, h - y - bh, w)
        canvas.showPage()


def check_layout(
    election: Election, variant: str, secret: bytes, *, test: bool = False, frame: int = geometry.CURRENT.version
) -> None:
    """Print a probe ballot to memory, render each sheet at CHECK_DPI, read it back: all blank, or
    SelfCheckError. Raises geometry.LayoutError when the election cannot be laid out at all."""
    key = (election.fingerprint, variant, test, frame)
    if key in _CHECKED:
        return
    from ballots.paper import sheet as sheet_mod  # the reader imports this package's geometry only

    lay = geometry.layout(election, variant, frame)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=lay.page_size, pageCompression=1)
    render_ballot(canvas, election, lay, secret, PROBE_SERIAL, test=test)
    canvas.save()
    for n, gray in enumerate(render_pdf(buf.getvalue(), CHECK_DPI), start=1):
        read = sheet_mod.read_gray(gray, election, secret, evidence=False)
        if read.error is not None:
            raise SelfCheckError(variant, n, read.error[0], read.error[1])
        if read.payload is None or read.payload.sheet != n or read.payload.serial != PROBE_SERIAL:
            raise SelfCheckError(variant, n, WRONG_SHEET)
        inked = [b for b in read.boxes if b.state != "blank"]
        if inked or len(read.boxes) != len(lay.sheet_boxes(n)):
            detail = ", ".join(f"{b.question}/{b.key} {b.state} ({b.why})" for b in inked[:3])
            raise SelfCheckError(variant, n, BOX_NOT_BLANK, detail)
    _CHECKED.add(key)


def render_pdf(pdf: bytes | str | os.PathLike[str], dpi: int) -> list[np.ndarray]:
    """Every page of a PDF as a grey image (pdfium, in process)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    pages = []
    try:
        for i in range(len(doc)):
            arr = doc[i].render(scale=dpi / 72, grayscale=True).to_numpy()
            pages.append(arr[..., 0].copy() if arr.ndim == 3 else arr)
    finally:
        doc.close()
    return pages


def _draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code (error correction H, version 3) as filled runs of modules, bottom-left at (x, y).

    segno builds the matrix in ~10 ms where reportlab's widget took ~150 ms per code (a drawing
    node per module): the self-check and a 1 000-ballot print run both draw thousands of codes.
    """
    qr = segno.make_qr(text, error="H", version=frames.QR_VERSION, boost_error=False)
    rows = qr.matrix
    n = len(rows)
    m = size / n
    path = canvas.beginPath()
    for r, row in enumerate(rows):
        c = 0
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            # A hair taller than a module: no light seam between rows where a renderer rounds.
            path.rect(x + start * m, y + size - (r + 1) * m - 0.02, (c - start) * m, m + 0.04)
    canvas.drawPath(path, stroke=0, fill=1)


def _cross(canvas: Canvas, x: float, y: float, w: float) -> None:
    """A printed X for test decks (the bench draws hand-like marks on rendered images instead)."""
    canvas.saveState()
    canvas.setLineWidth(w * 0.12)
    canvas.line(x + w * 0.15, y + w * 0.15, x + w * 0.85, y + w * 0.85)
    canvas.line(x + w * 0.15, y + w * 0.85, x + w * 0.85, y + w * 0.15)
    canvas.restoreState()
