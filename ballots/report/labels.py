"""The words people read for the codes Urne stores: channels, statuses, reasons, outcome rules.

Codes are stored and exported as they are (`--json`, CSV columns of codes); these tables turn them
into French for the commission and the procès-verbal. Unknown codes are shown as they are.
"""

from __future__ import annotations

import re

CHANNEL_LABELS_FR = {"kiosk": "Borne", "paper": "Papier", "import": "Plateforme en ligne"}

STATUS_LABELS_FR = {
    "counted": "compté",
    "review": "à examiner",
    "rejected": "rejeté",
    "spoiled": "annulé",
    "duplicate": "doublon",
    "typed_serial": "numéro saisi",
}

# Reason codes from ballots.rules and from the paper reader, in plain French for the commission.
REASON_LABELS_FR = {
    "overvote": "trop de cases cochées",
    "too_few": "pas assez de cases cochées",
    "budget_exceeded": "budget dépassé",
    "below_min_budget": "budget minimum non atteint",
    "unknown_choice": "choix inconnu",
    "repeated_choice": "choix répété",
    "ambiguous": "marque ambiguë",
    "ambiguous_mark": "marque ambiguë",
    "crossed_out": "case barrée puis autre choix",
    "photocopy": "photocopie (même numéro, marques différentes)",
    "photocopy_conflict": "photocopie (même numéro, marques différentes)",
    "duplicate": "doublon (feuille déjà lue)",
    "unreadable_qr": "QR code illisible",
    "typed_serial": "numéro saisi par la commission",
    "no_qr": "QR code introuvable",
    "bad_mac": "code d'authenticité invalide (falsification ?)",
    "wrong_election": "bulletin d'une autre élection",
    "test_ballot": "bulletin de test",
    "unissued_serial": "numéro non émis",
    "not_a_ballot": "ce n'est pas un bulletin",
    "unreadable": "image illisible",
    "blank_page": "page blanche",
    "missing_sheet": "feuille manquante",
    "conflicting_copies": "photocopie : deux copies du même numéro, marques différentes",
    "same_serial_same_marks": "autre copie identique (comptée une fois)",
    "already_scanned": "image déjà lue",
    "test_ballot_in_official_mode": "bulletin de test (hors mode test)",
    "official_ballot_in_test_mode": "bulletin officiel lu en mode test",
    "not_an_urne_qr": "QR code étranger à Urne",
    "choice_ranked_twice": "même choix classé deux fois",
    "empty_file": "fichier vide",
    "not_an_image": "fichier qui n'est pas une image",
    "truncated_file": "fichier tronqué",
    "image_too_large": "image trop grande",
    "encrypted_pdf": "PDF protégé par mot de passe",
    "alignment_failed": "repères de la feuille mal lus (à rescanner ou saisir)",
    "unreadable_file": "fichier illisible",
}
_NUMBERED = (
    (re.compile(r"missing_sheet_(\d+)"), "feuille {} manquante"),
    (re.compile(r"rank_(\d+)_twice"), "rang {} coché deux fois"),
)

OUTCOME_LABELS_FR = {
    "greedy": "par nombre de voix, dans la limite de l'enveloppe (méthode gloutonne)",
    "greedy-no-skip": (
        "par nombre de voix, dans la limite de l'enveloppe ; l'attribution s'arrête au premier projet"
        " qui ne tient pas dans le reste de l'enveloppe (gloutonne sans saut, « greedy-no-skip »)"
    ),
    "greedy-threshold": (
        "par nombre de voix, dans la limite de l'enveloppe, parmi les projets qui atteignent le seuil"
        " (gloutonne avec seuil, « greedy-threshold »)"
    ),
    "equalshares/add1": "méthode des parts égales (complétée par add1)",
    "equalshares/add1-comparison": (
        "méthode des parts égales (complétée par add1 tant que l'enveloppe le permet), puis comparée"
        " à la méthode gloutonne : la sélection préférée par le plus d'électeurs est retenue"
    ),
    "equalshares": "méthode des parts égales",
    "plurality": "le plus de voix l'emporte",
}

TIE_BREAK_LABELS_FR = {
    "election_order": "à égalité, le projet cité en premier dans la liste de l'élection passe d'abord",
    "id_order": "à égalité de prix, le projet de plus petit identifiant passe d'abord (comme pabutools)",
    "commission": "en cas d'égalité, les choix à égalité sont tous indiqués et la commission tranche",
}


def rule_sentence_fr(rule: str, kind: str, tie_break: str, min_score: int = 0, note: str = "") -> str:
    """The rule as the procès-verbal states it: the method, what it ranks by, the threshold and
    the tie-break ('Règle d'attribution : ...')."""
    label = OUTCOME_LABELS_FR.get(rule, rule)
    if kind in ("ranked", "cumulative") and rule != "plurality" and not rule.startswith("equalshares"):
        label = label.replace("par nombre de voix", "par nombre de points")
    parts = [label]
    if min_score:
        unit = "points" if kind in ("ranked", "cumulative") else "voix"
        parts.append(f"seuil : {min_score} {unit} au moins")
    if note == "greedy":
        parts.append("la comparaison a retenu la sélection gloutonne")
    elif note == "mes":
        parts.append("la comparaison a retenu la sélection des parts égales")
    parts.append(TIE_BREAK_LABELS_FR.get(tie_break, tie_break))
    return " ; ".join(parts)


def reason_label(code: str) -> str:
    """'projets:overvote' -> 'projets : trop de cases cochées'; unknown codes are kept as they are."""
    question, sep, reason = code.rpartition(":")
    label = REASON_LABELS_FR.get(reason, "")
    for pattern, words in _NUMBERED:
        if not label and (m := pattern.fullmatch(reason)):
            label = words.format(m.group(1))
    label = label or reason.replace("_", " ")
    return f"{question} : {label}" if sep and question else label


def status_label(status: str) -> str:
    """'rejected' -> 'rejeté'; unknown statuses are kept as they are."""
    return STATUS_LABELS_FR.get(status, status)


def channel_label(channel: str) -> str:
    return CHANNEL_LABELS_FR.get(channel, channel)
