"""The grading course directory: the ONE place that builds course paths.

Like nbgrader's ``CourseDirectory``, every per-learner path follows
``{step}/{student}/{assignment}`` below the course root (default: the repository's
``grader/``). Nothing else in :mod:`ketencursus.grading` joins path strings itself.

Names that end up in paths (assignment ids, student ids, notebook names) are checked by
:func:`check_name`, so a name taken from a zip entry or the command line can never point
outside the course.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ketencursus.errors import UserError

COURSE_ID = "ketencursus"

# Steps of nbgrader's directory structure, plus the ones this package adds.
SOURCE = "source"
RELEASE = "release"
SUBMITTED = "submitted"
AUTOGRADED = "autograded"
FEEDBACK = "feedback"
STEPS = (SOURCE, RELEASE, SUBMITTED, AUTOGRADED, FEEDBACK)

# A safe path component: letters (incl. accented), digits, '.', '_', '-'; not starting with
# '.', at most 100 characters.
SAFE_NAME = re.compile(r"^(?!\.)[\w.\-]{1,100}\Z", re.UNICODE)

# The one nbgrader configuration (package data), copied into every course that has none.
CONFIG_TEMPLATE = Path(__file__).resolve().parent / "config" / "nbgrader_config.py"


def tool_env() -> dict[str, str]:
    """The environment for nbgrader and the tools it starts (``alembic``): this interpreter's
    ``bin`` directory (the virtual environment) first on ``PATH``."""
    bin_dir = os.path.dirname(sys.executable)
    path = os.environ.get("PATH", "")
    if bin_dir not in path.split(os.pathsep):
        path = f"{bin_dir}{os.pathsep}{path}"
    return dict(os.environ, PATH=path)


class CourseError(UserError, ValueError):
    """A problem with the course directory or a name in it; the message is Dutch."""


def check_name(name: str, what: str = "naam") -> str:
    """Return ``name`` if it is safe as one path component, else raise :class:`CourseError`."""
    if not isinstance(name, str) or not SAFE_NAME.match(name) or name in {".", ".."}:
        raise CourseError(
            f"Ongeldige {what} {name!r}: gebruik alleen letters, cijfers, '.', '_' en '-' "
            "(geen spaties of schuine strepen, niet beginnen met een punt)."
        )
    return name


@dataclass(frozen=True)
class Course:
    """An nbgrader course directory (``root``) and every path below it."""

    root: Path

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def from_arg(cls, course: str | Path | None) -> Course:
        """The course of ``--course DIR``; without it the repository's ``grader/`` (or
        ``./grader`` when not inside the repository)."""
        if course:
            return cls(Path(course).expanduser().resolve())
        from ketencursus.paths import ProjectLayout, ProjectNotFoundError

        try:
            return cls(ProjectLayout.discover().grader)
        except ProjectNotFoundError:
            return cls((Path.cwd() / "grader").resolve())

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root).resolve())

    # ---- course-level files -------------------------------------------------------------
    @property
    def config_file(self) -> Path:
        return self.root / "nbgrader_config.py"

    @property
    def gradebook_path(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def gradebook_url(self) -> str:
        return f"sqlite:///{self.gradebook_path}"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def logs(self) -> Path:
        return self.root / "logs"


    def ensure_config(self) -> Path:
        """Copy the package's ``nbgrader_config.py`` (:data:`CONFIG_TEMPLATE`: hidden tests
        and their tracebacks never in feedback, Dutch stubs, timeouts) into the course if it
        has none; return its path. A course's own configuration is left alone."""
        self.root.mkdir(parents=True, exist_ok=True)
        if not self.config_file.exists():
            shutil.copyfile(CONFIG_TEMPLATE, self.config_file)
        return self.config_file

    def generate_assignment(self, assignment: str) -> None:
        """Run ``nbgrader generate_assignment`` for ``assignment`` in this course (with the
        course's configuration, made first if missing): the release, and the assignment's
        notebooks and cells in the gradebook. The one place that starts it for grading."""
        self.ensure_config()
        proc = subprocess.run(
            [str(Path(sys.executable).parent / "nbgrader"), "generate_assignment",
             check_name(assignment, "opdrachtnaam"), "--force"],
            cwd=self.root, capture_output=True, text=True, env=tool_env(),
        )
        if proc.returncode != 0:
            raise CourseError(
                f"nbgrader generate_assignment {assignment} mislukte; controleer de "
                f"bronnotebooks in {self.source(assignment)}.\n"
                f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
            )

    # ---- {step}/{student}/{assignment} --------------------------------------------------
    def path(self, step: str, assignment: str, student: str | None = None) -> Path:
        """``root/step/[student/]assignment``; source and release have no student level."""
        if step not in STEPS:
            raise CourseError(f"Onbekende stap {step!r}; kies uit {', '.join(STEPS)}.")
        check_name(assignment, "opdrachtnaam")
        if step in (SOURCE, RELEASE):
            return self.root / step / assignment
        if student is None:
            raise CourseError(f"De stap {step!r} hoort bij een cursist: geef een studentnaam.")
        return self.root / step / check_name(student, "studentnaam") / assignment

    def source(self, assignment: str) -> Path:
        return self.path(SOURCE, assignment)

    def release(self, assignment: str) -> Path:
        return self.path(RELEASE, assignment)

    def submitted(self, student: str, assignment: str) -> Path:
        return self.path(SUBMITTED, assignment, student)

    def autograded(self, student: str, assignment: str) -> Path:
        return self.path(AUTOGRADED, assignment, student)

    def feedback(self, student: str, assignment: str) -> Path:
        return self.path(FEEDBACK, assignment, student)

    def log_file(self, assignment: str, student: str) -> Path:
        """One log per submission: ``logs/<assignment>/<student>.log``."""
        return (
            self.logs / check_name(assignment, "opdrachtnaam")
            / f"{check_name(student, 'studentnaam')}.log"
        )

    def journal_file(self, assignment: str, student: str) -> Path:
        """The grading record of one submission (resumable runs, feedback):
        ``logs/<assignment>/<student>.json``, next to its log."""
        return self.log_file(assignment, student).with_suffix(".json")

    def export_file(self, fmt: str, suffix: str = "csv") -> Path:
        return self.exports / f"cijfers-{check_name(fmt, 'formaat')}.{suffix}"

    def report_dir(self, assignment: str) -> Path:
        return self.reports / check_name(assignment, "opdrachtnaam")

    # ---- listings -----------------------------------------------------------------------
    def source_notebooks(self, assignment: str) -> list[Path]:
        """The instructor's source notebooks of ``assignment`` (sorted)."""
        folder = self.source(assignment)
        if not folder.is_dir():
            raise CourseError(
                f"Opdracht {assignment!r} heeft geen bronmap {folder}. Maak de bronnotebooks "
                "eerst (ketencursus assignments) of controleer de naam."
            )
        notebooks = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
        if not notebooks:
            raise CourseError(f"In {folder} staan geen notebooks (.ipynb).")
        return notebooks

    def submitted_students(self, assignment: str) -> list[str]:
        """Students with a submission folder for ``assignment`` (sorted, safe names only)."""
        base = self.root / SUBMITTED
        if not base.is_dir():
            return []
        return sorted(
            d.name for d in base.iterdir()
            if d.is_dir() and SAFE_NAME.match(d.name) and (d / assignment).is_dir()
        )

    def assignments(self) -> list[str]:
        """Assignments that have a source folder (sorted)."""
        base = self.root / SOURCE
        if not base.is_dir():
            return []
        return sorted(d.name for d in base.iterdir() if d.is_dir() and SAFE_NAME.match(d.name))

    # ---- gradebook ----------------------------------------------------------------------
    @contextmanager
    def gradebook(self) -> Iterator[Any]:
        """The course's nbgrader ``Gradebook`` (created if missing), closed afterwards."""
        from nbgrader.api import Gradebook

        # nbgrader creates a new gradebook by running `alembic`, found on PATH
        os.environ["PATH"] = tool_env()["PATH"]
        self.root.mkdir(parents=True, exist_ok=True)
        from sqlalchemy.exc import DatabaseError

        try:
            gb = Gradebook(self.gradebook_url, course_id=COURSE_ID)
        except DatabaseError as exc:
            raise CourseError(
                f"Het cijferbestand {self.gradebook_path} is beschadigd of geen "
                f"nbgrader-cijferbestand ({exc.orig}). Zet een reservekopie terug, of verplaats "
                "het bestand en bouw het opnieuw op (nbgrader generate_assignment, daarna "
                "ketencursus grade --force)."
            ) from exc
        try:
            yield gb
        finally:
            gb.close()
