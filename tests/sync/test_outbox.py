"""The outbox: claimed, acknowledged, released; recovered after a crash; nothing deleted."""

from __future__ import annotations

import random

from ballots.ballot import BallotStatus
from ballots.store import Store
from sync import outbox
from tests.sync.helpers import vote


def test_claim_send_release_and_crash_recovery(store):
    vote(store, 10, random.Random(1))
    assert outbox.backlog(store) == 10
    b1 = outbox.claim(store, 4)
    assert len(b1) == 4 and outbox.counts(store) == {"inflight": 4, "pending": 6}
    outbox.mark_sent(store, b1)
    b2 = outbox.claim(store, 4)
    outbox.release(store, b2)
    b3 = outbox.claim(store, 100)
    assert len(b3) == 6 and set(b3.ballots) == set(b2.ballots) | (set(b3.ballots) - set(b2.ballots))
    # Crash: the process dies with rows inflight; a new process finds them and sends again.
    path = store.data_dir
    store.close()
    again = Store(path)
    assert outbox.counts(again) == {"sent": 4, "inflight": 6}
    assert outbox.recover(again) == 6 and outbox.backlog(again) == 6
    assert again.conn.execute("SELECT count(*) FROM ballots").fetchone()[0] == 10  # nothing deleted
    again.close()


def test_a_ballot_changed_while_in_flight_is_sent_again(store):
    [b] = vote(store, 1, random.Random(2))
    batch = outbox.claim(store, 10)
    store.set_status(b.id, BallotStatus.SPOILED, actor="staff")  # re-queued as pending
    outbox.mark_sent(store, batch)
    assert outbox.backlog(store) == 1
