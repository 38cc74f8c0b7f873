"""Building throw-away courses and submissions (tests, benchmarks, demonstrations).

:func:`make_course` copies an assignment's source folder into a fresh course directory
and lets nbgrader generate the release (which also records the assignment in the
gradebook); :func:`make_submission` fills the released notebook's solution cells by
``grade_id``, as a learner would, and can edit the notebook further (hostile scenarios).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from ketencursus.grading.course import Course, tool_env


def nbgrader_env() -> dict[str, str]:
    return tool_env()


def make_course(root: Path, source: Path, book: Path | None = None) -> Course:
    """A course in ``root/grader`` with the assignment in ``source`` (its folder name is the
    assignment id), released with nbgrader; ``book`` (chapters with learning objectives) is
    copied to ``root/book``."""
    course = Course(Path(root) / "grader")
    course.root.mkdir(parents=True, exist_ok=True)
    assignment = source.name
    shutil.copytree(source, course.source(assignment), dirs_exist_ok=True)
    if book:
        shutil.copytree(book, Path(root) / "book", dirs_exist_ok=True)
    course.generate_assignment(assignment)  # with the package's nbgrader configuration
    return course


def make_submission(
    course: Course,
    assignment: str,
    student: str,
    answers: dict[str, str] | None = None,
    *,
    notebook: str | None = None,
    edit: Callable[[dict], None] | None = None,
    raw: bytes | None = None,
    timestamp: str = "2026-01-15 10:00:00.000000 UTC",
) -> Path:
    """Write ``submitted/<student>/<assignment>/<notebook>``: the released notebook with the
    solution cells named in ``answers`` (grade_id -> code) filled in, then ``edit``-ed; or
    exactly ``raw`` bytes."""
    release = course.release(assignment)
    names = sorted(p.name for p in release.glob("*.ipynb"))
    name = notebook or names[0]
    folder = course.submitted(student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if raw is not None:
        target.write_bytes(raw)
    else:
        nb = json.loads((release / name).read_text("utf-8"))
        for cell in nb["cells"]:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if answers and gid in answers:
                cell["source"] = answers[gid]
        if edit:
            edit(nb)
        target.write_text(json.dumps(nb, indent=1, ensure_ascii=False), "utf-8")
    (folder / "timestamp.txt").write_text(timestamp, "utf-8")
    return target
