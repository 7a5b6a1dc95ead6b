"""The register step, as the election says: `attest` (the volunteer ticks three boxes) or
`identity` (name, first name, birth date, postcode on a large keyboard).

Nothing is written here: the identity is checked (format, and "already in the register", which
includes entries merged by sync) and kept in memory; `VoterSession.cast` writes the register
entry and the ballot in one transaction, so an abandoned visit leaves no trace.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QGridLayout, QLineEdit, QVBoxLayout, QWidget

from ballots.election import RegisterMode
from ballots.errors import AlreadyRegistered, RegisterError
from ballots.register import Identity, normalise
from kiosk.ui.keyboard import Keyboard
from kiosk.ui.ports import ScreenContext
from kiosk.ui.reflow import Reflow
from kiosk.ui.widgets import Alert, Button, Label, Screen
from kiosk.ui.words import error_text


class Field(QLineEdit):
    focused = Signal(object)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt name)
        super().focusInEvent(event)
        self.focused.emit(self)


class RegisterScreen(Screen):
    done = Signal()
    back = Signal()

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__()
        self.ctx = ctx
        gap = ctx.theme.gap_px
        layout, bar = self.frame(ctx.theme.touch_px, gap)
        self.heading = Label("", "heading", name="register_heading")
        self.intro = Label("")
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)

        # attest: three ticks for the volunteer
        self.attest_box = QWidget()
        box = QVBoxLayout(self.attest_box)
        box.setSpacing(gap * 2)
        self.ticks = [Button("", "tick", name=f"attest_{i}") for i in range(3)]
        for t in self.ticks:
            t.setCheckable(True)
            t.clicked.connect(self._changed)
            box.addWidget(t)
        layout.addWidget(self.attest_box)

        # identity: four fields and a keyboard
        self.identity_box = QWidget()
        grid = QGridLayout(self.identity_box)
        grid.setSpacing(gap)
        self.labels = [Label("") for _ in range(4)]
        self.fields = [Field() for _ in range(4)]
        for i, name in enumerate(("last_name", "first_name", "birth_date", "postcode")):
            self.fields[i].setObjectName(f"field_{name}")
            self.fields[i].focused.connect(self._focus)
            self.fields[i].textChanged.connect(self._changed)
            grid.addWidget(self.labels[i], i, 0)
            grid.addWidget(self.fields[i], i, 1)
        self.keyboard = Keyboard(gap, ctx.theme.touch_px)
        grid.addWidget(self.keyboard, 4, 0, 1, 2)
        layout.addWidget(self.identity_box)

        layout.addStretch(1)
        self.alert = Alert(name="register_alert")
        bar.addWidget(self.alert)
        self.back_button = Button("", name="back")
        self.back_button.clicked.connect(self.back.emit)
        self.next_button = Button("", "primary", name="next")
        self.next_button.clicked.connect(self.confirm)
        bar.addWidget(Reflow(self.back_button, self.next_button, spacing=gap * 2, wrap=True))

    @property
    def mode(self) -> RegisterMode:
        return self.ctx.election.register

    def reset(self) -> None:
        super().reset()
        for t in self.ticks:
            t.setChecked(False)
        for f in self.fields:
            f.clear()
        self.alert.say("")
        self.keyboard.target = self.fields[0]

    def refresh(self) -> None:
        attest = self.mode is RegisterMode.ATTEST
        self.attest_box.setVisible(attest)
        self.identity_box.setVisible(not attest)
        self.heading.setText(self.tr("Avant de voter"))
        if attest:
            self.intro.setText(self.tr("Le bénévole vérifie et coche les trois cases."))
            texts = (
                self.tr("La personne habite la commune."),
                self.tr("La personne a le droit de voter."),
                self.tr("La personne n'a pas encore voté."),
            )
            for t, text in zip(self.ticks, texts, strict=True):
                t.setText(("☑ " if t.isChecked() else "☐ ") + text)
        else:
            self.intro.setText(
                self.tr("Écrivez vos informations. Elles servent seulement à éviter de voter deux fois.")
            )
            fields = (self.tr("Nom"), self.tr("Prénom"), self.tr("Date de naissance"), self.tr("Code postal"))
            for label, field, text in zip(self.labels, self.fields, fields, strict=True):
                label.setText(text)
                label.setBuddy(field)
                field.setAccessibleName(text)  # what a screen reader and the audio ballot say
            self.fields[2].setPlaceholderText(self.tr("JJ/MM/AAAA"))
            self.keyboard.retranslate()
        self.back_button.setText(self.tr("Retour"))
        self.next_button.setText(self.tr("Continuer"))
        self._changed()

    def _focus(self, field: Field) -> None:
        self.keyboard.target = field

    def _changed(self) -> None:
        if self.mode is RegisterMode.ATTEST:
            for t, text in zip(self.ticks, (t.text()[2:] for t in self.ticks), strict=True):
                t.setText(("☑ " if t.isChecked() else "☐ ") + text)
            self.next_button.setEnabled(all(t.isChecked() for t in self.ticks))
        else:
            self.next_button.setEnabled(all(f.text().strip() for f in self.fields))
        if self.alert.isVisible():
            self.alert.say("")

    def identity(self) -> Identity:
        last, first, birth, postcode = (f.text().strip() for f in self.fields)
        return Identity(last_name=last, first_name=first, birth_date=birth, postcode=postcode)

    def confirm(self) -> None:
        session = self.ctx.session
        if self.mode is RegisterMode.ATTEST:
            if not all(t.isChecked() for t in self.ticks):
                return
            session.attested = True
            self.done.emit()
            return
        identity = self.identity()
        try:
            normalise(identity)  # format check by the domain (dates, postcode, names)
            if self.ctx.already_registered(identity):
                raise AlreadyRegistered(self.ctx.election.id, "")
        except (RegisterError, AlreadyRegistered) as exc:
            self.alert.say(error_text(exc))
            return
        session.identity = identity
        self.done.emit()
