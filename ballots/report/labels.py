"""The words people read for the codes Urne stores: channels, statuses, reasons, outcome rules.

Codes are stored and exported as they are (`--json`, CSV columns of codes); these tables turn them
into French for the commission and the procès-verbal. Unknown codes are shown as they are.
"""

from __future__ import annotations

from ballots.numbers import number
from ballots.reasons import Code, Reason

CHANNEL_LABELS_FR = {"kiosk": "Borne", "paper": "Papier", "import": "Plateforme en ligne"}

STATUS_LABELS_FR = {
    "counted": "compté",
    "review": "à examiner",
    "rejected": "rejeté",
    "spoiled": "annulé",
    "void": "déclaré nul",
    "duplicate": "doublon",
    "typed_serial": "numéro saisi",
}

# Every reason code (ballots.reasons.Code) in French and in English; "{n}" is the sheet or the rank.
# A test checks that each code has both and that no label is left without a code.
REASON_LABELS: dict[Code, tuple[str, str]] = {
    Code.OVERVOTE: ("trop de cases cochées", "too many boxes ticked"),
    Code.TOO_FEW: ("pas assez de cases cochées", "too few boxes ticked"),
    Code.BUDGET_EXCEEDED: ("budget dépassé", "over the budget"),
    Code.BELOW_MIN_BUDGET: ("budget minimum non atteint", "under the minimum budget"),
    Code.UNKNOWN_CHOICE: ("choix inconnu", "unknown choice"),
    Code.REPEATED_CHOICE: ("choix répété", "choice repeated"),
    Code.AMBIGUOUS_MARK: ("marque ambiguë", "unclear mark"),
    Code.CHOICE_RANKED_TWICE: ("même choix classé deux fois", "the same choice ranked twice"),
    Code.RANK_TWICE: ("rang {n} coché deux fois", "rank {n} ticked twice"),
    Code.MISSING_SHEET: ("feuille {n} manquante", "sheet {n} missing"),
    Code.CONFLICTING_COPIES: (
        "photocopie : deux copies du même numéro, marques différentes",
        "photocopy: two copies of the same serial with different marks",
    ),
    Code.SAME_SERIAL_SAME_MARKS: ("autre copie identique (comptée une fois)", "identical copy (counted once)"),
    Code.ALREADY_SCANNED: ("image déjà lue", "image already read"),
    Code.TEST_IN_OFFICIAL_MODE: ("bulletin de test (hors mode test)", "test ballot (not in test mode)"),
    Code.OFFICIAL_IN_TEST_MODE: ("bulletin officiel lu en mode test", "official ballot read in test mode"),
    Code.UNISSUED_SERIAL: ("numéro non émis", "serial never issued"),
    Code.TYPED_SERIAL: ("numéro saisi par la commission", "serial typed by the commission"),
    Code.NOT_AN_URNE_QR: ("QR code étranger à Urne", "QR code not from Urne"),
    Code.BAD_MAC: ("code d'authenticité invalide (falsification ?)", "authenticity code invalid (forgery?)"),
    Code.WRONG_ELECTION: ("bulletin d'une autre élection", "ballot of another election"),
    Code.UNREADABLE_QR: (
        "QR code illisible : rescannez la feuille, ou saisissez le numéro et le code imprimés sous le titre",
        "QR code unreadable: scan the sheet again, or type the number and code printed under the title",
    ),
    Code.BLANK_PAGE: ("page blanche", "blank page"),
    Code.NOT_A_BALLOT: (
        "ce n'est pas un bulletin (aucun repère de coin) : si c'en est un, rescannez-le entier",
        "not a ballot (no corner squares): if it is one, scan it again, whole",
    ),
    Code.ALIGNMENT_FAILED: (
        "repères de coin mal lus : rescannez la feuille droite et entière (ou saisissez le numéro)",
        "corner squares misread: scan the sheet again, straight and whole (or type its number)",
    ),
    Code.ONE_BIT_LOST_INK: (
        "feuille {n} lue sur une copie noir et blanc (1 bit) qui a perdu de l'encre : rescannez-la en "
        "niveaux de gris ou en couleur, ou décidez chaque case sur le papier",
        "sheet {n} read from a black-and-white (1-bit) copy that lost ink: scan it again in grey or "
        "colour, or decide each box from the paper",
    ),
    Code.ONE_BIT_NOTHING_MARKED: (
        "feuille {n} sans aucune case cochée sur une copie noir et blanc (1 bit), où l'encre rouge ou "
        "pâle peut disparaître : rescannez-la en niveaux de gris ou en couleur, ou vérifiez sur le papier",
        "sheet {n} with no box ticked on a black-and-white (1-bit) copy, where red or pale ink can "
        "vanish: scan it again in grey or colour, or check the paper",
    ),
    Code.ONE_BIT_BROKEN_INK: (
        "feuille {n} lue sur une copie noir et blanc (1 bit) où les traits des marques sont coupés (encre au "
        "seuil du copieur : un trait plus pâle a pu disparaître) : rescannez-la en niveaux de gris ou en "
        "couleur, ou décidez chaque case sur le papier",
        "sheet {n} read from a black-and-white (1-bit) copy on which the marks' strokes are broken (ink at the "
        "copier's threshold: a paler stroke may have vanished): scan it again in grey or colour, or decide "
        "each box from the paper",
    ),
    Code.ONE_BIT_IN_DOUBT: (
        "feuille {n} lue sur une copie noir et blanc (1 bit) où trop de cases cochées sont douteuses pour "
        "savoir si le copieur a effacé un trait plus pâle ailleurs : rescannez-la en niveaux de gris ou en "
        "couleur, ou décidez chaque case sur le papier",
        "sheet {n} read from a black-and-white (1-bit) copy on which too many of the marked boxes are in "
        "doubt to tell whether the copier dropped a paler stroke elsewhere: scan it again in grey or colour, "
        "or decide each box from the paper",
    ),
    Code.ONE_BIT_PAGES: (
        "{n} page lue sur une copie noir et blanc (1 bit) : le seuil d'un copieur peut effacer un trait de "
        "crayon ou d'encre rouge sans laisser de trace ; pour un dépouillement qui fait foi, rescannez-la en "
        "niveaux de gris ou en couleur",
        "{n} page read from a black-and-white (1-bit) copy: a copier's threshold can erase a pencil or red-ink "
        "stroke without a trace; for a count that is authoritative, scan it again in grey or colour",
    ),
    Code.EMPTY_FILE: ("fichier vide", "empty file"),
    Code.NOT_AN_IMAGE: ("fichier qui n'est pas une image", "not an image file"),
    Code.TRUNCATED_FILE: ("fichier tronqué", "truncated file"),
    Code.IMAGE_TOO_LARGE: ("image trop grande", "image too large"),
    Code.ENCRYPTED_PDF: ("PDF protégé par mot de passe", "password-protected PDF"),
    Code.UNREADABLE_FILE: ("fichier illisible", "unreadable file"),
}
LANGUAGES = ("fr", "en")

# The same labels when the number counts more than one (pages of a batch), in French and English.
PLURAL_LABELS: dict[Code, tuple[str, str]] = {
    Code.ONE_BIT_PAGES: (
        "{n} pages lues sur des copies noir et blanc (1 bit) : le seuil d'un copieur peut effacer un trait de "
        "crayon ou d'encre rouge sans laisser de trace ; pour un dépouillement qui fait foi, rescannez-les en "
        "niveaux de gris ou en couleur",
        "{n} pages read from black-and-white (1-bit) copies: a copier's threshold can erase a pencil or red-ink "
        "stroke without a trace; for a count that is authoritative, scan them again in grey or colour",
    ),
}

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


def tie_at_fr(rule: str, score: int, unit: str = "voix") -> str:
    """What the choices are equal on, after 'Égalité': votes or points, or, inside equal shares,
    the price each supporter pays per euro of the project ('Égalité de prix par euro ...')."""
    if rule == "id_order":
        return "de prix par euro (parts égales)"
    return f"à {number(score)} {unit}"


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


def reason_label(reason: Reason | str, language: str = "fr") -> str:
    """'projets:overvote' -> 'projets : trop de cases cochées' (fr), 'projets: too many boxes ticked' (en).

    Stored text is read with `Reason.from_text`; text that names no known reason is shown as it
    is (underscores as spaces), never dropped.
    """
    r = reason if isinstance(reason, Reason) else Reason.from_text(reason)
    if r is None:
        question, sep, rest = str(reason).rpartition(":")
        label = rest.replace("_", " ")
    else:
        question = r.question
        labels = PLURAL_LABELS.get(r.code) if r.number is not None and r.number > 1 else None
        label = (labels or REASON_LABELS[r.code])[LANGUAGES.index(language) if language in LANGUAGES else 0]
        label = label.format(n=r.number) if r.number is not None else label
    if not question:
        return label
    return f"{question} : {label}" if language != "en" else f"{question}: {label}"


def status_label(status: str) -> str:
    """'rejected' -> 'rejeté'; unknown statuses are kept as they are."""
    return STATUS_LABELS_FR.get(status, status)


def channel_label(channel: str) -> str:
    return CHANNEL_LABELS_FR.get(channel, channel)
