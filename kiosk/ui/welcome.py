"""Welcome: the election's title, language, text size, contrast, then "Voter".

A discreet staff gesture lives here: five taps within four seconds on the top-left corner
(or Ctrl+Shift+U on a keyboard) open the PIN pad.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout

from ballots.store import Polls
from kiosk.speech import falc
from kiosk.ui.i18n import LANGUAGE_NAMES
from kiosk.ui.ports import ScreenContext
from kiosk.ui.reflow import FlowLayout
from kiosk.ui.theme import CAP_HEIGHTS_MM, make_theme
from kiosk.ui.widgets import Alert, Button, Label, Screen

STAFF_TAPS = 5
STAFF_TAP_WINDOW = 4.0


class WelcomeScreen(Screen):
    start = Signal()
    staff_requested = Signal()
    language_chosen = Signal(str)
    size_chosen = Signal(int)
    contrast_chosen = Signal(bool)
    audio_chosen = Signal(bool)
    scanning_chosen = Signal(bool)
    watch_idle = False

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._taps: list[float] = []
        gap = ctx.theme.gap_px
        outer, bar = self.frame(ctx.theme.touch_px, gap)
        top = QHBoxLayout()
        self.staff_corner = Button("", "hidden", name="staff_corner")
        self.staff_corner.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.staff_corner.clicked.connect(self._corner_tap)
        top.addWidget(self.staff_corner)
        top.addStretch(1)
        self.page.insertLayout(0, top)  # fixed in the corner, never scrolled away

        self.title = Label("", "title", name="welcome_title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.description = Label("", name="welcome_description")
        self.description.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.title)
        outer.addWidget(self.description)
        outer.addStretch(1)

        self.language_label = Label("", "heading")
        outer.addWidget(self.language_label)
        row = FlowLayout(spacing=gap * 2)
        # No QButtonGroup: Qt takes every unfocused button of a group out of the keyboard's focus
        # order (arrow keys move inside a group), and a keypad voter could not reach them; refresh()
        # checks the one in use.
        self.language_buttons: dict[str, Button] = {}
        for lang in ctx.languages:
            b = Button(LANGUAGE_NAMES.get(lang, lang), name=f"lang_{lang}")
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, lang=lang: self.language_chosen.emit(lang))
            self.language_buttons[lang] = b
            row.addWidget(b)
        outer.addLayout(row)

        self.size_label = Label("", "heading")
        outer.addWidget(self.size_label)
        row = FlowLayout(spacing=gap * 2)
        self.size_buttons: list[Button] = []
        for i in range(len(CAP_HEIGHTS_MM)):
            b = Button("A", name=f"size_{i}")
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, i=i: self.size_chosen.emit(i))
            self.size_buttons.append(b)
            row.addWidget(b)
        self.contrast = Button("", name="contrast")
        self.contrast.setCheckable(True)
        self.contrast.clicked.connect(lambda checked: self.contrast_chosen.emit(bool(checked)))
        row.addWidget(self.contrast)
        outer.addLayout(row)

        # Audio ballot (headphones) and automatic scanning (one switch): for this voter only.
        row = FlowLayout(spacing=gap * 2)
        self.audio = Button("", name="audio")
        self.audio.setCheckable(True)
        self.audio.clicked.connect(lambda checked: self.audio_chosen.emit(bool(checked)))
        self.scan = Button("", name="scanning")
        self.scan.setCheckable(True)
        self.scan.clicked.connect(lambda checked: self.scanning_chosen.emit(bool(checked)))
        # "Comment voter ?": the plain-language (FALC) help, shown under the button on request.
        self.help = Button("", name="help")
        self.help.setCheckable(True)
        row.addWidget(self.audio)
        row.addWidget(self.scan)
        row.addWidget(self.help)
        outer.addLayout(row)
        self.help_text = Label("", name="help_text")
        self.help_text.setVisible(False)
        self.help.toggled.connect(self.help_text.setVisible)
        outer.addWidget(self.help_text)
        outer.addStretch(1)

        self.closed = Alert(name="polls_closed")
        bar.addWidget(self.closed)
        self.vote = Button("", "primary", name="vote")
        self.vote.clicked.connect(self.start.emit)
        bar.addWidget(self.vote)

    def reset(self) -> None:
        super().reset()
        self.help.setChecked(False)  # the next voter starts with the help folded

    def refresh(self) -> None:
        k = self.ctx
        lang = k.session.settings.language
        self.title.setText(k.election.title.get(lang))
        self.description.setText(k.election.description.get(lang))
        self.description.setVisible(bool(k.election.description))
        self.help.setText(self.tr("Comment voter ?"))
        self.help_text.setText(
            "\n".join(falc.WELCOME.get(lang, falc.WELCOME["fr"]) + falc.HELP.get(lang, falc.HELP["fr"]))
        )
        self.language_label.setText("Langue · Language")  # both languages: the voter may not read French
        for code, b in self.language_buttons.items():
            b.setChecked(code == lang)
        self.size_label.setText(self.tr("Taille du texte"))
        names = (self.tr("Petit"), self.tr("Moyen"), self.tr("Grand"), self.tr("Très grand"))
        # Each "A" is drawn at the size it selects (the row wraps if it must).
        for i, b in enumerate(self.size_buttons):
            px = make_theme(k.theme.dpi, i, family=k.theme.family).text_px
            b.setStyleSheet(f"font-size: {px}px;")
            b.setAccessibleName(names[i])
            b.setToolTip(names[i])
            b.setChecked(i == k.session.settings.size)
        self.contrast.setText(self.tr("Contraste élevé"))
        self.contrast.setChecked(k.session.settings.high_contrast)
        self.audio.setText(self.tr("Vote audio (casque)"))
        self.audio.setAccessibleName(self.tr("Vote audio avec un casque"))
        self.audio.setAccessibleDescription(self.tr("Touche F2 ou étoile du pavé numérique"))
        audio, scanning = k.assistance()
        self.audio.setChecked(audio)
        self.scan.setText(self.tr("Défilement automatique"))
        self.scan.setAccessibleDescription(self.tr("Pour voter avec un seul contacteur"))
        self.scan.setChecked(scanning)
        polls = k.polls()
        self.vote.setText(self.tr("Voter"))
        self.vote.setVisible(polls is Polls.OPEN)
        if polls is Polls.OPEN:
            self.closed.say("")
        elif polls is Polls.PAUSED:
            self.closed.say(self.tr("Le vote est en pause. Revenez dans un moment."))
        elif polls is Polls.CLOSED:
            self.closed.say(self.tr("Le vote est terminé. Merci !"))
        else:
            self.closed.say(self.tr("Le vote n'est pas encore ouvert."))

    def _corner_tap(self) -> None:
        now = time.monotonic()
        self._taps = [t for t in self._taps if now - t < STAFF_TAP_WINDOW] + [now]
        if len(self._taps) >= STAFF_TAPS:
            self._taps = []
            self.staff_requested.emit()
