"""A real `urne hub` process on 127.0.0.1 and a TCP proxy in front of it that injects faults."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class HubProcess:
    def __init__(
        self, data_dir: Path, port: int | None = None, *, database: str = "", threads: int = 4, hub_config: str = ""
    ) -> None:
        self.data_dir = data_dir
        self.hub_config = hub_config  # extra lines of config.toml's [hub] section
        self.database = database  # "" = the hub's own SQLite store; else a postgresql:// URL
        self.threads = threads
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> HubProcess:
        cmd = [
            sys.executable,
            "-m",
            "kiosk.cli",
            "hub",
            "--data",
            str(self.data_dir),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--threads",
            str(self.threads),
        ]
        if self.database or self.hub_config:
            config = self.data_dir.parent / f"hub-{self.port}.toml"
            config.write_text(f'[hub]\ndatabase = "{self.database}"\n{self.hub_config}\n', encoding="utf-8")
            cmd += ["--config", str(config)]
        self.log = open(self.data_dir.parent / f"hub-{self.port}.log", "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"hub exited with {self.proc.returncode}: {(self.data_dir.parent / f'hub-{self.port}.log').read_text()}"
                )
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return self
            time.sleep(0.05)
        raise RuntimeError("hub did not start")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, like a power cut of the process."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.log.close()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    # One request per connection, so every fault hits exactly one request.
    lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith(b"connection:")]
    return b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n" + body


class FaultProxy:
    """Forwards to `target_port`; each new connection takes the next fault from `faults`:
    pass, 500 (answered by the proxy), 500-after (the hub commits, the client gets a 500),
    cut-request (half the body reaches the hub, then both sides are cut), cut-response (the hub
    commits, the client's connection is cut before any answer), slow (the answer arrives after
    the client's timeout), kill (calls `on_forwarded` once the request reached the hub)."""

    def __init__(self, target_port: int, *, slow_seconds: float = 1.5) -> None:
        self.target_port = target_port
        self.slow_seconds = slow_seconds
        self.faults: deque[str] = deque()
        self.on_forwarded: Callable[[], None] | None = None  # e.g. kill the hub mid-request
        self.seen: list[str] = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            fault = self.faults.popleft() if self.faults else "pass"
            self.seen.append(fault)
            threading.Thread(target=self._handle, args=(conn, fault), daemon=True).start()

    def _handle(self, client: socket.socket, fault: str) -> None:
        with client:
            request = _read_request(client)
            if fault == "500":
                client.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=10)
            except OSError:
                return  # hub down: the client sees the connection closed
            with upstream:
                if fault == "cut-request":
                    upstream.sendall(request[: len(request) - max(1, (len(request) - request.index(b"\r\n\r\n")) // 2)])
                    return
                upstream.sendall(request)
                if fault == "kill" and self.on_forwarded is not None:
                    self.on_forwarded()
                response = b""
                while True:
                    try:
                        chunk = upstream.recv(65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    response += chunk
            if fault == "cut-response":
                client.shutdown(socket.SHUT_RDWR)
                return
            if fault == "500-after":
                client.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if fault == "slow":
                time.sleep(self.slow_seconds)
            with contextlib.suppress(OSError):
                client.sendall(response)

    def close(self) -> None:
        self._stop = True
        self.sock.close()


class InProcessHub:
    """sync.hub.make_server on 127.0.0.1 in a thread of the test process: real HTTP, with
    limits a test can shorten. The loop runs and closes in its own thread (no closing of a
    socket under a select in progress)."""

    def __init__(self, storage: object, *, threads: int = 2, limits: object | None = None) -> None:
        from sync.hub import HubLimits, make_server

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = make_server(storage, "127.0.0.1", self.port, threads=threads, limits=limits or HubLimits())  # type: ignore[arg-type]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        server = self.server
        while not self._stop.is_set():
            server.asyncore.loop(timeout=0.1, map=server._map, use_poll=True, count=1)
        server.task_dispatcher.shutdown()
        server.close()
        for channel in list(server._map.values()):
            with contextlib.suppress(OSError):
                channel.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(10)
