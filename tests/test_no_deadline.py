"""Regression (session 33): a property test failed CI with Hypothesis's DeadlineExceeded on a loaded
machine. Tests hold no timed assertion: the suite's profile (tests/conftest.py) has no deadline."""

from hypothesis import settings


def test_property_tests_have_no_deadline():
    assert settings.default.deadline is None
