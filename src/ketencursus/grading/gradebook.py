"""The one place that reads and writes scores in nbgrader's gradebook, and the one rule that
decides whether a score is final.

Every other module of ``grading`` goes through this facade (the role nbgrader's own
``NbGraderAPI`` plays for its apps): ``export`` (grade files for the LMS), ``report`` (item
analysis), ``feedback`` (the learner's page) and ``runner`` (writing the autograder's
scores). None of them opens ``gradebook.db`` tables itself or looks at ``manual_score`` /
``needs_manual_grade``.

The rule (:func:`final_score`), for one grade cell or task cell of one submission:

* a score a human entered in the formgrader (``manual_score`` set) is final, whatever
  ``needs_manual_grade`` says (nbgrader raises that flag again after an autograde run over a
  manual grade, asking for a second look; the human score still stands, as nbgrader's own
  ``Grade.score`` has it);
* else an autograder score is final unless the cell still waits for a human
  (``needs_manual_grade``: a manually graded cell, or a rubric task);
* else the score is not final: ``None`` ("waits for manual grading"), never 0.

A final score is nbgrader's ``Grade.score``: the manual score if there is one, else the
autograder's, plus any extra credit the grader gave. A submission is complete when every
one of its grades is final; its total is then the sum, else ``None``.

API (all read functions take an open :class:`nbgrader.api.Gradebook`, e.g. from
``with course.gradebook() as gb``, or a :class:`~ketencursus.grading.course.Course`):

* :func:`final_score` (``grade -> float | None``) and :func:`is_final` – the rule;
* :func:`record_auto_score` (``grade, score``) – how the grader writes an autograder score
  (sets ``auto_score`` and the review flag the way nbgrader's ``SaveAutoGrades`` does);
* :func:`read_assignment` (``gb, name -> AssignmentScores``) – the assignment's items
  (cells with maximum, type and whether a human grades them) and per submission the final
  score of every item;
* :func:`read_submission` (``course, assignment, student -> SubmissionScores | None``);
* :func:`students` (``gb -> list[StudentRecord]``) and :func:`assignment_names` (``gb``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ketencursus.grading.course import Course


class AssignmentNotInGradebook(LookupError):
    """The gradebook has no assignment of that name (callers turn this into a Dutch
    message that fits their command)."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.known = known


# ---------------------------------------------------------------------------------------
# the rule
# ---------------------------------------------------------------------------------------


def final_score(grade: Any) -> float | None:
    """The final score of one nbgrader ``Grade``, or ``None`` while it waits for a human
    (see the module docstring)."""
    if grade.manual_score is None:
        if grade.auto_score is None or grade.needs_manual_grade:
            return None
    return float(grade.score or 0.0)


def is_final(grade: Any) -> bool:
    """Whether ``grade`` has a final score (:func:`final_score` is not ``None``)."""
    return final_score(grade) is not None


def record_auto_score(grade: Any, score: float | None) -> None:
    """Store the autograder's ``score`` (``None``: the grader could not score it, a human
    must). As nbgrader's ``SaveAutoGrades``: a cell without an autograder score, or with an
    earlier manual score, is flagged for a human to look at; the manual score stays final."""
    grade.auto_score = score
    grade.needs_manual_grade = score is None or grade.manual_score is not None


# ---------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInfo:
    """One graded cell of an assignment (a grade cell or a task cell)."""

    notebook: str  # notebook id (file name without .ipynb)
    name: str  # grade_id
    max_score: float
    cell_type: str  # "code" or "markdown"
    is_task: bool


@dataclass
class SubmissionScores:
    """Final scores of one submission: ``items`` maps ``(notebook, grade_id)`` to the final
    score, ``None`` for an item that waits for a human."""

    student: str
    items: dict[tuple[str, str], float | None] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return all(score is not None for score in self.items.values())

    @property
    def pending(self) -> list[tuple[str, str]]:
        return [key for key, score in self.items.items() if score is None]

    @property
    def total(self) -> float | None:
        """The sum of the final scores; ``None`` while any item waits for a human."""
        if not self.complete:
            return None
        return float(sum(score for score in self.items.values() if score is not None))

    def partial_total(self) -> float:
        """The sum of the final scores so far (items waiting for a human count 0)."""
        return float(sum(score for score in self.items.values() if score is not None))


@dataclass
class AssignmentScores:
    """An assignment in the gradebook: its items and every submission's final scores."""

    name: str
    items: list[ItemInfo]
    submissions: dict[str, SubmissionScores]

    @property
    def max_score(self) -> float:
        return float(sum(item.max_score for item in self.items))


@dataclass(frozen=True)
class StudentRecord:
    student_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""

    @property
    def name(self) -> str:
        return " ".join(filter(None, [self.first_name, self.last_name]))


@contextmanager
def _opened(source: Any) -> Iterator[Any]:
    """An open gradebook from a ``Course`` (opened and closed here) or an open one."""
    if hasattr(source, "gradebook") and hasattr(source, "gradebook_path"):
        with source.gradebook() as gb:
            yield gb
    else:
        yield source


def assignment_names(source: Any) -> list[str]:
    with _opened(source) as gb:
        return sorted(a.name for a in gb.assignments)


def students(source: Any) -> list[StudentRecord]:
    """Every student of the gradebook, by id."""
    with _opened(source) as gb:
        return sorted(
            (StudentRecord(s.id, s.first_name or "", s.last_name or "", s.email or "")
             for s in gb.students),
            key=lambda s: s.student_id,
        )


def _submission_scores(submission: Any) -> SubmissionScores:
    scores = SubmissionScores(submission.student.id)
    for snb in submission.notebooks:
        for grade in snb.grades:
            scores.items[(snb.notebook.name, grade.cell.name)] = final_score(grade)
    return scores


def read_assignment(source: Any, name: str) -> AssignmentScores:
    """The items and final scores of assignment ``name``; raises
    :class:`AssignmentNotInGradebook`."""
    from nbgrader.api import MissingEntry

    with _opened(source) as gb:
        try:
            record = gb.find_assignment(name)
        except MissingEntry:
            raise AssignmentNotInGradebook(
                name, sorted(a.name for a in gb.assignments)) from None
        items: list[ItemInfo] = []
        for notebook in sorted(record.notebooks, key=lambda n: n.name):
            for cell in notebook.grade_cells:
                items.append(ItemInfo(notebook.name, cell.name, float(cell.max_score),
                                      cell.cell_type, False))
            for cell in notebook.task_cells:
                items.append(ItemInfo(notebook.name, cell.name, float(cell.max_score),
                                      cell.cell_type, True))
        submissions = {s.student.id: _submission_scores(s) for s in record.submissions}
        return AssignmentScores(name, items, submissions)


def read_submission(course: Course, assignment: str, student: str) -> SubmissionScores | None:
    """The final scores of one submission, ``None`` if the gradebook does not have it."""
    from nbgrader.api import MissingEntry

    if not course.gradebook_path.exists():
        return None
    gb: Any
    with course.gradebook() as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return None
        return _submission_scores(submission)
