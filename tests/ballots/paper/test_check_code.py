import pytest

from ballots.paper import check_code
from ballots.paper.check_code import CheckCodeError

KEY = bytes(range(32))


def test_printed_code_verifies_however_it_is_typed():
    printed = check_code.printed(KEY, "f" * 64, "OC6YRN3Q", 1)
    assert len(printed) == 7 and printed[3] == "-"
    assert not set(printed.replace("-", "")) & set("01OIL")
    for typed in (printed, printed.lower(), printed.replace("-", " "), printed.replace("-", "")):
        check_code.verify(KEY, "f" * 64, "OC6YRN3Q", 1, typed)


@pytest.mark.parametrize(
    ("key", "fingerprint", "serial", "sheet"),
    [
        (bytes(32), "f" * 64, "OC6YRN3Q", 1),
        (KEY, "e" * 64, "OC6YRN3Q", 1),
        (KEY, "f" * 64, "OC6YRN3R", 1),
        (KEY, "f" * 64, "OC6YRN3Q", 2),
    ],
)
def test_code_is_bound_to_key_election_serial_and_sheet(key, fingerprint, serial, sheet):
    good = check_code.printed(KEY, "f" * 64, "OC6YRN3Q", 1)
    with pytest.raises(CheckCodeError):
        check_code.verify(key, fingerprint, serial, sheet, good)


def test_codes_spread_over_serials():
    codes = {check_code.code(KEY, "f" * 64, f"SERIAL{i:02d}", 1) for i in range(200)}
    assert len(codes) == 200
