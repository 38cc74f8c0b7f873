"""The one scoring rule (quiz/scoring.py) behind the book, Moodle and the graded notebooks:
partial credit for multiple-response items, exact type checks for learners' answers."""

from __future__ import annotations

import pytest

from ketencursus.quiz.bank import load_bank
from ketencursus.quiz.scoring import score_choices, selection_fraction


def test_all_right_and_none_wrong_scores_one():
    assert selection_fraction(["a", "c"], ["a", "c"], ["b", "d", "e"]) == 1.0


def test_each_missed_right_option_costs_its_share():
    assert selection_fraction(["a"], ["a", "b", "c"], ["d", "e"]) == pytest.approx(1 / 3)
    assert selection_fraction(["a", "b"], ["a", "b", "c"], ["d", "e"]) == pytest.approx(2 / 3)


def test_each_wrong_option_costs_its_share_and_the_score_never_goes_below_zero():
    assert selection_fraction(["a", "b", "c", "d"], ["a", "b", "c"], ["d", "e"]) == \
        pytest.approx(0.5)
    assert selection_fraction(["d"], ["a", "b", "c"], ["d", "e"]) == 0.0


def test_ticking_everything_or_nothing_scores_zero():
    assert selection_fraction(["a", "b", "c", "d", "e"], ["a", "b", "c"], ["d", "e"]) == 0.0
    assert selection_fraction([], ["a", "b", "c"], ["d", "e"]) == 0.0


def test_score_choices_returns_points_for_nbgrader_partial_credit():
    assert score_choices(["A", "c)"], ["a", "b", "c"], ["a", "b", "c", "d", "e"], points=2.0) \
        == pytest.approx(4 / 3)


@pytest.mark.parametrize("answer, message", [
    ("a, c", "lijst met letters"),
    (("a", "c"), "lijst met letters"),
    (["a", 3], "letter als tekst"),
    (["a", "a"], "meer dan één keer"),
    (["a", "z"], "Kies alleen uit de opties"),
])
def test_score_choices_refuses_answers_that_are_not_a_list_of_option_letters(answer, message):
    with pytest.raises(AssertionError, match=message):
        score_choices(answer, ["a"], ["a", "b", "c"])


def test_score_choices_never_calls_a_method_of_a_list_subclass():
    class Sneaky(list):
        def __iter__(self):
            raise RuntimeError("learner code ran")

    with pytest.raises(AssertionError, match="lijst met letters"):
        score_choices(Sneaky(["a"]), ["a"], ["a", "b"])


def test_question_score_uses_the_same_rule_for_every_item_type(layout):
    bank = load_bank(layout.exercises / "bank")
    multiple = bank.get("h2-07")  # keys b and d of five
    assert multiple.score(["b", "d"]) == 1.0
    assert multiple.score("b") == pytest.approx(0.5)
    assert multiple.score("b, d, a") == pytest.approx(2 / 3)
    single = bank.get("h1-05")
    assert single.score("b") == 1.0 and single.score("a") == 0.0 and single.score("") == 0.0
    numeric = bank.get("h4-07")  # 66.7 procent
    assert numeric.score("66,7") == 1.0
    assert numeric.score("66,7 %") == 1.0 and numeric.score("66.7 procent") == 1.0
    assert numeric.score("60") == 0.0 and numeric.score("veel") == 0.0
    text = bank.get("h1-08")
    assert text.score("Situationele benadering") == 1.0 and text.score("") == 0.0


@pytest.mark.parametrize("right, wrong", [(2, 2), (2, 3), (3, 2), (3, 3), (4, 1)])
def test_credit_steps_add_up_to_the_partial_score_of_every_possible_answer(right, wrong):
    from itertools import combinations

    from ketencursus.quiz.scoring import credit_steps

    steps = credit_steps(right, wrong)
    assert sum(share for _, share in steps) == pytest.approx(1.0)
    letters = [chr(97 + i) for i in range(right + wrong)]
    right_set, wrong_set = letters[:right], letters[right:]
    for size in range(len(letters) + 1):
        for chosen in combinations(letters, size):
            fraction = selection_fraction(chosen, right_set, wrong_set)
            passed = sum(share for threshold, share in steps if fraction >= threshold - 1e-9)
            assert passed == pytest.approx(fraction)
