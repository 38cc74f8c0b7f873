"""The pipeline on a real assignment of the course (exercises/assignments, generated with
``ketencursus assignments``): the instructor's own solutions score every point in the
sandbox, the untouched release scores none, and the feedback leaks no hidden test."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from ketencursus.cli import main
from ketencursus.grading.course import Course
from ketencursus.grading.runner import grade_assignment, load_result
from tests.support.grading import make_submission, nbgrader_env

ROOT = Path(__file__).resolve().parents[2]
PREFERRED = "loonaangifteketen"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def pick_assignment() -> str:
    names = sorted(p.name for p in (ROOT / "exercises" / "assignments").iterdir() if p.is_dir())
    assert names, "exercises/assignments/ is leeg"
    return PREFERRED if PREFERRED in names else names[0]


def test_solutions_score_everything_and_the_release_nothing(tmp_path):
    import subprocess
    import sys

    assignment = pick_assignment()
    course = Course(tmp_path / "grader")
    course.root.mkdir()
    shutil.copyfile(ROOT / "grader" / "nbgrader_config.py", course.config_file)
    assert main(["assignments", assignment, "--course", str(course.root)]) == 0
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), "generate_assignment", assignment,
         "--force"], cwd=course.root, capture_output=True, text=True, env=nbgrader_env())
    assert proc.returncode == 0, proc.stderr[-2000:]
    notebooks = course.source_notebooks(assignment)
    for path in notebooks:
        source = json.loads(path.read_text("utf-8"))
        make_submission(course, assignment, "oplossing", notebook=path.name,
                        edit=lambda nb, cells=source["cells"]: nb.update(cells=cells))
        make_submission(course, assignment, "leeg", notebook=path.name)

    summary = grade_assignment(course, assignment, progress=False)
    assert summary.graded == 2 and summary.internal_errors == 0

    solved = load_result(course, assignment, "oplossing")
    auto = [i for nb in solved.notebooks for i in nb.items if i.kind == "auto"]
    assert auto, "de opdracht heeft geen automatisch nagekeken onderdelen"
    assert all(i.score == i.max_points for i in auto), [(i.grade_id, i.reason) for i in auto]
    empty = load_result(course, assignment, "leeg")
    assert all(i.score == 0 for nb in empty.notebooks for i in nb.items if i.kind == "auto")

    assert main(["feedback", assignment, "--course", str(course.root)]) == 0
    hidden = []
    for path in notebooks:
        for cell in json.loads(path.read_text("utf-8"))["cells"]:
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            hidden += re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", text, re.S)
    assert hidden
    for student in ("oplossing", "leeg"):
        for page in course.feedback(student, assignment).glob("*.html"):
            text = html.unescape(page.read_text("utf-8"))
            for block in hidden:
                for line in block.strip().splitlines():
                    assert line.strip() not in text, (student, line)
