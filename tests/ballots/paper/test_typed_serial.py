"""Typed-serial adoption and review decisions: domain services (no Qt), every refusal changes nothing."""

from __future__ import annotations

import numpy as np
import pytest

from ballots.ballot import BallotStatus
from ballots.paper import check_code, ids, issued, ledger, review, scan, typed_serial
from tests.ballots.paper.helpers import mark, write


def _state(store) -> tuple:
    sheets = store.db.execute("SELECT count(*) FROM paper_sheets").fetchone()[0]
    return sheets, len(list(store.ballots(include_test=True))), len(ledger.unattributed(store))


def _code(store, serial: str, sheet: int = 1) -> str:
    return check_code.printed(store.election_secret(), store.election().fingerprint, serial, sheet)


@pytest.fixture
def unreadable(paper_store, printed, tmp_path):
    """A printed ballot (p03 marked) whose codes are both covered with ink, scanned and left in the
    ledger. Upside down: with a code at each end, only the boxes can tell up from down."""
    serials, pages, lay = printed(1)
    img = mark(pages[0], lay, {"p03": "x"})
    k = 150 / 72
    for qx, qy, qs, _ in lay.code_rects:
        img[int(qy * k) : int((qy + qs) * k), int(qx * k) : int((qx + qs) * k)] = 0
    img = np.ascontiguousarray(img[::-1, ::-1])
    path = write(img, tmp_path / "unreadable.png")
    report = scan.scan_batch(paper_store, [path], workers=1)
    assert [r.status for r in report.results] == ["rejected"] and report.recorded == 1
    return serials[0], path


def test_adopting_a_typed_serial_puts_the_ballot_in_review_and_clears_the_ledger(paper_store, unreadable):
    serial, path = unreadable
    ballot = typed_serial.adopt(
        paper_store, str(path), 1, f"{serial[:4].lower()} {serial[4:]} {_code(paper_store, serial)}", actor="Mme Martin"
    )
    assert ballot is not None and ballot.status is BallotStatus.REVIEW and ballot.selection["projets"] == ("p03",)
    assert ledger.unattributed(paper_store) == []


def test_all_eight_refusals_change_nothing(paper_store, unreadable, tmp_path):
    serial, path = unreadable
    test_serial = issued.issue(paper_store, 1, sheets=1, variant="A", test=True)[0]
    [other] = issued.issue(paper_store, 1, sheets=1, variant="A")
    with paper_store.transaction() as db:  # a serial issued for another election on this device
        db.execute("UPDATE paper_issued SET election = 'autre' WHERE serial = ?", [other])
    blank = write(np.full((1200, 900), 255, np.uint8), tmp_path / "blank.png")
    before = _state(paper_store)
    cases = [
        ("bad_format", str(path), f"{serial[:5]}", 1),
        ("not_issued", str(path), f"AAAAAAAA {_code(paper_store, 'AAAAAAAA')}", 1),
        ("other_election", str(path), f"{other} {_code(paper_store, other)}", 1),
        ("test_serial", str(path), f"{test_serial} {_code(paper_store, test_serial)}", 1),
        ("bad_code", str(path), f"{serial} {'A' * check_code.LENGTH}", 1),
        ("bad_sheet", str(path), f"{serial} {_code(paper_store, serial, 2)}", 2),
        ("not_a_ballot", str(blank), f"{serial} {_code(paper_store, serial)}", 1),
    ]
    for reason, source, typed, sheet in cases:
        with pytest.raises(typed_serial.TypedSerialRefused) as err:
            typed_serial.adopt(paper_store, source, 1, typed, sheet=sheet, actor="x")
        assert err.value.reason == reason, (reason, err.value)
        assert str(err.value)  # words for the staff
        assert _state(paper_store) == before, reason
    # The eighth: the sheet was already read (adopting it again would count a copy).
    typed_serial.adopt(paper_store, str(path), 1, f"{serial} {_code(paper_store, serial)}", actor="x")
    after = _state(paper_store)
    with pytest.raises(typed_serial.TypedSerialRefused) as err:
        typed_serial.adopt(paper_store, str(path), 1, f"{serial} {_code(paper_store, serial)}", actor="x")
    assert err.value.reason == "already_scanned" and _state(paper_store) == after


def test_review_service_validates_rejects_reopens_and_never_counts_doubt(paper_store, unreadable):
    serial, path = unreadable
    typed_serial.adopt(paper_store, str(path), 1, f"{serial} {_code(paper_store, serial)}", actor="x")
    marks = {f"p{i:02d}": "blank" for i in range(1, 21)}
    with pytest.raises(review.ReviewRefused) as err:
        review.validate(paper_store, serial, {**marks, "p07": "ambiguous"}, decided=0, actor="Mme Martin")
    assert (
        err.value.reason == review.UNDECIDED
        and paper_store.ballot(ids.for_store(paper_store, serial)).status is BallotStatus.REVIEW
    )
    b = review.validate(paper_store, serial, {**marks, "p03": "marked"}, decided=1, actor="Mme Martin")
    assert b.status is BallotStatus.COUNTED and b.selection["projets"] == ("p03",)
    with pytest.raises(review.ReviewRefused):
        review.reject(paper_store, serial, actor="Mme Martin")  # decided already: reopen first
    assert review.reopen(paper_store, serial, actor="M. Durand").status is BallotStatus.REVIEW
    assert review.reject(paper_store, serial, actor="M. Durand").status is BallotStatus.VOID  # declared nul
    with pytest.raises(review.ReviewRefused) as err:
        review.validate(paper_store, "ZZZZZZZZ", marks, decided=0, actor="x")
    assert err.value.reason == review.NOT_FOUND


def test_no_sql_under_the_counting_screens():
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "kiosk" / "ui" / "counting"
    for f in root.glob("*.py"):
        text = f.read_text(encoding="utf-8")
        assert ".execute(" not in text and "SELECT " not in text and "DELETE FROM" not in text, f.name
