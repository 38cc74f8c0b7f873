"""Helpers for the grading tests (part A): the fixture assignment, released once per test
session into a template course that each test copies (nbgrader's generate_assignment is
slow; copying a course directory is not)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from ketencursus.grading import sandbox as sb
from ketencursus.grading.course import Course
from tests.support.grading import make_course, make_submission

FIXTURES = Path(__file__).parent / "fixtures"
ASSIGNMENT = "ketenmeting"
NOTEBOOK = "ketenmeting.ipynb"
HOSTILE = FIXTURES / "hostile"

CORRECT = {
    "antwoord_aantal_cel": "antwoord_aantal = int(len(zaken))",
    "antwoord_doorlooptijd_cel": (
        'antwoord_gemiddelde_doorlooptijd = float(zaken["doorlooptijd_dagen"].mean())\n'
        "print('gemiddelde berekend')"
    ),
    "antwoord_partner_cel": 'antwoord_partner = "b"',
    "reflectie_gemiddelde": "Uitschieters trekken het gemiddelde omhoog.",
}
WRONG = {
    "antwoord_aantal_cel": "antwoord_aantal = 7",
    "antwoord_doorlooptijd_cel": "antwoord_gemiddelde_doorlooptijd = 10.0",
    "antwoord_partner_cel": 'antwoord_partner = "c"',
}
# What only the instructor's source holds: hidden test lines, expected values, solutions.
SECRETS = [
    "BEGIN HIDDEN TESTS",
    "check_int(antwoord_aantal, 6)",
    "13.25",
    'check_choice(antwoord_partner, "b"',
    "BEGIN SOLUTION",
    "Een gemiddelde verbergt de spreiding",
    'float(zaken["doorlooptijd_dagen"].mean())\n### END',
]
FAST_LIMITS = sb.Limits(cell_timeout=8.0, grace=2.0, test_timeout=5.0, submission_timeout=30.0)


@lru_cache(maxsize=1)
def _template() -> Path:
    root = Path(tempfile.mkdtemp(prefix="ketencursus-grading-template-"))
    atexit.register(shutil.rmtree, root, True)
    make_course(root, FIXTURES / "source" / ASSIGNMENT, FIXTURES / "book")
    return root


def course_copy(tmp_path: Path) -> Course:
    """A fresh course (with book/) in ``tmp_path``: the fixture assignment released and
    recorded in its gradebook, no submissions yet."""
    shutil.copytree(_template(), tmp_path, dirs_exist_ok=True)
    return Course(tmp_path / "grader")


def submit(course: Course, student: str, answers: dict[str, str] | None = None, **kwargs
           ) -> Path:
    return make_submission(course, ASSIGNMENT, student, answers, **kwargs)


def auto_scores(course: Course, student: str) -> dict[str, float | None]:
    """grade_id -> auto_score of ``student``'s submission, read from the gradebook."""
    with course.gradebook() as gb:
        submission = gb.find_submission(ASSIGNMENT, student)
        return {g.name: g.auto_score for nb in submission.notebooks for g in nb.grades}
