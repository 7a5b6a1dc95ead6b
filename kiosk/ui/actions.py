"""What each key or switch action does on the kiosk (the keys themselves are read in
`kiosk/ui/keys.py`): move the focus, select, go back as the voter flow says, the audio ballot's
controls. Functions of the window, which calls them from `MainWindow.act` and `go_back`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ballots.store import Polls
from kiosk.ui.flow import Step
from kiosk.ui.keys import Action

if TYPE_CHECKING:
    from kiosk.ui.app import MainWindow


def act(window: MainWindow, action: Action) -> None:
    """One key or switch press, already turned into an action (kiosk/ui/keys.py)."""
    w = window
    screen = w.current()
    w.scanner.restart()
    if action in (Action.UP, Action.DOWN):
        w.audio.focus_changed(w.navigator.move(-1 if action is Action.UP else 1))
    elif action is Action.SELECT:
        if w.navigator.select():
            return
        # Nothing focused yet: Entrée does what the screen is for.
        if screen is w.welcome and w.polls() is Polls.OPEN:
            w.start_vote()
        elif screen is w.idle_screen:
            w.idle_screen.stay.click()
        elif screen is w.thanks:
            w.thanks.done.click()
        else:
            w.audio.focus_changed(w.navigator.move(1))
    elif action is Action.BACK:
        w.go_back()
    elif action is Action.HELP:
        w.audio.repeat()
    elif action is Action.AUDIO:
        w.set_audio(not w.audio.on)
    elif action is Action.SCREEN:
        w.audio.set_blank(not w.audio.blanked)
    elif action in (Action.LOUDER, Action.SOFTER):
        w.audio.louder(1 if action is Action.LOUDER else -1)
    elif action in (Action.FASTER, Action.SLOWER):
        w.audio.faster(1 if action is Action.FASTER else -1)
    focused = w.focusWidget()
    if focused is not None and action in (Action.UP, Action.DOWN, Action.SELECT):
        w.navigator.ring.follow(focused)


def go_back(window: MainWindow) -> None:
    """Échap: the screen before this one, as the flow says (never a vote, never past welcome)."""
    flow = window.flow
    step = flow.step
    if step in (Step.QUESTION, Step.REGISTER):
        window.go(flow.back())
    elif step is Step.REVIEW:
        window.go(flow.edit(len(window.election.questions) - 1))
    elif step is Step.IDLE:
        window.go(flow.still_here())
    elif step in (Step.PIN, Step.STAFF):
        window.go(flow.leave())
