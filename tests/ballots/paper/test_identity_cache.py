"""`identity_cache.by_identity`: the reader's per-layout tables are computed once per object."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from ballots import election_file
from ballots import samples as sample_elections
from ballots.paper import geometry, outlines, placement
from ballots.paper.identity_cache import by_identity, once


@dataclass
class Thing:  # equal by value, unhashable: what the cache must not compare
    n: int


def test_same_object_once_equal_objects_apart():
    calls = []

    @by_identity(8)
    def f(obj: Thing, k: int) -> tuple[int, int]:
        calls.append((obj.n, k))
        return (obj.n, k)

    a, b = Thing(1), Thing(1)
    assert f(a, 2) == f(a, 2) == (1, 2)
    assert calls == [(1, 2)]
    f(b, 2)  # equal, not the same: computed again (a by-value cache would hand a's result over)
    f(a, 3)  # other arguments: computed again
    assert calls == [(1, 2), (1, 2), (1, 3)]


def test_an_entry_answers_only_for_its_own_object():
    """A dead object's `id` may be reused; the entry keeps its object, so a new object at the
    same address is never given the old result."""

    @by_identity(8)
    def f(obj: list) -> int:
        return sum(obj)

    results = set()
    for n in range(200):  # lists made and dropped: CPython reuses their addresses
        results.add(f([n]))
    assert results == set(range(200))


def test_bounded():
    seen = []

    @by_identity(3)
    def f(obj: Thing) -> int:
        seen.append(obj.n)
        return obj.n

    things = [Thing(i) for i in range(10)]
    for t in things:
        f(t)
    f(things[0])  # emptied when it went over 3 entries: computed again
    assert seen == list(range(10)) + [0]


def test_the_reader_tables_use_it():
    election = election_file.load(sample_elections.path("budget-participatif"))
    lay = geometry.layout(election, "A")
    assert geometry.layout(election, "A") is lay
    assert outlines.printed(lay, 1, 0) is outlines.printed(lay, 1, 0)
    assert outlines.sheet_bands(lay, 1) is outlines.sheet_bands(lay, 1)
    assert placement.run_ends(lay, 1) is placement.run_ends(lay, 1)
    assert (outlines.printed(lay, 1, 0) == outlines.printed_mask(lay, 1, 0)).all()
    free = outlines.free(lay, 1, 0)
    assert outlines.free(lay, 1, 0) is free and not free.flags.writeable and free.dtype == np.uint8
    assert (free == (outlines.printed_mask(lay, 1, 0) == 0)).all()


def test_once_computes_at_the_first_call_only_and_keeps_no_failure():
    calls = []

    @once
    def value() -> list[int]:
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("first try fails")
        return [len(calls)]

    assert calls == []  # nothing computed until asked
    with pytest.raises(ValueError):
        value()
    first = value()
    assert first == [2] and value() is first and calls == [1, 1]
