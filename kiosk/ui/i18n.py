"""Interface languages: Qt Linguist files in kiosk/ui/translations (French is the source language).

`urne_fr.qm` only carries French plural forms; `urne_en.qm` carries the English text. The voter's
choice of language is switched per visit by swapping the installed translator; screens then
re-read their texts (`refresh()`).

After changing a text in kiosk/ui, refresh the catalogues, translate, compile:
    .venv/bin/pyside6-lupdate kiosk/ui/*.py -source-language fr -target-language en -no-obsolete \
        -locations none -ts kiosk/ui/translations/urne_en.ts   (same with `fr` for urne_fr.ts)
    .venv/bin/pyside6-linguist kiosk/ui/translations/urne_en.ts
    .venv/bin/pyside6-lrelease kiosk/ui/translations/urne_en.ts kiosk/ui/translations/urne_fr.ts
tests/kiosk/test_kiosk_i18n.py fails while a source text has no English translation. A town may
reword the French in urne_fr.ts without touching the code.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

# Package data: found next to this module in a checkout and in an installed wheel alike.
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("fr", "en")
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}  # each in its own language: never translated


_translators: dict[str, QTranslator] = {}
_installed: list[str] = []  # translators live on the application: one language at a time for all windows


class Translations:
    def __init__(self, directory: Path = TRANSLATIONS) -> None:
        self.directory = directory
        for lang in LANGUAGES:
            if lang not in _translators:
                tr = QTranslator()
                if tr.load(str(directory / f"urne_{lang}.qm")):
                    _translators[lang] = tr

    @property
    def current(self) -> str | None:
        return _installed[0] if _installed else None

    def available(self, lang: str) -> bool:
        return lang == "fr" or lang in _translators

    def use(self, lang: str) -> None:
        app = QCoreApplication.instance()
        if app is None or self.current == lang:
            return
        for old in _installed:
            app.removeTranslator(_translators[old])
        _installed.clear()
        if lang in _translators:
            app.installTranslator(_translators[lang])
            _installed.append(lang)
