"""Printing: real PDFs, rendered back, whose QR reads and whose text says the rule in French."""

from __future__ import annotations

import pypdfium2 as pdfium

from ballots.paper import issued, qrcode_payload, reading
from tests.ballots.paper.helpers import render


def _text(pdf, page=0) -> str:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return doc[page].get_textpage().get_text_range()
    finally:
        doc.close()


def test_print_issues_unique_serials_and_one_page_per_sheet(paper_store, tmp_path):
    from ballots.paper.printing import print_ballots

    pdf = tmp_path / "b.pdf"
    serials = print_ballots(paper_store, 3, pdf)
    assert len(set(serials)) == 3
    assert all(issued.issued(paper_store, s) is not None for s in serials)
    pages = render(pdf, 100)
    assert len(pages) == 3
    text = _text(pdf)
    assert "Cochez entre 1 et 5 projets." in text and "Abris à vélos sécurisés à la gare" in text
    assert "28\u00a0000\u00a0€" in text or "28 000 €" in text


def test_qr_of_each_rendered_sheet_reads_and_authenticates(paper_store, tmp_path):
    from ballots.paper.printing import print_ballots

    pdf = tmp_path / "b.pdf"
    serials = print_ballots(paper_store, 2, pdf)
    e = paper_store.election()
    for serial, page in zip(serials, render(pdf, 150), strict=True):
        loc = reading.locate(page)
        p = qrcode_payload.decode(loc.qr_text, paper_store.election_secret(), e.fingerprint)
        assert p.serial == serial and p.sheet == 1 and not p.test and p.variant == "A"


def test_letter_and_large_print(paper_store, tmp_path):
    from ballots.paper.printing import print_ballots

    print_ballots(paper_store, 1, tmp_path / "l.pdf", "letter")
    doc = pdfium.PdfDocument(str(tmp_path / "l.pdf"))
    assert doc[0].get_size() == (612.0, 792.0)
    doc.close()
    print_ballots(paper_store, 2, tmp_path / "big.pdf", large_print=True)
    pages = render(tmp_path / "big.pdf", 72)
    assert len(pages) == 4  # two sheets per ballot, joined by the serial
    assert "feuille 2/2" in _text(tmp_path / "big.pdf", 1)


def test_test_ballots_say_so(paper_store, tmp_path):
    from ballots.paper.printing import print_ballots

    print_ballots(paper_store, 1, tmp_path / "t.pdf", test=True)
    assert "BULLETIN DE TEST" in _text(tmp_path / "t.pdf")
    assert "demandez un autre bulletin" not in _text(tmp_path / "t.pdf")


def test_counted_ballots_tell_the_voter_not_to_cross_out(paper_store, tmp_path):
    """A fill crossed out in the same ink can read as the vote (README, Known limits): the
    ballot asks a voter who made a mistake for another ballot instead, where the test warning
    goes on a test ballot."""
    from ballots.paper.printing import print_ballots

    print_ballots(paper_store, 1, tmp_path / "b.pdf")
    text = " ".join(_text(tmp_path / "b.pdf").split())  # the no-break space comes back as a space
    assert "En cas d'erreur, ne raturez pas : demandez un autre bulletin." in text
    assert "BULLETIN DE TEST" not in text
