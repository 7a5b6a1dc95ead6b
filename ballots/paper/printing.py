"""Printing ballots to PDF with reportlab, exactly as `geometry.layout` says.

Contract: `print_ballots(store, count, out, page_size="A4", large_print=False, test=False)`
issues `count` fresh serials in the store (one transaction), then writes one PDF with every
sheet of every ballot, in order (ballot 1 sheet 1, ballot 1 sheet 2, ballot 2 sheet 1, ...).
It returns the serials. If writing the PDF fails, the serials stay issued but unprinted, which
is harmless (an unprinted serial can never be scanned). `render_ballot` draws one ballot on an
open canvas with marks pre-drawn (test decks).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.renderPDF import draw as draw_drawing
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from ballots.election import Election
from ballots.paper import check_code, geometry, issued, qrcode_payload
from ballots.paper.geometry import FONT, FONT_BOLD, MARK_SIZE, MM, Layout
from ballots.store import Store


def print_ballots(
    store: Store,
    count: int,
    out: str | os.PathLike[str],
    page_size: str = "A4",
    large_print: bool = False,
    *,
    test: bool = False,
    marks: list[Mapping[str, set[str]]] | None = None,
) -> list[str]:
    """Issue `count` serials and write their ballots to the PDF `out`; returns the serials.

    `marks` (test decks only) gives, per ballot, the box keys to pre-mark on each question.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    election = store.election()
    variant = geometry.variant_for(page_size, large_print)
    lay = geometry.layout(election, variant)
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
    for sheet in range(1, lay.sheets + 1):
        payload = qrcode_payload.encode(secret, election.fingerprint, serial, sheet, lay.sheets, lay.variant, test)
        canvas.setFillGray(0)
        canvas.setStrokeGray(0)
        for cx, cy in lay.marks:
            canvas.rect(cx - MARK_SIZE / 2, h - cy - MARK_SIZE / 2, MARK_SIZE, MARK_SIZE, stroke=0, fill=1)
        qx, qy, qs, _ = lay.qr_rect
        widget = QrCodeWidget(
            payload, barLevel="H", qrVersion=geometry.QR_VERSION, barBorder=0, barWidth=qs, barHeight=qs
        )
        d = Drawing(qs, qs)
        d.add(widget)
        draw_drawing(d, canvas, qx, h - qy - qs)
        hx, hy = lay.header_origin
        canvas.setFont(FONT_BOLD, 14 if lay.style.text < 12 else 17)
        canvas.drawString(hx, h - hy, geometry.fit(election.title.get("fr"), FONT_BOLD, 14, 110 * MM, 10)[0])
        canvas.setFont(FONT, 9 if lay.style.text < 12 else 12)
        code = check_code.printed(secret, election.fingerprint, serial, sheet)
        sub = f"Bulletin n° {serial[:4]} {serial[4:]} · code {code} — feuille {sheet}/{lay.sheets}"
        canvas.drawString(hx, h - hy - 14, sub)
        if election.organiser:
            canvas.drawString(hx, h - hy - 26, geometry.fit(election.organiser, FONT, 9, 110 * MM, 7)[0])
        if test:
            canvas.setFont(FONT_BOLD, 12)
            canvas.drawString(hx, h - hy - 40, "BULLETIN DE TEST — NE COMPTE PAS")
        for t in lay.texts:
            if t.sheet != sheet:
                continue
            canvas.setFont(FONT_BOLD if t.bold else FONT, t.size)
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
        canvas.setFont(FONT, 7)
        canvas.drawString(
            geometry.MARK_INSET + MARK_SIZE,
            9 * MM,
            f"Urne · {election.id} · empreinte {election.fingerprint[:6]} · "
            "ne cochez que dans les cases ; ne pliez pas sur les cases",
        )
        canvas.showPage()


def _cross(canvas: Canvas, x: float, y: float, w: float) -> None:
    """A printed X for test decks (the bench draws hand-like marks on rendered images instead)."""
    canvas.saveState()
    canvas.setLineWidth(w * 0.12)
    canvas.line(x + w * 0.15, y + w * 0.15, x + w * 0.85, y + w * 0.85)
    canvas.line(x + w * 0.15, y + w * 0.85, x + w * 0.85, y + w * 0.15)
    canvas.restoreState()
