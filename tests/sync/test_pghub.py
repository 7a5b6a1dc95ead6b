"""The city hub on a real PostgreSQL cluster: two hub processes, one database; the database
down; a migration that fails."""

from __future__ import annotations

import json
import random
import threading

import psycopg
import pytest
import requests

from ballots.store import Store
from sync import client, outbox
from sync.config import SyncConfig
from sync.errors import HubUnreachable, MigrationError
from sync.pgschema import MIGRATIONS, migrate
from tests.sync.fake_capcollectif import SCHEMA_FILE, FakePlatform, Served
from tests.sync.helpers import device_store, enrol, totals, vote
from tests.sync.hubproc import HubProcess


def test_two_hub_processes_ingest_overlapping_batches_into_one_database(tmp_path, budget_election, pg_cluster):
    url = pg_cluster.new_database()
    hub_store = device_store(tmp_path / "hub", budget_election)
    kiosks = [device_store(tmp_path / f"k{i}", budget_election) for i in range(4)]
    tokens = [enrol(hub_store, k, f"kiosk {i}") for i, k in enumerate(kiosks)]
    hub_store.close()
    hubs = [HubProcess(tmp_path / "hub", database=url).start() for _ in range(2)]
    try:
        rng = random.Random(14)
        for k in kiosks:
            vote(k, 150, rng)
            for _ in range(40):
                k.register_voter(origin=k.device)
        expected = {b.id for k in kiosks for b in k.ballots()}

        def push(i: int, hub: HubProcess) -> None:
            cfg = SyncConfig(hub_url=hub.url, token=tokens[i], timeout_seconds=20)
            for _ in range(20):
                try:
                    client.push(kiosks[i], cfg, batch_size=37)
                    return
                except HubUnreachable:
                    continue

        # Every kiosk pushes everything to BOTH hubs at the same time: each batch reaches the
        # database twice, concurrently, under the same Idempotency-Key or (after the reset) another.
        threads = [threading.Thread(target=push, args=(i, h)) for i in range(4) for h in hubs]
        for k in kiosks:  # and each kiosk's whole outbox again, so the same ids race across batches
            k.conn.execute("UPDATE outbox SET state = 'pending'")
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        for i, k in enumerate(kiosks):
            client.push(k, SyncConfig(hub_url=hubs[i % 2].url, token=tokens[i], timeout_seconds=20), batch_size=37)
            assert outbox.backlog(k) == 0

        with psycopg.connect(url) as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM ballots")]
            register = conn.execute("SELECT count(*) FROM register").fetchone()[0]
            conflicts = conn.execute("SELECT count(*) FROM sync_conflicts").fetchone()[0]
        assert len(ids) == len(set(ids)) and set(ids) == expected and register == 160 and conflicts == 0
        auth = {"Authorization": f"Bearer {tokens[0]}"}
        answers = [requests.get(h.url + "/v1/totals", headers=auth, timeout=30).json() for h in hubs]
        assert answers[0] == answers[1] and answers[0]["ballots_counted"] == 600
        by_kiosk = [totals(k) for k in kiosks]
        for choice, votes in answers[0]["questions"]["projets"]["votes"].items():
            assert votes == sum(t["votes"]["projets"][choice] for t in by_kiosk)
    finally:
        for h in hubs:
            h.stop()
        for k in kiosks:
            k.close()


def test_database_down_answers_503_and_the_station_keeps_its_backlog(tmp_path, budget_election, pg_cluster):
    url = pg_cluster.new_database()
    hub_store = device_store(tmp_path / "hub", budget_election)
    k = device_store(tmp_path / "k", budget_election)
    token = enrol(hub_store, k, "kiosk")
    hub_store.close()
    hub = HubProcess(tmp_path / "hub", database=url).start()
    cfg = SyncConfig(hub_url=hub.url, token=token, timeout_seconds=15)
    try:
        vote(k, 20, random.Random(2))
        pg_cluster.stop("fast")
        try:
            body, _ = client.batch_payload(k, outbox.claim(k, 100))
            outbox.recover(k)
            r = requests.post(
                hub.url + "/v1/batches",
                data=json.dumps(body),
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "down-1"},
                timeout=30,
            )
            assert r.status_code == 503 and r.headers["Retry-After"] == "5"
            assert r.json()["error"] == "storage-unavailable"
            with pytest.raises(HubUnreachable, match="503"):
                client.push(k, cfg)
            assert outbox.backlog(k) == 20
            # The staff's pages say so too (503 + Retry-After), rather than failing or hanging.
            page = requests.get(hub.url + "/login", timeout=30)
            assert page.status_code == 503 and page.headers["Retry-After"] == "5"
            # A hub process started while the database is down stops with one clear line.
            late = HubProcess(tmp_path / "hub", database=url)
            with pytest.raises(RuntimeError, match=r"(?s)hub exited with 2: .*base de données du hub .* indisponible"):
                late.start()
        finally:
            pg_cluster.start()
        client.push(k, cfg)  # the same hub process, its pool reconnected
        assert outbox.backlog(k) == 0
        status = requests.get(hub.url + "/v1/status", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert status.json()["ballots"] == 20
    finally:
        hub.stop()
        k.close()


def test_a_failing_migration_leaves_the_database_as_it_was(pg_cluster):
    url = pg_cluster.new_database()
    with psycopg.connect(url) as conn:
        assert migrate(conn) == [name for name, _ in MIGRATIONS]
        assert migrate(conn) == []  # applied once
        conn.execute(
            "INSERT INTO ballots (id, election, channel, device, selection, status, day) "
            "VALUES ('b1', 'e', 'kiosk', 'k', '{}', 'counted', '2026-05-30')"
        )
        conn.commit()

        def snapshot() -> tuple[object, ...]:
            tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
            columns = conn.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public' ORDER BY 1, 2"
            ).fetchall()
            indexes = conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1").fetchall()
            rows = conn.execute("SELECT * FROM ballots ORDER BY id").fetchall()
            applied = [r[0] for r in conn.execute("SELECT name FROM urne_migrations ORDER BY name")]
            conn.rollback()
            return tables, columns, indexes, rows, applied

        before = snapshot()
        # A migration that changes an existing table, adds one and an index, rewrites data, then fails.
        broken = [
            *MIGRATIONS,
            (
                "9999_broken",
                [
                    "ALTER TABLE ballots ADD COLUMN half INT",
                    "UPDATE ballots SET status = 'spoiled'",
                    "CREATE TABLE half_done (a INT)",
                    "CREATE INDEX half_idx ON ballots (day)",
                    "ALTER TABLE nowhere ADD b INT",
                ],
            ),
        ]
        with pytest.raises(MigrationError, match="9999_broken"):
            migrate(conn, broken)
        after = snapshot()
    assert after == before  # tables, columns, indexes, rows and bookkeeping: as they were
    assert "half_done" not in after[0] and after[3][0][5] == "counted"
    assert after[4] == sorted(name for name, _ in MIGRATIONS)


@pytest.mark.skipif(not SCHEMA_FILE.exists(), reason="shared Cap Collectif schema not available")
def test_the_city_hub_pushes_the_deduplicated_city_totals_to_purpoz(tmp_path, capsys, monkeypatch, pg_cluster):
    from ballots.ballot import Channel, new_ballot
    from kiosk.cli import main

    url = pg_cluster.new_database()
    p = FakePlatform()
    p.add_proposals(3)
    served = Served(p)
    try:
        cfg = tmp_path / "config.toml"
        cfg.write_text(
            f'[purpoz]\nbase_url = "{served.url}"\nusername = "{p.username}"\nstep_id = "{p.step_id}"\n'
            f'password_env = "TEST_PZ"\n[hub]\ndatabase = "{url}"\n'
        )
        monkeypatch.setenv("TEST_PZ", p.password)
        hub_dir = tmp_path / "hub"
        assert main(["purpoz", "pull", "--out", str(tmp_path / "bp.toml"), "--install", "--config", str(cfg), "--data", str(hub_dir)]) == 0  # fmt: skip
        with Store(hub_dir) as hub_store:
            election = hub_store.election()
            kiosks = [device_store(tmp_path / f"k{i}", election) for i in range(2)]
            tokens = [enrol(hub_store, k, f"scan {i}") for i, k in enumerate(kiosks)]
        sheets = [("3-1", "3-2"), ("3-2",), ("3-3",), ("3-2", "3-3")]
        for k, mine in zip(kiosks, (sheets[:3], sheets[3:]), strict=True):
            for sel in mine:
                k.cast(
                    new_ballot(election, {"propositions": sel}, channel=Channel.PAPER, device=k.device),
                    require_open=False,
                )
        # The same sheet reached both stations (scanned twice): it counts once at the hub.
        shared_copy = next(iter(kiosks[0].ballots()))
        from sync import devices, merge, provenance

        # The copy names station 0, so it travels with station 0's signature (provenance).
        signed_copy = [*merge.ballot_to_wire(shared_copy), provenance.sign(devices.identity(kiosks[0]), shared_copy)]
        enrol(kiosks[1], kiosks[0])
        provenance.merge_signed(kiosks[1], election, [signed_copy], delivered_by="usb")
        hub = HubProcess(hub_dir, database=url).start()
        try:
            for k, tok in zip(kiosks, tokens, strict=True):
                client.push(k, SyncConfig(hub_url=hub.url, token=tok, timeout_seconds=20))
        finally:
            hub.stop()
        capsys.readouterr()
        # Totals are results: withheld while the city's polls (in the database) are not closed.
        assert main(["purpoz", "push", "--config", str(cfg), "--data", str(hub_dir)]) == 2
        assert "résultats non publiés" in capsys.readouterr().err and p.paper == {}
        assert main(["polls", "close", "--data", str(hub_dir)]) == 0  # published to the database with the election
        # A station is not the hub: it refuses (its totals are its own ballots, not the city's).
        assert main(["purpoz", "push", "--config", str(cfg), "--data", str(tmp_path / "k0")]) == 2
        assert "pas le dossier de données du hub" in capsys.readouterr().err and p.paper == {}
        assert main(["purpoz", "push", "--config", str(cfg), "--data", str(hub_dir)]) == 0
        votes = {ref: p.paper[(pid, p.step_id)][0] for pid, ref in _references(p).items()}
        assert votes == {"3-1": 1, "3-2": 3, "3-3": 2}  # 4 sheets, one of them delivered twice
    finally:
        served.close()
        for k in locals().get("kiosks", []):
            k.close()


def _references(p: FakePlatform) -> dict[str, str]:
    return {prop["id"]: prop["ref"] for prop in p.proposals}
