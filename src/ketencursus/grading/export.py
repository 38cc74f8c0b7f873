"""Grades from the nbgrader gradebook, in the import formats of the LMS.

``export_grades(course, fmt, ...)`` reads every assignment's final scores through
:mod:`ketencursus.grading.gradebook` (the one place that decides what is final) and writes
one file in a format of the LMS registry (:data:`ketencursus.grading.lms.FORMATS`):

* ``csv`` – a plain table (student id, name, e-mail, id number, one column per assignment,
  total); works without a class list;
* ``moodle`` – Moodle's gradebook CSV import: one match column, one column per assignment,
  scaled to ``--max``;
* ``moodle-worksheet`` – the downloaded Moodle grading worksheet of ONE assignment with the
  grade column filled in (scaled to its maximum grade column);
* ``canvas`` – Canvas's gradebook CSV with the ``Points Possible`` row of the Canvas export;
* ``brightspace`` – Brightspace's grade import with ``<item> Points Grade`` columns.

A learner without a submission, or whose submission still waits for manual grading, has no
final grade (or 0 with ``missing_zero=True``; the partial score with
``include_incomplete=True``). What the file then holds for them is the format's business:
each writer writes nothing an importer would read as "erase" (see ``docs/lms-formats.md``)
and lists every learner it leaves out, with the reason, in the result.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ketencursus.errors import UserError
from ketencursus.grading.collect import default_roster
from ketencursus.grading.course import Course, CourseError
from ketencursus.grading.lms import (
    FORMATS,
    ExportOptions,
    GradeColumn,
    Learner,
    LeftOut,
    LmsFileError,
    Roster,
    RosterError,
    read_roster,
)
from ketencursus.grading.lms.plain import write_table


class ExportError(CourseError, UserError):
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
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        """Learners with a final grade are missing from the file (see :attr:`left_out`)."""
        return bool(self.left_out)

    def to_text(self) -> str:
        lines = [f"Cijfers ({self.fmt}) geschreven naar {self.path} ({self.rows} cursisten)."]
        lines += [f"- {note}" for note in self.notes]
        if self.left_out:
            lines.append(f"NIET in het bestand ({len(self.left_out)} cursist(en)):")
            lines += [f"- {item.student_id}: {item.reason}" for item in self.left_out]
        return "\n".join(lines)


def parse_maxima(values: Sequence[str] | None) -> dict[str, float]:
    """``--max`` values: ``10`` (every assignment) or ``opdracht1=10``; decimal comma
    allowed."""
    maxima: dict[str, float] = {}
    for value in values or []:
        name, _, number = value.rpartition("=")
        try:
            points = float(number.strip().replace(",", "."))
        except ValueError:
            points = -1.0
        if not points > 0:
            raise ExportError(
                f"--max {value!r}: geef een positief getal, voor alle opdrachten (--max 10) of "
                "per opdracht (--max opdracht1=10)."
            )
        maxima[name.strip() or "*"] = points
    return maxima


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
                f"beoordeling en hebben nog geen cijfer ({', '.join(waiting)}). Beoordeel ze in de "
                "formgrader, of exporteer met --include-incomplete."
            )
        if missing:
            how = "kregen 0 punten (--missing-zero)" if missing_zero else "hebben geen cijfer"
            notes.append(
                f"{g.assignment}: {len(missing)} cursist(en) zonder inzending {how}: "
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
    maxima: dict[str, float] | None = None,
) -> ExportResult:
    """Write the grade file in format ``fmt`` (see :data:`FORMATS`); return what was done.
    ``maxima``: the maximum of each assignment's item in the LMS (``--max``; ``"*"`` for
    all)."""
    if fmt not in FORMATS:
        raise ExportError(f"Onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}.")
    form = FORMATS[fmt]
    roster_path: Path | None = None
    if roster is None:
        candidate = default_roster(course)
        if candidate.exists():
            roster = roster_path = candidate
        elif form.needs_roster:
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
    if form.single_assignment and len(grades) != 1:
        raise ExportError(
            f"Het formaat {fmt} hoort bij één opdracht: geef die op met --assignment."
        )
    notes: list[str] = []
    roster_ids = [learner.student_id for learner in roster] if roster else []
    extra = [s for s in gradebook_students if s not in set(roster_ids)]
    graded = {s for g in grades for s in (*g.scores, *g.incomplete)}
    plain = not form.needs_roster
    lost: list[str] = []
    if roster is not None and extra:
        lost = [s for s in extra if s in graded]
        if lost:
            where = "staan onderaan" if plain else "staan NIET in dit bestand"
            notes.append(
                f"{len(lost)} cursist(en) met cijfers staan niet in de klassenlijst en {where}: "
                f"{', '.join(lost)}. Voeg ze toe aan de klassenlijst."
            )
    student_ids = roster_ids + (extra if plain else [])
    columns, column_notes = build_columns(
        grades, student_ids, missing_zero=missing_zero, include_incomplete=include_incomplete
    )
    notes += column_notes
    options = ExportOptions(maxima or {})
    try:
        if plain:
            extra_learners = [x for x in gradebook_learners if x.student_id in extra]
            written = write_table(roster, columns, options, extra_learners)
        else:
            written = form.write(roster, columns, options)
    except (RosterError, LmsFileError) as exc:
        raise ExportError(str(exc)) from None
    notes += written.notes
    left_out = list(written.left_out)
    if not plain:
        left_out += [LeftOut(s, "staat niet in de klassenlijst.") for s in lost]

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
    tmp.write_text(written.text, encoding=form.encoding, newline="")
    tmp.replace(target)
    return ExportResult(target, fmt, written.rows, notes, left_out)

