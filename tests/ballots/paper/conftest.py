"""Paper fixtures: a store with the sample budget, and ballots printed and rendered for real."""

from __future__ import annotations

import random

import pytest

from tests.ballots.paper.helpers import render


@pytest.fixture
def paper_store(store):
    """The sample budget store (20 projects, 1 to 5) with the paper tables."""
    from ballots.paper import issued

    issued.ensure(store)
    return store


@pytest.fixture
def printed(paper_store, tmp_path):
    """Print `count` A4 ballots and return (serials, rendered pages, layout)."""
    from ballots.paper import geometry
    from ballots.paper.printing import print_ballots

    def _make(count: int = 2, **kw):
        pdf = tmp_path / f"ballots-{random.random():.6f}.pdf"
        serials = print_ballots(paper_store, count, pdf, **kw)
        variant = geometry.variant_for(kw.get("page_size", "A4"), kw.get("large_print", False))
        frame = kw.get("frame", geometry.CURRENT.version)
        return serials, render(pdf), geometry.layout(paper_store.election(), variant, frame)

    return _make
