"""Dutch feedback per learner: ``feedback/<student>/<assignment>/<notebook>.html``.

Made from the grading result (journal) and the gradebook's final scores (a grader may have
changed them in the formgrader). What a learner sees: per item the score; for a failure
the learning objective, the hint and a safe explanation (our own text, or the message of a
``ketencursus.checks`` function, which never reveals an expected value); their own code
and output, cut to a sane size. What never appears: hidden test code, expected values,
solutions, or anything of another learner -- the feedback is built only from this
learner's result and the instructor's hint and objective texts.
"""

from __future__ import annotations

from pathlib import Path

from ketencursus.grading.course import Course, CourseError
from ketencursus.grading.html import render
from ketencursus.grading.pipeline import NotebookResult, SubmissionResult
from ketencursus.grading.report import objective_texts_for
from ketencursus.grading.runner import load_result

OUTPUT_CHARS = 1500
SOURCE_CHARS = 3000


def _gradebook_scores(course: Course, assignment: str, student: str) -> dict:
    """(notebook id, grade_id) -> final score (see :mod:`ketencursus.grading.gradebook`;
    ``None`` while a human still has to grade it), or {} if unknown."""
    from ketencursus.grading import gradebook

    submission = gradebook.read_submission(course, assignment, student)
    return dict(submission.items) if submission else {}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "\n[… ingekort]"


STATUS = {"ok": "", "error": " (gaf een foutmelding)", "timeout": " (te lang bezig, gestopt)",
          "crashed": " (het proces stopte)", "not-run": " (niet uitgevoerd)"}


def render_notebook(result: SubmissionResult, nb: NotebookResult, scores: dict,
                    objectives: dict[str, str]) -> str:
    """The learner's page for one notebook (template ``templates/feedback.html``; every
    value is escaped by Jinja2's autoescape)."""
    notebook_id = Path(nb.name).stem
    rows, details = [], []
    total = maximum = 0.0
    for n, item in enumerate(nb.items, 1):
        score = scores.get((notebook_id, item.grade_id), item.score)
        maximum += item.max_points
        total += score or 0
        if score is None:
            css, state = "open", "nog door je docent te beoordelen"
        elif score >= item.max_points:
            css, state = "goed", "goed"
        elif score > 0:
            css, state = "fout", "deels goed"
        else:
            css, state = "fout", "niet goed"
        rows.append({"n": n, "name": item.grade_id, "score": score, "max": item.max_points,
                     "css": css, "state": state})
        if item.kind == "auto" and (score is None or score < item.max_points):
            objective = ""
            if item.objective:
                text = objectives.get(item.objective, "")
                objective = f"{item.objective} – {text}" if text else item.objective
            details.append({"n": n, "name": item.grade_id, "detail": item.detail,
                            "objective": objective, "hint": item.hint,
                            "answers": list(item.answers)})
    own = [
        {"label": f"Cel {cell.grade_id}" if cell.grade_id else "Eigen cel",
         "status": STATUS.get(cell.status, ""),
         "source": _cut(cell.source, SOURCE_CHARS),
         "output": _cut(cell.output, OUTPUT_CHARS) if cell.output.strip() else ""}
        for cell in nb.cells if cell.source.strip()
    ]
    notes = ([nb.problem] if nb.problem else []) + list(nb.notes)
    return render(
        "feedback.html", title=f"Feedback {result.assignment} – {nb.name}",
        student=result.student, total=total, maximum=maximum, notes=notes, rows=rows,
        details=details, own=own,
    )


def generate_feedback(course: Course, assignment: str, students: list[str] | None = None,
                      book_dir: Path | None = None) -> list[Path]:
    """Write the feedback files; returns their paths. Needs a graded assignment."""
    students = students or course.submitted_students(assignment)
    if not students:
        raise CourseError(f"Er zijn geen inzendingen van {assignment}; niets om feedback op "
                          "te geven.")
    objectives = objective_texts_for(course, book_dir)
    written = []
    missing = []
    for student in students:
        result = load_result(course, assignment, student)
        if result is None:
            missing.append(student)
            continue
        scores = _gradebook_scores(course, assignment, student)
        folder = course.feedback(student, assignment)
        folder.mkdir(parents=True, exist_ok=True)
        for nb in result.notebooks:
            path = folder / (Path(nb.name).stem + ".html")
            path.write_text(render_notebook(result, nb, scores, objectives), "utf-8")
            written.append(path)
    if missing:
        raise CourseError(
            f"Nog niet nagekeken: {', '.join(missing[:10])}"
            f"{' …' if len(missing) > 10 else ''}. Voer eerst 'ketencursus grade "
            f"{assignment}' uit (feedback voor de anderen is wel geschreven)."
        )
    return written
