"""A failure of the grader or the sandbox is an internal error: graded once more, then
reported as such; never a learner's 0, never recorded as final; a rerun grades it again."""

from __future__ import annotations

import pytest

from ketencursus.grading import sandbox as sb
from ketencursus.grading.gradebook import final_score
from ketencursus.grading.runner import grade_assignment, read_journal
from tests.grading.grading_helpers import (
    ASSIGNMENT,
    CORRECT,
    FAST_LIMITS,
    auto_scores,
    course_copy,
    submit,
)

pytestmark = pytest.mark.timeout(600)

# Two open files: the sandboxed runner cannot even open its protocol channel, so it never
# says "ready" (a broken sandbox; forked by the zygote or started as a new interpreter)
BROKEN = sb.Limits(cell_timeout=4.0, grace=2.0, test_timeout=5.0, submission_timeout=30.0,
                   open_files=2)


def test_a_sandbox_that_does_not_start_is_an_internal_error_never_a_zero(tmp_path):
    course = course_copy(tmp_path)
    submit(course, "anna", CORRECT)
    messages: list[str] = []
    summary = grade_assignment(course, ASSIGNMENT, workers=1, limits=BROKEN, progress=False,
                               echo=messages.append)
    assert summary.internal_errors == 1
    assert "ging iets mis in de nakijkomgeving" in summary.to_text()
    with course.gradebook() as gb:
        submission = gb.find_submission(ASSIGNMENT, "anna")
        grades = [g for nb in submission.notebooks for g in nb.grades]
        assert all(g.auto_score is None for g in grades)
        assert all(final_score(g) is None for g in grades)  # waits for a human, not 0
    journal = read_journal(course, ASSIGNMENT, "anna")
    assert journal["status"] == "internal-error"
    log = course.log_file(ASSIGNMENT, "anna").read_text("utf-8")
    assert "poging 1 van 2" in log and "poging 2 van 2" in log
    assert "niet als cijfer vastgelegd" in log

    # a rerun (the sandbox repaired) grades the submission again, without --force
    again = grade_assignment(course, ASSIGNMENT, workers=1, limits=FAST_LIMITS,
                             progress=False, echo=messages.append)
    assert again.graded == 1 and again.skipped == 0 and again.internal_errors == 0
    assert auto_scores(course, "anna")["test_doorlooptijd"] == 2.0
