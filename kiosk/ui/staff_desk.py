"""The kiosk window's staff side: what the staff menu may ask of the kiosk (`ports.StaffDesk`).

`MainWindow` takes these methods from `StaffSide`: opening the staff screens (the PIN pad and
its recovery code live in `kiosk.ui.pin_pad`, the rules in `ballots.staff_pin`), the polls through
`ballots.polls`, interrupted visits through `ballots.casting`, removable drives, the print dialog,
and the staff jobs run off the UI thread (`kiosk.ui.staff_jobs`). Moved out of `kiosk/ui/app.py`
as it was (no behaviour change): the voter's way through the screens stays there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QThreadPool

from ballots import casting
from ballots import polls as polls_service
from ballots.election import Election, RegisterMode
from ballots.errors import UrneError
from ballots.register import Identity
from ballots.store import Polls, Store
from kiosk.config import Config
from kiosk.drives import Drive, removable_drives
from kiosk.ui import jobs, printer, staff_jobs
from kiosk.ui.awake import KeepAwake
from kiosk.ui.flow import Place, Step, VoterFlow
from kiosk.ui.staff import StaffMenu


class StaffSide:
    """The staff's actions on the kiosk window (a part of `MainWindow`, which sets what is declared
    here). Every rule is a `ballots` service: this only forwards and shows."""

    config: Config
    store: Store
    election: Election
    flow: VoterFlow
    staff_menu: StaffMenu
    awake: KeepAwake
    pool: QThreadPool
    _jobs: list[jobs.Job]
    _polls_seen: Polls
    drives_root: Path
    printer: Any
    print_dialog: Callable[[Any], bool]
    today: Callable[[], dt.date]

    def go(self, place: Place) -> None:
        raise NotImplementedError  # MainWindow.go

    def _forget_visit(self) -> None:
        raise NotImplementedError  # MainWindow._forget_visit

    def open_staff(self) -> None:
        if self.flow.step is Step.WELCOME:
            # A staff session starts clean: the default text size and language (not what a voter
            # left on the welcome screen), no message from the last session.
            self._forget_visit()
            self.staff_menu.reset()
        self.go(self.flow.staff())

    def change_polls(self, state: Polls, *, reopen: bool = False) -> None:
        polls_service.change(
            self.store, state, actor="staff", reopen=reopen, today=self.today(), election_id=self.election.id
        )
        self._polls_seen = state
        self.awake.set(state is Polls.OPEN)

    def interrupted_visits(self) -> int:
        return casting.interrupted_visits(self.store, self.election)

    def register_mode(self) -> RegisterMode:
        return self.election.register

    def undo_interrupted(self, identity: Identity | None) -> bool:
        return casting.undo_registration(self.store, self.election, identity, actor="staff")

    def date_warning(self) -> polls_service.DateWarning | None:
        return polls_service.date_warning(self.election, self.today())

    def drives(self) -> list[Drive]:
        return removable_drives(self.drives_root)

    def choose_printer(self) -> bool:
        self.printer = printer.new_printer()
        return self.print_dialog(self.printer)

    def staff_job(self, name: str, drive: Drive | None) -> Callable[[], str]:
        """The function a staff job runs off the UI thread; it returns the words to show."""
        return staff_jobs.job(
            name, drive, store=self.store, election=self.election, config=self.config, chosen_printer=self.printer
        )

    def run_staff_job(self, name: str, drive: Drive | None = None) -> None:
        def done(text: Any) -> None:
            self._jobs = [j for j in self._jobs if j.signals is not job.signals]
            self.staff_menu.job_finished(str(text))

        def failed(exc: Any) -> None:
            self._jobs = [j for j in self._jobs if j.signals is not job.signals]
            problem = exc.message() if isinstance(exc, UrneError) else str(exc)
            self.staff_menu.job_finished(
                QCoreApplication.translate("Staff", "Échec : {problem}").format(problem=problem)
            )

        job = jobs.start(self.pool, self.staff_job(name, drive), done, failed)
        self._jobs.append(job)
