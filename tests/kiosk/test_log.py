"""One logging configuration: installed once, to the current stderr, for ballots/kiosk/sync."""

from __future__ import annotations

import logging

from kiosk import log


def test_configure_is_idempotent_and_follows_stderr(capsys):
    log.configure(logging.INFO)
    log.configure(logging.INFO)
    root = logging.getLogger()
    assert sum(isinstance(h, log._Stderr) for h in root.handlers) == 1
    logging.getLogger("sync.merge").warning("merge from %s: %d new conflict(s)", "k1", 2)
    err = capsys.readouterr().err
    assert "WARNING sync.merge: merge from k1: 2 new conflict(s)" in err
    log.configure(logging.WARNING)
    logging.getLogger("sync.hub").info("not shown at WARNING")
    assert "not shown" not in capsys.readouterr().err


def test_a_refused_hub_request_is_logged(caplog, tmp_path, budget_election):
    from sync.hub import create_app
    from sync.hubstore import SqliteHubStorage
    from tests.sync.helpers import device_store

    # A real (empty) hub store: the request is refused before storage is asked anything.
    hub_store = device_store(tmp_path / "hub", budget_election)
    app = create_app(SqliteHubStorage(hub_store))
    with caplog.at_level(logging.WARNING, logger="sync.hub"):
        r = app.test_client().get("/v1/status")
    assert r.status_code == 401
    assert any("refused GET /v1/status" in m and "unknown-token" in m for m in caplog.messages), caplog.messages
    hub_store.close()
