"""`urne kiosk [--windowed]`: the touch voting kiosk on the current election.

`urne kiosk --set-pin` sets (or resets after a lockout) the 6-digit staff code, typed twice
on the terminal; it is stored as a salted scrypt hash. It prints a new one-time recovery code
(12 digits) for the staff envelope: on the tablet, "Code de secours" unlocks a locked pad with it.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

import click

from kiosk.commands.common import with_context
from kiosk.context import Context


def ask_pin(store: Any) -> None:
    """Type the staff code twice on the terminal; stored hashed (clears a lockout, even on a
    kiosk that is running: its PIN pad sees it within a second)."""
    from ballots.staff_pin import BadPin, PinGuard

    first = getpass.getpass("Code du personnel (6 chiffres) : ")
    if getpass.getpass("Encore une fois : ") != first:
        raise BadPin("les deux codes sont différents ; rien n'a changé")
    from ballots.staff_pin import spaced

    recovery = PinGuard(store).set_pin(first, actor="cli")
    click.echo("code du personnel enregistré")
    click.echo(
        f"code de secours : {spaced(recovery)} (à usage unique, pour débloquer le code sur la borne "
        "elle-même : notez-le pour l'enveloppe du personnel, hors de la vue des électeurs ; "
        "il n'est affiché qu'une fois)"
    )


@click.command(help="La borne de vote tactile (plein écran).")
@click.option("--windowed", is_flag=True, help="dans une fenêtre, pour essayer (pas pour les électeurs)")
@click.option("--set-pin", is_flag=True, help="choisir le code du personnel à 6 chiffres (lève aussi un blocage)")
@with_context
def kiosk(ctx: Context, windowed: bool, set_pin: bool) -> int:
    store = ctx.store()
    store.election()  # NoElection with its "run urne init" hint before any window opens
    if set_pin:
        ask_pin(store)
        return 0
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display and not os.environ.get("QT_QPA_PLATFORM"):
        from ballots.errors import UrneError

        raise UrneError("aucun écran trouvé : le kiosque a besoin d'un écran (essayez 'urne demo' sans écran)")
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.app import build

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = build(ctx.config, store)
    window.present(windowed=windowed)
    return int(app.exec())


def demo_step(ctx: Context, seed: int) -> None:
    """Headless: one voter goes through the kiosk screens (offscreen Qt), ballot stored."""
    from ballots.errors import UrneError

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtWidgets import QApplication

        from kiosk.ui.app import build
        from kiosk.ui.autopilot import vote_once
    except ImportError as exc:  # pragma: no cover - Qt missing on a server
        click.echo(f"[demo] écrans de la borne sautés ({exc})")
        return
    app = QApplication.instance() or QApplication([])
    store = ctx.store()
    before = store.counts().ballots
    window = build(ctx.config, store)
    window.resize(1280, 800)
    try:
        vote_once(window, app)
    except UrneError as exc:
        click.echo(f"[demo] écrans de la borne : {exc}")
        return
    finally:
        window.quit_kiosk()
        window.deleteLater()
    click.echo(
        f"[demo] écrans de la borne : un votant, accueil → choix → vérification → merci "
        f"({store.counts().ballots - before} bulletin enregistré)"
    )
