"""Named errors that carry their data; the UI and the CLI turn them into user words."""

from __future__ import annotations

from dataclasses import dataclass, field

from ballots.file_problems import FileProblem, words
from ballots.paper import page_problems
from ballots.paper.page_problems import PageProblem


class UrneError(Exception):
    """Base of every error Urne expects and explains to a person."""

    def __str__(self) -> str:  # the data classes below format themselves
        return self.message()

    def message(self) -> str:
        return self.args[0] if self.args else type(self).__name__


def _file_where(path: str, key: str, line: int | None) -> str:
    where = f"{path}, ligne {line}" if line else path
    return where if key == "-" else f"{where} : clé « {key} »"


@dataclass
class FileProblemError(UrneError):
    """A problem in a file people write (an election file, a `config.toml`): `code` is looked up
    in `ballots.file_problems` (French words), `key` names the key ("-" for the whole file),
    `values` fill the sentence."""

    path: str
    key: str
    code: FileProblem
    line: int | None = None
    values: dict[str, object] = field(default_factory=dict)

    @property
    def problem(self) -> str:
        return words(self.code, self.values)

    def message(self) -> str:
        return f"{_file_where(self.path, self.key, self.line)} : {self.problem}"


@dataclass
class ElectionFileError(FileProblemError):
    """A problem in an election file."""


@dataclass
class ConfigError(FileProblemError):
    """A problem in `config.toml`, by the same table as election files."""


@dataclass
class SelectionRefused(UrneError):
    """A choice cannot be added to the selection in progress (the kiosk shows `reason`)."""

    question: str
    choice: str
    reason: str  # one of rules.REFUSAL_* codes

    def message(self) -> str:
        return f"question « {self.question} » : le choix « {self.choice} » est refusé (« {self.reason} »)"


@dataclass
class InvalidBallot(UrneError):
    """A ballot that does not satisfy its election's rules and may not be cast as counted."""

    reasons: tuple[str, ...]

    def message(self) -> str:
        from ballots.report.labels import reason_label  # the one FR table of reason codes

        return "bulletin non valable : " + " ; ".join(reason_label(r) for r in self.reasons)


@dataclass
class NoElection(UrneError):
    data_dir: str

    def message(self) -> str:
        return f"aucune élection dans {self.data_dir} : lancez d'abord 'urne init --election FICHIER'"


@dataclass
class PollsNotOpen(UrneError):
    state: str

    def message(self) -> str:
        words = {"not_opened": "pas encore ouvert", "paused": "suspendu", "closed": "clos"}
        return f"le scrutin est {words.get(self.state, self.state)} : aucun bulletin ne peut être déposé"


@dataclass
class AlreadyRegistered(UrneError):
    """The voter's fingerprint is already in the register (this device or merged from another)."""

    election: str
    origin: str

    def message(self) -> str:
        return f"cette personne est déjà sur la liste d'émargement de « {self.election} » (origine : {self.origin})"


@dataclass
class RegisterError(UrneError):
    problem: str

    def message(self) -> str:
        return self.problem


@dataclass
class AuditChainBroken(UrneError):
    seq: int
    problem: str

    def message(self) -> str:
        return f"journal d'audit, entrée {self.seq} : {self.problem}"


@dataclass
class BackupError(UrneError):
    path: str
    problem: str

    def message(self) -> str:
        return f"sauvegarde {self.path} : {self.problem}"


@dataclass
class PabulibError(UrneError):
    path: str
    line: int
    problem: str

    def message(self) -> str:
        return f"{self.path}, ligne {self.line} : {self.problem}"


@dataclass
class SheetRefused(UrneError):
    """A scanned page cannot become a counted ballot as it is: its file, its page or its QR code.

    `reason` is a `ballots.reasons.Code` value (shown to people through the labels); `problem`
    says what was seen (a `PageProblem` code, with the `values` its sentence needs) and `detail`
    is its French words (`ballots.paper.page_problems`). Each paper module raises its own meaning
    of it: FileRefused, PageRefused, CodeRefused (below); whoever only needs "this page is not a
    ballot" catches this.
    """

    reason: str
    problem: PageProblem | None = None
    values: dict[str, object] = field(default_factory=dict)

    @property
    def detail(self) -> str:
        return "" if self.problem is None else page_problems.words(self.problem, self.values)

    def message(self) -> str:
        return f"{self.detail} [{self.reason}]" if self.detail else f"[{self.reason}]"  # the code for a script


class FileRefused(SheetRefused):
    """The file gives no page image: empty, not an image, truncated, encrypted, too large or
    unreadable (raised by `ballots.paper.sources`)."""


class PageRefused(SheetRefused):
    """A page image that cannot be read as a ballot: blank, no alignment marks, a corner cut
    off, an unreadable code (raised by `ballots.paper.reading`)."""


class CodeRefused(SheetRefused):
    """A ballot code that is not one of this election's: not ours, another election, a bad
    authenticity code (raised by `ballots.paper.qrcode_payload`)."""


@dataclass
class BadKey(UrneError):
    what: str
    problem: str

    def message(self) -> str:
        return f"{self.what} : {self.problem}"


@dataclass
class KeyMissing(UrneError):
    """The election's secret is not in this device's key folder (it is never in the data folder)."""

    election: str
    path: str

    def message(self) -> str:
        return (
            f"la clé de l'élection « {self.election} » n'est pas sur cet appareil ({self.path}) ; "
            "installez-la avec 'urne init --key FICHIER'"
        )


@dataclass
class DefinitionChanged(UrneError):
    """Re-installing an election whose ballots exist with another definition or key."""

    election: str
    what: str  # "definition", "key" or "definition+key"
    ballots: int

    def message(self) -> str:
        words = {"definition": "sa définition", "key": "sa clé"}
        parts = self.what.split("+")
        what = " et ".join(words.get(w, f"« {w} »") for w in parts)
        verb = "ne peuvent" if len(parts) > 1 else "ne peut"
        ballots = f"{self.ballots} bulletin" + ("s" if self.ballots > 1 else "")
        return (
            f"l'élection « {self.election} » a déjà {ballots} : {what} {verb} plus changer "
            "(--force pour le faire quand même ; le changement est écrit au journal d'audit)"
        )


@dataclass
class StoreBusy(UrneError):
    path: str

    def message(self) -> str:
        return (
            f"{self.path} : un autre programme d'Urne écrit dans ce dossier de données ; "
            "attendez qu'il ait fini et recommencez (rien n'a été modifié)"
        )


@dataclass
class StoreReadOnly(UrneError):
    path: str

    def message(self) -> str:
        return (
            f"{self.path} : le dossier de données est en lecture seule (une copie protégée en écriture ?) ; "
            "les commandes qui lisent (status, tally, report, audit) fonctionnent, rien ne peut être modifié ici"
        )


@dataclass
class DiskFull(UrneError):
    path: str

    def message(self) -> str:
        return f"{self.path} : le disque est plein ; libérez de la place et recommencez (rien n'a été modifié)"


@dataclass
class StoreDamaged(UrneError):
    path: str
    detail: str

    def message(self) -> str:
        return (
            f"{self.path} : le fichier de données est abîmé ou n'est pas un fichier d'Urne (« {self.detail} ») ; "
            "ne restaurez rien pour l'instant : gardez ce dossier et appelez la personne responsable"
        )


@dataclass
class IntegrityFailed(UrneError):
    """What the store holds does not match what was anchored (audit head, ballot digest, definition)."""

    what: str
    problem: str

    def message(self) -> str:
        what = {"ballots": "bulletins", "election": "élection", "audit": "journal d'audit"}.get(self.what, self.what)
        return f"contrôle d'intégrité en échec ({what}) : {self.problem}"


@dataclass
class NotAdmitted(UrneError):
    """The register mode asks for the voter's identity or attestation, and none was given."""

    mode: str

    def message(self) -> str:
        return (
            f"la personne n'a pas été admise (émargement en mode « {self.mode} ») : aucun bulletin ne peut être déposé"
        )
