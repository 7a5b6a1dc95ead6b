"""The volunteer's script for a voter who cannot see the screen: printed in the procès-verbal's
annex so that every polling place has it on paper, beside the kiosk.

Plain data (no reportlab here): `sections(results)` gives the headings, the volunteer's steps
and the sentences to READ ALOUD to the voter (those follow the FALC rules checked in
tests/kiosk/test_falc.py). The keys are those of kiosk/ui/keys.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from ballots.results import Results

KIND_WORDS = {
    "approval": "plusieurs réponses possibles",
    "budget": "des projets à choisir dans un budget",
    "ranked": "un classement par ordre de préférence",
    "single": "une seule réponse",
}

# (what the voter wants, keyboard key, USB numeric keypad key)
KEYS: tuple[tuple[str, str, str], ...] = (
    ("Aller au choix suivant", "Flèche bas (ou Tab)", "2"),
    ("Revenir au choix précédent", "Flèche haut", "8"),
    ("Choisir, ou enlever un choix", "Entrée (ou Espace)", "5"),
    ("Revenir à l'écran précédent", "Échap", "0"),
    ("Tout réentendre (répéter)", "F1", "/"),
    ("Vote audio : marche / arrêt", "F2", "*"),
    ("Éteindre ou rallumer l'écran", "F3", ". (ou ,)"),
    ("Plus fort / moins fort", "F8 / F7", "+ / -"),
    ("Plus vite / moins vite", "F5 / F4", "9 / 7"),
)


@dataclass(frozen=True)
class Section:
    heading: str
    steps: tuple[str, ...] = ()  # what the volunteer does
    read_aloud: tuple[str, ...] = ()  # what the volunteer says to the voter, word for word


def read_aloud_text() -> str:
    """Every sentence the volunteer reads to the voter, as one text (the FALC test checks it)."""
    return " ".join(s for sec in sections(None) for s in sec.read_aloud)


def sections(r: Results | None) -> tuple[Section, ...]:
    questions: tuple[str, ...] = ()
    if r is not None:
        questions = tuple(
            f"Question {i + 1} : {q.title} ({KIND_WORDS.get(q.kind, q.kind)})." for i, q in enumerate(r.questions)
        )
    return (
        Section(
            "Avant de commencer",
            steps=(
                "Proposez le casque et le clavier numérique. Branchez le casque sur la prise casque de la "
                "borne (ou sa prise USB) et le clavier sur un port USB.",
                "Sur l'écran d'accueil, touchez le bouton « Vote audio (casque) », ou appuyez sur F2 ou sur la "
                "touche * du clavier numérique. La borne se met à parler.",
                "Pour une personne qui vote avec un ou deux contacteurs : branchez-les (ils envoient Tab et "
                "Entrée). Avec un seul contacteur, touchez « Défilement automatique ».",
                "Réglez le volume avec la personne (touches + et -), puis éloignez-vous : le vote est secret. "
                "Ne regardez pas l'écran. La personne peut éteindre l'écran (touche .).",
            ),
            read_aloud=(
                "Vous allez voter seul, avec le casque.",
                "La borne lit chaque écran à voix haute.",
                "Vous utilisez le petit clavier avec des touches.",
                "La touche 2 va au choix suivant.",
                "La touche 8 revient au choix précédent.",
                "La touche 5 choisit.",
                "La touche 0 revient en arrière.",
                "La touche barre oblique répète tout.",
                "Les touches plus et moins changent le volume.",
                "À la fin, la borne lit votre vote.",
                "Ensuite, vous validez avec la touche 5.",
                "Personne ne voit votre vote.",
                "Vous pouvez éteindre l'écran avec la touche point.",
                "Je reste à côté si vous avez besoin de moi.",
            ),
        ),
        Section("Les touches", steps=tuple(f"{what} : {key} — pavé numérique : {pad}" for what, key, pad in KEYS)),
        Section(
            "Les questions de ce vote",
            steps=questions or ("La borne lit chaque question et sa règle.",),
        ),
        Section(
            "Si quelque chose ne va pas",
            steps=(
                "La borne ne parle pas : vérifiez le casque et le volume, puis appuyez sur F1 (répéter). "
                "Rien n'est enregistré tant que la personne n'a pas validé.",
                "La personne s'en va sans valider : après le temps d'inactivité, la borne efface le vote "
                "commencé, se tait et revient à l'accueil. Rien de ce qui a été dit n'est gardé.",
                "La personne préfère le papier : donnez le bulletin en grands caractères. Elle peut se faire "
                "aider par une personne de son choix.",
            ),
        ),
    )
