"""Plain language (FALC / Easy Read): the welcome, help and spoken texts keep the measurable rules,
and the checker really catches each broken rule."""

from __future__ import annotations

import pytest

from ballots import election_file
from ballots.election import RegisterMode
from kiosk.speech import falc, script
from tests.conftest import SAMPLE_BUDGET


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_welcome_and_help_texts_keep_the_rules(lang):
    for text in (falc.welcome(lang), falc.help_text(lang)):
        assert falc.problems(text) == [], text
        assert len(falc.sentences(text)) >= 5


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_what_the_audio_ballot_says_keeps_the_rules(lang):
    e = election_file.load(SAMPLE_BUDGET)
    texts = [
        script.keys_help(lang),
        script.welcome(e, lang, True),
        script.register(RegisterMode.ATTEST, lang),
        script.register(RegisterMode.IDENTITY, lang),
        script.confirmation(lang),
        script.idle(30, lang),
        script.screen_off(lang),
        script.rule(e.questions[0], ("p01",), lang),
        script.question(e, 0, (), lang),
    ]
    for text in texts:
        assert falc.problems(text) == [], text


def test_the_volunteers_read_aloud_script_keeps_the_rules():
    from ballots.report import volunteer

    text = volunteer.read_aloud_text()
    assert len(falc.sentences(text)) >= 10
    assert falc.problems(text) == []


@pytest.mark.parametrize(
    "text, problem",
    [
        ("Vous pouvez voter ici avec votre carte et votre pièce et un stylo bleu ou noir pris sur la table.", "words"),
        ("Vous votez, vous validez, vous partez.", "commas"),
        ("Vous apportez vos papiers, etc.", "abbreviation"),
        ("Vous pouvez écrire à la SNCF.", "capitals"),
        ("Vous pouvez écrire à la CNIL.", "abbreviation"),
        ("Vous avez 50 % du budget.", "symbol"),
        ("Vous avez env. 20 projets.", "abbreviation"),
        ("Vous votez anticonstitutionnellement.", "long word"),
        ("Le vote est ouvert.", "vous"),
        ("Vous lisez la notice (page 2).", "symbol"),
    ],
)
def test_the_checker_catches_each_broken_rule(text, problem):
    found = falc.problems(text)
    assert any(problem in p for p in found), found
