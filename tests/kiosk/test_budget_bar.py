"""The budget bar takes any amount an election holds (kiosk choosing screen, counting window)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtWidgets import QProgressBar

from kiosk.ui.budget_bar import STEPS, show_budget


def test_whole_budget_is_shown_in_its_own_units(qtbot):
    bar = QProgressBar()
    show_budget(bar, 149_000, 300_000)
    assert (bar.minimum(), bar.maximum(), bar.value()) == (0, 300_000, 149_000)
    show_budget(bar, 400_000, 300_000)  # over budget (a refused choice on screen): full, not stale
    assert bar.value() == 300_000


def test_cents_and_huge_budgets_are_shown_in_ten_thousandths(qtbot):
    bar = QProgressBar()
    show_budget(bar, Decimal("777952.855"), Decimal("1555905.71"))
    assert (bar.maximum(), bar.value()) == (STEPS, STEPS // 2)
    show_budget(bar, 3 * 10**9, 4 * 10**9)  # beyond a 32-bit int: was OverflowError
    assert (bar.maximum(), bar.value()) == (STEPS, 7_500)


@given(
    budget=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**12), places=2),
    share=st.fractions(min_value=0, max_value=1),
)
def test_any_amount_fills_the_bar_in_proportion(budget, share):
    bar = QProgressBar()
    spent = budget * Decimal(share.numerator) / Decimal(share.denominator)
    show_budget(bar, spent, budget)
    assert 0 <= bar.value() <= bar.maximum()
    assert abs(bar.value() / bar.maximum() - float(share)) <= 1 / min(bar.maximum(), STEPS) + 1e-9
