"""The README's city set-up, done for real: two `urne hub` processes on one PostgreSQL database
behind nginx configured with the README's own `upstream`/`location` block (read from the
README, so the README cannot drift from what is tested). A station pushes through nginx, one
hub process is SIGKILLed, the station goes on through nginx, and the staff sign in through it."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from sync import client, outbox, staff, staffstore
from sync.config import SyncConfig
from sync.hubstore import open_storage
from tests.sync.helpers import device_store, enrol, totals, vote
from tests.sync.hubproc import ROOT, HubProcess, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def readme_nginx_block() -> str:
    """The indented nginx example under "# nginx" in the README, as a city would copy it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"\n    # nginx\n((?:    .*\n)+)", text)
    assert m, "the README's nginx example is gone"
    return "\n".join(line[4:] for line in m.group(1).splitlines())


def nginx_config(block: str, tmp: Path, listen: int, hub_ports: tuple[int, int]) -> str:
    """The README's block, with the test's ports and a plain-HTTP listener on 127.0.0.1
    (TLS is the city's certificate; nothing else is changed)."""
    assert "127.0.0.1:8765" in block and "127.0.0.1:8766" in block
    block = block.replace("127.0.0.1:8765", f"127.0.0.1:{hub_ports[0]}")
    block = block.replace("127.0.0.1:8766", f"127.0.0.1:{hub_ports[1]}")
    block, n = re.subn(r"listen 443 ssl;[^\n]*", f"listen 127.0.0.1:{listen}; server_name localhost;", block)
    assert n == 1
    return f"""daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
{block}
}}
"""


@pytest.fixture
def nginx_bin() -> str:
    if not os.path.exists(NGINX):
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed: 'make system' installs it (SYSTEM_PACKAGES)")
        pytest.skip("nginx not installed (apt-get install nginx-light)")
    return NGINX


def test_two_hub_processes_behind_the_readmes_nginx(tmp_path, budget_election, pg_cluster, nginx_bin):
    url = pg_cluster.new_database()
    hub_dir = tmp_path / "hub"
    hub_store = device_store(hub_dir, budget_election)
    k = device_store(tmp_path / "k", budget_election)
    token = enrol(hub_store, k, "kiosk du marché")
    hub_store.close()
    ports = (free_port(), free_port())
    hubs = [HubProcess(hub_dir, port, database=url).start() for port in ports]
    web = tmp_path / "nginx"
    web.mkdir()
    os.chmod(web, 0o777)  # nginx's workers run as an unprivileged user when the tests run as root
    listen = free_port()
    (web / "nginx.conf").write_text(nginx_config(readme_nginx_block(), web, listen, ports), encoding="utf-8")
    proc = subprocess.Popen(
        [nginx_bin, "-p", str(web), "-c", str(web / "nginx.conf"), "-e", str(web / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    city = f"http://127.0.0.1:{listen}"
    try:
        deadline = time.monotonic() + 20
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "nginx exited"
            try:
                if requests.get(city + "/v1/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, (web / "error.log").read_text()
            time.sleep(0.1)
        cfg = SyncConfig(hub_url=city, token=token, timeout_seconds=20)
        rng = random.Random(7)
        vote(k, 30, rng)
        client.push(k, cfg, batch_size=7)  # through nginx, spread over both processes
        assert outbox.backlog(k) == 0
        hubs[0].kill()  # SIGKILL one process: nginx passes its requests to the other
        vote(k, 30, rng)
        client.push(k, cfg, batch_size=7)
        assert outbox.backlog(k) == 0
        auth = {"Authorization": f"Bearer {token}"}
        got = requests.get(city + "/v1/totals", headers=auth, timeout=20).json()
        assert got["ballots_counted"] == 60
        assert got["questions"]["projets"]["votes"] == totals(k)["votes"]["projets"]  # type: ignore[index]

        # The staff sign in through the proxy (session and CSRF hold behind it) and see it all.
        storage = open_storage(url)
        try:
            staffstore.accounts_for(storage).add("Agent 1", staff.hash_password("agent one's password"), actor="test")
        finally:
            storage.close()
        s = requests.Session()
        csrf = re.search(r'name="csrf" value="([^"]+)"', s.get(city + "/login", timeout=20).text)
        assert csrf
        r = s.post(
            city + "/login",
            data={"csrf": csrf.group(1), "name": "Agent 1", "password": "agent one's password"},
            allow_redirects=False,
            timeout=20,
        )
        assert r.status_code == 302 and r.headers["Location"] == "/"
        page = s.get(city + "/", timeout=20).text
        assert 'id="counted">60<' in page and "kiosk du marché" in page
    finally:
        proc.terminate()
        proc.wait(10)
        for h in hubs:
            h.stop()
        k.close()
