"""`urne kiosk [--windowed]`: the touch voting kiosk on the current election.

`urne kiosk --set-pin` sets (or resets after a lockout) the 6-digit staff code, typed twice
on the terminal; it is stored as a salted scrypt hash.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from ballots.errors import UrneError
from kiosk.context import Context


def cmd_kiosk(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    store.election()  # NoElection with its "run urne init" hint before any window opens
    if args.set_pin:
        from kiosk.ui.pin import BadPin, PinGuard

        first = getpass.getpass("Code du personnel (6 chiffres) : ")
        if getpass.getpass("Encore une fois : ") != first:
            raise BadPin("the two codes differ; nothing changed")
        PinGuard(store).set_pin(first, actor="cli")
        print("staff code set")
        return 0
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display and not os.environ.get("QT_QPA_PLATFORM"):
        print("urne: no display found: the kiosk needs a screen (try 'urne demo' for a headless run)", file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.app import build

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = build(ctx.config, store)
    window.present(windowed=args.windowed)
    return int(app.exec())


def demo_step(ctx: Context, args: argparse.Namespace) -> None:
    """Headless: one voter goes through the kiosk screens (offscreen Qt), ballot stored."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtWidgets import QApplication

        from kiosk.ui.app import build
        from kiosk.ui.autopilot import vote_once
    except ImportError as exc:  # pragma: no cover - Qt missing on a server
        print(f"[demo] kiosk UI skipped ({exc})")
        return
    app = QApplication.instance() or QApplication([])
    store = ctx.store()
    before = store.counts().ballots
    window = build(ctx.config, store)
    window.resize(1280, 800)
    try:
        vote_once(window, app)
    except UrneError as exc:
        print(f"[demo] kiosk UI: {exc}")
        return
    finally:
        window.quit_kiosk()
        window.deleteLater()
    print(
        f"[demo] kiosk UI: one voter went welcome → choices → review → thanks ({store.counts().ballots - before} ballot stored)"
    )


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("kiosk", parents=[parent], help="the touch voting kiosk (full screen)")
    p.add_argument("--windowed", action="store_true", help="in a window, for trying it out (not for voters)")
    p.add_argument("--set-pin", action="store_true", help="set the 6-digit staff code (also clears a lockout)")
    p.set_defaults(func=cmd_kiosk)
    from kiosk.commands import core

    core.add_demo_step(demo_step)
