"""Per-person staff accounts of the hub's dashboard, and the log of who signed in.

Why accounts: a shared password says nothing about who closed the polls or who looked at the
provisional results; a city's staff sign in by name (`urne hub staff add NAME`). A town may
keep the one shared staff password (`urne staff-password`); both can coexist.

Where: in the hub's storage (the hub's SQLite store, or the city's PostgreSQL database), never
in a process's memory. The dashboard reads the account at every sign-in AND at every request of
a session, so `urne hub staff remove`, a new password or a new shared password take effect at
once in every running hub process (a removed person's open session is refused at its next
click), with no restart.

Audited: every sign-in, refused sign-in, sign-out, account change and polls change at the hub
is one entry (who, from which address, what). On SQLite it goes in the store's hash-chained
audit log (`urne audit`); on PostgreSQL in `hub_staff_events` (`urne hub staff log`). Sign-ins
are staff actions, not votes: their time is kept (it orders no ballot).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ballots import audit
from ballots.ballot import today
from ballots.errors import UrneError
from sync import schema

if TYPE_CHECKING:
    import psycopg

    from ballots.store import Store
    from sync.hubstore import HubStorage
    from sync.pghub import PgHubStorage

# A person's name as staff type it: letters (accents too), digits, space, . - _ @ ' ; 1 to 60.
NAME = re.compile(r"^[\w][\w .'@-]{0,59}$")
SHARED = "staff (shared password)"  # the actor of a sign-in with the town's shared password
EVENT_PREFIX = "staff."


@dataclass
class StaffAccountError(UrneError):
    name: str
    problem: str

    def message(self) -> str:
        return f"compte du personnel « {self.name} » : {self.problem}"


@dataclass(frozen=True)
class StaffAccount:
    name: str
    created_day: str


@dataclass(frozen=True)
class StaffEvent:
    at: str
    actor: str
    action: str  # "staff.login", "staff.login_refused", "staff.logout", "staff.add", ...
    detail: dict[str, Any]


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME.match(name):
        raise StaffAccountError(name, "un nom a de 1 à 60 lettres, chiffres, espaces ou . ' @ - _")
    return name


class StaffAccounts(Protocol):
    def password_hash(self, name: str) -> str | None: ...

    def add(self, name: str, password_hash: str, *, actor: str, replace: bool = False) -> None: ...

    def remove(self, name: str, *, actor: str) -> None: ...

    def accounts(self) -> list[StaffAccount]: ...

    def record(self, actor: str, action: str, detail: dict[str, Any]) -> None: ...

    def events(self, limit: int = 50) -> list[StaffEvent]: ...


def accounts_for(storage: HubStorage) -> StaffAccounts:
    """The staff accounts kept by `storage` (the same tables whichever hub process asks)."""
    from sync.hubstore import SqliteHubStorage

    if isinstance(storage, SqliteHubStorage):
        return SqliteStaffAccounts(storage.store)
    return PgStaffAccounts(storage)  # type: ignore[arg-type]


# -- SQLite: the hub's own store ------------------------------------------------------------


class SqliteStaffAccounts:
    def __init__(self, store: Store) -> None:
        self.store = schema.ensure(store)

    def password_hash(self, name: str) -> str | None:
        with self.store.transaction() as db:  # the writer lock: waitress threads share the connection
            row = db.execute("SELECT password FROM sync_staff WHERE name = ?", [name]).fetchone()
        return str(row[0]) if row else None

    def add(self, name: str, password_hash: str, *, actor: str, replace: bool = False) -> None:
        name = check_name(name)
        with self.store.transaction() as db:
            known = db.execute("SELECT 1 FROM sync_staff WHERE name = ?", [name]).fetchone() is not None
            if known and not replace:
                raise StaffAccountError(name, "existe déjà (--reset pour lui donner un nouveau mot de passe)")
            db.execute(
                "INSERT OR REPLACE INTO sync_staff (name, password, created_day) VALUES (?, ?, ?)",
                [name, password_hash, today()],
            )
            audit.append(db, actor, "staff.password" if known else "staff.add", {"name": name})

    def remove(self, name: str, *, actor: str) -> None:
        with self.store.transaction() as db:
            if db.execute("DELETE FROM sync_staff WHERE name = ?", [name]).rowcount == 0:
                raise StaffAccountError(name, "ce compte n'existe pas")
            audit.append(db, actor, "staff.remove", {"name": name})

    def accounts(self) -> list[StaffAccount]:
        with self.store.transaction() as db:
            rows = db.execute("SELECT name, created_day FROM sync_staff ORDER BY name").fetchall()
        return [StaffAccount(r[0], r[1]) for r in rows]

    def record(self, actor: str, action: str, detail: dict[str, Any]) -> None:
        with self.store.transaction() as db:
            audit.append(db, actor, action, detail)

    def events(self, limit: int = 50) -> list[StaffEvent]:
        with self.store.transaction() as db:
            rows = db.execute(
                "SELECT at, actor, action, detail FROM audit WHERE action LIKE 'staff.%' ORDER BY seq DESC LIMIT ?",
                [limit],
            ).fetchall()
        return [StaffEvent(r[0], r[1], r[2], json.loads(r[3])) for r in reversed(rows)]


# -- PostgreSQL: the city's database --------------------------------------------------------

PG_MIGRATIONS: list[tuple[str, list[str]]] = [
    (
        "0101_staff",
        [
            """CREATE TABLE hub_staff (
                name TEXT PRIMARY KEY,
                password TEXT NOT NULL,
                created_day TEXT NOT NULL)""",
            """CREATE TABLE hub_staff_events (
                seq BIGSERIAL PRIMARY KEY,
                at TIMESTAMPTZ NOT NULL DEFAULT now(),
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                detail TEXT NOT NULL)""",
        ],
    ),
]


class PgStaffAccounts:
    """The same on PostgreSQL, through the storage's pool and retries (so a database that is
    down makes the dashboard answer 503, like the device API)."""

    def __init__(self, storage: PgHubStorage) -> None:
        from sync.pgschema import migrate

        self.storage = storage
        storage.run(lambda c: migrate(c, PG_MIGRATIONS))

    def _run(self, work: Any) -> Any:
        return self.storage.run(work)

    def password_hash(self, name: str) -> str | None:
        row = self._run(lambda c: c.execute("SELECT password FROM hub_staff WHERE name = %s", [name]).fetchone())
        return str(row[0]) if row else None

    def add(self, name: str, password_hash: str, *, actor: str, replace: bool = False) -> None:
        name = check_name(name)

        def work(c: psycopg.Connection[Any]) -> None:
            known = c.execute("SELECT 1 FROM hub_staff WHERE name = %s FOR UPDATE", [name]).fetchone() is not None
            if known and not replace:
                raise StaffAccountError(name, "existe déjà (--reset pour lui donner un nouveau mot de passe)")
            c.execute(
                "INSERT INTO hub_staff (name, password, created_day) VALUES (%s, %s, %s) "
                "ON CONFLICT (name) DO UPDATE SET password = EXCLUDED.password",
                [name, password_hash, today()],
            )
            _pg_event(c, actor, "staff.password" if known else "staff.add", {"name": name})

        self._run(work)

    def remove(self, name: str, *, actor: str) -> None:
        def work(c: psycopg.Connection[Any]) -> None:
            if c.execute("DELETE FROM hub_staff WHERE name = %s", [name]).rowcount == 0:
                raise StaffAccountError(name, "ce compte n'existe pas")
            _pg_event(c, actor, "staff.remove", {"name": name})

        self._run(work)

    def accounts(self) -> list[StaffAccount]:
        rows = self._run(lambda c: c.execute("SELECT name, created_day FROM hub_staff ORDER BY name").fetchall())
        return [StaffAccount(r[0], r[1]) for r in rows]

    def record(self, actor: str, action: str, detail: dict[str, Any]) -> None:
        self._run(lambda c: _pg_event(c, actor, action, detail))

    def events(self, limit: int = 50) -> list[StaffEvent]:
        rows = self._run(
            lambda c: c.execute(
                "SELECT at, actor, action, detail FROM hub_staff_events ORDER BY seq DESC LIMIT %s", [limit]
            ).fetchall()
        )
        return [
            StaffEvent(at.astimezone(dt.UTC).isoformat(timespec="seconds"), actor, action, json.loads(detail))
            for at, actor, action, detail in reversed(rows)
        ]


def _pg_event(c: psycopg.Connection[Any], actor: str, action: str, detail: dict[str, Any]) -> None:
    c.execute(
        "INSERT INTO hub_staff_events (actor, action, detail) VALUES (%s, %s, %s)",
        [actor, action, json.dumps(detail, sort_keys=True, ensure_ascii=False)],
    )
