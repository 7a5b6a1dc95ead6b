"""One Reason type: every code has a French and an English label, every label a code, and the
stored text reads back to the same reason."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ballots import reasons, rules
from ballots.paper import qrcode_payload, reading, scan, sources
from ballots.reasons import NUMBERED, Code, Reason
from ballots.report.labels import REASON_LABELS, reason_label


def test_every_code_has_both_labels_and_every_label_a_code():
    assert set(REASON_LABELS) == set(Code)
    for code, (fr, en) in REASON_LABELS.items():
        assert fr and en and fr != en, code
        assert ("{n}" in fr) == ("{n}" in en) == (code in NUMBERED), code


def test_the_emitters_use_the_codes():
    emitted = [
        rules.OVERVOTE, rules.TOO_FEW, rules.BUDGET_EXCEEDED, rules.BELOW_MIN_BUDGET, rules.UNKNOWN_CHOICE,
        rules.REPEATED_CHOICE, scan.TEST_BALLOT, scan.OFFICIAL_IN_TEST, scan.UNISSUED, scan.ALREADY_SCANNED,
        scan.SAME_MARKS, scan.CONFLICT, reading.BLANK_PAGE, reading.NOT_A_BALLOT, reading.UNREADABLE_QR,
        reading.ALIGNMENT_FAILED, sources.EMPTY_FILE, sources.NOT_AN_IMAGE, sources.TRUNCATED, sources.TOO_LARGE,
        sources.ENCRYPTED_PDF, sources.UNREADABLE, qrcode_payload.NOT_OURS, qrcode_payload.BAD_MAC,
        qrcode_payload.WRONG_ELECTION,
    ]  # fmt: skip
    assert all(isinstance(c, Code) for c in emitted)


def test_one_error_class_per_meaning_all_of_them_a_refused_page(tmp_path):
    from ballots.errors import CodeRefused, FileRefused, PageRefused, SheetRefused

    meanings = (FileRefused, PageRefused, CodeRefused)
    assert len(set(meanings)) == 3 and all(issubclass(c, SheetRefused) for c in meanings)
    # each paper module raises its own meaning, with a typed reason (a Code)
    (tmp_path / "empty.png").write_bytes(b"")
    with pytest.raises(FileRefused) as file_err:
        sources.load(tmp_path / "empty.png", 1)
    with pytest.raises(PageRefused) as page_err:
        reading.locate(np.full((400, 300), 255, dtype=np.uint8))
    with pytest.raises(CodeRefused) as code_err:
        qrcode_payload.decode("NOT-URNE", b"k" * 32, "0" * 64)
    for err in (file_err, page_err, code_err):
        assert isinstance(err.value.reason, Code) and err.value.message()


@pytest.mark.parametrize(
    ("text", "fr", "en"),
    [
        ("projets:overvote", "projets : trop de cases cochées", "projets: too many boxes ticked"),
        ("missing_sheet_2", "feuille 2 manquante", "sheet 2 missing"),
        ("classement:rank_3_twice", "classement : rang 3 coché deux fois", "classement: rank 3 ticked twice"),
        ("bad_mac", "code d'authenticité invalide (falsification ?)", "authenticity code invalid (forgery?)"),
        ("something_new", "something new", "something new"),  # unknown: shown, never dropped
        ("q:something_new", "q : something new", "q: something new"),
    ],
)
def test_labels_are_looked_up(text, fr, en):
    assert reason_label(text) == fr
    assert reason_label(text, "en") == en


def test_the_ranked_reasons_of_the_reader_read_back():
    from ballots.election import Choice, Election, Question, Rule, RuleKind, Text

    choices = (Choice("a", Text.of("A")), Choice("b", Text.of("B")))
    q = Question("classement", Text.of("Classement"), Rule(RuleKind.RANKED, max=2), choices)
    e = Election("e", Text.of("E"), (q,))
    _, found = scan.selection_from_marks(e, {"a@1": "marked", "b@1": "marked", "a@2": "ambiguous"})
    assert [Reason.from_text(r) for r in found] == [
        Reason(Code.RANK_TWICE, "classement", 1),
        Reason(Code.AMBIGUOUS_MARK, "classement"),
    ]


codes = st.sampled_from(list(Code))
questions = st.sampled_from(["", "projets", "q-2", "classement"])


@given(codes, questions, st.integers(min_value=1, max_value=99))
def test_stored_text_reads_back(code, question, n):
    r = Reason(code, question, n if code in NUMBERED else None)
    assert Reason.from_text(str(r)) == r
    assert reasons.of(code, question, r.number) == str(r)


def test_a_numbered_code_needs_its_number():
    with pytest.raises(ValueError):
        Reason(Code.MISSING_SHEET)
    with pytest.raises(ValueError):
        Reason(Code.OVERVOTE, number=2)
