"""The pure check functions used by hidden tests: right answers pass, wrong values and wrong
types fail with a Dutch AssertionError that does not reveal the expected value, and hostile
objects (always-equal subclasses, also of numpy scalars) never pass; scalars of exact numpy
types (what pandas computes) count as their plain values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketencursus.checks import (
    check_bool,
    check_choice,
    check_choices,
    check_int,
    check_number,
    check_text,
    normalise_text,
)


class AlwaysEqualFloat(float):
    def __eq__(self, other):  # noqa: D105
        return True

    __hash__ = float.__hash__

    def __float__(self):
        return 42.0


class AlwaysEqualStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__

    def strip(self, *args):
        return "b"

    def lower(self):
        return "b"


class AlwaysEqualList(list):
    def __eq__(self, other):
        return True


class TruthyInt(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


def test_right_single_choice_passes_with_forgiving_format():
    assert check_choice("b", "b")
    assert check_choice(" B) ", "b")


def test_wrong_single_choice_fails_without_revealing_the_answer():
    with pytest.raises(AssertionError) as info:
        check_choice("a", "c")
    assert "'c'" not in str(info.value) and '"c"' not in str(info.value)
    assert "niet het juiste antwoord" in str(info.value)


def test_choice_outside_the_options_gets_its_own_message():
    with pytest.raises(AssertionError, match="Kies één van de opties"):
        check_choice("e", "a", options=["a", "b", "c", "d"])


def test_hostile_str_subclass_fails_check_choice():
    with pytest.raises(AssertionError, match="type"):
        check_choice(AlwaysEqualStr("x"), "b")


@pytest.mark.parametrize("value", [1, None, ["b"], True, b"b"])
def test_non_str_choice_fails_with_type_message(value):
    with pytest.raises(AssertionError, match="moet van het type str"):
        check_choice(value, "b")


def test_multiple_choice_order_does_not_matter():
    assert check_choices(["c", "a"], ["a", "c"])


@pytest.mark.parametrize(
    "answer, message",
    [
        (["a"], "niet compleet"),
        (["a", "b", "c"], "niet juist"),
        (["a", "a", "c"], "meer dan één keer"),
        (["a", 3], "letter als tekst"),
        ("a,c", "moet van het type list"),
        (("a", "c"), "moet van het type list"),
    ],
)
def test_wrong_multiple_choice_answers_fail(answer, message):
    with pytest.raises(AssertionError, match=message):
        check_choices(answer, ["a", "c"])


def test_hostile_list_subclass_fails_check_choices():
    with pytest.raises(AssertionError, match="type list"):
        check_choices(AlwaysEqualList(["z"]), ["a"])


def test_number_within_tolerance_passes():
    assert check_number(12.34, 12.3, abs_tol=0.05)
    assert check_number(0.1 + 0.2, 0.3)


def test_number_outside_tolerance_fails_without_revealing_expected():
    with pytest.raises(AssertionError) as info:
        check_number(13.0, 12.3, abs_tol=0.05)
    assert "12.3" not in str(info.value)


def test_always_equal_float_subclass_fails_check_number():
    hostile = AlwaysEqualFloat(1.0)
    assert hostile == 12.3  # what fools a naive `==` test
    with pytest.raises(AssertionError, match="type float"):
        check_number(hostile, 12.3, abs_tol=0.05)


def test_a_pandas_mean_as_numpy_float64_counts_as_its_value():
    import pandas as pd

    mean = pd.Series([12.0, 14.5]).mean()
    assert type(mean) is np.float64
    assert check_number(mean, 13.25)
    assert check_number(np.float32(12.5), 12.5)
    with pytest.raises(AssertionError, match="niet juist"):
        check_number(np.float64(12.0), 13.25)


class HostileFloat64(np.float64):
    def __eq__(self, other):
        return True

    __hash__ = np.float64.__hash__

    def item(self):
        return 13.25


class PretendsNumpy(float):
    pass


PretendsNumpy.__module__ = "numpy"
PretendsNumpy.__name__ = "float64"


def test_subclasses_of_numpy_scalars_are_still_refused():
    with pytest.raises(AssertionError, match="type float"):
        check_number(HostileFloat64(1.0), 13.25)
    with pytest.raises(AssertionError, match="type float"):
        check_number(PretendsNumpy(13.25), 13.25)


def test_a_numpy_array_is_not_a_number():
    with pytest.raises(AssertionError, match="type float"):
        check_number(np.array([12.3]), 12.3, abs_tol=0.05)


def test_numpy_ints_bools_and_strings_count_as_their_values():
    import pandas as pd

    count = pd.Series(["a", "b", "a"]).value_counts()["a"]
    assert type(count) is np.int64
    assert check_int(count, 2)
    assert check_int(np.uint8(2), 2)
    assert check_bool(np.bool_(True), True)
    assert check_choice(np.str_("b"), "b")
    assert check_choices([np.str_("a"), "c"], ["a", "c"])
    assert check_text(np.str_("Doorlooptijd"), ["doorlooptijd"])


@pytest.mark.parametrize("value", [12, True, "12.3", None, [12.3]])
def test_non_float_number_fails(value):
    with pytest.raises(AssertionError, match="moet van het type float"):
        check_number(value, 12.0, abs_tol=0.5)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_never_pass(value):
    with pytest.raises(AssertionError, match="geen gewoon getal"):
        check_number(value, 1.0, abs_tol=1e9)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_check_number_agrees_with_isclose(x):
    expected = 100.0
    ok = math.isclose(x, expected, abs_tol=0.5)
    if ok:
        assert check_number(x, expected, abs_tol=0.5)
    else:
        with pytest.raises(AssertionError):
            check_number(x, expected, abs_tol=0.5)


def test_int_answers_are_exact_and_bool_is_not_int():
    assert check_int(17, 17)
    with pytest.raises(AssertionError, match="type int"):
        check_int(True, 1)
    with pytest.raises(AssertionError, match="type int"):
        check_int(TruthyInt(3), 17)
    assert check_int(np.int64(17), 17)
    with pytest.raises(AssertionError, match="type int"):
        check_int(np.float64(17.0), 17)
    with pytest.raises(AssertionError, match="aantal is niet juist"):
        check_int(16, 17)


def test_bool_answers_require_a_real_bool():
    assert check_bool(False, False)
    with pytest.raises(AssertionError, match="type bool"):
        check_bool(0, False)
    with pytest.raises(AssertionError, match="niet het juiste"):
        check_bool(True, False)


def test_text_answers_are_normalised():
    assert check_text("  Doorlooptijd. ", accepted=["doorlooptijd"])
    assert check_text("FIRST  time right", accepted=["first time right"])
    with pytest.raises(AssertionError, match="niet herkend"):
        check_text("wachttijd", accepted=["doorlooptijd"])
    with pytest.raises(AssertionError, match="leeg"):
        check_text("   ", accepted=["doorlooptijd"])
    with pytest.raises(AssertionError, match="type str"):
        check_text(AlwaysEqualStr("doorlooptijd"), accepted=["doorlooptijd"])


def test_normalise_text_keeps_accents_and_folds_case():
    assert normalise_text("  Één   Dak! ") == "één dak"
