"""QR payload: compact, authenticated; any change is detected, never read as another ballot."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ballots.paper import qrcode_payload as qp

SECRET = bytes(range(32))
FP = "ab12cd" + "0" * 58


def test_roundtrip_and_compact_alphanumeric():
    text = qp.encode(SECRET, FP, "ABCDEFGH", 2, 3, "B", True)
    assert len(text) == qp.LENGTH == 33
    assert set(text) <= set(string.ascii_uppercase + string.digits)
    p = qp.decode(text, SECRET, FP)
    assert (p.serial, p.sheet, p.sheets, p.variant, p.test) == ("ABCDEFGH", 2, 3, "B", True)


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
    with pytest.raises(qp.PayloadError) as err:
        qp.decode(mutate(text), SECRET, FP)
    assert err.value.reason == reason


def test_another_secret_is_a_forgery():
    text = qp.encode(bytes(32), FP, "ABCDEFGH", 1, 1, "A", False)
    with pytest.raises(qp.PayloadError) as err:
        qp.decode(text, SECRET, FP)
    assert err.value.reason == qp.BAD_MAC


@given(st.integers(min_value=0, max_value=32), st.sampled_from(string.ascii_uppercase + string.digits))
def test_any_single_character_change_is_refused(pos, ch):
    text = qp.encode(SECRET, FP, "QWERTY23", 1, 2, "A", False)
    changed = text[:pos] + ch + text[pos + 1 :]
    if changed == text:
        return
    with pytest.raises(qp.PayloadError):
        qp.decode(changed, SECRET, FP)
