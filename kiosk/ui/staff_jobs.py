"""What the staff menu's jobs do (backup, sync file, blank ballots to print or to a drive) and
the results text it shows: plain functions of the store and the configuration. The kiosk
window runs a job off the UI thread (`MainWindow.run_staff_job`) and shows the words it returns.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from ballots import backup as backup_mod
from ballots.election import Election, RuleKind
from ballots.store import Store
from ballots.tally import tally
from kiosk.config import Config
from kiosk.drives import Drive
from kiosk.ui import printer

BLANK_BALLOTS = 20


def job(
    name: str, drive: Drive | None, *, store: Store, election: Election, config: Config, chosen_printer: Any
) -> Callable[[], str]:
    """The function a staff job runs off the UI thread; it returns the words to show."""
    # The time too: a second export of the day never meets the first one's file.
    stem = f"urne-{election.id}-{time.strftime('%Y%m%d-%H%M%S')}-{store.device}"
    if name == "backup" and drive is not None:

        def run() -> str:
            path, n = backup_mod.backup_to(store, drive.path, actor="staff")
            return QCoreApplication.translate("Staff", "Sauvegarde vérifiée : {n} bulletins dans {path}").format(
                n=n, path=path
            )

        return run
    if name == "bundle" and drive is not None:
        dest = drive.path / f"{stem}.urne"

        def run() -> str:
            from sync import bundle

            report = bundle.export(store, dest)
            return QCoreApplication.translate(
                "Staff", "Fichier de synchronisation écrit : {n} bulletins dans {path}"
            ).format(n=report.ballots, path=report.path)

        return run
    if name == "print":

        def run() -> str:
            from ballots.paper import printing

            if drive is not None:
                dest = drive.path / f"{stem}-bulletins.pdf"
                serials = printing.print_ballots(store, BLANK_BALLOTS, dest, config.paper.page_size)
                return QCoreApplication.translate("Staff", "{n} bulletins vierges en PDF sur la clé : {path}").format(
                    n=len(serials), path=dest
                )
            with tempfile.TemporaryDirectory() as tmp:
                pdf = Path(tmp) / f"{stem}-bulletins.pdf"
                serials = printing.print_ballots(store, BLANK_BALLOTS, pdf, config.paper.page_size)
                printer.print_pdf(pdf, chosen_printer)
            return QCoreApplication.translate("Staff", "{n} bulletins vierges envoyés à l'imprimante").format(
                n=len(serials)
            )

        return run
    raise ValueError(name)


def results_text(election: Election, store: Store, lang: str, *, final: bool) -> str:
    """The results as the staff menu shows them: per question, choices by votes (points when
    ranked), headed "provisional" while the polls are not closed (`final` False)."""
    t = tally(election, list(store.ballots(election.id)), None)
    lines: list[str] = [] if final else ["Résultats provisoires" if lang == "fr" else "Provisional results"]
    for q in election.questions:
        qt = t.question(q.id)
        score = qt.points() if q.rule.kind is RuleKind.RANKED else qt.votes()
        lines.append(q.title.get(lang))
        for cid, n in sorted(score.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {n:>5}  {q.choice(cid).title.get(lang)}")
    return "\n".join(lines)
