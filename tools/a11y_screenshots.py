"""Screenshots of the accessibility features into docs/ (run by `make screenshots`): the keyboard
focus ring (normal and high contrast) and the audio ballot's screens (welcome with the plain-
language help unfolded, and the blanked screen). Nothing is played: the sound output is a
silent stand-in; the voice is not started."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from ballots import samples as sample_elections

ROOT = Path(__file__).resolve().parents[1]


class Silent:
    """Stands in for the voice and the headphones: screenshots need neither."""

    def speech(self, text: str, lang: str, rate: int):  # type: ignore[no-untyped-def]
        from kiosk.speech.voice import Speech

        return Speech(text=text, frames=b"", sample_rate=22050)

    def play(self, speech: object, volume: float) -> None:
        pass

    def stop(self) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ballots import election_file
    from ballots.store import Polls, Store
    from kiosk.config import Config
    from kiosk.ui.app import build
    from kiosk.ui.keys import Action

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(4):
            app.processEvents()

    def save(w, name: str) -> None:  # type: ignore[no-untyped-def]
        settle()
        w.grab().save(str(out / name))
        print(out / name)

    with tempfile.TemporaryDirectory(prefix="urne-a11y-") as tmp:
        path = sample_elections.path("budget-participatif")
        store = Store(Path(tmp) / "data")
        store.install_election(election_file.load(path))
        store.set_polls(Polls.OPEN, actor="screenshots")
        silent = Silent()
        w = build(Config(data_dir=store.data_dir, election_file=path), store, voice=silent, player=silent)
        w.resize(1280, 800)
        w.show()
        for high, name in ((False, "a11y-focus-ring.png"), (True, "a11y-focus-ring-high-contrast.png")):
            w.go_welcome()
            w.set_high_contrast(high)
            w.start_vote()
            for t in w.register_step.ticks:
                t.click()
            w.register_step.next_button.click()
            w.choosing.cards["p01"].pick.click()
            settle()
            for _ in range(60):
                w.act(Action.DOWN)
                f = w.focusWidget()
                if f is not None and f.objectName() == "choose_p03":
                    break
            save(w, name)
        w.go_welcome()
        w.set_audio(True)
        w.welcome.help.setChecked(True)
        save(w, "a11y-audio-welcome.png")
        w.act(Action.SCREEN)
        save(w, "a11y-audio-blank.png")
        w.quit_kiosk()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
