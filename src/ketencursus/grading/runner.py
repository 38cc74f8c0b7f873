"""Grading a whole assignment: in parallel (process pool or Dask), resumable, one log per
submission, the gradebook written only here, in the parent process."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ketencursus.grading import sandbox as sb
from ketencursus.grading.course import Course, CourseError
from ketencursus.grading.gradebook import record_auto_score
from ketencursus.grading.pipeline import (
    AssignmentSpec,
    SubmissionResult,
    Task,
    grade_submission,
    internal_error_notebook,
    load_assignment,
    submission_fingerprint,
)


@dataclass
class RunSummary:
    assignment: str
    total: int = 0
    graded: int = 0
    skipped: int = 0
    internal_errors: int = 0
    seconds: float = 0.0
    workers: int = 1
    warning: str | None = None
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)

    def to_text(self) -> str:
        lines = [
            f"Opdracht {self.assignment}: {self.graded} nagekeken, {self.skipped} overgeslagen "
            f"(al nagekeken; gebruik --force om opnieuw na te kijken), {self.total} inzendingen "
            f"in totaal; {self.seconds:.1f} s met {self.workers} worker(s).",
        ]
        if self.internal_errors:
            lines.append(
                f"Let op: bij {self.internal_errors} inzending(en) ging iets mis in de "
                "nakijkomgeving; zie logs/ en kijk die met de hand na."
            )
        return "\n".join(lines)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------------------------------
# The gradebook (parent process only)
# ---------------------------------------------------------------------------------------
def ensure_assignment_in_gradebook(course: Course, spec: AssignmentSpec,
                                   echo: Callable[[str], None]) -> None:
    """The gradebook must know the assignment's notebooks and cells; nbgrader's
    ``generate_assignment`` records them (and makes the release)."""
    from nbgrader.api import MissingEntry

    wanted = {Path(nb.name).stem for nb in spec.notebooks}
    with course.gradebook() as gb:
        try:
            known = {nb.name for nb in gb.find_assignment(spec.name).notebooks}
        except MissingEntry:
            known = set()
    if wanted <= known:
        return
    echo(f"De opdracht {spec.name} staat nog niet (volledig) in de cijferlijst; "
         "nbgrader generate_assignment wordt uitgevoerd.")
    course.generate_assignment(spec.name)


def write_grades(gb, result: SubmissionResult) -> None:
    """Write one submission's scores; the grading process is the only writer."""
    from nbgrader.api import MissingEntry
    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        # nbgrader's add_submission triggers harmless autoflush warnings in SQLAlchemy 2
        warnings.simplefilter("ignore", SAWarning)
        _write_grades(gb, result, MissingEntry)


def _write_grades(gb, result: SubmissionResult, MissingEntry) -> None:  # noqa: N803
    gb.update_or_create_student(result.student)
    try:
        if result.timestamp:
            gb.update_or_create_submission(result.assignment, result.student,
                                           timestamp=result.timestamp)
        else:
            gb.update_or_create_submission(result.assignment, result.student)
    except Exception:  # noqa: BLE001 - an unreadable timestamp: record without it
        gb.db.rollback()
        gb.update_or_create_submission(result.assignment, result.student)
    for nb in result.notebooks:
        notebook_id = Path(nb.name).stem
        for item in nb.items:
            try:
                grade = gb.find_grade(item.grade_id, notebook_id, result.assignment,
                                      result.student)
            except MissingEntry:
                continue
            # an internal error is never a score: no final grade, a human must look
            record_auto_score(grade, None if result.internal_error else item.score)
    gb.db.commit()


# ---------------------------------------------------------------------------------------
# Journal (resumable runs)
# ---------------------------------------------------------------------------------------
def read_journal(course: Course, assignment: str, student: str) -> dict | None:
    path = course.journal_file(assignment, student)
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def write_journal(course: Course, result: SubmissionResult) -> None:
    path = course.journal_file(result.assignment, result.student)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    # ASCII only: no character of a learner's (a lone surrogate, NUL) can make this fail
    tmp.write_text(json.dumps({
        "status": "internal-error" if result.internal_error else "done",
        "fingerprint": result.fingerprint,
        "graded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "result": result.to_dict(),
    }, ensure_ascii=True), "utf-8")
    tmp.replace(path)


def load_result(course: Course, assignment: str, student: str) -> SubmissionResult | None:
    """The recorded result (also of an internal error, which a rerun grades again)."""
    journal = read_journal(course, assignment, student)
    if not journal or journal.get("status") not in ("done", "internal-error"):
        return None
    try:
        return SubmissionResult.from_dict(journal["result"])
    except (KeyError, TypeError, ValueError):
        return None


def _internal_error(task: Task, message: str) -> SubmissionResult:
    result = SubmissionResult(task.assignment, task.student, fingerprint="",
                              internal_error=message)
    result.notebooks = [internal_error_notebook(spec) for spec in task.spec.notebooks]
    return result


# ---------------------------------------------------------------------------------------
# Execution back ends
# ---------------------------------------------------------------------------------------
def _run_local(tasks: list[Task], workers: int) -> Iterable[SubmissionResult]:
    pending = {(t.student): t for t in tasks}
    attempts: dict[str, int] = {}
    context = multiprocessing.get_context("fork")
    while pending:
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                futures = {pool.submit(grade_submission, t): s for s, t in pending.items()}
                for future in as_completed(futures):
                    student = futures[future]
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        raise
                    except Exception as exc:  # noqa: BLE001
                        result = _internal_error(pending[student], f"{type(exc).__name__}: {exc}")
                    del pending[student]
                    yield result
        except BrokenProcessPool:
            for student in list(pending):
                attempts[student] = attempts.get(student, 0) + 1
                if attempts[student] >= 2:
                    yield _internal_error(pending.pop(student), "worker-proces gestopt")


def _run_dask(tasks: list[Task], scheduler: str) -> Iterable[SubmissionResult]:
    from dask.distributed import Client
    from dask.distributed import as_completed as dask_completed

    with Client(scheduler, timeout="30s") as client:
        futures = client.map(grade_submission, tasks, pure=False,
                             key=[f"grade-{t.assignment}-{t.student}-{time.time_ns()}"
                                  for t in tasks])
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for future in dask_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001
                yield _internal_error(by_key[future.key], f"{type(exc).__name__}: {exc}")


# ---------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------
def grade_assignment(
    course: Course,
    assignment: str,
    *,
    workers: int | None = None,
    force: bool = False,
    scheduler: str | None = None,
    progress: bool = True,
    limits: sb.Limits | None = None,
    protections: sb.Protections | None = None,
    echo: Callable[[str], None] | None = None,
) -> RunSummary:
    """Grade every submission of ``assignment``; returns a summary. Never aborts on a bad
    submission: each one gets a grade row, a journal entry and a log."""
    echo = echo or (lambda text: print(text, file=sys.stderr))
    started = time.monotonic()
    spec = load_assignment(course, assignment)
    students = course.submitted_students(assignment)
    if not students:
        raise CourseError(
            f"Er zijn geen inzendingen van {assignment} in {course.root / 'submitted'}. "
            "Importeer ze eerst (ketencursus collect)."
        )
    ensure_assignment_in_gradebook(course, spec, echo)
    protections = protections or sb.detect_protections()
    warning = protections.warning()
    if warning:
        echo(warning)
    limits = limits or sb.Limits()
    workers = workers or default_workers()
    summary = RunSummary(assignment, total=len(students), workers=workers, warning=warning)

    from nbgrader.api import MissingEntry

    tasks = []
    with course.gradebook() as gb:
        for student in students:
            fingerprint = submission_fingerprint(course, assignment, student, spec.fingerprint)
            journal = read_journal(course, assignment, student)
            if not force and journal and journal.get("status") == "done" \
                    and journal.get("fingerprint") == fingerprint:
                try:
                    gb.find_submission(assignment, student)
                    summary.skipped += 1
                    continue
                except MissingEntry:
                    pass
            tasks.append(Task(str(course.root), assignment, student, spec, limits,
                              protections, fingerprint))

    from tqdm import tqdm

    bar = tqdm(total=len(tasks), desc=f"Nakijken {assignment}", unit="inzending",
               disable=not progress or not tasks, file=sys.stderr)
    results = _run_dask(tasks, scheduler) if scheduler else _run_local(tasks, workers)
    with course.gradebook() as gb:
        for result in results:
            write_started = time.monotonic()
            try:
                write_grades(gb, result)
            except Exception as exc:  # noqa: BLE001 - keep going; the journal says so
                gb.db.rollback()
                result.internal_error = (result.internal_error or "") + \
                    f" cijferlijst: {type(exc).__name__}: {exc}"
                try:
                    for nb in result.notebooks:  # whatever got in: not final
                        for item in nb.items:
                            grade = gb.find_grade(item.grade_id, Path(nb.name).stem,
                                                  result.assignment, result.student)
                            record_auto_score(grade, None)
                    gb.db.commit()
                except Exception:  # noqa: BLE001 - the journal still says so
                    gb.db.rollback()
            result.timings["gradebook_write"] = time.monotonic() - write_started
            try:
                write_journal(course, result)
            except Exception as exc:  # noqa: BLE001 - one result never stops the run
                result.internal_error = (result.internal_error or "") + \
                    f" journaal: {type(exc).__name__}: {exc}"
            summary.graded += 1
            summary.internal_errors += bool(result.internal_error)
            summary.scores[result.student] = (result.score, result.max_score)
            bar.update(1)
    bar.close()
    summary.seconds = time.monotonic() - started
    return summary
