"""Rejected sheets, for the commission: the list with reasons and an image of each, as a PDF.

Contract:
- `rejected_sheets(store)` lists every official or test sheet that does not count: paper ballots
  with status rejected (their straightened evidence image) and scanned pages that belong to no
  ballot (`ledger.unattributed`, imaged from their source file, page by page).
- `sheet_jpeg(sheet)` gives the image as JPEG bytes, or b"" when it cannot be read any more
  (file moved, unreadable page): the PDF then says so instead of failing.
- `write_pdf(store, path)` writes the list, one sheet per block with its image, atomically.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ballots.ballot import BallotStatus
from ballots.durable import atomic_write
from ballots.paper import ledger
from ballots.report.labels import channel_label, reason_label
from ballots.report.styles import BODY, H1, H1SUB, SMALL
from ballots.report.words import esc, plural_fr


@dataclass(frozen=True)
class RejectedSheet:
    ballot: str  # serial, or "" when the page carries none that could be read
    channel: str
    reasons: tuple[str, ...]
    source: str  # file the page came from
    page: int
    image: str  # evidence JPEG path, or "" to render from `source`
    test: bool = False

    @property
    def title(self) -> str:
        return f"Bulletin n° {self.ballot}" if self.ballot else "Page sans numéro lisible"


def rejected_sheets(store: Any) -> list[RejectedSheet]:
    out: list[RejectedSheet] = []
    for b in store.ballots(status=BallotStatus.REJECTED, include_test=True):
        image, source, page = "", "", 0
        if b.channel.value == "paper":
            from ballots.paper import issued  # optional part: only paper ballots have images

            copies = issued.sheet_evidence(store, b.id)
            if copies:
                image, source, page = str(copies[0].image), copies[0].source, copies[0].page
        out.append(RejectedSheet(b.id, b.channel.value, tuple(b.reasons), source, page, image, b.test))
    for u in ledger.unattributed(store):
        out.append(RejectedSheet(u.serial, "paper", u.reasons, u.source, u.page, ""))
    return out


def sheet_jpeg(sheet: RejectedSheet, max_side: int = 1100) -> bytes:
    """The sheet's picture (evidence, or the source page itself), or b"" if it cannot be read."""
    if sheet.image and Path(sheet.image).exists():
        return Path(sheet.image).read_bytes()
    if not sheet.source:
        return b""
    try:
        import cv2

        from ballots.paper import sources

        gray = sources.load(Path(sheet.source), max(sheet.page, 1))
    except Exception:  # noqa: BLE001 - a page we cannot read is shown as such, not raised
        return b""
    scale = max_side / max(gray.shape)
    if scale < 1:
        gray = cv2.resize(gray, (int(gray.shape[1] * scale), int(gray.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, 75])
    return buf.tobytes() if ok else b""


def pdf_bytes(store: Any) -> bytes:
    election = store.election()
    sheets = rejected_sheets(store)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=f"Bulletins rejetés — {election.title.get('fr')}")  # fmt: skip
    story: list[Any] = [
        Paragraph(esc(election.organiser.upper()), BODY),
        Paragraph("BULLETINS ET FEUILLES REJETÉS", H1),
        Paragraph(esc(election.title.get("fr")), H1SUB),
        Spacer(1, 4 * mm),
        Paragraph(
            f"{plural_fr(len(sheets), 'feuille rejetée', 'feuilles rejetées')}. Pour chacune : son numéro, le fichier numérisé, le motif et "
            "l'image lue, pour examen par la commission.",
            BODY,
        ),  # fmt: skip
        Spacer(1, 4 * mm),
    ]
    for i, s in enumerate(sheets, start=1):
        data = sheet_jpeg(s)
        picture: Any = Paragraph("(image indisponible)", SMALL)
        if data:
            reader = ImageReader(io.BytesIO(data))
            w, h = reader.getSize()
            width = 62 * mm
            picture = Image(io.BytesIO(data), width=width, height=width * h / w)
        where = f"{Path(s.source).name}, page {s.page}" if s.source else "—"
        text = [
            Paragraph(f"<b>{i}. {esc(s.title)}</b>" + (" — TEST" if s.test else ""), BODY),
            Paragraph(f"Canal : {channel_label(s.channel)}", BODY),
            Paragraph(f"Fichier : {esc(where)}", BODY),
            Paragraph("Motif : <b>" + esc(", ".join(reason_label(r) for r in s.reasons) or "—") + "</b>", BODY),
            Spacer(1, 6 * mm),
            Paragraph("Avis de la commission : " + "." * 60, SMALL),
        ]
        t = Table([[picture, text]], colWidths=[66 * mm, 108 * mm])
        t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [KeepTogether([t]), Spacer(1, 4 * mm)]
    if not sheets:
        story.append(Paragraph("Aucune feuille rejetée.", BODY))
    doc.build(story)
    return buf.getvalue()


def write_pdf(store: Any, path: str | os.PathLike[str]) -> Path:
    return atomic_write(path, pdf_bytes(store), make_parents=True)
