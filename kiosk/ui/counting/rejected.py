"""Rejected sheets: the list with each reason and image, and its export as a PDF for the commission.

The list comes from `ballots.report.rejected.rejected_sheets` (rejected paper ballots and scanned
pages that belong to no ballot). Images are read on demand; the PDF is written on a pool thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QPixmap, QTransform
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ballots.paper import typed_serial
from ballots.report import rejected as report_rejected
from ballots.report.labels import channel_label, reason_label
from ballots.store import Store
from kiosk.ui.counting.common import Job, fill_table, label, table, tr_n

HEADERS = ["Bulletin", "Canal", "Fichier", "Page", "Motif"]
LEGIBLE_WIDTH = 1000  # px across the sheet: ~120 px per inch on A4, 10 pt print about 17 px high


class RejectedView(QWidget):
    exported = Signal(str)
    adopted = Signal(str)  # serial typed for a page whose QR was unreadable

    def __init__(self, store: Store, *, actor: str = "commission") -> None:
        super().__init__()
        self.store = store
        self.actor = actor
        self.sheets: list[report_rejected.RejectedSheet] = []
        self._jobs: list[Job] = []
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(label("Feuilles rejetées", "title"))
        bar.addStretch(1)
        self.serial_button = QPushButton("Saisir le numéro imprimé…")
        self.serial_button.setToolTip(
            "QR illisible : saisissez le numéro imprimé à côté ; le bulletin passe en examen."
        )
        self.serial_button.clicked.connect(self._ask_serial)
        bar.addWidget(self.serial_button)
        self.export_button = QPushButton("Exporter en PDF pour la commission…")
        self.export_button.clicked.connect(self._ask_export)
        bar.addWidget(self.export_button)
        outer.addLayout(bar)
        self.status = label("", "hint")
        outer.addWidget(self.status)
        row = QHBoxLayout()
        self.table = table(HEADERS, [], stretch=4)
        self.table.currentCellChanged.connect(lambda r, *_: self.show_sheet(r))
        row.addWidget(self.table, 2)
        side = QVBoxLayout()
        # The sheet at a size its print can be read (LEGIBLE_WIDTH px across an A4 page, about
        # 120 px per inch), in a scroll area; "Page entière" fits it to the panel to see the whole.
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.image_area = QScrollArea()
        self.image_area.setWidget(self.image)
        self.image_area.setWidgetResizable(False)
        self.image_area.setMinimumWidth(320)
        self.whole_page = QCheckBox("Page entière")
        self.whole_page.toggled.connect(lambda _on: self._show_pixmap())
        self.turn_button = QPushButton("Tourner ↻")
        self.turn_button.setToolTip("Une feuille numérisée de travers ou à l'envers : un quart de tour à chaque clic")
        self.turn_button.clicked.connect(self.turn)
        self.turns = 0
        self.caption = label("")
        view_row = QHBoxLayout()
        view_row.addWidget(self.whole_page)
        view_row.addStretch(1)
        view_row.addWidget(self.turn_button)
        side.addLayout(view_row)
        side.addWidget(self.image_area, 1)
        side.addWidget(self.caption)
        self._pixmap = QPixmap()
        row.addLayout(side, 3)
        outer.addLayout(row, 1)
        self.reload()

    def reload(self) -> None:
        self.sheets = report_rejected.rejected_sheets(self.store)
        rows = [
            [s.ballot or "—", channel_label(s.channel) + (" (test)" if s.test else ""), Path(s.source).name if s.source else "—",
             str(s.page or ""), ", ".join(reason_label(r) for r in s.reasons)]
            for s in self.sheets
        ]  # fmt: skip
        fill_table(self.table, HEADERS, rows, numeric_from=3)
        self.status.setText(tr_n("%n feuille(s) rejetée(s).", len(self.sheets)))
        if self.sheets:
            self.table.setCurrentCell(0, 0)
            self.show_sheet(0)
        else:
            self.image.clear()
            self.caption.setText("")
            self.serial_button.setEnabled(False)

    def show_sheet(self, row: int) -> None:
        if not 0 <= row < len(self.sheets):
            return
        s = self.sheets[row]
        data = report_rejected.sheet_jpeg(s, max_side=1600)
        pix = QPixmap()
        if data and pix.loadFromData(data):
            self._pixmap = pix
            self.turns = 0
            self._show_pixmap()
        else:
            self._pixmap = QPixmap()
            self.image.setText("(image indisponible)")
            self.image.adjustSize()
        self.caption.setText(f"{s.title} — {', '.join(reason_label(r) for r in s.reasons)}")
        self.serial_button.setEnabled(self.can_type_serial(row))

    def turn(self) -> None:
        self.turns = (self.turns + 1) % 4
        self._show_pixmap()

    def _show_pixmap(self) -> None:
        if self._pixmap.isNull():
            return
        pixmap = self._pixmap.transformed(QTransform().rotate(90 * self.turns)) if self.turns else self._pixmap
        if self.whole_page.isChecked():
            room = self.image_area.viewport().size()
            shown = pixmap.scaled(room, Qt.AspectRatioMode.KeepAspectRatio,
                                        Qt.TransformationMode.SmoothTransformation)  # fmt: skip
        else:
            shown = pixmap.scaledToWidth(min(LEGIBLE_WIDTH, pixmap.width()),
                                               Qt.TransformationMode.SmoothTransformation)  # fmt: skip
        self.image.setPixmap(shown)
        self.image.adjustSize()

    def can_type_serial(self, row: int) -> bool:
        return (
            0 <= row < len(self.sheets) and not self.sheets[row].ballot and "unreadable_qr" in self.sheets[row].reasons
        )

    def _ask_serial(self) -> None:
        row = self.table.currentRow()
        if not self.can_type_serial(row):
            return
        typed, ok = QInputDialog.getText(
            self, "Numéro du bulletin", "Numéro et code imprimés sous le titre (ex. : ABCD EFGH  K7M-2QX) :"
        )
        if ok and typed.strip():
            self.type_serial(row, typed)

    def type_serial(self, row: int, typed: str, sheet: int = 1) -> bool:
        """Adopt the page of `row` under the typed serial; the reason is shown when refused."""
        s = self.sheets[row]
        try:
            ballot = typed_serial.adopt(self.store, s.source, s.page, typed, sheet=sheet, actor=self.actor)
        except typed_serial.TypedSerialRefused as exc:
            self.status.setText(f"Numéro refusé : {exc}")
            return False
        serial = ballot.id if ballot is not None else typed
        self.reload()
        self.status.setText(f"Bulletin {serial} ajouté : il attend la décision de la commission (onglet À examiner).")
        self.adopted.emit(serial)
        return True

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Exporter les feuilles rejetées", "feuilles-rejetees.pdf", "PDF (*.pdf)"
        )
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> Job:
        data_dir = self.store.data_dir

        def work() -> str:
            with Store(data_dir) as s:
                report_rejected.write_pdf(s, path)
            return str(path)

        job = Job(work)
        job.signals.done.connect(self._exported)
        job.signals.failed.connect(lambda msg: self.status.setText(f"Échec de l'export : {msg}"))
        self._jobs.append(job)
        self.export_button.setEnabled(False)
        self.status.setText("Export en cours…")
        QThreadPool.globalInstance().start(job)
        return job

    def _exported(self, path: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(f"Exporté : {path}")
        self.exported.emit(path)
