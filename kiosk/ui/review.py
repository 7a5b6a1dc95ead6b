"""Review: every answer, undervotes pointed out, a way back to each question, then "Valider mon vote".

The voter can only validate a ballot `ballots.rules.can_submit` accepts. A failure to store is
shown here, the selection is kept, and no thank-you appears.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout

from ballots.election import RuleKind
from ballots.numbers import money
from kiosk.ui.ports import ScreenContext
from kiosk.ui.reflow import Reflow, clear_layout
from kiosk.ui.widgets import Alert, Button, Card, Label, Screen
from kiosk.ui.words import review_hint


class ReviewScreen(Screen):
    edit = Signal(int)  # index of the question to go back to
    submit = Signal()

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__()
        self.ctx = ctx
        gap = ctx.theme.gap_px
        self.items, layout = self.frame(ctx.theme.touch_px, gap)
        self.scroll_area = self.panel.area
        self.heading = Label("", "heading", name="review_heading")
        self.intro = Label("")
        # the heading and the introduction stay above the answers
        self.page.insertWidget(0, self.intro)
        self.page.insertWidget(0, self.heading)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys move between actions, the list follows
        self.alert = Alert(name="review_alert")
        layout.addWidget(self.alert)
        self.submit_button = Button("", "primary", name="submit")
        self.submit_button.clicked.connect(self.submit.emit)
        layout.addWidget(self.submit_button)
        self.hints: dict[str, Label] = {}

    def refresh(self) -> None:
        k = self.ctx
        session = k.session
        lang = session.settings.language
        self.heading.setText(self.tr("Votre vote"))
        self.intro.setText(self.tr("Vérifiez vos choix. Vous pouvez encore les changer."))
        clear_layout(self.items)
        self.hints = {}
        for index, q in enumerate(k.election.questions):
            card = Card()
            card.setObjectName(f"review_{q.id}")
            box = QVBoxLayout(card)
            box.setContentsMargins(k.theme.gap_px * 2, k.theme.gap_px * 2, k.theme.gap_px * 2, k.theme.gap_px * 2)
            title = Label(q.title.get(lang))
            title.setStyleSheet("font-weight: bold;")
            box.addWidget(title)
            chosen = session.chosen(q)
            for place, cid in enumerate(chosen):
                c = q.choice(cid)
                text = c.title.get(lang)
                text = f"{place + 1}. {text}" if q.rule.kind is RuleKind.RANKED else "✓ " + text
                if c.cost:
                    text += f" — {money(c.cost, k.election.currency, lang)}"
                box.addWidget(Label(text))
            p = session.progress(q)
            if p.budget and chosen:
                box.addWidget(
                    Label(
                        self.tr("Total : {spent} sur {budget}").format(
                            spent=money(p.spent, k.election.currency, lang),
                            budget=money(p.budget, k.election.currency, lang),
                        )
                    )
                )
            hint = review_hint(session, q)
            hint_label = Label(hint, name=f"hint_{q.id}")
            hint_label.setVisible(bool(hint))
            self.hints[q.id] = hint_label
            change = Button(self.tr("Modifier"), name=f"edit_{q.id}")
            change.setAccessibleName(self.tr("Modifier") + " : " + q.title.get(lang))
            change.clicked.connect(lambda _=False, i=index: self.edit.emit(i))
            box.addWidget(Reflow(hint_label, change, spacing=k.theme.gap_px * 2, stretch=0 if hint else -1))
            self.items.addWidget(card)
        self.items.addStretch(1)
        self.submit_button.setText(self.tr("Valider mon vote"))
        ok = session.can_submit()
        self.submit_button.setEnabled(ok)
        self.alert.say("" if ok else self.tr("Il manque quelque chose : regardez les messages ci-dessus."))

    def reset(self) -> None:
        super().reset()
        self.alert.say("")

    def show_error(self, text: str) -> None:
        self.alert.say(text)
