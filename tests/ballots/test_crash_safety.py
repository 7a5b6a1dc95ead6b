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


@pytest.fixture(scope="module")
def before_restore(tmp_path_factory):
    """The store every restore below is killed in, made once for the module (340 casts and a backup
    were most of each case's time): 300 paper ballots, a backup of them, then 40 more; closed.
    Each case restores into its own byte-for-byte copy of it (a closed store is its one file)."""
    from ballots import backup, election_file
    from ballots.ballot import Channel, new_ballot
    from ballots.store import Polls
    from tests.conftest import SAMPLE_BUDGET

    tmp = tmp_path_factory.mktemp("before-restore")
    with Store(tmp / "data") as store:  # as the `store` fixture makes it
        store.install_election(election_file.load(SAMPLE_BUDGET))
        store.set_polls(Polls.OPEN, actor="test")
        e = store.election()
        # Stored in two transactions (what is killed here is the restore, not a cast).
        first = [new_ballot(e, {"projets": ("p01",)}, channel=Channel.PAPER, device="k") for _ in range(300)]
        assert store.cast_many(first) == 300
        backup.backup(store, tmp / "saved.sqlite")
        more = [new_ballot(e, {"projets": ("p02",)}, channel=Channel.PAPER, device="k") for _ in range(40)]
        assert store.cast_many(more) == 40
    return tmp / "data", tmp / "saved.sqlite"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.3])
def test_sigkill_during_restore_loses_neither_version(before_restore, tmp_path, delay):
    """Issue 17: restore is one of the operations a kill must not turn into a loss."""
    import shutil
    import time

    from ballots import backup

    data, saved = tmp_path / "data", tmp_path / "saved.sqlite"
    shutil.copytree(before_restore[0], data)
    shutil.copyfile(before_restore[1], saved)
    with Store(data) as store:
        e = store.election()
        assert store.counts(e.id).ballots == 340
    proc = subprocess.Popen(
        [sys.executable, "-c", RESTORER, str(saved), str(data)],
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
    with Store(data) as after:
        assert after.integrity_check() == "ok"
        live = after.counts(e.id).ballots
    kept = [backup.check_file(k) for k in data.glob("urne.sqlite.before-restore-*")]
    # Either the restore had not replaced anything, or the data it replaced is kept whole.
    assert live == 340 or (live == 300 and 340 in kept), (live, kept)
    assert backup.check_file(saved) == 300
