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

import html
from pathlib import Path

from ketencursus._util import nl
from ketencursus.grading.course import Course, CourseError
from ketencursus.grading.pipeline import NotebookResult, SubmissionResult
from ketencursus.grading.runner import load_result

OUTPUT_CHARS = 1500
SOURCE_CHARS = 3000

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 50rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #b0b0b0; padding: .4rem .6rem; text-align: left;
         vertical-align: top; }
.goed { color: #0a5d2c; font-weight: bold; } .fout { color: #8a1010; font-weight: bold; }
.open { color: #4a4a4a; font-weight: bold; }
pre { background: #f3f3f3; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
.melding { border-left: 4px solid #8a1010; padding: .3rem .8rem; background: #fff4f4; }
"""


def _objective_texts(course: Course, book_dir: Path | None) -> dict[str, str]:
    from ketencursus.objectives import ObjectiveError, read_objectives

    candidates = [book_dir] if book_dir else []
    candidates.append(course.root.parent / "book")
    try:
        from ketencursus.paths import ProjectLayout

        candidates.append(ProjectLayout.discover().book)
    except Exception:  # noqa: BLE001 - outside the repository
        pass
    for folder in candidates:
        if folder and folder.is_dir():
            try:
                found = read_objectives(folder)
            except ObjectiveError:
                continue
            if found:
                return {oid: obj.text for oid, obj in found.items()}
    return {}


def _gradebook_scores(course: Course, assignment: str, student: str) -> dict:
    """(notebook id, grade_id) -> final score (see :mod:`ketencursus.grading.gradebook`;
    ``None`` while a human still has to grade it), or {} if unknown."""
    from ketencursus.grading import gradebook

    submission = gradebook.read_submission(course, assignment, student)
    return dict(submission.items) if submission else {}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "\n[… ingekort]"


def _fmt(points: float | None) -> str:
    if points is None:
        return "–"
    return nl.number(points)


def render_notebook(result: SubmissionResult, nb: NotebookResult, scores: dict,
                    objectives: dict[str, str]) -> str:
    esc = html.escape
    notebook_id = Path(nb.name).stem
    rows, details = [], []
    total = maximum = 0.0
    for n, item in enumerate(nb.items, 1):
        score = scores.get((notebook_id, item.grade_id), item.score)
        maximum += item.max_points
        total += score or 0
        if score is None:
            state = '<span class="open">nog door je docent te beoordelen</span>'
        elif score >= item.max_points:
            state = '<span class="goed">goed</span>'
        elif score > 0:
            state = '<span class="fout">deels goed</span>'
        else:
            state = '<span class="fout">niet goed</span>'
        rows.append(
            f"<tr><td>{n}. {esc(item.grade_id)}</td><td>{_fmt(score)} van "
            f"{_fmt(item.max_points)}</td><td>{state}</td></tr>"
        )
        if item.kind == "auto" and (score is None or score < item.max_points):
            parts = [f"<h3>{n}. {esc(item.grade_id)}</h3>"]
            if item.detail:
                parts.append(f'<p class="melding">{esc(item.detail)}</p>')
            if item.objective:
                text = objectives.get(item.objective, "")
                label = f"{item.objective} – {text}" if text else item.objective
                parts.append(f"<p><strong>Leerdoel:</strong> {esc(label)}</p>")
            if item.hint:
                parts.append(f"<p><strong>Hint:</strong> {esc(item.hint)}</p>")
            if item.answers:
                names = ", ".join(f"<code>{esc(a)}</code>" for a in item.answers)
                parts.append(f"<p>Gecontroleerde variabele(n): {names}</p>")
            details.append("\n".join(parts))
    own = []
    for cell in nb.cells:
        if not cell.source.strip():
            continue
        label = f"Cel {esc(cell.grade_id)}" if cell.grade_id else "Eigen cel"
        status = {"ok": "", "error": " (gaf een foutmelding)",
                  "timeout": " (te lang bezig, gestopt)", "crashed": " (het proces stopte)",
                  "not-run": " (niet uitgevoerd)"}.get(cell.status, "")
        own.append(f"<h3>{label}{status}</h3><pre>{esc(_cut(cell.source, SOURCE_CHARS))}</pre>")
        if cell.output.strip():
            own.append(f"<p>Uitvoer:</p><pre>{esc(_cut(cell.output, OUTPUT_CHARS))}</pre>")
    notes = []
    if nb.problem:
        notes.append(f'<p class="melding">{esc(nb.problem)}</p>')
    notes += [f'<p class="melding">{esc(note)}</p>' for note in nb.notes]
    title = f"Feedback {result.assignment} – {nb.name}"
    return f"""<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{STYLE}</style></head>
<body><main>
<h1>{esc(title)}</h1>
<p>Cursist: <strong>{esc(result.student)}</strong>. Score: <strong>{_fmt(total)} van
{_fmt(maximum)}</strong> punten.</p>
{''.join(notes)}
<h2>Score per onderdeel</h2>
<table><thead><tr><th scope="col">Onderdeel</th><th scope="col">Punten</th>
<th scope="col">Resultaat</th></tr></thead><tbody>
{''.join(rows)}
</tbody></table>
<h2>Wat je nog kunt verbeteren</h2>
{''.join(details) or '<p>Alle automatisch nagekeken onderdelen zijn goed. Goed gedaan!</p>'}
<h2>Je eigen code en uitvoer</h2>
{''.join(own) or '<p>Er is geen code van jou uitgevoerd.</p>'}
</main></body></html>
"""


def generate_feedback(course: Course, assignment: str, students: list[str] | None = None,
                      book_dir: Path | None = None) -> list[Path]:
    """Write the feedback files; returns their paths. Needs a graded assignment."""
    students = students or course.submitted_students(assignment)
    if not students:
        raise CourseError(f"Er zijn geen inzendingen van {assignment}; niets om feedback op "
                          "te geven.")
    objectives = _objective_texts(course, book_dir)
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
