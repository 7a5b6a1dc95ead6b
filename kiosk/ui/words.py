"""Words shared by several screens: rules, refusals and errors turned into plain, short sentences.

French is the source text (FALC spirit: short sentences, common words, one idea per line);
English comes from kiosk/ui/translations/urne_en.ts. Counts pick between a singular and a plural
sentence here (`_count`) rather than Qt's %n forms, which not every pyside6-lupdate extracts.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QCoreApplication

from ballots import rules
from ballots.election import Question, RuleKind
from ballots.errors import AlreadyRegistered, PollsNotOpen, RegisterError, UrneError
from ballots.numbers import money
from kiosk.ui.session import VoterSession


def _count(n: int, language: str, one: str, many: str) -> str:
    """French uses the singular for 0 and 1, English only for 1."""
    plural = n > 1 if language == "fr" else n != 1
    return (many if plural else one).format(n=n)


def rule_hint(question: Question, language: str, currency: str) -> str:
    r = question.rule
    if r.kind is RuleKind.SINGLE:
        return QCoreApplication.translate("Words", "Choisissez une seule réponse.")
    if r.kind is RuleKind.RANKED:
        return _count(
            r.max,
            language,
            QCoreApplication.translate("Words", "Classez jusqu'à {n} choix. Le premier compte le plus."),
            QCoreApplication.translate(
                "Words", "Classez jusqu'à {n} choix, par ordre de préférence. Le premier compte le plus."
            ),
        )
    if r.kind is RuleKind.BUDGET:
        return QCoreApplication.translate("Words", "Choisissez des projets sans dépasser {budget}.").format(
            budget=money(r.budget, currency, language)
        )
    if r.min > 0 and r.min == r.max:
        return _count(
            r.max,
            language,
            QCoreApplication.translate("Words", "Choisissez {n} réponse."),
            QCoreApplication.translate("Words", "Choisissez {n} réponses."),
        )
    return _count(
        r.max,
        language,
        QCoreApplication.translate("Words", "Choisissez jusqu'à {n} réponse."),
        QCoreApplication.translate("Words", "Choisissez jusqu'à {n} réponses."),
    )


def progress_text(session: VoterSession, question: Question) -> str:
    p = session.progress(question)
    if question.rule.kind is RuleKind.SINGLE:
        if p.chosen:
            return QCoreApplication.translate("Words", "Réponse choisie.")
        return QCoreApplication.translate("Words", "Pas encore de réponse.")
    return QCoreApplication.translate("Words", "{chosen} / {max} choisis").format(chosen=p.chosen, max=p.max)


def budget_text(session: VoterSession, question: Question) -> str:
    p = session.progress(question)
    lang, cur = session.settings.language, session.election.currency
    return f"{money(p.spent, cur, lang)} / {money(p.budget, cur, lang)}"


def refusal_text(reason: str, session: VoterSession, question: Question) -> str:
    p = session.progress(question)
    if reason == rules.REFUSAL_FULL:
        if question.rule.kind is RuleKind.SINGLE:
            return QCoreApplication.translate(
                "Words", "Vous avez déjà une réponse. Touchez-la pour l'enlever, puis choisissez l'autre."
            )
        return _count(
            p.max,
            session.settings.language,
            QCoreApplication.translate("Words", "C'est le maximum : {n} réponse. Enlevez-la pour changer."),
            QCoreApplication.translate("Words", "C'est le maximum : {n} réponses. Enlevez-en une pour changer."),
        )
    if reason == rules.REFUSAL_OVER_BUDGET:
        left = money(max(p.budget - p.spent, 0), session.election.currency, session.settings.language)
        return QCoreApplication.translate(
            "Words", "Ce projet coûte trop cher pour ce qui reste ({left}). Enlevez un projet pour faire de la place."
        ).format(left=left)
    return QCoreApplication.translate("Words", "Ce choix n'est pas possible.")


def review_hint(session: VoterSession, question: Question) -> str:
    """What the review says under a question: blank, room left, or what is missing."""
    check = session.check(question)
    if rules.TOO_FEW in check.reasons:
        return _count(
            question.rule.min,
            session.settings.language,
            QCoreApplication.translate("Words", "Il faut choisir au moins {n} réponse ici."),
            QCoreApplication.translate("Words", "Il faut choisir au moins {n} réponses ici."),
        )
    if rules.BELOW_MIN_BUDGET in check.reasons:
        p = session.progress(question)
        need = money(p.min_spend, session.election.currency, session.settings.language)
        return QCoreApplication.translate("Words", "Il faut utiliser au moins {amount} du budget.").format(amount=need)
    if not session.chosen(question):
        return QCoreApplication.translate("Words", "Vous n'avez rien choisi ici : ce sera un vote blanc.")
    left = session.left_to_choose(question)
    if left and question.rule.kind is not RuleKind.SINGLE:
        return _count(
            left,
            session.settings.language,
            QCoreApplication.translate("Words", "Vous pouvez encore choisir {n} réponse."),
            QCoreApplication.translate("Words", "Vous pouvez encore choisir {n} réponses."),
        )
    return ""


def error_text(exc: BaseException) -> str:
    """An error turned into words for the voter and the volunteer (no technical detail)."""
    if isinstance(exc, PollsNotOpen):
        return QCoreApplication.translate(
            "Words", "Votre vote n'est PAS enregistré : le vote est fermé. Appelez un bénévole."
        )
    if isinstance(exc, AlreadyRegistered):
        return QCoreApplication.translate(
            "Words",
            "Pour le bénévole : cette personne est déjà inscrite. Elle a déjà voté, ici ou ailleurs. "
            "Expliquez-lui avec gentillesse qu'on vote une seule fois.",
        )
    if isinstance(exc, RegisterError):
        return QCoreApplication.translate(
            "Words", "Vérifiez : le nom, le prénom, la date de naissance (JJ/MM/AAAA) et le code postal (5 chiffres)."
        )
    if isinstance(exc, (sqlite3.Error, OSError)):
        return QCoreApplication.translate(
            "Words", "Votre vote n'est PAS enregistré : problème de stockage. Appelez un bénévole."
        )
    if isinstance(exc, UrneError):
        return QCoreApplication.translate("Words", "Votre vote n'est PAS enregistré. Appelez un bénévole.")
    return QCoreApplication.translate("Words", "Votre vote n'est PAS enregistré. Appelez un bénévole.")
