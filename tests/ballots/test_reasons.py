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


# -- Ballot.reasons: typed text at a clear boundary ---------------------------------------------
# A ballot carries its reasons as `ReasonText` (the stored and synced form, unchanged on the wire).
# A ReasonText is made from a Reason, or read back by `reasons.from_stored` at the three places
# where rows or records come in; mypy refuses any other string.

BOUNDARIES = {"ballots/ballot_rows.py", "sync/pgrows.py", "sync/merge.py"}


def _callers(*names):
    """{name: files of ballots/, sync/, kiosk/ that call it}, in one pass over the sources."""
    import ast

    from tests.conftest import ROOT

    found: dict[str, set[str]] = {name: set() for name in names}
    for top in ("ballots", "sync", "kiosk"):
        for path in (ROOT / top).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if not any(name in source for name in names):
                continue
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Call):
                    f = node.func
                    called = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                    if called in found:
                        found[called].add(str(path.relative_to(ROOT)))
    return found


def test_reason_text_is_made_only_from_a_reason_or_at_a_boundary():
    found = _callers("ReasonText", "from_stored")
    assert found["ReasonText"] == {"ballots/reasons.py"}
    assert found["from_stored"] == BOUNDARIES


def test_mypy_refuses_a_bare_string_as_a_ballot_reason(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    snippet = tmp_path / "reasons_snippet.py"
    snippet.write_text(
        "from ballots.ballot import Ballot, Channel\n"
        "from ballots.reasons import Code, of\n"
        'good = Ballot("b", "e", Channel.PAPER, "d", {}, reasons=(of(Code.OVERVOTE, "projets"),))\n'
        'bad = Ballot("b", "e", Channel.PAPER, "d", {}, reasons=(f"{1}:overvote",))\n'
    )
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent", str(snippet)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    errors = [line for line in r.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "reasons_snippet.py:4:" in errors[0] and "ReasonText" in errors[0], r.stdout


@given(
    st.lists(
        st.builds(
            lambda code, q, n: Reason(code, q, n if code in NUMBERED else None),
            st.sampled_from(list(Code)),
            st.sampled_from(["", "projets", "classement"]),
            st.integers(1, 9),
        ),
        max_size=4,
    )
)
def test_ballot_reasons_cross_the_store_and_the_wire_unchanged(typed):
    from ballots.ballot import Ballot, Channel
    from ballots.ballot_rows import ballot_from_row, ballot_to_row
    from sync.merge import ballot_from_wire, ballot_to_wire

    b = Ballot("b-1", "e", Channel.PAPER, "d", {"projets": ("p1",)}, reasons=tuple(r.text for r in typed))
    for back in (ballot_from_row(ballot_to_row(b)), ballot_from_wire(ballot_to_wire(b))):
        assert back == b
        assert [Reason.from_text(t) for t in back.reasons] == typed
