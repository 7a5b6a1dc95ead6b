"""Why a ballot or a scanned page needs a person, or does not count: one typed reason.

A `Reason` is a `Code` (the closed list below) plus, when it applies, the question it is about
and a number (a sheet, a rank). Rules, the paper reader, the counting window, the results and
the reports all use it; people read it through `ballots.report.labels.reason_label`, which looks
the code up (French and English), never takes the text apart.

Ballots store and sync their reasons as text (`str(reason)`): "projets:overvote",
"missing_sheet_2", "classement:rank_3_twice". `Reason.from_text` reads that form back, in this
one place; text that is not a known reason gives None and is shown as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


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
    # The file.
    EMPTY_FILE = "empty_file"
    NOT_AN_IMAGE = "not_an_image"
    TRUNCATED_FILE = "truncated_file"
    IMAGE_TOO_LARGE = "image_too_large"
    ENCRYPTED_PDF = "encrypted_pdf"
    UNREADABLE_FILE = "unreadable_file"


_CODES = frozenset(c.value for c in Code)

# Codes that carry a number, and how the number sits in their stored text.
NUMBERED = {Code.MISSING_SHEET: "missing_sheet_{n}", Code.RANK_TWICE: "rank_{n}_twice"}
_NUMBERED_TEXT = {
    code: re.compile(re.escape(template).replace(re.escape("{n}"), r"(\d+)")) for code, template in NUMBERED.items()
}


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


def of(code: Code, question: str = "", number: int | None = None) -> str:
    """The stored text of a reason: what ballots and scan results carry."""
    return str(Reason(code, question, number))
