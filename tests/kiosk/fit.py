"""Walks the kiosk's widget tree screen by screen and measures what a voter would: nothing outside
the screen, no text wider (or taller) than its label or button, every target at least 12.7 mm
with 2.54 mm between targets — in millimetres at the screen's real density.

Used by tests/kiosk/test_fit.py (the whole matrix, every screen) and, run as a program, writes
the screenshots of the matrix and the table of sizes in the README:
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.kiosk.fit --out docs/screenshots/matrix
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QScrollArea, QWidget

from ballots.register import Identity
from ballots.staff_pin import FAILURES_KEY, LOCK_AFTER
from kiosk.ui.theme import GAP_MM, MM_PER_INCH, TOUCH_MM, cap_height_mm
from kiosk.ui.widgets import Button, wrap_words

TOLERANCE_MM = 0.3  # one pixel at the lowest density of the matrix


@dataclass(frozen=True)
class Display:
    name: str
    width: int
    height: int
    inches: float

    @property
    def dpi(self) -> float:
        return math.hypot(self.width, self.height) / self.inches


DISPLAYS = (
    Display("tablet-10", 1280, 800, 10.1),
    Display("tablet-9.7", 1024, 768, 9.7),
    Display("portrait-10", 800, 1280, 10.1),
    Display("laptop-14", 1366, 768, 14.0),
    Display("laptop-15.6", 1920, 1080, 15.6),
)
SIZES = ("small", "medium", "large", "xlarge")


@dataclass
class Measure:
    """The smallest figures seen on one screen, in millimetres."""

    target_mm: float = math.inf  # smallest side of a touch target
    gap_mm: float = math.inf  # smallest space between two targets
    cap_mm: float = math.inf  # body text capital height

    def merge(self, other: Measure) -> None:
        self.target_mm = min(self.target_mm, other.target_mm)
        self.gap_mm = min(self.gap_mm, other.gap_mm)
        self.cap_mm = min(self.cap_mm, other.cap_mm)


def _shown(w: QWidget, top: QWidget) -> bool:
    return w.isVisibleTo(top) and w.width() > 0 and w.height() > 0


def _rect_in(w: QWidget, top: QWidget) -> QRect:
    return QRect(w.mapTo(top, QPoint(0, 0)), w.size())


def _scroll_viewport(w: QWidget) -> QWidget | None:
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, QScrollArea):
            return p.viewport()
        p = p.parentWidget()
    return None


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[ \n]", text) if word]


def check_screen(window: QWidget, screen: QWidget, dpi: float, name: str) -> tuple[list[str], Measure]:
    """Problems on the shown `screen` of `window` (one line each) and its smallest figures."""
    problems: list[str] = []
    found = Measure()
    mm = MM_PER_INCH / dpi
    bounds = window.rect()
    targets: list[tuple[QWidget, QRect, QWidget | None]] = []
    for w in screen.findChildren(QWidget):
        if not _shown(w, window):
            continue
        label = f"{name}: {w.objectName() or type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        r = _rect_in(w, window)
        viewport = _scroll_viewport(w)
        if viewport is not None:
            clip = _rect_in(viewport, window)
            if r.left() < clip.left() - 1 or r.right() > clip.right() + 1:
                problems.append(f"{label}: sticks out of its list sideways ({r} in {clip})")
            r = r.intersected(clip)  # what is scrolled out of view is not measured against the bar
        elif not bounds.adjusted(-1, -1, 1, 1).contains(r):
            problems.append(f"{label}: outside the screen ({r} in {bounds})")
        if isinstance(w, QLabel) and w.text() and w.pixmap().isNull():
            inner = w.contentsRect()
            metrics = w.fontMetrics()
            if w.wordWrap():
                widest = max((metrics.horizontalAdvance(word) for word in _words(w.text())), default=0)
                if widest > inner.width() + 1:
                    problems.append(f"{label}: a word is wider than the label ({widest} > {inner.width()} px)")
                if w.heightForWidth(w.width()) > w.height() + 1:
                    problems.append(
                        f"{label}: text taller than the label ({w.heightForWidth(w.width())} > {w.height()})"
                    )
            elif metrics.horizontalAdvance(w.text()) > inner.width() + 1:
                problems.append(f"{label}: text wider than the label")
            if w.property("kind") in (None, "body"):
                found.cap_mm = min(found.cap_mm, cap_height_mm(w.font().family(), w.font().pixelSize(), dpi))
        if isinstance(w, Button):
            pad_w, pad_h = w._padding()
            metrics = w.fontMetrics()
            lines = wrap_words(w.text(), max(w.width() - pad_w, 1), metrics)
            widest = max((metrics.horizontalAdvance(line) for line in lines), default=0)
            if widest > w.width() - pad_w + 1:
                problems.append(f"{label}: text wider than the button ({widest} > {w.width() - pad_w} px)")
            if metrics.lineSpacing() * len(lines) > w.height() - pad_h + 2:
                problems.append(f"{label}: text taller than the button ({len(lines)} lines in {w.height()} px)")
        if isinstance(w, QAbstractButton | QLineEdit) and not r.isEmpty():
            if viewport is not None and (r.height() < w.height() or r.width() < w.width()):
                targets.append((w, r, viewport))  # partly scrolled out: its gaps still count
                continue
            side = min(r.width(), r.height()) * mm
            found.target_mm = min(found.target_mm, side)
            if side < TOUCH_MM - TOLERANCE_MM:
                problems.append(f"{label}: target {r.width() * mm:.1f}×{r.height() * mm:.1f} mm < {TOUCH_MM} mm")
            targets.append((w, r, viewport))
    for i, (a, ra, va) in enumerate(targets):
        for b, rb, vb in targets[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            if va is not vb and (va is None) == (vb is None):
                pass  # two different lists side by side: still measured
            dx = max(rb.left() - ra.right() - 1, ra.left() - rb.right() - 1, 0)
            dy = max(rb.top() - ra.bottom() - 1, ra.top() - rb.bottom() - 1, 0)
            gap = max(dx, dy) * mm if (dx == 0 or dy == 0) else math.hypot(dx, dy) * mm
            found.gap_mm = min(found.gap_mm, gap)
            if gap < GAP_MM - TOLERANCE_MM:
                problems.append(
                    f"{name}: {a.objectName() or a.text()!r} and {b.objectName() or b.text()!r} {gap:.1f} mm apart"
                )
    return problems, found


# -- the walk: every screen of a voter's visit and the staff's --------------------------------------


def settled() -> None:
    """Let the layouts finish: a wrapped label or button asks its parents again, which posts
    another layout request; what a voter sees is the state once the event loop is idle."""
    for _ in range(4):
        QApplication.processEvents()


_visits = [0]  # a new identity for each walk: the register refuses a second vote


def screens(w, staff: bool = True) -> Iterator[tuple[str, QWidget]]:  # type: ignore[no-untyped-def]
    """Drive window `w` (on the welcome screen, settings chosen) through every screen; the
    staff's two at the end when `staff` (they always open at the default settings)."""
    settle = settled
    w.tap_guard.quiet_s = 0  # the walk taps at machine speed
    yield "welcome", w.welcome
    w.welcome.vote.click()
    settle()
    if w.current() is w.register_step:
        yield "register", w.register_step
        # What the register step does for an admitted voter: casting refuses anyone else.
        w.session.attested = True
        _visits[0] += 1
        w.session.identity = Identity("Martin", "Léa", f"01/01/{1900 + _visits[0] % 100}", f"{10000 + _visits[0]}")
        w.go(w.flow.registered())
        settle()
    screen = w.current()
    if screen is w.choosing and w.choosing.cards:
        first = next(iter(w.choosing.cards.values()))
        if first.more.isVisibleTo(first):
            first.more.click()  # an expanded description
        for card in list(w.choosing.cards.values())[:2]:
            card.pick.click()
    settle()
    yield "question", w.current()
    while w.current() is not w.review:
        q = w.current()
        if q is w.ranking:
            for name in [c.id for c in q.question.choices][:2]:
                q.tap(name)
            settle()
            yield "ranking", q
        elif q is w.choosing and q.question.rule.kind.value == "single" and not w.session.chosen(q.question):
            q.tap(q.question.choices[0].id)
        w.go(w.flow.next())
        settle()
    yield "review", w.review
    w.go(w.flow.idle_expired())
    settle()
    yield "idle", w.idle_screen
    w.go(w.flow.still_here())
    settle()
    w.go(w.flow.edit(0))
    w.go(w.flow.next())
    settle()
    w.submit()
    settle()
    yield "thanks", w.thanks
    w.thanks.timer.stop()
    if not staff:
        return
    w.go(w.flow.finished())
    settle()
    w.open_staff()  # at the default size: a staff session does not inherit a voter's settings
    settle()
    w.pin.alert.say(w.pin.tr("Code faux. Essayez encore."))
    yield "pin", w.pin
    # Locked: the long message and "Code de secours" above "Annuler"; then the recovery code
    # shown once. The failure count is put back: the next walk starts unlocked.
    w.guard.store.set_meta(FAILURES_KEY, str(LOCK_AFTER))
    w.pin.refresh()
    settle()
    yield "pin-locked", w.pin
    w.pin.mode, w.pin.new_code = "show_code", "482109375521"
    w.pin.refresh()
    settle()
    yield "pin-recovery-code", w.pin
    w.guard.store.set_meta(FAILURES_KEY, "0")
    w.pin.reset()
    w.pin.timer.stop()
    w.go(w.flow.unlocked())
    settle()
    w.staff_menu.message.say("Sauvegarde vérifiée : 12 bulletins dans /media/urne/USB")
    yield "staff", w.staff_menu
    w.go(w.flow.leave())
    settle()


def walk(w, language: str, size: int, high: bool = False, staff: bool = True) -> Iterator[tuple[str, QWidget]]:  # type: ignore[no-untyped-def]
    """Yield (screen name, screen) of a whole visit and a staff session on window `w`."""
    w.go_welcome()
    w.set_language(language)
    w.set_text_size(size)
    if high:
        w.set_high_contrast(True)
    settled()
    yield from screens(w, staff)


STAFF_SCREENS = ("pin", "pin-locked", "pin-recovery-code", "staff")

# The screenshots kept in docs/ (a subset, so the repository stays small): the list of projects
# on every screen at the middle and the largest size, the largest in English on the narrowest
# screens, and a refusal at the largest size on the smallest landscape screen.
KEEP = {
    *((d.name, size, "fr", "question") for d in DISPLAYS for size in ("medium", "xlarge")),
    ("portrait-10", "xlarge", "en", "question"),
    ("tablet-9.7", "xlarge", "en", "question"),
    ("tablet-9.7", "xlarge", "fr", "welcome"),
    ("portrait-10", "xlarge", "fr", "welcome"),
    ("laptop-14", "xlarge", "fr", "review"),
    ("tablet-9.7", "xlarge", "fr", "staff"),
    ("portrait-10", "large", "fr", "pin"),
    ("tablet-9.7", "medium", "fr", "pin-locked"),
}


def save_small(window: QWidget, path: Path) -> None:
    """A screenshot with its colours reduced to a palette: a tenth of the size, same pixels' places."""
    from PIL import Image

    image = window.grab().toImage()
    raw = Path(str(path) + ".tmp.png")
    image.save(str(raw))
    with Image.open(raw) as picture:
        picture.convert("RGB").quantize(colors=64).save(path, optimize=True)
    raw.unlink()


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - a tool for the docs
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/matrix"))
    parser.add_argument("--all", action="store_true", help="every screen, not only the subset kept in docs/")
    args = parser.parse_args(argv)
    from tests.kiosk.test_fit import matrix_windows

    app = QApplication.instance() or QApplication([])  # noqa: F841 (kept alive for the run)

    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    with matrix_windows() as make:
        for display in DISPLAYS:
            w = make(display, make.election)
            for size in range(4):
                figures = Measure()
                bad = 0
                for language in ("fr", "en"):
                    for name, screen in walk(w, language, size):
                        problems, found = check_screen(w, screen, display.dpi, name)
                        if name in STAFF_SCREENS:  # always at the default size: not this row's text
                            found.cap_mm = math.inf
                        bad += len(problems)
                        for line in problems:
                            print(f"{display.name} {SIZES[size]} {language}: {line}", file=sys.stderr)
                        figures.merge(found)
                        if args.all or (display.name, SIZES[size], language, name) in KEEP:
                            save_small(w, args.out / f"{display.name}-{SIZES[size]}-{language}-{name}.png")
                rows.append((display, size, figures, bad))
    print("| Screen | Text size | Body capitals | Smallest target | Smallest gap | Problems |")
    print("|---|---|---|---|---|---|")
    for display, size, f, bad in rows:
        print(
            f'| {display.width}×{display.height} @ {display.inches}" ({display.dpi:.0f} dpi) | {SIZES[size]} '
            f"| {f.cap_mm:.1f} mm | {f.target_mm:.1f} mm | {f.gap_mm:.2f} mm | {bad} |"
        )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
