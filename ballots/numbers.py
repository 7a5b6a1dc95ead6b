"""Numbers and money as people read them, one formatter per language.

French: thousands grouped with a no-break space (U+00A0, present in every font, the PDF's core
fonts included), the currency sign after ("180 000 €"), decimal comma. English: comma grouping,
the sign before ("€180,000"), decimal point. Amounts are whole units, or exact Decimals with
cents when the source has them (pabulib: "1 555 905,71 PLN").
"""

from __future__ import annotations

from decimal import Decimal

NBSP = "\u00a0"

_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def number(n: int | Decimal, language: str = "fr") -> str:
    """12345 -> '12 345' (fr) or '12,345' (en); 1555905.71 -> '1 555 905,71' (fr)."""
    return f"{n:,}" if language == "en" else f"{n:,}".replace(",", NBSP).replace(".", ",")


def money(amount: int | Decimal, currency: str = "EUR", language: str = "fr") -> str:
    """180000 -> '180 000 €' (fr) or '€180,000' (en); an unknown currency keeps its code."""
    symbol = _SYMBOLS.get(currency, currency)
    if language == "en":
        return f"{symbol}{amount:,}"
    return number(amount, language) + NBSP + symbol


def percent(part: int | Decimal, whole: int | Decimal, language: str = "fr") -> str:
    """One decimal, '—' when there is nothing to divide by: '12,5 %' (fr) or '12.5%' (en)."""
    if not whole:
        return "—"
    value = f"{100 * part / whole:.1f}"
    return value + "%" if language == "en" else value.replace(".", ",") + NBSP + "%"
