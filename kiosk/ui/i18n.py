"""Interface languages: Qt Linguist files in assets/translations (French is the source language).

`urne_fr.qm` only carries French plural forms; `urne_en.qm` carries the English text. The voter's
choice of language is switched per visit by swapping the installed translator; screens then
re-read their texts (`refresh()`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

TRANSLATIONS = Path(__file__).resolve().parents[2] / "assets" / "translations"
LANGUAGES = ("fr", "en")
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}  # each in its own language: never translated


class Translations:
    def __init__(self, directory: Path = TRANSLATIONS) -> None:
        self.directory = directory
        self._translators: dict[str, QTranslator] = {}
        self.current: str | None = None
        for lang in LANGUAGES:
            tr = QTranslator()
            if tr.load(str(directory / f"urne_{lang}.qm")):
                self._translators[lang] = tr

    def available(self, lang: str) -> bool:
        return lang == "fr" or lang in self._translators

    def use(self, lang: str) -> None:
        if lang == self.current:
            return
        app = QCoreApplication.instance()
        if app is None:
            return
        if self.current in self._translators:
            app.removeTranslator(self._translators[self.current])  # type: ignore[index]
        if lang in self._translators:
            app.installTranslator(self._translators[lang])
        self.current = lang
