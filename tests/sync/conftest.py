"""Hub backends: every hub test runs on SQLite and on a real PostgreSQL cluster of its own."""

from __future__ import annotations

import os

import pytest

from tests.sync.pgcluster import PgCluster, pg_bin


@pytest.fixture(scope="session")
def pg_cluster():
    if pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: 'make system' installs it (SYSTEM_PACKAGES)")
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")
    cluster = PgCluster().init().start()
    yield cluster
    cluster.destroy()


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_database(request) -> str:
    """ "" for the hub's own SQLite store, or the URL of a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return ""
    return request.getfixturevalue("pg_cluster").new_database()
