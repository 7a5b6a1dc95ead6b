"""SIGKILL during `urne bundle import`: the store holds all of a bundle or none of it, and
importing again ends with the exact totals (the kill tests extended to bundle import)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from ballots.store import Store
from sync import bundle
from tests.sync.helpers import device_store, enrol, totals, vote
from tests.sync.hubproc import ROOT


def test_bundle_import_killed_at_random_moments_is_all_or_nothing(tmp_path, budget_election):
    kiosk = device_store(tmp_path / "kiosk", budget_election)
    town = device_store(tmp_path / "town", budget_election)
    enrol(town, kiosk)
    vote(kiosk, 600, random.Random(9))
    bundle.export(kiosk, tmp_path / "k.urne")
    expected = totals(kiosk)
    kiosk.close()
    town.close()
    rng = random.Random(4)
    cmd = [
        sys.executable,
        "-m",
        "kiosk.cli",
        "bundle",
        "import",
        str(tmp_path / "k.urne"),
        "--data",
        str(tmp_path / "town"),
    ]
    for _ in range(6):
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.5))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        with Store(tmp_path / "town") as s:
            n = s.counts().ballots
            assert n in (0, 600), n  # never a part of the bundle
            if n == 600:
                break
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, timeout=120)
    with Store(tmp_path / "town") as s:
        assert totals(s) == expected
