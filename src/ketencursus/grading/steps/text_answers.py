"""Step 4b (after 5): plain answers typed without Python, parsed in the grader (never executed)
and put into the tests' snapshots.
"""

from __future__ import annotations

from ketencursus.checks import TextAnswerError, parse_text_answer
from ketencursus.grading.spec import NotebookSpec, _source
from ketencursus.grading.steps.execute import (
    Execution,
)
from ketencursus.grading.steps.rebuild import (
    RebuiltCell,
)

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
