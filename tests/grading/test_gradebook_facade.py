"""The one rule of ``grading.gradebook``: which nbgrader score is final."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ketencursus.grading.gradebook import SubmissionScores, final_score, record_auto_score


def grade(auto=None, manual=None, extra=None, needs=True):
    # nbgrader's Grade.score: manual (else auto) plus extra credit, 0 when neither is set
    base = manual if manual is not None else auto
    score = (base + (extra or 0.0)) if base is not None else 0.0
    return SimpleNamespace(auto_score=auto, manual_score=manual, extra_credit=extra,
                           needs_manual_grade=needs, score=score)


@pytest.mark.parametrize(("g", "expected"), [
    (grade(auto=2.0, needs=False), 2.0),  # autograded
    (grade(auto=0.0, needs=False), 0.0),  # a real 0 is final, not "missing"
    (grade(needs=True), None),  # a written answer nobody graded yet
    (grade(auto=1.0, needs=True), None),  # flagged for a human
    (grade(manual=4.0, needs=False), 4.0),  # graded in the formgrader
    (grade(auto=1.0, manual=3.0, needs=True), 3.0),  # re-autograded after a manual grade
    (grade(manual=4.0, extra=1.0, needs=False), 5.0),  # extra credit counts
    (grade(needs=False), None),  # no score at all is never a 0
])
def test_final_score_rule(g, expected):
    assert final_score(g) == expected


def test_recording_an_auto_score_keeps_a_manual_grade_final_and_asks_for_review():
    g = grade(manual=3.0, needs=False)
    record_auto_score(g, 1.0)
    assert g.auto_score == 1.0 and g.needs_manual_grade is True
    g.score = 3.0
    assert final_score(g) == 3.0
    fresh = grade(needs=True)
    record_auto_score(fresh, None)
    assert fresh.needs_manual_grade is True and final_score(fresh) is None


def test_a_submission_is_complete_only_when_every_item_is_final():
    done = SubmissionScores("anna", {("nb", "q1"): 2.0, ("nb", "r"): 3.5})
    waiting = SubmissionScores("bram", {("nb", "q1"): 2.0, ("nb", "r"): None})
    assert done.total == 5.5 and done.complete
    assert waiting.total is None and waiting.partial_total() == 2.0
    assert waiting.pending == [("nb", "r")]
