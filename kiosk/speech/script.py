"""What the kiosk says aloud on each screen, in French and English, as plain functions of the
election and the voter's choices (no Qt: unit-tested as text, spoken by `kiosk.speech.voice`).

Written for the ear: whole sentences, amounts as digits followed by the currency's word
("28000 euros": espeak-ng reads the number, a "€" or a thin space would be read oddly),
the rule first and what is already chosen right after it, one idea per sentence. Each pair
is written side by side (French, English) so a reviewer sees both at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ballots import rules
from ballots.election import Choice, Election, Money, Question, RegisterMode, RuleKind

CURRENCY_WORDS = {
    "EUR": ("euro", "euros"),
    "CHF": ("franc suisse", "francs suisses"),
    "USD": ("dollar", "dollars"),
    "GBP": ("livre", "livres"),
}


def _t(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


def _plural(lang: str, n: Money) -> bool:
    """French uses the singular for 0 and 1, English only for 1."""
    return n > 1 if lang == "fr" else n != 1


def _n(lang: str, n: int, fr_one: str, fr_many: str, en_one: str, en_many: str) -> str:
    many = _plural(lang, n)
    text = _t(lang, fr_many if many else fr_one, en_many if many else en_one)
    return text.format(n=n)


def money(amount: Money, lang: str, currency: str = "EUR") -> str:
    """'28000 euros': digits without separators, which espeak-ng reads as one number."""
    one, many = CURRENCY_WORDS.get(currency, (currency, currency))
    if lang == "en" and currency == "GBP":
        one, many = "pound", "pounds"
    return f"{amount} {many if _plural(lang, amount) else one}"


def _sentences(*parts: str) -> str:
    """Join sentences; a title or description without a full stop gets one (a pause when read)."""
    return " ".join(p if p.rstrip()[-1] in ".?!:;…" else p.rstrip() + "." for p in parts if p.strip())


def _costly(question: Question) -> bool:
    return question.rule.kind is RuleKind.BUDGET or any(c.cost for c in question.choices)


def _items(question: Question, lang: str, n: int) -> str:
    """'5 projets' when choices have costs (participatory budgets), '5 réponses' otherwise."""
    if _costly(question):
        return _n(lang, n, "{n} projet", "{n} projets", "{n} project", "{n} projects")
    return _n(lang, n, "{n} réponse", "{n} réponses", "{n} answer", "{n} answers")


# -- keys and help ----------------------------------------------------------------------------


def keys_help(lang: str) -> str:
    return _t(
        lang,
        "Voici les touches que vous pouvez utiliser. "
        "Pour aller au choix suivant, appuyez sur la flèche vers le bas. "
        "Pour revenir au choix précédent, appuyez sur la flèche vers le haut. "
        "Pour choisir, appuyez sur Entrée. "
        "Pour revenir à l'écran précédent, appuyez sur Échap. "
        "Pour tout réentendre, appuyez sur la touche Aide.",
        "Here are the keys you can use. "
        "To go to the next item, press the down arrow. "
        "To go back to the previous item, press the up arrow. "
        "To choose, press Enter. "
        "To go back to the previous screen, press Escape. "
        "To hear everything again, press the Help key.",
    )


def audio_on(lang: str) -> str:
    return _t(lang, "Le vote audio est activé.", "Audio voting is on.")


def audio_off(lang: str) -> str:
    return _t(lang, "Le vote audio est arrêté.", "Audio voting is off.")


def screen_off(lang: str) -> str:
    return _t(
        lang,
        "L'écran est éteint. Personne ne voit votre vote. Appuyez sur la touche Écran pour le rallumer.",
        "The screen is off. Nobody can see your vote. Press the Screen key to turn it back on.",
    )


def screen_on(lang: str) -> str:
    return _t(lang, "L'écran est allumé.", "The screen is on.")


def rate(lang: str, words_per_minute: int) -> str:
    return _t(lang, "Vitesse : {n} mots par minute.", "Speed: {n} words a minute.").format(n=words_per_minute)


def volume(lang: str, percent: int) -> str:
    return _t(lang, "Volume : {n} pour cent.", "Volume: {n} percent.").format(n=percent)


# -- screens ----------------------------------------------------------------------------------


def welcome(election: Election, lang: str, polls_open: bool) -> str:
    title = election.title.get(lang)
    if not polls_open:
        return _sentences(title + ".", _t(lang, "Le vote n'est pas ouvert.", "Voting is not open."))
    return _sentences(
        _t(lang, "Bienvenue.", "Welcome."),
        title + ".",
        audio_on(lang),
        _t(lang, "Vous entendez chaque écran dans le casque.", "You hear each screen in the headphones."),
        _t(
            lang,
            "Pour commencer à voter, appuyez sur Entrée.",
            "To start voting, press Enter.",
        ),
        _t(
            lang,
            "Pour connaître les touches, appuyez sur la touche Aide.",
            "To learn the keys, press the Help key.",
        ),
    )


def register(mode: RegisterMode, lang: str) -> str:
    if mode is RegisterMode.ATTEST:
        return _t(
            lang,
            "Avant de voter, le bénévole vérifie que vous pouvez voter. Il coche trois cases. "
            "Ensuite, il appuie sur Continuer.",
            "Before you vote, the volunteer checks that you may vote. They tick three boxes. Then they press Continue.",
        )
    return _t(
        lang,
        "Avant de voter, écrivez qui vous êtes. "
        "Écrivez votre nom et votre prénom. "
        "Écrivez votre date de naissance. "
        "Écrivez votre code postal. "
        "Ces informations servent seulement à éviter de voter deux fois. "
        "Un bénévole peut vous aider.",
        "Before you vote, type who you are. "
        "Type your last name and first name. "
        "Type your date of birth. "
        "Type your postcode. "
        "This is only used to stop anyone voting twice. "
        "A volunteer can help you.",
    )


def rule(question: Question, chosen: Sequence[str], lang: str, currency: str = "EUR") -> str:
    """'Choisissez jusqu'à 5 projets. 2 déjà choisis.' — the rule, then where the voter is."""
    r = question.rule
    n = len(chosen)
    if r.kind is RuleKind.SINGLE:
        return _sentences(
            _t(lang, "Choisissez une seule réponse.", "Choose one answer only."),
            _t(lang, "Réponse choisie.", "Answer chosen.")
            if n
            else _t(lang, "Pas encore de réponse.", "No answer yet."),
        )
    if r.kind is RuleKind.RANKED:
        return _sentences(
            _t(
                lang, "Classez jusqu'à {n} choix, par ordre de préférence.", "Rank up to {n}, in order of preference."
            ).format(n=r.max),
            _t(lang, "Le premier compte le plus.", "The first counts most."),
            _n(lang, n, "{n} déjà classé.", "{n} déjà classés.", "{n} already ranked.", "{n} already ranked."),
        )
    if r.kind is RuleKind.BUDGET:
        p = rules.progress(question, tuple(chosen))
        return _sentences(
            _t(lang, "Choisissez des projets sans dépasser {budget}.", "Choose projects up to {budget}.").format(
                budget=money(r.budget, lang, currency)
            ),
            _n(lang, n, "{n} déjà choisi.", "{n} déjà choisis.", "{n} already chosen.", "{n} already chosen."),
            budget_left(p.budget, p.spent, lang, currency),
        )
    if r.min > 0 and r.min == r.max:
        head = _t(lang, "Choisissez {items}.", "Choose {items}.").format(items=_items(question, lang, r.max))
    else:
        head = _t(lang, "Choisissez jusqu'à {items}.", "Choose up to {items}.").format(
            items=_items(question, lang, r.max)
        )
    return _sentences(
        head, _n(lang, n, "{n} déjà choisi.", "{n} déjà choisis.", "{n} already chosen.", "{n} already chosen.")
    )


def budget_left(budget: Money, spent: Money, lang: str, currency: str = "EUR") -> str:
    return _t(lang, "Il reste {left} sur {budget}.", "{left} left out of {budget}.").format(
        left=money(max(budget - spent, 0), lang, currency), budget=money(budget, lang, currency)
    )


def question(election: Election, index: int, chosen: Sequence[str], lang: str, *, from_review: bool = False) -> str:
    """Said when a question's screen opens: where, what, the rule, how to go on."""
    q = election.questions[index]
    total = len(election.questions)
    return _sentences(
        _t(lang, "Question {n} sur {total}.", "Question {n} of {total}.").format(n=index + 1, total=total)
        if total > 1
        else "",
        q.title.get(lang),
        q.description.get(lang),
        rule(q, chosen, lang, election.currency),
        _n(
            lang,
            len(q.choices),
            "Il y a {n} choix. Appuyez sur la flèche vers le bas pour l'écouter.",
            "Il y a {n} choix. Appuyez sur la flèche vers le bas pour les écouter un par un.",
            "There is {n} choice. Press the down arrow to hear it.",
            "There are {n} choices. Press the down arrow to hear them one by one.",
        ),
        _t(
            lang,
            "À la fin de la liste, le bouton Revenir au récapitulatif.",
            "At the end of the list, the button Back to the summary.",
        )
        if from_review
        else "",
    )


def choice(
    question: Question,
    choice_: Choice,
    chosen: Sequence[str],
    lang: str,
    currency: str = "EUR",
) -> str:
    """One choice as heard when it gets the focus: number, title, cost, category, state."""
    position = question.choices.index(choice_) + 1
    state: str
    if question.rule.kind is RuleKind.RANKED:
        if choice_.id in chosen:
            state = _t(lang, "Classé en position {n}.", "Ranked in place {n}.").format(n=chosen.index(choice_.id) + 1)
        else:
            state = _t(lang, "Pas classé. Entrée pour l'ajouter.", "Not ranked. Enter to add it.")
    elif choice_.id in chosen:
        state = _t(lang, "Choisi. Entrée pour l'enlever.", "Chosen. Enter to remove it.")
    else:
        state = _t(lang, "Pas choisi. Entrée pour le choisir.", "Not chosen. Enter to choose it.")
    return _sentences(
        _t(lang, "Choix {n} sur {total} :", "Choice {n} of {total}:").format(n=position, total=len(question.choices)),
        choice_.title.get(lang) + ".",
        (_t(lang, "En bref : ", "In short: ") + choice_.summary.get(lang)) if choice_.summary else "",
        (money(choice_.cost, lang, currency) + ".") if choice_.cost else "",
        (_t(lang, "Catégorie : {c}.", "Category: {c}.").format(c=choice_.category)) if choice_.category else "",
        state,
    )


def toggled(question: Question, choice_: Choice, chosen: Sequence[str], lang: str, currency: str = "EUR") -> str:
    """Said right after Entrée on a choice: what changed, then where the voter now is."""
    title = choice_.title.get(lang)
    if choice_.id in chosen:
        if question.rule.kind is RuleKind.RANKED:
            head = _t(lang, "{title} : classé en position {n}.", "{title}: ranked in place {n}.").format(
                title=title, n=chosen.index(choice_.id) + 1
            )
        else:
            head = _t(lang, "{title} : choisi.", "{title}: chosen.").format(title=title)
    else:
        head = _t(lang, "{title} : enlevé.", "{title}: removed.").format(title=title)
    return _sentences(head, rule(question, chosen, lang, currency))


def moved(question: Question, choice_: Choice, chosen: Sequence[str], lang: str) -> str:
    """A ranked choice moved up or down."""
    return _t(lang, "{title} : maintenant en position {n}.", "{title}: now in place {n}.").format(
        title=choice_.title.get(lang), n=chosen.index(choice_.id) + 1
    )


def refusal(reason: str, question: Question, chosen: Sequence[str], lang: str, currency: str = "EUR") -> str:
    p = rules.progress(question, tuple(chosen))
    if reason == rules.REFUSAL_FULL:
        if question.rule.kind is RuleKind.SINGLE:
            return _t(
                lang,
                "Vous avez déjà une réponse. Enlevez-la d'abord, puis choisissez l'autre.",
                "You already have an answer. Remove it first, then choose the other one.",
            )
        return _sentences(
            _t(lang, "Impossible : c'est le maximum.", "Not possible: that is the maximum."),
            _t(lang, "Enlevez un choix pour en prendre un autre.", "Remove a choice to take another one."),
        )
    if reason == rules.REFUSAL_OVER_BUDGET:
        return _sentences(
            _t(lang, "Impossible : ce projet coûte trop cher.", "Not possible: this project costs too much."),
            budget_left(p.budget, p.spent, lang, currency),
            _t(lang, "Enlevez un projet pour faire de la place.", "Remove a project to make room."),
        )
    return _t(lang, "Ce choix n'est pas possible.", "This choice is not possible.")


def _answer(election: Election, q: Question, chosen: Sequence[str], lang: str) -> str:
    if not chosen:
        return _t(lang, "Rien de choisi : ce sera un vote blanc.", "Nothing chosen: this will be a blank vote.")
    titles = [q.choice(cid).title.get(lang) for cid in chosen]
    if q.rule.kind is RuleKind.RANKED:
        listed = " ".join(
            _t(lang, "En {n} : {title}.", "Number {n}: {title}.").format(n=i + 1, title=t) for i, t in enumerate(titles)
        )
    else:
        listed = _t(lang, "Vous avez choisi :", "You chose:") + " " + ", ".join(titles) + "."
    p = rules.progress(q, tuple(chosen))
    total = (
        _t(lang, "Total : {spent} sur {budget}.", "Total: {spent} out of {budget}.").format(
            spent=money(p.spent, lang, election.currency), budget=money(p.budget, lang, election.currency)
        )
        if p.budget
        else ""
    )
    return _sentences(listed, total)


def review(election: Election, selection: Mapping[str, Sequence[str]], lang: str, can_submit: bool) -> str:
    """The whole ballot read back, then how to validate (or what is missing)."""
    parts = [_t(lang, "Votre vote. Vérifiez vos choix.", "Your vote. Check your choices.")]
    for i, q in enumerate(election.questions):
        chosen = tuple(selection.get(q.id, ()))
        parts.append(
            _sentences(
                _t(lang, "Question {n} :", "Question {n}:").format(n=i + 1) if len(election.questions) > 1 else "",
                q.title.get(lang),
                _answer(election, q, chosen, lang),
                _review_problem(q, chosen, lang, election.currency),
            )
        )
    if can_submit:
        parts.append(
            _t(
                lang,
                "Pour changer une réponse, allez sur Modifier. "
                "Pour valider votre vote, allez sur Valider mon vote, puis appuyez sur Entrée.",
                "To change an answer, go to Change. To cast your vote, go to Cast my vote, then press Enter.",
            )
        )
    else:
        parts.append(
            _t(
                lang,
                "Il manque quelque chose. Vous ne pouvez pas encore valider.",
                "Something is missing. You cannot cast your vote yet.",
            )
        )
    return " ".join(parts)


def _review_problem(q: Question, chosen: Sequence[str], lang: str, currency: str) -> str:
    check = rules.check_question(q, tuple(chosen))
    if rules.TOO_FEW in check.reasons:
        return _t(lang, "Il faut choisir au moins {n}.", "You must choose at least {n}.").format(
            n=_items(q, lang, q.rule.min)
        )
    if rules.BELOW_MIN_BUDGET in check.reasons:
        p = rules.progress(q, tuple(chosen))
        return _t(lang, "Il faut utiliser au moins {amount}.", "You must use at least {amount}.").format(
            amount=money(p.min_spend, lang, currency)
        )
    return ""


def confirmation(lang: str) -> str:
    return _sentences(
        _t(lang, "Merci. Votre vote est enregistré.", "Thank you. Your vote is recorded."),
        _t(lang, "Vous pouvez enlever le casque.", "You can take off the headphones."),
    )


def not_recorded(lang: str) -> str:
    return _t(
        lang,
        "Attention : votre vote n'est pas enregistré. Appelez un bénévole.",
        "Warning: your vote is not recorded. Call a volunteer.",
    )


def idle(seconds: int, lang: str) -> str:
    return _sentences(
        _t(lang, "Êtes-vous toujours là ?", "Are you still there?"),
        _t(lang, "Pour continuer, appuyez sur Entrée.", "To go on, press Enter."),
        _n(
            lang,
            seconds,
            "Sinon, votre vote sera effacé dans {n} seconde.",
            "Sinon, votre vote sera effacé dans {n} secondes.",
            "Otherwise your vote will be erased in {n} second.",
            "Otherwise your vote will be erased in {n} seconds.",
        ),
    )


def button(name: str, description: str, lang: str, enabled: bool = True) -> str:
    """A button heard when it gets the focus: its accessible name, then what it does."""
    return _sentences(
        _t(lang, "Bouton {name}.", "Button {name}.").format(name=name.rstrip(".")),
        description,
        "" if enabled else _t(lang, "Indisponible.", "Unavailable."),
    )
