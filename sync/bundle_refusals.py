"""Why a USB bundle is refused: one `Refusal` each, its reason code and its French words in one table.

The reason codes (`REASON_*`, e.g. "truncated") are what programs keep and compare; they have not
changed since the first bundles. A `Refusal` is finer (a file cut short and a damaged header are
both "truncated") and is what people read: `words(refusal, values)`, French, looked up here.
Values that come from the file (a device's or an election's name) are quoted « like this ».
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

REASON_NOT_A_BUNDLE = "not-a-bundle"
REASON_TRUNCATED = "truncated"
REASON_TAMPERED = "tampered"
REASON_UNKNOWN_DEVICE = "unknown-device"
REASON_FOREIGN = "foreign-election"
REASON_REPLAY = "replay"
REASON_TOO_LARGE = "too-large"
REASON_MALFORMED = "malformed"  # signed by an enrolled device, but not what a bundle holds


class Refusal(StrEnum):
    TOO_LARGE = "too_large"  # size, limit
    UNREADABLE = "unreadable"  # why
    NOT_A_BUNDLE = "not_a_bundle"
    HEADER_DAMAGED = "header_damaged"
    CUT_SHORT = "cut_short"  # size, expected
    BYTES_AFTER_SIGNATURE = "bytes_after_signature"  # extra
    NO_DEVICE = "no_device"
    DEVICE_NOT_ENROLLED = "device_not_enrolled"  # device
    DEVICE_REVOKED = "device_revoked"  # device
    BAD_SIGNATURE = "bad_signature"  # device
    BAD_CHECKSUM = "bad_checksum"
    HEADER_FIELDS = "header_fields"
    ELECTION_NOT_HERE = "election_not_here"  # election
    ELECTION_DIFFERS = "election_differs"  # election, device
    OLDER_THAN_IMPORTED = "older_than_imported"  # seq, device, newest
    INFLATES_TOO_MUCH = "inflates_too_much"  # limit
    NOT_GZIP = "not_gzip"
    GZIP_INCOMPLETE = "gzip_incomplete"
    NOT_JSON = "not_json"
    NOT_TWO_LISTS = "not_two_lists"
    COUNT_DIFFERS = "count_differs"  # found, announced


# refusal: (reason code, French words)
TABLE: dict[Refusal, tuple[str, str]] = {
    Refusal.TOO_LARGE: (REASON_TOO_LARGE, "{size} octets : un lot fait au plus {limit} octets"),
    Refusal.UNREADABLE: (REASON_NOT_A_BUNDLE, "fichier illisible ({why})"),
    Refusal.NOT_A_BUNDLE: (REASON_NOT_A_BUNDLE, "ce fichier n'est pas un lot d'Urne"),
    Refusal.HEADER_DAMAGED: (REASON_TRUNCATED, "l'en-tête est incomplet ou abîmé : recopiez le fichier"),
    Refusal.CUT_SHORT: (REASON_TRUNCATED, "le fichier est coupé ({size} octets sur {expected}) : recopiez-le"),
    Refusal.BYTES_AFTER_SIGNATURE: (REASON_TAMPERED, "{extra} octets inattendus après la signature"),
    Refusal.NO_DEVICE: (REASON_UNKNOWN_DEVICE, "l'en-tête ne nomme aucun appareil"),
    Refusal.DEVICE_NOT_ENROLLED: (
        REASON_UNKNOWN_DEVICE,
        "l'appareil « {device} » n'est pas inscrit sur cette machine ('urne device enrol' avec sa clé publique)",
    ),
    Refusal.DEVICE_REVOKED: (REASON_UNKNOWN_DEVICE, "l'inscription de l'appareil « {device} » a été révoquée"),
    Refusal.BAD_SIGNATURE: (
        REASON_TAMPERED,
        "la signature de « {device} » ne correspond pas : le fichier a été modifié",
    ),
    Refusal.BAD_CHECKSUM: (REASON_TAMPERED, "le contenu ne correspond pas à son empreinte : le fichier a été modifié"),
    Refusal.HEADER_FIELDS: (REASON_MALFORMED, "l'en-tête est signé mais ses champs n'ont pas le bon type"),
    Refusal.ELECTION_NOT_HERE: (REASON_FOREIGN, "l'élection « {election} » n'est pas installée ici"),
    Refusal.ELECTION_DIFFERS: (
        REASON_FOREIGN,
        "l'élection « {election} » de « {device} » diffère de celle installée ici",
    ),
    Refusal.OLDER_THAN_IMPORTED: (
        REASON_REPLAY,
        "le lot n° {seq} de « {device} » est plus ancien que le n° {newest} déjà importé ici (fichier rejoué)",
    ),
    Refusal.INFLATES_TOO_MUCH: (
        REASON_MALFORMED,
        "une fois décompressé, le contenu dépasse {limit} octets pour ce qu'il annonce",
    ),
    Refusal.NOT_GZIP: (REASON_MALFORMED, "le contenu signé n'est pas compressé en gzip"),
    Refusal.GZIP_INCOMPLETE: (REASON_MALFORMED, "le contenu signé est un gzip incomplet"),
    Refusal.NOT_JSON: (REASON_MALFORMED, "le contenu signé n'est pas du JSON"),
    Refusal.NOT_TWO_LISTS: (REASON_MALFORMED, "le contenu signé n'est pas fait de deux listes d'enregistrements"),
    Refusal.COUNT_DIFFERS: (
        REASON_MALFORMED,
        "{found} enregistrements alors que l'en-tête en annonce {announced}",
    ),
}


def reason(refusal: Refusal) -> str:
    """The stable reason code (`REASON_*`) of a refusal."""
    return TABLE[refusal][0]


def words(refusal: Refusal, values: Mapping[str, object]) -> str:
    return TABLE[refusal][1].format_map({k: str(v) for k, v in values.items()})
