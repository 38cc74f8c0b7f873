"""The course's graded end product, the action plan, through the instructor's whole round:
generated from exercises/ (one answer cell per rubric criterion), released by nbgrader,
graded by ``ketencursus grade`` (nothing automatic: every written part waits for the
instructor, an untouched part scores 0), scored by hand through nbgrader's own Gradebook API
(what the formgrader writes), and then found in the grade export and in the report's item
statistics and objective mastery, exactly like automatic scores."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ketencursus.cli import main
from ketencursus.grading.course import Course
from ketencursus.grading.export import export_grades
from ketencursus.grading.report import build_report
from ketencursus.grading.runner import grade_assignment, load_result
from ketencursus.grading.sandbox import Limits
from ketencursus.quiz.assignments import load_assignment_rubrics
from tests.support.grading import make_submission, nbgrader_env

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "actieplan"
CRITERIA = ("diagnose", "interventies", "weerstand", "verankering", "evaluatie")
# The instructor's rubric scores per criterion (0, 1 or 2), as entered in the formgrader.
SCORES = {
    "anna": (2, 2, 1, 2, 2),
    "bram": (1, 0, 1, 1, 1),
    "chris": (2, 1, 0, None, None),  # wrote only the first three parts
}

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _answers(student: str) -> dict[str, str]:
    written = {}
    for criterion, score in zip(CRITERIA, SCORES[student], strict=True):
        if score is not None:
            written[f"{ASSIGNMENT}-{criterion}"] = (
                f"Mijn {criterion} voor de keten van het werkplein ({student}).")
    return written


def test_manual_rubric_scores_reach_the_export_and_the_item_statistics(tmp_path):
    rubric = load_assignment_rubrics(ROOT / "exercises" / "assignments")["actieplan"]
    assert [c.id for c in rubric.criteria] == list(CRITERIA)
    shutil.copytree(ROOT / "book", tmp_path / "book")  # the objectives, for the report
    course = Course(tmp_path / "grader")
    course.root.mkdir()
    shutil.copyfile(ROOT / "grader" / "nbgrader_config.py", course.config_file)
    assert main(["assignments", ASSIGNMENT, "--course", str(course.root)]) == 0
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), "generate_assignment", ASSIGNMENT,
         "--force"], cwd=course.root, capture_output=True, text=True, env=nbgrader_env())
    assert proc.returncode == 0, proc.stderr[-2000:]
    for student in SCORES:
        make_submission(course, ASSIGNMENT, student, _answers(student))
    make_submission(course, ASSIGNMENT, "dewi")  # handed in the release untouched

    summary = grade_assignment(course, ASSIGNMENT, workers=1, progress=False,
                               limits=Limits(cell_timeout=20.0, test_timeout=10.0),
                               echo=lambda text: None)
    assert summary.graded == 4 and summary.internal_errors == 0
    chris = {i.grade_id: i for nb in load_result(course, ASSIGNMENT, "chris").notebooks
             for i in nb.items}
    assert all(i.kind == "manual" for i in chris.values())
    assert chris["actieplan-diagnose"].score is None  # written: waits for the instructor
    assert chris["actieplan-evaluatie"].score == 0  # left as released: 0, nothing to grade

    # The instructor scores every written part with the rubric (nbgrader's Gradebook API,
    # which is what the formgrader's grade form writes).
    with course.gradebook() as gb:
        for student, scores in SCORES.items():
            for criterion, score in zip(CRITERIA, scores, strict=True):
                grade = gb.find_grade(f"{ASSIGNMENT}-{criterion}", ASSIGNMENT, ASSIGNMENT,
                                      student)
                if score is None:
                    assert grade.score == 0 and not grade.needs_manual_grade
                    continue
                assert grade.needs_manual_grade and grade.manual_score is None
                grade.manual_score = float(score)
                grade.needs_manual_grade = False
        gb.db.commit()

    result = export_grades(course, "csv", assignments=[ASSIGNMENT],
                           output=tmp_path / "cijfers.csv")
    rows = list(csv.DictReader(io.StringIO(result.path.read_text(encoding="utf-8-sig"))))
    (column,) = [k for k in rows[0] if k.startswith(ASSIGNMENT)]
    totals = {row[next(iter(row))]: row[column] for row in rows}
    assert {k: float(v) for k, v in totals.items()} == {
        "anna": 9.0, "bram": 4.0, "chris": 3.0, "dewi": 0.0}
    assert not any("wachten" in note for note in result.notes)

    page, analysis = build_report(course, ASSIGNMENT, tmp_path / "rapport")
    assert analysis.scores.students == ["anna", "bram", "chris", "dewi"]
    assert analysis.scores.names == [f"{ASSIGNMENT}-{c}" for c in CRITERIA]
    assert analysis.scores.max_marks == [2.0] * 5
    facility = {i.name: i.facility for i in analysis.test.items}
    # diagnose: 2 + 1 + 2 + 0 = 5 of 4 x 2 -> 62.5 %
    assert facility[f"{ASSIGNMENT}-diagnose"] == pytest.approx(62.5)
    assert facility[f"{ASSIGNMENT}-evaluatie"] == pytest.approx(100 * 3 / 8)
    mastered = {m.objective for m in analysis.mastery}
    assert {"h7.1", "h7.2", "h7.3", "h7.4", "h7.5"} <= mastered
    text = page.read_text(encoding="utf-8")
    assert f"{ASSIGNMENT}-verankering" in text
