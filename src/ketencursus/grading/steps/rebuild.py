"""Step 3: rebuild the notebook from the instructor's source; only the learner's answer cells
and own extra cells are taken, as clean text.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ketencursus.grading import protocol
from ketencursus.grading.results import Role
from ketencursus.grading.spec import NotebookSpec, _is_test, _nbgrader, _source

MAX_SOURCE_CHARS = 1_000_000


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
    clean: dict[str, Any] = {"cell_type": "markdown" if kind == "raw" else kind,
                             "metadata": {}, "source": learner_source(cell)}
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
