"""Layouts of real elections: every pabulib file in ../shared and every sample, in every variant,
printed and read back clean (the printer's own self-check), texts whole and clear of the corners."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from ballots import election_file, pabulib
from ballots.election import Choice, Election, Question, Rule, RuleKind, Text
from ballots.errors import PabulibError
from ballots.paper import fonts, geometry, printing
from ballots.paper.geometry import KEEP_OUT, MARK_SIZE, MM
from tests.conftest import PABULIB, SAMPLE_BUDGET

SECRET = b"k" * 32
SAMPLES = sorted(SAMPLE_BUDGET.parent.glob("*.toml"))
PB_FILES = sorted(PABULIB.glob("*.pb")) if PABULIB.exists() else []


def _load(path: Path) -> Election:
    if path.suffix == ".toml":
        return election_file.load(path)
    try:
        return pabulib.load(path).election
    except PabulibError as exc:  # fractional budgets: the rules helper's issue, not the layout's
        pytest.skip(f"pabulib import refuses this file: {exc}")


def _text_box(t: geometry.TextItem) -> tuple[float, float, float, float]:
    w = stringWidth(t.text, fonts.bold() if t.bold else fonts.regular(), t.size)
    x = t.x - w if t.align == "right" else t.x
    return (x, t.y - t.size, w, t.size * 1.25)


def _overlap(a, b) -> bool:
    return not (a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1])


def _keep_out(lay: geometry.Layout) -> list[tuple[float, float, float, float]]:
    r = MARK_SIZE / 2 + KEEP_OUT
    zones = [(cx - r, cy - r, 2 * r, 2 * r) for cx, cy in lay.marks]
    qx, qy, qs, _ = lay.qr_rect
    zones.append((qx - 4 * MM, qy - 4 * MM, qs + 8 * MM, qs + 8 * MM))
    return zones


def _check_clear(lay: geometry.Layout) -> None:
    w, h = lay.page_size
    zones = _keep_out(lay)
    for t in (*lay.texts, lay.ballot_line, lay.test_line, lay.advice_line):
        box = _text_box(t)
        assert box[0] >= 0 and box[0] + box[2] <= w and box[1] >= 0 and box[1] + box[3] <= h, t
        for z in zones:
            assert not _overlap(box, z), (t.text, z)
    for b in lay.boxes:
        for z in zones:
            assert not _overlap(b.rect, z)
    assert not any("…" in t.text for t in lay.texts)


@pytest.mark.slow
@pytest.mark.parametrize("path", PB_FILES + SAMPLES, ids=lambda p: p.stem[:40])
def test_every_real_election_prints_and_reads_back_blank_in_every_variant(path):
    election = _load(path)
    for variant in geometry.VARIANTS:
        try:
            lay = geometry.layout(election, variant)
        except geometry.LayoutError as exc:
            # Dieppe 2015 ranks 18 projects: 18 large-print columns are wider than any page.
            assert exc.reason == geometry.RANKED_TOO_WIDE and geometry.VARIANTS[variant][1], exc
            continue
        _check_clear(lay)
        # Every letter of every choice's name is printed, in order (wrapped lines are consecutive).
        printed = "".join("".join(t.text.split()) for t in lay.texts)
        for q in election.questions:
            for c in q.choices:
                assert "".join(fonts.printable(c.title.get("fr")).split()) in printed, c.id
        printing.check_layout(election, variant, SECRET)  # renders at 200 dpi, reads back: all blank


def test_title_that_ran_under_the_corner_square_now_wraps(tmp_path):
    """Toulouse 2022 Saint-Cyprien's title ran under the top-right square: refused as not_a_ballot."""
    title = "Municipal PB in Toulouse (Toulouse — 6 - Saint-Cyprien — 2022)"
    q = Question("pb", Text.of("Municipal PB in Toulouse"), Rule(RuleKind.APPROVAL, 1, 3), _choices(10, "Projet"))
    e = Election("france-toulouse-2022-6-saint-cyprien", Text.of(title), (q,), organiser="Toulouse")
    for variant in geometry.VARIANTS:
        lay = geometry.layout(e, variant)
        _check_clear(lay)
        heads = [t for t in lay.texts if t.sheet == 0 and t.bold]
        assert " ".join(t.text for t in heads) == title and len(heads) >= 2
        printing.check_layout(e, variant, SECRET)


def _choices(n: int, name: str) -> tuple[Choice, ...]:
    return tuple(Choice(f"c{i}", Text.of(f"{name} {i}"), cost=1000) for i in range(n))


def test_polish_letters_print_as_letters_never_as_black_squares():
    e = Election(
        "pl",
        Text.of("Budżet obywatelski"),
        (Question("pb", Text.of("Projekty"), Rule(RuleKind.APPROVAL, 0, 3), _choices(3, "Zielony Skwer Łódź")),),
    )
    lay = geometry.layout(e, "A")
    text = " ".join(t.text for t in lay.texts)
    if fonts.unicode_font():
        assert "Łódź" in text and "Budżet" in text
    else:  # Helvetica has no Ł: the base letter, never a glyph it would draw as a black square
        assert "Lodz" in text
    printing.check_layout(e, "A", SECRET)


def test_a_ranked_grid_too_wide_for_the_page_is_refused_with_its_cause():
    q = Question("r", Text.of("Classement"), Rule(RuleKind.RANKED, 0, 18), _choices(18, "P"))
    e = Election("wide", Text.of("Rangs"), (q,))
    assert geometry.layout(e, "A").sheets >= 1
    with pytest.raises(geometry.LayoutError) as err:
        geometry.layout(e, "B")
    assert err.value.reason == geometry.RANKED_TOO_WIDE and "18 rangs" in str(err.value)


def test_a_layout_that_does_not_read_back_blank_is_refused_before_any_serial(paper_store, tmp_path, monkeypatch):
    """A printer bug that inks a box (here: every box printed pre-marked) refuses the whole print."""
    real = printing.render_ballot

    def inked(canvas, election, lay, secret, serial, **kw):
        every = {q.id: {b.key for b in lay.boxes if b.question == q.id} for q in election.questions}
        real(canvas, election, lay, secret, serial, test=kw.get("test", False), marks=every)

    monkeypatch.setattr(printing, "render_ballot", inked)
    monkeypatch.setattr(printing, "_CHECKED", set())
    with pytest.raises(printing.SelfCheckError) as err:
        printing.print_ballots(paper_store, 3, tmp_path / "b.pdf")
    assert err.value.reason == printing.BOX_NOT_BLANK and err.value.sheet == 1
    assert "feuille 1" in str(err.value) and "rien n'a été émis" in str(err.value)
    assert not (tmp_path / "b.pdf").exists()
    assert paper_store.db.execute("SELECT COUNT(*) FROM paper_issued").fetchone()[0] == 0


@settings(max_examples=200)
@given(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=300),
    st.floats(40, 400),
)
def test_wrap_keeps_every_word_and_fits_the_width(text, width):
    lines, size = geometry.wrap(text, fonts.regular(), 10, width, 8, 3)
    assert "".join("".join(lines).split()) == "".join(fonts.printable(text).split())
    for line in lines:
        assert stringWidth(line, fonts.regular(), size) <= width + 1e-6 or len(line) == 1
    assert 8 <= size <= 10


def test_wrap_shrinks_within_the_floor_before_taking_more_lines():
    long = "mot " * 60
    lines, size = geometry.wrap(long, fonts.regular(), 10, 200, 8, 3)
    assert size == 8 and len(lines) > 3  # at the floor it takes the lines it needs
    lines, size = geometry.wrap("court", fonts.regular(), 10, 200, 8, 3)
    assert lines == ("court",) and size == 10
