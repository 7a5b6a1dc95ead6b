"""The kiosk window: screens in a stack, the voter's way through them, idle and staff access.

`build(config, store)` makes the window (nothing happens on import). The window only displays
domain objects and forwards intent: rule checks in `ballots.rules` (through `VoterSession`),
storage through `Store.cast` / `Store.register_voter`; the thank-you screen is shown only after
`cast` has returned (durable commit). Choices are never logged. On start, and so after a crash,
the window shows the welcome screen with the polls as stored.

Beside it: key and switch actions (`kiosk.ui.actions`), the staff's side of the window
(`kiosk.ui.staff_desk`: polls, drives, printer, staff jobs), the staff menu's jobs and results text
(`kiosk.ui.staff_jobs`), the voter's way (`kiosk.ui.flow`), full screen (`kiosk.ui.fullscreen`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QSizePolicy, QStackedWidget

from ballots import publication
from ballots.election import Election, RuleKind
from ballots.errors import UrneError
from ballots.staff_pin import PinGuard
from ballots.store import Counts, Polls, Store
from kiosk.config import Config
from kiosk.ui import actions, display, fullscreen, jobs, printer, staff_jobs
from kiosk.ui.audio import AudioGuide
from kiosk.ui.awake import KeepAwake
from kiosk.ui.choosing import ChoosingScreen, QuestionScreen, image_path
from kiosk.ui.flow import Idle, Place, Step, VoterFlow
from kiosk.ui.i18n import Translations
from kiosk.ui.idle import IdleScreen, IdleWatch
from kiosk.ui.input_filter import InputFilter
from kiosk.ui.keys import Action, Navigator, Scanner
from kiosk.ui.pin_pad import PinScreen
from kiosk.ui.ports import ScreenContext
from kiosk.ui.ranking import RankingScreen
from kiosk.ui.register_step import RegisterScreen
from kiosk.ui.review import ReviewScreen
from kiosk.ui.session import VoterSession
from kiosk.ui.staff import StaffMenu
from kiosk.ui.staff_desk import StaffSide
from kiosk.ui.tapguard import TapGuard
from kiosk.ui.thanks import ThanksScreen
from kiosk.ui.theme import Theme, make_theme
from kiosk.ui.welcome import WelcomeScreen
from kiosk.ui.widgets import Screen
from kiosk.ui.words import error_text


class MainWindow(QMainWindow, StaffSide):
    cast_done = Signal()  # after a durable commit, before the thank-you screen shows

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        clock: Callable[[], float] = time.monotonic,
        tap_clock: Callable[[], float] = time.monotonic,
        awake: KeepAwake | None = None,
        voice: Any = None,
        player: Any = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.election: Election = store.election()
        self.languages = tuple(lang for lang in self.election.languages if lang in ("fr", "en")) or ("fr",)
        self.session = VoterSession(self.election, config.kiosk.language)
        self.translations = Translations()
        self.translations.use(self.session.settings.language)
        self.density = display.density(config.kiosk)
        self.flow = VoterFlow(len(self.election.questions), needs_register=self.session.needs_register)
        self.ctx = ScreenContext(
            election=self.election,
            session=self.session,
            theme=make_theme(self.density.dpi),
            languages=self.languages,
            polls=self.polls,
            image_path=self.image_path,
            already_registered=lambda identity: store.is_registered(identity, self.election.id),
            place=lambda: self.flow.place,
            assistance=self._assistance,
        )
        self.awake = awake or KeepAwake()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # staff jobs one at a time: they all read the one store
        self._jobs: list[jobs.Job] = []
        self.drives_root = Path("/")  # where removable drives are looked for (a fake root in tests)
        self.printer: Any = None  # the printer the staff chose in the print dialog
        # the print dialog in the kiosk's sizes and colours; replaced by a fake printer in tests
        self.print_dialog: Callable[[Any], bool] = lambda p: printer.ask(p, self.theme.stylesheet())
        self.today: Callable[[], dt.date] = dt.date.today  # the local date, for the election's dates
        self._quitting = False
        self._shown: Place | None = None
        self.setWindowTitle("Urne")
        # Each screen carries the theme's stylesheet, set when it is shown (`_style`): a new text
        # size restyles the one screen on view, not the whole window (Qt re-polishes every widget
        # under a changed stylesheet: all ten screens took 0.3-0.7 s per change). The window only
        # paints the page colour behind them.
        self._backdrop = ""
        self._style_backdrop()

        self.stack = QStackedWidget()
        self.screens: list[Screen] = []
        self.setCentralWidget(self.stack)
        m = self.theme.gap_px * 2
        ctx = self.ctx
        self.welcome = WelcomeScreen(ctx)
        self.register_step = RegisterScreen(ctx)
        self.choosing = ChoosingScreen(ctx)
        self.ranking = RankingScreen(ctx)
        self.review = ReviewScreen(ctx)
        self.thanks = ThanksScreen(ctx)
        self.idle_screen = IdleScreen(ctx)
        self.guard = PinGuard(store, clock)
        self.pin = PinScreen(ctx, self.guard)
        self.staff_menu = StaffMenu(ctx, self)
        for s in (
            self.welcome,
            self.register_step,
            self.choosing,
            self.ranking,
            self.review,
            self.thanks,
            self.idle_screen,
            self.pin,
            self.staff_menu,
        ):
            s.setContentsMargins(m, m, m, m)
            # Never larger than the window: each screen scrolls its content inside, above a
            # fixed action bar (Screen.frame), so the window never needs to scroll.
            s.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            self.screens.append(s)
            self.stack.addWidget(s)

        self.idle = IdleWatch(config.kiosk.idle_seconds * 1000, self)
        self.voter_idle_ms = config.kiosk.idle_seconds * 1000
        self.staff_idle_ms = config.kiosk.staff_idle_seconds * 1000
        self.tap_guard = TapGuard(self, tap_clock)
        # Keys, switches and the audio ballot (kiosk/ui/keys.py, kiosk/ui/audio.py).
        self.navigator = Navigator(self)
        self.scanner = Scanner(self.navigator, round(config.kiosk.scan_seconds * 1000))
        self.audio = AudioGuide(
            self, voice=voice, player=player, rate=config.kiosk.speech_rate, volume=config.kiosk.speech_volume
        )
        for screen in (self.choosing, self.ranking):
            screen.changed.connect(self.audio.choice_changed)
        self.ranking.moved.connect(self.audio.choice_moved)
        self._style_ring()
        self.input_filter = InputFilter(self, self.tap_guard, self.navigator, self.idle)
        app = QApplication.instance()
        if app is not None:
            # the tap guard sees input first; keys become actions after it let them in; then idle
            app.installEventFilter(self.input_filter)
        self.idle.expired.connect(lambda: self.go(self.flow.idle_expired()))

        f = self.flow
        self.welcome.start.connect(lambda: self.go(f.start(polls_open=self.polls() is Polls.OPEN)))
        self.welcome.staff_requested.connect(self.open_staff)
        self.welcome.language_chosen.connect(self.set_language)
        self.welcome.size_chosen.connect(self.set_text_size)
        self.welcome.contrast_chosen.connect(self.set_high_contrast)
        self.welcome.audio_chosen.connect(self.set_audio)
        self.welcome.scanning_chosen.connect(self.set_scanning)
        self.register_step.back.connect(lambda: self.go(f.back()))
        self.register_step.done.connect(lambda: self.go(f.registered()))
        for screen in (self.choosing, self.ranking):
            screen.back.connect(lambda: self.go(f.back()))
            screen.next.connect(lambda: self.go(f.next()))
        self.review.edit.connect(lambda index: self.go(f.edit(index)))
        self.review.submit.connect(self.submit)
        self.thanks.finished.connect(lambda: self.go(f.finished()))
        self.idle_screen.still_here.connect(lambda: self.go(f.still_here()))
        self.idle_screen.timed_out.connect(lambda: self.go(f.timed_out()))
        self.pin.unlocked.connect(lambda: self.go(f.unlocked()))
        self.pin.cancelled.connect(lambda: self.go(f.leave()))
        self.staff_menu.leave.connect(lambda: self.go(f.leave()))
        shortcut = QShortcut(QKeySequence("Ctrl+Shift+U"), self)
        shortcut.activated.connect(self.open_staff)

        self.awake.set(self.polls() is Polls.OPEN)
        self._polls_seen = self.polls()
        # The polls may change from the CLI or another tool: the welcome screen follows.
        self.polls_timer = QTimer(self)
        self.polls_timer.timeout.connect(self._check_polls)
        self.polls_timer.start(5000)
        self.go(self.flow.place)
        if not self.guard.is_set and self.polls() is not Polls.OPEN:
            # First start: the person setting the kiosk up chooses the staff code now, before
            # anyone else finds the staff gesture (and the polls cannot open without one).
            self.open_staff()

    # -- what the screens and the staff menu see ------------------------------------------------

    @property
    def theme(self) -> Theme:
        return self.ctx.theme

    @property
    def from_review(self) -> bool:
        return self.flow.place.from_review

    @property
    def question_index(self) -> int:
        return self.flow.place.question

    def counts(self) -> Counts:
        return self.store.counts(self.election.id)

    def polls(self) -> Polls:
        return self.store.polls(self.election.id)

    def current(self) -> Screen:
        return self.screens[self.stack.currentIndex()]  # the stack holds exactly `screens`, in order

    def image_path(self, image: str) -> Path | None:
        return image_path(self.config.election_file, image)

    def results_allowed(self) -> bool:
        """Polls closed, or partial results allowed (ballots.publication, for every front end)."""
        return publication.of_store(self.store).allowed

    def results_text(self) -> str:
        pub = publication.of_store(self.store)
        if not pub.allowed:
            return ""
        return staff_jobs.results_text(self.election, self.store, self.session.settings.language, final=pub.final)

    # -- navigation: the flow decides, the window shows -----------------------------------------

    def screen_for(self, place: Place) -> Screen:
        if place.step is Step.QUESTION:
            return self.question_screen(place.question)
        return {
            Step.WELCOME: self.welcome,
            Step.REGISTER: self.register_step,
            Step.REVIEW: self.review,
            Step.THANKS: self.thanks,
            Step.IDLE: self.idle_screen,
            Step.PIN: self.pin,
            Step.STAFF: self.staff_menu,
        }[place.step]

    def go(self, place: Place) -> None:
        """Show `place` (what the flow returned). Back on the welcome screen from anywhere else,
        the last visit is forgotten: choices, settings, scroll positions, expanded cards."""
        if self.flow.new_visit:
            self.flow.new_visit = False
            self._forget_visit()
        screen = self.screen_for(place)
        if isinstance(screen, QuestionScreen):
            q = self.election.questions[place.question]
            if screen.question is not q:
                screen.alert.say("")
            screen.question = q
        elif place.step is Step.REGISTER and self.current() is self.welcome:
            self.register_step.reset()
        self.show_screen(screen, place)

    def show_screen(self, screen: Screen, place: Place | None = None) -> None:
        place = place or self.flow.place
        before = (self.current(), self._shown)
        self._style(screen)
        screen.refresh()
        self.stack.setCurrentWidget(screen)
        if (screen, place) != before:
            self._shown = place
            self.tap_guard.screen_changed()
            # A new screen starts with nothing focused: the first "down" (or scan step) takes the
            # voter to its first action, and the audio reads the screen from the top.
            # The window itself holds the focus (Qt would otherwise give it to the first button,
            # where Entrée would press it and its outline would show to the next voter).
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            self.navigator.ring.follow(None)
            self.scanner.restart()
            self.audio.screen_changed()
        if place.idle is Idle.STAFF:
            self.idle.arm(self.staff_idle_ms)
        elif place.idle is Idle.VOTER:
            self.idle.arm(self.voter_idle_ms)
        else:
            self.idle.disarm()
        if place.step is Step.IDLE:
            if not self.idle_screen.timer.isActive():
                self.idle_screen.start(self.config.kiosk.idle_warning_seconds)
        else:
            self.idle_screen.stop()

    def _forget_visit(self) -> None:
        self.thanks.timer.stop()
        self.pin.reset()
        self.pin.timer.stop()
        previous = self.session.settings
        self.session.clear()
        for screen in self.screens:
            screen.reset()
        self.audio.reset()  # nothing spoken survives to the next voter
        self.scanner.stop()
        if self.session.settings != previous:
            self._apply_settings()

    def go_welcome(self) -> None:
        """Back to the start, everything about the last voter forgotten, settings to defaults."""
        self.go(self.flow.home())

    def start_vote(self) -> None:
        self.go(self.flow.start(polls_open=self.polls() is Polls.OPEN))
        if self.current() is self.welcome:
            self.welcome.refresh()

    def question_screen(self, index: int) -> QuestionScreen:
        q = self.election.questions[index]
        return self.ranking if q.rule.kind is RuleKind.RANKED else self.choosing

    def submit(self) -> None:
        """Store the ballot; only a returned `cast` (durable commit) leads to the thank-you."""
        if not self.flow.may_cast():
            return  # a stray signal: ballots are cast from the review screen only
        try:
            self.session.cast(self.store)
        except (UrneError, sqlite3.Error, OSError) as exc:
            self.review.show_error(error_text(exc))
            self.audio.error(error_text(exc))
            return
        # Forget the choices at once: they are stored, and must not stay in memory.
        settings = self.session.settings
        self.session.clear()
        self.session.settings = settings  # the thank-you is read in the voter's language and size
        self.cast_done.emit()
        self.go(self.flow.cast())
        self.thanks.start(self.config.kiosk.thanks_seconds)

    def discard(self) -> None:
        """The voter left: the ballot in progress is dropped (never stored)."""
        self.go_welcome()

    # -- keys, switches and audio ---------------------------------------------------------------

    def act(self, action: Action) -> None:
        """One key or switch press, already turned into an action (kiosk/ui/keys.py)."""
        actions.act(self, action)

    def go_back(self) -> None:
        """Échap: the screen before this one, as the flow says (never a vote, never past welcome)."""
        actions.go_back(self)

    def _assistance(self) -> tuple[bool, bool]:
        audio, scanner = getattr(self, "audio", None), getattr(self, "scanner", None)
        return (audio is not None and audio.on, scanner is not None and scanner.running)

    def set_audio(self, on: bool) -> None:
        self.audio.set_on(on)
        if self.current() is self.welcome:
            self.welcome.refresh()

    def set_scanning(self, on: bool) -> None:
        """Automatic scanning for one switch: the focus moves by itself every scan_seconds."""
        if on:
            self.scanner.start()
        else:
            self.scanner.stop()
        if self.current() is self.welcome:
            self.welcome.refresh()

    def _style(self, screen: Screen) -> None:
        """Give `screen` the current theme's stylesheet, unless it has it already."""
        if screen.property("theme_key") != self._theme_key():
            screen.setStyleSheet(self.theme.stylesheet())
            screen.setProperty("theme_key", self._theme_key())

    def _theme_key(self) -> str:
        t = self.theme
        return f"{t.dpi}/{t.size}/{t.palette.name}/{t.family}"

    def _style_backdrop(self) -> None:
        p = self.theme.palette
        sheet = f"QMainWindow, QStackedWidget {{ background: {p.background}; }}"
        if sheet != self._backdrop:  # only a change of contrast restyles the whole window
            self._backdrop = sheet
            self.setStyleSheet(sheet)

    def _style_ring(self) -> None:
        t = self.theme
        self.navigator.ring.style_from(t.focus_px, max(3, t.gap_px // 2), t.palette.focus)

    def _check_polls(self) -> None:
        polls = self.polls()
        if polls is not self._polls_seen:
            self._polls_seen = polls
            self.awake.set(polls is Polls.OPEN)
            if self.current() is self.welcome:
                self.welcome.refresh()

    # -- settings -------------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        self.session.set_settings(language=lang)
        self._apply_settings()

    def set_text_size(self, size: int) -> None:
        self.session.set_settings(size=size)
        self._apply_settings()

    def set_high_contrast(self, on: bool) -> None:
        self.session.set_settings(high_contrast=on)
        self._apply_settings()

    def _apply_settings(self) -> None:
        s = self.session.settings
        self.translations.use(s.language)
        theme = make_theme(self.density.dpi, s.size, s.high_contrast, self.theme.family)
        if theme != self.theme:
            self.ctx.theme = theme
            self._style_backdrop()
            self._style_ring()
        current = self.current()
        if isinstance(current, Screen):
            self._style(current)  # the others take the new theme when they are shown
            current.refresh()
        if current is self.welcome:
            # Someone changed the settings and walked away: reset them after the idle time.
            if s != VoterSession(self.election, self.config.kiosk.language).settings:
                self.idle.arm(self.voter_idle_ms)
            else:
                self.idle.disarm()

    def quit_kiosk(self) -> None:
        self._quitting = True
        self.polls_timer.stop()
        self.pin.timer.stop()  # a locked pad looks at the store every second: not once it is closed
        self.awake.set(False)
        self.idle.disarm()
        self.close()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.input_filter)
        self.scanner.stop()
        self.audio.shutdown()

    # -- kiosk mode -----------------------------------------------------------------------------

    def present(self, windowed: bool = False) -> None:
        full = not windowed and self.config.kiosk.fullscreen
        fullscreen.present(self, fullscreen=full, on_screen_change=self._fill_screen)

    def _fill_screen(self) -> None:  # a bound method: Qt drops the connection with the window
        fullscreen.fill_screen(self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        """A voter cannot close the kiosk (Alt+F4, window manager); only the staff menu quits."""
        if self._quitting:
            self.pool.waitForDone(10_000)
            event.accept()
        else:
            event.ignore()


def build(config: Config, store: Store, **kwargs: Any) -> MainWindow:
    """The kiosk window on `store`'s current election, on the welcome screen (not yet shown)."""
    return MainWindow(config, store, **kwargs)
