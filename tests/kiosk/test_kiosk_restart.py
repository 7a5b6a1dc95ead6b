"""A kiosk killed (SIGKILL) in the middle of a vote loses nothing acknowledged and restarts on welcome."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from ballots import election_file
from ballots.store import Polls, Store
from tests.conftest import ROOT, SAMPLE_BUDGET
from tests.kiosk.kiosk_support import clock_fixture, kiosk_fixture  # noqa: F401 (fixtures)

CHILD = textwrap.dedent(
    """
    import random, sys, time
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from kiosk.config import Config
    from ballots.store import Store
    from kiosk.ui.app import build
    from kiosk.ui.autopilot import vote_once

    app = QApplication([])
    store = Store(Path(sys.argv[1]))
    window = build(Config(data_dir=store.data_dir), store)
    window.resize(1280, 800)
    window.show()
    rng = random.Random(7)
    for i in range(int(sys.argv[2])):
        vote_once(window, app, rng)
        print("CAST", i + 1, flush=True)   # acknowledged: the thank-you was shown
    # a voter is half-way through when the power goes
    window.welcome.vote.click()
    for t in window.register_step.ticks:
        t.click()
    window.register_step.next_button.click()
    window.choosing.cards["p07"].pick.click()
    print("MIDVOTE", flush=True)
    time.sleep(600)
    """
)


def test_restart_after_kill(qtbot, kiosk, tmp_path):
    data = tmp_path / "data"
    with Store(data) as s:
        s.install_election(election_file.load(SAMPLE_BUDGET))
        s.set_polls(Polls.OPEN, actor="test")
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, str(script), str(data), "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    acknowledged = 0
    try:
        for line in child.stdout:
            if line.startswith("CAST"):
                acknowledged = int(line.split()[1])
            if line.startswith("MIDVOTE"):
                break
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert acknowledged == 5
    w, store = kiosk(data=data)
    assert store.integrity_check() == "ok"
    assert store.counts().ballots == 5 and store.counts().register == 5
    assert w.current() is w.welcome
    assert store.polls() is Polls.OPEN and w.welcome.vote.isVisible()
    assert w.session.selection() == {}
