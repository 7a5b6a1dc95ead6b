import sqlite3

import pytest

from ballots import audit
from ballots.errors import AuditChainBroken
from ballots.store import Polls


def test_chain_verifies_and_grows(store):
    n, head = audit.verify(store.db)
    store.set_polls(Polls.CLOSED, actor="marie")
    n2, head2 = audit.verify(store.db)
    assert n2 == n + 1 and head2 != head
    last = list(audit.entries(store.db))[-1]
    assert (last.actor, last.action, last.prev) == ("marie", "polls.closed", head)


def test_update_and_delete_are_refused_by_sqlite(store):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE audit SET actor='x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM audit")


@pytest.mark.parametrize(
    ("sql", "seq"),
    [
        ("UPDATE audit SET actor = 'mallory' WHERE seq = 1", 1),
        ("UPDATE audit SET detail = '{}' WHERE seq = 2", 2),
        ("DELETE FROM audit WHERE seq = 1", 1),
        ("UPDATE audit SET hash = 'x' WHERE seq = 1", 1),
    ],
)
def test_any_edit_is_detected(store, sql, seq):
    store.set_polls(Polls.CLOSED, actor="marie")
    # Someone with the sqlite3 shell drops the guards first.
    store.conn.execute("DROP TRIGGER audit_no_update")
    store.conn.execute("DROP TRIGGER audit_no_delete")
    store.conn.execute(sql)
    with pytest.raises(AuditChainBroken) as exc:
        audit.verify(store.db)
    assert exc.value.seq == seq


def test_cli_audit_verify_fails_on_tampering(store, capsys):
    from kiosk.cli import main

    data = str(store.data_dir)
    assert main(["audit", "verify", "--data", data]) == 0
    store.conn.execute("DROP TRIGGER audit_no_update")
    store.conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 2")
    assert main(["audit", "verify", "--data", data]) == 2
    assert "journal d'audit, entrée 2" in capsys.readouterr().err
