"""Grading a whole assignment: in parallel (process pool or Dask), resumable, one log per
submission, the gradebook written only here, in the parent process."""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
    try:
        gb.find_student(result.student)
    except MissingEntry:
        gb.add_student(result.student)
    try:
        if result.timestamp:
            submission = gb.update_or_create_submission(result.assignment, result.student,
                                                        timestamp=result.timestamp)
        else:
            submission = gb.update_or_create_submission(result.assignment, result.student)
    except Exception:  # noqa: BLE001 - an unreadable timestamp: record without it
        gb.db.rollback()
        submission = gb.update_or_create_submission(result.assignment, result.student)
    rows = _grade_rows(gb, submission)
    for nb in result.notebooks:
        notebook_id = Path(nb.name).stem
        for item in nb.items:
            grade = rows.get((notebook_id, item.grade_id))
            if grade is None:
                continue
            # an internal error is never a score: no final grade, a human must look
            record_auto_score(grade, None if result.internal_error else item.score)
    gb.db.commit()


def _grade_rows(gb, submission) -> dict[tuple[str, str], Any]:
    """(notebook, cell name) -> nbgrader ``Grade`` of ``submission``: every grade row that
    nbgrader made for it (grade and task cells), in one query instead of one per item."""
    from nbgrader.api import BaseCell, Grade, Notebook, SubmittedNotebook

    query = (gb.db.query(Grade, BaseCell.name, Notebook.name)
             .join(BaseCell, BaseCell.id == Grade.cell_id)
             .join(SubmittedNotebook, SubmittedNotebook.id == Grade.notebook_id)
             .join(Notebook, Notebook.id == SubmittedNotebook.notebook_id)
             .filter(SubmittedNotebook.assignment_id == submission.id))
    return {(notebook, cell): grade for grade, cell, notebook in query}


def ensure_students(gb, students: Iterable[str]) -> None:
    """Every learner of the run in the gradebook's student table, in one transaction (as
    nbgrader's ``add_student`` does, without a commit per learner)."""
    from nbgrader.api import Student

    known = {student.id for student in gb.students}
    missing = [s for s in dict.fromkeys(students) if s not in known]
    if missing:
        gb.db.add_all([Student(id=s) for s in missing])
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
def _run_local(tasks: list[Task], workers: int) -> Iterator[list[SubmissionResult]]:
    """Grade ``tasks`` with ``workers`` threads of this process; yields the results that are
    ready, as batches. The threads only drive the sandboxes (the learner's code runs in
    processes forked by the zygote), so a sandbox that dies never takes a worker with it;
    :func:`grade_submission` never raises (an exception is its internal error)."""
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nakijken") as pool:
        pending = {pool.submit(grade_submission, task): task for task in tasks}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            batch = []
            for future in done:
                task = pending.pop(future)
                try:
                    batch.append(future.result())
                except Exception as exc:  # noqa: BLE001 - grade_submission should not raise
                    batch.append(_internal_error(task, f"{type(exc).__name__}: {exc}"))
            yield batch


def _run_dask(tasks: list[Task], scheduler: str) -> Iterator[list[SubmissionResult]]:
    from dask.distributed import Client
    from dask.distributed import as_completed as dask_completed

    with Client(scheduler, timeout="30s") as client:
        futures = client.map(grade_submission, tasks, pure=False,
                             key=[f"grade-{t.assignment}-{t.student}-{time.time_ns()}"
                                  for t in tasks])
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for batch in dask_completed(futures).batches():
            results = []
            for future in batch:
                try:
                    results.append(future.result())
                except Exception as exc:  # noqa: BLE001
                    results.append(_internal_error(by_key[future.key],
                                                   f"{type(exc).__name__}: {exc}"))
            yield results


def record_batch(course: Course, gb, results: list[SubmissionResult]) -> None:
    """Write ``results`` to the gradebook, then their journals. Each grade is durable (the
    gradebook committed) before its journal says it was graded: a run that dies midway
    loses nothing that was reported, and a rerun grades the rest. The results of one batch
    share one transaction; when it fails, each is written on its own, and one that still
    fails is recorded as that submission's internal error (never final)."""
    started = time.monotonic()
    try:
        with _one_transaction(gb):
            for result in results:
                write_grades(gb, result)
        gb.db.commit()
    except (Exception, _BatchAborted):  # noqa: BLE001 - one by one: one bad result spoils nothing
        gb.db.rollback()
        for result in results:
            _record_alone(gb, result)
    share = (time.monotonic() - started) / max(len(results), 1)
    for result in results:
        result.timings["gradebook_write"] = share
        try:
            write_journal(course, result)
        except Exception as exc:  # noqa: BLE001 - one result never stops the run
            result.internal_error = (result.internal_error or "") + \
                f" journaal: {type(exc).__name__}: {exc}"


def _record_alone(gb, result: SubmissionResult) -> None:
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


class _BatchAborted(BaseException):
    """Something rolled the batch's transaction back: no ``except Exception`` may go on
    writing into it (the earlier results of the batch would be lost unnoticed)."""


class _FlushInsteadOfCommit:
    """nbgrader's session as its methods see it inside :func:`_one_transaction`: their
    ``commit()`` only flushes (the batch commits once); a ``rollback()`` ends the batch;
    everything else is the session's."""

    def __init__(self, db) -> None:
        self._db = db

    def commit(self) -> None:
        self._db.flush()

    def rollback(self) -> None:
        self._db.rollback()
        raise _BatchAborted

    def __getattr__(self, name: str):
        return getattr(self._db, name)


@contextmanager
def _one_transaction(gb) -> Iterator[None]:
    db = gb.db
    gb.db = _FlushInsteadOfCommit(db)
    try:
        yield
    finally:
        gb.db = db


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
        ensure_students(gb, (t.student for t in tasks))

    from tqdm import tqdm

    bar = tqdm(total=len(tasks), desc=f"Nakijken {assignment}", unit="inzending",
               disable=not progress or not tasks, file=sys.stderr)
    if not scheduler and tasks:
        # the warm zygote, started here (not in a worker thread): one for the run's workers
        preload = tuple(dict.fromkeys(sb.PRELOAD + spec.imports))
        try:
            sb.zygote_for(protections, preload, limits)
        except (sb.SandboxError, OSError) as exc:  # each submission tries again
            echo(f"De nakijkomgeving startte niet meteen ({exc}); elke inzending probeert "
                 "het opnieuw.")
    batches = _run_dask(tasks, scheduler) if scheduler else _run_local(tasks, workers)
    with course.gradebook() as gb:
        for batch in batches:
            record_batch(course, gb, batch)
            for result in batch:
                summary.graded += 1
                summary.internal_errors += bool(result.internal_error)
                summary.scores[result.student] = (result.score, result.max_score)
                bar.update(1)
    bar.close()
    summary.seconds = time.monotonic() - started
    return summary
