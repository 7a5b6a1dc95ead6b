"""Keep the screen awake while the polls are open (best effort, per platform).

- Linux: a `systemd-inhibit --what=idle` child process holds an idle inhibitor (logind; most
  desktop sessions honour it); it is ended, by its own pid, when the polls close or pause.
- Windows: SetThreadExecutionState(ES_CONTINUOUS | ES_DISPLAY_REQUIRED).
- macOS: a `caffeinate -d` child process.
Where none of these exists nothing happens: set the device's own power settings to "never".
"""

from __future__ import annotations

import shutil
import subprocess
import sys


class KeepAwake:
    def __init__(self) -> None:
        self.child: subprocess.Popen[bytes] | None = None
        self.active = False

    def _command(self) -> list[str] | None:
        if sys.platform.startswith("linux") and shutil.which("systemd-inhibit"):
            return [
                "systemd-inhibit",
                "--what=idle",
                "--who=Urne",
                "--why=Vote en cours",
                "--mode=block",
                "sleep",
                "infinity",
            ]
        if sys.platform == "darwin" and shutil.which("caffeinate"):
            return ["caffeinate", "-d"]
        return None

    def set(self, on: bool) -> None:
        if on == self.active:
            return
        self.active = on
        if sys.platform == "win32":  # pragma: no cover - Windows only
            import ctypes

            es_continuous, es_display = 0x80000000, 0x00000002
            ctypes.windll.kernel32.SetThreadExecutionState(es_continuous | (es_display if on else 0))
            return
        if on:
            cmd = self._command()
            if cmd is not None:
                try:
                    self.child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                except OSError:
                    self.child = None
        elif self.child is not None:
            self.child.terminate()
            try:
                self.child.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.child.kill()
            self.child = None
