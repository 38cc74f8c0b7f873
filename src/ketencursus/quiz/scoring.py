"""The scoring rule of the question bank: one rule for the book, Moodle and nbgrader.

Standard library only: the sandboxed grader imports this module in a fresh interpreter
without site-packages, and a hidden test may call :func:`score_choices` there.

Multiple response ("kies alle juiste antwoorden") earns partial credit the way Moodle's
multichoice question type grades it (``question/type/multichoice/question.php``,
``qtype_multichoice_multi_question::grade_response``: the fractions of the ticked options are
added and the sum is clamped to 0..1). Every right option is worth ``+1/R`` (R right
options), every wrong option ``-1/W`` (W wrong options)::

    fraction = max(0, ticked_right / R - ticked_wrong / W)

so ticking everything, or nothing, scores 0; all the right ones and none of the wrong ones
score 1; each slip costs a share. :func:`option_weights` gives the per-option weights Moodle
stores (``quiz/moodle.py`` writes them as percentages from Moodle's allowed list), and
``ketencursus-quiz.js`` implements the same formula for the book (a browser test checks the
two agree).

Single choice: 1 for the key, 0 otherwise. Numeric: 1 within the tolerance. Text: 1 when the
normalised answer is one of the accepted ones.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["credit_steps", "option_weights", "score_choices", "selection_fraction"]


def option_weights(right: int, wrong: int) -> tuple[float, float]:
    """(weight of a right option, weight of a wrong option) for ``right`` right and
    ``wrong`` wrong options: ``(1/right, -1/wrong)``."""
    if right < 1:
        raise ValueError("a multiple-response item needs at least one right option")
    return 1.0 / right, (-1.0 / wrong if wrong else 0.0)


def selection_fraction(chosen: Iterable[str], right: Iterable[str], wrong: Iterable[str]) -> float:
    """The fraction (0..1) earned by ticking ``chosen`` when ``right`` are the right and
    ``wrong`` the wrong option letters. Letters outside both sets are ignored."""
    right_set, wrong_set = set(right), set(wrong)
    picked = set(chosen)
    plus, minus = option_weights(len(right_set), len(wrong_set))
    total = plus * len(picked & right_set) + minus * len(picked & wrong_set)
    # Round away float noise (3 x 1/3 must be exactly 1).
    return min(1.0, max(0.0, round(total, 9)))


def credit_steps(right: int, wrong: int) -> list[tuple[float, float]]:
    """Partial credit as pass/fail steps: ``[(threshold, share), ...]`` such that for every
    possible answer ``selection_fraction == sum(share for threshold, share in steps if
    fraction >= threshold)``.

    A grader that only knows passed/failed tests (nbgrader cells without a numeric output, or
    a sandbox that records pass/fail) can award the rule's partial credit exactly with one
    test per step: ``assert score_choices(answer, right, options) >= threshold - 1e-9``,
    worth ``share * points``. A blank answer fails every step (0 points); all right and
    none wrong passes every step (full points)."""
    plus, minus = option_weights(right, wrong)
    values = set()
    for r in range(right + 1):
        for w in range(wrong + 1):
            values.add(min(1.0, max(0.0, round(r * plus + w * minus, 9))))
    levels = sorted(v for v in values if v > 0)
    steps = []
    previous = 0.0
    for level in levels:
        steps.append((level, round(level - previous, 9)))
        previous = level
    return steps


def _letter(value: str) -> str:
    return value.strip().strip(".)").strip().lower()


def score_choices(answer: object, right: Iterable[str], options: Iterable[str],
                  points: float = 1.0) -> float:
    """Points for a learner's multiple-response answer (a hidden test's value).

    ``answer`` must be a builtin ``list`` of ``str`` letters (checked by exact type before
    anything else, as in :mod:`ketencursus.checks`); duplicates and letters that are not an
    option raise :class:`AssertionError` with a Dutch message. Returns
    ``points * selection_fraction(...)``; a cell ending in this call shows the points, which is
    how nbgrader awards partial credit (a numeric ``execute_result``)."""
    if type(answer) is not list:
        raise AssertionError(
            'Je antwoord moet een lijst met letters zijn, bijvoorbeeld ["a", "c"].'
        )
    letters = []
    for item in answer:  # a builtin list: iterating it runs no learner code
        if type(item) is not str:
            raise AssertionError("Elk element van de lijst moet een letter als tekst zijn (str).")
        letters.append(_letter(str.__str__(item)))
    if len(set(letters)) != len(letters):
        raise AssertionError(
            "Je lijst bevat een letter meer dan één keer; noem elke optie één keer."
        )
    allowed = [_letter(o) for o in options]
    unknown = [x for x in letters if x not in allowed]
    if unknown:
        raise AssertionError("Kies alleen uit de opties " + ", ".join(allowed) + ".")
    right_set = {_letter(r) for r in right}
    wrong_set = set(allowed) - right_set
    return float(points) * selection_fraction(letters, right_set, wrong_set)


def normalise_text(text: str) -> str:
    """Compare-ready form of a short text (the same as :func:`ketencursus.checks.normalise_text`
    and the book's ``normaliseText``): NFKC, case-folded, whitespace collapsed, surrounding
    punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .,;:!?'\"„“”‘’")


def number_fraction(value: float, answer: float, tolerance: float) -> float:
    """1.0 when ``value`` lies within ``tolerance`` of ``answer`` (NaN/inf never do)."""
    if math.isnan(value) or math.isinf(value):
        return 0.0
    return 1.0 if abs(value - answer) <= tolerance + 1e-9 else 0.0
