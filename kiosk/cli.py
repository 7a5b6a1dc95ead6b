"""The `urne` command line: the stable contract other tools and tests rely on.

Every command takes --data DIR (default from config.toml) and --config FILE. Errors are one
line on stderr naming what is wrong, with exit code 2 (usage errors too); nothing is
half-written because every store operation is one transaction.

Commands are listed here with their one-line help and imported only when they run (click's lazy
group), so that `urne --help` loads click alone and `urne tally` loads the store and the tally,
not Qt, OpenCV or reportlab. A test checks that this table and the commands' own help agree.
"""

from __future__ import annotations

import errno
import importlib
import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any

import click

from kiosk import click_fr
from kiosk.commands.common import location_options

click_fr.install()  # click's own messages (usage, errors) in French, like ours

# name -> ("module:attribute", one-line help), in the order of `urne --help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("kiosk.commands.core:init", "Installer une élection (.toml ou pabulib .pb)."),
    "status": ("kiosk.commands.core:status", "L'élection, le scrutin et les décomptes."),
    "polls": ("kiosk.commands.core:polls", "Ouvrir, suspendre ou clore le scrutin."),
    "tally": ("kiosk.commands.core:tally", "Compter les bulletins et désigner les gagnants."),
    "audit": ("kiosk.commands.core:audit", "Le journal d'audit chaîné."),
    "backup": (
        "kiosk.commands.core:backup",
        "Copie vérifiée de toutes les données dans un nouveau FICHIER ou un DOSSIER (clé USB).",
    ),
    "restore": (
        "kiosk.commands.core:restore",
        "Remplacer les données par une sauvegarde vérifiée (les données actuelles sont gardées).",
    ),
    "demo": ("kiosk.commands.demo:demo", "Démonstration complète sans écran sur l'élection d'exemple."),
    "print": ("kiosk.commands.paper:print_ballots", "Imprimer N bulletins papier numérotés dans un PDF."),
    "layout": ("kiosk.commands.paper:layout", "La géométrie du bulletin (points PDF, origine en haut à gauche)."),
    "testdeck": ("kiosk.commands.paper:testdeck", "Bulletins de test pré-cochés et leur décompte attendu."),
    "scan": ("kiosk.commands.paper:scan", "Lire des bulletins numérisés (fichiers ou dossiers)."),
    "sync": ("kiosk.commands.sync:sync", "Envoyer au hub maintenant et montrer l'état de la synchronisation."),
    "bundle": ("kiosk.commands.sync:bundle", "Lots sur clé USB entre machines hors ligne."),
    "hub": ("kiosk.commands.hub:hub", "Lancer le serveur central de synchronisation de la commune."),
    "staff-password": (
        "kiosk.commands.hub:staff_password",
        "Choisir le mot de passe du personnel pour le tableau de bord du hub.",
    ),
    "device": (
        "kiosk.commands.sync:device",
        "La clé de cet appareil ; les appareils auxquels cette machine fait confiance.",
    ),
    "conflicts": ("kiosk.commands.sync:conflicts", "Bulletins dont les copies diffèrent ; électeurs en double."),
    "register": ("kiosk.commands.register:register", "Le registre des votants : visites interrompues."),
    "export": ("kiosk.commands.platforms:export", "Totaux ou bulletins pour Cap Collectif, Decidim, Consul, pabulib."),
    "purpoz": (
        "kiosk.commands.platforms:purpoz",
        "Purpoz / Cap Collectif : lire une étape, envoyer les totaux papier.",
    ),
    "kiosk": ("kiosk.commands.app:kiosk", "La borne de vote tactile (plein écran)."),
    "count": ("kiosk.commands.report:count", "Le dépouillement : bulletins papier numérisés, examen, résultats."),
    "report": ("kiosk.commands.report:report", "Le procès-verbal des résultats, en PDF et CSV."),
}


def _fail(message: str, code: int = 2) -> int:
    click.echo(f"urne: {' '.join(message.split())}", err=True)
    return code


class Urne(click.Group):
    """The root group: lazy subcommands, and the one error handler of the command line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, _, attr = COMMANDS[name][0].partition(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # From the table, without importing every command's module.
        with formatter.section("Commandes"):
            formatter.write_dl([(name, help) for name, (_, help) in COMMANDS.items()])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # `urne tally | head`: the reader has gone, that is fine
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        code = self.run(args, prog_name, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def run(self, args: Sequence[str] | None, prog_name: str | None, **extra: Any) -> int:
        """Run a command line; every expected failure becomes one line on stderr and exit 2."""
        from ballots.errors import UrneError

        argv = list(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(argv, prog_name or "urne", standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else "", err=True)
            return 2
        except click.UsageError as exc:
            # "urne: polls open: No such option ..." names the command that refused.
            where = exc.ctx.command_path.partition(" ")[2] if exc.ctx else ""
            return _fail(f"{where}: {exc.format_message()}" if where else exc.format_message())
        except click.ClickException as exc:
            return _fail(exc.format_message())
        except UrneError as exc:
            return _fail(str(exc))
        except sqlite3.DatabaseError as exc:
            from ballots.sqlite_file import storage_error

            # Busy, read-only, disk full and damaged are four different things to do.
            return _fail(str(storage_error(exc, _data_file(argv))))
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EROFS):
                from ballots.sqlite_file import storage_error

                return _fail(str(storage_error(exc, exc.filename or _data_file(argv))))
            return _fail(f"{exc.filename or ''}: {exc.strerror or exc}")
        except (click.Abort, KeyboardInterrupt):
            return _fail("interrompu ; tout ce qui a été confirmé jusqu'ici est enregistré", 130)
        return int(rv or 0)


def _data_file(argv: Sequence[str]) -> str:
    """The data file the command line names (for messages only)."""
    args = list(argv)
    for i, a in enumerate(args):
        if a == "--data" and i + 1 < len(args):
            return os.path.join(args[i + 1], "urne.sqlite")
        if a.startswith("--data="):
            return os.path.join(a.split("=", 1)[1], "urne.sqlite")
    return "urne.sqlite"


@click.group(cls=Urne, context_settings={"help_option_names": ["-h", "--help"]})
@location_options
@click.option("-v", "--verbose", is_flag=True, help="journaliser aussi ce qui se passe bien (requêtes au hub, fusions)")
@click.version_option(package_name="urne", message="urne %(version)s", help="Afficher la version et quitter.")
def urne(verbose: bool) -> None:
    """Urne : borne de vote hors ligne et dépouillement des bulletins papier pour les mairies."""
    import logging

    from kiosk import log

    log.configure(logging.INFO if verbose else logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    return urne.main(argv, "urne", standalone_mode=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
