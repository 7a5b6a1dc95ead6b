"""Full screen for real: `urne kiosk` under a real X server (Xvfb, started here on a free display)
with no window manager, with matchbox (the kiosk sessions' window manager) and with a desktop
window manager (openbox, EWMH like GNOME's or Xfce's). The window the X server shows must cover
the whole screen; before the fix it was Qt's default 200×100 window without a window manager.
Xvfb, matchbox, openbox and xdotool come from the Makefile's SYSTEM_PACKAGES."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool") and shutil.which("xdpyinfo")),
    reason="Xvfb, xdotool and xdpyinfo (make system) not installed",
)

WIDTH, HEIGHT = 1280, 800
URNE = Path(sys.executable).with_name("urne")


def start_x() -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a display it picks itself (-displayfd): no clash with another X server."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    assert number, "Xvfb did not start"
    display = f":{number}"
    # The number is written once the server listens; on a loaded machine (CI on 2 busy cores) the
    # first client was still refused now and then ("could not connect to display :0", session 27),
    # so wait until a real X client gets an answer before the kiosk is started.
    deadline = time.monotonic() + 60  # waiting for the server, not a timing assertion
    while subprocess.run(["xdpyinfo", "-display", display], capture_output=True).returncode != 0:
        assert proc.poll() is None and time.monotonic() < deadline, "Xvfb does not answer"
        time.sleep(0.2)
    return proc, display


def window_geometry(env: dict[str, str]) -> tuple[int, int, int, int] | None:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "^Urne$"], env=env, capture_output=True, text=True
    )
    ids = found.stdout.split()
    if not ids:
        return None
    out = subprocess.run(["xdotool", "getwindowgeometry", ids[-1]], env=env, capture_output=True, text=True).stdout
    pos = re.search(r"Position: (-?\d+),(-?\d+)", out)
    size = re.search(r"Geometry: (\d+)x(\d+)", out)
    if not (pos and size):
        return None
    return int(pos[1]), int(pos[2]), int(size[1]), int(size[2])


@pytest.mark.slow
@pytest.mark.parametrize("wm", ["none", "matchbox-window-manager", "openbox"])
def test_the_kiosk_fills_the_screen(tmp_path, wm):
    if wm != "none" and not shutil.which(wm):
        pytest.skip(f"{wm} not installed (make system)")
    xvfb, display = start_x()
    procs: list[subprocess.Popen[bytes]] = []
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path))
    try:
        if wm != "none":
            procs.append(subprocess.Popen([wm], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        data = tmp_path / "data"
        config = tmp_path / "config.toml"
        config.write_text("[kiosk]\nscreen_inches = 10.1\n", encoding="utf-8")
        subprocess.run([str(URNE), "--config", str(config), "init", "--data", str(data)], env=env, check=True)
        kiosk = subprocess.Popen(
            [str(URNE), "--config", str(config), "kiosk", "--data", str(data)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        procs.append(kiosk)
        geometry = None
        deadline = time.monotonic() + 60  # waiting for a window to appear, not a timing assertion
        while time.monotonic() < deadline and kiosk.poll() is None:
            geometry = window_geometry(env)
            if geometry is not None and geometry[2:] == (WIDTH, HEIGHT):
                break
            time.sleep(0.2)
        assert kiosk.poll() is None, kiosk.stderr.read().decode() if kiosk.stderr else ""
        assert geometry == (0, 0, WIDTH, HEIGHT), f"{wm}: window at {geometry}"
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        xvfb.terminate()
        xvfb.wait(10)
