"""Why a ballot or a scanned page needs a person, or does not count: one typed reason.

A `Reason` is a `Code` (the closed list below) plus, when it applies, the question it is about
and a number (a sheet, a rank). Rules, the paper reader, the counting window, the results and
the reports all use it; people read it through `ballots.report.labels.reason_label`, which looks
the code up (French and English), never takes the text apart.

Ballots store and sync their reasons as text (`ReasonText`): "projets:overvote",
"missing_sheet_2", "classement:rank_3_twice", so the stored rows, bundles and exports are
unchanged. The type keeps that text honest: a `ReasonText` is made only from a `Reason`
(`Reason.text`, `of`) or read back at a storage or wire boundary (`from_stored`), so mypy refuses
a reason built with an f-string or any other bare string in `Ballot.reasons`. `Reason.from_text`
reads the text back into a Reason, in this one place; text that is not a known reason (a newer
device's code) gives None, is kept as it came and is shown as it is, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NewType


class Code(StrEnum):
    # A question's answer breaks its rule (ballots.rules).
    OVERVOTE = "overvote"
    TOO_FEW = "too_few"
    BUDGET_EXCEEDED = "budget_exceeded"
    BELOW_MIN_BUDGET = "below_min_budget"
    UNKNOWN_CHOICE = "unknown_choice"
    REPEATED_CHOICE = "repeated_choice"
    # Marks a person must look at (the paper reader).
    AMBIGUOUS_MARK = "ambiguous_mark"
    CHOICE_RANKED_TWICE = "choice_ranked_twice"
    RANK_TWICE = "rank_twice"  # numbered: the rank
    # A ballot's sheets and copies.
    MISSING_SHEET = "missing_sheet"  # numbered: the sheet
    CONFLICTING_COPIES = "conflicting_copies"
    SAME_SERIAL_SAME_MARKS = "same_serial_same_marks"
    ALREADY_SCANNED = "already_scanned"
    TEST_IN_OFFICIAL_MODE = "test_ballot_in_official_mode"
    OFFICIAL_IN_TEST_MODE = "official_ballot_in_test_mode"
    UNISSUED_SERIAL = "unissued_serial"
    TYPED_SERIAL = "typed_serial"  # the commission typed the serial of an unreadable QR code
    # The QR code.
    NOT_AN_URNE_QR = "not_an_urne_qr"
    BAD_MAC = "bad_mac"
    WRONG_ELECTION = "wrong_election"
    UNREADABLE_QR = "unreadable_qr"
    # The page.
    BLANK_PAGE = "blank_page"
    NOT_A_BALLOT = "not_a_ballot"
    ALIGNMENT_FAILED = "alignment_failed"
    # A sheet whose file cannot show every mark (the paper reader, whole sheet): numbered, the sheet.
    ONE_BIT_LOST_INK = "one_bit_lost_ink"  # a 1-bit copy that dropped strokes (a trail of specks)
    ONE_BIT_NOTHING_MARKED = "one_bit_nothing_marked"  # a 1-bit copy on which no box reads marked
    ONE_BIT_BROKEN_INK = "one_bit_broken_ink"  # a 1-bit copy whose kept strokes are broken (pen at its threshold)
    ONE_BIT_IN_DOUBT = "one_bit_in_doubt"  # a 1-bit copy on which too many of the inked boxes are in doubt
    # A batch of scanned pages (said once for the batch, never a ballot's reason): numbered, the pages.
    ONE_BIT_PAGES = "one_bit_pages"  # pages accepted from 1-bit copies, whose copier may have dropped a pale mark
    # The file.
    EMPTY_FILE = "empty_file"
    NOT_AN_IMAGE = "not_an_image"
    TRUNCATED_FILE = "truncated_file"
    IMAGE_TOO_LARGE = "image_too_large"
    ENCRYPTED_PDF = "encrypted_pdf"
    UNREADABLE_FILE = "unreadable_file"


_CODES = frozenset(c.value for c in Code)

# Codes that carry a number, and how the number sits in their stored text.
NUMBERED = {
    Code.MISSING_SHEET: "missing_sheet_{n}",
    Code.RANK_TWICE: "rank_{n}_twice",
    Code.ONE_BIT_LOST_INK: "sheet_{n}_one_bit_lost_ink",
    Code.ONE_BIT_NOTHING_MARKED: "sheet_{n}_one_bit_nothing_marked",
    Code.ONE_BIT_BROKEN_INK: "sheet_{n}_one_bit_broken_ink",
    Code.ONE_BIT_IN_DOUBT: "sheet_{n}_one_bit_in_doubt",
    Code.ONE_BIT_PAGES: "one_bit_pages_{n}",
}
_NUMBERED_TEXT = {
    code: re.compile(re.escape(template).replace(re.escape("{n}"), r"(\d+)")) for code, template in NUMBERED.items()
}


ReasonText = NewType("ReasonText", str)


@dataclass(frozen=True)
class Reason:
    code: Code
    question: str = ""  # the question it is about, "" for the whole ballot or page
    number: int | None = None  # the sheet or rank, for the codes in NUMBERED

    def __post_init__(self) -> None:
        if (self.code in NUMBERED) != (self.number is not None):
            raise ValueError(f"reason {self.code}: a number is {'needed' if self.code in NUMBERED else 'not expected'}")

    def __str__(self) -> str:
        text = NUMBERED[self.code].format(n=self.number) if self.code in NUMBERED else self.code.value
        return f"{self.question}:{text}" if self.question else text

    @property
    def text(self) -> ReasonText:
        """The stored and synced form."""
        return ReasonText(str(self))

    @classmethod
    def from_text(cls, text: str) -> Reason | None:
        """The stored form back to a Reason; None for text that names no known reason."""
        question, _, rest = text.rpartition(":")
        if rest in _CODES:
            return cls(Code(rest), question)
        for code, pattern in _NUMBERED_TEXT.items():
            if m := pattern.fullmatch(rest):
                return cls(code, question, int(m.group(1)))
        return None


def of(code: Code, question: str = "", number: int | None = None) -> ReasonText:
    """The stored text of a reason: what ballots and scan results carry."""
    return Reason(code, question, number).text


def from_stored(values: Iterable[object]) -> tuple[ReasonText, ...]:
    """Reasons read back where they cross a boundary (a store row, a bundle, the hub's database):
    the one place a bare string becomes a ReasonText. Kept exactly as written (the wire format
    and the goldens do not change), known or not."""
    return tuple(ReasonText(str(v)) for v in values)
