"""Review queue: a person decides, one ballot at a time, what the reader would not guess.

For each ballot in review: the straightened sheet image with the question highlighted and the
current box framed, the box enlarged, the reasons in plain words, and every box of the ballot
with what was read. Keys: M = the box is marked, B = it is blank, I = the commission declares the
ballot nul (a votant, counted in the nuls), Entrée = validate (counted with the marks as decided),
N / P = next / previous box, 1…9 = show copy n. The keys work whatever widget has the focus in the
window (an application event filter while the review is shown: a focused combo box used to take
"I" for its own type-ahead search).
A photocopy (two copies of one serial with different marks) shows each copy, starting on a box
where they disagree; the copy shown when validating is the one counted, and it must have been
chosen by a person (a click in the list or a digit key): Entrée alone never counts copy 1.

Every decision goes through the domain's review service (`ballots.paper.review`, which calls
`Store.set_status(..., actor=...)`): it is in the audit log with who and when (the note says how many marks were decided, never which choices). Decisions are
listed below the queue and can be reopened, which puts the ballot back in review (audited too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ballots.ballot import Ballot, BallotStatus
from ballots.errors import UrneError
from ballots.paper import ids, issued, review, scan
from ballots.report.labels import reason_label, status_label
from ballots.report.words import time_fr
from ballots.results import decisions_from_audit
from ballots.rules import QuestionStatus, check_question
from ballots.store import Store
from kiosk.ui.counting.common import FitImage, label, tr_n

STATE_WORDS = {"marked": "cochée", "blank": "vide", "ambiguous": "À DÉCIDER"}
STATE_SIGNS = {"marked": "☒", "blank": "☐", "ambiguous": "?"}
IMAGE_WIDTH = 560  # preferred; the sheet shrinks with the window (down to MIN_IMAGE_WIDTH)
MIN_IMAGE_WIDTH = 320
ZOOM = 180


@dataclass
class Item:
    ballot: Ballot
    copies: list[issued.SheetEvidence]
    marks: dict[str, str]  # working copy: box key -> marked | blank | ambiguous
    decided: set[str]  # box keys a person has set
    copy_index: int = 0
    differs: frozenset[str] = frozenset()  # box keys read differently on two copies (a photocopy)
    copy_chosen: bool = False  # a person picked the copy to count (needed when the copies disagree)

    @property
    def needs_copy_choice(self) -> bool:
        return len(self.copies) > 1 and bool(self.differs) and not self.copy_chosen


class ReviewView(QWidget):
    decided = Signal(str, str)  # serial, new status

    def __init__(self, store: Store, *, actor: str, time_zone: str = "") -> None:
        super().__init__()
        self.store = store
        self.actor = actor
        self.time_zone = time_zone
        self._filtering = False
        self.election = store.election()
        self.queue: list[str] = []
        self.item: Item | None = None
        self.keys: list[tuple[str, str, str]] = []  # (question, key, title) of the shown copy, layout order
        self.current = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        self.reload()

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QHBoxLayout(self)
        self.image = FitImage(IMAGE_WIDTH, MIN_IMAGE_WIDTH)
        outer.addWidget(self.image, 3)
        side = QVBoxLayout()
        self.heading = label("", "title")
        self.reasons = label("")
        side.addWidget(self.heading)
        side.addWidget(self.reasons)
        self.copy_box = QComboBox()
        self.copy_box.activated.connect(self._pick_copy)  # a person's choice, not a programmatic change
        side.addWidget(self.copy_box)
        zoom_row = QHBoxLayout()
        self.zoom = QLabel()
        self.zoom.setFixedSize(ZOOM, ZOOM)
        self.zoom.setStyleSheet("border: 3px solid #1a1a1a; background: #ffffff;")
        self.zoom_text = label("", "section")
        self.zoom_text.setMinimumWidth(120)
        zoom_row.addWidget(self.zoom)
        zoom_row.addWidget(self.zoom_text, 1)
        side.addLayout(zoom_row)
        grid = QGridLayout()
        self.mark_button = QPushButton("Cochée  [M]")
        self.blank_button = QPushButton("Vide  [B]")
        self.invalid_button = QPushButton("Bulletin nul  [I]")
        self.validate_button = QPushButton("Valider le bulletin  [Entrée]")
        self.validate_button.setObjectName("primary")
        self.prev_button = QPushButton("◂ Case précédente  [P]")
        self.next_button = QPushButton("Case suivante ▸  [N]")
        self.mark_button.clicked.connect(lambda: self.decide_box("marked"))
        self.blank_button.clicked.connect(lambda: self.decide_box("blank"))
        self.invalid_button.clicked.connect(self.reject)
        self.validate_button.clicked.connect(self.validate)
        self.prev_button.clicked.connect(lambda: self.step_by(-1))
        self.next_button.clicked.connect(lambda: self.step_by(1))
        for i, b in enumerate((self.mark_button, self.blank_button, self.invalid_button,
                               self.prev_button, self.next_button, self.validate_button)):  # fmt: skip
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the review screen
            grid.addWidget(b, i // 2, i % 2)
        side.addLayout(grid)
        self.verdict = label("")
        side.addWidget(self.verdict)
        self.boxes = QListWidget()
        self.boxes.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.boxes.currentRowChanged.connect(self._pick_row)
        side.addWidget(self.boxes, 2)
        side.addWidget(label("Décisions prises (double-clic pour réexaminer)", "section"))
        self.history = QListWidget()
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history.itemDoubleClicked.connect(lambda it: self.reopen(it.data(Qt.ItemDataRole.UserRole)))
        side.addWidget(self.history, 1)
        outer.addLayout(side, 2)
        self.boxes.setMinimumHeight(90)
        self.history.setMinimumHeight(60)

    # -- queue -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the queue (ballots in review) and the decisions taken so far."""
        self.queue = [b.id for b in self.store.ballots(status=BallotStatus.REVIEW, include_test=True)]
        self._fill_history()
        if self.item is None or self.item.ballot.id not in self.queue:
            if self.queue:
                self.show_ballot(self.queue[0])
            else:
                self._show_empty()

    def remaining(self) -> int:
        return len(self.queue)

    def _fill_history(self) -> None:
        from ballots import audit

        self.history.clear()
        decisions = decisions_from_audit(audit.entries(self.store.db))
        printed = ids.serials_by_id(self.store)
        for serial, ds in sorted(decisions.items(), key=lambda kv: -kv[1][-1].seq):
            people = [d for d in ds if d.actor != "scan"]
            if not people:
                continue
            d = people[-1]
            it = QListWidgetItem(
                f"{printed.get(serial, serial)} — {status_label(d.status)} par {d.actor}, {time_fr(d.at, self.time_zone)}"
            )
            it.setData(Qt.ItemDataRole.UserRole, serial)
            self.history.addItem(it)

    def _show_empty(self) -> None:
        self.item = None
        self.keys = []
        self.heading.setText("Aucun bulletin à examiner")
        self.reasons.setText("Tous les bulletins lus sont décidés.")
        self.image.set_text("")
        self.zoom.clear()
        self.zoom_text.setText("")
        self.copy_box.hide()
        self.boxes.clear()
        self.verdict.setText("")
        for b in (self.mark_button, self.blank_button, self.invalid_button, self.validate_button,
                  self.prev_button, self.next_button):  # fmt: skip
            b.setEnabled(False)

    def _stored_id(self, key: str) -> str:
        """A ballot's stored id from itself or from a printed serial (paper ballots are keyed)."""
        if self.store.ballot(key) is not None or key.startswith(ids.PREFIX):
            return key
        try:
            return ids.for_store(self.store, key)
        except UrneError:
            return key

    def show_ballot(self, serial: str) -> None:
        serial = self._stored_id(serial)
        ballot = self.store.ballot(serial)
        if ballot is None:
            return
        printed = ids.serial_of(self.store, serial)  # stored under a keyed id, shown by its serial
        copies = issued.sheet_evidence(self.store, printed)
        differs = {
            k
            for a in copies
            for b in copies
            if a.sheet == b.sheet and a is not b
            for k in set(a.marks) | set(b.marks)
            if a.marks.get(k) != b.marks.get(k)
        }
        self.item = Item(ballot, copies, {}, set(), differs=frozenset(differs))
        self._load_copy(0)
        self.copy_box.setToolTip("Choisissez la copie à compter (touches 1, 2…)")
        self.copy_box.blockSignals(True)
        self.copy_box.clear()
        for i, c in enumerate(copies, start=1):
            self.copy_box.addItem(f"Copie {i} : {c.source.rsplit('/', 1)[-1]} p.{c.page} (feuille {c.sheet})")
        self.copy_box.setVisible(len(copies) > 1)
        self.copy_box.setCurrentIndex(0)
        self.copy_box.blockSignals(False)
        for b in (self.mark_button, self.blank_button, self.invalid_button, self.prev_button, self.next_button):
            b.setEnabled(True)
        position = self.queue.index(serial) + 1 if serial in self.queue else 0
        where = f" — {position} / {len(self.queue)} à examiner" if position else ""
        test = " — BULLETIN DE TEST" if ballot.test else ""
        self.heading.setText(f"Bulletin n° {printed}{where}{test}")
        reasons = [reason_label(r) for r in ballot.reasons] or ["(aucun motif)"]
        self.reasons.setText("Motifs : " + " ; ".join(reasons))
        self.setFocus()

    def _load_copy(self, index: int) -> None:
        assert self.item is not None
        self.item.copy_index = index
        copy = self.item.copies[index] if self.item.copies else None
        # Marks of the whole ballot: the shown copy for its sheet, the first copy of every other sheet.
        marks: dict[str, str] = {}
        for c in reversed(self.item.copies):
            if copy is None or c.sheet != copy.sheet:
                marks.update(c.marks)
        if copy is not None:
            marks.update(copy.marks)
        self.item.marks = marks
        self.item.decided = set()
        titles = {(q.id, c.id): c.title.get("fr") for q in self.election.questions for c in q.choices}
        self.keys = []
        if copy is not None:
            for question, key, _rect in copy.boxes:
                choice, _, rank = key.partition("@")
                title = titles.get((question, choice), key) + (f" (rang {rank})" if rank else "")
                self.keys.append((question, key, title))
        # First the boxes the copies read differently (a photocopy: what the commission must look at),
        # then those in doubt.
        differ = [i for i, (_q, k, _t) in enumerate(self.keys) if k in self.item.differs]
        ambiguous = [i for i, (_q, k, _t) in enumerate(self.keys) if self.item.marks.get(k) == "ambiguous"]
        self.current = (differ or ambiguous or [0])[0]
        self._refresh()

    def _pick_copy(self, index: int) -> None:
        """A person chose the copy to count (click in the list, or a digit key)."""
        if self.item is not None and 0 <= index < len(self.item.copies):
            self.copy_box.blockSignals(True)
            self.copy_box.setCurrentIndex(index)
            self.copy_box.blockSignals(False)
            self.item.copy_chosen = True
            self._load_copy(index)

    # -- decisions -------------------------------------------------------------------------

    def current_key(self) -> str | None:
        return self.keys[self.current][1] if self.keys else None

    def pending(self) -> list[str]:
        """Boxes still in doubt on the whole ballot (those of the shown sheet first)."""
        if self.item is None:
            return []
        shown = [k for _q, k, _t in self.keys if self.item.marks.get(k) == "ambiguous"]
        return shown + sorted(k for k, v in self.item.marks.items() if v == "ambiguous" and k not in shown)

    def decide_box(self, state: str) -> None:
        key = self.current_key()
        if self.item is None or key is None:
            return
        self.item.marks[key] = state
        self.item.decided.add(key)
        shown = {k: i for i, (_q, k, _t) in enumerate(self.keys)}
        pending = [k for k in self.pending() if k in shown]
        if pending:
            self.current = shown[pending[0]]
        self._refresh()

    def step_by(self, step: int) -> None:
        if self.keys:
            self.current = (self.current + step) % len(self.keys)
            self._refresh()

    def validate(self) -> None:
        """Count the ballot with the marks as they now stand (every doubt must be settled first,
        and for a photocopy a person must have chosen the copy)."""
        if self.item is None or self.pending():
            return
        if self.item.needs_copy_choice:
            self.verdict.setText(
                "Les copies diffèrent : choisissez d'abord la copie à compter (touches 1, 2… ou la liste)."
            )
            return
        item = self.item
        self._decided(
            lambda: review.validate(
                self.store,
                item.ballot.id,
                item.marks,
                decided=len(item.decided),
                copy=item.copy_index + 1,
                copies=len(item.copies),
                actor=self.actor,
            )
        )

    def reject(self) -> None:
        if self.item is not None:
            serial = self.item.ballot.id
            self._decided(lambda: review.reject(self.store, serial, actor=self.actor))

    def _decided(self, decide: Callable[[], Ballot]) -> None:
        """Run one decision of the domain's review service; a refusal is shown, nothing changes."""
        try:
            ballot = decide()
        except review.ReviewRefused as exc:
            self.verdict.setText(str(exc))
            return
        self.item = None
        self.reload()
        self.decided.emit(ballot.id, ballot.status.value)

    def reopen(self, serial: str) -> None:
        """Put a decided ballot back in review (audited) and show it."""
        serial = self._stored_id(serial)
        try:
            review.reopen(self.store, serial, actor=self.actor)
        except review.ReviewRefused:
            return
        self.reload()
        self.show_ballot(serial)
        self.decided.emit(serial, BallotStatus.REVIEW.value)

    # -- keys, whatever has the focus -----------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        app = QApplication.instance()
        if app is not None and not self._filtering:
            app.installEventFilter(self)
            self._filtering = True
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        app = QApplication.instance()
        if app is not None and self._filtering:
            app.removeEventFilter(self)
            self._filtering = False
        super().hideEvent(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """A review key pressed anywhere in this window (but not while typing text, nor in another
        window such as a dialog or an open list) goes to the review, never to the focused widget."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(obj, QWidget) or not self.isVisible():
            return False
        if obj.window() is not self.window() or isinstance(obj, QLineEdit):
            return False
        assert isinstance(event, QKeyEvent)
        return self.handle_key(event)

    def handle_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier):
            return False  # Ctrl+… and Alt+… stay the window's shortcuts
        key = Qt.Key(event.key())
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            if self.item is not None and len(self.item.copies) > 1:
                self._pick_copy(int(key) - int(Qt.Key.Key_1))
                return True
            return False
        actions = {
            Qt.Key.Key_M: lambda: self.decide_box("marked"),
            Qt.Key.Key_B: lambda: self.decide_box("blank"),
            Qt.Key.Key_I: self.reject,
            Qt.Key.Key_Return: self.validate,
            Qt.Key.Key_Enter: self.validate,
            Qt.Key.Key_N: lambda: self.step_by(1),
            Qt.Key.Key_Right: lambda: self.step_by(1),
            Qt.Key.Key_P: lambda: self.step_by(-1),
            Qt.Key.Key_Left: lambda: self.step_by(-1),
        }
        action = actions.get(key)
        if action is None:
            return False
        action()
        event.accept()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if not self.handle_key(event):
            super().keyPressEvent(event)

    # -- drawing ---------------------------------------------------------------------------

    def _pick_row(self, row: int) -> None:
        if 0 <= row < len(self.keys) and row != self.current:
            self.current = row
            self._refresh()

    def _refresh(self) -> None:
        assert self.item is not None
        marks = self.item.marks
        self.boxes.blockSignals(True)
        self.boxes.clear()
        for question, key, title in self.keys:
            state = marks.get(key, "blank")
            who = " (décidé)" if key in self.item.decided else ""
            who += "  ≠ diffère entre les copies" if key in self.item.differs else ""
            self.boxes.addItem(
                f"{STATE_SIGNS.get(state, '?')}  {question} · {title} — {STATE_WORDS.get(state, state)}{who}"
            )
        self.boxes.setCurrentRow(self.current)
        self.boxes.blockSignals(False)
        pending = self.pending()
        self.validate_button.setEnabled(not pending and not self.item.needs_copy_choice)
        selection, _ = scan.selection_from_marks(self.election, marks)
        words = []
        for q in self.election.questions:
            st = check_question(q, selection.get(q.id, ())).status
            words.append(
                f"{q.id} : "
                + {QuestionStatus.VALID: "valide", QuestionStatus.BLANK: "blanc"}.get(st, "nul (règle non respectée)")
            )
        todo = tr_n("%n case(s) à décider", len(pending)) + " · " if pending else ""
        if self.item.needs_copy_choice:
            todo += "copie à choisir (1, 2…) · "
        self.verdict.setText(todo + "Si validé : " + " ; ".join(words))
        self._draw()

    def _draw(self) -> None:
        assert self.item is not None
        copy = self.item.copies[self.item.copy_index] if self.item.copies else None
        key = self.current_key()
        if copy is None or not copy.image.exists():
            self.image.set_text("(pas d'image pour ce bulletin)")
            self.zoom.clear()
            return
        sheet = QPixmap(str(copy.image))
        canvas = sheet.copy()
        painter = QPainter(canvas)
        question = self.keys[self.current][0] if self.keys else ""
        rects = {k: QRect(*r) for q, k, r in copy.boxes}
        qrects = [QRect(*r) for q, _k, r in copy.boxes if q == question]
        if qrects:
            area = qrects[0]
            for r in qrects[1:]:
                area = area.united(r)
            # The whole question: its boxes and the titles beside them, across the page.
            area = QRect(area.left() - 12, area.top() - 12, canvas.width() - area.left() - 40 + 12, area.height() + 24)
            painter.fillRect(area, QColor(255, 214, 0, 60))
            painter.setPen(QPen(QColor("#b07d00"), 3))
            painter.drawRect(area)
        for k, r in rects.items():
            if self.item.marks.get(k) == "ambiguous":
                painter.setPen(QPen(QColor("#c2410c"), 3, Qt.PenStyle.DashLine))
                painter.drawRect(r.adjusted(-4, -4, 4, 4))
        for k in self.item.differs & set(rects):
            painter.setPen(QPen(QColor("#1d4ed8"), 3, Qt.PenStyle.DotLine))
            painter.drawRect(rects[k].adjusted(-5, -5, 5, 5))
        if key in rects:
            painter.setPen(QPen(QColor("#b91c1c"), 5))
            painter.drawRect(rects[key].adjusted(-7, -7, 7, 7))
        painter.end()
        self.image.set_image(canvas)
        if key in rects:
            r = rects[key]
            m = r.width() // 2
            crop = sheet.copy(r.adjusted(-m, -m, m, m))
            self.zoom.setPixmap(crop.scaled(ZOOM - 6, ZOOM - 6, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))  # fmt: skip
            title = self.keys[self.current][2]
            state = STATE_WORDS.get(self.item.marks.get(key, "blank"), "")
            self.zoom_text.setText(f"{title}\nLu : {state}")
