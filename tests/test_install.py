"""Urne as a town hall installs it: a wheel, a fresh venv, an empty folder, nothing from the checkout.

Builds the wheel from this checkout, installs it (without its dependencies: those come from the
test venv's site-packages, added by a .pth file, so nothing is downloaded), then runs `urne init`,
`urne status` and `urne demo` in an empty temporary folder and checks that the code, the sample
election, the translations and the pictograms all came from the installed package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _run(argv, cwd, env=None):
    r = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, f"{argv}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
    return r.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    # Built from a clean copy of the sources: a stale build/ folder in the checkout could
    # otherwise slip deleted modules into the wheel.
    src = tmp / "src"
    ignore = shutil.ignore_patterns(".*", "var", "build", "dist", "*.egg-info", "__pycache__", "docs", "tests", "bench")
    shutil.copytree(ROOT, src, ignore=ignore)
    wheels = tmp / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(src)], cwd=tmp)
    (wheel,) = wheels.glob("urne-*.whl")
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True
        ).stdout.strip()
    )
    # The dependencies (PySide6, OpenCV...) from the test venv; a plain path line, so the test
    # venv's own .pth files (its editable install of this checkout) are not processed.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)], cwd=tmp)
    return env_dir


def test_wheel_runs_from_an_empty_folder(installed, tmp_path):
    folder = tmp_path / "mairie"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")  # no user config: the built-in defaults
    env["QT_QPA_PLATFORM"] = "offscreen"
    urne = str(installed / "bin" / "urne")
    said = _run([urne, "init"], cwd=folder, env=env)
    assert "bp-saint-remy-2026" in said and "var/data" in said
    assert "(not_opened)" in _run([urne, "status"], cwd=folder, env=env)
    # Where everything came from: the venv, never the checkout.
    where = _run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import kiosk, ballots.samples as s, kiosk.ui.i18n as i, kiosk.ui.choosing as c; "
            "import kiosk.ui.counting.common as k; "
            "print(kiosk.__file__); print(s.path()); print(i.TRANSLATIONS / 'urne_en.qm'); "
            "print(sorted(c.PICTOGRAMS.glob('*.svg'))[0]); print(k.TRANSLATIONS / 'counting_fr.qm')",
        ],
        cwd=folder,
        env=env,
    ).split()
    for path in where:
        assert Path(path).exists() and str(installed) in path and str(ROOT) not in path, where


def test_wheel_demo_and_kiosk_screens(installed, tmp_path):
    """The whole headless demo from the wheel: kiosk screens (offscreen Qt), paper, sync, report."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg"), "QT_QPA_PLATFORM": "offscreen"}
    said = _run([str(installed / "bin" / "urne"), "demo", "--voters", "3"], cwd=tmp_path, env=env)
    assert "[demo] écrans de la borne : un votant" in said and "[demo] terminé" in said
    assert (tmp_path / "var" / "data" / "proces-verbal.pdf").exists()
