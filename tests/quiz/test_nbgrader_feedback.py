"""The feedback step for stock nbgrader: a failed test cell's traceback (which quotes the
hidden test with its expected value) is replaced by the check's Dutch message and the hint."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from ketencursus.quiz.nbgrader_feedback import HideTestTracebacks


def _test_cell(outputs):
    cell = new_code_cell("from ketencursus.checks import check_number\n")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "points": 2,
                                 "grade_id": "x-toets", "locked": True, "schema_version": 3}
    cell.metadata["ketencursus"] = {"answers": ["antwoord_x"], "objective": "h4.3",
                                    "hint": "Deel door het aantal zaken."}
    cell.outputs = outputs
    return cell


def test_assertion_traceback_becomes_message_and_hint():
    error = new_output("error", ename="AssertionError", evalue="Dit getal is niet juist.",
                       traceback=["check_number(antwoord_x, 12.3456, abs_tol=0.01)"])
    nb = new_notebook(cells=[_test_cell([error])])
    out, _ = HideTestTracebacks().preprocess(nb, {})
    (output,) = out.cells[0].outputs
    assert output.output_type == "stream"
    assert "12.3456" not in output.text and "check_number" not in output.text
    assert "Niet goed: Dit getal is niet juist." in output.text
    assert "Tip: Deel door het aantal zaken." in output.text
    nbformat.validate(out)


def test_other_exceptions_do_not_show_their_message():
    error = new_output("error", ename="ValueError", evalue="expected 12.3456",
                       traceback=["..."])
    nb = new_notebook(cells=[_test_cell([error])])
    out, _ = HideTestTracebacks().preprocess(nb, {})
    assert "12.3456" not in out.cells[0].outputs[0].text
    assert "ValueError" in out.cells[0].outputs[0].text


def test_learner_cells_keep_their_output():
    cell = new_code_cell("print(1)")
    cell.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "x-antwoord",
                                 "locked": False, "schema_version": 3}
    cell.outputs = [new_output("stream", name="stdout", text="1\n")]
    out, _ = HideTestTracebacks().preprocess(new_notebook(cells=[cell]), {})
    assert out.cells[0].outputs[0].text == "1\n"


def test_the_course_config_uses_the_step(layout):
    config = (layout.grader / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "ketencursus.quiz.nbgrader_feedback.HideTestTracebacks" in config
