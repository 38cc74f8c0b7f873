"""Step 4: plan what the learner's kernel runs and where each test's answer values are taken."""

from __future__ import annotations

from ketencursus.grading.results import Role
from ketencursus.grading.spec import NotebookSpec, _source
from ketencursus.grading.steps.rebuild import (
    RebuiltCell,
)


def plan_steps(rebuilt: list[RebuiltCell], spec: NotebookSpec) -> list[dict]:
    steps = []
    for index, rc in enumerate(rebuilt):
        if rc.cell.get("cell_type") != "code":
            continue
        if rc.role == Role.TEST:
            steps.append({"kind": "snapshot", "test": rc.grade_id,
                          "names": spec.tests[rc.grade_id].answers})
        else:
            steps.append({"kind": "code", "cell": index, "source": _source(rc.cell)})
    return steps
