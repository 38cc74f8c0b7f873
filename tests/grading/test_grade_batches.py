"""The gradebook is written in batches (one transaction for the results that are ready),
and each grade is durable before its journal says it was graded: a run that dies midway
loses no reported grade, and one result the gradebook refuses spoils nothing else."""

from __future__ import annotations

import pytest

from ketencursus.grading import runner
from ketencursus.grading.pipeline import (
    ItemResult,
    NotebookResult,
    SubmissionResult,
    load_assignment,
)
from ketencursus.grading.runner import grade_assignment, read_journal, record_batch
from tests.grading.grading_helpers import (
    ASSIGNMENT,
    CORRECT,
    FAST_LIMITS,
    auto_scores,
    course_copy,
    submit,
)

pytestmark = pytest.mark.timeout(600)


def _result(spec, student: str) -> SubmissionResult:
    """A graded submission as a worker returns it: every test passed."""
    result = SubmissionResult(ASSIGNMENT, student, fingerprint=f"vingerafdruk-{student}",
                              timestamp="2026-01-15 10:00:00.000000 UTC")
    for notebook in spec.notebooks:
        graded = NotebookResult(notebook.name)
        graded.items = [ItemResult(gid, "auto", test.points, test.points)
                        for gid, test in notebook.tests.items()]
        graded.items += [ItemResult(gid, "manual", points, None)
                         for gid, points in notebook.manual.items()]
        result.notebooks.append(graded)
    return result


def test_each_grade_is_in_the_gradebook_before_its_journal_says_graded(tmp_path,
                                                                       monkeypatch):
    course = course_copy(tmp_path)
    for student in ("anna", "bert", "carla"):
        submit(course, student, CORRECT)
    seen: dict[str, dict] = {}
    journal = runner.write_journal

    def checked_journal(course_, result):
        # another connection, as a later run (or the formgrader) would read the file
        seen[result.student] = auto_scores(course_, result.student)
        journal(course_, result)

    monkeypatch.setattr(runner, "write_journal", checked_journal)
    summary = grade_assignment(course, ASSIGNMENT, workers=2, limits=FAST_LIMITS,
                               progress=False, echo=lambda _: None)
    assert summary.graded == 3 and summary.internal_errors == 0
    for student in ("anna", "bert", "carla"):
        assert seen[student]["test_doorlooptijd"] == 2.0, student  # committed already
        assert read_journal(course, ASSIGNMENT, student)["status"] == "done"


def test_a_result_the_gradebook_refuses_spoils_nothing_else_in_its_batch(tmp_path,
                                                                         monkeypatch):
    course = course_copy(tmp_path)
    spec = load_assignment(course, ASSIGNMENT)
    results = [_result(spec, student) for student in ("anna", "bert", "carla")]
    write = runner.write_grades

    def refuse_bert(gb, result):
        write(gb, result)  # bert's rows are made, then the write fails halfway
        if result.student == "bert":
            raise RuntimeError("schijf vol")

    monkeypatch.setattr(runner, "write_grades", refuse_bert)
    with course.gradebook() as gb:
        runner.ensure_students(gb, [r.student for r in results])
        record_batch(course, gb, results)
    for student in ("anna", "carla"):
        assert auto_scores(course, student)["test_doorlooptijd"] == 2.0, student
        assert read_journal(course, ASSIGNMENT, student)["status"] == "done"
    bert = results[1]
    assert "cijferlijst: RuntimeError: schijf vol" in bert.internal_error
    assert read_journal(course, ASSIGNMENT, "bert")["status"] == "internal-error"
    # nothing of bert's is final in the gradebook: a human (or a rerun) decides
    from nbgrader.api import MissingEntry

    try:
        bert_scores = auto_scores(course, "bert")
    except MissingEntry:
        bert_scores = {}
    assert all(score is None for score in bert_scores.values())


def test_a_batch_is_one_commit_whatever_nbgrader_commits_inside_it(tmp_path, monkeypatch):
    course = course_copy(tmp_path)
    spec = load_assignment(course, ASSIGNMENT)
    results = [_result(spec, f"cursist{n}") for n in range(5)]
    with course.gradebook() as gb:
        runner.ensure_students(gb, [r.student for r in results])
        commits = []
        real_commit = gb.db.commit
        monkeypatch.setattr(gb.db, "commit", lambda: (commits.append(1), real_commit()))
        record_batch(course, gb, results)
    assert len(commits) == 1
    for result in results:
        assert auto_scores(course, result.student)["test_partner"] == 1.0
