"""Shared fixtures: factories with valid defaults, real SQLite in tmp dirs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from ballots import samples

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No timed assertions: Hypothesis's per-example deadline (200 ms) failed a budget-bar property on a
# loaded CI machine (a 259 ms example, session 33). Every property test runs without one.
settings.register_profile("urne", deadline=None)
settings.load_profile("urne")

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the clone (/work/main), or beside the worktrees' folder (/work/wt/<name>);
# URNE_SHARED overrides. Tests that need it skip where it is absent.
SHARED = Path(
    os.environ.get("URNE_SHARED")
    or next((p / "shared" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT.parent / "shared")
)
PABULIB = SHARED / "data" / "pabulib"
CAPCOLLECTIF = SHARED / "data" / "capcollectif"
SAMPLE_BUDGET = samples.path("budget-participatif")
SAMPLE_VOTATION = samples.path("votation")
SAMPLE_SURVEY = samples.path("plan-velo")


def pabulib_file(name: str) -> Path:
    """A pabulib file read in place from ../shared; the test is skipped where it is absent."""
    path = PABULIB / name
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


@pytest.fixture
def budget_election():
    from ballots import election_file

    return election_file.load(SAMPLE_BUDGET)


@pytest.fixture
def votation_election():
    from ballots import election_file

    return election_file.load(SAMPLE_VOTATION)


@pytest.fixture
def survey_election():
    from ballots import election_file

    return election_file.load(SAMPLE_SURVEY)


@pytest.fixture
def store(tmp_path, budget_election):
    """A real store in a temp dir with the sample budget installed and the polls open."""
    from ballots.store import Polls, Store

    s = Store(tmp_path / "data")
    s.install_election(budget_election)
    s.set_polls(Polls.OPEN, actor="test")
    yield s
    s.close()
