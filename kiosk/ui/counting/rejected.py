"""Rejected sheets: the list with each reason and image, and its export as a PDF for the commission.

The list comes from `ballots.report.rejected.rejected_sheets` (rejected paper ballots and scanned
pages that belong to no ballot). Images are read on demand; the PDF is written on a pool thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QInputDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from ballots.paper import typed_serial
from ballots.report import rejected as report_rejected
from ballots.report.labels import channel_label, reason_label
from ballots.store import Store
from kiosk.ui.counting.common import Job, fill_table, label, table

HEADERS = ["Bulletin", "Canal", "Fichier", "Page", "Motif"]


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
        row.addWidget(self.table, 3)
        side = QVBoxLayout()
        self.image = QLabel()
        self.image.setMinimumWidth(380)
        self.image.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.caption = label("")
        side.addWidget(self.image, 1)
        side.addWidget(self.caption)
        row.addLayout(side, 2)
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
        self.status.setText(f"{len(self.sheets)} feuille(s) rejetée(s).")
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
        data = report_rejected.sheet_jpeg(s, max_side=900)
        pix = QPixmap()
        if data and pix.loadFromData(data):
            self.image.setPixmap(pix.scaledToWidth(380))
        else:
            self.image.setText("(image indisponible)")
        self.caption.setText(f"{s.title} — {', '.join(reason_label(r) for r in s.reasons)}")
        self.serial_button.setEnabled(self.can_type_serial(row))

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
