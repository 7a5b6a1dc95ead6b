"""What can be wrong in an election file or a `config.toml`: one code each, its words in one table.

`ElectionFileError` and `ConfigError` carry a `FileProblem` code and the values its sentence
needs; people read `words(code, values)`, looked up here, never parsed back. The words are
French (the command line and the staff speak French); the codes are what a program keeps.
Values that come from the file (a key, an id, a rule name) are quoted « like this » by the
sentences, so a reader (and the test that hunts English in messages) tells them from the words.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Mapping
from enum import StrEnum


class FileProblem(StrEnum):
    # The file as a whole.
    FILE_NOT_FOUND = "file_not_found"
    NOT_UTF8 = "not_utf8"
    UNREADABLE = "unreadable"  # why: words from os_words()
    TOO_LARGE = "too_large"  # limit (bytes or characters)
    NOT_TOML = "not_toml"  # why: words from toml_words()
    NESTED_TOO_DEEPLY = "nested_too_deeply"
    NOT_AN_ELECTION_FILE = "not_an_election_file"  # neither .toml nor .pb
    # A key's value.
    REQUIRED = "required"
    UNKNOWN_KEY = "unknown_key"
    WRONG_TYPE = "wrong_type"  # expected, found: type words from type_words()
    NOT_A_TABLE = "not_a_table"  # example, found
    NOT_A_PATH = "not_a_path"
    TEXT_SHAPE = "text_shape"
    TOO_LONG = "too_long"  # limit
    TOO_MANY_LANGUAGES = "too_many_languages"  # limit
    NOT_ONE_OF = "not_one_of"  # value, allowed
    BAD_ID = "bad_id"
    BAD_AMOUNT = "bad_amount"  # value
    NEGATIVE = "negative"
    OUT_OF_RANGE = "out_of_range"  # low, high
    USED_TWICE = "used_twice"  # value
    # Election files.
    BAD_PLATFORM_IDS = "bad_platform_ids"
    UNKNOWN_PLATFORM = "unknown_platform"  # allowed
    BAD_PLATFORM_ID = "bad_platform_id"
    CUMULATIVE_FROM_PABULIB = "cumulative_from_pabulib"
    NO_CHOICES = "no_choices"
    TOO_MANY_CHOICES = "too_many_choices"  # count, limit
    MAX_OUT_OF_RANGE = "max_out_of_range"  # choices
    MIN_OUT_OF_RANGE = "min_out_of_range"  # max
    SINGLE_IS_ONE = "single_is_one"
    BUDGET_NEEDS_ENVELOPE = "budget_needs_envelope"
    SHARE_OUT_OF_RANGE = "share_out_of_range"
    POINTS_SCALE = "points_scale"
    MIN_SCORE_NEGATIVE = "min_score_negative"
    NO_QUESTIONS = "no_questions"
    TOO_MANY_QUESTIONS = "too_many_questions"  # count, limit
    BAD_LANGUAGES = "bad_languages"
    BAD_DATE = "bad_date"
    BAD_ELECTORS = "bad_electors"
    UNKNOWN_TIME_ZONE = "unknown_time_zone"  # value
    BAD_PICTOGRAMS = "bad_pictograms"
    # Configuration files.
    SCREEN_DPI = "screen_dpi"
    SCREEN_INCHES = "screen_inches"
    PAGE_SIZE = "page_size"
    DATABASE_URL = "database_url"


WORDS: dict[FileProblem, str] = {
    FileProblem.FILE_NOT_FOUND: "fichier introuvable",
    FileProblem.NOT_UTF8: "ce n'est pas du texte UTF-8",
    FileProblem.UNREADABLE: "illisible ({why})",
    FileProblem.TOO_LARGE: "plus de {limit} octets : ce n'est pas un fichier d'Urne",
    FileProblem.NOT_TOML: "ce n'est pas du TOML valide : {why}",
    FileProblem.NESTED_TOO_DEEPLY: "ce n'est pas du TOML valide : trop de niveaux imbriqués",
    FileProblem.NOT_AN_ELECTION_FILE: "il faut un fichier d'élection .toml ou un fichier pabulib .pb",
    FileProblem.REQUIRED: "manquante (elle est obligatoire)",
    FileProblem.UNKNOWN_KEY: "clé inconnue (faute de frappe ?)",
    FileProblem.WRONG_TYPE: "doit être {expected}, pas {found}",
    FileProblem.NOT_A_TABLE: "doit être une table ({example}), pas {found}",
    FileProblem.NOT_A_PATH: "doit être un chemin entre guillemets",
    FileProblem.TEXT_SHAPE: 'doit être un texte ou une table de langues (fr = "…", en = "…")',
    FileProblem.TOO_LONG: "dépasse {limit} caractères",
    FileProblem.TOO_MANY_LANGUAGES: "plus de {limit} langues",
    FileProblem.NOT_ONE_OF: "« {value} » n'est pas l'une des valeurs permises : {allowed}",
    FileProblem.BAD_ID: "identifiant obligatoire, fait de lettres, chiffres, « - », « _ » ou « . » (64 au plus)",
    FileProblem.BAD_AMOUNT: 'doit être un montant comme 1200 ou "1555905.71", pas « {value} »',
    FileProblem.NEGATIVE: "ne peut pas être négatif",
    FileProblem.OUT_OF_RANGE: "doit être entre {low} et {high}",
    FileProblem.USED_TWICE: "« {value} » est utilisé deux fois",
    FileProblem.BAD_PLATFORM_IDS: 'doit être une table comme {{ decidim = 123, consul = 45, capcollectif = "3-12" }}',
    FileProblem.UNKNOWN_PLATFORM: "plateforme inconnue (permises : {allowed})",
    FileProblem.BAD_PLATFORM_ID: "doit être l'identifiant sur la plateforme, un nombre ou un texte",
    FileProblem.CUMULATIVE_FROM_PABULIB: (
        "les bulletins cumulatifs ne viennent que de fichiers pabulib (la borne et le papier ne les proposent pas)"
    ),
    FileProblem.NO_CHOICES: "il faut au moins un [[questions.choices]]",
    FileProblem.TOO_MANY_CHOICES: "{count} choix ; au plus {limit} peuvent être imprimés et affichés",
    FileProblem.MAX_OUT_OF_RANGE: "doit être entre 1 et le nombre de choix ({choices})",
    FileProblem.MIN_OUT_OF_RANGE: "doit être entre 0 et max ({max})",
    FileProblem.SINGLE_IS_ONE: "une question à choix unique a min = max = 1",
    FileProblem.BUDGET_NEEDS_ENVELOPE: "une question budgétaire a besoin d'une enveloppe positive",
    FileProblem.SHARE_OUT_OF_RANGE: "doit être entre 0 et 1 (0.7 pour 70 %)",
    FileProblem.POINTS_SCALE: ("réservé aux questions à classement : les points de la première place, au moins max"),
    FileProblem.MIN_SCORE_NEGATIVE: "ne peut pas être négatif (voix, ou points, qu'il faut à un projet)",
    FileProblem.NO_QUESTIONS: "il faut au moins une table [[questions]]",
    FileProblem.TOO_MANY_QUESTIONS: "{count} questions ; au plus {limit}",
    FileProblem.BAD_LANGUAGES: 'doit être une liste de codes de langue comme ["fr", "en"]',
    FileProblem.BAD_DATE: "doit être une date comme 2026-05-30",
    FileProblem.BAD_ELECTORS: "doit être le nombre d'inscrits, les personnes appelées à voter (0 = inconnu)",
    FileProblem.UNKNOWN_TIME_ZONE: "fuseau horaire inconnu « {value} » (un nom IANA comme Europe/Paris)",
    FileProblem.BAD_PICTOGRAMS: 'doit être une table de lignes catégorie = "pictogramme"',
    FileProblem.SCREEN_DPI: "doit être 0 (d'après l'écran) ou entre 50 et 1000",
    FileProblem.SCREEN_INCHES: "doit être 0 (d'après l'écran) ou entre 5 et 100",
    FileProblem.PAGE_SIZE: "doit être « A4 » ou « letter »",
    FileProblem.DATABASE_URL: "doit commencer par postgresql:// ou sqlite:///",
}

# Python's type names, as the sentence "doit être …, pas …" needs them.
_TYPES = {
    "int": "un nombre entier",
    "float": "un nombre",
    "str": "un texte entre guillemets",
    "bool": "true ou false",
    "list": "une liste [ … ]",
    "dict": "une table",
    "datetime": "une date et heure",
    "date": "une date",
    "time": "une heure",
}


def type_words(typ: type | str) -> str:
    name = typ if isinstance(typ, str) else typ.__name__
    return _TYPES.get(name, "une valeur de ce type")


def wrong_type(expected: type, value: object) -> dict[str, object]:
    """The values of WRONG_TYPE: what the key takes and what the file gave, in words."""
    return {"expected": type_words(expected), "found": type_words(type(value))}


def words(code: FileProblem, values: Mapping[str, object]) -> str:
    """The French sentence for `code`, with its values in place."""
    return WORDS[code].format_map({k: str(v) for k, v in values.items()})


# tomllib explains a syntax error in English ("Expected '=' after a key in a key/value pair (at
# line 9, column 5)"); its sentences are a short fixed list, matched here by their start. An
# unknown one (a newer Python) still gives the line and column, never English words.
_TOML = (
    ("Expected '=' after a key", "il manque « = » après une clé"),
    ("Expected ']' at the end of a table", "il manque « ] » à la fin d'un nom de table"),
    ("Expected ']]' at the end of an array", "il manque « ]] » à la fin d'un nom de liste de tables"),
    ("Expected", "caractère inattendu"),
    ("Cannot declare", "table déclarée deux fois"),
    ("Cannot overwrite a value", "valeur écrite deux fois"),
    ("Cannot mutate immutable namespace", "table en ligne modifiée après coup"),
    ("Cannot redefine namespace", "table redéfinie"),
    ("Duplicate inline table key", "clé écrite deux fois dans une table en ligne"),
    ("Invalid statement", "ligne incompréhensible"),
    ("Invalid initial character for a key", "une clé commence par un caractère interdit"),
    ("Invalid value", "valeur incompréhensible"),
    ("Invalid date or datetime", "date invalide"),
    ("Invalid hex value", "code hexadécimal invalide"),
    ("Escaped character is not a Unicode", "caractère échappé invalide"),
    ("Unclosed array", "liste non fermée (« ] » manquant)"),
    ("Unclosed inline table", "table en ligne non fermée (« } » manquant)"),
    ("Unterminated string", "texte non terminé (guillemet manquant)"),
    ("Unescaped '\\'", "« \\ » seul dans un texte (écrire « \\\\ »)"),
    ("Found invalid character", "caractère interdit"),
    ("Illegal character", "caractère interdit"),
)
_WHERE = re.compile(r"\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def toml_words(message: str) -> tuple[str, int | None]:
    """(French words, line) for one of tomllib's error messages (the line goes beside the file name)."""
    what = next((fr for en, fr in _TOML if message.startswith(en)), "syntaxe invalide")
    found = _WHERE.search(message)
    if found is None:
        return what, None
    if found.group(1) is None:
        return f"{what} (fin du fichier)", None
    return f"{what} (colonne {found.group(2)})", int(found.group(1))


_OS = {
    errno.EISDIR: "c'est un dossier",
    errno.EACCES: "accès refusé",
    errno.EPERM: "accès refusé",
    errno.ENOENT: "fichier introuvable",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EIO: "erreur de lecture du disque",
    errno.ELOOP: "trop de liens symboliques",
    errno.ENAMETOOLONG: "nom trop long",
}


def os_words(exc: OSError) -> str:
    """Why a file cannot be read, in French (the system's own words are English)."""
    code = exc.errno or 0
    return _OS.get(code, f"erreur système {errno.errorcode.get(code, code)}")
