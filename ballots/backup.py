"""Backup to a file (a USB stick) and restore, each verified before it replaces anything.

Contract:
- `backup()` leaves a complete, integrity-checked copy at `dest` or raises BackupError and
  leaves `dest` as it was. A folder as `dest` gets a timestamped file name; an existing file is
  never overwritten; a destination inside the live data folder is refused (it is not a copy,
  and `VACUUM INTO` the live file destroys it).
- `restore()` checks EVERYTHING before it touches the live data: the file is an Urne store
  (integrity, tables), its schema is one this program knows, its audit chain holds, and it
  holds the same election as the live data (unless `force`). Then the live data is kept as
  `urne.sqlite.before-restore-<UTC time>` (never overwritten), the file is swapped in by
  rename, the restore is audited with the head it replaced, and the audit anchor moves to it.
  The bundle counter never goes backwards, so the hub does not take the next bundles for
  replays.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ballots import audit, durable
from ballots.errors import AuditChainBroken, BackupError
from ballots.keys import Head
from ballots.schema import MIGRATIONS
from ballots.sqlite_file import connect
from ballots.store import DB_NAME, Store

BUNDLE_SEQ = "sync:bundle_seq"
KEPT_PREFIX = DB_NAME + ".before-restore-"


@dataclass(frozen=True)
class Restored:
    ballots: int
    election: str | None
    kept: Path | None  # where the data that was there before is kept


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _unused(path: Path) -> Path:
    """`path`, or `path` with -2, -3... so that nothing kept is ever overwritten."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        stem, dot, ext = path.name.partition(".sqlite")
        candidate = path.with_name(f"{stem}{dot}{ext}-{n}" if not dot or ext else f"{stem}-{n}{dot}")
    return candidate


@dataclass(frozen=True)
class FileInfo:
    ballots: int
    election: str | None
    head: Head


def check_file(path: Path) -> int:
    """Integrity-check an Urne data file; returns its number of ballots."""
    return inspect(path).ballots


def inspect(path: Path) -> FileInfo:
    """Everything a restore must know before it replaces anything (BackupError otherwise)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(str(path), f"ne s'ouvre pas (« {exc} »)") from exc
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(str(path), f"le contrôle d'intégrité échoue : « {result} »")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"ballots", "elections", "audit", "meta", "_sqlite_migrations"} <= tables:
            raise BackupError(str(path), "c'est un fichier SQLite mais pas un fichier de données d'Urne")
        known = {m.name for m in MIGRATIONS._migrations}  # noqa: SLF001 - the set this program has
        applied = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'ballots'")}
        if applied - known:
            raise BackupError(
                str(path), f"écrit par une version plus récente d'Urne (schéma {sorted(applied - known)})"
            )
        try:
            count, head = audit.verify(conn)  # type: ignore[arg-type]
        except AuditChainBroken as exc:
            raise BackupError(str(path), f"son journal d'audit ne se vérifie pas ({exc})") from exc
        row = conn.execute("SELECT value FROM meta WHERE key = 'current_election'").fetchone()
        ballots = int(conn.execute("SELECT count(*) FROM ballots").fetchone()[0])
        return FileInfo(ballots, row[0] if row else None, Head(count, head))
    except sqlite3.DatabaseError as exc:
        raise BackupError(str(path), f"ce n'est pas un fichier de données d'Urne (« {exc} »)") from exc
    finally:
        conn.close()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def backup(store: Store, dest: str | os.PathLike[str], *, actor: str = "cli") -> int:
    """Copy the store to `dest` with VACUUM INTO; returns the number of ballots in the copy."""
    return backup_to(store, dest, actor=actor)[1]


def backup_to(store: Store, dest: str | os.PathLike[str], *, actor: str = "cli") -> tuple[Path, int]:
    """The file written (a folder gets a timestamped name) and its number of ballots."""
    target = Path(dest)
    if _inside(target, store.data_dir):
        raise BackupError(
            str(target),
            "est dans le dossier de données en service : une sauvegarde va sur un autre disque (une clé USB), jamais là",
        )
    if target.is_dir():
        target = _unused(target / f"urne-backup-{_stamp()}.sqlite")
    elif target.exists():
        raise BackupError(
            str(target), "existe déjà ; une sauvegarde n'écrase jamais une copie gardée (donnez un autre nom)"
        )
    try:
        with durable.replacing(target) as tmp:
            store.log(actor, "backup", {"to": target.name})
            # A connection of its own: VACUUM refuses to run on one where another statement is
            # in progress (the kiosk's screen reads the store while this runs off its thread).
            # The store's lock still keeps this program's writes out while the copy is made.
            with store._lock:
                copier = connect(store.path, readonly=True)
                try:
                    copier.execute("VACUUM INTO ?", [str(tmp)])
                finally:
                    copier.close()
            count = check_file(tmp)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(str(target), f"écriture impossible (« {exc} »)") from exc
    return target, count


def _live_seq(live: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{live}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", [BUNDLE_SEQ]).fetchone()
            return int(row[0]) if row else 0
        finally:
            conn.close()
    except (sqlite3.Error, ValueError):
        return None


def restore(
    source: str | os.PathLike[str], data_dir: str | os.PathLike[str], *, actor: str = "cli", force: bool = False
) -> int:
    return restore_from(source, data_dir, actor=actor, force=force).ballots


def restore_from(
    source: str | os.PathLike[str], data_dir: str | os.PathLike[str], *, actor: str = "cli", force: bool = False
) -> Restored:
    """Replace the data dir's file by a verified backup. The store must not be open elsewhere."""
    src = Path(source)
    if not src.is_file():
        raise BackupError(str(src), "fichier introuvable")
    directory = Path(data_dir)
    live = directory / DB_NAME
    if src.resolve() == live.resolve():
        raise BackupError(str(src), "c'est le fichier de données en service lui-même")
    info = inspect(src)
    live_info: FileInfo | None = None
    if live.exists():
        try:
            live_info = inspect(live)
        except BackupError:
            live_info = None  # damaged live data: still kept below, byte for byte
        if live_info and live_info.election and info.election != live_info.election and not force:
            raise BackupError(
                str(src),
                f"contient l'élection « {info.election} », ce dossier de données contient « {live_info.election} » "
                "(--force pour la remplacer quand même ; les données actuelles sont gardées)",
            )
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / (DB_NAME + ".restore")
    shutil.copyfile(src, tmp)
    durable.fsync_file(tmp)
    inspect(tmp)
    kept: Path | None = None
    previous_seq = _live_seq(live) if live.exists() else None
    if live.exists():
        # Keep what was there, under a name nothing overwrites: a restore must never lose a vote.
        kept = _unused(directory / f"{KEPT_PREFIX}{_stamp()}")
        for suffix in ("-wal", "-journal"):  # a hot journal or WAL belongs with its file
            side = Path(str(live) + suffix)
            if side.exists():
                with durable.replacing(Path(str(kept) + suffix)) as part:
                    shutil.copyfile(side, part)
        with durable.replacing(kept) as part:  # whole or absent, even if killed meanwhile
            shutil.copyfile(live, part)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    os.replace(tmp, live)
    durable.fsync_dir(directory)
    with Store(directory) as restored:
        anchored = restored.keys.audit_head()
        with restored.transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", [BUNDLE_SEQ]).fetchone()
            seq = int(row[0]) if row else 0
            # Bundles exported after the backup had higher numbers: never go back below them.
            floor = previous_seq if previous_seq is not None else int(time.time())
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [BUNDLE_SEQ, str(max(seq, floor))])
            audit.append(
                db,
                actor,
                "restore",
                {
                    "from": src.name,
                    "ballots": info.ballots,
                    "kept": kept.name if kept else None,
                    "replaced_head": {"seq": anchored.seq, "hash": anchored.hash} if anchored else None,
                },
            )
        # The anchor now follows the restored log (the jump is in the log itself, above).
        head = restored.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        restored.keys.set_audit_head(Head(int(head[0]), str(head[1])))
    return Restored(info.ballots, info.election, kept)
