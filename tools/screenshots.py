"""Screenshots of every kiosk screen into docs/screenshots/ (run: `make screenshots`).

Each screen in French, normal contrast, medium text; then a selection in English, in high
contrast, and at the smallest and largest text sizes. The sample elections are installed in a
temporary data dir; nothing is written elsewhere. Files are named
`<screen>-<language>-<contrast>-<size>.png`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ballots import samples as sample_elections

ROOT = Path(__file__).resolve().parents[1]
SIZES = ("small", "medium", "large", "xlarge")
WIDTH, HEIGHT = 1280, 800

# (screen, language, high contrast, text size index)
SHOTS: tuple[tuple[str, str, bool, int], ...] = (
    *(
        (s, "fr", False, 1)
        for s in (
            "welcome",
            "register",
            "register-identity",
            "choosing",
            "ranking",
            "review",
            "thanks",
            "idle",
            "staff-pin",
            "staff-menu",
        )
    ),
    ("welcome", "en", False, 1),
    ("choosing", "en", False, 1),
    ("ranking", "en", False, 1),
    ("review", "en", False, 1),
    ("idle", "en", False, 1),
    ("welcome", "fr", True, 1),
    ("choosing", "fr", True, 1),
    ("review", "en", True, 1),
    ("choosing", "fr", False, 0),
    ("welcome", "fr", False, 3),
    ("choosing", "fr", False, 3),
    ("review", "fr", False, 3),
    ("choosing", "en", True, 3),
    ("register-identity", "fr", False, 3),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", help="only screens whose name contains this")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="urne-shots-") as tmp:
        kiosks = Kiosks(Path(tmp))
        for screen, lang, high, size in SHOTS:
            if args.only and args.only not in screen:
                continue
            path = out / f"{screen}-{lang}-{'high' if high else 'normal'}-{SIZES[size]}.png"
            window = kiosks.window_for(screen)
            window.go_welcome()
            window.set_language(lang)
            window.set_text_size(size)
            window.set_high_contrast(high)
            SCENES[screen](window)
            for _ in range(3):
                app.processEvents()
            window.grab().save(str(path))
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        kiosks.close()
    return 0


class Kiosks:
    """One window per sample election, all on temporary stores."""

    def __init__(self, tmp: Path) -> None:
        from ballots import election_file
        from ballots.store import Polls, Store
        from kiosk.config import Config
        from kiosk.ui.app import build

        self.windows = {}
        self.stores = []
        for name in ("budget-participatif", "plan-velo", "votation"):
            path = sample_elections.path(name)
            store = Store(tmp / name)
            store.install_election(election_file.load(path))
            store.set_polls(Polls.OPEN, actor="screenshots")
            w = build(Config(data_dir=store.data_dir, election_file=path), store)
            w.thanks.timer.setInterval(10**9)
            w.resize(WIDTH, HEIGHT)
            w.show()
            self.windows[name] = w
            self.stores.append(store)

    def window_for(self, screen: str):  # type: ignore[no-untyped-def]
        if screen == "ranking":
            return self.windows["plan-velo"]
        if screen == "register-identity":
            return self.windows["votation"]
        return self.windows["budget-participatif"]

    def close(self) -> None:
        for w in self.windows.values():
            w.quit_kiosk()
        for s in self.stores:
            s.close()


def _to_choosing(w) -> None:  # type: ignore[no-untyped-def]
    w.welcome.vote.click()
    if w.current() is w.register_step:
        import random

        from kiosk.ui.autopilot import register

        register(w, random.Random(1))


def scene_welcome(w) -> None:  # type: ignore[no-untyped-def]
    pass


def scene_register(w) -> None:  # type: ignore[no-untyped-def]
    w.welcome.vote.click()
    w.register_step.ticks[0].click()


def scene_register_identity(w) -> None:  # type: ignore[no-untyped-def]
    w.welcome.vote.click()
    step = w.register_step
    step.fields[0].setText("DURAND")
    step.fields[1].setText("Camille")
    step.fields[2].setFocus()
    step.fields[2].setText("14/07/19")


def scene_choosing(w) -> None:  # type: ignore[no-untyped-def]
    _to_choosing(w)
    for cid in ("p02", "p05", "p08", "p11", "p14", "p17"):
        w.choosing.cards[cid].pick.click()  # the sixth is refused: the message shows
    w.choosing.cards["p05"].more.click()


def scene_ranking(w) -> None:  # type: ignore[no-untyped-def]
    w.welcome.vote.click()
    w.choosing.cards["souvent"].pick.click()
    w.choosing.next_button.click()
    w.choosing.cards["securite"].pick.click()
    w.choosing.next_button.click()
    from kiosk.ui.widgets import Button

    for cid in ("zone30", "pistes"):
        w.ranking.findChild(Button, f"choose_{cid}").click()


def scene_review(w) -> None:  # type: ignore[no-untyped-def]
    _to_choosing(w)
    for cid in ("p01", "p07", "p12"):
        w.choosing.cards[cid].pick.click()
    w.choosing.next_button.click()


def scene_thanks(w) -> None:  # type: ignore[no-untyped-def]
    scene_review(w)
    w.review.submit_button.click()
    w.thanks.timer.stop()


def scene_idle(w) -> None:  # type: ignore[no-untyped-def]
    _to_choosing(w)
    w.go(w.flow.idle_expired())
    w.idle_screen.timer.stop()
    w.idle_screen.left = 23
    w.idle_screen.refresh()


def _unlock(w) -> None:  # type: ignore[no-untyped-def]
    if not w.guard.is_set:
        w.guard.set_pin("318264")
    w.open_staff()


def scene_staff_pin(w) -> None:  # type: ignore[no-untyped-def]
    _unlock(w)
    for d in "135":
        w.pin.press(d)


def scene_staff_menu(w) -> None:  # type: ignore[no-untyped-def]
    _unlock(w)
    for d in "318264":
        w.pin.press(d)


SCENES: dict[str, Callable[..., None]] = {
    "welcome": scene_welcome,
    "register": scene_register,
    "register-identity": scene_register_identity,
    "choosing": scene_choosing,
    "ranking": scene_ranking,
    "review": scene_review,
    "thanks": scene_thanks,
    "idle": scene_idle,
    "staff-pin": scene_staff_pin,
    "staff-menu": scene_staff_menu,
}


if __name__ == "__main__":
    sys.exit(main())
