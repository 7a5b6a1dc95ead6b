"""A whole count in the counting window: scan a folder, review, rejected sheets, tally and report.

Real printed ballots rendered at 150 dpi, a real store, real widgets (offscreen). The folder holds
clear ballots, one ambiguous mark, a photocopy with one more cross, the same file twice, a blank
page and a file that is not an image (`tools.counting_screenshots.make_count_folder`).
"""

from __future__ import annotations

import re
import shutil

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt

from ballots import audit, results
from ballots.ballot import BallotStatus
from ballots.paper import check_code, ids, scan
from ballots.report import pdf as report_pdf
from ballots.store import Polls
from kiosk.config import Config
from kiosk.ui.counting.window import build_counting_window
from tools.counting_screenshots import make_count_folder

TIMEOUT = 60000


@pytest.fixture
def closed_store(store):
    store.set_polls(Polls.CLOSED, actor="test")
    return store


@pytest.fixture
def deck(closed_store, tmp_path):
    return make_count_folder(closed_store, tmp_path / "scans", count=6)


@pytest.fixture
def window(qtbot, closed_store):
    win = build_counting_window(Config(), closed_store, actor="Mme Martin")
    qtbot.addWidget(win)
    win.scan.workers = 1  # in-process reading: the tests stay light on two cores
    yield win
    win.scan.shutdown()


def _pdf_text(path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return re.sub(r"\s+", " ", " ".join(p.get_textpage().get_text_range() for p in pdf))
    finally:
        pdf.close()


def _paper_votes(store) -> dict[str, int]:
    r = results.from_store(store)
    return {c.choice: c.by_channel["paper"] for c in r.question("projets").choices}


def _expected(selections) -> dict[str, int]:
    out: dict[str, int] = {}
    for sel in selections:
        for c in sel["projets"]:
            out[c] = out.get(c, 0) + 1
    return out


def test_whole_count_scan_review_rejected_report(qtbot, window, closed_store, deck, tmp_path):
    store, station, review = closed_store, window.scan, window.review
    assert station.add_paths([deck.folder]) == 11
    with qtbot.waitSignal(station.batch_finished, timeout=TIMEOUT):
        station.start()
    assert station.counts() == {"read": 11, "counted": 4, "review": 3, "rejected": 3, "duplicate": 1}
    assert station.state == "idle" and station.log.rowCount() == 11

    # The damaged QR: staff type the serial printed beside it; a wrong one is refused.
    rejected = window.rejected
    rejected.reload()
    row = next(i for i, s in enumerate(rejected.sheets) if s.source.endswith("scan-qr-illisible.png"))
    rejected.table.setCurrentCell(row, 0)
    assert rejected.serial_button.isEnabled()
    assert not rejected.type_serial(row, "AAAA BBBB") and "tapez le numéro" in rejected.status.text()
    assert not rejected.type_serial(row, "AAAA BBBB 234-567") and "jamais été émis" in rejected.status.text()
    # The MAC is still checked: the short code printed beside the serial.
    code = check_code.printed(store.election_secret(), store.election().fingerprint, deck.unreadable, 1)
    wrong = "".join(check_code.ALPHABET[(check_code.ALPHABET.index(c) + 1) % 31] if c != "-" else c for c in code)
    assert not rejected.type_serial(row, f"{deck.unreadable} {wrong}") and "code" in rejected.status.text()
    assert store.ballot(ids.for_store(store, deck.unreadable)) is None
    with qtbot.waitSignal(rejected.adopted):
        assert rejected.type_serial(
            row, deck.unreadable[:4].lower() + " " + deck.unreadable[4:] + " code " + code.lower()
        )
    typed = store.ballot(ids.for_store(store, deck.unreadable))
    assert typed.status is BallotStatus.REVIEW and typed.reasons[:2] == ("unreadable_qr", "typed_serial")
    assert set(typed.selection["projets"]) == set(deck.unreadable_selection["projets"])  # read from the page
    assert [e.actor for e in audit.entries(store.db) if e.action == "paper.typed_serial"] == ["Mme Martin"]
    review.reload()
    review.show_ballot(deck.unreadable)
    assert review.pending() == []
    qtbot.keyClick(review, Qt.Key.Key_Return)
    assert store.ballot(ids.for_store(store, deck.unreadable)).status is BallotStatus.COUNTED

    # Review: the ambiguous box first, decided with the keyboard.
    assert review.remaining() == 2
    review.show_ballot(deck.ambiguous)
    assert review.current_key() == deck.ambiguous_choice
    assert not review.validate_button.isEnabled()
    assert "marque ambiguë" in review.reasons.text()
    qtbot.keyClick(review, Qt.Key.Key_M)
    assert review.pending() == [] and review.validate_button.isEnabled()
    with qtbot.waitSignal(review.decided):
        qtbot.keyClick(review, Qt.Key.Key_Return)
    ambiguous = store.ballot(ids.for_store(store, deck.ambiguous))
    assert ambiguous.status is BallotStatus.COUNTED
    assert set(ambiguous.selection["projets"]) == set(deck.selections[deck.ambiguous]["projets"]) | {
        deck.ambiguous_choice
    }

    # The photocopy: two copies shown; the original is the one counted.
    review.show_ballot(deck.photocopy)
    assert review.copy_box.count() == 2 and "photocopie" in review.reasons.text()
    assert review.item.differs == {deck.photocopy_extra}  # the one box the copies disagree on
    original = next(i for i in range(2) if review.copy_box.itemText(i).split(": ")[1].startswith("scan-002.png"))
    assert review.current_key() == deck.photocopy_extra  # the first box shown is where the copies disagree
    qtbot.keyClick(review, Qt.Key.Key_Return)  # no copy chosen yet: Entrée alone counts nothing
    assert store.ballot(ids.for_store(store, deck.photocopy)).status is BallotStatus.REVIEW
    assert "choisissez d'abord la copie" in review.verdict.text()
    qtbot.keyClick(review, Qt.Key(Qt.Key.Key_1 + original))  # the person picks the original
    assert deck.photocopy_extra not in scan.selection_from_marks(store.election(), review.item.marks)[0]["projets"]
    qtbot.keyClick(review, Qt.Key.Key_Return)
    copy = store.ballot(ids.for_store(store, deck.photocopy))
    assert copy.status is BallotStatus.COUNTED
    assert set(copy.selection["projets"]) == set(deck.selections[deck.photocopy]["projets"])
    assert review.remaining() == 0 and review.heading.text() == "Aucun bulletin à examiner"

    # Every decision is audited with who; revisiting the ambiguous one changes the count.
    people = [e for e in audit.entries(store.db) if e.actor == "Mme Martin"]
    assert [e.action for e in people] == ["paper.typed_serial", "ballot.counted", "ballot.counted", "ballot.counted"]
    assert review.history.count() == 3
    review.reopen(deck.ambiguous)
    assert store.ballot(ids.for_store(store, deck.ambiguous)).status is BallotStatus.REVIEW and review.remaining() == 1
    assert review.current_key() == deck.ambiguous_choice  # shown again, as read
    qtbot.keyClick(review, Qt.Key.Key_B)
    qtbot.keyClick(review, Qt.Key.Key_Return)
    assert deck.ambiguous_choice not in store.ballot(ids.for_store(store, deck.ambiguous)).selection["projets"]
    assert [e.action for e in audit.entries(store.db) if e.actor == "Mme Martin"][-2:] == [
        "ballot.review",
        "ballot.counted",
    ]

    # Final tally: exactly what was marked on the six ballots, each counted once.
    marked = [*deck.selections.values(), deck.unreadable_selection]
    expected = dict.fromkeys(store.election().questions[0].choice_ids, 0) | _expected(marked)
    assert _paper_votes(store) == expected
    r = results.from_store(store)
    assert r.final and r.turnout_row("paper").voters == 7 and r.reconciliation.paper_returned == 7
    assert r.reconciliation.paper_issued == 7 and r.reconciliation.paper_not_returned == 0

    # Rejected sheets: listed with reason and image, exported for the commission.
    window.rejected.reload()
    assert [s.source.rsplit("/", 1)[-1] for s in window.rejected.sheets] == ["notes.png", "page-blanche.png"]
    assert window.rejected.table.item(1, 4).text() == "page blanche"
    window.rejected.show_sheet(1)
    assert window.rejected.image.pixmap() is not None and not window.rejected.image.pixmap().isNull()
    with qtbot.waitSignal(window.rejected.exported, timeout=TIMEOUT):
        window.rejected.export(tmp_path / "rejetees.pdf")
    text = _pdf_text(tmp_path / "rejetees.pdf")
    assert "2 feuilles rejetées" in text and "page blanche" in text and "pas une image" in text

    # The procès-verbal carries the decisions, the rejected pages and the winners.
    pv = _pdf_text(report_pdf.write_pdf(r, tmp_path / "pv.pdf"))
    assert deck.ambiguous in pv and "Mme Martin" in pv and "page-blanche.png" in pv
    for w in r.question("projets").winners[:3]:
        assert r.question("projets").choice(w).title[:25] in pv

    # Reading the same folder again changes nothing (already read, and idempotent if forced).
    assert station.add_paths([deck.folder]) == 0
    before = store.counts()
    again = scan.scan_paths(store, [deck.folder], workers=1)
    assert {x.status for x in again if x.source.endswith(("scan-004.png", "scan-005.png"))} == {"duplicate"}
    assert store.counts() == before and _paper_votes(store) == expected


def test_pause_and_resume_read_every_sheet_once(qtbot, window, closed_store, deck):
    station = window.scan
    station.add_paths([deck.folder])

    def stop_after_three(worker):
        # In the worker's thread, right after the third sheet is stored: deterministic.
        worker.progress.connect(
            lambda done, _t, _r: done >= 3 and station.request_pause(), Qt.ConnectionType.DirectConnection
        )

    station.batch_started.connect(stop_after_three)
    with qtbot.waitSignal(station.batch_finished, timeout=TIMEOUT):
        station.start()
    assert station.state == "paused" and station.pause_button.text() == "Reprendre"
    assert station.counts()["read"] == 3 and len(station.queue) == 8
    station.batch_started.disconnect(stop_after_three)
    with qtbot.waitSignal(station.batch_finished, timeout=TIMEOUT):
        station.pause()  # "Reprendre"
    assert station.state == "idle" and not station.queue
    assert station.counts() == {"read": 11, "counted": 4, "review": 3, "rejected": 3, "duplicate": 1}
    assert closed_store.counts().by_status == {"counted": 4, "review": 2}


def test_cancel_keeps_what_was_read_and_empties_the_queue(qtbot, window, closed_store, deck):
    station = window.scan
    station.add_paths([deck.folder])
    station.batch_started.connect(
        lambda w: w.progress.connect(lambda d, _t, _r: d >= 4 and w.cancel.set(), Qt.ConnectionType.DirectConnection)
    )
    with qtbot.waitSignal(station.batch_finished, timeout=TIMEOUT):
        station.start()
    assert station.state == "idle" and station.queue == [] and station.counts()["read"] == 4
    # Four files were read to the end: they are not queued again; the other seven are.
    assert station.add_paths([deck.folder]) == 7


def test_watched_folder_reads_files_once_they_stop_growing(qtbot, window, closed_store, deck, tmp_path):
    station = window.scan
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    station.watch(inbox)
    assert station.timer.isActive() and station.watcher is not None
    data = (deck.folder / "scan-004.png").read_bytes()
    target = inbox / "scan-004.png"
    target.write_bytes(data[: len(data) // 2])  # the scanner is still writing
    assert station.poll_watched() == 0
    target.write_bytes(data)
    assert station.poll_watched() == 0  # grew since the last look
    with qtbot.waitSignal(station.batch_finished, timeout=TIMEOUT):
        assert station.poll_watched() == 1  # unchanged twice: queued and started
    assert station.counts()["counted"] == 1
    shutil.copy(deck.folder / "scan-005.png", inbox / "scan-005.png")
    station.poll_watched()
    with qtbot.waitSignal(station.batch_finished, timeout=TIMEOUT):
        station.poll_watched()
    assert station.poll_watched() == 0 and station.counts()["counted"] == 2
    station.stop_watching()
    assert not station.timer.isActive() and station.watched is None


def test_time_left_from_the_pace_so_far(window):
    import time

    station = window.scan
    assert station.time_left() is None  # nothing running
    station.state, station.batch_done, station.batch_total = "running", 2, 10
    station.queue = ["a.png", "b.png"]
    station.batch_t0 = time.monotonic() - 10.0  # 5 s per sheet so far
    left = station.time_left()
    assert left is not None and 50.0 <= left < 60.0  # 8 + 2 sheets at 5 s
    station._update()
    assert station.eta_label.text().startswith("Temps restant ≈ 5")
    station.state = "idle"


def test_station_test_mode_gives_the_same_verdict_as_the_cli(qtbot, window, closed_store, tmp_path):
    from ballots.paper import testdeck

    station = window.scan
    testdeck.make_testdeck(closed_store, 2, tmp_path / "deck", png=True)
    station.test_mode.setChecked(True)
    assert station.add_paths([tmp_path / "deck"]) >= 1
    with qtbot.waitSignal(station.batch_finished, timeout=TIMEOUT):
        station.start()
    assert station.verdict is not None and station.verdict.ok
    assert [b.why for b in station.verdict.ballots] == [testdeck.MATCH] * 2
    assert station.queue_label.text().startswith("Test de dépouillement : PASS (2/2")
    assert station.counts()["counted"] == 2  # PNG pages or PDF, one copy of each sheet


def test_the_batch_summary_shows_the_services_one_bit_notice(qtbot, window, closed_store, deck, tmp_path):
    """The counting window shows the scan service's notice for pages read from 1-bit copies (the
    same words as `urne scan`), added up over the window's batches; none after a grey batch."""
    import cv2

    from ballots.reasons import Code, Reason
    from ballots.report.labels import reason_label

    station = window.scan
    grey = deck.folder / "scan-005.png"
    with qtbot.waitSignal(station.batch_finished, timeout=TIMEOUT):
        station.add_paths([grey])
        station.start()
    assert station.counts()["counted"] == 1 and station.notices() == [] and station.notice_label.isHidden()
    img = cv2.imread(str(deck.folder / "scan-004.png"), cv2.IMREAD_GRAYSCALE)
    one_bit = tmp_path / "copie-1bit.png"
    cv2.imwrite(str(one_bit), ((img >= 150) * 255).astype("uint8"))  # a copier's 1-bit ("text") mode
    with qtbot.waitSignal(station.batch_finished, timeout=TIMEOUT):
        station.add_paths([one_bit])
        station.start()
    words = reason_label(Reason(Code.ONE_BIT_PAGES, number=1))
    assert station.notices() == [words + "."] and words.startswith("1 page lue sur une copie noir et blanc (1 bit)")
    assert not station.notice_label.isHidden() and station.notice_label.text() == f"Attention : {words}."
