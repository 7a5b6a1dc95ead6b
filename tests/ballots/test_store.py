import sqlite3

import pytest
from sqlite_utils.migrations import Migrations

from ballots.ballot import BallotStatus, Channel, new_ballot
from ballots.errors import AlreadyRegistered, NoElection, PollsNotOpen, RegisterError
from ballots.register import Identity
from ballots.store import Polls, Store


def cast_some(store, n, channel=Channel.KIOSK):
    e = store.election()
    return [
        store.cast(new_ballot(e, {"projets": ("p01", "p02")}, channel=channel, device=store.device)) for _ in range(n)
    ]


def test_cast_is_visible_from_a_fresh_connection(store):
    cast_some(store, 3)
    other = sqlite3.connect(store.path)
    assert other.execute("SELECT count(*) FROM ballots").fetchone()[0] == 3
    assert other.execute("SELECT count(*) FROM outbox WHERE kind='ballot' AND state='pending'").fetchone()[0] == 3


def test_pragmas_are_durable(store):
    # Rollback journal deleted at each commit (WAL keeps old pages around: issue 17 secrecy).
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_kiosk_needs_open_polls_but_paper_does_not(store):
    store.set_polls(Polls.CLOSED, actor="test")
    with pytest.raises(PollsNotOpen):
        cast_some(store, 1)
    cast_some(store, 1, Channel.PAPER)
    assert store.counts().by_channel == {"paper": 1}


def test_failed_cast_writes_nothing(store):
    b = cast_some(store, 1)[0]
    with pytest.raises(sqlite3.IntegrityError):
        store.cast(b)  # same id twice
    assert store.counts().ballots == 1
    assert store.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1


def test_no_election_is_a_named_error(tmp_path):
    with Store(tmp_path) as s, pytest.raises(NoElection):
        s.election()


def test_storage_order_does_not_follow_casting_order(store):
    ballots = cast_some(store, 60)
    cast_order = [b.id for b in ballots]
    stored_order = [r[0] for r in store.conn.execute("SELECT id FROM ballots")]
    assert sorted(stored_order) == stored_order  # ordered by random id, not by arrival
    assert stored_order != cast_order
    cols = [r[1] for r in store.conn.execute("PRAGMA table_info(ballots)")]
    assert "rowid" not in cols and not any("time" in c or c == "at" for c in cols)
    with pytest.raises(sqlite3.OperationalError):
        store.conn.execute("SELECT rowid FROM ballots")  # WITHOUT ROWID: no hidden sequence


def test_register_shares_nothing_with_ballots(store):
    fp = store.register_voter()
    cast_some(store, 1)
    reg_cols = {r[1] for r in store.conn.execute("PRAGMA table_info(register)")}
    ballot_cols = {r[1] for r in store.conn.execute("PRAGMA table_info(ballots)")}
    assert reg_cols & ballot_cols == {"day", "election"}  # nothing that could pair them
    b = next(store.ballots())
    assert fp not in b.id and b.id not in fp


def test_identity_register_refuses_the_same_person(store):
    store.register_voter(identity=Identity("Dupont", "Ève", "02/03/1961", "13210"))
    with pytest.raises(AlreadyRegistered):
        store.register_voter(identity=Identity(" DUPONT ", "Eve", "1961-03-02", "13 210"))
    store.register_voter(identity=Identity("Dupont", "Eve", "1961-03-03", "13210"))
    assert store.counts().register == 2
    raw = store.path.read_bytes()
    assert b"Dupont" not in raw and b"DUPONT" not in raw  # never the clear identity


def test_register_rejects_bad_identities(store):
    with pytest.raises(RegisterError, match="code postal"):
        store.register_voter(identity=Identity("A", "B", "01/01/1990", "132"))
    with pytest.raises(RegisterError, match="date"):
        store.register_voter(identity=Identity("A", "B", "31/13/1990", "13210"))


def test_set_status_is_audited_and_requeued(store):
    b = cast_some(store, 1, Channel.PAPER)[0]
    store.conn.execute("UPDATE outbox SET state='sent'")
    store.set_status(b.id, BallotStatus.SPOILED, actor="marie", note="bulletin remplacé")
    assert store.ballot(b.id).status is BallotStatus.SPOILED
    assert store.conn.execute("SELECT state FROM outbox WHERE key=?", [b.id]).fetchone()[0] == "pending"
    last = store.conn.execute("SELECT actor, action FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert last == ("marie", "ballot.spoiled")


def test_reinstall_keeps_the_secret(store, budget_election):
    key = store.election_secret()
    store.install_election(budget_election)
    assert store.election_secret() == key and len(key) == 32


def test_migrations_are_idempotent_and_other_sets_upgrade_existing_files(tmp_path, budget_election):
    with Store(tmp_path) as s:
        s.install_election(budget_election)
        s.set_polls(Polls.OPEN, actor="t")
        cast_some(s, 2)
    extra = Migrations("test-part")

    @extra()
    def m001(db):
        db.execute("CREATE TABLE part_things (id TEXT PRIMARY KEY)")

    with Store(tmp_path) as s:
        s.ensure(extra)
        s.ensure(extra)
        assert s.counts().ballots == 2
        applied = s.conn.execute("SELECT migration_set, name FROM _sqlite_migrations ORDER BY id").fetchall()
        assert applied == [
            ("ballots", "m001_core"),
            ("ballots", "m002_holds"),
            ("ballots", "m003_no_vote_order"),
            ("test-part", "m001"),
        ]
