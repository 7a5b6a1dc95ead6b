"""A kiosk voting for real, as a separate process, for the secrecy test and bench.

    python -m tests.ballots.secrecy_kiosk DATA TRUTH START END SEED

Casts voters START..END-1 through `ballots.casting.cast_vote` (the service every front end
calls), identity register mode. After each acknowledged ballot it appends "index ballot_id" to
TRUTH, a file OUTSIDE the data folder: the ground truth the attacker does not have. Random
ballot ids come from a seeded generator so a run is reproducible (the store's own ids are
uuid4; the layout must not depend on them being anything but random).
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from pathlib import Path

from ballots.casting import cast_vote
from ballots.register import Identity
from ballots.store import Store

FIRST_NAMES = ["Ève", "Jean", "Marie", "Ali", "Chloé", "Hugo", "Inès", "Louis", "Léa", "Yanis"]


def identity(i: int) -> Identity:
    return Identity(
        f"Votant{i:05d}", FIRST_NAMES[i % len(FIRST_NAMES)], f"{1 + i % 28:02d}/03/19{40 + i % 60}", "13210"
    )


def selection_for(rng: random.Random, election) -> dict[str, tuple[str, ...]]:  # type: ignore[no-untyped-def]
    chosen: dict[str, tuple[str, ...]] = {}
    for q in election.questions:
        ids = list(q.choice_ids)
        k = rng.randint(max(q.rule.min, 1), max(q.rule.min, 1, min(q.rule.max, len(ids))))
        picks = rng.sample(ids, k)
        if q.rule.budget:
            spent, kept = 0, []
            for c in picks:
                cost = next(ch.cost for ch in q.choices if ch.id == c)
                if spent + cost <= q.rule.budget:
                    kept.append(c)
                    spent += cost
            picks = kept or picks[:1]
        chosen[q.id] = tuple(picks)
    return chosen


def main(argv: list[str]) -> int:
    data, truth, start, end, seed = Path(argv[0]), Path(argv[1]), int(argv[2]), int(argv[3]), int(argv[4])
    rng = random.Random(seed * 1_000_003 + start)
    uuid.uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)  # type: ignore[assignment]
    store = Store(data)
    election = store.election()
    with truth.open("a") as out:
        for i in range(start, end):
            ballot = cast_vote(store, election, selection_for(rng, election), identity=identity(i))
            out.write(f"{i} {ballot.id}\n")
            out.flush()
            os.fsync(out.fileno())
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
