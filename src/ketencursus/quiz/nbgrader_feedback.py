"""An nbgrader feedback step for stock ``nbgrader generate_feedback``.

``ClearHiddenTests`` removes the hidden lines from a test cell's *source*, but the traceback
of a failed test still quotes those lines, expected values included. This preprocessor
replaces the error output of every autograded test cell by a short Dutch note: the check's
own message (written never to reveal the expected value) and the item's hint from the cell
metadata ``ketencursus.hint``. Configured in ``grader/nbgrader_config.py``.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from nbformat.v4 import new_output
from traitlets import Bool

# Exceptions whose message is safe to show: ours (AssertionError from ketencursus.checks) and
# a missing answer variable (NameError names only the variable).
SAFE_MESSAGES = {"AssertionError", "NameError"}


def feedback_text(ename: str, evalue: str, hint: str | None) -> str:
    if ename == "NameError":
        message = f"Geen antwoord gevonden ({evalue}). Vul de variabele in de cel erboven in."
    elif ename in SAFE_MESSAGES and evalue:
        message = f"Niet goed: {evalue}"
    else:
        message = f"Niet goed: bij het controleren ging iets mis ({ename})."
    return message + (f"\nTip: {hint}" if hint else "") + "\n"


class HideTestTracebacks(Preprocessor):
    """Replace tracebacks of autograded test cells by a Dutch message and the hint."""

    enabled = Bool(True, help="on by default (nbconvert preprocessors are off)").tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            return cell, resources
        hint = cell.metadata.get("ketencursus", {}).get("hint")
        outputs = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                outputs.append(new_output(
                    "stream", name="stderr",
                    text=feedback_text(output.get("ename", ""), output.get("evalue", ""), hint),
                ))
            # Test cells print nothing by design; any other output is dropped too, so
            # nothing computed from hidden values reaches the learner.
        cell.outputs = outputs
        return cell, resources
