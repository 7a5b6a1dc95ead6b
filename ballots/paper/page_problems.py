"""Why a scanned page was refused, in detail: one code each, its French words in one table.

A refused page carries a reason code (`ballots.reasons.Code`: not_a_ballot, alignment_failed, …),
which is what the staff read as a label and what the ledger keeps. The paper modules also say
what they saw (`SheetRefused.problem`, with the values its sentence needs): "two corner squares
missing", "the file ends early". That is a `PageProblem`, put into words here, never parsed
back; `SheetRefused.detail` is those words (the self-check of `urne print`, a typed serial, a
refused file on the command line show them). Values from the file or the system (a file name,
an error of the image library) are quoted « like this ».
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class PageProblem(StrEnum):
    # The file (ballots.paper.sources): values file, and system for the library's own words.
    EMPTY = "empty"
    NO_PIXELS = "no_pixels"
    TOO_MANY_PIXELS = "too_many_pixels"  # width, height
    NOT_AN_IMAGE_FILE = "not_an_image_file"
    HEADER_UNREADABLE = "header_unreadable"  # system
    CANNOT_OPEN = "cannot_open"  # system
    PASSWORD = "password"
    ENDS_EARLY = "ends_early"
    NO_FRAME_HEADER = "no_frame_header"
    CANNOT_DECODE = "cannot_decode"
    PAGE_UNREADABLE = "page_unreadable"  # page, system
    # The page (ballots.paper.fiducials, reading).
    NOTHING_PRINTED = "nothing_printed"
    SIDE_CUT_OFF = "side_cut_off"
    NO_SQUARES = "no_squares"
    SQUARES_NOT_FOUND = "squares_not_found"
    SQUARE_OUTSIDE = "square_outside"
    SQUARE_NOT_SOLID = "square_not_solid"
    CORNER_CUT_CODE_UNREADABLE = "corner_cut_code_unreadable"
    SQUARES_IN_DOUBT_CODE_UNREADABLE = "squares_in_doubt_code_unreadable"
    CODE_SEEN_SQUARES_NOT = "code_seen_squares_not"
    CODE_UNREADABLE = "code_unreadable"
    PHOTO_CORNER_NO_CODE = "photo_corner_no_code"
    BOXES_NOT_IN_PLACE = "boxes_not_in_place"
    # The code (ballots.paper.qrcode_payload).
    CODE_NOT_OURS = "code_not_ours"  # text
    CODE_FIELDS = "code_fields"
    CODE_OTHER_ELECTION = "code_other_election"  # election
    CODE_BAD_MAC = "code_bad_mac"  # serial
    CODE_SHEET_NUMBER = "code_sheet_number"


TABLE: dict[PageProblem, str] = {
    PageProblem.EMPTY: "« {file} » est vide",
    PageProblem.NO_PIXELS: "« {file} » ne contient aucun pixel",
    PageProblem.TOO_MANY_PIXELS: "« {file} » fait {width} × {height} pixels, plus qu'une page à 600 dpi",
    PageProblem.NOT_AN_IMAGE_FILE: "« {file} » n'est ni un PNG, ni un JPEG, ni un TIFF, ni un PDF",
    PageProblem.HEADER_UNREADABLE: "l'en-tête de l'image « {file} » est illisible (« {system} »)",
    PageProblem.CANNOT_OPEN: "« {file} » ne s'ouvre pas (« {system} »)",
    PageProblem.PASSWORD: "« {file} » est protégé par un mot de passe",
    PageProblem.ENDS_EARLY: "« {file} » s'arrête avant la fin de l'image : fichier coupé",
    PageProblem.NO_FRAME_HEADER: "« {file} » : aucune image dans ce JPEG (fichier coupé)",
    PageProblem.CANNOT_DECODE: "l'image « {file} » ne se décode pas",
    PageProblem.PAGE_UNREADABLE: "la page {page} de « {file} » est illisible (« {system} »)",
    PageProblem.NOTHING_PRINTED: "rien n'est imprimé sur cette page",
    PageProblem.SIDE_CUT_OFF: (
        "deux carrés de coin manquent : un côté de la feuille est coupé par le cadre du scanner ?"
    ),
    PageProblem.NO_SQUARES: "aucun carré de coin sur cette page",
    PageProblem.SQUARES_NOT_FOUND: "les carrés de coin ne forment pas une page",
    PageProblem.SQUARE_OUTSIDE: "un carré de coin sort de l'image",
    PageProblem.SQUARE_NOT_SOLID: "un carré de coin n'est pas plein d'encre là où il a été trouvé",
    PageProblem.CORNER_CUT_CODE_UNREADABLE: "un coin est coupé et le code de l'autre coin est illisible",
    PageProblem.CODE_SEEN_SQUARES_NOT: (
        "le code d'un bulletin est lu sur la page, mais ses carrés de coin manquent (coupés par le cadre du scanner ?)"
    ),
    PageProblem.SQUARES_IN_DOUBT_CODE_UNREADABLE: (
        "des carrés pris pour des repères de coin ne sont pas seuls sur le papier (des coins coupés "
        "par le cadre du scanner ?) et aucun code n'est lu là où ils le placent"
    ),
    PageProblem.CODE_UNREADABLE: "le code QR est illisible",
    PageProblem.PHOTO_CORNER_NO_CODE: (
        "un coin manque sur une photo prise de biais, et aucun code n'a été lu près des autres"
    ),
    PageProblem.BOXES_NOT_IN_PLACE: "les cases ne sont pas là où les carrés de coin les placent",
    PageProblem.CODE_NOT_OURS: "ce code n'est pas celui d'un bulletin d'Urne (« {text} »)",
    PageProblem.CODE_FIELDS: "les champs du code sont incohérents",
    PageProblem.CODE_OTHER_ELECTION: "bulletin d'une autre élection (empreinte « {election} »)",
    PageProblem.CODE_BAD_MAC: "le code d'authenticité du bulletin n° {serial} est faux",
    PageProblem.CODE_SHEET_NUMBER: "le numéro de feuille du code est impossible",
}


def words(problem: PageProblem, values: Mapping[str, object]) -> str:
    return TABLE[problem].format_map({k: str(v) for k, v in values.items()})
