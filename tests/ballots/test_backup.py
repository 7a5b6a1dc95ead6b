import pytest

from ballots import audit, backup
from ballots.ballot import Channel, new_ballot
from ballots.errors import BackupError
from ballots.store import Store


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
    assert backup.check_file(store.data_dir / "urne.sqlite.before-restore") == 7


def test_backup_to_a_folder_or_unwritable_place_fails_cleanly(store, tmp_path):
    with pytest.raises(BackupError, match="folder"):
        backup.backup(store, tmp_path)
    with pytest.raises(BackupError):
        backup.backup(store, tmp_path / "missing-dir" / "b.sqlite")


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
    cast(store, 200)
    dest = tmp_path / "b.sqlite"
    backup.backup(store, dest)
    raw = bytearray(dest.read_bytes())
    for i in range(4096 * 2 + 100, len(raw) - 100, 997):  # scribble over data pages, keep the header
        raw[i] ^= 0xFF
    dest.write_bytes(bytes(raw))
    store.close()
    with pytest.raises(BackupError):
        backup.restore(dest, store.data_dir)
