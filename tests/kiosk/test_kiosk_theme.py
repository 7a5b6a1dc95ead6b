"""Accessibility figures: contrast of the palettes, capital heights, touch targets, tap semantics."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication

from kiosk.ui import theme
from kiosk.ui.widgets import Button
from tests.conftest import SAMPLE_SURVEY
from tests.kiosk.kiosk_support import clock_fixture, kiosk_fixture, read_screen, tap  # noqa: F401 (fixtures)


def test_contrast_ratio_reference_values():
    assert theme.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert theme.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # WCAG's classic grey


@pytest.mark.parametrize("what, fg, bg", theme.NORMAL.pairs())
def test_normal_palette_is_at_least_10_to_1(what, fg, bg):
    assert theme.contrast_ratio(fg, bg) >= theme.MIN_CONTRAST, what


@pytest.mark.parametrize("what, fg, bg", theme.HIGH.pairs())
def test_high_contrast_palette_is_about_20_to_1(what, fg, bg):
    assert theme.contrast_ratio(fg, bg) >= theme.HIGH_CONTRAST, what


def test_stylesheet_uses_only_checked_colours(qapp):
    """Every colour in the stylesheet belongs to the palette, so the tests above cover it."""
    import re

    for palette in (theme.NORMAL, theme.HIGH):
        t = theme.make_theme(96, 1, palette is theme.HIGH)
        used = set(re.findall(r"#[0-9a-f]{6}", t.stylesheet()))
        allowed = {v for k, v in vars(palette).items() if k != "name"}
        assert used <= allowed


@pytest.mark.parametrize("dpi", [96.0, 160.0, 220.0])
@pytest.mark.parametrize("size", range(4))
def test_capital_heights_fall_in_each_range(qapp, dpi, size):
    t = theme.make_theme(dpi, size)
    low, high = theme.CAP_HEIGHTS_MM[size]
    cap = theme.cap_height_mm(t.family, t.text_px, dpi)
    assert low <= cap <= high, (dpi, size, cap)
    assert t.touch_px * 25.4 / dpi >= theme.TOUCH_MM - 1e-9
    assert t.gap_px * 25.4 / dpi >= theme.GAP_MM - 1e-9


def visible_buttons(w):
    QApplication.processEvents()
    return [b for b in w.current().findChildren(QAbstractButton) if b.isVisible()]


@pytest.mark.parametrize("size", [0, 3])
def test_touch_targets_are_at_least_12_7_mm_on_every_voter_screen(qtbot, kiosk, size):
    w, _ = kiosk(SAMPLE_SURVEY, screen_dpi=120.0)
    w.set_text_size(size)
    minimum = theme.mm_to_px(theme.TOUCH_MM, 120.0)
    screens = []
    screens.append(visible_buttons(w))
    tap(qtbot, w.welcome.vote)
    screens.append(visible_buttons(w))
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.ranking.findChild(Button, "choose_pistes"))
    tap(qtbot, w.ranking.findChild(Button, "choose_ecole"))
    screens.append(visible_buttons(w))
    tap(qtbot, w.ranking.next_button)
    screens.append(visible_buttons(w))
    for buttons in screens:
        assert buttons
        for b in buttons:
            if b.objectName() == "staff_corner":
                continue
            assert b.height() >= minimum and b.width() >= minimum, (b.objectName(), b.size())


def test_a_tap_counts_only_if_press_and_release_are_on_the_same_button(qtbot, kiosk):
    w, _ = kiosk(SAMPLE_SURVEY)
    tap(qtbot, w.welcome.vote)
    a = w.choosing.cards["jamais"].pick
    b = w.choosing.cards["parfois"].pick
    clicks: list[str] = []
    a.clicked.connect(lambda: clicks.append("a"))
    b.clicked.connect(lambda: clicks.append("b"))
    read_screen(w)
    # press on A, slide the finger to B, release there: nothing happens
    qtbot.mousePress(a, Qt.MouseButton.LeftButton, pos=a.rect().center())
    release_on_b = b.mapTo(a.window(), b.rect().center()) - a.mapTo(a.window(), QPoint(0, 0))
    qtbot.mouseRelease(a, Qt.MouseButton.LeftButton, pos=release_on_b)
    qtbot.mousePress(b, Qt.MouseButton.LeftButton, pos=QPoint(-50, -50))  # press outside B
    qtbot.mouseRelease(b, Qt.MouseButton.LeftButton, pos=b.rect().center())
    assert clicks == []
    assert w.session.selection() == {}
    qtbot.mouseClick(a, Qt.MouseButton.LeftButton)
    assert clicks == ["a"] and w.session.selection() == {"frequence": ("jamais",)}


def test_key_auto_repeat_is_ignored(qtbot, kiosk):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    w, _ = kiosk(SAMPLE_SURVEY)
    tap(qtbot, w.welcome.vote)
    pick = w.choosing.cards["jamais"].pick
    read_screen(w)
    pick.setFocus()
    repeat = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ", True)
    QApplication.sendEvent(pick, repeat)
    QApplication.sendEvent(
        pick, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ", True)
    )
    assert w.session.selection() == {}
    qtbot.keyClick(pick, Qt.Key.Key_Space)
    assert w.session.selection() == {"frequence": ("jamais",)}
