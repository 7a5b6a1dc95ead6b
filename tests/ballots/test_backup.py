import sqlite3

import pytest

from ballots import audit, backup
from ballots.ballot import Channel, new_ballot
from ballots.errors import BackupError
from ballots.store import Polls, Store


def cast(store, n):
    e = store.election()
    for _ in range(n):
        store.cast(new_ballot(e, {"projets": ("p03",)}, channel=Channel.KIOSK, device=store.device))


def test_backup_then_restore_round_trip(store, tmp_path):
    cast(store, 5)
    dest = tmp_path / "usb" / "urne.sqlite"
    dest.parent.mkdir()
    assert backup.backup(store, dest) == 5
    assert not dest.with_name("urne.sqlite.part").exists()
    cast(store, 2)  # after the backup
    store.close()
    assert backup.restore(dest, store.data_dir) == 5
    with Store(store.data_dir) as restored:
        assert restored.counts().ballots == 5
        audit.verify(restored.db)
        assert [e.action for e in audit.entries(restored.db)][-1] == "restore"
    # What was there before is kept, never lost.
    (kept,) = store.data_dir.glob("urne.sqlite.before-restore-*")
    assert backup.check_file(kept) == 7


def test_backup_while_a_read_is_in_progress_on_the_store(store, tmp_path):
    """Regression (CI, kiosk staff menu under load): the screen read the store while the backup
    ran off the UI thread, and VACUUM INTO on the shared connection failed with "cannot VACUUM -
    SQL statements in progress". The copy is made on a connection of its own."""
    cast(store, 3)
    reading = store.conn.execute("SELECT id FROM ballots")
    assert reading.fetchone() is not None  # a statement left in progress, as another thread's
    dest = tmp_path / "usb"
    dest.mkdir()
    assert backup.backup(store, dest) == 3
    assert len(reading.fetchall()) == 2  # the read goes on, untouched


def test_a_second_restore_keeps_both_earlier_versions(store, tmp_path):
    """Issue 17 item 4: the second restore overwrote urne.sqlite.before-restore."""
    cast(store, 2)
    first = tmp_path / "first.sqlite"
    backup.backup(store, first)
    cast(store, 3)
    store.close()
    backup.restore(first, store.data_dir)
    with Store(store.data_dir) as s:
        cast(s, 1)
    backup.restore(first, store.data_dir)
    kept = sorted(store.data_dir.glob("urne.sqlite.before-restore-*"))
    assert sorted(backup.check_file(k) for k in kept) == [3, 5]


def test_backup_into_a_folder_gets_a_timestamped_name_and_never_overwrites(store, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    one, _ = backup.backup_to(store, usb)
    two, _ = backup.backup_to(store, usb)
    assert one != two and one.name.startswith("urne-backup-") and two.exists() and one.exists()
    before = one.read_bytes()
    with pytest.raises(BackupError, match="n'écrase jamais"):
        backup.backup(store, one)
    assert one.read_bytes() == before
    with pytest.raises(BackupError):
        backup.backup(store, tmp_path / "missing-dir" / "b.sqlite")


@pytest.mark.parametrize("name", ["urne.sqlite", "copy.sqlite", "sub/x.sqlite"])
def test_backup_into_the_live_data_folder_is_refused(store, name):
    """Issue 17 item 5: `urne backup DATA/urne.sqlite` destroyed the live store."""
    cast(store, 4)
    with pytest.raises(BackupError, match="dossier de données en service"):
        backup.backup(store, store.data_dir / name)
    assert store.integrity_check() == "ok" and store.counts().ballots == 4


def test_restore_of_another_election_or_a_foreign_sqlite_file_changes_nothing(store, tmp_path, votation_election):
    """Issue 17 item 4: a backup of another election replaced the live data before failing."""
    cast(store, 3)
    other = Store(tmp_path / "other")
    other.install_election(votation_election)
    foreign_backup = tmp_path / "other.sqlite"
    backup.backup(other, foreign_backup)
    other.close()
    plain = tmp_path / "plain.sqlite"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    store.close()
    before = (store.data_dir / "urne.sqlite").read_bytes()
    with pytest.raises(BackupError, match="contient l'élection"):
        backup.restore(foreign_backup, store.data_dir)
    with pytest.raises(BackupError, match="pas un fichier de données d'Urne"):
        backup.restore(plain, store.data_dir)
    assert (store.data_dir / "urne.sqlite").read_bytes() == before
    assert not list(store.data_dir.glob("urne.sqlite.before-restore-*"))
    # --force replaces it, and keeps the current data
    backup.restore(foreign_backup, store.data_dir, force=True)
    assert len(list(store.data_dir.glob("urne.sqlite.before-restore-*"))) == 1


def test_restore_refuses_a_backup_whose_audit_log_was_edited(store, tmp_path):
    cast(store, 2)
    dest = tmp_path / "b.sqlite"
    backup.backup(store, dest)
    conn = sqlite3.connect(dest)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 1")
    conn.commit()
    conn.close()
    store.close()
    with pytest.raises(BackupError, match="journal d'audit"):
        backup.restore(dest, store.data_dir)


def test_restored_store_keeps_an_intact_anchored_audit_log(store, tmp_path):
    cast(store, 2)
    dest = tmp_path / "b.sqlite"
    backup.backup(store, dest)
    store.set_polls(Polls.PAUSED, actor="t")  # entries after the backup: the log goes back
    store.close()
    backup.restore(dest, store.data_dir)
    with Store(store.data_dir) as s:
        audit.verify(s.db, s.keys.acceptable_heads())
        last = list(audit.entries(s.db))[-1]
        assert last.action == "restore" and last.detail["replaced_head"]["seq"] > 0


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100, b"SQLite format 3\x00" + b"\x00" * 50])
def test_restore_refuses_broken_files_and_keeps_data(store, tmp_path, content):
    cast(store, 3)
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(content)
    store.close()
    with pytest.raises(BackupError):
        backup.restore(bad, store.data_dir)
    with Store(store.data_dir) as s:
        assert s.counts().ballots == 3


def test_restore_detects_corruption(store, tmp_path):
    # Enough ballots for data pages to scribble over, stored in one transaction (200 fsynced casts
    # were most of this test's time; what is damaged is the backup file, not how ballots came).
    e = store.election()
    ballots = [new_ballot(e, {"projets": ("p03",)}, channel=Channel.KIOSK, device=store.device) for _ in range(200)]
    assert store.cast_many(ballots) == 200
    dest = tmp_path / "b.sqlite"
    backup.backup(store, dest)
    raw = bytearray(dest.read_bytes())
    for i in range(4096 * 2 + 100, len(raw) - 100, 997):  # scribble over data pages, keep the header
        raw[i] ^= 0xFF
    dest.write_bytes(bytes(raw))
    store.close()
    with pytest.raises(BackupError):
        backup.restore(dest, store.data_dir)
