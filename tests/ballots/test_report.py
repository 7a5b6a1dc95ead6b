"""The procès-verbal: golden CSV, and the PDF's text (extracted with pypdfium2) carries the figures."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ballots import numbers, results
from ballots.ballot import BallotStatus, Channel, new_ballot
from ballots.report import csvfile, words
from ballots.report import pdf as report_pdf

GOLDEN = Path(__file__).parent / "golden" / "results-report.csv"


def _fixed_results(e) -> results.Results:
    # A 100 000 € envelope: p05 does not fit after p01, p02, p03, and nothing else would (min cost 10 000).
    q0 = e.questions[0]
    e = dataclasses.replace(
        e,
        questions=(dataclasses.replace(q0, rule=dataclasses.replace(q0.rule, budget=100000)),),
        electors=1500,  # inscrits, as a town's file gives them
    )
    q = q0.id

    def b(chosen, channel=Channel.KIOSK, bid=None, **kw):
        ballot = new_ballot(e, {q: tuple(chosen)}, channel=channel, device="t", ballot_id=bid, day="2026-05-10")
        return dataclasses.replace(ballot, **kw)

    ballots = [
        b(["p01", "p02"], bid="k1"),
        b(["p01", "p05"], bid="k2"),
        b(["p01"], bid="k3"),
        b(["p02", "p03"], Channel.PAPER, "P-0001"),
        b(["p01", "p02", "p03"], Channel.PAPER, "P-0002"),
        # declared nul by the commission: a votant, in the nuls (French practice), not a rejected page
        b(["p04"], Channel.PAPER, "P-0003", status=BallotStatus.VOID, reasons=("projets:overvote",)),
        b(["p05"], Channel.PAPER, "P-0004", reasons=("projets:ambiguous_mark",)),
    ]
    decisions = {
        "P-0003": (results.Decision(7, "2026-05-30T19:12:00+00:00", "Mme Martin", "void", "six cases cochées"),),
        "P-0004": (results.Decision(8, "2026-05-30T19:14:00+00:00", "M. Durand", "counted", "croix nette"),),
    }
    return results.compute(
        e,
        ballots,
        register=3,
        audit_seal=results.AuditSeal(42, "ab" * 32),
        decisions=decisions,
        paper_issued=10,
        generated_at="2026-05-30T20:00:00+00:00",
    )


def _pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()
    return re.sub(r"[ \u00a0\u202f]+", " ", text.replace("\r", ""))


def test_csv_matches_golden(budget_election, tmp_path):
    path = csvfile.write_csv(_fixed_results(budget_election), tmp_path / "pv.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents
    if os.environ.get("URNE_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()


def test_csv_figures(budget_election, tmp_path):
    path = csvfile.write_csv(_fixed_results(budget_election), tmp_path / "pv.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert ["Borne", "3", "5", "0"] in rows and ["Papier", "4", "6", "1"] in rows and ["Total", "7", "11", "1"] in rows
    assert ["Inscrits", "1500"] in rows and ["Votants", "7"] in rows and ["Déclarés nuls", "1"] in rows
    # per question: votants = exprimés + blancs + nuls, the declared nul among the nuls
    assert ["Votants", "7"] in rows and ["Exprimés", "6"] in rows and ["Nuls", "1"] in rows
    assert ["Votants = exprimés + blancs + nuls", "oui"] in rows
    p01 = next(r for r in rows if len(r) > 2 and r[1] == "p01")
    assert p01[:4] == ["1", "p01", "Abris à vélos sécurisés à la gare", "28000"] and p01[4:] == ["3", "1", "4", "oui"]
    assert ["Bulletins papier non rentrés", "6"] in rows
    assert any(r[:3] == ["P-0003", "Papier", "déclaré nul"] and "trop de cases cochées" in r[3] for r in rows)
    # times in the local zone: 19:12 UTC is 21:12 in Paris in May
    assert any("déclaré nul par Mme Martin le 30/05/2026 21:12" in r[4] for r in rows if r and r[0] == "P-0003")
    assert ["42", "ab" * 32, "oui"] in rows


def test_pdf_carries_figures_winners_and_seal(budget_election, tmp_path):
    r = _fixed_results(budget_election)
    text = _pdf_text(report_pdf.write_pdf(r, tmp_path / "pv.pdf"))
    assert "PROCÈS-VERBAL" in text and "Budget participatif 2026" in text
    assert "Commune de Saint-Rémy-sur-Durance".upper() in text
    assert "du 2 mai 2026 au 30 mai 2026" in text
    # Turnout table: voters and votes per channel, and the totals.
    assert re.search(r"Borne\s+3\s+5\s", text) and re.search(r"Papier\s+4\s+6\s", text)
    assert re.search(r"Total\s+7\s+11\s", text)
    assert "Inscrits (personnes appelées à voter) 1 500" in text
    assert "dont bulletins déclarés nuls par la commission 1" in text
    assert "Résultats définitifs : oui" in text and "PROCLAMATION DES RÉSULTATS" in text
    assert re.search(r"Inscrits\s+Votants\s+Blancs\s+Nuls\s+Exprimés\s+1 500\s+7\s+0\s+1\s+6", text)
    assert "votants (7) = exprimés (6) + blancs (0) + nuls (1) : vérifié" in text
    # local time with the zone named, never bare UTC
    flat = " ".join(text.split())
    assert "30 mai 2026 à 21 h 12 (heure de Paris, UTC+2)" in flat and "(UTC)" not in flat
    # Winners, in the order the rule funded them, with the budget used.
    q = r.question("projets")
    winners_block = text.split("Projets retenus")[1]
    positions = [winners_block.index(q.choice(w).title) for w in q.winners]
    assert positions == sorted(positions)
    assert f"Budget utilisé : {numbers.money(q.spent).replace(numbers.NBSP, ' ')}" in text
    # Rejected and reviewed sheets with reasons and who decided.
    assert "P-0003" in text and "trop de cases cochées" in text and "Mme Martin" in text and "déclaré nul" in text
    assert "P-0004" in text and "marque ambiguë" in text and "M. Durand" in text
    # Audit seal, the cross-checks and the commission's signatures.
    assert "ab" * 16 in text and "42 entrées" in text
    assert "Bulletins papier non rentrés 6" in text
    assert "Le président de la commission" in text and "Les assesseurs" in text
    assert "RÉSULTATS PROVISOIRES" not in text


def test_pdf_says_provisional_and_broken_chain(budget_election, tmp_path):
    r = dataclasses.replace(
        _fixed_results(budget_election),
        pending_review=2,
        audit=results.AuditSeal(0, "", "journal d'audit, entrée 3 : contenu modifié après son écriture"),
    )
    text = _pdf_text(report_pdf.write_pdf(r, tmp_path / "pv.pdf"))
    assert "RÉSULTATS PROVISOIRES" in text and "2 bulletins restent à examiner" in text
    assert "NON INTÈGRE" in text and "entrée 3" in text
    assert "Résultats définitifs : non" in text and "PROCLAMATION DES RÉSULTATS" not in text
    assert "Le président de la commission" not in text and "à ne pas signer" in text


def test_provisional_while_the_polls_are_open(budget_election, tmp_path):
    """No ballot in review, but the polls are open: provisional, no proclamation, nothing to sign."""
    from ballots.publication import Publication
    from ballots.store import Polls

    r = _fixed_results(budget_election)
    for polls in (Polls.OPEN, Polls.PAUSED, Polls.NOT_OPENED):
        open_r = dataclasses.replace(r, publication=Publication(polls, True, 0))
        assert not open_r.final
        text = _pdf_text(report_pdf.write_pdf(open_r, tmp_path / "pv.pdf"))
        assert "RÉSULTATS PROVISOIRES" in text and "PROCLAMATION DES RÉSULTATS" not in text
        assert "Résultats définitifs : non" in text and "à ne pas signer" in text
        rows = csvfile.csv_rows(open_r)
        assert ["Résultats définitifs", "non"] in rows
        assert any(row[:1] == ["Provisoires parce que"] and "scrutin" in row[1] for row in rows)
    closed = dataclasses.replace(r, publication=Publication(Polls.CLOSED, False, 0))
    assert closed.final and ["Résultats définitifs", "oui"] in csvfile.csv_rows(closed)


def test_pdf_for_every_sample_election(votation_election, survey_election, tmp_path):
    for e in (votation_election, survey_election):
        ballots = [
            new_ballot(e, {q.id: q.choice_ids[:1] for q in e.questions}, channel=Channel.PAPER, device="t")
            for _ in range(3)
        ]
        r = results.compute(e, ballots)
        text = _pdf_text(report_pdf.write_pdf(r, tmp_path / f"{e.id}.pdf"))
        for q in e.questions:
            assert q.choices[0].title.get("fr")[:20] in text
        assert "Budget utilisé" not in text


def test_write_is_atomic_and_replaces(budget_election, tmp_path):
    target = tmp_path / "pv.pdf"
    target.write_bytes(b"old")
    report_pdf.write_pdf(_fixed_results(budget_election), target)
    assert target.read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize(
    ("iso", "fr"), [("2026-05-01", "1er mai 2026"), ("2026-12-25", "25 décembre 2026"), ("n/a", "n/a")]
)
def test_french_dates(iso, fr):
    assert words.date_fr(iso) == fr


# -- pages without a ballot, finished files, rejected-sheet PDF -----------------------------------


@dataclasses.dataclass(frozen=True)
class _Sheet:
    source: str
    page: int
    serial: str | None
    status: str
    reasons: tuple[str, ...]
    image_hash: str | None = None


def test_unattributed_pages_are_kept_once_and_reported(store, tmp_path):
    from ballots.paper import ledger
    from ballots.report import rejected as report_rejected

    assert ledger.issued_count(store, store.election().id) is None  # nothing printed here
    sheets = [
        _Sheet(str(tmp_path / "notes.png"), 1, None, "rejected", ("not_an_image",)),
        _Sheet(str(tmp_path / "scan.pdf"), 2, None, "rejected", ("unreadable_qr",)),
        _Sheet(str(tmp_path / "ok.png"), 1, "ABCDEFGH", "counted", ()),
    ]
    assert ledger.record(store, sheets) == 2
    assert ledger.record(store, sheets[:1]) == 1  # the same page again: replaced, not added
    pages = ledger.unattributed(store)
    assert [(p.label, p.reasons) for p in pages] == [
        ("notes.png p.1", ("not_an_image",)),
        ("scan.pdf p.2", ("unreadable_qr",)),
    ]
    r = results.from_store(store)
    assert [(i.source, i.status) for i in r.issues] == [("notes.png p.1", "rejected"), ("scan.pdf p.2", "rejected")]
    # The files are gone: the PDF for the commission says so instead of failing.
    text = _pdf_text(report_rejected.write_pdf(store, tmp_path / "rejetees.pdf"))
    assert "2 feuilles rejetées" in text and "QR code illisible" in text and "image indisponible" in text


def test_finished_files_are_remembered_until_they_change(store, tmp_path):
    from ballots.paper import ledger

    f = tmp_path / "scan.png"
    f.write_bytes(b"x" * 10)
    assert not ledger.is_done(store, f)
    ledger.mark_done(store, [f, tmp_path / "missing.png"])
    assert ledger.is_done(store, f)
    f.write_bytes(b"y" * 20)  # rescanned into the same name: read again
    assert not ledger.is_done(store, f)


def _word_boxes(path: Path, word: str) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every occurrence of `word` on the PDF's pages, page by page."""
    pdf = pdfium.PdfDocument(str(path))
    out = []
    try:
        for n, page in enumerate(pdf):
            tp = page.get_textpage()
            searcher = tp.search(word, match_case=True, match_whole_word=True)
            while (found := searcher.get_next()) is not None:
                start, count = found
                boxes = [tp.get_charbox(i) for i in range(start, start + count)]
                out.append((n, min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                            max(b[3] for b in boxes)))  # fmt: skip
    finally:
        pdf.close()
    return out


def test_pdf_column_headers_do_not_overlap(budget_election, tmp_path):
    """Regression: "Plateforme en ligne" ran over "Total" in the results table's header."""
    e = budget_election
    q = e.questions[0].id
    ballots = [
        new_ballot(e, {q: ("p01",)}, channel=ch, device="t", ballot_id=f"b{i}")
        for i, ch in enumerate((Channel.KIOSK, Channel.PAPER, Channel.IMPORT))
    ]
    path = report_pdf.write_pdf(results.compute(e, ballots), tmp_path / "pv.pdf")
    total = _word_boxes(path, "Total")
    pairs = [
        (word, w, t)
        for word in ("Plateforme", "en", "ligne")
        for w in _word_boxes(path, word)
        for t in total
        if w[0] == t[0] and abs(w[2] - t[2]) < 14 and w[1] < t[3]
    ]  # (page, left, bottom, right, top): the same page and header row, starting before "Total" ends
    assert any(word == "ligne" for word, _w, _t in pairs)
    for word, w, t in pairs:
        assert w[3] <= t[1], f"'{word}' ends at {w[3]:.1f} pt, 'Total' starts at {t[1]:.1f} pt"
    # and the words of every heading fit their column: no word is cut ("Ran g")
    text = _pdf_text(path)
    assert "Ran\ng" not in text and "Rang" in text
