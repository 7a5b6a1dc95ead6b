"""Issue 17 items 7, 9, 10, 15: tamper evidence that covers the votes, definitions and keys that
cannot change under the ballots, and storage errors a volunteer can act on."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from ballots import audit, integrity
from ballots.ballot import Channel, new_ballot
from ballots.errors import (
    AuditChainBroken,
    BadKey,
    DefinitionChanged,
    DiskFull,
    IntegrityFailed,
    StoreBusy,
    StoreDamaged,
    StoreReadOnly,
)
from ballots.keys import Head, parse_hex_key
from ballots.sqlite_file import storage_error
from ballots.store import Polls, Store


def cast(store: Store, n: int) -> None:
    e = store.election()
    for _ in range(n):
        store.cast(new_ballot(e, {"projets": ("p02",)}, channel=Channel.PAPER, device=store.device))


def raw(store: Store) -> sqlite3.Connection:
    """Someone editing the file with plain SQL, around Urne (triggers dropped first)."""
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    return conn


def test_an_intact_store_verifies_and_the_head_is_anchored_outside(store):
    cast(store, 3)
    store.set_polls(Polls.CLOSED, actor="t")
    done = integrity.verify(store)
    assert done.anchored and done.sealed
    assert store.keys.audit_head() == Head(done.entries, done.head)
    assert not store.keys.directory.is_relative_to(store.data_dir)


def test_deleting_the_last_entries_is_seen(store):
    store.set_polls(Polls.PAUSED, actor="t")
    store.set_polls(Polls.OPEN, actor="t")
    raw(store).execute("DELETE FROM audit WHERE seq >= (SELECT max(seq) - 1 FROM audit)")
    with pytest.raises(AuditChainBroken, match="ont été supprimées"):
        integrity.verify(store)


def test_an_edit_with_the_chain_recomputed_is_seen(store):
    store.set_polls(Polls.PAUSED, actor="t")
    conn = raw(store)
    entries = list(audit.entries(conn))  # type: ignore[arg-type]
    prev = audit.GENESIS
    for e in entries:  # rewrite every entry with a consistent chain, one actor changed
        actor = "mallory" if e.seq == 1 else e.actor
        import json

        detail = json.dumps(dict(e.detail), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = audit._digest(e.seq, e.at, actor, e.action, detail, prev)
        conn.execute("UPDATE audit SET actor = ?, prev = ?, hash = ? WHERE seq = ?", [actor, prev, digest, e.seq])
        prev = digest
    audit.verify(conn)  # type: ignore[arg-type]  # the chain alone holds...
    with pytest.raises(AuditChainBroken, match="a été réécrit"):
        integrity.verify(store)  # ...but no longer reaches the anchored head


def test_an_appended_forged_entry_is_seen(store):
    conn = raw(store)
    audit.append(conn, "mallory", "polls.open", {"note": "forged"})  # type: ignore[arg-type]
    with pytest.raises(AuditChainBroken, match="pas été écrites par Urne"):
        integrity.verify(store)


def test_a_head_from_a_proces_verbal_must_still_be_in_the_log(store):
    n, head = audit.verify(store.db)
    integrity.verify(store, [integrity.parse_head(f"{n}:{head[:16]}")])
    with pytest.raises(AuditChainBroken):
        integrity.verify(store, [Head(n, "0" * 16)])


def test_ballots_removed_or_edited_with_plain_sql_are_seen(store):
    """Issue 17: plain SQL took a count from 300 to 290 and `audit verify` said intact."""
    cast(store, 30)
    integrity.verify(store)
    raw(store).execute("DELETE FROM ballots WHERE id IN (SELECT id FROM ballots LIMIT 3)")
    with pytest.raises(IntegrityFailed, match="bulletins"):
        integrity.verify(store)


def test_a_renamed_choice_in_the_stored_definition_is_seen(store):
    """Issue 17: a 3-byte edit renamed a choice and the election still loaded."""
    conn = raw(store)
    definition = conn.execute("SELECT definition FROM elections").fetchone()[0]
    conn.execute("UPDATE elections SET definition = ?", [definition.replace("Abris", "Abri!", 1)])
    with pytest.raises(IntegrityFailed, match="la définition"):
        store.election()
    # fingerprint column rewritten too: the install entry of the audit log still disagrees
    import json

    from ballots.election import from_dict

    fp = from_dict(json.loads(definition.replace("Abris", "Abri!", 1))).fingerprint
    conn.execute("UPDATE elections SET fingerprint = ?", [fp])
    with pytest.raises(IntegrityFailed):
        store.election()


def test_a_flipped_byte_in_an_index_stops_publication(store):
    """Issue 17: a flipped byte in an index silently dropped a ballot; nothing ran a check."""
    # Enough ballots for the index to span pages, stored in one transaction (the same rows and
    # index as 400 casts: what is damaged is the file, not how the ballots came; 400 fsyncs took
    # most of this test's time).
    e = store.election()
    ballots = [new_ballot(e, {"projets": ("p02",)}, channel=Channel.PAPER, device=store.device) for _ in range(400)]
    assert store.cast_many(ballots) == 400
    root = store.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ballots_election'").fetchone()[0]
    page = store.conn.execute("PRAGMA page_size").fetchone()[0]
    store.close()
    path = store.path
    data = bytearray(path.read_bytes())
    start = (root - 1) * page
    for off in range(start + page - 200, start + page - 20, 7):
        data[off] ^= 0x55
    path.write_bytes(bytes(data))
    with Store(store.data_dir) as damaged, pytest.raises(StoreDamaged):
        integrity.check_before_publishing(damaged)


def test_changing_a_definition_or_key_under_existing_ballots_needs_force_and_is_audited(store, budget_election):
    """Issue 17 item 10: re-running init with a choice removed silently made ballots invalid."""
    import dataclasses

    cast(store, 6)
    q = budget_election.questions[0]
    smaller = dataclasses.replace(
        budget_election, questions=(dataclasses.replace(q, choices=q.choices[1:]),) + budget_election.questions[1:]
    )
    with pytest.raises(DefinitionChanged, match="sa définition"):
        store.install_election(smaller)
    with pytest.raises(DefinitionChanged, match="sa clé"):
        store.install_election(budget_election, secret=bytes(32))
    assert store.election().fingerprint == budget_election.fingerprint
    store.install_election(smaller, force=True, actor="marie")
    last = list(audit.entries(store.db))[-1]
    assert last.actor == "marie" and last.detail["changed"] == ["definition"] and last.detail["forced"]


@pytest.mark.parametrize("text", ["ab", "00" * 16, "00" * 33, "zz" * 32])
def test_keys_are_exactly_32_bytes_of_hex(store, budget_election, text):
    with pytest.raises(BadKey):
        parse_hex_key(text)
    with pytest.raises(BadKey):
        store.install_election(budget_election, secret=bytes.fromhex(text) if "z" not in text else b"z")


def test_the_secret_is_never_in_the_data_file(store):
    secret = store.election_secret()
    assert secret not in store.path.read_bytes() and secret.hex().encode() not in store.path.read_bytes()


def test_a_second_writer_waits_instead_of_failing(store):
    """Issue 17 item 7: two programs on one folder failed at once with 'damaged'."""
    other = Store(store.data_dir)
    started = threading.Event()

    def hold() -> None:
        with store.transaction() as db:
            db.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
            started.set()
            time.sleep(0.5)

    t = threading.Thread(target=hold)
    t.start()
    started.wait()
    other.set_polls(Polls.PAUSED, actor="second program")  # waits for the first, then writes
    t.join()
    assert store.polls() is Polls.PAUSED
    other.close()


def test_busy_read_only_full_and_damaged_are_four_messages(store, tmp_path):
    """Issue 17 item 15: a read-only copy and a full disk were both 'damaged'."""
    # busy: a writer holds the lock past the busy timeout
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    quick = sqlite3.connect(store.path, timeout=0.05)
    with pytest.raises(sqlite3.OperationalError) as busy:
        quick.execute("BEGIN IMMEDIATE")
    blocker.execute("ROLLBACK")
    # read-only: a write-protected copy opens read-only, reads work, writes are refused
    ro = Store(store.data_dir, readonly=True)
    assert ro.counts().ballots == 0 and ro.election().id
    with pytest.raises(StoreReadOnly):
        ro.set_polls(Polls.CLOSED, actor="t")
    ro.close()
    # disk full: SQLite's own SQLITE_FULL
    full = sqlite3.connect(tmp_path / "full.sqlite")
    full.execute("CREATE TABLE t (x)")
    full.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.OperationalError) as disk:
        full.execute("INSERT INTO t VALUES (?)", [b"x" * 100_000])
    # damaged: not an SQLite file at all
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "urne.sqlite").write_bytes(b"not a database" * 500)
    with pytest.raises(StoreDamaged) as damaged:
        Store(tmp_path / "bad")
    errors = [
        storage_error(busy.value, "f"),
        storage_error(sqlite3.OperationalError("attempt to write a readonly database"), "f"),
        storage_error(disk.value, "f"),
        damaged.value,
        storage_error(OSError(28, "No space left on device"), "f"),
    ]
    assert [type(e) for e in errors] == [StoreBusy, StoreReadOnly, DiskFull, StoreDamaged, DiskFull]
    assert len({e.message().split(": ", 1)[1][:30] for e in errors}) == 4
