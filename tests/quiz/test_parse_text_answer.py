"""Plain answers typed without Python (markdown answer cells): ``parse_text_answer`` reads
letters, lists of letters, numbers with a Dutch decimal comma or a point, and short terms;
hostile or garbled text raises ``TextAnswerError`` with a Dutch hint and never anything else."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketencursus.checks import (
    MAX_TEXT_ANSWER_CHARS,
    TEXT_FORMATS,
    TextAnswerError,
    check_choice,
    check_choices,
    check_number,
    check_text,
    parse_text_answer,
)


@pytest.mark.parametrize("typed", ["b", "B", " b ", "b)", "(b)", "b.", "**b**", "> b", "`b`",
                                   "- b", "b\n", "<!-- antwoord -->b"])
def test_a_typed_letter_becomes_the_lower_case_letter(typed):
    assert parse_text_answer(typed, "letter") == "b"
    assert check_choice(parse_text_answer(typed, "letter"), "b")


@pytest.mark.parametrize("typed", ["b en c", "bc", "optie b", "12", "", "   ", "ß", "b?"])
def test_a_garbled_letter_raises_with_a_dutch_hint(typed):
    with pytest.raises(TextAnswerError, match="letter|antwoord"):
        parse_text_answer(typed, "letter")


@pytest.mark.parametrize("typed", ["a, c", "A,C", "a c", "a; c", "a en c", "a/c", "a & c",
                                   "- a\n- c", "a., c)"])
def test_typed_letters_become_a_list_in_the_order_typed(typed):
    assert parse_text_answer(typed, "letters") == ["a", "c"]
    assert check_choices(parse_text_answer(typed, "letters"), ["c", "a"])


@pytest.mark.parametrize("typed", ["a, cc", "ac", "a, 3", "alle", ",", "a" + ", a" * 30])
def test_garbled_letters_raise_with_a_dutch_hint(typed):
    with pytest.raises(TextAnswerError, match="letters|antwoord"):
        parse_text_answer(typed, "letters")


@pytest.mark.parametrize(("typed", "value"), [
    ("12,5", 12.5), ("12.5", 12.5), ("13,25", 13.25), ("-3,5", -3.5), ("\u22123,5", -3.5),
    ("+2", 2.0), ("6", 6.0), (",5", 0.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
    ("1 234,5", 1234.5), ("1\u202f234,5", 1234.5), ("1.234.567", 1234567.0), ("71%", 71.0),
    ("**12,5**", 12.5), ("１２,５", 12.5),
])
def test_a_typed_number_accepts_the_dutch_decimal_comma_and_the_point(typed, value):
    parsed = parse_text_answer(typed, "number")
    assert type(parsed) is float
    assert parsed == value


@pytest.mark.parametrize("typed", ["twaalf", "12,5 dagen", "1e5", "nan", "inf", "12,,5",
                                   "1.23.4", "12,5,6", "1.23,4", "--5", "0x10", "", "1_000",
                                   "9" * 31, "__import__('os')", "٣"])
def test_a_garbled_number_raises_with_a_dutch_hint(typed):
    with pytest.raises(TextAnswerError, match="getal|antwoord"):
        parse_text_answer(typed, "number")


def test_a_number_is_never_evaluated_as_python():
    with pytest.raises(TextAnswerError):
        parse_text_answer("6 * 2", "number")
    with pytest.raises(TextAnswerError):
        parse_text_answer("(1).__class__", "number")


def test_a_term_keeps_its_words_and_collapses_whitespace():
    assert parse_text_answer("  Keten\n  regie  ", "term") == "Keten regie"
    assert check_text(parse_text_answer("**Doorlooptijd.**", "term"), ["doorlooptijd"])


def test_a_term_that_is_too_long_is_refused():
    with pytest.raises(TextAnswerError, match="te lang"):
        parse_text_answer("woord " * 50, "term")


def test_an_enormous_text_is_refused_before_it_is_looked_at():
    with pytest.raises(TextAnswerError, match="veel te lang"):
        parse_text_answer("b" * (MAX_TEXT_ANSWER_CHARS + 1), "letter")


@pytest.mark.parametrize("typed", ["b\x00", "\ud800b", "\u200bb\ufeff", "b\x1b\x7f"])
def test_control_characters_and_lone_surrogates_are_dropped(typed):
    assert parse_text_answer(typed, "letter") == "b"


@pytest.mark.parametrize("value", [None, 12, b"b", ["b"]])
def test_a_non_text_answer_is_refused(value):
    with pytest.raises(TextAnswerError, match="geen tekst"):
        parse_text_answer(value, "letter")


def test_an_unknown_format_is_the_authors_error_not_the_learners():
    with pytest.raises(ValueError, match="unknown text answer format") as info:
        parse_text_answer("b", "code")
    assert not isinstance(info.value, TextAnswerError)


@given(st.text(max_size=300), st.sampled_from(TEXT_FORMATS))
def test_any_text_gives_a_plain_value_or_a_text_answer_error(text, fmt):
    try:
        value = parse_text_answer(text, fmt)
    except TextAnswerError as error:
        assert str(error)
        return
    if fmt == "letter":
        assert type(value) is str and len(value) == 1
    elif fmt == "letters":
        assert type(value) is list and value and all(type(v) is str for v in value)
    elif fmt == "number":
        assert type(value) is float and math.isfinite(value)
    else:
        assert type(value) is str and 0 < len(value) <= 200


@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False,
                   allow_infinity=False))
def test_a_number_written_with_a_comma_round_trips(number):
    typed = f"{number:f}".replace(".", ",")
    parsed = parse_text_answer(typed, "number")
    assert check_number(parsed, float(number), abs_tol=1e-6)
