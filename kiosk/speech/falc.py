"""Plain-language texts ("Facile à lire et à comprendre", FALC; "Easy Read" in English) and a
checker for the measurable FALC rules.

The welcome and help texts below are shown on the welcome screen ("Comment voter ?") and read by
the audio ballot; `problems()` checks them, and the spoken texts, in the test suite. It checks
only what can be measured (the European Easy-to-Read standards, Inclusion Europe 2009):

- one idea per sentence: at most MAX_WORDS words and at most one comma;
- no abbreviations or acronyms (a list, plus any word in capitals or ending in a dot inside
  a sentence), no symbols a reader must decode (% & / ; parentheses, "…");
- short words: none longer than MAX_LETTERS letters;
- the reader is spoken to directly ("vous", "you", or an imperative) somewhere in the text.

What cannot be measured — common words, no metaphors, a picture beside each idea, a review by
people with learning disabilities — stays a human review (README, "Plain language").
"""

from __future__ import annotations

import re

MAX_WORDS = 15
MAX_COMMAS = 1
MAX_LETTERS = 16
ABBREVIATIONS = frozenset(
    {
        "etc",
        "ex",
        "cf",
        "env",
        "max",
        "min",
        "mini",
        "maxi",
        "nb",
        "svp",
        "tél",
        "tel",
        "n°",
        "no",
        "approx",
        "e.g",
        "i.e",
        "vs",
        "info",
        "infos",
        "appli",
        "asap",
        "pv",
        "bp",
        "qr",
        "rgpd",
        "cnil",
        "ttc",
        "ht",
    }
)
SYMBOLS = ("%", "&", "/", ";", "(", ")", "[", "]", "…", "*", "#")
# Words that stay in capitals on purpose: key names and the sentence-initial "À".
KEY_NAMES = frozenset({"F1", "F2", "F3", "OK"})

WELCOME = {
    "fr": (
        "Vous pouvez voter ici.",
        "Vous choisissez des projets pour votre commune.",
        "Pour commencer, touchez le bouton Voter.",
        "Vous pouvez changer vos choix avant de valider.",
        "Votre vote est secret.",
        "Personne ne sait ce que vous avez choisi.",
        "Besoin d'aide ? Demandez à un bénévole.",
    ),
    "en": (
        "You can vote here.",
        "You choose projects for your town.",
        "To start, touch the Vote button.",
        "You can change your choices before you confirm.",
        "Your vote is secret.",
        "Nobody knows what you chose.",
        "Need help? Ask a volunteer.",
    ),
}

HELP = {
    "fr": (
        "Lisez la question.",
        "Touchez Choisir pour prendre un projet.",
        "Touchez encore le projet pour l'enlever.",
        "Le nombre de choix est limité.",
        "La borne vous dit combien de choix il reste.",
        "Quand vous avez fini, touchez Voir mon vote.",
        "Vérifiez vos choix.",
        "Touchez Valider mon vote.",
        "Votre vote est enregistré.",
        "Vous ne pouvez plus le changer.",
        "Vous pouvez aussi voter avec un casque et des touches.",
        "Demandez le casque à un bénévole.",
    ),
    "en": (
        "Read the question.",
        "Touch Choose to take a project.",
        "Touch the project again to remove it.",
        "The number of choices is limited.",
        "The kiosk tells you how many choices are left.",
        "When you are done, touch See my vote.",
        "Check your choices.",
        "Touch Cast my vote.",
        "Your vote is recorded.",
        "You cannot change it any more.",
        "You can also vote with headphones and keys.",
        "Ask a volunteer for the headphones.",
    ),
}


def welcome(lang: str) -> str:
    return " ".join(WELCOME.get(lang, WELCOME["fr"]))


def help_text(lang: str) -> str:
    return " ".join(HELP.get(lang, HELP["fr"]))


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _words(sentence: str) -> list[str]:
    return re.findall(r"[\w°'’-]+", sentence)


def problems(text: str) -> list[str]:
    """The FALC rules `text` breaks, one short line each (empty: none broken)."""
    found: list[str] = []
    for s in sentences(text):
        words = _words(s)
        if len(words) > MAX_WORDS:
            found.append(f"{len(words)} words (max {MAX_WORDS}): {s}")
        if s.count(",") > MAX_COMMAS:
            found.append(f"more than one idea ({s.count(',')} commas): {s}")
        for symbol in SYMBOLS:
            if symbol in s:
                found.append(f"symbol {symbol!r}: {s}")
        for w in words:
            bare = w.strip("'’-").lower()
            if bare in ABBREVIATIONS or bare.replace("'", "") in ABBREVIATIONS:
                found.append(f"abbreviation {w!r}: {s}")
            elif len(w) >= 2 and w.isupper() and w not in KEY_NAMES:
                found.append(f"capitals {w!r}: {s}")
            if len(w.replace("'", "").replace("-", "")) > MAX_LETTERS:
                found.append(f"long word {w!r}: {s}")
        if re.search(r"\b\w{1,4}\.\s+[a-zà-ÿ]", s):  # "env. 20", "ex. le" : a dot inside a sentence
            found.append(f"abbreviation with a dot: {s}")
    spoken_to = re.search(r"\b(vous|votre|vos|you|your)\b", text, re.IGNORECASE) or re.search(
        r"\b\w+ez\b|(^|[.!?]\s+)(press|choose|touch|type|read|ask|check|go)\b", text, re.IGNORECASE
    )  # "Choisissez…", "Press…": an imperative speaks to the reader too
    if not spoken_to:
        found.append("does not speak to the reader (vous / you)")
    return found
