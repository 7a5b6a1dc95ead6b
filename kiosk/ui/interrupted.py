"""The staff menu's "interrupted visits" item (issue 17): a visit a crash or a power cut cut
between the register entry and the ballot (ballots.casting writes them in two commits) leaves
a voter registered with no ballot. Staff take the entry back here so the person can vote,
through `ballots.casting.undo_registration` (audited, naming nobody).

Shown only while such a visit is outstanding. Attest mode: one tap, then a second to confirm
(attestations are interchangeable). Identity mode: staff type the person's identity again on
the kiosk's keyboard (the register keeps only a keyed fingerprint, so nothing lists names).
Its own small widget, so the staff menu (kiosk/ui/staff.py) only places it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from ballots.election import RegisterMode
from ballots.errors import UrneError
from ballots.register import Identity
from kiosk.ui.keyboard import Keyboard
from kiosk.ui.ports import InterruptedDesk
from kiosk.ui.register_step import Field
from kiosk.ui.widgets import Alert, Button, Label
from kiosk.ui.words import error_text


class InterruptedPanel(QWidget):
    changed = Signal()  # an entry was taken back: the menu's counts change

    def __init__(self, desk: InterruptedDesk, gap: int, touch: int) -> None:
        super().__init__()
        self.setObjectName("interrupted_panel")
        self.desk = desk
        self.confirming = False
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(gap)
        self.heading = Label("", "heading", name="interrupted_heading")
        self.explain = Label("", name="interrupted_explain")
        box.addWidget(self.heading)
        box.addWidget(self.explain)
        self.identity_box = QWidget()
        grid = QGridLayout(self.identity_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(gap)
        self.labels = [Label("") for _ in range(4)]
        self.fields = [Field() for _ in range(4)]
        for i, name in enumerate(("last_name", "first_name", "birth_date", "postcode")):
            self.fields[i].setObjectName(f"interrupted_{name}")
            self.fields[i].focused.connect(self._focus)
            self.fields[i].textChanged.connect(self._typed)
            grid.addWidget(self.labels[i], i, 0)
            grid.addWidget(self.fields[i], i, 1)
        self.keyboard = Keyboard(gap, touch)
        self.keyboard.target = self.fields[0]
        grid.addWidget(self.keyboard, 4, 0, 1, 2)
        box.addWidget(self.identity_box)
        self.undo = Button("", name="interrupted_undo")
        self.undo.clicked.connect(self.tapped)
        box.addWidget(self.undo)
        self.message = Alert(name="interrupted_message")
        box.addWidget(self.message)

    @property
    def identity_mode(self) -> bool:
        return self.desk.register_mode() is RegisterMode.IDENTITY

    def reset(self) -> None:
        self.confirming = False
        for f in self.fields:
            f.clear()
        self.message.say("")

    def refresh(self) -> None:
        n = self.desk.interrupted_visits()
        self.setVisible(n > 0 or bool(self.message.text()))
        self.heading.setText(self.tr("Visites interrompues"))
        self.explain.setText(
            self.tr(
                "%n personne(s) inscrite(s) sans bulletin enregistré (coupure pendant le vote). "
                "Si la personne n'a pas vu « Merci », annulez son inscription : elle pourra voter.",
                "",
                n,
            )
        )
        self.identity_box.setVisible(self.identity_mode and n > 0)
        self.undo.setVisible(n > 0)
        if self.identity_mode:
            fields = (self.tr("Nom"), self.tr("Prénom"), self.tr("Date de naissance"), self.tr("Code postal"))
            for label, field, text in zip(self.labels, self.fields, fields, strict=True):
                label.setText(text)
                label.setBuddy(field)
                field.setAccessibleName(text)
            self.fields[2].setPlaceholderText(self.tr("JJ/MM/AAAA"))
            self.keyboard.retranslate()
            self.undo.setText(self.tr("Annuler l'inscription de cette personne"))
            self.undo.setEnabled(all(f.text().strip() for f in self.fields))
        else:
            self.undo.setText(
                self.tr("Touchez encore pour annuler une inscription")
                if self.confirming
                else self.tr("Annuler une inscription interrompue")
            )
            self.undo.setEnabled(True)

    def _focus(self, field: Field) -> None:
        self.keyboard.target = field

    def _typed(self) -> None:
        if self.identity_mode:
            self.undo.setEnabled(all(f.text().strip() for f in self.fields))

    def tapped(self) -> None:
        identity = None
        if self.identity_mode:
            last, first, birth, postcode = (f.text().strip() for f in self.fields)
            identity = Identity(last_name=last, first_name=first, birth_date=birth, postcode=postcode)
        elif not self.confirming:
            self.confirming = True
            self.refresh()
            return
        self.confirming = False
        try:
            done = self.desk.undo_interrupted(identity)
        except UrneError as exc:
            self.message.say(error_text(exc))
            self.refresh()
            return
        if done:
            for f in self.fields:
                f.clear()
            self.message.say(self.tr("Inscription annulée (notée dans le journal) : la personne peut voter."))
            self.changed.emit()
        else:
            self.message.say(self.tr("Cette personne n'a pas d'inscription interrompue sur cette borne."))
        self.refresh()
