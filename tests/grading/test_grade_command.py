"""``ketencursus grade``: the command end to end on the fixture assignment."""

from __future__ import annotations

import json

import nbformat
import pytest

from ketencursus.cli import main
from ketencursus.grading import sandbox as sb
from ketencursus.grading.runner import grade_assignment
from tests.grading.grading_helpers import (
    ASSIGNMENT,
    CORRECT,
    NOTEBOOK,
    WRONG,
    auto_scores,
    course_copy,
    submit,
)

pytestmark = pytest.mark.timeout(600)


def grade_cli(course, *extra):
    return main(["grade", ASSIGNMENT, "--course", str(course.root), "--no-progress", *extra])


@pytest.fixture()
def three_learners(tmp_path):
    course = course_copy(tmp_path)
    submit(course, "anna", CORRECT)
    submit(course, "bram", WRONG)
    submit(course, "chris", {**WRONG, "antwoord_aantal_cel": CORRECT["antwoord_aantal_cel"]})
    return course


def test_grade_scores_every_submission_and_writes_logs(three_learners, capsys):
    course = three_learners
    assert grade_cli(course, "--workers", "2") == 0
    out = capsys.readouterr().out
    assert "3 nagekeken, 0 overgeslagen" in out
    assert auto_scores(course, "anna") == {"test_aantal": 1.0, "test_doorlooptijd": 2.0,
                                           "test_partner": 1.0, "reflectie_gemiddelde": None}
    # bram left the written answer as released: no response, zero (as nbgrader does)
    assert auto_scores(course, "bram") == {"test_aantal": 0.0, "test_doorlooptijd": 0.0,
                                           "test_partner": 0.0, "reflectie_gemiddelde": 0.0}
    assert auto_scores(course, "chris")["test_aantal"] == 1.0
    for student in ("anna", "bram", "chris"):
        log = course.log_file(ASSIGNMENT, student).read_text("utf-8")
        assert f"nakijken {ASSIGNMENT} / {student}" in log and "totaal" in log
        text = (course.autograded(student, ASSIGNMENT) / NOTEBOOK).read_text()
        nbformat.validate(nbformat.reads(text, as_version=4))  # opens in the formgrader
        graded = json.loads(text)
        test_cells = [c for c in graded["cells"]
                      if c["metadata"].get("nbgrader", {}).get("grade_id", "").startswith("test_")]
        assert len(test_cells) == 3  # restored from the source, with nbgrader metadata
    with course.gradebook() as gb:
        grade = gb.find_grade("reflectie_gemiddelde", "ketenmeting", ASSIGNMENT, "anna")
        assert grade.needs_manual_grade
        assert gb.find_submission(ASSIGNMENT, "anna").timestamp is not None


def test_grade_is_resumable_and_force_regrades(three_learners, capsys):
    course = three_learners
    assert grade_cli(course) == 0
    capsys.readouterr()
    assert grade_cli(course) == 0
    assert "0 nagekeken, 3 overgeslagen" in capsys.readouterr().out
    # a re-collected submission is graded again without --force
    submit(course, "bram", CORRECT)
    assert grade_cli(course) == 0
    assert "1 nagekeken, 2 overgeslagen" in capsys.readouterr().out
    assert auto_scores(course, "bram")["test_doorlooptijd"] == 2.0
    assert grade_cli(course, "--force") == 0
    assert "3 nagekeken, 0 overgeslagen" in capsys.readouterr().out


def test_regrading_keeps_the_graders_manual_scores(three_learners):
    course = three_learners
    grade_assignment(course, ASSIGNMENT, progress=False, limits=sb.Limits(cell_timeout=10))
    with course.gradebook() as gb:
        grade = gb.find_grade("reflectie_gemiddelde", "ketenmeting", ASSIGNMENT, "anna")
        grade.manual_score = 1.5
        gb.db.commit()
    grade_assignment(course, ASSIGNMENT, force=True, progress=False)
    with course.gradebook() as gb:
        grade = gb.find_grade("reflectie_gemiddelde", "ketenmeting", ASSIGNMENT, "anna")
        assert grade.manual_score == 1.5 and grade.score == 1.5


def test_grade_without_submissions_says_what_to_do(tmp_path, capsys):
    course = course_copy(tmp_path)
    assert grade_cli(course) == 2
    err = capsys.readouterr().err
    assert "geen inzendingen" in err and "ketencursus collect" in err


def test_grade_of_an_unknown_assignment_says_what_to_do(tmp_path, capsys):
    course = course_copy(tmp_path)
    assert main(["grade", "bestaat_niet", "--course", str(course.root)]) == 2
    assert "geen bronmap" in capsys.readouterr().err


def test_grade_refuses_zero_workers(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["grade", ASSIGNMENT, "--course", str(tmp_path), "--workers", "0"])
    assert "minstens 1" in capsys.readouterr().err


def test_grade_records_an_assignment_the_gradebook_does_not_know(tmp_path):
    course = course_copy(tmp_path)
    course.gradebook_path.unlink()
    submit(course, "anna", CORRECT)
    messages = []
    summary = grade_assignment(course, ASSIGNMENT, progress=False, echo=messages.append)
    assert summary.graded == 1
    assert any("generate_assignment" in m for m in messages)
    assert auto_scores(course, "anna")["test_doorlooptijd"] == 2.0
