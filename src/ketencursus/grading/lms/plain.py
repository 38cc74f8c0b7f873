"""The plain table (``csv``): for people, not for an importer. Student id, name, e-mail, id
number, one column per assignment (``<opdracht> (max <punten>)``) and the total; an empty
cell is "no final grade". Works without a class list."""

from __future__ import annotations

from ketencursus.grading.lms.base import (
    Adapter,
    ExportOptions,
    GradeColumn,
    GradeFile,
    GradeFormat,
    csv_text,
    format_points,
    scale,
)
from ketencursus.grading.lms.roster import Learner, Roster


def write_table(roster: Roster | None, columns: list[GradeColumn],
                options: ExportOptions, extra: list[Learner] | None = None) -> GradeFile:
    """The table; learners of ``roster`` in its order, then ``extra`` (gradebook students
    not on the list). With ``--max`` the scores are scaled to it."""
    maxima = {c.assignment: options.maximum(c.assignment) or c.max_score for c in columns}
    header = ["student_id", "naam", "email", "idnummer"]
    header += [f"{c.assignment} (max {format_points(maxima[c.assignment])})" for c in columns]
    header.append("totaal")
    rows = [header]
    learners = (list(roster) if roster else []) + list(extra or [])
    for learner in learners:
        scores: list[float | None] = []
        for c in columns:
            score = c.scores.get(learner.student_id)
            if score is not None and maxima[c.assignment] != c.max_score:
                score = scale(score, c, maxima[c.assignment])
            scores.append(score)
        known = [s for s in scores if s is not None]
        rows.append(
            [learner.student_id, learner.name, learner.email, learner.id_number]
            + [format_points(s) for s in scores]
            + [format_points(sum(known)) if known else ""]
        )
    return GradeFile(csv_text(rows), len(learners))


class Plain(Adapter):
    name = "plain"
    label = "eenvoudige tabel"


PLAIN = Plain()
PLAIN.formats = (
    GradeFormat("csv", "eenvoudige tabel (student_id, naam, e-mail, punten per opdracht)",
                write_table, needs_roster=False, encoding="utf-8-sig"),
)
