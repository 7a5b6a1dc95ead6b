"""Batch scanning: files and folders in, ballots with channel paper stored, one result per sheet.

Public API (stable, used by the Qt scan station):

    scan_paths(store, paths, *, test_mode=False, on_progress=None, cancel=None, workers=None)
        -> list[SheetResult]

- `paths`: files (PNG, JPEG, TIFF, PDF; multi-page allowed) and folders (walked recursively).
- `on_progress(done, total, sheet_result)` is called in the calling thread after each sheet is
  stored; call `scan_paths` from a worker thread (QThread) and forward to the UI with a signal.
- `cancel`: anything with `is_set()` (threading.Event) or a callable returning bool; checked
  between sheets. Sheets already stored stay stored; the rest are simply not read.
- `workers`: processes for reading images (default: every core; 1 = in this process).
Statuses: counted, review (reasons say why), rejected (not a ballot, unreadable QR, bad MAC,
wrong election, test ballot in official mode, unissued serial, bad file), duplicate (this exact
image was already scanned, or another scan of the same sheet with the same marks).
A serial whose copies disagree (a photocopy) puts every copy and the ballot in review.
Re-scanning the same files changes nothing. The ballot id is the printed serial.

One scan service for every front end: `scan_batch(store, paths, ...)` is what `urne scan` and
the counting window's scan station both call. It reads (`scan_paths`), stores, writes the
rejected pages that have no ballot to the paper ledger the procès-verbal reads, remembers the
files read to their end, and returns a `BatchReport`. Its `notices` say what concerns the batch
as a whole, once, as typed codes (`Notice`, words from `ballots.report.labels.reason_label`):
today, the pages accepted from 1-bit copies (`Code.ONE_BIT_PAGES`), whose copier's threshold can
have erased a pale mark without a trace the reader could see; a count that is authoritative
rescans them in grey or colour. A test-deck folder (it holds
`expected.json`) is read once: its PNG pages and `testdeck.pdf` are the same sheets, so the PDF
is skipped when the PNGs are there.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import multiprocessing
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ballots.ballot import BallotStatus, Channel, new_ballot
from ballots.election import Election, RuleKind
from ballots.errors import FileRefused
from ballots.paper import ids, issued, ledger, sources
from ballots.paper.copies import SHEET_CODES
from ballots.paper.issued import StoredSheet
from ballots.paper.sheet import PageRead, read_page
from ballots.reasons import Code, Reason, ReasonText, of
from ballots.store import Store


class SheetStatus(StrEnum):
    """What became of one scanned page (a ballot's status is `BallotStatus`; a page can also be a
    duplicate image, which is not a ballot status)."""

    COUNTED = "counted"
    REVIEW = "review"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


COUNTED, REVIEW, REJECTED, DUPLICATE = SheetStatus
TEST_BALLOT = Code.TEST_IN_OFFICIAL_MODE
OFFICIAL_IN_TEST = Code.OFFICIAL_IN_TEST_MODE
UNISSUED = Code.UNISSUED_SERIAL
ALREADY_SCANNED = Code.ALREADY_SCANNED
SAME_MARKS = Code.SAME_SERIAL_SAME_MARKS
CONFLICT = Code.CONFLICTING_COPIES


@dataclass(frozen=True)
class SheetResult:
    """What happened to one scanned page. `marks` maps box key -> marked | blank | ambiguous."""

    source: str
    page: int
    serial: str | None
    status: str
    reasons: tuple[str, ...] = ()
    marks: Mapping[str, str] = field(default_factory=dict)
    sheet: int | None = None
    image_hash: str | None = None
    evidence: str | None = None  # folder holding sheet.jpg (straightened) and boxes.png (crops)
    one_bit: bool = False  # read from a 1-bit (black-and-white) copy

    @property
    def image(self) -> Path | None:
        """The straightened sheet (JPEG, issued.EVIDENCE_SCALE px per point) for review screens."""
        return Path(self.evidence) / "sheet.jpg" if self.evidence else None

    @property
    def crops(self) -> Path | None:
        """Every box with its margin, side by side in layout order (PNG)."""
        return Path(self.evidence) / "boxes.png" if self.evidence else None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "page": self.page,
            "serial": self.serial,
            "status": self.status,
            "reasons": list(self.reasons),
            "marks": dict(self.marks),
        }


def _cancelled(cancel: Any) -> bool:
    if cancel is None:
        return False
    return bool(cancel.is_set() if hasattr(cancel, "is_set") else cancel())


def units(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[str, int, tuple[str, str] | None]]:
    """(file, page, error) for every page to read; a file that cannot be opened is one errored unit."""
    out: list[tuple[str, int, tuple[str, str] | None]] = []
    for p in sources.expand(paths):
        try:
            n = sources.page_count(p)
        except FileRefused as exc:
            out.append((str(p), 1, (exc.reason, exc.detail)))
            continue
        out.extend((str(p), i, None) for i in range(1, n + 1))
    return out


@dataclass(frozen=True)
class Notice:
    """Something the batch as a whole must tell staff, once: a code and how many pages it concerns.
    People read `label()`; `--json` carries the code and the count, never the words."""

    code: Code
    pages: int

    @property
    def reason(self) -> Reason:
        return Reason(self.code, number=self.pages)

    def to_json(self) -> dict[str, Any]:
        return {"notice": self.code.value, "pages": self.pages}


ACCEPTED = (COUNTED, REVIEW)  # pages that belong to a ballot of this election (not rejected, not a duplicate)


def notices(results: Iterable[SheetResult]) -> tuple[Notice, ...]:
    """The batch's notices. A 1-bit copy can lose a pencil or red-ink mark down to a few pixels
    merged with the box outline: when nothing else on the sheet shows the copier's threshold, the
    reader decides it, and only a grey or colour scan can show the vote. Said for the batch, since
    no single sheet shows it."""
    one_bit = sum(1 for r in results if r.one_bit and r.status in ACCEPTED)
    return (Notice(Code.ONE_BIT_PAGES, one_bit),) if one_bit else ()


@dataclass(frozen=True)
class BatchReport:
    """What one batch did: every sheet's result, the files read to their end, the ledger rows,
    and what the batch as a whole must tell staff (`notices`)."""

    results: tuple[SheetResult, ...]
    files_done: tuple[str, ...]
    recorded: int  # rejected pages without a ballot written to the paper ledger
    cancelled: bool
    notices: tuple[Notice, ...] = ()

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            out[r.status] = out.get(r.status, 0) + 1
        return out


DECK_EXPECTED = "expected.json"
DECK_PDF = "testdeck.pdf"


def one_copy(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files to read: folders expanded; in a test-deck folder, its PNG pages or its PDF, not both."""
    out: list[Path] = []
    for p in map(Path, paths):
        files = sources.expand([p])
        if p.is_dir() and (p / DECK_EXPECTED).is_file():
            pngs = [f for f in files if f.parent == p and f.name.startswith("testdeck-") and f.suffix == ".png"]
            if pngs:
                files = [f for f in files if not (f.parent == p and f.name == DECK_PDF)]
        out.extend(files)
    return out


def scan_batch(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    test_mode: bool = False,
    on_progress: Callable[[int, int, SheetResult], None] | None = None,
    cancel: Any = None,
    workers: int | None = None,
) -> BatchReport:
    """The one scan service: read, store, ledger, files done (see the module's contract)."""
    files = one_copy(paths)
    todo = units(files)
    results = _scan(store, todo, test_mode=test_mode, on_progress=on_progress, cancel=cancel, workers=workers)
    pages: dict[str, int] = {}
    for src, _page, _err in todo:
        pages[src] = pages.get(src, 0) + 1
    read: dict[str, int] = {}
    for r in results:
        read[r.source] = read.get(r.source, 0) + 1
    done = tuple(str(f) for f in files if read.get(str(f), 0) >= pages.get(str(f), 1))
    recorded = ledger.record(store, results)
    ledger.mark_done(store, done)
    return BatchReport(tuple(results), done, recorded, _cancelled(cancel), notices(results))


def scan_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    test_mode: bool = False,
    on_progress: Callable[[int, int, SheetResult], None] | None = None,
    cancel: Any = None,
    workers: int | None = None,
) -> list[SheetResult]:
    """Read and store only (no ledger): `scan_batch` is what front ends call."""
    return _scan(store, units(paths), test_mode=test_mode, on_progress=on_progress, cancel=cancel, workers=workers)


def _scan(
    store: Store,
    todo: list[tuple[str, int, tuple[str, str] | None]],
    *,
    test_mode: bool,
    on_progress: Callable[[int, int, SheetResult], None] | None,
    cancel: Any,
    workers: int | None,
) -> list[SheetResult]:
    issued.ensure(store)
    election = store.election()
    secret = store.election_secret()
    total = len(todo)
    results: list[SheetResult] = []
    touched: set[str] = set()
    workers = workers or os.cpu_count() or 1
    readable = [(s, p) for s, p, err in todo if err is None]
    reads: Iterable[PageRead]
    pool = None
    if workers > 1 and len(readable) > 2:
        # spawn: safe when called from a thread of a Qt application (no forked locks).
        pool = cf.ProcessPoolExecutor(
            min(workers, len(readable)),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=sources.steady_memory,  # each page reuses the memory the last one freed
        )
        futures = [pool.submit(read_page, s, p, election, secret) for s, p in readable]
        reads = (f.result() for f in futures)
    else:
        sources.steady_memory()
        reads = (read_page(s, p, election, secret) for s, p in readable)
    it = iter(reads)
    try:
        for src, page, err in todo:
            if _cancelled(cancel):
                break
            read = PageRead(src, page, error=err) if err is not None else next(it)
            res = _store_page(store, election, read, test_mode, touched)
            results.append(res)
            if on_progress is not None:
                on_progress(len(results), total, res)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    final = _refresh(store, results, touched)
    counts: dict[str, int] = {}
    for r in final:
        counts[r.status] = counts.get(r.status, 0) + 1
    store.log("scan", "paper.scan", {"sheets": len(final), "of": total, "by_status": counts, "test_mode": test_mode})
    return final


def _store_page(store: Store, election: Election, read: PageRead, test_mode: bool, touched: set[str]) -> SheetResult:
    if read.error is not None:
        reason, _detail = read.error
        serial = read.payload.serial if read.payload else None
        return SheetResult(read.source, read.page, serial, REJECTED, (reason,), image_hash=read.image_hash)
    p = read.payload
    assert p is not None and read.image_hash is not None
    marks = {b.key: b.state for b in read.boxes}
    base = dict(
        source=read.source,
        page=read.page,
        serial=p.serial,
        marks=marks,
        sheet=p.sheet,
        image_hash=read.image_hash,
        one_bit=read.one_bit,
    )
    if p.test and not test_mode:
        return SheetResult(status=REJECTED, reasons=(TEST_BALLOT,), **base)  # type: ignore[arg-type]
    if test_mode and not p.test:
        return SheetResult(status=REJECTED, reasons=(OFFICIAL_IN_TEST,), **base)  # type: ignore[arg-type]
    info = issued.issued(store, p.serial)
    if info is None or info.election != election.id:
        return SheetResult(status=REJECTED, reasons=(UNISSUED,), **base)  # type: ignore[arg-type]
    known = issued.stored_sheet(store, read.image_hash)
    if known is not None:
        return SheetResult(status=DUPLICATE, reasons=(ALREADY_SCANNED,), evidence=known.evidence, **base)  # type: ignore[arg-type]
    evidence = issued.evidence_root(store) / p.serial / f"{p.sheet}-{read.image_hash[:12]}"
    evidence.mkdir(parents=True, exist_ok=True)
    if read.sheet_jpg:
        (evidence / "sheet.jpg").write_bytes(read.sheet_jpg)
    if read.crops_png:
        (evidence / "boxes.png").write_bytes(read.crops_png)
    copies = [s for s in issued.sheets_of(store, p.serial) if s.sheet == p.sheet]
    status = REVIEW
    if any(c.marks == marks for c in copies) and not any(c.marks != marks for c in copies):
        status = DUPLICATE
    row = StoredSheet(
        read.image_hash,
        p.serial,
        p.sheet,
        read.source,
        read.page,
        status,
        (SAME_MARKS,) if status == DUPLICATE else read.reasons,  # the reader's own: kept with this copy
        marks,
        str(evidence),
    )
    with store.transaction() as db:
        issued.record_sheet(db, election.id, row)
        if status != DUPLICATE:
            _update_ballot(store, db, election, p.serial, p.test)
    touched.add(p.serial)
    mine = issued.stored_sheet(store, read.image_hash)
    assert mine is not None
    return SheetResult(status=mine.status, reasons=mine.reasons, evidence=str(evidence), **base)  # type: ignore[arg-type]


def selection_from_marks(
    election: Election, marks: Mapping[str, str]
) -> tuple[dict[str, tuple[str, ...]], list[ReasonText]]:
    """Selection per question from box states, and the reasons a person must look."""
    selection: dict[str, tuple[str, ...]] = {}
    reasons: list[ReasonText] = []
    for q in election.questions:
        if q.rule.kind is RuleKind.RANKED:
            ranked: list[str] = []
            for r in range(1, q.rule.max + 1):
                col = [c.id for c in q.choices if marks.get(f"{c.id}@{r}") == "marked"]
                if len(col) > 1:
                    reasons.append(of(Code.RANK_TWICE, q.id, r))
                elif col:
                    ranked.append(col[0])
            if len(set(ranked)) != len(ranked):
                reasons.append(of(Code.CHOICE_RANKED_TWICE, q.id))
                ranked = list(dict.fromkeys(ranked))
            selection[q.id] = tuple(ranked)
            keys = [f"{c.id}@{r}" for c in q.choices for r in range(1, q.rule.max + 1)]
        else:
            selection[q.id] = tuple(c.id for c in q.choices if marks.get(c.id) == "marked")
            keys = list(q.choice_ids)
        if any(marks.get(k) == "ambiguous" for k in keys):
            reasons.append(of(Code.AMBIGUOUS_MARK, q.id))
    return selection, reasons


def _read_reasons(s: StoredSheet) -> tuple[ReasonText, ...]:
    """What the reader said about this scanned copy itself (a 1-bit copy that lost ink), kept in
    its row: the ballot carries it, and only this copy shows it (a rescan in grey does not)."""
    read = (Reason.from_text(text) for text in s.reasons)
    return tuple(r.text for r in read if r is not None and r.code in SHEET_CODES.values())


def _concerns_sheet(reason: Reason | None, questions: set[str]) -> bool:
    """A ballot's reason shown on one of its sheets: whole-ballot paper reasons, or a question printed on it."""
    if reason is None:
        return False
    return reason.code in (Code.CONFLICTING_COPIES, Code.MISSING_SHEET) or reason.question in questions


def _update_ballot(store: Store, db: Any, election: Election, serial: str, test: bool) -> None:
    """(Re)compute the ballot of `serial` from all its stored sheets, inside the caller's transaction."""
    info = issued.issued(store, serial)
    assert info is not None
    sheets = [s for s in issued.sheets_of(store, serial) if s.status != DUPLICATE]
    reasons: list[ReasonText] = []
    marks: dict[str, str] = {}
    by_sheet: dict[int, list[StoredSheet]] = {}
    for s in sheets:
        by_sheet.setdefault(s.sheet, []).append(s)
    for n in range(1, info.sheets + 1):
        copies = by_sheet.get(n, [])
        if not copies:
            reasons.append(of(Code.MISSING_SHEET, number=n))
        elif len(copies) > 1:
            reasons.append(of(CONFLICT))
        for c in copies:
            marks.update(c.marks)
            reasons.extend(_read_reasons(c))
    selection, mark_reasons = selection_from_marks(election, marks)
    reasons = list(dict.fromkeys(reasons + mark_reasons))
    stored_id = ids.for_store(store, serial)  # keyed: the printed serial is never the stored id
    ballot = new_ballot(election, selection, channel=Channel.PAPER, device=store.device, ballot_id=stored_id, test=test)
    if reasons:
        ballot = dataclasses.replace(ballot, status=BallotStatus.REVIEW, reasons=tuple(reasons) + ballot.reasons)
    for s in sheets:
        qs = _questions_on(election, s)
        mine = tuple(r for r in ballot.reasons if _concerns_sheet(Reason.from_text(r), qs)) + _read_reasons(s)
        issued.set_sheet_status(db, s.image_hash, ballot.status.value, mine)
    old = store.ballot(stored_id)
    if old is None:
        store.cast(ballot, require_open=False)
    elif old.content_key() != ballot.content_key() or old.reasons != ballot.reasons:
        if old.status is BallotStatus.SPOILED:
            return  # a person's decision stands
        store.set_status(
            stored_id, ballot.status, actor="scan", selection=ballot.selection, note=",".join(ballot.reasons)
        )
        store.set_reasons(db, stored_id, ballot.reasons)


def _questions_on(election: Election, s: StoredSheet) -> set[str]:
    keys = set(s.marks)
    return {
        q.id
        for q in election.questions
        if any(c.id in keys or any(k.startswith(c.id + "@") for k in keys) for c in q.choices)
    }


def _refresh(store: Store, results: list[SheetResult], touched: set[str]) -> list[SheetResult]:
    """Statuses as they stand at the end of the batch (a later sheet can complete or conflict)."""
    out = []
    for r in results:
        if r.serial in touched and r.image_hash and r.status != DUPLICATE:
            s = issued.stored_sheet(store, r.image_hash)
            if s is not None:
                # Only the status and its reasons change: every other field (one_bit, evidence, and
                # any added later) is carried over by name, never by position.
                r = dataclasses.replace(r, status=s.status, reasons=tuple(dict.fromkeys(s.reasons)))
        out.append(r)
    return out
