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
5. :func:`run_learner_code` (sandbox, a fresh uid): run the cells within the cell and the
   submission time limits; serialise the declared answer variables to JSON inside the
   sandbox (plain data only, exact types); every line back is parsed defensively.
6. :func:`read_text_answers` + :func:`apply_text_answers`: answers typed without Python are
   parsed HERE and put into the snapshots; after 5, so they win over kernel variables.
7. :func:`run_hidden_tests` (sandbox, FRESH interpreter): each test's code with only its
   answer values bound; never in the learner's process. After 6.
8. :func:`score_items`: points for passed tests, from the source's points.
9. :func:`autograded_notebook` (only plain text and validated images; the learner's
   markdown escaped) and the log; the gradebook is written later by the parent process only
   (:mod:`ketencursus.grading.runner`, through :mod:`ketencursus.grading.gradebook`).

A failure of the grader or the sandbox in any step: :func:`grade_submission` grades again,
then reports an internal error (never a score).
"""

from __future__ import annotations

import base64
import binascii
import copy
import errno
import hashlib
import html
import json
import os
import re
import select
import stat
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from ketencursus.checks import TextAnswerError, parse_text_answer
from ketencursus.grading import protocol
from ketencursus.grading import sandbox as sb
from ketencursus.grading.course import SUBMITTED, Course
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

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
MAX_SOURCE_CHARS = 1_000_000
FEEDBACK_SOURCE_CHARS = 4000
MAX_ATTEMPTS = 2  # a submission the grader failed on is graded once more, then reported


# ---------------------------------------------------------------------------------------
# Step 2: read the learner's notebook
# ---------------------------------------------------------------------------------------
class NotebookProblem(Exception):
    """The submitted notebook cannot be graded; the message is Dutch, for the learner."""


LINK_PROBLEM = (
    "{what} in je inzending is een koppeling (een symbolische of harde link naar een ander "
    "bestand), geen gewoon bestand. Zo'n inzending wordt niet gelezen en niet nagekeken. "
    "Lever het notebook zelf in (Bestand → Downloaden in Jupyter) en lever opnieuw in."
)


def _open_nofollow(name: str, dir_fd: int | None, directory: bool, what: str) -> int:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    if directory:
        flags |= os.O_DIRECTORY
    try:
        return os.open(name, flags, dir_fd=dir_fd)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
            raise NotebookProblem(LINK_PROBLEM.format(what=what)) from None
        raise


def read_submission_file(course: Course, student: str, assignment: str, name: str,
                         limit: int = MAX_NOTEBOOK_BYTES, what: str | None = None) -> bytes:
    """The bytes of ``submitted/<student>/<assignment>/<name>``, never read through a link.

    Every component below the course root is opened with ``O_NOFOLLOW`` relative to its
    parent (``openat``), so a symbolic link anywhere in the learner's part of the path (the
    learner's folder, the assignment folder, the file) is refused, as is a hard link
    (``st_nlink > 1``), a FIFO or a device; nothing is read past ``limit``. Raises
    :class:`FileNotFoundError` when it is missing and :class:`NotebookProblem` otherwise."""
    what = what or f"Het bestand {name}"
    parts = [(student, "Je map"), (assignment, "De map van de opdracht")]
    # the course root and submitted/ are the instructor's (may be links, e.g. to a disk)
    root = os.open(course.root / SUBMITTED, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    fds = [root]
    try:
        for part, label in parts:
            fds.append(_open_nofollow(part, fds[-1], True, label))
        fd = _open_nofollow(name, fds[-1], False, what)
        fds.append(fd)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotebookProblem(
                f"{what} in je inzending is geen gewoon bestand. Lever het notebook zelf in."
            )
        if info.st_nlink != 1:
            raise NotebookProblem(LINK_PROBLEM.format(what=what))
        if info.st_size > limit:
            raise NotebookProblem(
                f"{what} is groter dan {limit // (1024 * 1024)} MB. Wis de uitvoer "
                "(Kernel → Restart & Clear Output), sla op en lever opnieuw in."
            )
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise NotebookProblem(f"{what} is te groot. Wis de uitvoer en lever opnieuw in.")
        return b"".join(chunks)
    finally:
        for fd in reversed(fds):
            os.close(fd)


def parse_learner_notebook(raw: bytes, name: str) -> dict:
    """The learner's notebook as a dict; a broken one raises :class:`NotebookProblem`."""
    try:
        nb = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise NotebookProblem(
            f"Het bestand {name} is geen geldig notebook (geen geldige JSON); het is "
            "waarschijnlijk beschadigd of met een andere editor bewerkt. Open je opdracht "
            "opnieuw in Jupyter, sla op en lever opnieuw in."
        ) from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise NotebookProblem(
            f"Het bestand {name} heeft niet de opbouw van een Jupyter-notebook (geen "
            "lijst met cellen). Lever het notebook in dat je in Jupyter hebt gemaakt."
        )
    major = nb.get("nbformat")
    if major != 4:
        shown = major if type(major) in (int, float, str) else "?"
        raise NotebookProblem(
            f"Het notebook {name} heeft notebookformaat {protocol.clean_text(repr(shown), 40)}; "
            "verwacht is formaat 4. Open het in een recente Jupyter (JupyterLab of Notebook 7), "
            "sla op en lever opnieuw in."
        )
    return nb


def _missing_notebook(name: str) -> NotebookProblem:
    return NotebookProblem(
        f"Het notebook {name} ontbreekt in je inzending. Lever het notebook in met "
        "precies deze naam."
    )


def read_learner_notebook(path: Path) -> dict:
    """Read and parse one notebook file (the file itself never through a link)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise _missing_notebook(path.name) from None
    if stat.S_ISLNK(info.st_mode) or (stat.S_ISREG(info.st_mode) and info.st_nlink != 1):
        raise NotebookProblem(LINK_PROBLEM.format(what=f"Het notebook {path.name}"))
    if not stat.S_ISREG(info.st_mode):
        raise _missing_notebook(path.name)
    if info.st_size > MAX_NOTEBOOK_BYTES:
        raise NotebookProblem(
            f"Het notebook {path.name} is groter dan {MAX_NOTEBOOK_BYTES // (1024 * 1024)} MB. "
            "Wis de uitvoer (Kernel → Restart & Clear Output), sla op en lever opnieuw in."
        )
    fd = _open_nofollow(str(path), None, False, f"Het notebook {path.name}")
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(MAX_NOTEBOOK_BYTES + 1)
    return parse_learner_notebook(raw, path.name)


def read_submitted_notebook(course: Course, student: str, assignment: str, name: str) -> dict:
    """Step 2 as the pipeline runs it: the submitted notebook, read safely and parsed."""
    try:
        raw = read_submission_file(course, student, assignment, name,
                                   what=f"Het notebook {name}")
    except FileNotFoundError:
        raise _missing_notebook(name) from None
    return parse_learner_notebook(raw, name)


# ---------------------------------------------------------------------------------------
# Step 3: rebuild the notebook from the source
# ---------------------------------------------------------------------------------------
@dataclass
class RebuiltCell:
    cell: dict  # nbformat v4 cell (source metadata for nbgrader cells)
    role: Role
    grade_id: str | None = None


def is_learners(rc: RebuiltCell) -> bool:
    """Whether the cell's content is the learner's (their own cell, or a solution cell);
    everything else comes from the instructor's source."""
    return rc.role in (Role.EXTRA, Role.SOLUTION) or bool(_nbgrader(rc.cell).get("solution"))


def learner_source(cell: dict) -> str:
    """A learner cell's source as safe text (no lone surrogate, NUL or control character,
    which no valid code or answer holds; bounded)."""
    return protocol.clean_text(_source(cell), MAX_SOURCE_CHARS, line_limit=0)


def _clean_extra(cell: dict) -> dict | None:
    kind = cell.get("cell_type")
    if kind not in ("code", "markdown", "raw"):
        return None
    # a learner's raw cell (nbconvert would copy it verbatim into HTML) becomes markdown,
    # which the autograded notebook shows as escaped text
    clean: dict[str, Any] = {"cell_type": "markdown" if kind == "raw" else kind, "metadata": {},
             "source": learner_source(cell)}
    if kind == "code":
        clean.update(outputs=[], execution_count=None)
    return clean


def rebuild(spec: NotebookSpec, learner: dict) -> list[RebuiltCell]:
    known = {}
    for cell in spec.cells:
        gid = _nbgrader(cell).get("grade_id")
        if gid:
            known[gid] = cell
    answers: dict[str, str] = {}
    extras: dict[str | None, list[dict]] = {}
    anchor: str | None = None
    for cell in learner.get("cells", []):
        if not isinstance(cell, dict):
            continue
        gid = _nbgrader(cell).get("grade_id")
        if isinstance(gid, str) and gid in known and gid not in answers:
            source_meta = _nbgrader(known[gid])
            if source_meta.get("solution") or gid in spec.text_answers:
                answers[gid] = learner_source(cell)
            anchor = gid
            continue
        if isinstance(gid, str) and gid in known:
            continue  # a copy of an instructor cell: ignored
        clean = _clean_extra(cell)
        if clean is not None:
            extras.setdefault(anchor, []).append(clean)
    rebuilt = [RebuiltCell(c, Role.EXTRA) for c in extras.get(None, [])]
    for cell in spec.cells:
        meta = _nbgrader(cell)
        gid = meta.get("grade_id")
        if not gid:
            continue  # unlocked instructor cells reach us through the learner's notebook
        new = copy.deepcopy(cell)
        new["source"] = _source(cell)
        if new.get("cell_type") == "code":
            new["outputs"], new["execution_count"] = [], None
        if meta.get("solution") or gid in spec.text_answers:
            new["source"] = answers.get(gid, "")
            if not meta.get("grade"):
                role = Role.SOLUTION
            elif new.get("cell_type") == "code":
                role = Role.MANUAL_CODE  # a code answer graded by hand: it runs, too
            else:
                role = Role.MANUAL
        elif _is_test(meta) and cell.get("cell_type") == "code":
            role = Role.TEST
        elif meta.get("grade") or meta.get("task"):
            role = Role.MANUAL
        else:
            role = Role.LOCKED
        rebuilt.append(RebuiltCell(new, role, gid))
        rebuilt.extend(RebuiltCell(c, Role.EXTRA) for c in extras.get(gid, []))
    return rebuilt


# ---------------------------------------------------------------------------------------
# Step 4: plan
# ---------------------------------------------------------------------------------------
def plan_steps(rebuilt: list[RebuiltCell], spec: NotebookSpec) -> list[dict]:
    steps: list[dict[str, Any]] = []
    for index, rc in enumerate(rebuilt):
        if rc.cell.get("cell_type") != "code":
            continue
        if rc.role == Role.TEST:
            steps.append({"kind": "snapshot", "test": rc.grade_id,
                          "names": spec.tests[rc.grade_id].answers})
        else:
            steps.append({"kind": "code", "cell": index, "source": _source(rc.cell)})
    return steps


# ---------------------------------------------------------------------------------------
# Step 4b: plain answers typed without Python (parsed here, in the grader; never executed)
# ---------------------------------------------------------------------------------------
# what the release shows in an answer cell until the learner types (grader/nbgrader_config.py)
TEXT_STUBS = ("VUL HIER JE ANTWOORD IN", "YOUR ANSWER HERE")
GARBLED = "garbled"  # a snapshot problem prefix: "garbled: <Dutch hint>"


def read_text_answers(spec: NotebookSpec, rebuilt: list[RebuiltCell]
                      ) -> dict[str, tuple[object, str | None]]:
    """variable -> (value, None) or (None, problem) for every text answer cell: the
    learner's text parsed with :func:`ketencursus.checks.parse_text_answer`."""
    answers: dict[str, tuple[object, str | None]] = {}
    for rc in rebuilt:
        if rc.grade_id not in spec.text_answers:
            continue
        variable, fmt = spec.text_answers[rc.grade_id]
        text = _source(rc.cell)
        if text.strip().strip("*_`").strip() in TEXT_STUBS:
            answers[variable] = (None, f"{GARBLED}: Je hebt hier nog geen antwoord ingevuld; "
                                        "typ je antwoord in plaats van de tekst "
                                        f"'{TEXT_STUBS[0]}'.")
            continue
        try:
            answers[variable] = (parse_text_answer(text, fmt), None)
        except TextAnswerError as hint:
            answers[variable] = (None, f"{GARBLED}: {hint}")
    return answers


def apply_text_answers(spec: NotebookSpec, execution: Execution,
                       answers: dict[str, tuple[object, str | None]]) -> None:
    """Put the parsed text answers into every test's snapshot, exactly like an answer value
    taken from the learner's kernel (they win over a variable of that name in the kernel;
    a test that reads only text answers needs no kernel at all)."""
    for gid, test in spec.tests.items():
        names = [n for n in test.answers if n in answers]
        if not names:
            continue
        snap = execution.snapshots.get(gid)
        if snap is None:
            if len(names) != len(test.answers):
                continue  # the code answers of this test were never reached
            snap = execution.snapshots[gid] = {"values": {}, "problems": {}}
        for name in names:
            value, problem = answers[name]
            if problem is None:
                snap["values"][name] = value
                snap["problems"].pop(name, None)
            else:
                snap["values"].pop(name, None)
                snap["problems"][name] = problem


# ---------------------------------------------------------------------------------------
# Step 5: run the learner's code in the sandbox
# ---------------------------------------------------------------------------------------
@dataclass
class Execution:
    outputs: dict[int, list[dict]] = field(default_factory=dict)
    status: dict[int, str] = field(default_factory=dict)  # ok|error|timeout|crashed|not-run
    snapshots: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # Dutch, learner-safe
    log: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def _read_protocol(proc, deadline_for, limits: sb.Limits, on_message, log) -> str:
    """Read protocol lines from ``proc.stdout`` until EOF/end; return how it ended:
    "end", "eof", "timeout" or "flood". Every line is hostile: too long, not UTF-8, not
    JSON, not an object, or a message ``on_message`` cannot use is logged and skipped;
    nothing in here raises because of what the sandbox sent."""
    fd = proc.stdout.fileno()
    buffer = bytearray()
    total = 0
    skipped = 0
    dropping = False  # inside a line longer than protocol.MAX_LINE_BYTES
    try:
        while True:
            remaining = deadline_for() - time.monotonic()
            if remaining <= 0:
                return "timeout"
            ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
            if not ready:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return "eof"
            total += len(chunk)
            if total > limits.protocol_limit:
                return "flood"
            start = 0
            while True:
                newline = chunk.find(b"\n", start)
                if newline < 0:
                    if not dropping:
                        buffer += chunk[start:]
                        if len(buffer) > protocol.MAX_LINE_BYTES:
                            buffer.clear()
                            dropping = True
                            skipped += 1
                    break
                if dropping:
                    dropping = False
                else:
                    buffer += chunk[start:newline]
                    message = protocol.loads(bytes(buffer))
                    buffer.clear()
                    if type(message) is not dict:
                        skipped += 1
                    else:
                        try:
                            if on_message(message):
                                return "end"
                        except Exception as exc:  # noqa: BLE001 - a message we cannot use
                            skipped += 1
                            log.append(f"onbruikbaar bericht genegeerd ({type(exc).__name__})")
                start = newline + 1
    finally:
        if skipped:
            log.append(f"{skipped} onleesbare regel(s) van de sandbox genegeerd")


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
IMAGE_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
OUTPUT_TEXT_LIMIT = 100_000  # characters of learner text per cell the grader keeps at most


def output_text(value: object, limit: int = OUTPUT_TEXT_LIMIT) -> str:
    """Learner text for an output: terminal escapes removed, then :func:`protocol.clean_text`
    (no lone surrogates, NUL or control characters; long lines and the whole cut)."""
    if type(value) is not str:
        return ""
    return protocol.clean_text(_ANSI.sub("", value[: limit * 2]), limit)


def valid_image(mime: str, content: object, limit: int) -> str | None:
    """``content`` if it is base64 of a real PNG/JPEG of at most ``limit`` characters."""
    if type(content) is not str or len(content) > limit or mime not in IMAGE_MAGIC:
        return None
    compact = "".join(content.split())
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    return compact if data.startswith(IMAGE_MAGIC[mime]) else None


def sanitize_outputs(outputs: object, limit: int = 200, image_limit: int = 400_000
                     ) -> list[dict]:
    """Learner-controlled output dicts (from the sandbox, possibly forged), rebuilt as valid
    nbformat v4 outputs that hold ONLY plain text (streams, ``text/plain``, error text) and
    validated PNG/JPEG images: HTML, Markdown, JavaScript, SVG, LaTeX, widget views and any
    metadata are dropped, so nothing of the learner's runs in the instructor's formgrader.
    Unknown kinds and fields are dropped; the result always validates."""
    clean: list[dict] = []
    if type(outputs) is not list:
        return clean
    budget = OUTPUT_TEXT_LIMIT
    for out in outputs[:limit]:
        if type(out) is not dict:
            continue
        kind = out.get("output_type")
        if kind == "stream":
            name = "stderr" if out.get("name") == "stderr" else "stdout"
            text = output_text(out.get("text"), budget)
            budget -= len(text)
            clean.append({"output_type": "stream", "name": name, "text": text})
        elif kind in ("display_data", "execute_result"):
            data: Any = out.get("data") if type(out.get("data")) is dict else {}
            bundle: dict[str, str] = {}
            if "text/plain" in data:
                bundle["text/plain"] = output_text(data["text/plain"], budget)
                budget -= len(bundle["text/plain"])
            for mime in IMAGE_MAGIC:
                image = valid_image(mime, data.get(mime), image_limit)
                if image is not None:
                    bundle[mime] = image
            item: dict = {"output_type": kind, "data": bundle, "metadata": {}}
            if kind == "execute_result":
                count = out.get("execution_count")
                item["execution_count"] = count if protocol.safe_int(count) is not None \
                    else None
            clean.append(item)
        elif kind == "error":
            trace: Any = out.get("traceback") if type(out.get("traceback")) is list else []
            clean.append({"output_type": "error",
                          "ename": output_text(out.get("ename"), 200) or "Error",
                          "evalue": output_text(out.get("evalue"), 2000),
                          "traceback": [output_text(line, 2000) for line in trace[:50]]})
        budget = max(budget, 0)
    return clean


def run_learner_code(session: sb.Session, steps: list[dict], limits: sb.Limits,
                     deadline: float | None = None) -> Execution:
    """Run the learner's cells in the sandbox; ``deadline`` (``time.monotonic()``) ends the
    whole submission's run (the per-submission wall-clock limit) whatever each cell does.
    Raises :class:`ketencursus.grading.sandbox.SandboxError` when the sandbox did not start
    (no ``ready`` message): that is the grader's failure, never the learner's."""
    result = Execution()
    code_cells = [s["cell"] for s in steps if s["kind"] == protocol.STEP_CODE]
    job = {"steps": steps, "cell_timeout": limits.cell_timeout,
           "output_limit": limits.output_limit, "image_limit": limits.image_limit}
    started = time.monotonic()
    if deadline is None:
        deadline = started + limits.submission_timeout
    proc = session.spawn(sb.LEARNER_RUNNER.name, ["-E", "-s"])
    state: dict = {"cell": None, "since": started, "ready": False, "ready_at": started}
    valid_cells = set(code_cells)
    snapshot_ids = {s["test"] for s in steps if s["kind"] == protocol.STEP_SNAPSHOT}
    try:
        try:
            assert proc.stdin is not None  # spawned with stdin=PIPE
            proc.stdin.write(json.dumps(job).encode("utf-8"))
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass

        def on_message(message: dict) -> bool:
            kind = message.get(protocol.KIND)
            if kind == protocol.READY:
                state["ready"] = True
                state["since"] = state["ready_at"] = time.monotonic()
                return False
            if not state["ready"]:
                return False
            cell = protocol.safe_int(message.get("cell"))
            if kind == protocol.START and cell in valid_cells:
                state["cell"], state["since"] = cell, time.monotonic()
            elif kind == protocol.DONE and cell is not None and cell in valid_cells:
                result.outputs[cell] = sanitize_outputs(message.get("outputs"),
                                                        image_limit=limits.image_limit)
                status = message.get("status")
                if status not in (protocol.STATUS_OK, protocol.STATUS_ERROR):
                    status = protocol.STATUS_ERROR
                if status == protocol.STATUS_ERROR \
                        and time.monotonic() - state["since"] >= limits.cell_timeout:
                    status = CellStatus.TIMEOUT
                result.status[cell] = status
                state["cell"], state["since"] = None, time.monotonic()
            elif kind == protocol.SNAPSHOT:
                parsed = protocol.parse_snapshot(message)
                if parsed is not None and parsed[0] in snapshot_ids:
                    result.snapshots[parsed[0]] = cast(dict, parsed[1])
            elif kind == protocol.END:
                return True
            return False

        def cell_deadline() -> float:
            # Start-up (interpreter, IPython) and between cells: generous; within a cell: the
            # cell timeout plus a grace period for the in-sandbox interrupt to work; never
            # past the submission's deadline.
            if state["cell"] is None:
                own = state["since"] + max(60.0, limits.cell_timeout)
            else:
                own = state["since"] + limits.cell_timeout + limits.grace
            return min(own, deadline)

        ended = _read_protocol(proc, cell_deadline, limits, on_message, result.log)
        running = state["cell"]
        if ended == "end":
            try:
                proc.wait(timeout=5)
            except Exception:  # noqa: BLE001
                pass
    finally:
        session.kill(proc)
    if not state["ready"]:
        raise sb.SandboxError(
            f"de sandbox startte niet ({ended}): "
            f"{session.launcher_errors(sb.LEARNER_RUNNER.name)}"
        )
    over_total = ended == "timeout" and time.monotonic() >= deadline - 0.01
    if over_total:
        result.log.append(f"tijdslimiet per inzending: cel {running} gestopt, sandbox beëindigd")
        if running is not None:
            result.status[running] = CellStatus.TIMEOUT
        result.notes.append(
            f"Je notebook deed er in totaal langer over dan {limits.submission_timeout:.0f} "
            "seconden; de nakijkomgeving is gestopt. Latere cellen zijn niet uitgevoerd."
        )
    elif ended == "timeout":
        result.log.append(f"tijdslimiet: cel {running} gestopt, sandbox beëindigd")
        if running is not None:
            result.status[running] = CellStatus.TIMEOUT
        result.notes.append(
            f"Een cel liep langer dan {limits.cell_timeout:.0f} seconden en liet zich niet "
            "onderbreken; de nakijkomgeving is gestopt. Latere cellen zijn niet uitgevoerd."
        )
    elif ended == "flood":
        result.log.append("te veel uitvoer: sandbox beëindigd")
        result.notes.append(
            "Je code gaf zo veel uitvoer dat de nakijkomgeving is gestopt. Latere cellen zijn "
            "niet uitgevoerd."
        )
    elif ended == "eof":
        result.log.append(f"leerlingproces stopte tijdens cel {running} (code {proc.returncode})")
        errors = session.launcher_errors(sb.LEARNER_RUNNER.name)
        if errors:
            result.log.append(f"stderr bij het starten: {protocol.clean_text(errors, 600)}")
        if running is not None:
            result.status[running] = CellStatus.CRASHED
        result.notes.append(
            "Het Python-proces van je notebook stopte voortijdig (bijvoorbeeld door os._exit, "
            "een crash of te veel geheugengebruik). Latere cellen zijn niet uitgevoerd."
        )
    for cell in code_cells:
        result.status.setdefault(cell, CellStatus.NOT_RUN)
    now = time.monotonic()
    result.timings = {"sandbox_start": state["ready_at"] - started,
                      "learner_code": now - state["ready_at"]}
    result.log.append(f"leerlingcode: {now - started:.2f} s, einde: {ended}")
    return result


# ---------------------------------------------------------------------------------------
# Step 6: hidden tests in a fresh interpreter
# ---------------------------------------------------------------------------------------
def run_hidden_tests(session: sb.Session, tests: list[dict], limits: sb.Limits,
                     log: list[str]) -> dict[str, dict]:
    """``tests``: [{"test", "code", "values"}] -> {test: outcome (protocol.TestOutcome)}.

    No learner code runs here (the values are plain data), so a test runner that does not
    finish (crash, timeout, no ``end``) is the grader's failure: it raises
    :class:`ketencursus.grading.sandbox.SandboxError` (retried, then an internal error),
    never a learner's zero."""
    if not tests:
        return {}
    results: dict[str, dict] = {}
    names = {t["test"] for t in tests}
    proc = session.spawn(sb.TEST_RUNNER.name, ["-E", "-s", "-S"])
    deadline = time.monotonic() + 30 + limits.test_timeout * len(tests)
    try:
        try:
            assert proc.stdin is not None  # spawned with stdin=PIPE
            proc.stdin.write(json.dumps({"tests": tests, "timeout": limits.test_timeout},
                                        allow_nan=True).encode())
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass

        def on_message(message: dict) -> bool:
            if message.get(protocol.KIND) == protocol.END:
                return True
            outcome = protocol.parse_outcome(message)
            if outcome is not None and outcome["test"] in names:
                results[outcome["test"]] = dict(outcome)
            return False

        ended = _read_protocol(proc, lambda: deadline, limits, on_message, log)
    finally:
        session.kill(proc)
    if ended != "end" or set(results) != names:
        raise sb.SandboxError(
            f"testproces eindigde onverwacht ({ended}, {len(results)}/{len(names)} tests) "
            f"{session.launcher_errors(sb.TEST_RUNNER.name)}"
        )
    return results


# ---------------------------------------------------------------------------------------
# Step 7: scores
# ---------------------------------------------------------------------------------------
REASON_TEXT = {
    "missing": "De variabele {names} bestaat niet (nog) op het moment van de test. Controleer "
               "de naam en voer je notebook van boven naar beneden uit.",
    "not-plain": "{names} is geen gewone Python-waarde ({why}). Gebruik een int, float, str, "
                 "bool, list of dict, bijvoorbeeld float(...) of int(...).",
    "not-run": "De cel met {names} is niet uitgevoerd omdat je notebook eerder vastliep of "
               "stopte.",
    "error": "Dit onderdeel is niet goed.",
}


def score_items(spec: NotebookSpec, rebuilt: list[RebuiltCell], execution: Execution,
                test_results: dict[str, dict]) -> list[ItemResult]:
    from nbformat import from_dict
    from nbgrader.utils import compute_checksum

    items = []
    for rc in rebuilt:
        gid = rc.grade_id
        if rc.role == Role.TEST:
            test = spec.tests[gid]
            item = ItemResult(gid, "auto", test.points, 0.0, answers=list(test.answers),
                              objective=test.objective, hint=test.hint)
            snapshot = execution.snapshots.get(gid)
            if snapshot is None:
                item.reason = Reason.NOT_RUN
                item.detail = REASON_TEXT["not-run"].format(names=", ".join(test.answers))
            else:
                problems = {k: str(v) for k, v in snapshot["problems"].items()}
                missing = [n for n in test.answers if problems.get(n) == "missing"]
                typed = {variable for variable, _ in spec.text_answers.values()}
                garbled = [n for n in test.answers if n in typed
                           and problems.get(n, "").startswith(f"{GARBLED}: ")]
                not_plain = [n for n in test.answers if n in problems
                             and n not in missing and n not in garbled]
                if garbled:
                    item.reason = Reason.GARBLED
                    item.detail = problems[garbled[0]].removeprefix(f"{GARBLED}: ")
                elif missing:
                    item.reason = Reason.MISSING
                    item.detail = REASON_TEXT["missing"].format(names=", ".join(missing))
                elif not_plain:
                    why = problems[not_plain[0]].removeprefix("not-plain: ")
                    item.reason = Reason.NOT_PLAIN
                    item.detail = REASON_TEXT["not-plain"].format(
                        names=", ".join(not_plain), why=why[:80])
                else:
                    outcome = test_results.get(gid)
                    if outcome and outcome.get("passed") is True:
                        item.score = test.points
                    elif outcome and outcome.get("from_checks"):
                        item.reason = Reason.CHECK
                        item.detail = str(outcome.get("message", ""))[:500]
                    else:
                        item.reason = Reason.ERROR
                        item.detail = REASON_TEXT["error"]
            items.append(item)
        elif rc.role in (Role.MANUAL, Role.MANUAL_CODE):
            points = spec.manual.get(gid, 0.0)
            item = ItemResult(gid, "manual", points, None)
            checksum = spec.release_checksums.get(gid)
            meta = _nbgrader(rc.cell)
            if checksum and meta.get("solution") and not meta.get("task"):
                try:
                    if compute_checksum(from_dict(rc.cell)) == checksum:
                        item.score, item.reason = 0.0, Reason.NO_RESPONSE
                        item.detail = "Je hebt hier nog geen antwoord ingevuld."
                except Exception:  # noqa: BLE001 - no checksum, no automatic zero
                    pass
            if not _source(rc.cell).strip() and meta.get("solution"):
                item.score, item.reason = 0.0, Reason.NO_RESPONSE
                item.detail = "Je hebt hier nog geen antwoord ingevuld."
            items.append(item)
    return items


# ---------------------------------------------------------------------------------------
# Step 8: the autograded notebook
# ---------------------------------------------------------------------------------------
_MARKDOWN_PUNCTUATION = re.compile(r"([!\"#$%'()*+,\-./:;=?@\[\\\]^_`{|}~])")


def escape_markdown(text: str) -> str:
    """A learner's markdown as plain text that every renderer shows literally: ``&``, ``<``
    and ``>`` as entities (no raw HTML), every other ASCII punctuation backslash-escaped
    (no links, images, ``javascript:`` URLs, math or headings); line breaks kept."""
    text = html.escape(text, quote=False)
    lines = []
    for line in text.split("\n"):
        # entities stay entities: escape punctuation outside them only
        parts = re.split(r"(&(?:amp|lt|gt);)", line)
        lines.append("".join(part if re.fullmatch(r"&(?:amp|lt|gt);", part)
                             else _MARKDOWN_PUNCTUATION.sub(r"\\\1", part)
                             for part in parts))
    return "\n".join(lines)


AUTOGRADED_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def autograded_notebook(rebuilt: list[RebuiltCell], learner: dict | None,
                        execution: Execution, items: list[ItemResult]) -> dict:
    """The notebook the instructor's formgrader shows. Everything of the learner's in it is
    plain: code as code, their markdown and raw cells escaped (:func:`escape_markdown`),
    outputs sanitised (:func:`sanitize_outputs`); metadata is the grader's own, never the
    learner's (``learner`` is accepted for the call's shape and not read)."""
    by_id = {i.grade_id: i for i in items}
    cells = []
    seen_ids: set[str] = set()
    count = 0
    for index, rc in enumerate(rebuilt):
        cell = copy.deepcopy(rc.cell)
        if cell.get("cell_type") != "code" and is_learners(rc):
            cell["source"] = escape_markdown(_source(cell))
            cell.pop("attachments", None)
        if cell.get("cell_type") == "code":
            if rc.role == Role.TEST:
                item = by_id[rc.grade_id]
                count += 1
                cell["execution_count"] = count
                cell["outputs"] = [] if item.passed else [{
                    "output_type": "error", "ename": "AssertionError",
                    "evalue": item.detail, "traceback": [f"AssertionError: {item.detail}"],
                }]
            elif index in execution.status:
                count += 1
                cell["execution_count"] = count
                cell["outputs"] = execution.outputs.get(index, [])
        # nbformat 4.5 wants a unique id per cell (learner cells may lack or repeat one)
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or cell_id in seen_ids \
                or not re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", cell_id):
            cell_id = f"kc-{index}"
        seen_ids.add(cell_id)
        cell["id"] = cell_id
        cells.append(cell)
    return {"cells": cells, "metadata": copy.deepcopy(AUTOGRADED_METADATA), "nbformat": 4,
            "nbformat_minor": 5}


def _outputs_text(outputs: list[dict], limit: int) -> str:
    parts = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            parts.append(str(out.get("text", "")))
        elif kind in ("execute_result", "display_data"):
            data = out.get("data") or {}
            if "text/plain" in data:
                parts.append(str(data["text/plain"]) + "\n")
            elif any(k.startswith("image/") for k in data):
                parts.append("[afbeelding]\n")
        elif kind == "error":
            parts.append(f"{out.get('ename', 'Fout')}: {out.get('evalue', '')}\n")
    text = "".join(parts)
    if len(text) > limit:
        text = text[:limit] + "\n[… uitvoer ingekort]"
    return text


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
    with sb.session(files=files, limits=task.limits, protections=task.protections) as session:
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
