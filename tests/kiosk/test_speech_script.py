"""What each screen says aloud, as text, in both languages (no Qt, no sound)."""

from __future__ import annotations

import re

import pytest

from ballots import election_file, rules
from ballots.election import RegisterMode
from kiosk.speech import script
from tests.conftest import SAMPLE_BUDGET, SAMPLE_SURVEY
from tests.kiosk.kiosk_support import BUDGET_ELECTION


@pytest.fixture(scope="module")
def budget():
    return election_file.load(SAMPLE_BUDGET)


@pytest.fixture(scope="module")
def survey():
    return election_file.load(SAMPLE_SURVEY)


@pytest.fixture(scope="module")
def small():
    return election_file.parse(BUDGET_ELECTION)


def test_rule_says_the_limit_then_what_is_already_chosen(budget):
    q = budget.questions[0]
    assert script.rule(q, ("p01", "p02"), "fr") == "Choisissez jusqu'à 5 projets. 2 déjà choisis."
    assert script.rule(q, ("p01", "p02"), "en") == "Choose up to 5 projects. 2 already chosen."
    assert script.rule(q, (), "fr") == "Choisissez jusqu'à 5 projets. 0 déjà choisi."
    assert script.rule(q, ("p01",), "en") == "Choose up to 5 projects. 1 already chosen."


def test_budget_rule_says_what_is_left(small):
    q = small.questions[0]
    assert script.rule(q, ("d",), "fr") == (
        "Choisissez des projets sans dépasser 100 euros. 1 déjà choisi. Il reste 90 euros sur 100 euros."
    )
    assert script.rule(q, ("a", "c"), "en") == (
        "Choose projects up to 100 euros. 2 already chosen. 10 euros left out of 100 euros."
    )


def test_single_and_ranked_rules(survey):
    single, approval, ranked = survey.questions
    assert script.rule(single, (), "fr") == "Choisissez une seule réponse. Pas encore de réponse."
    assert script.rule(single, ("jamais",), "en") == "Choose one answer only. Answer chosen."
    assert script.rule(approval, ("meteo",), "fr") == "Choisissez jusqu'à 2 réponses. 1 déjà choisi."
    assert script.rule(ranked, ("zone30", "pistes"), "fr") == (
        "Classez jusqu'à 3 choix, par ordre de préférence. Le premier compte le plus. 2 déjà classés."
    )


def test_choice_says_title_cost_category_and_state(budget, survey):
    q = budget.questions[0]
    p01 = q.choice("p01")
    assert script.choice(q, p01, (), "fr") == (
        "Choix 1 sur 20 : Abris à vélos sécurisés à la gare. En bref : Garer son vélo à la gare sans risque de vol. "
        "28000 euros. Catégorie : Mobilité. "
        "Pas choisi. Entrée pour le choisir."
    )
    assert script.choice(q, p01, ("p01",), "en").endswith(
        "28000 euros. Category: Mobilité. Chosen. Enter to remove it."
    )
    ranked = survey.questions[2]
    second = ranked.choices[1]
    assert "Classé en position 2." in script.choice(ranked, second, (ranked.choices[0].id, second.id), "fr")
    assert "Not ranked." in script.choice(ranked, second, (), "en")


def test_question_screen_says_position_title_rule_and_count(budget):
    text = script.question(budget, 0, ("p03",), "fr")
    assert text.startswith("Quels projets voulez-vous pour la commune ? Choisissez jusqu'à 5 projets. 1 déjà choisi.")
    assert "Il y a 20 choix." in text
    assert "Question 1 sur" not in text  # one question only: no position


def test_review_reads_every_answer_and_blank_and_how_to_validate(survey):
    selection = {"frequence": ("souvent",), "freins": (), "priorites": ("zone30", "pistes")}
    text = script.review(survey, selection, "fr", can_submit=True)
    assert "Question 1 :" in text and "Vous avez choisi : " in text
    assert "Rien de choisi : ce sera un vote blanc." in text
    z, p = (survey.questions[2].choice(c).title.get("fr") for c in ("zone30", "pistes"))
    assert f"En 1 : {z}. En 2 : {p}." in text
    assert text.endswith("Pour valider votre vote, allez sur Valider mon vote, puis appuyez sur Entrée.")
    assert "Something is missing" in script.review(survey, selection, "en", can_submit=False)


def test_review_says_totals_and_missing_minimum(small):
    text = script.review(small, {"budget": ("d",)}, "fr", can_submit=False)
    assert "Total : 10 euros sur 100 euros." in text
    assert "Il faut utiliser au moins 50 euros." in text


def test_refusals_and_toggles(small, budget):
    q = small.questions[0]
    over = script.refusal(rules.REFUSAL_OVER_BUDGET, q, ("a", "c"), "fr")
    assert (
        over
        == "Impossible : ce projet coûte trop cher. Il reste 10 euros sur 100 euros. Enlevez un projet pour faire de la place."
    )
    full = script.refusal(rules.REFUSAL_FULL, budget.questions[0], ("p01",) * 5, "en")
    assert full.startswith("Not possible: that is the maximum.")
    said = script.toggled(q, q.choice("c"), ("c",), "fr")
    assert said.startswith("Projet C : choisi. Choisissez des projets")
    assert script.toggled(q, q.choice("c"), (), "en").startswith("Projet C: removed.")


ALL_TEXTS = [
    lambda e, lang: script.keys_help(lang),
    lambda e, lang: script.welcome(e, lang, True),
    lambda e, lang: script.welcome(e, lang, False),
    lambda e, lang: script.register(RegisterMode.ATTEST, lang),
    lambda e, lang: script.register(RegisterMode.IDENTITY, lang),
    lambda e, lang: script.question(e, 0, (), lang, from_review=True),
    lambda e, lang: script.review(e, {}, lang, True),
    lambda e, lang: script.confirmation(lang),
    lambda e, lang: script.not_recorded(lang),
    lambda e, lang: script.idle(30, lang),
    lambda e, lang: script.screen_off(lang),
    lambda e, lang: script.rate(lang, 150),
    lambda e, lang: script.volume(lang, 80),
    lambda e, lang: script.button("Voter", "", lang, enabled=False),
]


@pytest.mark.parametrize("say", ALL_TEXTS)
def test_every_text_exists_in_both_languages_and_is_written_for_the_ear(say, budget):
    fr, en = say(budget, "fr"), say(budget, "en")
    assert fr and en and fr != en
    for text in (fr, en):
        assert not re.search(r"[{}€]|\u202f|\u00a0", text), text  # no placeholder left, no symbol to mispronounce
        assert text.rstrip()[-1] in ".?!:", text


def test_money_is_digits_and_a_word():
    assert script.money(300000, "fr") == "300000 euros"
    assert script.money(1, "fr") == "1 euro"
    assert script.money(0, "fr") == "0 euro"
    assert script.money(0, "en") == "0 euros"
    assert script.money(5, "en", "GBP") == "5 pounds"
