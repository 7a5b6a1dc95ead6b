"""Geometry: one layout for printing and reading, every box clear of text and of the others."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ballots.election import Choice, Election, Question, Rule, RuleKind, Text
from ballots.paper import geometry


def _election(n: int, rule: Rule | None = None) -> Election:
    choices = tuple(
        Choice(f"c{i}", Text.of(f"Projet {i} avec un titre assez long pour tester la coupe du texte"), cost=1000 * i)
        for i in range(n)
    )
    q = Question("q", Text.of("Question"), rule or Rule(RuleKind.APPROVAL, 0, 5), choices)
    return Election(f"e{n}", Text.of("Élection"), (q,))


def _overlap(a, b) -> bool:
    return not (a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1])


def test_sample_layout_is_one_column_one_sheet_with_french_instruction(budget_election):
    lay = geometry.layout(budget_election, "A")
    assert lay.sheets == 1 and len(lay.boxes) == 20
    assert {b.rect[0] for b in lay.boxes} == {geometry.SIDE}
    assert any(t.text == "Cochez entre 1 et 5 projets." for t in lay.texts)
    assert lay.page_size == pytest.approx((595.28, 841.89), abs=0.01)


def test_instruction_wording_per_rule(budget_election):
    q = budget_election.questions[0]
    assert geometry.instruction(replace(q, rule=Rule(RuleKind.APPROVAL, 0, 5))) == "Cochez au maximum 5 projets."
    assert geometry.instruction(replace(q, rule=Rule(RuleKind.SINGLE))) == "Cochez une seule case."
    budget = geometry.instruction(replace(q, rule=Rule(RuleKind.BUDGET, 0, 0, budget=300000)))
    assert budget.startswith("Cochez les projets") and "300\u00a0000\u00a0€" in budget


@pytest.mark.parametrize("variant", ["A", "B", "L", "M"])
def test_boxes_inside_page_and_never_overlap_each_other_or_text_margin(variant):
    e = _election(60)
    lay = geometry.layout(e, variant)
    w, h = lay.page_size
    bottom = h - geometry.CONTENT_BOTTOM_GAP
    keep_out = [
        (x - geometry.KEEP_OUT, y - geometry.KEEP_OUT, s + 2 * geometry.KEEP_OUT, s + 2 * geometry.KEEP_OUT)
        for x, y, s, _ in lay.code_rects
    ]
    for sheet in range(1, lay.sheets + 1):
        boxes = lay.sheet_boxes(sheet)
        for i, b in enumerate(boxes):
            x, y, bw, bh = b.rect
            assert x >= geometry.SIDE and x + bw <= w - geometry.SIDE and y >= geometry.CONTENT_TOP and y + bh <= bottom
            assert not any(_overlap(b.rect, k) for k in keep_out)  # the codes' corners stay blank
            for other in boxes[i + 1 :]:
                assert not _overlap(b.rect, other.rect)
        # Text starts at least the reading margin to the right of its box.
        for t in (t for t in lay.texts if t.sheet == sheet and t.align == "left"):
            for b in boxes:
                if abs(t.y - (b.rect[1] + b.rect[3] / 2)) < b.rect[3] / 2 and t.x > b.rect[0]:
                    assert t.x >= b.rect[0] + b.rect[2] + lay.box_margin


def test_sixty_short_choices_fit_one_sheet_in_two_columns_and_more_span_sheets():
    def short(n: int) -> Election:
        e = _election(n)
        q = e.questions[0]
        choices = tuple(replace(c, title=Text.of(f"Projet {i}")) for i, c in enumerate(q.choices))
        return replace(e, questions=(replace(q, choices=choices),))

    # Frame 2 gives the bottom-right code its corner: the right column holds two rows fewer.
    lay = geometry.layout(short(58), "A")
    assert lay.sheets == 1 and len({b.rect[0] for b in lay.boxes}) == 2
    assert geometry.layout(short(59), "A").sheets == 2
    assert geometry.layout(short(60), "A", frame=1).sheets == 1  # ballots printed before frame 2
    assert geometry.layout(short(75), "A").sheets == 2


def test_long_names_wrap_onto_more_lines_and_are_never_cut():
    words = ["Projet", "7", "avec", "un", "titre", "assez", "long", "pour", "tester", "la", "coupe", "du", "texte"]
    for variant in ("A", "B"):
        lay = geometry.layout(_election(60), variant)
        i = next(i for i, t in enumerate(lay.texts) if t.text.split()[:2] == ["Projet", "7"])
        lines = [t for t in lay.texts[i:] if t.x == lay.texts[i].x and t.sheet == lay.texts[i].sheet][:3]
        got: list[str] = []
        for t in lines:
            got += t.text.split()
            if len(got) >= len(words):
                break
        assert got == words
        assert not any("…" in t.text for t in lay.texts)
    assert len(lines) >= 2  # large print: the name runs onto a second line


def test_large_print_has_bigger_boxes_and_spans_sheets(budget_election):
    lay = geometry.layout(budget_election, "B")
    assert lay.style.box > geometry.NORMAL.box * 1.5 and lay.style.text >= 16
    assert lay.sheets == 2 and {b.sheet for b in lay.boxes} == {1, 2}


def test_marks_and_qr_are_the_same_in_every_variant_of_a_page_size(budget_election):
    a, b = geometry.layout(budget_election, "A"), geometry.layout(budget_election, "B")
    assert a.marks == b.marks and a.qr_rect == b.qr_rect
    letter = geometry.layout(budget_election, "L")
    assert letter.page_size == (612.0, 792.0) and letter.qr_rect == a.qr_rect and letter.marks != a.marks


def test_ranked_question_gets_one_box_per_rank(survey_election):
    lay = geometry.layout(survey_election, "A")
    ranked = [b for b in lay.boxes if b.question == "priorites"]
    assert {b.rank for b in ranked} == {1, 2, 3}
    assert {b.key for b in ranked if b.choice == "pistes"} == {"pistes@1", "pistes@2", "pistes@3"}


def test_layout_json_shape(budget_election):
    doc = geometry.layout(budget_election, "A").to_json()
    assert doc["page_size_pt"] == [595.28, 841.89]
    box = doc["boxes"][0]
    assert set(box) == {"question", "choice", "sheet", "rect_pt"} and len(box["rect_pt"]) == 4
