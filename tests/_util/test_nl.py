"""The Dutch number helper: a decimal comma in the number, nothing else touched."""

from __future__ import annotations

import doctest

import pytest

from ketencursus._util import nl


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (9.25, 1, "9,2"),  # round-half-even, as Python's format does
        (9.35, 1, "9,3"),
        (71.4, 0, "71"),
        (0.5, 2, "0,50"),
        (-1.25, 1, "-1,2"),
        (2.0, None, "2"),
        (2.5, None, "2,5"),
        (12, None, "12"),
    ],
)
def test_number_uses_a_decimal_comma(value, digits, expected):
    assert nl.number(value, digits) == expected


def test_text_around_the_number_keeps_its_full_stops():
    label = f"jouw scenario: gem. {nl.number(9.31, 1)} d"
    assert label == "jouw scenario: gem. 9,3 d"


def test_examples_in_the_module_docstring_hold():
    result = doctest.testmod(nl)
    assert result.attempted >= 4 and result.failed == 0
