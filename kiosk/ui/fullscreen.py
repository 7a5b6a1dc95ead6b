"""Showing the kiosk window: windowed (1280×800) to try it out, or over the whole screen without
counting on a window manager (tests/kiosk/test_fullscreen.py, under Xvfb)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow


def present(window: QMainWindow, *, fullscreen: bool, on_screen_change: Callable[[], None]) -> None:
    if not fullscreen:
        window.resize(1280, 800)
        window.show()
        return
    # Full screen without counting on a window manager: with none (a bare X session) or a
    # minimal one, _NET_WM_STATE_FULLSCREEN is not honoured and Qt's default 200×100 window
    # stayed. The window is placed on the whole screen itself, then asked to be full screen
    # for the window managers that do honour it.
    window.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
    screen = window.screen() or QApplication.primaryScreen()
    if screen is not None:
        window.setGeometry(screen.geometry())
        screen.geometryChanged.connect(on_screen_change)
    window.showFullScreen()


def fill_screen(window: QMainWindow) -> None:
    """The screen changed (another resolution, a rotated panel): cover it again."""
    screen = window.screen()
    if screen is not None and window.isFullScreen():
        window.setGeometry(screen.geometry())
