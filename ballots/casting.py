"""Casting a vote: the ONE service every front end calls (kiosk screens, Qt-free flow, demo, CLI).

Contract of `cast_vote()`:
- Checks everything first (polls open, the ballot valid under the election's rules, the voter
  admitted as the register mode asks); raises a named error and writes nothing otherwise.
- Writes the register entry and the ballot in TWO separate commits, register first, never
  inside a caller's transaction (refused): the same commit would put the voter's entry and
  their ballot in the same journal, side by side. Each commit rebuilds its table in key
  order (see `ballots.store`), so once both are done nothing in the folder says which entry
  came with which ballot, nor which came last.
- Returns the ballot once it is durable. If storing the ballot fails, the register entry is
  taken back (the voter may vote again) and the error is raised.
- A kill between the two commits leaves one register entry without its ballot: the voter saw no
  confirmation. `interrupted_visits()` shows it (register entries of this device minus its
  kiosk ballots) and staff take the entry back with `undo_registration()` when the voter
  comes back; nothing can say which entry it is otherwise, by design.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ballots.ballot import Ballot, Channel, new_ballot
from ballots.election import Election, RegisterMode
from ballots.errors import InvalidBallot, NotAdmitted, PollsNotOpen
from ballots.register import Identity, fingerprint
from ballots.rules import can_submit, check_ballot
from ballots.store import Polls, Store

ACTOR = "kiosk"


def cast_vote(
    store: Store,
    election: Election,
    selection: Mapping[str, Sequence[str]],
    *,
    identity: Identity | None = None,
    attested: bool = False,
    test: bool = False,
) -> Ballot:
    """Register the voter (as the election's register mode asks) and store their ballot."""
    if store.conn.in_transaction:
        raise RuntimeError("cast_vote must not run inside another transaction (it would share one commit)")
    if not can_submit(election, selection):
        raise InvalidBallot(check_ballot(election, selection).reasons)
    state = store.polls(election.id)
    if state is not Polls.OPEN:
        raise PollsNotOpen(state.value)
    mode = election.register
    if mode is RegisterMode.IDENTITY and identity is None:
        raise NotAdmitted(mode.value)
    if mode is RegisterMode.ATTEST and not attested:
        raise NotAdmitted(mode.value)
    ballot = new_ballot(election, selection, channel=Channel.KIOSK, device=store.device, test=test)
    entry: str | None = None
    if mode is RegisterMode.IDENTITY:
        entry = store.register_voter(identity=identity, origin=store.device, election_id=election.id)
    elif mode is RegisterMode.ATTEST:
        entry = store.register_voter(origin=store.device, election_id=election.id)
    try:
        store.cast(ballot)
    except BaseException:
        if entry is not None:
            store.unregister(entry, election_id=election.id, actor=ACTOR, reason="ballot_not_stored")
        raise
    return ballot


def interrupted_visits(store: Store, election: Election) -> int:
    """Register entries made on this device with no kiosk ballot to match (a kill in between)."""
    if election.register is RegisterMode.NONE:
        return 0
    entries, ballots = store.visits_here(election.id)
    return max(0, int(entries) - int(ballots))


def undo_registration(store: Store, election: Election, identity: Identity | None, *, actor: str) -> bool:
    """Staff take back the register entry of a voter whose visit was interrupted (audited).

    Identity mode: the voter's own entry. Attest mode: any one attestation of this device
    (they are interchangeable). Only while an interrupted visit is outstanding.
    """
    if interrupted_visits(store, election) == 0:
        return False
    if election.register is RegisterMode.IDENTITY:
        if identity is None:
            raise NotAdmitted(election.register.value)
        fp = fingerprint(store.election_secret(election.id), identity)
    else:
        found = store.an_entry_here(election.id)
        if found is None:
            return False
        fp = found
    before = store.counts(election.id).register
    store.unregister(fp, election_id=election.id, actor=actor, reason="interrupted_visit")
    return store.counts(election.id).register < before
