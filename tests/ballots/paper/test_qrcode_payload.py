"""QR payload: compact, authenticated; any change is detected, never read as another ballot."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ballots.errors import CodeRefused
from ballots.paper import qrcode_payload as qp

SECRET = bytes(range(32))
FP = "ab12cd" + "0" * 58


def test_roundtrip_and_compact_alphanumeric():
    text = qp.encode(SECRET, FP, "ABCDEFGH", 2, 3, "B", True)
    assert len(text) == qp.LENGTH == 34  # QR version 3-H holds 35 alphanumeric characters
    assert set(text) <= set(string.ascii_uppercase + string.digits)
    p = qp.decode(text, SECRET, FP)
    assert (p.serial, p.sheet, p.sheets, p.variant, p.test) == ("ABCDEFGH", 2, 3, "B", True)
    assert (p.frame, p.position) == (2, qp.TOP)
    bottom = qp.decode(qp.encode(SECRET, FP, "ABCDEFGH", 2, 3, "B", True, position=qp.BOTTOM), SECRET, FP)
    assert bottom == qp.Payload("ab12cd".upper(), "ABCDEFGH", 2, 3, "B", True, 2, qp.BOTTOM)


def test_ballots_printed_before_frame_2_still_decode():
    """A "U1" code (33 characters, one code per sheet) as printed before frame 2."""
    text = qp.encode(SECRET, FP, "ABCDEFGH", 1, 2, "L", False, frame=1)
    assert len(text) == 33 and text.startswith("U1")
    p = qp.decode(text, SECRET, FP)
    assert (p.serial, p.sheet, p.sheets, p.variant, p.frame, p.position) == ("ABCDEFGH", 1, 2, "L", 1, qp.TOP)
    with pytest.raises(ValueError):
        qp.encode(SECRET, FP, "ABCDEFGH", 1, 2, "L", False, frame=1, position=qp.BOTTOM)


def test_the_position_is_under_the_mac():
    """A top code relabelled as a bottom one (or pasted on the other corner) is a forgery."""
    text = qp.encode(SECRET, FP, "ABCDEFGH", 1, 1, "A", False)
    with pytest.raises(CodeRefused) as err:
        qp.decode(text[:20] + qp.BOTTOM + text[21:], SECRET, FP)
    assert err.value.reason == qp.BAD_MAC


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda t: t[:8] + "ZZZZZZZZ" + t[16:], qp.BAD_MAC),  # another serial
        (lambda t: t[:19] + ("T" if t[19] == "O" else "O") + t[20:], qp.BAD_MAC),  # test flag flipped
        (lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), qp.BAD_MAC),  # MAC altered
        (lambda t: t[:2] + "FFFFFF" + t[8:], qp.WRONG_ELECTION),
        (lambda t: "https://example.org/" + t, qp.NOT_OURS),
        (lambda t: "", qp.NOT_OURS),
    ],
)
def test_altered_payloads_are_refused_with_a_reason(mutate, reason):
    text = qp.encode(SECRET, FP, "ABCDEFGH", 1, 1, "A", False)
    with pytest.raises(CodeRefused) as err:
        qp.decode(mutate(text), SECRET, FP)
    assert err.value.reason == reason


def test_another_secret_is_a_forgery():
    text = qp.encode(bytes(32), FP, "ABCDEFGH", 1, 1, "A", False)
    with pytest.raises(CodeRefused) as err:
        qp.decode(text, SECRET, FP)
    assert err.value.reason == qp.BAD_MAC


@given(st.integers(min_value=0, max_value=33), st.sampled_from(string.ascii_uppercase + string.digits))
def test_any_single_character_change_is_refused(pos, ch):
    text = qp.encode(SECRET, FP, "QWERTY23", 1, 2, "A", False)
    changed = text[:pos] + ch + text[pos + 1 :]
    if changed == text:
        return
    with pytest.raises(CodeRefused):
        qp.decode(changed, SECRET, FP)
