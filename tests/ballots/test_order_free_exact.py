"""Issue 17: below `order_free.WHOLE_PAGES` (a kiosk's day) the order-free tables are laid out
by construction: the same ballots cast in two different orders give byte-identical leaf pages,
so no attacker can read any order from their cells (not even "the lowest cell is the newest").
The windows of a big store do not have that property (checked too, so the test can fail)."""

from __future__ import annotations

import collections
import os
import random
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ballots import election_file, order_free
from ballots.ballot import Channel, new_ballot
from ballots.store import Polls, Store
from tests.conftest import SAMPLE_BUDGET

TABLES = ("ballots", "ballots_election", "outbox")


@pytest.fixture
def ramdir() -> Iterator[Path]:
    # The layout is under test, not fsync: tmpfs keeps 800 commits within seconds.
    path = Path(tempfile.mkdtemp(prefix="urne-exact-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _cast(data: Path, rows: list[tuple[str, tuple[str, ...]]]) -> None:
    election = election_file.load(SAMPLE_BUDGET)
    q = election.questions[0]
    with Store(data) as s:
        s.install_election(election, secret=bytes(range(32)))
        s.set_polls(Polls.OPEN, actor="test")
        for bid, sel in rows:  # one durable commit each, as a kiosk casts
            s.cast(new_ballot(election, {q.id: sel}, channel=Channel.KIOSK, device="k", ballot_id=bid))


def _leaf_pages(path: Path) -> dict[str, collections.Counter[bytes]]:
    """The bytes of every leaf page of each table (page numbers aside: interior pages name
    their children by number, leaves hold only cells)."""
    raw = path.read_bytes()
    size = int.from_bytes(raw[16:18], "big")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    out: dict[str, collections.Counter[bytes]] = collections.defaultdict(collections.Counter)
    for name, page, kind in conn.execute("SELECT name, pageno, pagetype FROM dbstat"):
        if kind == "leaf" and name in TABLES:
            out[name][raw[(page - 1) * size : page * size]] += 1
    conn.close()
    return out


@pytest.mark.parametrize("whole", [True, False], ids=["kiosk-size-exact", "windows"])
def test_the_same_ballots_in_another_order_give_the_same_pages(
    ramdir: Path, whole: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not whole:
        monkeypatch.setattr(order_free, "WHOLE_PAGES", 0)
    rng = random.Random(1717)
    q = election_file.load(SAMPLE_BUDGET).questions[0]
    rows = [
        (str(uuid.UUID(int=rng.getrandbits(128), version=4)), tuple(rng.sample(q.choice_ids, 3))) for _ in range(400)
    ]
    shuffled = rows[:]
    rng.shuffle(shuffled)
    _cast(ramdir / "a", rows)
    _cast(ramdir / "b", shuffled)
    a, b = _leaf_pages(ramdir / "a" / "urne.sqlite"), _leaf_pages(ramdir / "b" / "urne.sqlite")
    assert set(a) == set(TABLES) and all(sum(a[t].values()) >= 5 for t in TABLES), {t: len(a[t]) for t in a}
    if whole:
        assert all(a[t] == b[t] for t in TABLES)
    else:
        assert any(a[t] != b[t] for t in TABLES)  # the windows leave history in the pages
