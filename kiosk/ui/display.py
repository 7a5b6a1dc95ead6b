"""How big the kiosk's screen really is: the density every millimetre of the theme is computed from.

Order: `[kiosk] screen_dpi` when set (measured by the town), else `[kiosk] screen_inches` (the
diagonal printed on the box) with the screen's pixel size, else the physical size the screen
reports to Qt (EDID). Panels lie — some report 0 mm, some a TV's 160×90 cm — so a reported
density outside PLAUSIBLE is not believed and 96 dpi is assumed (and said, in the log and in
`urne kiosk --screen`).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtGui import QGuiApplication, QScreen

from kiosk.config import KioskConfig

log = logging.getLogger(__name__)

MM_PER_INCH = 25.4
FALLBACK_DPI = 96.0
PLAUSIBLE = (60.0, 400.0)  # a phone is ~400 dpi, a 32" 1080p screen ~70


class Source(StrEnum):
    CONFIG_DPI = "config_dpi"
    CONFIG_INCHES = "config_inches"
    SCREEN = "screen"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Density:
    dpi: float
    source: Source
    width_px: int
    height_px: int

    @property
    def diagonal_inches(self) -> float:
        return math.hypot(self.width_px, self.height_px) / self.dpi

    def describe(self) -> str:
        return (
            f'{self.width_px}×{self.height_px} px, {self.dpi:.1f} dpi, {self.diagonal_inches:.1f}" '
            f"({self.width_px / self.dpi * MM_PER_INCH:.0f}×{self.height_px / self.dpi * MM_PER_INCH:.0f} mm) "
            f"[{self.source}]"
        )


def dpi_from_diagonal(width_px: int, height_px: int, inches: float) -> float:
    return math.hypot(width_px, height_px) / inches


def density(config: KioskConfig, screen: QScreen | None = None) -> Density:
    """The density to lay the kiosk out with, on `screen` (default: the primary screen)."""
    if screen is None and QGuiApplication.instance() is not None:
        screen = QGuiApplication.primaryScreen()
    w, h = (screen.size().width(), screen.size().height()) if screen is not None else (1280, 800)
    if config.screen_dpi > 0:
        return Density(config.screen_dpi, Source.CONFIG_DPI, w, h)
    if config.screen_inches > 0:
        return Density(dpi_from_diagonal(w, h, config.screen_inches), Source.CONFIG_INCHES, w, h)
    if screen is not None:
        mm = screen.physicalSize()
        if mm.width() > 0 and mm.height() > 0:
            dpi = math.hypot(w, h) / (math.hypot(mm.width(), mm.height()) / MM_PER_INCH)
            if PLAUSIBLE[0] <= dpi <= PLAUSIBLE[1]:
                return Density(dpi, Source.SCREEN, w, h)
            log.warning("screen reports %.0f×%.0f mm (%.0f dpi): not believed", mm.width(), mm.height(), dpi)
    log.warning("screen size unknown: assuming %.0f dpi; set [kiosk] screen_inches", FALLBACK_DPI)
    return Density(FALLBACK_DPI, Source.FALLBACK, w, h)
