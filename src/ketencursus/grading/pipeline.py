"""Grading one submission: a pipeline of small steps (threat model: docs/threat-model.md).

Order matters; each step's constraint is noted:

1. :func:`~ketencursus.grading.spec.load_assignment` (once per assignment, in the grading
   process): read the instructor's SOURCE notebooks; every test cell, its points, answer
   variables and plain-answer cells come from here.
2. :func:`read_submitted_notebook`: never through a link (:func:`read_submission_file`);
   invalid JSON or a wrong nbformat becomes a :class:`NotebookProblem` (zero score, Dutch
   note), never an exception.
3. :func:`rebuild`: take only the learner's solution-cell contents (by nbgrader
   ``grade_id``) and their own extra cells, as clean text; test cells, locked cells, points
   and metadata come from the source, so deleted or edited test cells and tampered points
   have no effect. A solution cell the learner deleted becomes EMPTY (never the source's).
4. :func:`plan_steps`: the code cells the learner's kernel runs, and after which cell the
   answer values of each test are taken (a test sees the values at its place). Must follow 3.
5. :func:`run_learner_code` (sandbox: a child of the warm zygote, a fresh uid): run the
   cells within the cell and the submission time limits; serialise the declared answer
   variables to JSON inside the sandbox (plain data only, exact types); every line back is
   parsed defensively.
6. :func:`read_text_answers` + :func:`apply_text_answers`: answers typed without Python are
   parsed HERE and put into the snapshots; after 5, so they win over kernel variables.
7. :func:`run_hidden_tests` (sandbox: a SECOND child of the zygote, never of the learner's
   process): each test's code with only its answer values bound. After 6.
8. :func:`score_items`: points for passed tests, from the source's points.
9. :func:`autograded_notebook` (only plain text and validated images; the learner's
   markdown escaped) and the log; the gradebook is written later by the parent process only
   (:mod:`ketencursus.grading.runner`, through :mod:`ketencursus.grading.gradebook`).

A failure of the grader or the sandbox in any step: :func:`grade_submission` grades again,
then reports an internal error (never a score).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ketencursus.grading import protocol
from ketencursus.grading import sandbox as sb
from ketencursus.grading.course import Course
from ketencursus.grading.results import (  # noqa: F401 - re-exported for callers
    CellStatus,
    ItemResult,
    LearnerCell,
    NotebookResult,
    Reason,
    Role,
    SubmissionResult,
)
from ketencursus.grading.spec import (  # noqa: F401 - re-exported for callers
    AssignmentSpec,
    NotebookSpec,
    TestSpec,
    _is_test,
    _nbgrader,
    _source,
    infer_answer_names,
    load_assignment,
    text_answer_of,
)
from ketencursus.grading.steps.execute import (  # noqa: F401 - re-exported
    _ANSI,
    IMAGE_MAGIC,
    OUTPUT_TEXT_LIMIT,
    Execution,
    _read_protocol,
    output_text,
    run_learner_code,
    sanitize_outputs,
    valid_image,
)
from ketencursus.grading.steps.hidden_tests import (  # noqa: F401 - re-exported
    run_hidden_tests,
)
from ketencursus.grading.steps.plan import (  # noqa: F401 - re-exported
    plan_steps,
)
from ketencursus.grading.steps.read import (  # noqa: F401 - re-exported
    LINK_PROBLEM,
    MAX_NOTEBOOK_BYTES,
    NotebookProblem,
    _missing_notebook,
    _open_nofollow,
    parse_learner_notebook,
    read_learner_notebook,
    read_submission_file,
    read_submitted_notebook,
)
from ketencursus.grading.steps.rebuild import (  # noqa: F401 - re-exported
    MAX_SOURCE_CHARS,
    RebuiltCell,
    _clean_extra,
    is_learners,
    learner_source,
    rebuild,
)
from ketencursus.grading.steps.score import (  # noqa: F401 - re-exported
    REASON_TEXT,
    score_items,
)
from ketencursus.grading.steps.text_answers import (  # noqa: F401 - re-exported
    GARBLED,
    TEXT_STUBS,
    apply_text_answers,
    read_text_answers,
)
from ketencursus.grading.steps.write import (  # noqa: F401 - re-exported
    _MARKDOWN_PUNCTUATION,
    AUTOGRADED_METADATA,
    _outputs_text,
    autograded_notebook,
    escape_markdown,
)

FEEDBACK_SOURCE_CHARS = 4000

# The steps of one notebook, in the order grade_notebook runs them, each with the constraint
# that fixes its place (as nbgrader's generate_assignment lists its preprocessors).
STEPS = (
    ("read", read_submitted_notebook),  # first: nothing of the learner's is trusted
    ("rebuild", rebuild),  # needs the spec (source) and the parsed notebook; before any run
    ("plan", plan_steps),  # needs the REBUILT cells: test cells from the source
    ("execute", run_learner_code),  # sandbox; after plan
    ("text_answers", apply_text_answers),  # after execute: typed answers win over kernel names
    ("hidden_tests", run_hidden_tests),  # after text_answers: a fresh child, plain values
    ("score", score_items),  # after hidden_tests; points from the source only
    ("write", autograded_notebook),  # last: only sanitised learner content
)
MAX_ATTEMPTS = 2  # a submission the grader failed on is graded once more, then reported


# ---------------------------------------------------------------------------------------
# The whole pipeline for one submission
# ---------------------------------------------------------------------------------------
@dataclass
class Task:
    """Everything a worker needs (picklable; the same for a process pool and Dask)."""

    course_root: str
    assignment: str
    student: str
    spec: AssignmentSpec
    limits: sb.Limits
    protections: sb.Protections
    fingerprint: str


def submission_fingerprint(course: Course, assignment: str, student: str, spec_digest: str
                           ) -> str:
    digest = hashlib.sha256(spec_digest.encode())
    folder = course.submitted(student, assignment)
    try:
        top = os.lstat(folder)
        digest.update(f"{top.st_mode}\0{top.st_ino}\0{top.st_mtime_ns}".encode())
    except OSError:
        pass
    # os.walk never follows a link; lstat describes the link itself
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names + [d for d in dirs if os.path.islink(os.path.join(root, d))]):
            path = os.path.join(root, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            relative = os.path.relpath(path, folder)
            digest.update(f"{relative}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}"
                          .encode("utf-8", "backslashreplace"))
    return digest.hexdigest()[:24]


def _read_timestamp(course: Course, student: str, assignment: str) -> str | None:
    """The submission's ``timestamp.txt`` (never through a link; garbage: ``None``)."""
    try:
        raw = read_submission_file(course, student, assignment, "timestamp.txt", limit=256)
        text = raw.decode("utf-8").strip()[:64]
    except (OSError, UnicodeDecodeError, NotebookProblem):
        return None
    text = protocol.clean_text(text, 64, 0)
    return text if text and "\ufffd" not in text else None


def grade_notebook(course: Course, task: Task, spec: NotebookSpec, log: list[str],
                   deadline: float | None = None, timings: dict[str, float] | None = None
                   ) -> NotebookResult:
    result = NotebookResult(spec.name)
    target = course.autograded(task.student, task.assignment) / spec.name
    learner: dict | None
    try:
        learner = read_submitted_notebook(course, task.student, task.assignment, spec.name)
    except NotebookProblem as problem:
        log.append(f"{spec.name}: niet na te kijken: {problem}")
        result.problem = str(problem)
        learner = None
    if learner is None:
        for gid, test in spec.tests.items():
            result.items.append(ItemResult(gid, "auto", test.points, 0.0, Reason.INVALID,
                                           result.problem or "", list(test.answers),
                                           test.objective, test.hint))
        for gid, points in spec.manual.items():
            result.items.append(ItemResult(gid, "manual", points, 0.0, Reason.INVALID,
                                           result.problem or ""))
        rebuilt = rebuild(spec, {"cells": []})
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(autograded_notebook(rebuilt, None, Execution(),
                                                         result.items), indent=1), "utf-8")
        return result
    rebuilt = rebuild(spec, learner)
    steps = plan_steps(rebuilt, spec)
    files = {name: Path(path) for name, path in task.spec.data_files.items()}
    preload = tuple(dict.fromkeys(sb.PRELOAD + task.spec.imports))
    with sb.session(files=files, limits=task.limits, protections=task.protections,
                    preload=preload) as session:
        log.append(f"{spec.name}: sandbox-gebruiker {session.uid}, {len(steps)} stappen")
        execution = run_learner_code(session, steps, task.limits, deadline)
        apply_text_answers(spec, execution, read_text_answers(spec, rebuilt))
        tests = []
        for gid, test in spec.tests.items():
            snap = execution.snapshots.get(gid)
            if snap and all(n in snap["values"] for n in test.answers):
                tests.append({"test": gid, "code": test.code,
                              "values": {n: snap["values"][n] for n in test.answers}})
        tests_started = time.monotonic()
        outcomes = run_hidden_tests(session, tests, task.limits, execution.log)
        if timings is not None:
            for key, seconds in execution.timings.items():
                timings[key] = timings.get(key, 0.0) + seconds
            timings["hidden_tests"] = timings.get("hidden_tests", 0.0) + \
                time.monotonic() - tests_started
    log.extend(f"{spec.name}: {line}" for line in execution.log)
    for gid, outcome in outcomes.items():
        if not outcome.get("passed"):
            log.append(f"{spec.name}: test {gid}: {outcome.get('error')}: "
                       f"{str(outcome.get('message'))[:300]}")
    result.items = score_items(spec, rebuilt, execution, outcomes)
    result.notes = list(execution.notes)
    for index, rc in enumerate(rebuilt):
        if rc.role in (Role.SOLUTION, Role.EXTRA, Role.MANUAL_CODE) \
                and rc.cell.get("cell_type") == "code":
            result.cells.append(LearnerCell(
                rc.grade_id, protocol.clean_text(_source(rc.cell), FEEDBACK_SOURCE_CHARS),
                _outputs_text(execution.outputs.get(index, []), task.limits.output_limit // 10),
                execution.status.get(index, CellStatus.NOT_RUN),
            ))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps(autograded_notebook(rebuilt, learner, execution, result.items), indent=1),
        "utf-8",
    )
    return result


def internal_error_notebook(spec: NotebookSpec) -> NotebookResult:
    """The result of a notebook the grader itself failed on: NO item gets a score (``None``,
    reason 'internal': never a learner's 0), manual items stay ungraded; the learner is told
    that the instructor looks into it."""
    nb = NotebookResult(spec.name, problem=(
        "Bij het nakijken ging iets mis aan de kant van de nakijkomgeving (niet door jouw "
        "werk); je docent kijkt dit na."))
    nb.items = [ItemResult(g, "auto", t.points, None, Reason.INTERNAL, nb.problem or "",
                           list(t.answers), t.objective, t.hint)
                for g, t in spec.tests.items()]
    nb.items += [ItemResult(g, "manual", p, None) for g, p in spec.manual.items()]
    return nb


def _grade_once(course: Course, task: Task, log: list[str]) -> SubmissionResult:
    result = SubmissionResult(task.assignment, task.student, fingerprint=task.fingerprint)
    result.timestamp = _read_timestamp(course, task.student, task.assignment)
    started = time.monotonic()
    deadline = started + task.limits.submission_timeout
    for spec in task.spec.notebooks:
        result.notebooks.append(grade_notebook(course, task, spec, log, deadline,
                                               result.timings))
    result.timings["rest"] = time.monotonic() - started - sum(result.timings.values())
    return result


def grade_submission(task: Task) -> SubmissionResult:
    """Grade one submission; never raises. When the grader or the sandbox fails (an
    exception, a sandbox that does not start or cannot be cleaned up), the submission is
    graded once more in a fresh sandbox; if that fails too, the result is an INTERNAL
    ERROR (``internal_error`` set): reported as such and never recorded as a final score."""
    started = time.monotonic()
    course = Course(Path(task.course_root))
    log = [f"nakijken {task.assignment} / {task.student} "
           f"({datetime.now(UTC).isoformat(timespec='seconds')})"]
    result = SubmissionResult(task.assignment, task.student, fingerprint=task.fingerprint)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            result = _grade_once(course, task, log)
            break
        except Exception as exc:  # noqa: BLE001 - one submission never stops the run
            log.append(f"INTERNE FOUT (poging {attempt} van {MAX_ATTEMPTS}):\n"
                       + traceback.format_exc())
            if attempt == MAX_ATTEMPTS:
                result = SubmissionResult(task.assignment, task.student, fingerprint="")
                result.internal_error = protocol.clean_text(f"{type(exc).__name__}: {exc}",
                                                            2000)
                result.notebooks = [internal_error_notebook(spec)
                                    for spec in task.spec.notebooks]
    result.duration = time.monotonic() - started
    log.append(result.to_report_str())
    try:
        log_file = course.log_file(task.assignment, task.student)
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.write_text(protocol.clean_text("\n".join(log) + "\n", line_limit=0), "utf-8")
    except OSError:
        pass  # the journal still records the result
    return result
