"""A cache keyed by an object's identity, for the reader's per-layout tables.

Contract: `@by_identity(limit)` on `f(obj, *args)` returns `f`'s first result for the same object
(the very one, `is`) and the same other arguments. Why not `functools.lru_cache`: it hashes `obj`
by value, and hashing a whole election or layout costs more than reading a box; an `id` alone may
be reused once the object is gone, so each entry keeps its object and is used only if it is still
that object (an entry holds its object alive, so no other can take its `id` meanwhile). The cache
is emptied when it holds more than `limit` entries: layouts are few, and a crude bound is enough.

`@once` on a function of no arguments: its value, computed at the first call and kept (what
`functools.cache` does there, without building an lru_cache wrapper each time: the reader makes
a few such per box, and building one cost more than most of them save).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")


def by_identity(limit: int) -> Callable[[Callable[Concatenate[T, P], R]], Callable[Concatenate[T, P], R]]:
    def wrap(f: Callable[Concatenate[T, P], R]) -> Callable[Concatenate[T, P], R]:
        cache: dict[tuple, tuple[T, R]] = {}

        @functools.wraps(f)
        def cached(obj: T, /, *args: P.args, **kwargs: P.kwargs) -> R:
            key = (id(obj), args, tuple(kwargs.items()))
            hit = cache.get(key)
            if hit is None or hit[0] is not obj:
                if len(cache) > limit:
                    cache.clear()
                hit = cache[key] = (obj, f(obj, *args, **kwargs))
            return hit[1]

        return cached

    return wrap


def once(f: Callable[[], R]) -> Callable[[], R]:
    kept: list[R] = []

    def get() -> R:
        if not kept:
            kept.append(f())
        return kept[0]

    return get
