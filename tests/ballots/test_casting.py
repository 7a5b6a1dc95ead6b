"""The casting service (issue 17): register entry and ballot in two commits, compensated on failure."""

from __future__ import annotations

import dataclasses

import pytest

from ballots.casting import cast_vote, interrupted_visits, undo_registration
from ballots.election import RegisterMode
from ballots.errors import AlreadyRegistered, DiskFull, NotAdmitted
from ballots.register import Identity

ALICE = Identity("Martin", "Alice", "01/02/1970", "13210")
CHOICE = {"projets": ("p01",)}


@pytest.fixture
def identity_store(store, budget_election):
    election = dataclasses.replace(budget_election, register=RegisterMode.IDENTITY)
    store.install_election(election)
    return store, store.election()


def test_a_vote_is_one_entry_and_one_ballot_in_separate_commits(identity_store):
    store, election = identity_store
    commits = []
    store.conn.set_trace_callback(lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None)
    ballot = cast_vote(store, election, CHOICE, identity=ALICE)
    store.conn.set_trace_callback(None)
    assert len(commits) == 2 and store.ballot(ballot.id) is not None
    assert store.counts().register == 1 and interrupted_visits(store, election) == 0
    with pytest.raises(AlreadyRegistered):
        cast_vote(store, election, CHOICE, identity=ALICE)
    with pytest.raises(NotAdmitted):
        cast_vote(store, election, CHOICE)
    with pytest.raises(RuntimeError), store.transaction():
        cast_vote(store, election, CHOICE, identity=Identity("Durand", "Paul", "01/02/1970", "13210"))


def test_a_ballot_that_cannot_be_stored_takes_the_entry_back(identity_store, monkeypatch):
    store, election = identity_store

    def full(*a, **k):
        raise DiskFull(str(store.path))

    monkeypatch.setattr(store, "cast", full)
    with pytest.raises(DiskFull):
        cast_vote(store, election, CHOICE, identity=ALICE)
    assert store.counts().register == 0  # she may vote again
    assert [e for e in store.conn.execute("SELECT action FROM audit")][-1] == ("register.undo",)


def test_a_visit_cut_between_the_commits_is_counted_and_undone_by_staff(identity_store):
    store, election = identity_store
    cast_vote(store, election, CHOICE, identity=Identity("Durand", "Paul", "01/02/1970", "13210"))
    store.register_voter(identity=ALICE, origin=store.device)  # the kill came before her ballot
    assert interrupted_visits(store, election) == 1
    assert undo_registration(store, election, ALICE, actor="marie")
    assert interrupted_visits(store, election) == 0
    cast_vote(store, election, CHOICE, identity=ALICE)
    assert not undo_registration(store, election, ALICE, actor="marie")  # nothing outstanding
