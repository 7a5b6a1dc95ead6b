"""The kiosk's voice: text to speech offline, then played to the headphones.

On Linux the voice is espeak-ng (Debian's `espeak-ng`, installed by `make`): one
`espeak-ng -v fr -s 150 -w out.wav` per utterance, the text on stdin (never on the command line,
never printed). On Windows and macOS it is the system's own voice (SAPI 5, NSSpeechSynthesizer)
through pyttsx3. pyttsx3's *espeak* driver is not used on Linux: measured with 2.99, it applies a
voice or rate change one utterance late and now and then writes an empty file (it cancels the
new utterance while the previous one is still draining); the `espeakng` package prints every
phrase it speaks to stdout, which would put a voter's choices in a log. See the README table.

Samples are played with sounddevice (PortAudio), which starts at once and stops the moment
the voter presses a key (pyttsx3 and espeak-ng only play through programs that cannot be
interrupted). The WAV is written in a private temporary folder and deleted as soon as it is
read: nothing a voter heard is left on disk or in a cache for the next voter.

Call one `Voice` from ONE thread (the kiosk uses a single-thread executor): pyttsx3 keeps one
native engine per process.
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import subprocess
import sys
import tempfile
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MIN_RATE, DEFAULT_RATE, MAX_RATE = 90, 150, 300  # words per minute (espeak-ng's own default is 175)
RATE_STEP = 20
DEFAULT_VOLUME, VOLUME_STEP = 0.8, 0.1


class SpeechUnavailable(Exception):
    """No speech engine or no sound output; `reason` says which, for the volunteer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Speech:
    """Mono 16-bit PCM samples of one utterance."""

    text: str
    frames: bytes
    sample_rate: int
    channels: int = 1
    sample_width: int = 2

    @property
    def duration(self) -> float:
        return len(self.frames) / (self.sample_rate * self.channels * self.sample_width)


def clamp_rate(rate: int) -> int:
    return max(MIN_RATE, min(MAX_RATE, rate))


def clamp_volume(volume: float) -> float:
    return round(max(0.1, min(1.0, volume)), 2)


def _voice_for(engine: Any, driver: str, lang: str) -> str | None:
    """The installed SAPI 5 / NSSpeech voice for `lang`: the first whose language or name matches."""
    names = {"fr": ("fr", "french", "français"), "en": ("en", "english")}.get(lang, (lang,))
    for v in engine.getProperty("voices"):
        tags = [str(x).lower().replace("_", "-") for x in (getattr(v, "languages", None) or [])]
        tags += [str(v.name).lower(), str(v.id).lower()]
        if any(t == n or t.startswith(n + "-") or n in t.split() for t in tags for n in names):
            return str(v.id)
    return None


class Voice:
    """Renders text to `Speech` (or to a WAV file) in French or English at a given rate."""

    def __init__(self, driver: str | None = None) -> None:
        self.driver = driver or (
            "sapi5" if sys.platform == "win32" else "nsss" if sys.platform == "darwin" else "espeak-ng"
        )
        self._lock = threading.Lock()
        self._voices: dict[str, str | None] = {}
        self.engine: Any = None
        if self.driver == "espeak-ng":
            program = shutil.which("espeak-ng")
            if program is None:
                raise SpeechUnavailable("espeak-ng is not installed (apt-get install espeak-ng)")
            self.program = program
            return
        try:
            import pyttsx3

            self.engine = pyttsx3.init(self.driver)
        except Exception as exc:  # ImportError, or the driver's RuntimeError/OSError
            raise SpeechUnavailable(f"{self.driver}: {exc}") from exc

    def render(self, text: str, lang: str, rate: int, path: Path) -> Path:
        """Write `text` spoken in `lang` at `rate` words per minute to the WAV file `path`."""
        rate = clamp_rate(rate)
        with self._lock:
            if self.engine is None:
                voice = {"fr": "fr", "en": "en"}.get(lang, lang)
                done = subprocess.run(
                    [self.program, "-v", voice, "-s", str(rate), "-b", "1", "-w", str(path)],
                    input=text.encode("utf-8"),
                    capture_output=True,
                    timeout=60,
                    check=False,
                )
                if done.returncode != 0:
                    raise SpeechUnavailable(f"espeak-ng: {done.stderr.decode(errors='replace').strip()}")
            else:
                if lang not in self._voices:
                    self._voices[lang] = _voice_for(self.engine, self.driver, lang)
                if self._voices[lang] is not None:
                    self.engine.setProperty("voice", self._voices[lang])
                self.engine.setProperty("rate", rate)
                with contextlib.redirect_stdout(io.StringIO()):
                    self.engine.save_to_file(text, str(path))
                    self.engine.runAndWait()
        if not path.exists() or path.stat().st_size <= 44:
            raise SpeechUnavailable(f"{self.driver}: no audio written")
        return path

    def speech(self, text: str, lang: str, rate: int = DEFAULT_RATE) -> Speech:
        """The samples of `text`; the WAV file used on the way is deleted before returning."""
        with tempfile.TemporaryDirectory(prefix="urne-voice-") as tmp:
            path = self.render(text, lang, rate, Path(tmp) / "speech.wav")
            with wave.open(str(path), "rb") as w:
                return Speech(
                    text=text,
                    frames=w.readframes(w.getnframes()),
                    sample_rate=w.getframerate(),
                    channels=w.getnchannels(),
                    sample_width=w.getsampwidth(),
                )


class Player:
    """Plays `Speech` on the default sound output (the headphones); `stop()` cuts it at once."""

    def __init__(self) -> None:
        try:
            import sounddevice
        except (ImportError, OSError) as exc:  # OSError: PortAudio (libportaudio2) missing
            raise SpeechUnavailable(f"sounddevice: {exc}") from exc
        self._sd = sounddevice

    def available(self) -> bool:
        try:
            self._sd.query_devices(kind="output")
        except Exception:  # PortAudioError / ValueError when there is no output device
            return False
        return True

    def play(self, speech: Speech, volume: float) -> None:
        import numpy as np

        samples = np.frombuffer(speech.frames, dtype=np.int16).astype(np.float32) / 32768.0
        if speech.channels > 1:
            samples = samples.reshape(-1, speech.channels)
        try:
            self._sd.play(samples * clamp_volume(volume), speech.sample_rate)
        except Exception as exc:  # no device, device unplugged
            log.warning("speech not played: %s", exc)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._sd.stop()
