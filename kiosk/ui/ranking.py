"""Ranked questions: tap "Ajouter" to put a choice at the end of your ranking, then order it by
tapping ▲ / ▼ or by dragging a row. The rules (how many may be ranked) come from `ballots.rules`.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QDrag, QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget

from ballots.election import Choice
from kiosk.ui.choosing import QuestionScreen
from kiosk.ui.ports import ScreenContext
from kiosk.ui.reflow import Beside, Reflow, clear_layout
from kiosk.ui.widgets import Button, Card, Label

MIME = "application/x-urne-rank"


class RankRow(Card):
    """One ranked choice; press and move to drag it to another place."""

    def __init__(self, screen: RankingScreen, choice: Choice, place: int, count: int) -> None:
        super().__init__()
        self.owner = screen
        self.choice = choice
        self._press: QPoint | None = None
        gap = screen.ctx.theme.gap_px
        self.setObjectName(f"rank_{choice.id}")
        self.set_chosen(True)
        # The title on its own line, the buttons under it: at the largest text a long word and
        # three buttons do not fit side by side on a tablet.
        box = QVBoxLayout(self)
        box.setSpacing(gap)
        box.setContentsMargins(gap, gap, gap, gap)
        number = Label(f"{place + 1}.", name=f"place_{choice.id}")
        number.setStyleSheet("font-weight: bold;")
        title = choice.title.get(screen.ctx.session.settings.language)
        box.addWidget(Beside(number, Label(title), spacing=gap * 2))
        up = Button("▲", name=f"up_{choice.id}")
        up.setAccessibleName(self.tr("Monter") + " : " + title)
        up.setEnabled(place > 0)
        up.clicked.connect(lambda: screen.move_choice(choice.id, place - 1))
        down = Button("▼", name=f"down_{choice.id}")
        down.setAccessibleName(self.tr("Descendre") + " : " + title)
        down.setEnabled(place + 1 < count)
        down.clicked.connect(lambda: screen.move_choice(choice.id, place + 1))
        remove = Button(self.tr("Enlever"), name=f"remove_{choice.id}")
        remove.setAccessibleName(self.tr("Enlever") + " : " + title)
        remove.clicked.connect(lambda: screen.tap(choice.id))
        arrows = QWidget()
        pair = QHBoxLayout(arrows)
        pair.setContentsMargins(0, 0, 0, 0)
        pair.setSpacing(gap * 2)
        pair.addWidget(up)
        pair.addWidget(down)
        # ▲ ▼ on the left and "Enlever" on the right, or "Enlever" under the arrows when a
        # narrow screen at the largest text has no room for the three side by side.
        box.addWidget(Reflow(arrows, remove, spacing=gap * 2, last_first=False))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press is None:
            return
        if (event.position().toPoint() - self._press).manhattanLength() < QApplication.startDragDistance():
            return
        self._press = None
        drag = QDrag(self)
        mime = QMimeData()
        mime.setData(MIME, self.choice.id.encode())
        drag.setMimeData(mime)
        drag.setPixmap(self.grab())
        drag.exec(Qt.DropAction.MoveAction)


class RankList(QWidget):
    """Accepts dropped rows; the drop position decides the new place."""

    def __init__(self, screen: RankingScreen) -> None:
        super().__init__()
        self.owner = screen
        self.setAcceptDrops(True)
        self.rows = QVBoxLayout(self)
        self.rows.setSpacing(screen.ctx.theme.gap_px)
        self.rows.setContentsMargins(0, 0, 0, 0)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        choice_id = bytes(event.mimeData().data(MIME).data()).decode()
        self.owner.move_choice(choice_id, self.place_at(event.position().toPoint().y()))
        event.acceptProposedAction()

    def place_at(self, y: int) -> int:
        """The place a row dropped at height `y` takes (0 = first)."""
        items = (self.rows.itemAt(i) for i in range(self.rows.count()))
        rows = [w for item in items if item is not None and isinstance(w := item.widget(), RankRow)]
        for i, row in enumerate(rows):
            if y < row.geometry().center().y():
                return i
        return max(len(rows) - 1, 0)


class RankingScreen(QuestionScreen):
    moved = Signal(str)  # a ranked choice changed place (the audio ballot says where)

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        box = self.body
        self.ranked_label = Label("", name="ranked_label")
        self.ranked = RankList(self)
        self.empty = Label("", name="ranking_empty")
        self.others_label = Label("", name="others_label")
        for label in (self.ranked_label, self.others_label):
            label.setStyleSheet("font-weight: bold;")
        for w in (self.ranked_label, self.empty, self.ranked, self.others_label):
            box.addWidget(w)
        self.others = QVBoxLayout()
        self.others.setSpacing(ctx.theme.gap_px)
        box.addLayout(self.others)

    def build_body(self) -> None:
        self.ranked_label.setText(self.tr("Votre classement"))
        self.empty.setText(self.tr("Touchez « Ajouter » sur vos choix, dans l'ordre que vous préférez."))
        self.others_label.setText(self.tr("Les autres choix"))

    def update_body(self) -> None:
        k, q = self.ctx, self.question
        lang = k.session.settings.language
        chosen = k.session.chosen(q)
        # Rows are rebuilt: a keypad voter keeps the focus on the same action (the moved row's
        # arrow), or after "Ajouter", on the next choice still to add.
        focused = QApplication.focusWidget()
        keep = focused.objectName() if focused is not None and self.isAncestorOf(focused) else ""
        clear_layout(self.ranked.rows)
        for place, cid in enumerate(chosen):
            self.ranked.rows.addWidget(RankRow(self, q.choice(cid), place, len(chosen)))
        self.empty.setVisible(not chosen)
        clear_layout(self.others)
        for c in q.choices:
            if c.id in chosen:
                continue
            card = Card()
            row = QVBoxLayout(card)
            row.setContentsMargins(k.theme.gap_px, k.theme.gap_px, k.theme.gap_px, k.theme.gap_px)
            add = Button(self.tr("Ajouter"), name=f"choose_{c.id}")
            add.setProperty("choice", c.id)
            add.setAccessibleName(self.tr("Ajouter") + " : " + c.title.get(lang))
            add.clicked.connect(lambda _=False, cid=c.id: self.tap(cid))
            # The title wraps beside its button, or the button goes under it when short of room.
            row.addWidget(Reflow(Label(c.title.get(lang)), add, spacing=k.theme.gap_px * 2, stretch=0, wrap=True))
            self.others.addWidget(card)
        self.others_label.setVisible(len(chosen) < len(q.choices))
        if keep:
            target = self.findChild(Button, keep)
            if target is None or not target.isEnabled():
                target = next((self.findChild(Button, f"choose_{c.id}") for c in q.choices if c.id not in chosen), None)
            if target is not None:  # new rows are shown on the next turn of the event loop
                QTimer.singleShot(0, target, lambda t=target: t.setFocus(Qt.FocusReason.OtherFocusReason))

    def move_choice(self, choice_id: str, place: int) -> None:
        self.ctx.session.move(self.question, choice_id, place)
        self.alert.say("")
        self.update_feedback()
        self.moved.emit(choice_id)
