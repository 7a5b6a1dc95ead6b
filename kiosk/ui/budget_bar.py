"""A budget shown on a QProgressBar, for the kiosk's choosing screen and the counting window.

QProgressBar holds a 32-bit int: a budget with cents (pabulib's `1555905.71`, a `Decimal`)
raised TypeError and one over 2**31 - 1 OverflowError. Whole budgets that fit are shown as they
are (the bar's value is the amount spent); any other is shown in ten-thousandths of the budget.
"""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar

from ballots.election import Money

STEPS = 10_000
_INT_MAX = 2**31 - 1


def show_budget(bar: QProgressBar, spent: Money, budget: Money) -> None:
    spent = min(max(spent, 0), budget)
    if isinstance(budget, int) and isinstance(spent, int) and budget <= _INT_MAX:
        bar.setRange(0, budget)
        bar.setValue(spent)
    else:
        bar.setRange(0, STEPS)
        bar.setValue(int(spent * STEPS / budget) if budget > 0 else 0)
