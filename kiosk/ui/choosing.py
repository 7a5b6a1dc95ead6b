"""Choosing: one question per screen, each choice as a card; live feedback of the rule.

The screen never decides anything: taps go to `VoterSession.toggle`, which asks `ballots.rules`;
a refusal (question full, over budget) is shown as a message and nothing is deselected.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ballots.election import Choice, Question
from ballots.numbers import money
from kiosk.ui.budget_bar import show_budget
from kiosk.ui.ports import ScreenContext
from kiosk.ui.reflow import Beside, FlowLayout, Reflow, clear_layout
from kiosk.ui.widgets import Alert, Button, Card, Label, Screen
from kiosk.ui.words import budget_text, progress_text, refusal_text, rule_hint


class ChoiceCard(Card):
    def __init__(self, screen: QuestionScreen, choice: Choice) -> None:
        super().__init__()
        self.owner = screen
        self.choice = choice
        k = screen.ctx
        lang = k.session.settings.language
        gap = k.theme.gap_px
        self.setObjectName(f"card_{choice.id}")
        layout = QVBoxLayout(self)
        layout.setSpacing(gap)
        # Less padding at the large sizes: a long word of a title keeps the card's width.
        pad = gap * 2 if k.session.settings.size < 2 else gap
        layout.setContentsMargins(pad, pad, pad, pad)
        image = k.image_path(choice.image)
        if image is not None:
            pix = QPixmap(str(image))
            if not pix.isNull():
                picture = Label("")
                picture.setPixmap(pix.scaledToHeight(k.theme.touch_px * 2, Qt.TransformationMode.SmoothTransformation))
                layout.addWidget(picture)
        self.title = Label(choice.title.get(lang), name=f"title_{choice.id}")
        self.title.setStyleSheet("font-weight: bold;")
        pictogram = pictogram_pixmap(
            pictogram_path(k.election.pictogram(choice), k.image_path), k.theme.touch_px, k.theme.palette.text
        )
        if pictogram is not None:
            # The category's pictogram beside the title: the eye finds "sport" or "nature" before reading.
            # Above the title when a word of the title would not fit beside it.
            icon = Label("", name=f"pictogram_{choice.id}")
            icon.setPixmap(pictogram)
            icon.setFixedSize(pictogram.size())
            icon.setAccessibleName(choice.category)
            layout.addWidget(Beside(icon, self.title, spacing=gap * 2))
        else:
            layout.addWidget(self.title)
        if choice.summary:
            layout.addWidget(Label(choice.summary.get(lang), name=f"summary_{choice.id}"))  # "en bref"
        facts = [
            f for f in (choice.category, money(choice.cost, k.election.currency, lang) if choice.cost else "") if f
        ]
        if facts:
            layout.addWidget(Label(" · ".join(facts)))
        self.description = Label(choice.description.get(lang))
        self.description.setVisible(False)
        layout.addWidget(self.description)
        self.more = Button(self.tr("En savoir plus"), name=f"more_{choice.id}")
        self.more.setCheckable(True)
        self.more.setVisible(bool(choice.description))
        self.more.toggled.connect(self._more)
        self.pick = Button("", name=f"choose_{choice.id}")
        self.pick.setProperty("choice", choice.id)  # the audio ballot reads the whole choice here
        self.pick.clicked.connect(lambda: screen.tap(choice.id))
        layout.addWidget(Reflow(self.more, self.pick, spacing=gap * 2))

    def _more(self, shown: bool) -> None:
        self.description.setVisible(shown)
        self.more.setText(self.tr("Moins") if shown else self.tr("En savoir plus"))

    def update_state(self, chosen: bool) -> None:
        self.set_chosen(chosen)
        self.pick.set_role("chosen" if chosen else "normal")
        self.pick.setText(self.tr("✓ Choisi") if chosen else self.tr("Choisir"))
        # A screen reader hears which project the button is for, not twenty times "Choisir".
        title = self.choice.title.get(self.owner.ctx.session.settings.language)
        self.pick.setAccessibleName(f"{self.pick.text()} : {title}")
        self.more.setAccessibleName(f"{self.more.text()} : {title}")
        self.pick.setAccessibleDescription(self.tr("Touchez pour enlever") if chosen else "")


class QuestionScreen(Screen):
    """Header (position, title, rule, feedback), body (subclass), footer (back / next)."""

    back = Signal()
    next = Signal()
    changed = Signal(str, object)  # choice id, refusal reason or None (the audio ballot says it)

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.question: Question = ctx.election.questions[0]
        gap = ctx.theme.gap_px
        # Everything about the question scrolls; the rule feedback, the refusal message and the
        # buttons stay in view whatever the text size (the action bar).
        inner, layout = self.frame(ctx.theme.touch_px, gap)
        self.scroll_area = self.panel.area
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys move between actions, the list follows
        inner.setSpacing(gap)
        self.position = Label("", name="position")
        self.heading = Label("", "heading", name="question_title")
        self.hint = Label("", name="rule_hint")
        inner.addWidget(self.position)
        inner.addWidget(self.heading)
        inner.addWidget(self.hint)
        self.body = QVBoxLayout()
        self.body.setSpacing(gap * 2)
        inner.addLayout(self.body)
        # A stretch, not a layout alignment, keeps the list at the top: an aligned layout is
        # sized by its size hint and wrapped text (an expanded description) got cut.
        inner.addStretch(1)
        self.feedback = Label("", name="feedback")
        self.feedback.setStyleSheet("font-weight: bold;")
        self.budget = QProgressBar()
        self.budget.setObjectName("budget_bar")
        self.budget.setTextVisible(False)  # text over a half-filled bar cannot keep its contrast
        self.budget_label = Label("", name="budget_text")
        self.budget_label.setStyleSheet("font-weight: bold;")
        # One row when it fits; the amounts wrap, or the three stack, on a narrow screen.
        self.counters = Reflow(self.feedback, self.budget, self.budget_label, spacing=gap * 2, stretch=1, wrap=True)
        self.counters.last_first = False
        layout.addWidget(self.counters)
        self.alert = Alert(name="refusal")
        layout.addWidget(self.alert)
        self.back_button = Button("", name="back")
        self.back_button.clicked.connect(self.back.emit)
        self.next_button = Button("", "primary", name="next")
        self.next_button.clicked.connect(self.next.emit)
        layout.addWidget(Reflow(self.back_button, self.next_button, spacing=gap * 2, wrap=True))

    def reset(self) -> None:
        super().reset()
        self.alert.say("")

    def show_question(self, question: Question) -> None:
        if question is not self.question:
            self.alert.say("")
        self.question = question
        self.refresh()

    def refresh(self) -> None:
        k, q = self.ctx, self.question
        lang = k.session.settings.language
        qs = k.election.questions
        index = qs.index(q)
        self.position.setVisible(len(qs) > 1)
        self.position.setText(self.tr("Question {n} sur {total}").format(n=index + 1, total=len(qs)))
        self.heading.setText(q.title.get(lang))
        self.hint.setText(rule_hint(q, lang, k.election.currency))
        self.back_button.setText(self.tr("Retour"))
        if k.place.from_review:
            self.next_button.setText(self.tr("Revenir au récapitulatif"))
        elif index + 1 < len(qs):
            self.next_button.setText(self.tr("Question suivante"))
        else:
            self.next_button.setText(self.tr("Voir mon vote"))
        self.build_body()
        self.update_feedback()

    def update_feedback(self) -> None:
        k, q = self.ctx, self.question
        self.feedback.setText(progress_text(k.session, q))
        p = k.session.progress(q)
        # A refusal takes the place of the counters (it says the same and more): at the largest
        # text size both would not fit above the buttons.
        counters = not self.alert.isVisibleTo(self)
        self.feedback.setVisible(counters)
        self.budget.setVisible(p.budget > 0 and counters)
        self.budget_label.setVisible(p.budget > 0 and counters)
        if p.budget > 0:
            show_budget(self.budget, p.spent, p.budget)
            self.budget_label.setText(budget_text(k.session, q))
            self.budget.setAccessibleName(budget_text(k.session, q))
        self.update_body()

    def tap(self, choice_id: str) -> None:
        reason = self.ctx.session.toggle(self.question, choice_id)
        self.alert.say("" if reason is None else refusal_text(reason, self.ctx.session, self.question))
        self.update_feedback()
        self.changed.emit(choice_id, reason)

    # -- body: overridden by the ranking screen ----------------------------------------------

    def build_body(self) -> None:
        raise NotImplementedError

    def update_body(self) -> None:
        raise NotImplementedError


class ChoosingScreen(QuestionScreen):
    """Approval, budget and single questions: cards in a scrolling grid, filter by category."""

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        gap = ctx.theme.gap_px
        self.filter_row = FlowLayout(spacing=gap * 2)
        self.filter_buttons: list[Button] = []  # no QButtonGroup: its unfocused buttons leave the keys' order
        self.body.addLayout(self.filter_row)
        self.cards_widget = QWidget()
        self.cards_widget.setObjectName("cards")
        self.grid = QGridLayout(self.cards_widget)
        self.grid.setSpacing(gap * 2)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.body.addWidget(self.cards_widget)
        self.cards: dict[str, ChoiceCard] = {}
        self.category = ""
        self._built: tuple[object, ...] = ()

    def build_body(self) -> None:
        k, q = self.ctx, self.question
        key = (q.id, k.session.settings, k.theme)
        if key == self._built:
            return
        if self._built[:1] != (q.id,):
            self.category = ""
            self.scroll_area.verticalScrollBar().setValue(0)
        self._built = key
        clear_layout(self.filter_row)
        self.filter_buttons = []
        if len(q.categories) > 1:
            for cat in ("", *q.categories):
                b = Button(cat or self.tr("Tout"), name=f"filter_{cat or 'all'}")
                b.setCheckable(True)
                b.setChecked(cat == self.category)
                b.clicked.connect(lambda _=False, cat=cat: self.set_category(cat))
                self.filter_buttons.append(b)
                self.filter_row.addWidget(b)
        clear_layout(self.grid)
        self.cards = {c.id: ChoiceCard(self, c) for c in q.choices}
        self.place_cards()

    def place_cards(self) -> None:
        # Two columns while the text is small enough, one column for the large sizes.
        columns = 2 if self.ctx.session.settings.size <= 1 and self.width() > 40 * self.ctx.theme.text_px else 1
        for card in self.cards.values():
            self.grid.removeWidget(card)
        shown = [c for c in self.question.choices if not self.category or c.category == self.category]
        for card in self.cards.values():
            card.setVisible(False)
        for i, choice in enumerate(shown):
            card = self.cards[choice.id]
            self.grid.addWidget(card, i // columns, i % columns)
            card.setVisible(True)

    def reset(self) -> None:
        super().reset()
        # Cards are rebuilt for the next voter: no "En savoir plus" left open, no filter.
        self.category = ""
        self._built = ()
        clear_layout(self.filter_row)
        self.filter_buttons = []
        clear_layout(self.grid)
        self.cards = {}

    def set_category(self, category: str) -> None:
        self.category = category
        for b in self.filter_buttons:
            b.setChecked(b.objectName() == f"filter_{category or 'all'}")
        self.place_cards()

    def update_body(self) -> None:
        session = self.ctx.session
        for cid, card in self.cards.items():
            card.update_state(session.is_chosen(self.question, cid))

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().resizeEvent(event)
        if self.cards:
            self.place_cards()


PICTOGRAMS = Path(__file__).resolve().parent / "pictograms"  # shipped SVGs (package data)


def pictogram_path(name: str, image_path: Callable[[str], Path | None]) -> Path | None:
    """A shipped pictogram by name ("velo", "arbre"...), else a file beside the election."""
    if not name:
        return None
    shipped = PICTOGRAMS / f"{name}.svg"
    if "/" not in name and "\\" not in name and shipped.is_file():
        return shipped
    return image_path(name)


def pictogram_pixmap(path: Path | None, size: int, colour: str) -> QPixmap | None:
    """The pictogram drawn `size` px high in the text colour (black, or white in high contrast)."""
    if path is None:
        return None
    source = QIcon(str(path)).pixmap(size, size)
    if source.isNull():
        return None
    tinted = QPixmap(source.size())
    tinted.fill(Qt.GlobalColor.transparent)
    painter = QPainter(tinted)
    painter.drawPixmap(0, 0, source)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(tinted.rect(), QColor(colour))
    painter.end()
    return tinted


def image_path(election_file: Path, image: str) -> Path | None:
    if not image:
        return None
    path = (election_file.parent / image).resolve()
    return path if path.is_file() else None
