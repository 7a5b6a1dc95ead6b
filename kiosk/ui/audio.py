"""The audio ballot in the kiosk: every screen read aloud, each action as it gets the focus,
each choice as it changes; "répéter" at any time; rate and volume per voter; a blank screen.

Texts come from `kiosk.speech.script` (no Qt); synthesis runs on one worker thread (never on
the UI thread) and the newest utterance always wins: a key press cuts what is being said.
`reset()` (every new voter, the idle timeout) stops the voice, forgets the last texts, turns
audio off, the screen back on, and rate and volume back to the town's defaults: nothing spoken
survives to the next voter. What is said is never logged.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from ballots.store import Polls
from kiosk.speech import script
from kiosk.speech.voice import (
    DEFAULT_VOLUME,
    RATE_STEP,
    VOLUME_STEP,
    Player,
    Speech,
    SpeechUnavailable,
    Voice,
    clamp_rate,
    clamp_volume,
)

if TYPE_CHECKING:
    from kiosk.ui.app import MainWindow

log = logging.getLogger(__name__)


class Speaker(Protocol):
    def speech(self, text: str, lang: str, rate: int) -> Speech: ...


class Output(Protocol):
    def play(self, speech: Speech, volume: float) -> None: ...
    def stop(self) -> None: ...


class Blank(QWidget):
    """A black sheet over the whole window: passers-by see nothing; touches are swallowed (a
    blind voter's hand must not vote unseen); keys still reach the screen under it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("blank")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#blank { background: #000000; }")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()


class AudioGuide(QObject):
    spoken = Signal(str)  # every text handed to the voice (tests listen; nothing keeps it)
    _ready = Signal(int, object)  # generation, Speech: from the worker thread to the UI thread
    unavailable = Signal(str)

    def __init__(
        self,
        window: MainWindow,
        *,
        voice: Speaker | None = None,
        player: Output | None = None,
        rate: int = 150,
        volume: float = DEFAULT_VOLUME,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.default_rate, self.default_volume = clamp_rate(rate), clamp_volume(volume)
        self.rate, self.volume = self.default_rate, self.default_volume
        self.on = False
        self._voice = voice
        self._player = player
        self._generation = 0
        self._screen_text = ""
        self._focus_text = ""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="urne-voice")
        self._ready.connect(self._play, Qt.ConnectionType.QueuedConnection)
        self.blank = Blank(window)

    # -- turning on and off ------------------------------------------------------------------

    @property
    def lang(self) -> str:
        return self.window.session.settings.language

    def set_on(self, on: bool) -> None:
        if on == self.on:
            return
        self.on = on
        if on:
            self.screen_changed()
        else:
            self.stop()
            self.set_blank(False)
            self._speak(script.audio_off(self.lang), force=True)

    def toggle(self) -> None:
        self.set_on(not self.on)

    def set_blank(self, blank: bool) -> None:
        if blank and self.on:
            self.blank.cover()
            self.say(script.screen_off(self.lang))
        elif self.blank.isVisible():
            self.blank.hide()
            if self.on:
                self.say(script.screen_on(self.lang))

    @property
    def blanked(self) -> bool:
        return self.blank.isVisible()

    def reset(self) -> None:
        """A new voter: silence, nothing remembered, audio off, screen on, default rate and volume."""
        self.stop()
        self.on = False
        self._screen_text = self._focus_text = ""
        self.rate, self.volume = self.default_rate, self.default_volume
        self.blank.hide()

    def shutdown(self) -> None:
        self.reset()
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -- what to say -------------------------------------------------------------------------

    def screen_changed(self) -> None:
        """The window shows another screen (or the same one anew): read it from the top."""
        if not self.on:
            return
        self._screen_text = self.screen_text()
        self._focus_text = ""
        self.say(self._screen_text)

    def focus_changed(self, widget: QWidget | None) -> None:
        if not self.on or widget is None or widget.window() is not self.window:
            return
        self._focus_text = self.widget_text(widget)
        if self._focus_text:
            self.say(self._focus_text)

    def repeat(self) -> None:
        """ "Répéter": the screen, the focused action, then the keys."""
        if not self.on:
            return
        self._screen_text = self.screen_text()  # as it is now: the choices may have changed
        self.say(" ".join(t for t in (self._screen_text, self._focus_text, script.keys_help(self.lang)) if t))

    def choice_changed(self, choice_id: str, reason: str | None) -> None:
        w = self.window
        screen = w.current()
        q = getattr(screen, "question", None)
        if not self.on or q is None:
            return
        chosen = w.session.chosen(q)
        if reason is not None:
            self.say(script.refusal(reason, q, chosen, self.lang, w.election.currency))
        else:
            self.say(script.toggled(q, q.choice(choice_id), chosen, self.lang, w.election.currency))

    def choice_moved(self, choice_id: str) -> None:
        w = self.window
        q = getattr(w.current(), "question", None)
        if self.on and q is not None and choice_id in w.session.chosen(q):
            self.say(script.moved(q, q.choice(choice_id), w.session.chosen(q), self.lang))

    def error(self, text: str) -> None:
        if self.on:
            self.say(" ".join((script.not_recorded(self.lang), text)))

    def screen_text(self) -> str:
        w = self.window
        screen = w.current()
        lang, s = self.lang, w.session
        if screen is w.welcome:
            return script.welcome(w.election, lang, w.polls() is Polls.OPEN)
        if screen is w.register_step:
            return script.register(w.election.register, lang)
        if screen in (w.choosing, w.ranking):
            q = screen.question  # type: ignore[attr-defined]
            index = w.election.questions.index(q)
            return script.question(w.election, index, s.chosen(q), lang, from_review=w.from_review)
        if screen is w.review:
            return script.review(w.election, s.selection(), lang, s.can_submit())
        if screen is w.thanks:
            return script.confirmation(lang)
        if screen is w.idle_screen:
            return script.idle(w.idle_screen.left, lang)
        return ""

    def widget_text(self, widget: QWidget) -> str:
        w = self.window
        choice_id = widget.property("choice")
        q = getattr(w.current(), "question", None)
        if isinstance(choice_id, str) and q is not None and choice_id in q.choice_ids:
            return script.choice(q, q.choice(choice_id), w.session.chosen(q), self.lang, w.election.currency)
        name = widget.accessibleName() or (widget.text() if isinstance(widget, QAbstractButton) else "")
        if isinstance(widget, QLineEdit):
            typed = widget.text()
            return " ".join(t for t in (name + ".", typed) if t.strip(". "))
        return script.button(name, widget.accessibleDescription(), self.lang, widget.isEnabled()) if name else ""

    # -- rate and volume ---------------------------------------------------------------------

    def faster(self, step: int = 1) -> None:
        self.rate = clamp_rate(self.rate + step * RATE_STEP)
        if self.on:
            self.say(script.rate(self.lang, self.rate))

    def louder(self, step: int = 1) -> None:
        self.volume = clamp_volume(self.volume + step * VOLUME_STEP)
        if self.on:
            self.say(script.volume(self.lang, round(self.volume * 100)))

    # -- the voice ---------------------------------------------------------------------------

    def say(self, text: str) -> None:
        if self.on:
            self._speak(text)

    def stop(self) -> None:
        self._generation += 1
        if self._player is not None:
            self._player.stop()

    def _speak(self, text: str, force: bool = False) -> None:
        """Cut what is being said and say `text` (synthesised off the UI thread)."""
        if not text or not (self.on or force):
            return
        self.stop()
        generation, lang, rate = self._generation, self.lang, self.rate
        self.spoken.emit(text)
        self._executor.submit(self._synthesise, generation, text, lang, rate)

    def _synthesise(self, generation: int, text: str, lang: str, rate: int) -> None:
        if generation != self._generation:
            return  # already superseded: do not spend the time
        try:
            if self._voice is None:
                self._voice = Voice()
            speech = self._voice.speech(text, lang, rate)
        except SpeechUnavailable as exc:
            log.warning("no speech: %s", exc.reason)
            self.unavailable.emit(exc.reason)
            return
        except Exception:  # a worker thread's error would vanish in its future: say it
            log.exception("speech synthesis failed")
            return
        self._ready.emit(generation, speech)

    def _play(self, generation: int, speech: Speech) -> None:
        if generation != self._generation:
            return
        if self._player is None:
            try:
                self._player = Player()
            except SpeechUnavailable as exc:
                log.warning("no sound output: %s", exc.reason)
                self.unavailable.emit(exc.reason)
                return
        self._player.play(speech, self.volume)
