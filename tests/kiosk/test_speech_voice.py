"""The real speech engine (pyttsx3 over espeak-ng, installed by `make`) renders what the screens
say to WAV files; the files must be speech: long enough for their text, and not silence."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from ballots import election_file
from kiosk.speech import script
from kiosk.speech.voice import Voice
from tests.conftest import SAMPLE_BUDGET


@pytest.fixture(scope="module")
def voice():
    return Voice()


def wav_facts(path):
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        frames = w.readframes(w.getnframes())
        duration = w.getnframes() / w.getframerate()  # from the header's frame count and rate
    samples = np.frombuffer(frames, dtype=np.int16).astype(np.float64) / 32768
    return duration, float(np.sqrt(np.mean(samples**2)))


def test_screens_render_to_wav_files_of_plausible_speech(voice, tmp_path):
    e = election_file.load(SAMPLE_BUDGET)
    q = e.questions[0]
    texts = {
        "rule_fr": ("fr", script.rule(q, ("p01", "p02"), "fr")),
        "choice_fr": ("fr", script.choice(q, q.choices[0], (), "fr")),
        "confirm_en": ("en", script.confirmation("en")),
        "question_en": ("en", script.question(e, 0, (), "en")),
    }
    per_char = {}
    for name, (lang, text) in texts.items():
        path = voice.render(text, lang, 150, tmp_path / f"{name}.wav")
        assert path.stat().st_size > 44  # more than a WAV header
        duration, rms = wav_facts(path)
        assert rms > 0.01, name  # silence is ~0; espeak-ng speech is ~0.05-0.2
        per_char[name] = duration / len(text)
    # about 150 words a minute: roughly 0.04-0.1 s per written character, whatever the text
    for name, s in per_char.items():
        assert 0.03 < s < 0.15, (name, s)
    # the longest text is the longest sound: duration follows text length
    longest = max(texts, key=lambda n: len(texts[n][1]))
    shortest = min(texts, key=lambda n: len(texts[n][1]))
    d_long = wav_facts(tmp_path / f"{longest}.wav")[0]
    d_short = wav_facts(tmp_path / f"{shortest}.wav")[0]
    assert d_long > d_short * 2


def test_rate_changes_the_duration_and_speech_leaves_no_file(voice, tmp_path, monkeypatch):
    text = script.keys_help("fr")
    slow = voice.speech(text, "fr", 100)
    fast = voice.speech(text, "fr", 250)
    assert slow.duration > fast.duration * 1.8
    assert fast.duration > 3
    # `speech` renders in a private temporary folder that is gone once the samples are read
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    voice.speech("Bonjour", "fr")
    assert list(tmp_path.iterdir()) == []


def test_french_and_english_voices_differ(voice):
    fr = voice.speech("Projet", "fr")
    en = voice.speech("Projet", "en")
    assert fr.frames != en.frames
