"""A throwaway PostgreSQL cluster of the distribution's own binaries, as pytest-postgresql does:
initdb + pg_ctl on a free port in a temporary folder, stopped and removed afterwards.

PostgreSQL refuses to run as root: when the tests run as root (CI does), the cluster runs as
the unprivileged `nobody` user through `runuser`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.sync.hubproc import free_port


def pg_bin() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin with initdb (Debian's layout), or PATH's."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PgCluster:
    def __init__(self) -> None:
        bin_dir = pg_bin()
        if bin_dir is None:
            raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql")
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="urne-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            os.chown(self.root, *_nobody())
            self.as_user = ["runuser", "-u", "nobody", "--"]

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.as_user, *args], check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> PgCluster:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "urne", "-A", "trust", "-E", "UTF8", "--no-sync"
        )
        return self

    def start(self) -> PgCluster:
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
        r = self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.root / "log"), "-w", "start",
            check=False,
        )  # fmt: skip
        if r.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed: {r.stderr}\n{(self.root / 'log').read_text()[-2000:]}")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self, mode: str = "immediate") -> None:
        """`immediate` is a crash for PostgreSQL: recovery from its WAL at the next start."""
        self.stop(mode)
        self.start()

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://urne@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        return self.url(name)

    def destroy(self) -> None:
        self.stop("immediate")
        with contextlib.suppress(OSError):
            shutil.rmtree(self.root)


def _nobody() -> tuple[int, int]:
    import pwd

    p = pwd.getpwnam("nobody")
    return p.pw_uid, p.pw_gid
