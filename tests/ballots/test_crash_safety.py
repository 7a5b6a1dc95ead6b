"""A writer killed with SIGKILL mid-storm loses no acknowledged ballot."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from ballots.store import Store
from tests.conftest import ROOT

WRITER = textwrap.dedent(
    """
    import sys
    from ballots.ballot import Channel, new_ballot
    from ballots.store import Store
    store = Store(sys.argv[1])
    e = store.election()
    while True:
        b = store.cast(new_ballot(e, {"projets": ("p01", "p05")}, channel=Channel.KIOSK, device="storm"))
        print(b.id, flush=True)  # the acknowledgement: only after cast() returned
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("kill_after", [1, 37, 400])
def test_sigkill_mid_storm_loses_no_acknowledged_ballot(store, kill_after):
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store.data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    acked = []
    assert proc.stdout is not None
    for line in proc.stdout:
        acked.append(line.strip())
        if len(acked) >= kill_after:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with Store(store.data_dir) as after:
        assert after.integrity_check() == "ok"
        stored = {b.id for b in after.ballots()}
        assert set(acked) <= stored
        # Every ballot has its outbox row: nothing to resend is forgotten.
        outbox = {r[0] for r in after.conn.execute("SELECT key FROM outbox WHERE kind='ballot'")}
        assert stored == outbox


RESTORER = textwrap.dedent(
    """
    import sys
    from ballots import backup
    print("go", flush=True)
    backup.restore(sys.argv[1], sys.argv[2])
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.3])
def test_sigkill_during_restore_loses_neither_version(store, tmp_path, delay):
    """Issue 17: restore is one of the operations a kill must not turn into a loss."""
    import time

    from ballots import backup
    from ballots.ballot import Channel, new_ballot

    e = store.election()
    for _ in range(300):
        store.cast(new_ballot(e, {"projets": ("p01",)}, channel=Channel.PAPER, device="k"))
    saved = tmp_path / "saved.sqlite"
    backup.backup(store, saved)
    for _ in range(40):
        store.cast(new_ballot(e, {"projets": ("p02",)}, channel=Channel.PAPER, device="k"))
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", RESTORER, str(saved), str(store.data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with Store(store.data_dir) as after:
        assert after.integrity_check() == "ok"
        live = after.counts(e.id).ballots
    kept = [backup.check_file(k) for k in store.data_dir.glob("urne.sqlite.before-restore-*")]
    # Either the restore had not replaced anything, or the data it replaced is kept whole.
    assert live == 340 or (live == 300 and 340 in kept), (live, kept)
    assert backup.check_file(saved) == 300
