"""Sync errors: each names what went wrong with the data needed to explain it to a person."""

from __future__ import annotations

from dataclasses import dataclass, field

from ballots.errors import UrneError
from sync import bundle_refusals
from sync.bundle_refusals import Refusal


@dataclass
class BundleRefused(UrneError):
    """A USB bundle that is not imported. `refusal` says why (French words in
    sync.bundle_refusals); `reason` is its stable code, one of the REASON_* of sync.bundle."""

    path: str
    refusal: Refusal
    values: dict[str, object] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return bundle_refusals.reason(self.refusal)

    @property
    def detail(self) -> str:
        return bundle_refusals.words(self.refusal, self.values)

    def message(self) -> str:
        return f"{self.path} : lot refusé : {self.detail}"


@dataclass
class DeviceError(UrneError):
    device: str
    problem: str

    def message(self) -> str:
        return f"appareil « {self.device} » : {self.problem}"


@dataclass
class HubUnreachable(UrneError):
    url: str
    problem: str

    def message(self) -> str:
        return f"le hub {self.url} ne répond pas : {self.problem} (tout reste en attente et sera renvoyé)"


@dataclass
class HubRefused(UrneError):
    """The hub answered but said no (bad token, other election, key reused): retrying won't help."""

    url: str
    status: int
    problem: str

    def message(self) -> str:
        return f"le hub {self.url} a refusé l'envoi (HTTP {self.status}) : {self.problem}"


@dataclass
class PurpozError(UrneError):
    operation: str
    problem: str

    def message(self) -> str:
        return f"Purpoz, {self.operation} : {self.problem}"


@dataclass
class ExportError(UrneError):
    target: str
    problem: str

    def message(self) -> str:
        return f"export {self.target} : {self.problem}"


@dataclass
class ConflictError(UrneError):
    ballot_id: str
    problem: str

    def message(self) -> str:
        return f"bulletin {self.ballot_id} : {self.problem}"


@dataclass
class HubStorageUnavailable(UrneError):
    """The hub's database cannot be reached (PostgreSQL down, restarting, pool exhausted).
    The hub answers 503 with Retry-After; stations keep their backlog and resend."""

    database: str
    problem: str

    def message(self) -> str:
        return f"base de données du hub {self.database} indisponible : {self.problem}"


@dataclass
class MigrationError(UrneError):
    """A hub schema migration failed; its transaction was rolled back, the database is as it was."""

    migration: str
    problem: str

    def message(self) -> str:
        return f"la migration {self.migration} de la base du hub a échoué et a été annulée : {self.problem}"
