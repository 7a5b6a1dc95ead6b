"""Test decks: pre-marked test ballots read back to exactly the expected tally, never counted."""

from __future__ import annotations

import json
from collections import Counter

from ballots.paper import ids, scan, testdeck


def test_testdeck_png_reads_back_to_the_expected_tally(paper_store, tmp_path):
    exp = testdeck.make_testdeck(paper_store, 4, tmp_path / "deck", png=True, seed=7)
    saved = json.loads((tmp_path / "deck" / "expected.json").read_text())
    assert saved["tally"] == exp["tally"] and saved["test"] is True
    pngs = sorted((tmp_path / "deck").glob("testdeck-*.png"))
    assert len(pngs) == 4 and (tmp_path / "deck" / "testdeck.pdf").exists()
    official = scan.scan_paths(paper_store, pngs[:1], workers=1)
    assert official[0].status == "rejected" and official[0].reasons == ("test_ballot_in_official_mode",)
    res = scan.scan_paths(paper_store, pngs, test_mode=True, workers=1)
    assert [r.status for r in res] == ["counted"] * 4
    got: Counter = Counter()
    for b in paper_store.ballots(include_test=True):
        assert b.test
        got.update(b.selection["projets"])
        assert list(b.selection["projets"]) == sorted(
            exp["selections"][ids.serial_of(paper_store, b.id)]["projets"], key=lambda c: int(c[1:])
        )
    assert {c: n for c, n in got.items()} == {c: n for c, n in exp["tally"]["projets"].items() if n}
    assert paper_store.counts().ballots == 0


def test_random_selections_respect_the_rules(budget_election, survey_election):
    import random

    from ballots.rules import check_ballot

    rng = random.Random(1)
    for e in (budget_election, survey_election):
        for _ in range(50):
            assert check_ballot(e, testdeck.random_selection(e, rng)).all_valid
