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


@pytest.fixture
def one_kiosk_hub(tmp_path, budget_election, hub_database):
    """A real hub process (on each backend) with one enrolled kiosk: (process, kiosk store, token)."""
    from tests.sync.helpers import device_store, enrol
    from tests.sync.hubproc import HubProcess

    hub_store = device_store(tmp_path / "hub", budget_election)
    kiosk = device_store(tmp_path / "k0", budget_election)
    token = enrol(hub_store, kiosk, "kiosk 0")
    hub_store.close()
    proc = HubProcess(tmp_path / "hub", database=hub_database).start()
    yield proc, kiosk, token
    proc.stop()
    kiosk.close()
