"""Grades from the nbgrader gradebook, in the import formats of the LMS.

``export_grades(course, fmt, ...)`` reads every assignment's scores from the gradebook
(the single source of truth) and writes one file:

* ``csv`` – a plain table (student id, name, e-mail, id number, one column per assignment,
  total); works without a class list;
* ``moodle`` – Moodle's gradebook CSV import (matched on ``Email address``; ``ID number``
  too when known), one column per assignment;
* ``moodle-worksheet`` – the downloaded Moodle grading worksheet of ONE assignment with the
  ``Grade`` column filled in (scaled to its ``Maximum grade``);
* ``canvas`` – Canvas's gradebook CSV with the ``Points Possible`` row;
* ``brightspace`` – Brightspace's grade import with ``<item> Points Grade`` columns and the
  ``End-of-Line Indicator``.

A learner without a submission gets an empty grade (the LMS reads empty as "no grade"),
or 0 with ``missing_zero=True``. A submission that still waits for manual grading gets an
empty grade too (so a partial score never reaches learners), unless
``include_incomplete=True``; both are listed in the result's notes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ketencursus.grading.collect import default_roster
from ketencursus.grading.course import Course, CourseError
from ketencursus.grading.lms import (
    GradeColumn,
    Learner,
    Roster,
    RosterError,
    read_roster,
    write_brightspace,
    write_canvas,
    write_moodle_gradebook,
    write_moodle_worksheet,
    write_plain_csv,
)

FORMATS = ("csv", "moodle", "moodle-worksheet", "canvas", "brightspace")


class ExportError(CourseError):
    """The export cannot be made; the message is Dutch."""


@dataclass
class AssignmentGrades:
    """Scores of one assignment read from the gradebook."""

    assignment: str
    max_score: float
    scores: dict[str, float]  # complete submissions
    incomplete: dict[str, float]  # submissions still needing a manual grade


@dataclass
class ExportResult:
    path: Path
    fmt: str
    rows: int
    notes: list[str] = field(default_factory=list)

    def to_text(self) -> str:
        lines = [f"Cijfers ({self.fmt}) geschreven naar {self.path} ({self.rows} cursisten)."]
        lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines)


def read_grades(course: Course, assignments: Sequence[str] | None = None
                ) -> tuple[list[AssignmentGrades], list[Learner]]:
    """Scores per assignment and all students of the gradebook (id, name, e-mail). Whether a
    score is final is decided by :mod:`ketencursus.grading.gradebook`."""
    from ketencursus.grading import gradebook

    if not course.gradebook_path.exists():
        raise ExportError(
            f"Er is nog geen cijferbestand ({course.gradebook_path}). Kijk eerst inzendingen na "
            "(ketencursus grade)."
        )
    result = []
    with course.gradebook() as gb:
        students = [Learner(s.student_id, name=s.name, email=s.email)
                    for s in gradebook.students(gb)]
        names = list(assignments) if assignments else gradebook.assignment_names(gb)
        for name in names:
            try:
                record = gradebook.read_assignment(gb, name)
            except gradebook.AssignmentNotInGradebook as exc:
                raise ExportError(
                    f"Opdracht {name!r} staat niet in het cijferbestand; kies uit: "
                    f"{', '.join(exc.known) or '(geen)'}."
                ) from None
            complete: dict[str, float] = {}
            incomplete: dict[str, float] = {}
            for student, submission in record.submissions.items():
                total = submission.total
                if total is None:
                    incomplete[student] = submission.partial_total()
                else:
                    complete[student] = total
            result.append(AssignmentGrades(name, record.max_score, complete, incomplete))
    return result, students


def build_columns(grades: list[AssignmentGrades], student_ids: Sequence[str], *,
                  missing_zero: bool = False, include_incomplete: bool = False
                  ) -> tuple[list[GradeColumn], list[str]]:
    """Grade columns for ``student_ids`` with the rules of the module docstring, and notes
    (Dutch) about what was left empty."""
    columns, notes = [], []
    for g in grades:
        scores: dict[str, float | None] = {}
        missing, waiting = [], []
        for student in student_ids:
            if student in g.scores:
                scores[student] = g.scores[student]
            elif student in g.incomplete:
                if include_incomplete:
                    scores[student] = g.incomplete[student]
                else:
                    scores[student] = None
                    waiting.append(student)
            else:
                scores[student] = 0.0 if missing_zero else None
                missing.append(student)
        if waiting:
            notes.append(
                f"{g.assignment}: {len(waiting)} inzending(en) wachten nog op handmatige "
                f"beoordeling en kregen geen cijfer ({', '.join(waiting)}). Beoordeel ze in de "
                "formgrader, of exporteer met --include-incomplete."
            )
        if missing:
            how = "0 punten (--missing-zero)" if missing_zero else "een leeg cijfer"
            notes.append(
                f"{g.assignment}: {len(missing)} cursist(en) zonder inzending kregen {how}: "
                f"{', '.join(missing)}."
            )
        columns.append(GradeColumn(g.assignment, g.max_score, scores))
    return columns, notes


def export_grades(
    course: Course,
    fmt: str = "csv",
    *,
    roster: Roster | Path | None = None,
    assignments: Sequence[str] | None = None,
    output: Path | None = None,
    missing_zero: bool = False,
    include_incomplete: bool = False,
) -> ExportResult:
    """Write the grade file in format ``fmt`` (see :data:`FORMATS`); return what was done."""
    if fmt not in FORMATS:
        raise ExportError(f"Onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}.")
    roster_path: Path | None = None
    if roster is None:
        candidate = default_roster(course)
        if candidate.exists():
            roster = roster_path = candidate
        elif fmt != "csv":
            raise ExportError(
                f"Voor het formaat {fmt} is een klassenlijst nodig (met de id's van de "
                f"leeromgeving). Geef die op met --roster of zet hem in {candidate}."
            )
    if isinstance(roster, (str, Path)):
        roster_path = Path(roster)
        try:
            roster = read_roster(roster_path)
        except RosterError as exc:
            raise ExportError(str(exc)) from None

    grades, gradebook_learners = read_grades(course, assignments)
    gradebook_students = [learner.student_id for learner in gradebook_learners]
    if fmt == "moodle-worksheet" and len(grades) != 1:
        raise ExportError(
            "Het Moodle-beoordelingswerkblad hoort bij één opdracht: geef die op met "
            "--assignment."
        )
    notes: list[str] = []
    roster_ids = [learner.student_id for learner in roster] if roster else []
    extra = [s for s in gradebook_students if s not in set(roster_ids)]
    graded = {s for g in grades for s in (*g.scores, *g.incomplete)}
    if roster is not None and extra:
        lost = [s for s in extra if s in graded]
        if lost:
            where = "staan onderaan" if fmt == "csv" else "staan NIET in dit bestand"
            notes.append(
                f"{len(lost)} cursist(en) met cijfers staan niet in de klassenlijst en {where}: "
                f"{', '.join(lost)}. Voeg ze toe aan de klassenlijst."
            )
    student_ids = roster_ids + (extra if fmt == "csv" else [])
    columns, column_notes = build_columns(
        grades, student_ids, missing_zero=missing_zero, include_incomplete=include_incomplete
    )
    notes += column_notes
    try:
        if fmt == "csv":
            text = write_plain_csv(
                roster, columns,
                [learner for learner in gradebook_learners if learner.student_id in extra],
            )
        elif fmt == "moodle":
            text = write_moodle_gradebook(roster, columns)
        elif fmt == "moodle-worksheet":
            text = write_moodle_worksheet(roster, columns[0])
        elif fmt == "canvas":
            text = write_canvas(roster, columns)
        else:
            text = write_brightspace(roster, columns)
    except RosterError as exc:
        raise ExportError(str(exc)) from None

    target = Path(output) if output else course.export_file(fmt.replace("-", "_"))
    if roster_path is not None and target.resolve() == roster_path.resolve():
        raise ExportError(
            f"{target} is de klassenlijst zelf; kies met -o een andere bestandsnaam, zodat de "
            "klassenlijst bewaard blijft."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    # The plain table gets a BOM: Excel (where instructors open it) needs one to show é/ü.
    # Files for an LMS are plain UTF-8, as their importers expect.
    tmp.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
    tmp.replace(target)
    rows = len(student_ids) if fmt != "csv" or roster else len(gradebook_students)
    return ExportResult(target, fmt, rows, notes)
