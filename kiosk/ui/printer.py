"""Blank ballots to a real printer, through the system's print dialog (QPrintDialog).

The ballots are laid out by `ballots.paper.printing` as a PDF, as for every other front end;
here each page is rasterised (pypdfium2, at the printer's resolution up to 300 dpi) and painted
on the QPrinter at full-page scale: a printed ballot must keep its geometry (fiducials, boxes),
never be shrunk to the printer's margins. Painting runs in the staff job's worker thread (Qt
allows QPainter on a QPrinter off the UI thread); only the dialog is on the UI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from ballots.errors import UrneError

MAX_DPI = 300


class PrintFailed(UrneError):
    """The printer would not start (no printer, a cancelled spooler)."""

    def message(self) -> str:
        return "l'imprimante n'a pas démarré"


def print_pdf(pdf: Path, printer: QPrinter) -> int:
    """Paint every page of `pdf` on `printer`, full page, at scale 1; returns the pages printed."""
    import pypdfium2 as pdfium

    printer.setFullPage(True)
    document = pdfium.PdfDocument(str(pdf))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed()
    try:
        dpi = min(printer.resolution(), MAX_DPI)
        pages = len(document)
        for i in range(pages):
            if i and not printer.newPage():
                raise PrintFailed()
            page = document[i]
            width_pt, height_pt = page.get_size()
            picture = page.render(scale=dpi / 72).to_pil().convert("RGB")
            data = picture.tobytes()
            image = QImage(data, picture.width, picture.height, 3 * picture.width, QImage.Format.Format_RGB888)
            # Points to printer pixels: the page keeps its size in millimetres on paper.
            scale = printer.resolution() / 72
            target = QRectF(0, 0, width_pt * scale, height_pt * scale)  # full page: (0, 0) is the paper's corner
            painter.drawImage(target, image)
        return pages
    finally:
        painter.end()
        document.close()


def new_printer() -> QPrinter:
    return QPrinter(QPrinter.PrinterMode.HighResolution)


def ask(printer: QPrinter, stylesheet: str = "") -> bool:
    """The system's print dialog (printer, copies, paper), in the kiosk's `stylesheet`; True when
    the staff chose Print."""
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QApplication, QDialog

    dialog = QPrintDialog(printer, QApplication.activeWindow())
    if stylesheet:
        dialog.setStyleSheet(stylesheet)
    return dialog.exec() == QDialog.DialogCode.Accepted
