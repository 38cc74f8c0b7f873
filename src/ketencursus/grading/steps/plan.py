"""Step 4: plan what the learner's kernel runs and where each test's answer values are taken."""

from __future__ import annotations

from typing import Any, cast

from ketencursus.grading.results import Role
from ketencursus.grading.spec import NotebookSpec, _source
from ketencursus.grading.steps.rebuild import (
    RebuiltCell,
)


def plan_steps(rebuilt: list[RebuiltCell], spec: NotebookSpec) -> list[dict]:
    steps: list[dict[str, Any]] = []
    for index, rc in enumerate(rebuilt):
        if rc.cell.get("cell_type") != "code":
            continue
        if rc.role == Role.TEST:
            gid = cast(str, rc.grade_id)  # a test cell always has its grade_id (read step)
            steps.append({"kind": "snapshot", "test": gid, "names": spec.tests[gid].answers})
        else:
            steps.append({"kind": "code", "cell": index, "source": _source(rc.cell)})
    return steps
