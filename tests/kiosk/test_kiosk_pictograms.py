"""Pictograms per category (shipped SVGs or the town's own), "en bref" lines, and the election
file keys behind them; presentation never changes the election's fingerprint."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from ballots import election_file
from ballots.election import from_dict, to_dict
from ballots.errors import ElectionFileError
from kiosk.speech import script
from kiosk.ui.choosing import PICTOGRAMS, pictogram_path, pictogram_pixmap
from tests.conftest import SAMPLE_BUDGET
from tests.kiosk.kiosk_support import BUDGET_ELECTION, clock_fixture, kiosk_fixture, tap  # noqa: F401


def test_election_file_pictograms_and_summary_round_trip_without_changing_the_fingerprint():
    e = election_file.load(SAMPLE_BUDGET)
    p01 = e.questions[0].choice("p01")
    assert e.pictogram(p01) == "velo" and p01.summary.get("en") == "Park your bike at the station safely."
    assert from_dict(to_dict(e)) == e
    plain = election_file.parse(BUDGET_ELECTION)
    dressed = election_file.parse(
        BUDGET_ELECTION.replace("cost = 60\n", 'cost = 60\npictogram = "sport"\nsummary.fr = "Un terrain."\n', 1)
        + '\n[pictograms]\n"" = "arbre"\n'
    )
    assert dressed.questions[0].choice("a").pictogram == "sport"
    assert dressed.fingerprint == plain.fingerprint  # paper already printed stays valid
    with pytest.raises(ElectionFileError, match="pictograms"):
        election_file.parse(BUDGET_ELECTION + "\n[pictograms]\nNature = 3\n")


@pytest.mark.parametrize("svg", sorted(p.stem for p in PICTOGRAMS.glob("*.svg")))
def test_every_shipped_pictogram_draws_in_the_text_colour(qapp, svg):
    path = pictogram_path(svg, lambda _name: None)
    for colour in ("#1a1a1a", "#ffffff"):
        pix = pictogram_pixmap(path, 48, colour)
        image = pix.toImage()
        inked = [
            image.pixelColor(x, y)
            for x in range(0, 48, 2)
            for y in range(0, 48, 2)
            if image.pixelColor(x, y).alpha() > 200
        ]
        assert len(inked) > 40, svg  # a real drawing, not an empty square
        want = QColor(colour)
        # every opaque pixel is the text colour (give or take rounding on anti-aliased edges)
        assert all(
            max(abs(c.red() - want.red()), abs(c.green() - want.green()), abs(c.blue() - want.blue())) <= 8
            for c in inked
        ), svg


def test_cards_show_the_category_pictogram_and_the_en_bref_line(qtbot, kiosk):
    w, _ = kiosk()
    tap(qtbot, w.welcome.vote)
    for t in w.register_step.ticks:
        tap(qtbot, t)
    tap(qtbot, w.register_step.next_button)
    card = w.choosing.cards["p01"]
    icon = card.findChild(type(card.title), "pictogram_p01")
    assert icon is not None and not icon.pixmap().isNull() and icon.accessibleName() == "Mobilité"
    summary = card.findChild(type(card.title), "summary_p01")
    assert summary.text() == "Garer son vélo à la gare sans risque de vol." and summary.isVisible()
    assert card.findChild(type(card.title), "summary_p03") is None
    q = w.election.questions[0]
    assert "En bref : Garer son vélo" in script.choice(q, q.choice("p01"), (), "fr")
