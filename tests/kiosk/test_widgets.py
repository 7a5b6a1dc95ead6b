"""Labels never cut a number from its digits or its unit (issue 12: "300 000 €" was wrapped as
"300 / 000 €" on the 9.7" tablet at the largest size, from a description with ordinary spaces)."""

from __future__ import annotations

from kiosk.ui.widgets import Label, keep_together


def test_spaces_inside_numbers_and_before_units_do_not_break():
    said = "Choisissez jusqu'à 5 projets pour votre commune. 300 000 € à partager."
    assert keep_together(said) == "Choisissez jusqu'à 5 projets pour votre commune. 300\xa0000\xa0€ à partager."
    assert keep_together("1 234 567 € et 12 %") == "1\xa0234\xa0567\xa0€ et 12\xa0%"
    assert keep_together("touchez « Annuler ».") == "touchez «\xa0Annuler\xa0»."
    # a count before a word, groups of four digits (a recovery code) and dates stay as they are
    for text in ("5 projets", "Question 3 sur 3", "4821 0937 5521", "du 2 mai 2026", "2 / 5 choisis"):
        assert keep_together(text) == text


def test_labels_glue_amounts_whatever_sets_their_text(qtbot):
    label = Label("Choisissez jusqu'à 5 projets pour votre commune. 300 000 € à partager.")
    qtbot.addWidget(label)
    assert "300\xa0000\xa0€" in label.text()
    label.setText("Budget : 300 000 €")
    assert label.text() == "Budget : 300\xa0000\xa0€"
