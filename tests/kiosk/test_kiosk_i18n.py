"""Every French source text of the kiosk has an English translation, and switching works."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kiosk.ui.i18n import TRANSLATIONS
from tests.conftest import ROOT
from tests.kiosk.kiosk_support import clock_fixture, kiosk_fixture, tap  # noqa: F401 (fixtures)


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {
        (ctx.findtext("name"), m.findtext("source")): m.find("translation")
        for ctx in root.iter("context")
        for m in ctx.iter("message")
    }


def lupdate() -> str:
    exe = Path(sys.executable).with_name("pyside6-lupdate")
    if exe.exists():
        return str(exe)
    found = shutil.which("pyside6-lupdate")
    if not found:
        pytest.skip("pyside6-lupdate not available")
    return found


def test_every_source_string_has_an_english_translation(tmp_path):
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "kiosk" / "ui").glob("*.py"))
    subprocess.run(
        [lupdate(), *sources, "-source-language", "fr", "-target-language", "en", "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    in_code = messages(fresh)
    assert len(in_code) > 80
    english = messages(TRANSLATIONS / "urne_en.ts")
    missing = [key for key in in_code if key not in english]
    assert not missing, f"run pyside6-lupdate and translate: {missing}"
    for key, tr in english.items():
        if key not in in_code:
            continue
        assert tr.get("type") != "unfinished", key
        forms = [f.text for f in tr.findall("numerusform")] or [tr.text]
        assert all(f and f.strip() for f in forms), key
        if "{" in key[1]:  # placeholders survive translation
            import re

            assert set(re.findall(r"{\w+}", key[1])) == set(re.findall(r"{\w+}", forms[0])), key


def test_compiled_qm_matches_the_ts_file(qapp):
    """The .qm the kiosk loads was compiled from the current .ts (run pyside6-lrelease otherwise)."""
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / "urne_en.qm"))
    for (context, source), tr in messages(TRANSLATIONS / "urne_en.ts").items():
        if tr.findall("numerusform"):
            assert translator.translate(context, source, None, 2) == tr.findall("numerusform")[1].text
        else:
            assert translator.translate(context, source) == tr.text, (context, source)


def test_english_everywhere_and_plurals(qtbot, kiosk):
    w, _ = kiosk()
    tap(qtbot, w.welcome.language_buttons["en"])
    assert w.welcome.size_label.text() == "Text size"
    tap(qtbot, w.welcome.vote)
    assert w.register_step.heading.text() == "Before voting"
    for t in w.register_step.ticks:
        tap(qtbot, t)
    tap(qtbot, w.register_step.next_button)
    assert w.choosing.heading.text() == "Which projects do you want for the town?"
    assert w.choosing.hint.text() == "Choose up to 5 answers."
    assert w.choosing.budget_label.text() == "€0 / €300,000"
    tap(qtbot, w.choosing.cards["p01"].pick)
    assert w.choosing.feedback.text() == "1 / 5 chosen"
    tap(qtbot, w.choosing.next_button)
    assert w.review.hints["projets"].text() == "You can still choose 4 more answers."
    tap(qtbot, w.review.findChild(type(w.review.submit_button), "edit_projets"))
    for cid in ("p02", "p03", "p04"):
        tap(qtbot, w.choosing.cards[cid].pick)
    tap(qtbot, w.choosing.next_button)
    assert w.review.hints["projets"].text() == "You can still choose 1 more answer."


def test_french_plural_forms(qtbot, kiosk):
    w, _ = kiosk()
    tap(qtbot, w.welcome.vote)
    for t in w.register_step.ticks:
        tap(qtbot, t)
    tap(qtbot, w.register_step.next_button)
    for cid in ("p01", "p02", "p03", "p04"):
        tap(qtbot, w.choosing.cards[cid].pick)
    tap(qtbot, w.choosing.next_button)
    assert w.review.hints["projets"].text() == "Vous pouvez encore choisir 1 réponse."
