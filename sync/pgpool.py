"""The PostgreSQL hub's connections: pooled connections whose trouble (database down,
restarting, pool exhausted) becomes HubStorageUnavailable, the retry and refusal signals of a
batch, and the URL without its password for messages (sync/pghub.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import errors as pgerrors
from psycopg_pool import PoolTimeout

from sync.errors import HubStorageUnavailable
from sync.hubstore import IngestResult

if TYPE_CHECKING:
    from sync.pghub import PgHubStorage


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://…"
    return f"postgresql://{info.get('user', '')}@{info.get('host', '')}:{info.get('port', '5432')}/{info.get('dbname', '')}"


class Retry(Exception):
    pass


class Refusal(Exception):
    def __init__(self, result: IngestResult) -> None:
        self.result = result


class Guard:
    """A pooled connection; connection trouble becomes HubStorageUnavailable."""

    def __init__(self, storage: PgHubStorage) -> None:
        self.storage = storage
        self.cm: Any = None

    def __enter__(self) -> psycopg.Connection[Any]:
        try:
            self.cm = self.storage.pool.connection()
            return self.cm.__enter__()  # type: ignore[no-any-return]
        except (PoolTimeout, psycopg.OperationalError) as exc:
            raise HubStorageUnavailable(
                self.storage.where, str(exc).splitlines()[0] if str(exc) else "timeout"
            ) from exc

    def __exit__(self, et: Any, ev: Any, tb: Any) -> None:
        try:
            self.cm.__exit__(et, ev, tb)
        except psycopg.OperationalError as exc:
            raise HubStorageUnavailable(self.storage.where, str(exc).splitlines()[0]) from exc
        if isinstance(ev, psycopg.OperationalError) and not isinstance(ev, pgerrors.TransactionRollback):
            raise HubStorageUnavailable(self.storage.where, str(ev).splitlines()[0] if str(ev) else "lost") from ev


def scalar(conn: psycopg.Connection[Any], sql: str, params: list[Any]) -> Any:
    row = conn.execute(sql, params).fetchone()  # type: ignore[arg-type]
    return row[0] if row else None
