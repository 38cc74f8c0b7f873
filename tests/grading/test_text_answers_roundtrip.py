"""The assignments answered without Python (the knowledge test and the two leesroutes) through
the real tools: ``ketencursus assignments``, ``nbgrader generate_assignment`` (the release),
submissions typed as a learner would, and ``ketencursus grade`` (the sandboxed grader, which
reads the plain-text answer cells and never executes them). Correct answers get full marks, an
untouched or emptied notebook gets zero, and a garbled answer gets 0 for that item with a
Dutch hint, never a crash or an internal error."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ketencursus.cli import main
from ketencursus.grading.course import Course
from ketencursus.grading.runner import load_result
from ketencursus.objectives import read_objectives
from ketencursus.quiz.assignments import TEXT_ANSWER_STUB, text_model_answers
from ketencursus.quiz.bank import load_bank
from ketencursus.quiz.scoring import selection_fraction
from tests.support.grading import make_submission, nbgrader_env

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = ROOT / "exercises" / "assignments"
# A garbled answer per format: what a learner might type that is not an answer.
GARBLED = {
    "letter": "ik twijfel tussen b en c",
    "letters": "alle behalve d???",
    "number": "ongeveer twaalf dagen",
    "term": "x" * 400,
}
HOSTILE = "__import__('os').system('touch /tmp/kc-text-answer-ran')"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]


def _course(tmp_path: Path, name: str) -> Course:
    course = Course(tmp_path / "grader")
    course.root.mkdir()
    shutil.copyfile(ROOT / "grader" / "nbgrader_config.py", course.config_file)
    assert main(["assignments", name, "--course", str(course.root)]) == 0
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), "generate_assignment", name, "--force"],
        cwd=course.root, capture_output=True, text=True, env=nbgrader_env())
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return course


def _text_cells(course: Course, name: str) -> dict[str, str]:
    """grade_id -> format of every plain-text answer cell in the release."""
    (release,) = course.release(name).glob("*.ipynb")
    cells = json.loads(release.read_text("utf-8"))["cells"]
    found = {}
    for cell in cells:
        meta = cell.get("metadata", {})
        if "text_answer" in meta.get("ketencursus", {}):
            found[meta["nbgrader"]["grade_id"]] = meta["ketencursus"]["format"]
            assert "".join(cell["source"]) == TEXT_ANSWER_STUB
    assert found
    return found


def _auto_items(course: Course, name: str, student: str) -> dict:
    result = load_result(course, name, student)
    assert result is not None and result.internal_error is None, student
    return {i.grade_id: i for nb in result.notebooks for i in nb.items if i.kind == "auto"}


def _grade(course: Course, name: str) -> None:
    code = main(["grade", name, "--course", str(course.root), "--workers", "2",
                 "--no-progress"])
    assert code in (0, 1)


@pytest.mark.parametrize("name", ["kennistoets", "loonaangifteketen-leesroute",
                                  "werkpleinen-leesroute"])
def test_typed_answers_round_trip_through_the_grader(tmp_path, name):
    bank = load_bank(ROOT / "exercises" / "bank", read_objectives(ROOT / "book"))
    course = _course(tmp_path, name)
    formats = _text_cells(course, name)
    model = text_model_answers(ASSIGNMENTS, name, bank)
    assert set(model) == set(formats)
    make_submission(course, name, "goed", model)
    make_submission(course, name, "leeg")  # the release as handed out
    make_submission(course, name, "blanco", {gid: "" for gid in formats})
    multiple = [q for q in bank.graded() if q.type == "multiple"]
    if name == "kennistoets":
        make_submission(course, name, "deels",  # one right letter of each multiple item
                        {f"{q.id}-antwoord": q.correct_options[0] for q in multiple})
        garbled = {gid: GARBLED[fmt] for gid, fmt in formats.items()}
        first = next(iter(formats))
        garbled[first] = HOSTILE
        make_submission(course, name, "rommel", garbled)
    _grade(course, name)

    good = _auto_items(course, name, "goed")
    # one test per answer cell (a multiple-response item: one per partial-credit step)
    assert {g.rsplit("-toets", 1)[0] for g in good} == {g.removesuffix("-antwoord")
                                                        for g in formats}
    assert all(i.score == i.max_points for i in good.values()), \
        [(g, i.reason, i.detail) for g, i in good.items() if i.score != i.max_points]
    for student in ("leeg", "blanco"):
        assert all(i.score == 0 for i in _auto_items(course, name, student).values())
    if name == "kennistoets":
        assert multiple
        partly = _auto_items(course, name, "deels")
        for question in multiple:
            earned = sum(i.score or 0 for g, i in partly.items()
                         if g.rsplit("-toets", 1)[0] == question.id)
            right = set(question.correct_options)
            wrong = {o.id for o in question.options} - right
            fraction = selection_fraction([question.correct_options[0]], right, wrong)
            assert earned == pytest.approx(question.points * fraction, abs=1e-5), question.id
            assert 0 < earned < question.points, question.id  # partial credit, as in Moodle
        messy = _auto_items(course, name, "rommel")
        assert all(i.score == 0 for i in messy.values())
        for item in messy.values():
            assert item.detail.strip(), item.grade_id  # says what went wrong
            assert any(w in item.detail.lower() for w in ("typ", "antwoord", "getal", "letter")), \
                item.detail
        assert not Path("/tmp/kc-text-answer-ran").exists()  # typed text is never executed
