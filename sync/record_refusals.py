"""Why one record inside an accepted delivery (a USB bundle, a hub batch) was refused: a code, the
values it names, and its French words, in one table.

A delivery is merged record by record: a ballot or register entry that is not well formed, belongs
to another election, names an unknown question or choice, or lacks a valid signature is refused
on its own and the rest goes on (`sync.merge`, `sync.provenance`). The merge keeps a
`RefusedRecord` (the record's id, a `RecordRefusal` code, the values it names); that is what the
bundle's stored summary and the hub's answer hold (`as_dict`: the code for programs, the French
words for people), and `words()` is what the command line prints. Values that come from the
record (an election's, a question's, a device's name) are quoted « like this ».
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class RecordKind(StrEnum):
    BALLOT = "ballot"
    REGISTER = "register"


KIND_WORDS = {RecordKind.BALLOT: "bulletin", RecordKind.REGISTER: "émargement"}


class RecordRefusal(StrEnum):
    NOT_A_BALLOT = "not_a_ballot"
    BAD_ID = "bad_id"
    NOT_TEXT = "not_text"  # election, device or day not text
    NO_SELECTION = "no_selection"
    REASONS_NOT_CODES = "reasons_not_codes"
    TEST_NOT_BOOLEAN = "test_not_boolean"
    UNKNOWN_CHANNEL_OR_STATUS = "unknown_channel_or_status"
    SELECTION_NOT_IDS = "selection_not_ids"  # question
    NOT_A_REGISTER_ENTRY = "not_a_register_entry"
    NO_FINGERPRINT = "no_fingerprint"
    MALFORMED = "malformed"  # none of the above, yet not a record
    OTHER_ELECTION = "other_election"  # election
    UNKNOWN_QUESTION = "unknown_question"  # question
    UNKNOWN_CHOICE = "unknown_choice"  # choice, question
    UNSIGNED = "unsigned"
    NOT_ENROLLED = "not_enrolled"  # device
    FORGED = "forged"


TABLE: dict[RecordRefusal, str] = {
    RecordRefusal.NOT_A_BALLOT: "ce n'est pas un bulletin (9 champs attendus)",
    RecordRefusal.BAD_ID: "l'identifiant du bulletin manque ou n'en est pas un",
    RecordRefusal.NOT_TEXT: "l'élection, l'appareil et le jour doivent être du texte",
    RecordRefusal.NO_SELECTION: "les choix du bulletin manquent",
    RecordRefusal.REASONS_NOT_CODES: "les motifs doivent être une liste de codes",
    RecordRefusal.TEST_NOT_BOOLEAN: "le champ « test » doit valoir vrai ou faux",
    RecordRefusal.UNKNOWN_CHANNEL_OR_STATUS: "canal ou statut inconnu",
    RecordRefusal.SELECTION_NOT_IDS: "les choix de la question « {question} » ne sont pas une liste d'identifiants",
    RecordRefusal.NOT_A_REGISTER_ENTRY: "ce n'est pas un émargement (5 textes attendus)",
    RecordRefusal.NO_FINGERPRINT: "l'empreinte de l'émargement manque",
    RecordRefusal.MALFORMED: "enregistrement mal formé",
    RecordRefusal.OTHER_ELECTION: "il appartient à l'élection « {election} »",
    RecordRefusal.UNKNOWN_QUESTION: "question inconnue « {question} »",
    RecordRefusal.UNKNOWN_CHOICE: "choix inconnu « {choice} » dans la question « {question} »",
    RecordRefusal.UNSIGNED: "non signé : l'appareil qui l'a fait ne l'a pas signé",
    RecordRefusal.NOT_ENROLLED: "signé par un appareil qui n'est pas inscrit ici (« {device} »)",
    RecordRefusal.FORGED: (
        "la signature ne correspond pas : l'enregistrement a été modifié ou fait par un autre appareil"
    ),
}

_LONGEST = 40  # a value from a record is cut there: a record cannot fill the report


class RecordProblem(ValueError):
    """A wire record that is not a ballot / register entry (`merge.ballot_from_wire`)."""

    def __init__(self, refusal: RecordRefusal, **values: object) -> None:
        self.refusal = refusal
        self.values = {k: str(v)[:_LONGEST] for k, v in values.items()}
        super().__init__(refusal.value)


@dataclass(frozen=True)
class RefusedRecord:
    kind: RecordKind
    record: str  # the ballot's id, the register entry's fingerprint (first 12), "" when unreadable
    refusal: RecordRefusal
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, kind: RecordKind, record: str, refusal: RecordRefusal, **values: object) -> RefusedRecord:
        return cls(kind, record, refusal, tuple(sorted((k, str(v)[:_LONGEST]) for k, v in values.items())))

    def label(self) -> str:
        """The record as people read it: "bulletin <id>", "émargement <fingerprint…>"."""
        return f"{KIND_WORDS[self.kind]} {self.record}".rstrip()

    def words(self) -> str:
        """Why, in French (the table above)."""
        return words(self.refusal, dict(self.values))

    def as_dict(self) -> dict[str, Any]:
        said = {"kind": self.kind.value, "record": self.record, "refusal": self.refusal.value}
        return {**said, **dict(self.values), "message": self.words()}


def words(refusal: RecordRefusal, values: Mapping[str, object]) -> str:
    return TABLE[refusal].format_map({k: str(v) for k, v in values.items()})
