"""The procès-verbal's annex: the script a volunteer reads to a voter who cannot see the screen."""

from __future__ import annotations

import re

import pypdfium2 as pdfium

from ballots import results
from ballots.report import pdf as report_pdf
from ballots.report import volunteer


def pdf_pages(path):
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [re.sub(r"\s+", " ", page.get_textpage().get_text_range()) for page in pdf]
    finally:
        pdf.close()


def test_the_annex_is_on_its_own_page_with_keys_questions_and_the_text_to_read(survey_election, tmp_path):
    r = results.compute(survey_election, [])
    pages = pdf_pages(report_pdf.write_pdf(r, tmp_path / "pv.pdf"))
    starts = [i for i, p in enumerate(pages) if "Annexe — Aider une personne qui ne voit pas l'écran" in p]
    assert len(starts) == 1 and starts[0] >= 1  # after the PV itself, on a page of its own
    assert "Clôture" not in pages[starts[0]]
    text = " ".join(pages[starts[0] :])
    assert "À lire à la personne" in text and "Vous allez voter seul, avec le casque." in text
    assert "Vote audio : marche / arrêt : F2 — pavé numérique : *" in text
    for i, q in enumerate(survey_election.questions):
        assert f"Question {i + 1} : {q.title.get('fr')}" in text
    assert "(un classement par ordre de préférence)" in text and "(une seule réponse)" in text


def test_keys_in_the_script_are_the_kiosks_keys():
    from PySide6.QtCore import Qt

    from kiosk.ui.keys import KEYPAD, KEYS, Action

    pad = {
        text: action
        for text, action in (
            ("2", Action.DOWN),
            ("8", Action.UP),
            ("5", Action.SELECT),
            ("0", Action.BACK),
            ("/", Action.HELP),
            ("*", Action.AUDIO),
        )
    }
    named = {
        "2": Qt.Key.Key_2,
        "8": Qt.Key.Key_8,
        "5": Qt.Key.Key_5,
        "0": Qt.Key.Key_0,
        "/": Qt.Key.Key_Slash,
        "*": Qt.Key.Key_Asterisk,
    }
    for text, action in pad.items():
        assert KEYPAD[named[text]] is action
    assert (
        KEYS[Qt.Key.Key_F2] is Action.AUDIO
        and KEYS[Qt.Key.Key_F3] is Action.SCREEN
        and KEYS[Qt.Key.Key_F1] is Action.HELP
    )
    listed = {row[2] for row in volunteer.KEYS}
    assert {"2", "8", "5", "0", "/", "*"} <= listed
