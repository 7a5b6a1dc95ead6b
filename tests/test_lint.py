"""ruff (lint and format) over the whole tree and mypy over ballots, sync and kiosk: part of `make test`."""

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _tool(name):
    exe = ROOT / ".venv" / "bin" / name
    if exe.exists():
        return str(exe)
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed")
    return found


def test_ruff_is_clean():
    r = subprocess.run(
        [_tool("ruff"), "check", "ballots", "kiosk", "sync", "tests", "bench", "tools"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout[-3000:]


def test_mypy_is_clean():
    r = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:]


def test_ruff_format_is_applied():
    r = subprocess.run(
        [_tool("ruff"), "format", "--check", "ballots", "kiosk", "sync", "tests", "bench", "tools"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout[-3000:]
