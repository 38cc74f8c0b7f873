"""Step 8: the autograded notebook the formgrader shows: only plain text and validated images;
the learner's markdown escaped.
"""

from __future__ import annotations

import copy
import html
import re
from typing import cast

from ketencursus.grading.results import ItemResult, Role
from ketencursus.grading.spec import _source
from ketencursus.grading.steps.execute import (
    Execution,
)
from ketencursus.grading.steps.rebuild import (
    RebuiltCell,
    is_learners,
)

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
                item = by_id[cast(str, rc.grade_id)]  # a test cell has its grade_id
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
