"""Scanning batches end to end: statuses, duplicates, photocopies, forgeries, bad files, evidence."""

from __future__ import annotations

import random
import threading

from reportlab.pdfgen.canvas import Canvas

from ballots.ballot import BallotStatus, Channel
from ballots.paper import geometry, ids, issued, scan
from ballots.paper.printing import render_ballot
from bench import paper_corpus
from tests.ballots.paper.helpers import mark, render, write


def _scan(store, paths, **kw):
    kw.setdefault("workers", 1)
    return scan.scan_paths(store, paths, **kw)


def test_marked_ballots_are_stored_as_paper_ballots_under_a_keyed_id(paper_store, printed, tmp_path):
    serials, pages, lay = printed(2)
    f1 = write(mark(pages[0], lay, {"p01": "x", "p04": "tick", "p09": "fill"}), tmp_path / "a.png")
    f2 = write(mark(pages[1], lay, {"p02": "partial"}), tmp_path / "b.jpg", jpeg=80)
    seen = []
    res = _scan(paper_store, [f1, f2], on_progress=lambda d, t, r: seen.append((d, t, r.status)))
    assert [r.status for r in res] == ["counted", "counted"] and seen == [(1, 2, "counted"), (2, 2, "counted")]
    b = paper_store.ballot(ids.for_store(paper_store, serials[0]))
    assert b.channel is Channel.PAPER and b.selection == {"projets": ("p01", "p04", "p09")}
    # Issue 17 item 3: the serial printed in clear is not how the ballot is stored or sent.
    assert paper_store.ballot(serials[0]) is None and b.id.startswith("pap-") and serials[0] not in b.id
    stored = paper_store.conn.execute("SELECT group_concat(id || selection) FROM ballots").fetchone()[0]
    assert not any(s in stored for s in serials)
    assert ids.serial_of(paper_store, b.id) == serials[0]
    assert res[0].to_json() == {
        "source": str(f1),
        "page": 1,
        "serial": serials[0],
        "status": "counted",
        "reasons": [],
        "marks": {f"p{i:02d}": ("marked" if i in (1, 4, 9) else "blank") for i in range(1, 21)},
    }
    assert paper_store.counts().by_channel.get("paper") == 2
    assert res[0].image.exists() and res[0].crops.exists()


def test_rescanning_changes_nothing_and_a_second_scan_of_the_same_sheet_is_a_duplicate(paper_store, printed, tmp_path):
    serials, pages, lay = printed(1)
    img = mark(pages[0], lay, {"p03": "x"})
    f = write(img, tmp_path / "a.png")
    _scan(paper_store, [f])
    before = (paper_store.counts(), list(paper_store.ballots()))
    again = _scan(paper_store, [f])
    assert again[0].status == "duplicate" and again[0].reasons == ("already_scanned",)
    rescan = paper_corpus.degrade(img, paper_corpus.Degrade(angle=180.5), random.Random(2), [])
    other = _scan(paper_store, [write(rescan, tmp_path / "b.png")])
    assert other[0].status == "duplicate" and other[0].reasons == ("same_serial_same_marks",)
    assert (paper_store.counts(), list(paper_store.ballots())) == before


def test_photocopy_with_other_marks_sends_both_copies_to_review(paper_store, printed, tmp_path):
    serials, pages, lay = printed(1)
    a = write(mark(pages[0], lay, {"p03": "x"}), tmp_path / "a.png")
    b = write(mark(pages[0], lay, {"p05": "x"}), tmp_path / "b.png")
    res = _scan(paper_store, [a, b])
    assert [r.status for r in res] == ["review", "review"]
    assert all("conflicting_copies" in r.reasons for r in res)
    ballot = paper_store.ballot(ids.for_store(paper_store, serials[0]))
    assert ballot.status is BallotStatus.REVIEW and "conflicting_copies" in ballot.reasons
    assert paper_store.counts().ballots == 0


def _one_ballot_pdf(path, election, secret, serial, test=False):
    c = Canvas(str(path), pagesize=geometry.PAGE_SIZES["A4"])
    render_ballot(c, election, geometry.layout(election, "A"), secret, serial, test=test)
    c.save()
    return render(path)[0]


def test_forged_unissued_wrong_election_and_test_ballots_are_rejected(paper_store, tmp_path, votation_election):
    e = paper_store.election()
    files = [
        write(_one_ballot_pdf(tmp_path / "f.pdf", e, b"\x01" * 32, "AAAAAAAA"), tmp_path / "forged.png"),
        write(
            _one_ballot_pdf(tmp_path / "u.pdf", e, paper_store.election_secret(), "BBBBBBBB"), tmp_path / "unissued.png"
        ),
        write(
            _one_ballot_pdf(tmp_path / "w.pdf", votation_election, paper_store.election_secret(), "CCCCCCCC"),
            tmp_path / "other.png",
        ),
    ]
    from ballots.paper.printing import print_ballots

    print_ballots(paper_store, 1, tmp_path / "t.pdf", test=True)
    files.append(write(render(tmp_path / "t.pdf")[0], tmp_path / "test.png"))
    res = _scan(paper_store, files)
    assert [(r.status, r.reasons) for r in res] == [
        ("rejected", ("bad_mac",)),
        ("rejected", ("unissued_serial",)),
        ("rejected", ("wrong_election",)),
        ("rejected", ("test_ballot_in_official_mode",)),
    ]
    assert paper_store.counts().ballots == 0 and list(paper_store.ballots(include_test=True)) == []


def test_bad_files_get_a_reason_and_the_batch_goes_on(paper_store, printed, tmp_path):
    _, pages, lay = printed(1)
    good = write(mark(pages[0], lay, {"p01": "x"}), tmp_path / "z-good.png")
    (tmp_path / "a.txt").write_text("hello")
    (tmp_path / "b.png").write_bytes(b"")
    jpg = paper_corpus.encode(pages[0], 80)
    (tmp_path / "c.jpg").write_bytes(jpg[: len(jpg) // 3])
    import numpy as np

    write(np.full((800, 600), 252, np.uint8), tmp_path / "d-blank.png")
    res = _scan(
        paper_store, [tmp_path / "a.txt", tmp_path / "b.png", tmp_path / "c.jpg", tmp_path / "d-blank.png", good]
    )
    assert [(r.status, r.reasons) for r in res] == [
        ("rejected", ("not_an_image",)),
        ("rejected", ("empty_file",)),
        ("rejected", ("truncated_file",)),
        ("rejected", ("blank_page",)),
        ("counted", ()),
    ]


def test_ambiguous_marks_and_rule_breaks(paper_store, printed, tmp_path):
    import cv2

    serials, pages, lay = printed(2)
    img = mark(pages[0], lay, {"p01": "x"})
    x, y, w, h = (int(v * 150 / 72) for v in next(b for b in lay.boxes if b.key == "p02").rect)
    cv2.rectangle(img, (x - w // 2, y - h // 3), (x + w + w // 3, y + h + h // 3), 25, -1)  # scribbled out
    amb = write(img, tmp_path / "a.png")
    over = write(mark(pages[1], lay, {f"p{i:02d}": "x" for i in range(1, 8)}), tmp_path / "b.png")
    res = _scan(paper_store, [amb, over])
    assert res[0].marks["p02"] == "ambiguous" and res[0].marks["p01"] == "marked"
    assert res[0].status == "review" and res[0].reasons == ("projets:ambiguous_mark",)
    assert paper_store.ballot(ids.for_store(paper_store, serials[0])).status is BallotStatus.REVIEW
    assert res[1].status == "counted" and res[1].reasons == ("projets:overvote",)  # counted, question invalid


def test_multi_sheet_ballot_waits_for_its_other_sheet(paper_store, printed, tmp_path):
    serials, pages, lay = printed(1, large_print=True)
    s1 = write(mark(pages[0], lay, {"p02": "x"}, sheet=1), tmp_path / "s1.png")
    s2 = write(mark(pages[1], lay, {"p20": "x"}, sheet=2), tmp_path / "s2.png")
    first = _scan(paper_store, [s1])
    assert first[0].status == "review" and first[0].reasons == ("missing_sheet_2",)
    second = _scan(paper_store, [s2])
    assert second[0].status == "counted"
    ballot = paper_store.ballot(ids.for_store(paper_store, serials[0]))
    assert ballot.status is BallotStatus.COUNTED and ballot.selection == {"projets": ("p02", "p20")}
    ev = issued.sheet_evidence(paper_store, serials[0])
    assert [e.sheet for e in ev] == [1, 2] and all(e.image.exists() and e.crops.exists() for e in ev)
    assert all(s.status == "counted" for s in issued.sheets_of(paper_store, serials[0]))
    key, rect = ev[1].boxes[-1][1], ev[1].boxes[-1][2]
    assert key == "p20" and rect[2] > 30


def test_process_pool_progress_and_cancel(paper_store, printed, tmp_path):
    serials, pages, lay = printed(3)
    (tmp_path / "in").mkdir()
    files = [write(mark(p, lay, {"p01": "x"}), tmp_path / "in" / f"{i}.png") for i, p in enumerate(pages)]
    stop = threading.Event()

    def progress(done, total, res):
        if done == 1:
            stop.set()

    res = scan.scan_paths(paper_store, files, workers=2, on_progress=progress, cancel=stop)
    assert len(res) == 1 and res[0].status == "counted"
    res = scan.scan_paths(paper_store, [tmp_path / "in"], workers=2)
    assert sorted(r.status for r in res) == ["counted", "counted", "duplicate"]


def test_multi_page_pdf_scan(paper_store, tmp_path):
    from ballots.paper.printing import print_ballots

    serials = print_ballots(paper_store, 2, tmp_path / "scan.pdf")
    res = _scan(paper_store, [tmp_path / "scan.pdf"])
    assert [(r.page, r.serial, r.status) for r in res] == [(1, serials[0], "counted"), (2, serials[1], "counted")]
    assert paper_store.ballot(ids.for_store(paper_store, serials[0])).selection == {"projets": ()}


def test_test_mode_reads_only_test_ballots_and_never_counts_them(paper_store, tmp_path):
    from ballots.paper.printing import print_ballots

    print_ballots(paper_store, 1, tmp_path / "t.pdf", test=True)
    print_ballots(paper_store, 1, tmp_path / "o.pdf")
    res = _scan(paper_store, [tmp_path / "t.pdf", tmp_path / "o.pdf"], test_mode=True)
    assert [r.status for r in res] == ["counted", "rejected"] and res[1].reasons == ("official_ballot_in_test_mode",)
    assert paper_store.counts().ballots == 0 and len(list(paper_store.ballots(include_test=True))) == 1


def test_letter_ballots_read_with_their_own_geometry(paper_store, printed, tmp_path):
    serials, pages, lay = printed(1, page_size="letter")
    assert lay.page_size == (612.0, 792.0)
    f = write(
        paper_corpus.degrade(
            mark(pages[0], lay, {"p07": "x", "p19": "tick"}), paper_corpus.Degrade(angle=179), random.Random(1), []
        ),
        tmp_path / "letter.png",
    )
    res = _scan(paper_store, [f])
    assert res[0].status == "counted"
    assert paper_store.ballot(ids.for_store(paper_store, serials[0])).selection == {"projets": ("p07", "p19")}


def _one_bit_copy(img, threshold=150):
    """What a copier in 1-bit ("text") mode keeps: black where darker than its threshold, else white."""
    import numpy as np

    return ((img >= threshold) * 255).astype(np.uint8)


def test_a_one_bit_copy_on_which_nothing_reads_marked_goes_to_a_person_with_what_to_do(paper_store, printed, tmp_path):
    """Regression (issue 11, item 5): red ballpoint through a 1-bit copier can leave nothing at
    all in the file; such a sheet was counted as a blank ballot. A 1-bit sheet on which no box
    reads marked goes to a person, with a sheet-level reason the staff read (rescan it in grey),
    stored with that copy: `urne scan` and the counting window show the same words. The same
    sheet scanned again in grey does not carry it."""
    from ballots.reasons import Code, of
    from ballots.report.labels import reason_label

    serials, pages, lay = printed(1)
    one_bit = write(_one_bit_copy(pages[0]), tmp_path / "copy.png")
    report = scan.scan_batch(paper_store, [one_bit], workers=1)
    (res,) = report.results
    code = of(Code.ONE_BIT_NOTHING_MARKED, number=1)
    assert res.status == "review" and code in res.reasons, res
    assert set(res.marks.values()) == {"ambiguous"}  # never counted blank
    ballot = paper_store.ballot(ids.for_store(paper_store, serials[0]))
    assert ballot.status is BallotStatus.REVIEW and code in ballot.reasons
    assert "rescannez-la en niveaux de gris" in reason_label(code)
    (stored,) = issued.sheet_evidence(paper_store, serials[0])
    assert code in stored.reasons  # what the review screen shows
    grey = write(mark(pages[0], lay, {"p02": "x"}), tmp_path / "grey.png")
    (again,) = scan.scan_batch(paper_store, [grey], workers=1).results
    assert code not in again.reasons and again.marks["p02"] == "marked"
    rows = {s.source: s.reasons for s in issued.sheets_of(paper_store, serials[0])}
    assert code in rows[str(one_bit)] and code not in rows[str(grey)]


def test_a_one_bit_copy_of_a_marked_ballot_is_counted(paper_store, printed, tmp_path):
    """The same copier keeps black pen whole: a sheet with a box read marked is read as usual."""
    serials, pages, lay = printed(1)
    one_bit = write(_one_bit_copy(mark(pages[0], lay, {"p03": "x", "p07": "tick"})), tmp_path / "copy.png")
    (res,) = scan.scan_batch(paper_store, [one_bit], workers=1).results
    assert res.status == "counted" and res.reasons == ()
    assert [k for k, v in res.marks.items() if v == "marked"] == ["p03", "p07"]


def test_a_batch_with_a_one_bit_page_says_so_once_with_what_to_do(paper_store, printed, tmp_path):
    """A threshold copy can drop a pencil or red-ink mark down to a few pixels merged with the box
    outline, and a sheet on which nothing shows the copier's threshold is decided (m15b, probe
    1205): no sheet shows it, so the batch says it once. The one scan service counts the accepted
    pages read from 1-bit copies and gives a typed notice; a grey-only batch gives none."""
    from ballots.reasons import Code
    from ballots.report.labels import reason_label

    _serials, pages, lay = printed(2)
    one_bit = write(_one_bit_copy(mark(pages[0], lay, {"p03": "x"})), tmp_path / "copy.png")
    grey = write(mark(pages[1], lay, {"p05": "x"}), tmp_path / "grey.png")
    report = scan.scan_batch(paper_store, [one_bit, grey], workers=1)
    assert [r.status for r in report.results] == ["counted", "counted"]
    assert [r.one_bit for r in report.results] == [True, False]
    assert report.notices == (scan.Notice(Code.ONE_BIT_PAGES, 1),)
    (notice,) = report.notices
    assert notice.to_json() == {"notice": "one_bit_pages", "pages": 1}
    fr, en = reason_label(notice.reason), reason_label(notice.reason, "en")
    assert fr.startswith("1 page lue sur une copie noir et blanc (1 bit)") and "rescannez-la en niveaux de gris" in fr
    assert en.startswith("1 page read from a black-and-white (1-bit) copy") and "grey or colour" in en
    many = reason_label(scan.Notice(Code.ONE_BIT_PAGES, 3).reason)
    assert many.startswith("3 pages lues sur des copies noir et blanc (1 bit)") and "rescannez-les" in many


def test_a_grey_only_batch_has_no_notice(paper_store, printed, tmp_path):
    from ballots.reasons import Code

    _serials, pages, lay = printed(2)
    grey = write(mark(pages[0], lay, {"p05": "x"}), tmp_path / "grey.png")
    report = scan.scan_batch(paper_store, [grey], workers=1)
    assert [(r.status, r.one_bit) for r in report.results] == [("counted", False)] and report.notices == ()
    # A 1-bit page that is not accepted (the same image again: a duplicate) is no page of the count.
    one_bit = write(_one_bit_copy(mark(pages[1], lay, {"p05": "x"})), tmp_path / "copy.png")
    assert scan.scan_batch(paper_store, [one_bit], workers=1).notices == (scan.Notice(Code.ONE_BIT_PAGES, 1),)
    (again,) = scan.scan_batch(paper_store, [one_bit], workers=1).results
    assert again.status == "duplicate" and again.one_bit
    assert scan.notices([again]) == ()


def test_the_end_of_batch_refresh_changes_only_status_and_reasons(monkeypatch):
    # A sheet whose status a later sheet of the batch changed (a second copy, a conflict) keeps
    # everything else it was read with: the 1-bit notice, its evidence folder, its marks.
    stored = issued.StoredSheet("h1", "S1", 1, "a.png", 1, "conflict", ("conflicting_copies",) * 2, {}, "/ev")
    monkeypatch.setattr(issued, "stored_sheet", lambda store, image_hash: stored if image_hash == "h1" else None)
    first = scan.SheetResult(
        "a.png", 1, "S1", "counted", (), {"p01": "marked"}, 1, image_hash="h1", evidence="/ev", one_bit=True
    )
    other = scan.SheetResult("b.png", 1, "S2", "counted", image_hash="h2")
    got = scan._refresh(None, [first, other], {"S1", "S2"})
    assert got[1] == other
    assert got[0] == scan.SheetResult(
        "a.png",
        1,
        "S1",
        "conflict",
        ("conflicting_copies",),
        {"p01": "marked"},
        1,
        image_hash="h1",
        evidence="/ev",
        one_bit=True,
    )
