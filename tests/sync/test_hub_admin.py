"""Enrolments, revocations, staff accounts and the shared staff password change while two hub
processes run (SQLite: one store; PostgreSQL: one database): every process applies each change
at its next request, without a restart. Sign-ins are audited with the person's name."""

from __future__ import annotations

import json
import random
import re

import requests

from ballots.store import Store
from kiosk.cli import main
from sync import client, devices, outbox, schema
from tests.sync.helpers import device_store, enrol, vote
from tests.sync.hubproc import HubProcess

ALICE = "Alice Martin"
ALICE_PW = "alice's long password"
SHARED_PW = "the town's shared one"


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, html[:300]
    return m.group(1)


def _sign_in(url: str, name: str, password: str) -> tuple[requests.Session, int]:
    s = requests.Session()
    token = _csrf(s.get(url + "/login", timeout=20).text)
    r = s.post(
        url + "/login", data={"csrf": token, "name": name, "password": password}, allow_redirects=False, timeout=20
    )
    return s, r.status_code


def _signed_in(s: requests.Session, url: str) -> bool:
    r = s.get(url + "/", allow_redirects=False, timeout=20)
    assert r.status_code in (200, 302), r.status_code
    return r.status_code == 200 and 'id="devices"' in r.text


def _post(url: str, token: str, k: Store, key: str) -> int:
    body, _ = client.batch_payload(k, outbox.claim(k, 100))
    outbox.recover(k)  # nothing is marked sent here: the test only reads the hub's answer
    r = requests.post(
        url + "/v1/batches",
        data=json.dumps(body),
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
        timeout=30,
    )
    return r.status_code


def test_changes_reach_every_running_hub_process_without_a_restart(tmp_path, budget_election, hub_database, capsys):
    hub_dir = tmp_path / "hub"
    hub_store = device_store(hub_dir, budget_election)
    k0 = device_store(tmp_path / "k0", budget_election)
    k1 = device_store(tmp_path / "k1", budget_election)
    token0 = enrol(hub_store, k0, "kiosk 0")
    hub_store.close()
    config = tmp_path / "city.toml"
    config.write_text(f'[hub]\ndatabase = "{hub_database}"\n', encoding="utf-8")
    cli = ["--data", str(hub_dir), "--config", str(config)]
    hubs = [HubProcess(hub_dir, database=hub_database).start() for _ in range(2)]
    a, b = hubs
    try:
        vote(k0, 5, random.Random(1))
        vote(k1, 5, random.Random(2))
        # A device enrolled while both processes run is trusted by both at once.
        me = devices.identity(k1)
        capsys.readouterr()
        assert main(["device", "enrol", me.device, me.public_key_hex, "--name", "kiosk 1", *cli]) == 0
        token1 = re.search(r"jeton du hub .* : (\S+)", capsys.readouterr().out).group(1)  # type: ignore[union-attr]
        assert _post(a.url, token1, k1, "k1-a") == 200 and _post(b.url, token1, k1, "k1-b") == 200
        assert _post(a.url, token0, k0, "k0-a") == 200

        # A staff account added while they run signs in on either; the shared password too.
        monkey_env = {"URNE_TEST_PW": ALICE_PW, "URNE_TEST_SHARED": SHARED_PW}
        import os

        os.environ.update(monkey_env)
        try:
            assert main(["hub", "staff", "add", ALICE, "--from-env", "URNE_TEST_PW", *cli]) == 0
            assert main(["staff-password", "--from-env", "URNE_TEST_SHARED", *cli]) == 0
        finally:
            for k in monkey_env:
                os.environ.pop(k, None)
        alice, status = _sign_in(a.url, ALICE, ALICE_PW)
        assert status == 302 and _signed_in(alice, a.url) and _signed_in(alice, b.url)  # one session, any process
        assert f"Connecté : {ALICE}" in alice.get(b.url + "/", timeout=20).text
        assert _sign_in(b.url, ALICE, "not her password")[1] == 401
        assert _sign_in(b.url, "Nobody", ALICE_PW)[1] == 401
        town, status = _sign_in(b.url, "", SHARED_PW)
        assert status == 302 and _signed_in(town, a.url)

        # Revoked: the very next batch is refused by BOTH processes; the other device goes on.
        assert main(["device", "revoke", me.device, *cli]) == 0
        assert _post(a.url, token1, k1, "k1-a2") == 401 and _post(b.url, token1, k1, "k1-b2") == 401
        assert _post(b.url, token0, k0, "k0-b") == 200

        # Removed: her open session ends at its next request, on both; she cannot sign in again.
        assert main(["hub", "staff", "remove", ALICE, *cli]) == 0
        assert not _signed_in(alice, b.url) and not _signed_in(alice, a.url)
        assert _sign_in(a.url, ALICE, ALICE_PW)[1] == 401
        # A new shared password ends the sessions opened with the old one, and the old one fails.
        assert _signed_in(town, a.url)
        os.environ["URNE_TEST_SHARED"] = "a brand new shared password"
        try:
            assert main(["staff-password", "--from-env", "URNE_TEST_SHARED", *cli]) == 0
        finally:
            os.environ.pop("URNE_TEST_SHARED")
        assert not _signed_in(town, b.url)
        assert _sign_in(a.url, "", SHARED_PW)[1] == 401
        assert _sign_in(b.url, "", "a brand new shared password")[1] == 302

        # Every sign-in and refusal is audited, with the name tried and the address.
        capsys.readouterr()
        assert main(["hub", "staff", "log", *cli]) == 0
        log = capsys.readouterr().out
        assert re.search(rf"staff\.login +{ALICE} +address=127\.0\.0\.1", log), log
        assert re.search(rf"staff\.login_refused +{ALICE} +address=127\.0\.0\.1 reason=bad-password", log)
        assert re.search(r"staff\.login_refused +Nobody +address=\S+ reason=unknown-name", log)
        assert re.search(rf"staff\.remove +cli +name={ALICE}", log)
        assert "staff.login " in log and "staff (shared password)" in log
    finally:
        for h in hubs:
            h.stop()
        k0.close()
        k1.close()


def test_a_hub_restarted_from_an_older_data_dir_keeps_a_revoked_device_revoked(
    tmp_path, budget_election, pg_cluster, capsys
):
    """City: hub machine B's data dir still trusts a device revoked on machine A; B starting
    must not trust it again (start-up only adds what the database lacks)."""
    url = pg_cluster.new_database()
    config = tmp_path / "city.toml"
    config.write_text(f'[hub]\ndatabase = "{url}"\n', encoding="utf-8")
    k = device_store(tmp_path / "k", budget_election)
    for machine in ("a", "b"):
        with Store(tmp_path / machine) as s:
            s.install_election(budget_election, secret=bytes(range(32)))
    me = devices.identity(k)
    on_a = ["--data", str(tmp_path / "a"), "--config", str(config)]
    capsys.readouterr()
    assert main(["device", "enrol", me.device, me.public_key_hex, *on_a]) == 0
    token = re.search(r"jeton du hub .* : (\S+)", capsys.readouterr().out).group(1)  # type: ignore[union-attr]
    with Store(tmp_path / "a") as a_store, Store(tmp_path / "b") as b_store:
        # Machine B holds a copy of that enrolment (same key and token), made before the revocation.
        row = a_store.conn.execute("SELECT public_key, token_sha256 FROM sync_devices").fetchone()
        schema.ensure(b_store)
        with b_store.transaction() as db:
            db.execute(
                "INSERT INTO sync_devices (device, public_key, token_sha256, name, place, enrolled_day, revoked) "
                "VALUES (?, ?, ?, '', '', '2026-05-30', 0)",
                [me.device, row[0], row[1]],
            )
    assert main(["device", "revoke", me.device, *on_a]) == 0
    hub_b = HubProcess(tmp_path / "b", database=url).start()
    try:
        vote(k, 3, random.Random(3))
        assert _post(hub_b.url, token, k, "after-revoke") == 401
    finally:
        hub_b.stop()
        k.close()
