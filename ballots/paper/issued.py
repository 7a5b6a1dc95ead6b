"""Paper tables: the serials we printed and every sheet we scanned, with its evidence.

Contract:
- `issue()` reserves fresh unique serials in one transaction (printing happens after: a serial
  may be issued and never printed, never the reverse).
- `record_sheet()` keeps one row per distinct scanned image (keyed by the hash of its pixels),
  so scanning the same image twice adds nothing.
- `sheet_evidence(store, serial)` is what the review screen shows: per scanned sheet, the
  straightened sheet image, the rectangle of every box in that image's pixels, the box crops
  and the reasons.
Nothing here links a serial to a voter: the only dates are days.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ballots.ballot import today
from ballots.paper import geometry
from ballots.paper.qrcode_payload import new_serial
from ballots.store import Store

MIGRATIONS = Migrations("paper")
EVIDENCE_SCALE = 1.5  # pixels per point of the stored straightened sheet (108 dpi)


@MIGRATIONS()
def m001_paper(db: Database) -> None:
    db.execute(
        """CREATE TABLE paper_issued (
            serial TEXT PRIMARY KEY,
            election TEXT NOT NULL,
            sheets INTEGER NOT NULL,
            variant TEXT NOT NULL,
            test INTEGER NOT NULL,
            day TEXT NOT NULL) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE paper_sheets (
            image_hash TEXT PRIMARY KEY,
            election TEXT NOT NULL,
            serial TEXT NOT NULL,
            sheet INTEGER NOT NULL,
            source TEXT NOT NULL,
            page INTEGER NOT NULL,
            status TEXT NOT NULL,
            reasons TEXT NOT NULL,
            marks TEXT NOT NULL,
            evidence TEXT NOT NULL,
            day TEXT NOT NULL) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX paper_sheets_serial ON paper_sheets (serial, sheet)")


@dataclass(frozen=True)
class Issued:
    serial: str
    election: str
    sheets: int
    variant: str
    test: bool


@dataclass(frozen=True)
class StoredSheet:
    image_hash: str
    serial: str
    sheet: int
    source: str
    page: int
    status: str
    reasons: tuple[str, ...]
    marks: dict[str, str]
    evidence: str  # directory with sheet.jpg and boxes.png


@dataclass(frozen=True)
class SheetEvidence:
    """One scanned sheet for the review screen. Rects are (x, y, w, h) in `image` pixels."""

    serial: str
    sheet: int
    source: str
    page: int
    status: str
    reasons: tuple[str, ...]
    marks: dict[str, str]
    image: Path  # straightened sheet, EVIDENCE_SCALE px per point, top-left origin
    crops: Path  # the boxes side by side, in layout order
    boxes: tuple[tuple[str, str, tuple[int, int, int, int]], ...]  # (question, mark key, rect px)


def ensure(store: Store) -> None:
    store.ensure(MIGRATIONS)


def evidence_root(store: Store) -> Path:
    return store.data_dir / "paper" / "evidence"


def issue(store: Store, count: int, *, sheets: int, variant: str, test: bool = False) -> list[str]:
    ensure(store)
    election = store.election()
    serials: list[str] = []
    with store.transaction() as db:
        while len(serials) < count:
            s = new_serial()
            if s in serials or db.execute("SELECT 1 FROM paper_issued WHERE serial = ?", [s]).fetchone():
                continue
            serials.append(s)
            db.execute(
                "INSERT INTO paper_issued (serial, election, sheets, variant, test, day) VALUES (?, ?, ?, ?, ?, ?)",
                [s, election.id, sheets, variant, int(test), today()],
            )
    store.log("paper", "paper.issue", {"count": count, "variant": variant, "test": test})
    return serials


def issued(store: Store, serial: str) -> Issued | None:
    ensure(store)
    row = store.conn.execute(
        "SELECT serial, election, sheets, variant, test FROM paper_issued WHERE serial = ?", [serial]
    ).fetchone()
    return Issued(row[0], row[1], row[2], row[3], bool(row[4])) if row else None


def _row(row: tuple) -> StoredSheet:
    return StoredSheet(
        row[0], row[1], row[2], row[3], row[4], row[5], tuple(json.loads(row[6])), json.loads(row[7]), row[8]
    )


_COLS = "image_hash, serial, sheet, source, page, status, reasons, marks, evidence"


def stored_sheet(store: Store, image_hash: str) -> StoredSheet | None:
    ensure(store)
    row = store.conn.execute(f"SELECT {_COLS} FROM paper_sheets WHERE image_hash = ?", [image_hash]).fetchone()
    return _row(row) if row else None


def sheets_of(store: Store, serial: str) -> list[StoredSheet]:
    ensure(store)
    rows = store.conn.execute(f"SELECT {_COLS} FROM paper_sheets WHERE serial = ? ORDER BY sheet, image_hash", [serial])
    return [_row(r) for r in rows]


def record_sheet(db: Database, election: str, s: StoredSheet) -> None:
    """Insert inside the caller's transaction (the ballot is written in the same one)."""
    db.execute(
        "INSERT OR IGNORE INTO paper_sheets (image_hash, election, serial, sheet, source, page, status, reasons, marks, "
        "evidence, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            s.image_hash,
            election,
            s.serial,
            s.sheet,
            s.source,
            s.page,
            s.status,
            json.dumps(list(s.reasons)),
            json.dumps(s.marks, sort_keys=True),
            s.evidence,
            today(),
        ],
    )


def set_sheet_status(db: Database, image_hash: str, status: str, reasons: tuple[str, ...]) -> None:
    db.execute(
        "UPDATE paper_sheets SET status = ?, reasons = ? WHERE image_hash = ?",
        [status, json.dumps(list(reasons)), image_hash],
    )


def sheet_evidence(store: Store, serial: str) -> list[SheetEvidence]:
    """Everything a person needs to decide on `serial`: one entry per scanned copy of each sheet."""
    out: list[SheetEvidence] = []
    info = issued(store, serial)
    election = store.election()
    for s in sheets_of(store, serial):
        lay = geometry.layout(election, info.variant if info else "A")
        k = EVIDENCE_SCALE
        rects = tuple(
            (
                b.question,
                b.key,
                (round(b.rect[0] * k), round(b.rect[1] * k), round(b.rect[2] * k), round(b.rect[3] * k)),
            )
            for b in lay.sheet_boxes(s.sheet)
        )
        d = Path(s.evidence)
        out.append(
            SheetEvidence(
                serial, s.sheet, s.source, s.page, s.status, s.reasons, s.marks, d / "sheet.jpg", d / "boxes.png", rects
            )
        )
    return out
