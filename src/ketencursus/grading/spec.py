"""The assignment as the grader knows it: read from the instructor's SOURCE notebooks only.

Every test cell, its points, its answer variables and metadata come from here (never from a
learner's notebook); so do the plain-answer cells (``ketencursus.text_answer``) and the
checksums of the released stubs (an untouched answer scores 'no response').
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import json
from dataclasses import dataclass, field

from ketencursus.checks import TEXT_FORMATS
from ketencursus.grading.course import Course


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
    # grade_id of a markdown answer cell typed without Python -> (variable, format)
    text_answers: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class AssignmentSpec:
    name: str
    notebooks: list[NotebookSpec]
    data_files: dict[str, str]  # name in the learner's working directory -> host path
    fingerprint: str
    # modules imported by the instructor's cells the learner sees too (neither solution nor
    # hidden test): what the grading zygote imports before it forks (sandbox.PRELOAD)
    imports: tuple[str, ...] = ()


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


def public_imports(cells: list[dict]) -> list[str]:
    """Modules the instructor's code cells import that are neither a solution nor a hidden
    test (what every learner sees in the released notebook: nothing of a solution leaks
    through what the grader imports in advance)."""
    names: list[str] = []
    for cell in cells:
        meta = _nbgrader(cell)
        if cell.get("cell_type") != "code" or meta.get("solution") or _is_test(meta):
            continue
        try:
            tree = ast.parse(_source(cell))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
    return list(dict.fromkeys(names))


def text_answer_of(cell: dict) -> tuple[str, str] | None:
    """``(variable, format)`` of a plain answer cell typed without Python: a markdown cell
    with a ``grade_id``, not graded or locked itself, with ``ketencursus: {text_answer,
    format}`` metadata (COORDINATION.md; the hidden tests read ``variable``)."""
    if cell.get("cell_type") != "markdown":
        return None
    meta = _nbgrader(cell)
    extra = (cell.get("metadata") or {}).get("ketencursus")
    # nbgrader 0.9 refuses a markdown solution cell that is not a grade cell, so such a
    # cell has every nbgrader role false and only a grade_id (quiz.assignments makes them)
    if meta.get("grade") or meta.get("locked") or not isinstance(extra, dict):
        return None
    variable, fmt = extra.get("text_answer"), extra.get("format")
    if not isinstance(variable, str) or not variable.isidentifier():
        return None
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"text answer {variable!r}: unknown format {fmt!r}")
    return variable, fmt


def load_assignment(course: Course, assignment: str) -> AssignmentSpec:
    """Read the instructor's source notebooks of ``assignment``."""
    notebooks = []
    imports: list[str] = []
    digest = hashlib.sha256()
    for path in course.source_notebooks(assignment):
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        nb = json.loads(raw)
        cells = [c for c in nb.get("cells", []) if isinstance(c, dict)]
        tests: dict[str, TestSpec] = {}
        manual: dict[str, float] = {}
        text_answers: dict[str, tuple[str, str]] = {}
        for cell in cells:
            meta = _nbgrader(cell)
            gid = meta.get("grade_id")
            text_answer = text_answer_of(cell)
            if gid and text_answer:
                text_answers[gid] = text_answer
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
        notebooks.append(NotebookSpec(path.name, cells, tests, manual, checksums,
                                      text_answers))
        imports += public_imports(cells)
    data_dir = course.release(assignment)
    if not data_dir.is_dir():
        data_dir = course.source(assignment)
    data_files = {}
    for entry in sorted(data_dir.iterdir()):
        if entry.name.startswith(".") or entry.suffix == ".ipynb":
            continue
        data_files[entry.name] = str(entry)
        digest.update(entry.name.encode())
    return AssignmentSpec(assignment, notebooks, data_files, digest.hexdigest()[:16],
                          tuple(dict.fromkeys(imports)))


