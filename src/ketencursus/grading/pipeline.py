"""Grading one submission: a pipeline of small steps.

Order matters; each step's constraint is noted:

1. :func:`load_assignment` (once per assignment, in the grading process): read the
   instructor's SOURCE notebooks; every test cell, its points and metadata come from here.
2. :func:`read_learner_notebook`: invalid JSON or a wrong nbformat becomes a
   :class:`NotebookProblem` (zero score, Dutch note), never an exception.
3. :func:`rebuild`: take only the learner's solution-cell contents (by nbgrader
   ``grade_id``) and their own extra cells; test cells, locked cells, points and metadata come
   from the source, so deleted or edited test cells and tampered points have no effect. A
   solution cell the learner deleted becomes EMPTY (never the source's solution).
4. :func:`plan_steps`: the code cells the learner's kernel runs, and after which cell the
   answer values of each test are taken (a test sees the values at its place in the notebook).
5. :func:`run_learner_code` (sandbox): run the cells; serialise the declared answer variables
   to JSON inside the sandbox (plain data only, exact types).
6. :func:`run_hidden_tests` (sandbox, FRESH interpreter): each test's code with only its
   answer values bound; never in the learner's process.
7. :func:`score_items`: points for passed tests, from the source's points.
8. :func:`write_autograded_notebook` and the log; the gradebook is written later by the
   parent process only (:mod:`ketencursus.grading.runner`).
"""

from __future__ import annotations

import ast
import builtins
import copy
import hashlib
import json
import os
import re
import select
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ketencursus.grading import sandbox as sb
from ketencursus.grading.course import Course

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
FEEDBACK_SOURCE_CHARS = 4000


# ---------------------------------------------------------------------------------------
# The assignment, from the instructor's source
# ---------------------------------------------------------------------------------------
@dataclass
class TestSpec:
    grade_id: str
    points: float
    code: str
    answers: list[str]
    objective: str | None
    hint: str | None


@dataclass
class NotebookSpec:
    name: str  # file name, e.g. "opdracht.ipynb"
    cells: list[dict]  # source cells (nbformat v4 dicts)
    tests: dict[str, TestSpec]
    manual: dict[str, float]  # grade_id -> points of manually graded cells
    release_checksums: dict[str, str]  # grade_id -> checksum of the released (stub) cell


@dataclass
class AssignmentSpec:
    name: str
    notebooks: list[NotebookSpec]
    data_files: dict[str, str]  # name in the learner's working directory -> host path
    fingerprint: str


def _nbgrader(cell: dict) -> dict:
    meta = cell.get("metadata") or {}
    value = meta.get("nbgrader") if isinstance(meta, dict) else None
    return value if isinstance(value, dict) else {}


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    if isinstance(src, list):
        return "".join(s for s in src if isinstance(s, str))
    return src if isinstance(src, str) else ""


def _is_test(meta: dict) -> bool:
    return bool(meta.get("grade")) and not meta.get("solution") and not meta.get("task")


def infer_answer_names(code: str) -> list[str]:
    """Names a test cell reads but neither defines nor gets from builtins or the checks."""
    import ketencursus.checks as checks

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    assigned, loaded = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Store):
                assigned.add(node.id)
            elif node.id not in loaded:
                loaded.append(node.id)
        elif isinstance(node, ast.alias):
            assigned.add((node.asname or node.name).split(".")[0])
    known = set(dir(builtins)) | set(checks.__all__) | assigned
    return [name for name in loaded if name not in known]


def load_assignment(course: Course, assignment: str) -> AssignmentSpec:
    """Read the instructor's source notebooks of ``assignment``."""
    notebooks = []
    digest = hashlib.sha256()
    for path in course.source_notebooks(assignment):
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        nb = json.loads(raw)
        cells = [c for c in nb.get("cells", []) if isinstance(c, dict)]
        tests: dict[str, TestSpec] = {}
        manual: dict[str, float] = {}
        for cell in cells:
            meta = _nbgrader(cell)
            gid = meta.get("grade_id")
            if not gid or not meta.get("grade"):
                continue
            points = float(meta.get("points", 0) or 0)
            if _is_test(meta) and cell.get("cell_type") == "code":
                extra = (cell.get("metadata") or {}).get("ketencursus") or {}
                answers = extra.get("answers") or infer_answer_names(_source(cell))
                tests[gid] = TestSpec(
                    gid, points, _source(cell), [str(a) for a in answers],
                    extra.get("objective"), extra.get("hint"),
                )
            else:
                manual[gid] = points
        checksums = {}
        released = course.release(assignment) / path.name
        if released.exists():
            for cell in json.loads(released.read_bytes()).get("cells", []):
                meta = _nbgrader(cell)
                if meta.get("grade_id") and meta.get("checksum"):
                    checksums[meta["grade_id"]] = meta["checksum"]
        notebooks.append(NotebookSpec(path.name, cells, tests, manual, checksums))
    data_dir = course.release(assignment)
    if not data_dir.is_dir():
        data_dir = course.source(assignment)
    data_files = {}
    for entry in sorted(data_dir.iterdir()):
        if entry.name.startswith(".") or entry.suffix == ".ipynb":
            continue
        data_files[entry.name] = str(entry)
        digest.update(entry.name.encode())
    return AssignmentSpec(assignment, notebooks, data_files, digest.hexdigest()[:16])


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------
@dataclass
class ItemResult:
    grade_id: str
    kind: str  # "auto" | "manual"
    max_points: float
    score: float | None  # None: to be graded by hand
    reason: str = ""  # "", "missing", "not-plain", "not-run", "check", "error", "no-response"
    detail: str = ""  # learner-safe Dutch text
    answers: list[str] = field(default_factory=list)
    objective: str | None = None
    hint: str | None = None

    @property
    def passed(self) -> bool:
        return self.score is not None and self.score >= self.max_points


@dataclass
class LearnerCell:
    """The learner's own code and (capped) output, for the feedback."""

    grade_id: str | None
    source: str
    output: str
    status: str


@dataclass
class NotebookResult:
    name: str
    problem: str | None = None  # Dutch: why the notebook could not be graded at all
    items: list[ItemResult] = field(default_factory=list)
    cells: list[LearnerCell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Dutch, learner-safe

    @property
    def score(self) -> float:
        return sum(i.score or 0 for i in self.items)

    @property
    def max_score(self) -> float:
        return sum(i.max_points for i in self.items)


@dataclass
class SubmissionResult:
    assignment: str
    student: str
    notebooks: list[NotebookResult] = field(default_factory=list)
    timestamp: str | None = None
    fingerprint: str = ""
    duration: float = 0.0
    internal_error: str | None = None

    @property
    def score(self) -> float:
        return sum(n.score for n in self.notebooks)

    @property
    def max_score(self) -> float:
        return sum(n.max_score for n in self.notebooks)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SubmissionResult:
        notebooks = []
        for nb in data.get("notebooks", []):
            items = [ItemResult(**i) for i in nb.get("items", [])]
            cells = [LearnerCell(**c) for c in nb.get("cells", [])]
            notebooks.append(NotebookResult(nb["name"], nb.get("problem"), items, cells,
                                            list(nb.get("notes", []))))
        fields = {k: v for k, v in data.items() if k != "notebooks"}
        return cls(notebooks=notebooks, **fields)


# ---------------------------------------------------------------------------------------
# Step 2: read the learner's notebook
# ---------------------------------------------------------------------------------------
class NotebookProblem(Exception):
    """The submitted notebook cannot be graded; the message is Dutch, for the learner."""


def read_learner_notebook(path: Path) -> dict:
    if not path.is_file():
        raise NotebookProblem(
            f"Het notebook {path.name} ontbreekt in je inzending. Lever het notebook in met "
            "precies deze naam."
        )
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise NotebookProblem(
            f"Het notebook {path.name} is groter dan {MAX_NOTEBOOK_BYTES // (1024 * 1024)} MB. "
            "Wis de uitvoer (Kernel → Restart & Clear Output), sla op en lever opnieuw in."
        )
    raw = path.read_bytes()
    try:
        nb = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise NotebookProblem(
            f"Het bestand {path.name} is geen geldig notebook (geen geldige JSON); het is "
            "waarschijnlijk beschadigd of met een andere editor bewerkt. Open je opdracht "
            "opnieuw in Jupyter, sla op en lever opnieuw in."
        ) from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise NotebookProblem(
            f"Het bestand {path.name} heeft niet de opbouw van een Jupyter-notebook (geen "
            "lijst met cellen). Lever het notebook in dat je in Jupyter hebt gemaakt."
        )
    major = nb.get("nbformat")
    if major != 4:
        raise NotebookProblem(
            f"Het notebook {path.name} heeft notebookformaat {major!r}; verwacht is formaat 4. "
            "Open het in een recente Jupyter (JupyterLab of Notebook 7), sla op en lever "
            "opnieuw in."
        )
    return nb


# ---------------------------------------------------------------------------------------
# Step 3: rebuild the notebook from the source
# ---------------------------------------------------------------------------------------
@dataclass
class RebuiltCell:
    cell: dict  # nbformat v4 cell (source metadata for nbgrader cells)
    role: str  # "solution" | "test" | "manual" | "locked" | "extra"
    grade_id: str | None = None


def _clean_extra(cell: dict) -> dict | None:
    kind = cell.get("cell_type")
    if kind not in ("code", "markdown", "raw"):
        return None
    clean = {"cell_type": kind, "metadata": {}, "source": _source(cell)}
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
            if source_meta.get("solution"):
                answers[gid] = _source(cell)
            anchor = gid
            continue
        if isinstance(gid, str) and gid in known:
            continue  # a copy of an instructor cell: ignored
        clean = _clean_extra(cell)
        if clean is not None:
            extras.setdefault(anchor, []).append(clean)
    rebuilt = [RebuiltCell(c, "extra") for c in extras.get(None, [])]
    for cell in spec.cells:
        meta = _nbgrader(cell)
        gid = meta.get("grade_id")
        if not gid:
            continue  # unlocked instructor cells reach us through the learner's notebook
        new = copy.deepcopy(cell)
        new["source"] = _source(cell)
        if new.get("cell_type") == "code":
            new["outputs"], new["execution_count"] = [], None
        if meta.get("solution"):
            new["source"] = answers.get(gid, "")
            if not meta.get("grade"):
                role = "solution"
            elif new.get("cell_type") == "code":
                role = "manual-code"  # a code answer graded by hand: it runs, too
            else:
                role = "manual"
        elif _is_test(meta) and cell.get("cell_type") == "code":
            role = "test"
        elif meta.get("grade") or meta.get("task"):
            role = "manual"
        else:
            role = "locked"
        rebuilt.append(RebuiltCell(new, role, gid))
        rebuilt.extend(RebuiltCell(c, "extra") for c in extras.get(gid, []))
    return rebuilt


# ---------------------------------------------------------------------------------------
# Step 4: plan
# ---------------------------------------------------------------------------------------
def plan_steps(rebuilt: list[RebuiltCell], spec: NotebookSpec) -> list[dict]:
    steps = []
    for index, rc in enumerate(rebuilt):
        if rc.cell.get("cell_type") != "code":
            continue
        if rc.role == "test":
            steps.append({"kind": "snapshot", "test": rc.grade_id,
                          "names": spec.tests[rc.grade_id].answers})
        else:
            steps.append({"kind": "code", "cell": index, "source": _source(rc.cell)})
    return steps


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


def _read_protocol(proc, deadline_for, limits: sb.Limits, on_message, log) -> str:
    """Read JSON lines from ``proc.stdout`` until EOF/end; return how it ended:
    "end", "eof", "timeout" or "flood"."""
    fd = proc.stdout.fileno()
    buffer = b""
    total = 0
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
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            try:
                message = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
                log.append("onleesbare regel van de leerlingcode genegeerd")
                continue
            if isinstance(message, dict) and on_message(message):
                return "end"


def sanitize_outputs(outputs: object, limit: int = 200) -> list[dict]:
    """Learner-controlled output dicts, rebuilt as valid nbformat v4 outputs (unknown
    kinds and fields dropped), so the autograded notebook always opens in the formgrader."""
    clean: list[dict] = []
    if not isinstance(outputs, list):
        return clean
    for out in outputs[:limit]:
        if not isinstance(out, dict):
            continue
        kind = out.get("output_type")
        if kind == "stream":
            name = "stderr" if out.get("name") == "stderr" else "stdout"
            clean.append({"output_type": "stream", "name": name, "text": str(out.get("text", ""))})
        elif kind in ("display_data", "execute_result"):
            data = out.get("data") if isinstance(out.get("data"), dict) else {}
            bundle = {str(k): v for k, v in data.items() if isinstance(v, str)}
            item = {"output_type": kind, "data": bundle, "metadata": {}}
            if kind == "execute_result":
                count = out.get("execution_count")
                item["execution_count"] = count if type(count) is int else None
            clean.append(item)
        elif kind == "error":
            trace = out.get("traceback") if isinstance(out.get("traceback"), list) else []
            clean.append({"output_type": "error", "ename": str(out.get("ename", "Error")),
                          "evalue": str(out.get("evalue", "")),
                          "traceback": [str(line) for line in trace[:50]]})
    return clean


def run_learner_code(session: sb.Session, steps: list[dict], limits: sb.Limits) -> Execution:
    result = Execution()
    code_cells = [s["cell"] for s in steps if s["kind"] == "code"]
    job = {"steps": steps, "cell_timeout": limits.cell_timeout,
           "output_limit": limits.output_limit, "image_limit": limits.image_limit}
    started = time.monotonic()
    proc = session.spawn(sb.LEARNER_RUNNER.name, ["-E", "-s"])
    state = {"cell": None, "since": started}
    try:
        proc.stdin.write(json.dumps(job).encode("utf-8"))
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass
    valid_cells = set(code_cells)

    def on_message(message: dict) -> bool:
        kind = message.get("t")
        if kind == "start" and message.get("cell") in valid_cells:
            state["cell"], state["since"] = message["cell"], time.monotonic()
        elif kind == "done" and message.get("cell") in valid_cells:
            cell = message["cell"]
            result.outputs[cell] = sanitize_outputs(message.get("outputs"))
            status = message.get("status") if message.get("status") in ("ok", "error") \
                else "error"
            if status == "error" and time.monotonic() - state["since"] >= limits.cell_timeout:
                status = "timeout"
            result.status[cell] = status
            state["cell"], state["since"] = None, time.monotonic()
        elif kind == "snapshot" and isinstance(message.get("test"), str):
            values = message.get("values") if isinstance(message.get("values"), dict) else {}
            problems = message.get("problems") if isinstance(message.get("problems"),
                                                             dict) else {}
            result.snapshots[message["test"]] = {"values": values, "problems": problems}
        elif kind == "end":
            return True
        return False

    def deadline() -> float:
        # Start-up (interpreter, IPython) and between cells: generous; within a cell: the
        # cell timeout plus a grace period for the in-sandbox interrupt to work.
        if state["cell"] is None:
            return state["since"] + max(60.0, limits.cell_timeout)
        return state["since"] + limits.cell_timeout + limits.grace

    ended = _read_protocol(proc, deadline, limits, on_message, result.log)
    running = state["cell"]
    if ended == "end":
        try:
            proc.wait(timeout=5)
        except Exception:  # noqa: BLE001
            pass
    session.kill(proc)
    if ended == "timeout":
        result.log.append(f"tijdslimiet: cel {running} gestopt, sandbox beëindigd")
        if running is not None:
            result.status[running] = "timeout"
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
            result.log.append(f"stderr bij het starten: {errors}")
        if running is not None:
            result.status[running] = "crashed"
        result.notes.append(
            "Het Python-proces van je notebook stopte voortijdig (bijvoorbeeld door os._exit, "
            "een crash of te veel geheugengebruik). Latere cellen zijn niet uitgevoerd."
        )
    for cell in code_cells:
        result.status.setdefault(cell, "not-run")
    result.log.append(f"leerlingcode: {time.monotonic() - started:.2f} s, einde: {ended}")
    return result


# ---------------------------------------------------------------------------------------
# Step 6: hidden tests in a fresh interpreter
# ---------------------------------------------------------------------------------------
def run_hidden_tests(session: sb.Session, tests: list[dict], limits: sb.Limits,
                     log: list[str]) -> dict[str, dict]:
    """``tests``: [{"test", "code", "values"}] -> {test: {"passed", "error", "message",
    "from_checks"}}. A test without a result (crash, timeout) has failed."""
    if not tests:
        return {}
    results: dict[str, dict] = {}
    names = {t["test"] for t in tests}
    proc = session.spawn(sb.TEST_RUNNER.name, ["-E", "-s", "-S"])
    try:
        proc.stdin.write(json.dumps({"tests": tests, "timeout": limits.test_timeout}).encode())
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass
    deadline = time.monotonic() + 30 + limits.test_timeout * len(tests)

    def on_message(message: dict) -> bool:
        if message.get("end"):
            return True
        if message.get("test") in names:
            results[message["test"]] = message
        return False

    ended = _read_protocol(proc, lambda: deadline, limits, on_message, log)
    session.kill(proc)
    if ended != "end":
        log.append(f"testproces eindigde onverwacht ({ended}) "
                   f"{session.launcher_errors(sb.TEST_RUNNER.name)}")
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
        if rc.role == "test":
            test = spec.tests[gid]
            item = ItemResult(gid, "auto", test.points, 0.0, answers=list(test.answers),
                              objective=test.objective, hint=test.hint)
            snapshot = execution.snapshots.get(gid)
            if snapshot is None:
                item.reason = "not-run"
                item.detail = REASON_TEXT["not-run"].format(names=", ".join(test.answers))
            else:
                problems = {k: str(v) for k, v in snapshot["problems"].items()}
                missing = [n for n in test.answers if problems.get(n) == "missing"]
                not_plain = [n for n in test.answers if n in problems and n not in missing]
                if missing:
                    item.reason = "missing"
                    item.detail = REASON_TEXT["missing"].format(names=", ".join(missing))
                elif not_plain:
                    why = problems[not_plain[0]].removeprefix("not-plain: ")
                    item.reason = "not-plain"
                    item.detail = REASON_TEXT["not-plain"].format(
                        names=", ".join(not_plain), why=why[:80])
                else:
                    outcome = test_results.get(gid)
                    if outcome and outcome.get("passed") is True:
                        item.score = test.points
                    elif outcome and outcome.get("from_checks"):
                        item.reason = "check"
                        item.detail = str(outcome.get("message", ""))[:500]
                    else:
                        item.reason = "error"
                        item.detail = REASON_TEXT["error"]
            items.append(item)
        elif rc.role in ("manual", "manual-code"):
            points = spec.manual.get(gid, 0.0)
            item = ItemResult(gid, "manual", points, None)
            checksum = spec.release_checksums.get(gid)
            meta = _nbgrader(rc.cell)
            if checksum and meta.get("solution") and not meta.get("task"):
                try:
                    if compute_checksum(from_dict(rc.cell)) == checksum:
                        item.score, item.reason = 0.0, "no-response"
                        item.detail = "Je hebt hier nog geen antwoord ingevuld."
                except Exception:  # noqa: BLE001 - no checksum, no automatic zero
                    pass
            if not _source(rc.cell).strip() and meta.get("solution"):
                item.score, item.reason = 0.0, "no-response"
                item.detail = "Je hebt hier nog geen antwoord ingevuld."
            items.append(item)
    return items


# ---------------------------------------------------------------------------------------
# Step 8: the autograded notebook
# ---------------------------------------------------------------------------------------
def autograded_notebook(rebuilt: list[RebuiltCell], learner: dict | None,
                        execution: Execution, items: list[ItemResult]) -> dict:
    by_id = {i.grade_id: i for i in items}
    cells = []
    seen_ids: set[str] = set()
    count = 0
    for index, rc in enumerate(rebuilt):
        cell = copy.deepcopy(rc.cell)
        if cell.get("cell_type") == "code":
            if rc.role == "test":
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
    meta = (learner or {}).get("metadata") if isinstance((learner or {}).get("metadata"),
                                                          dict) else {}
    keep = {k: meta[k] for k in ("kernelspec", "language_info") if k in meta}
    return {"cells": cells, "metadata": keep, "nbformat": 4, "nbformat_minor": 5}


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
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}"
                          .encode())
    return digest.hexdigest()[:24]


def _read_timestamp(folder: Path) -> str | None:
    path = folder / "timestamp.txt"
    try:
        text = path.read_text("utf-8").strip()[:64]
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def grade_notebook(course: Course, task: Task, spec: NotebookSpec, log: list[str]
                   ) -> NotebookResult:
    result = NotebookResult(spec.name)
    submitted = course.submitted(task.student, task.assignment) / spec.name
    target = course.autograded(task.student, task.assignment) / spec.name
    learner: dict | None
    try:
        learner = read_learner_notebook(submitted)
    except NotebookProblem as problem:
        log.append(f"{spec.name}: niet na te kijken: {problem}")
        result.problem = str(problem)
        learner = None
    if learner is None:
        for gid, test in spec.tests.items():
            result.items.append(ItemResult(gid, "auto", test.points, 0.0, "invalid",
                                           result.problem or "", list(test.answers),
                                           test.objective, test.hint))
        for gid, points in spec.manual.items():
            result.items.append(ItemResult(gid, "manual", points, 0.0, "invalid",
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
        execution = run_learner_code(session, steps, task.limits)
        tests = []
        for gid, test in spec.tests.items():
            snap = execution.snapshots.get(gid)
            if snap and all(n in snap["values"] for n in test.answers):
                tests.append({"test": gid, "code": test.code,
                              "values": {n: snap["values"][n] for n in test.answers}})
        outcomes = run_hidden_tests(session, tests, task.limits, execution.log)
    log.extend(f"{spec.name}: {line}" for line in execution.log)
    for gid, outcome in outcomes.items():
        if not outcome.get("passed"):
            log.append(f"{spec.name}: test {gid}: {outcome.get('error')}: "
                       f"{str(outcome.get('message'))[:300]}")
    result.items = score_items(spec, rebuilt, execution, outcomes)
    result.notes = list(execution.notes)
    for index, rc in enumerate(rebuilt):
        if rc.role in ("solution", "extra", "manual-code") and rc.cell.get("cell_type") == "code":
            result.cells.append(LearnerCell(
                rc.grade_id, _source(rc.cell)[:FEEDBACK_SOURCE_CHARS],
                _outputs_text(execution.outputs.get(index, []), task.limits.output_limit // 10),
                execution.status.get(index, "not-run"),
            ))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps(autograded_notebook(rebuilt, learner, execution, result.items), indent=1),
        "utf-8",
    )
    return result


def internal_error_notebook(spec: NotebookSpec) -> NotebookResult:
    """The result of a notebook the grader itself failed on: every automatic item scores
    zero with an 'error' status, manual items stay ungraded; the learner is told that the
    instructor looks into it."""
    nb = NotebookResult(spec.name, problem=(
        "Bij het nakijken ging iets mis aan de kant van de nakijkomgeving; je docent "
        "kijkt dit na."))
    nb.items = [ItemResult(g, "auto", t.points, 0.0, "error", nb.problem or "",
                           list(t.answers), t.objective, t.hint)
                for g, t in spec.tests.items()]
    nb.items += [ItemResult(g, "manual", p, None) for g, p in spec.manual.items()]
    return nb


def grade_submission(task: Task) -> SubmissionResult:
    """Grade one submission; never raises (an internal error gives zero and a note)."""
    started = time.monotonic()
    course = Course(Path(task.course_root))
    result = SubmissionResult(task.assignment, task.student, fingerprint=task.fingerprint)
    log = [f"nakijken {task.assignment} / {task.student} "
           f"({datetime.now(UTC).isoformat(timespec='seconds')})"]
    try:
        result.timestamp = _read_timestamp(course.submitted(task.student, task.assignment))
        for spec in task.spec.notebooks:
            result.notebooks.append(grade_notebook(course, task, spec, log))
    except Exception as exc:  # noqa: BLE001 - one submission never stops the run
        result.internal_error = f"{type(exc).__name__}: {exc}"
        log.append("INTERNE FOUT:\n" + traceback.format_exc())
        done = {nb.name for nb in result.notebooks}
        result.notebooks += [
            internal_error_notebook(spec) for spec in task.spec.notebooks if spec.name not in done
        ]
    result.duration = time.monotonic() - started
    for nb in result.notebooks:
        for item in nb.items:
            score = "handmatig" if item.score is None else f"{item.score:g}"
            log.append(f"{nb.name}: {item.grade_id}: {score} / {item.max_points:g} "
                       f"{item.reason}")
    log.append(f"totaal {result.score:g} / {result.max_score:g} in {result.duration:.2f} s")
    log_file = course.log_file(task.assignment, task.student)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.write_text("\n".join(log) + "\n", "utf-8")
    return result
