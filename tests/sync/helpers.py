"""Small builders for sync tests: devices with their own stores sharing one election."""

from __future__ import annotations

import random
from pathlib import Path

from ballots.ballot import Ballot, Channel, new_ballot
from ballots.election import Election
from ballots.register import Identity
from ballots.store import Polls, Store
from ballots.tally import tally
from sync import devices, merge

SECRET = bytes(range(32))


def device_store(path: Path, election: Election) -> Store:
    s = Store(path)
    s.install_election(election, secret=SECRET)
    s.set_polls(Polls.OPEN, actor="test")
    return s


def random_ballot(election: Election, rng: random.Random, device: str, channel: Channel = Channel.KIOSK) -> Ballot:
    q = election.questions[0]
    k = rng.randint(max(q.rule.min, 1), q.rule.max)
    chosen = rng.sample(list(q.choice_ids), k)
    if q.rule.kind.value == "budget":
        while sum(q.choice(c).cost for c in chosen) > q.rule.budget and len(chosen) > 1:
            chosen.pop()
    return new_ballot(
        election, {q.id: tuple(chosen)}, channel=channel, device=device, ballot_id=f"{rng.getrandbits(64):016x}"
    )


def vote(store: Store, n: int, rng: random.Random, *, identities: list[Identity] | None = None) -> list[Ballot]:
    election = store.election()
    out = []
    for i in range(n):
        if identities is not None:
            store.register_voter(identity=identities[i], origin=store.device)
        out.append(store.cast(random_ballot(election, rng, store.device)))
    return out


def totals(store: Store) -> dict[str, object]:
    election = store.election()
    t = tally(election, merge.counted_ballots(store, election.id))
    return {
        "counted": t.ballots_counted,
        "votes": {q.question: q.votes() for q in t.questions},
        "register": store.counts().register,
    }


def enrol(consolidator: Store, device: Store, name: str = "") -> str:
    me = devices.identity(device)
    return devices.enrol(consolidator, me.device, me.public_key_hex, name=name)
