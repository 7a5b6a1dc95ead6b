"""SIGKILL during `urne scan` (issue 17, kill tests): the whole process, real printed and marked
images. A sheet whose result line was printed is stored; nothing is stored twice; a rerun after
the kills completes with exactly one ballot per sheet, each with its marks, and a whole store."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

from ballots import integrity
from ballots.ballot import Channel
from ballots.paper import ids
from ballots.store import Store
from tests.ballots.paper.helpers import mark, write
from tests.conftest import ROOT

SHEETS = 14


def _scan(data, scans, kill_after: int | None) -> list[dict]:
    """`urne scan --json` as a process; SIGKILL once `kill_after` result lines were printed
    (plus a random few ms). Returns the result lines it printed before dying."""
    cmd = [sys.executable, "-m", "kiosk.cli", "scan", "--data", str(data), "--json", "--workers", "1", str(scans)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: list[dict] = []
    enough = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("{") and '"serial"' in line:
                lines.append(json.loads(line))
                if kill_after is not None and len(lines) >= kill_after:
                    enough.set()
        enough.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    enough.wait(120)
    if kill_after is not None:
        time.sleep(random.Random(kill_after).uniform(0, 0.05))  # inside the next sheet's commit, or not
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
    proc.wait(120)
    reader.join(10)
    return list(lines)


def test_scan_killed_three_times_loses_nothing_acknowledged_and_doubles_nothing(paper_store, printed, tmp_path):
    serials, pages, lay = printed(SHEETS)
    rng = random.Random(17)
    scans = tmp_path / "scans"
    scans.mkdir()
    expected: dict[str, tuple[str, ...]] = {}
    for i, (serial, page) in enumerate(zip(serials, pages, strict=True)):
        chosen = tuple(sorted(rng.sample([f"p{k:02d}" for k in range(1, 21)], rng.randint(1, 3))))
        write(mark(page, lay, dict.fromkeys(chosen, "x"), seed=i), scans / f"sheet-{i:02d}.png")
        expected[serial] = chosen
    data = paper_store.data_dir
    paper_store.close()

    acknowledged: set[str] = set()
    for kill_after in (2, 6, 10):
        printed_lines = _scan(data, scans, kill_after)
        acknowledged |= {r["serial"] for r in printed_lines if r["status"] == "counted"}
        with Store(data) as s:
            stored = {b.id for b in s.ballots() if b.channel is Channel.PAPER}
            for serial in acknowledged:  # every sheet whose line was printed is there
                assert ids.for_store(s, serial) in stored, serial
            assert len(stored) <= SHEETS
            integrity.verify(s)  # quick_check, the seal and the audit chain hold after the kill

    final = _scan(data, scans, None)
    assert len(final) == SHEETS  # the rerun completes
    assert {r["status"] for r in final} <= {"counted", "duplicate"}
    with Store(data) as s:
        paper = [b for b in s.ballots() if b.channel is Channel.PAPER]
        assert len(paper) == SHEETS  # one ballot per sheet: nothing doubled, nothing lost
        for serial, chosen in expected.items():
            b = s.ballot(ids.for_store(s, serial))
            assert b is not None and b.selection == {"projets": chosen}, serial
        assert s.counts().by_channel.get("paper") == SHEETS
        integrity.verify(s)
