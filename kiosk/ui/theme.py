"""Sizes and colours of the kiosk, computed from physical units (millimetres) and the screen density.

Accessibility figures (VVSG 2.0 as in REFERENCE.md): four text sizes measured by the height of a
capital letter (3.5–4.2, 4.8–5.6, 6.4–7.1, 8.5–9.0 mm), touch targets at least 12.7 mm with
2.54 mm between them, contrast at least 10:1 (about 20:1 in high contrast). The screen density
comes from `Config.kiosk.screen_dpi` because the density a screen reports is unreliable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF

MM_PER_INCH = 25.4
# (min, max) capital height in mm of each text size, smallest first; index 1 is the default.
CAP_HEIGHTS_MM: tuple[tuple[float, float], ...] = ((3.5, 4.2), (4.8, 5.6), (6.4, 7.1), (8.5, 9.0))
DEFAULT_SIZE = 1
TOUCH_MM = 12.7
GAP_MM = 2.54
FOCUS_MM = 1.2  # focus ring width: 3x a plain border, seen from a step back (WCAG 2.4.13: >= 2 CSS px)
MIN_CONTRAST = 10.0
HIGH_CONTRAST = 19.0  # "about 20:1": black/white is 21, yellow on black 19.6
PREFERRED_FAMILIES = ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial")


@dataclass(frozen=True)
class Palette:
    """Every colour pair the stylesheet uses is listed in `pairs()` and unit-tested for contrast."""

    name: str
    background: str
    text: str
    surface: str  # buttons and cards
    border: str
    primary: str  # the main action ("Voter", "Valider mon vote")
    on_primary: str
    selected: str  # a chosen card / a checked button
    on_selected: str
    alert: str  # refusal and error messages
    on_alert: str
    bar: str  # budget bar fill
    focus: str  # the keyboard focus ring: thick (FOCUS_MM), on the page background

    def pairs(self) -> tuple[tuple[str, str, str], ...]:
        """(what, foreground, background) of every text the kiosk draws."""
        return (
            ("text", self.text, self.background),
            ("button", self.text, self.surface),
            ("primary", self.on_primary, self.primary),
            ("selected", self.on_selected, self.selected),
            ("alert", self.on_alert, self.alert),
            ("bar text", self.text, self.background),
            ("focus ring", self.focus, self.background),
            ("focus ring on a button", self.focus, self.surface),
        )


NORMAL = Palette(
    name="normal",
    background="#ffffff",
    text="#1a1a1a",
    surface="#eef1f5",
    border="#3d4650",
    primary="#00306b",
    on_primary="#ffffff",
    selected="#004a2f",
    on_selected="#ffffff",
    alert="#fff1d6",
    on_alert="#1a1a1a",
    bar="#00306b",
    focus="#000000",
)

HIGH = Palette(
    name="high",
    background="#000000",
    text="#ffffff",
    surface="#000000",
    border="#ffffff",
    primary="#ffff00",
    on_primary="#000000",
    selected="#ffffff",
    on_selected="#000000",
    alert="#000000",
    on_alert="#ffff00",
    bar="#ffff00",
    focus="#ffff00",
)


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    h = colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mm_to_px(mm: float, dpi: float) -> int:
    return math.ceil(mm * dpi / MM_PER_INCH - 1e-9)  # never round a minimum down


def font_family() -> str:
    available = set(QFontDatabase.families())
    for family in PREFERRED_FAMILIES:
        if family in available:
            return family
    return QFont().defaultFamily()


def cap_height_mm(family: str, pixel_size: int, dpi: float, *, bold: bool = False) -> float:
    font = QFont(family)
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return QFontMetricsF(font).capHeight() * MM_PER_INCH / dpi


def pixel_size_for(cap_range: tuple[float, float], dpi: float, family: str) -> int:
    """The font pixel size whose capital height is nearest the middle of `cap_range`."""
    low, high = cap_range
    target = (low + high) / 2
    best, best_err = 1, float("inf")
    for px in range(6, 400):
        cap = cap_height_mm(family, px, dpi)
        if low <= cap <= high and abs(cap - target) < best_err:
            best, best_err = px, abs(cap - target)
        if cap > high:
            break
    if best_err == float("inf"):  # coarse screen: take the first size that reaches the minimum
        best = next(px for px in range(6, 400) if cap_height_mm(family, px, dpi) >= low)
    return best


@dataclass(frozen=True)
class Theme:
    dpi: float
    size: int  # index into CAP_HEIGHTS_MM
    palette: Palette
    family: str
    text_px: int  # body text: its capital height is inside the chosen range
    heading_px: int  # question titles: the next size up (or 1.1x at the largest)
    touch_px: int
    gap_px: int
    focus_px: int = 4

    @property
    def high_contrast(self) -> bool:
        return self.palette is HIGH

    def stylesheet(self) -> str:
        p, t, h, touch, gap = self.palette, self.text_px, self.heading_px, self.touch_px, self.gap_px
        radius = max(gap, 4)
        return f"""
QWidget {{ font-family: "{self.family}"; font-size: {t}px; color: {p.text}; }}
QMainWindow, QWidget#screen, QScrollArea, QScrollArea > QWidget > QWidget, QStackedWidget {{
    background: {p.background}; }}
QLabel {{ background: transparent; color: {p.text}; }}
QLabel[kind="title"] {{ font-size: {h}px; font-weight: bold; }}
QLabel[kind="heading"] {{ font-size: {h}px; font-weight: bold; }}
QLabel[kind="alert"] {{ background: {p.alert}; color: {p.on_alert}; border: 2px solid {p.border};
    border-radius: {radius}px; padding: {gap}px; font-weight: bold; }}
QFrame[kind="card"] {{ background: {p.background}; border: 2px solid {p.border}; border-radius: {radius}px; }}
QFrame[kind="card"][chosen="true"] {{ border: {max(4, gap // 2)}px solid {p.selected}; }}
QPushButton {{ min-height: {max(touch, t * 13 // 10)}px; padding: {gap // 2}px {gap * 2}px; background: {p.surface};
    color: {p.text}; border: 2px solid {p.border}; border-radius: {radius}px; }}
QPushButton[role="primary"] {{ background: {p.primary}; color: {p.on_primary}; border-color: {p.primary};
    font-weight: bold; }}
QPushButton:checked, QPushButton[role="chosen"] {{ background: {p.selected}; color: {p.on_selected};
    border-color: {p.selected}; }}
QPushButton[role="tick"] {{ text-align: left; padding-left: {gap * 2}px; }}
QPushButton:disabled {{ background: {p.background}; color: {p.text}; border: 2px dashed {p.border}; }}
QPushButton:focus, QPushButton[role="primary"]:focus, QPushButton:checked:focus, QPushButton[role="chosen"]:focus {{
    border: 2px solid {p.focus}; }}
QPushButton[role="key"] {{ padding: 0; min-height: {max(touch, t * 13 // 10)}px; }}
QPushButton[role="hidden"] {{ background: transparent; border: none; min-height: {touch}px; }}
QLineEdit {{ min-height: {touch}px; background: {p.background}; color: {p.text}; border: 2px solid {p.border};
    border-radius: {radius}px; padding: 0 {gap}px; }}
QLineEdit:focus {{ border: 2px solid {p.focus}; }}
QProgressBar {{ min-height: {touch // 2}px; border: 2px solid {p.border}; border-radius: {radius}px;
    background: {p.background}; color: {p.text}; text-align: center; font-weight: bold; }}
QProgressBar::chunk {{ background: {p.bar}; }}
QScrollBar:vertical {{ width: {touch // 2}px; background: {p.surface}; }}
QScrollBar::handle:vertical {{ background: {p.border}; min-height: {touch}px; border-radius: {gap}px; }}
"""


@lru_cache(maxsize=64)
def make_theme(dpi: float, size: int = DEFAULT_SIZE, high_contrast: bool = False, family: str | None = None) -> Theme:
    size = max(0, min(size, len(CAP_HEIGHTS_MM) - 1))
    fam = family or font_family()
    text_px = pixel_size_for(CAP_HEIGHTS_MM[size], dpi, fam)
    if size + 1 < len(CAP_HEIGHTS_MM):
        heading_px = pixel_size_for(CAP_HEIGHTS_MM[size + 1], dpi, fam)
    else:
        # At the largest size the text is already 8.5 mm: a title only a little larger keeps a
        # long word ("Questionnaire") inside an 800 px portrait screen.
        heading_px = int(text_px * 1.1)
    return Theme(
        dpi=dpi,
        size=size,
        palette=HIGH if high_contrast else NORMAL,
        family=fam,
        text_px=text_px,
        heading_px=heading_px,
        touch_px=mm_to_px(TOUCH_MM, dpi),
        gap_px=mm_to_px(GAP_MM, dpi),
        focus_px=max(4, mm_to_px(FOCUS_MM, dpi)),
    )
