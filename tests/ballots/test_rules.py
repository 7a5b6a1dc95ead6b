import pytest
from hypothesis import given
from hypothesis import strategies as st

from ballots import rules
from ballots.election import InvalidHandling, RuleKind
from ballots.errors import SelectionRefused
from ballots.rules import QuestionStatus
from tests.factories import election, question


def test_approval_blocks_when_full_and_never_deselects():
    q = question(max=2)
    sel = rules.add_choice(q, (), "qc0")
    sel = rules.add_choice(q, sel, "qc1")
    with pytest.raises(SelectionRefused) as exc:
        rules.add_choice(q, sel, "qc2")
    assert exc.value.reason == rules.REFUSAL_FULL
    assert sel == ("qc0", "qc1")  # unchanged


def test_refusal_reasons():
    q = question(kind=RuleKind.BUDGET, max=5, budget=50, costs=[30, 30, 10, 5, 5])
    assert rules.refusal(q, ("qc0",), "qc1") == rules.REFUSAL_OVER_BUDGET
    assert rules.refusal(q, ("qc0",), "qc0") == rules.REFUSAL_ALREADY
    assert rules.refusal(q, ("qc0",), "nope") == rules.REFUSAL_UNKNOWN
    assert rules.refusal(q, ("qc0",), "qc2") is None


def test_progress_budget_bar():
    q = question(kind=RuleKind.BUDGET, max=5, budget=300_000, costs=[180_000, 50_000, 10_000], min_budget_share=0.7)
    p = rules.progress(q, ("qc0",))
    assert (p.chosen, p.spent, p.budget, p.min_spend, p.remaining) == (1, 180_000, 300_000, 210_000, 4)


@pytest.mark.parametrize(
    ("kind", "chosen", "status", "reasons"),
    [
        (RuleKind.APPROVAL, (), QuestionStatus.BLANK, ()),
        (RuleKind.APPROVAL, ("qc0", "qc1"), QuestionStatus.VALID, ()),
        (RuleKind.APPROVAL, ("qc0", "qc1", "qc2", "qc3"), QuestionStatus.INVALID, (rules.OVERVOTE,)),
        (RuleKind.APPROVAL, ("qc0", "qc0"), QuestionStatus.INVALID, (rules.REPEATED_CHOICE,)),
        (RuleKind.APPROVAL, ("zz",), QuestionStatus.INVALID, (rules.UNKNOWN_CHOICE,)),
        (RuleKind.SINGLE, ("qc0", "qc1"), QuestionStatus.INVALID, (rules.OVERVOTE,)),
    ],
)
def test_check_question(kind, chosen, status, reasons):
    q = question(kind=kind, min=1 if kind is RuleKind.SINGLE else 0, max=1 if kind is RuleKind.SINGLE else 3)
    check = rules.check_question(q, chosen)
    assert check.status is status
    assert check.reasons == reasons


def test_min_and_budget_share():
    q = question(kind=RuleKind.BUDGET, min=2, max=5, budget=100, costs=[60, 30, 50], min_budget_share=0.7)
    assert rules.check_question(q, ("qc0",)).reasons == (rules.TOO_FEW, rules.BELOW_MIN_BUDGET)
    assert rules.check_question(q, ("qc0", "qc1")).status is QuestionStatus.VALID
    assert rules.check_question(q, ("qc0", "qc2")).reasons == (rules.BUDGET_EXCEEDED,)


def test_review_handling_never_for_forgeries():
    q = question(max=1, on_invalid=InvalidHandling.REVIEW)
    assert rules.check_question(q, ("qc0", "qc1")).status is QuestionStatus.REVIEW
    assert rules.check_question(q, ("qc0", "bogus")).status is QuestionStatus.INVALID


def test_ranked_points_follow_cap_collectif():
    q = question(kind=RuleKind.RANKED, max=3)
    assert [q.rule.points(r) for r in range(4)] == [3, 2, 1, 0]


def test_ballot_with_unknown_question_is_invalid():
    e = election(question())
    assert not rules.can_submit(e, {"other": ("x",)})
    assert rules.can_submit(e, {"q": ("qc0",)})


@given(st.lists(st.sampled_from(["qc0", "qc1", "qc2", "qc3", "qc4"]), max_size=8))
def test_kiosk_path_only_builds_valid_selections(taps):
    """Whatever a voter taps, a selection built through add_choice passes check_question."""
    q = question(kind=RuleKind.BUDGET, max=3, budget=60, costs=[10, 20, 30, 40, 50])
    sel: tuple[str, ...] = ()
    for t in taps:
        if rules.refusal(q, sel, t) is None:
            sel = rules.add_choice(q, sel, t)
    assert rules.check_question(q, sel).status in (QuestionStatus.VALID, QuestionStatus.BLANK)
