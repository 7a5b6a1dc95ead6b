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
    e = dataclasses.replace(e, questions=(dataclasses.replace(q0, rule=dataclasses.replace(q0.rule, budget=100000)),))
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
        b(["p04"], Channel.PAPER, "P-0003", status=BallotStatus.REJECTED, reasons=("projets:overvote",)),
        b(["p05"], Channel.PAPER, "P-0004", reasons=("projets:ambiguous_mark",)),
    ]
    decisions = {
        "P-0003": (results.Decision(7, "2026-05-30T19:12:00+00:00", "Mme Martin", "rejected", "six cases cochées"),),
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
    assert ["Borne", "3", "5"] in rows and ["Papier", "3", "6"] in rows and ["Total", "6", "11"] in rows
    p01 = next(r for r in rows if len(r) > 2 and r[1] == "p01")
    assert p01[:4] == ["1", "p01", "Abris à vélos sécurisés à la gare", "28000"] and p01[4:] == ["3", "1", "4", "oui"]
    assert ["Bulletins papier non rentrés", "6"] in rows
    assert any(r[:3] == ["P-0003", "Papier", "rejeté"] and "trop de cases cochées" in r[3] for r in rows)
    assert ["42", "ab" * 32, "oui"] in rows


def test_pdf_carries_figures_winners_and_seal(budget_election, tmp_path):
    r = _fixed_results(budget_election)
    text = _pdf_text(report_pdf.write_pdf(r, tmp_path / "pv.pdf"))
    assert "PROCÈS-VERBAL" in text and "Budget participatif 2026" in text
    assert "Commune de Saint-Rémy-sur-Durance".upper() in text
    assert "du 2 mai 2026 au 30 mai 2026" in text
    # Turnout table: voters and votes per channel, and the totals.
    assert re.search(r"Borne\s+3\s+5\s", text) and re.search(r"Papier\s+3\s+6\s", text)
    assert re.search(r"Total\s+6\s+11\s", text)
    # Winners, in the order the rule funded them, with the budget used.
    q = r.question("projets")
    winners_block = text.split("Projets retenus")[1]
    positions = [winners_block.index(q.choice(w).title) for w in q.winners]
    assert positions == sorted(positions)
    assert f"Budget utilisé : {numbers.money(q.spent).replace(numbers.NBSP, ' ')}" in text
    # Rejected and reviewed sheets with reasons and who decided.
    assert "P-0003" in text and "trop de cases cochées" in text and "Mme Martin" in text
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
        audit=results.AuditSeal(0, "", "audit log entry 3: content was changed"),
    )
    text = _pdf_text(report_pdf.write_pdf(r, tmp_path / "pv.pdf"))
    assert "RÉSULTATS PROVISOIRES" in text and "2 bulletin(s) restent à examiner" in text
    assert "NON INTÈGRE" in text and "entry 3" in text


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
    assert "2 feuille(s) rejetée(s)" in text and "QR code illisible" in text and "image indisponible" in text


def test_finished_files_are_remembered_until_they_change(store, tmp_path):
    from ballots.paper import ledger

    f = tmp_path / "scan.png"
    f.write_bytes(b"x" * 10)
    assert not ledger.is_done(store, f)
    ledger.mark_done(store, [f, tmp_path / "missing.png"])
    assert ledger.is_done(store, f)
    f.write_bytes(b"y" * 20)  # rescanned into the same name: read again
    assert not ledger.is_done(store, f)
