"""The small steps of the grading pipeline, one by one (no sandbox needed)."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from ketencursus.grading import _learner_runner as runner
from ketencursus.grading.course import Course
from ketencursus.grading.pipeline import (
    Execution,
    NotebookProblem,
    infer_answer_names,
    load_assignment,
    plan_steps,
    read_learner_notebook,
    rebuild,
    score_items,
)
from tests.grading.grading_helpers import ASSIGNMENT, FIXTURES, NOTEBOOK


@pytest.fixture()
def spec(tmp_path):
    course = Course(tmp_path / "grader")
    shutil.copytree(FIXTURES / "source" / ASSIGNMENT, course.source(ASSIGNMENT))
    return load_assignment(course, ASSIGNMENT).notebooks[0]


def learner_copy(spec, answers=None):
    """What a learner hands in: the source with solutions replaced (here: by ``answers``)."""
    nb = {"cells": copy.deepcopy(spec.cells), "metadata": {}, "nbformat": 4,
          "nbformat_minor": 5}
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            cell["source"] = (answers or {}).get(meta["grade_id"], "# VUL HIER JE CODE IN")
    return nb


def roles(rebuilt):
    return [(rc.role, rc.grade_id) for rc in rebuilt]


# ---- reading ---------------------------------------------------------------------------
def test_invalid_json_is_a_dutch_problem_not_a_crash(tmp_path):
    path = tmp_path / NOTEBOOK
    path.write_text('{"cells": [', "utf-8")
    with pytest.raises(NotebookProblem, match="geen geldige JSON"):
        read_learner_notebook(path)


def test_wrong_nbformat_is_refused_with_advice(tmp_path):
    path = tmp_path / NOTEBOOK
    path.write_text(json.dumps({"nbformat": 3, "cells": [], "worksheets": []}), "utf-8")
    with pytest.raises(NotebookProblem, match="notebookformaat 3.*sla op"):
        read_learner_notebook(path)


def test_missing_notebook_names_the_expected_file(tmp_path):
    with pytest.raises(NotebookProblem, match=f"{NOTEBOOK} ontbreekt"):
        read_learner_notebook(tmp_path / NOTEBOOK)


def test_json_that_is_not_a_notebook_is_refused(tmp_path):
    path = tmp_path / NOTEBOOK
    path.write_text("[1, 2, 3]", "utf-8")
    with pytest.raises(NotebookProblem, match="opbouw van een Jupyter-notebook"):
        read_learner_notebook(path)


# ---- rebuilding from the source ------------------------------------------------------------
def test_rebuild_restores_deleted_test_cells_from_the_source(spec):
    learner = learner_copy(spec)
    learner["cells"] = [c for c in learner["cells"]
                        if not c["metadata"].get("nbgrader", {}).get("grade", False)]
    rebuilt = rebuild(spec, learner)
    tests = [rc for rc in rebuilt if rc.role == "test"]
    assert [t.grade_id for t in tests] == ["test_aantal", "test_doorlooptijd", "test_partner"]
    assert "check_int(antwoord_aantal, 6)" in tests[0].cell["source"]


def test_rebuild_takes_points_and_test_code_from_the_source(spec):
    learner = learner_copy(spec)
    for cell in learner["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade_id") == "test_aantal":
            meta["points"] = 100
            cell["source"] = "assert True"
    rebuilt = rebuild(spec, learner)
    test = next(rc for rc in rebuilt if rc.grade_id == "test_aantal")
    assert test.cell["metadata"]["nbgrader"]["points"] == 1
    assert "check_int" in test.cell["source"]


def test_a_fake_graded_cell_loses_its_metadata_and_points(spec):
    learner = learner_copy(spec)
    learner["cells"].append({"cell_type": "code", "source": "pass", "outputs": [],
                             "metadata": {"nbgrader": {"grade": True, "grade_id": "bonus",
                                                       "points": 50}}})
    rebuilt = rebuild(spec, learner)
    extra = [rc for rc in rebuilt if rc.role == "extra" and rc.cell["cell_type"] == "code"]
    assert [rc.cell["source"] for rc in extra] == ["pass"]
    assert extra[0].cell["metadata"] == {}
    assert "bonus" not in {rc.grade_id for rc in rebuilt}


def test_a_deleted_solution_cell_becomes_empty_never_the_instructors_solution(spec):
    learner = learner_copy(spec)
    learner["cells"] = [c for c in learner["cells"] if c["metadata"].get("nbgrader", {})
                        .get("grade_id") != "antwoord_doorlooptijd_cel"]
    rebuilt = rebuild(spec, learner)
    cell = next(rc for rc in rebuilt if rc.grade_id == "antwoord_doorlooptijd_cel")
    assert cell.cell["source"] == ""
    assert all("BEGIN SOLUTION" not in rc.cell["source"] for rc in rebuilt
               if rc.role in ("solution", "manual", "manual-code", "extra"))


def test_learner_extra_cells_stay_after_the_cell_they_followed(spec):
    learner = learner_copy(spec, {"antwoord_aantal_cel": "antwoord_aantal = 6"})
    index = next(i for i, c in enumerate(learner["cells"])
                 if c["metadata"].get("nbgrader", {}).get("grade_id") == "antwoord_aantal_cel")
    learner["cells"].insert(index + 1, {"cell_type": "code", "source": "hulp = 1",
                                        "metadata": {}, "outputs": []})
    rebuilt = rebuild(spec, learner)
    order = roles(rebuilt)
    position = order.index(("solution", "antwoord_aantal_cel"))
    assert order[position + 1] == ("extra", None)
    assert rebuilt[position + 1].cell["source"] == "hulp = 1"
    assert order[position + 2] == ("test", "test_aantal")


def test_answers_are_snapshotted_where_the_test_cell_stands(spec):
    rebuilt = rebuild(spec, learner_copy(spec))
    steps = plan_steps(rebuilt, spec)
    kinds = [(s["kind"], s.get("test")) for s in steps]
    assert kinds == [("code", None), ("code", None), ("snapshot", "test_aantal"),
                     ("code", None), ("snapshot", "test_doorlooptijd"), ("code", None),
                     ("snapshot", "test_partner")]
    assert steps[2]["names"] == ["antwoord_aantal"]
    assert all("check_" not in s.get("source", "") or s["cell"] == 1 for s in steps)


def test_answer_names_are_inferred_when_metadata_is_missing():
    code = "### BEGIN HIDDEN TESTS\nx = 3\ncheck_number(antwoord_a, x)\nassert len(b) == 2\n"
    assert infer_answer_names(code) == ["antwoord_a", "b"]


# ---- serialising answer values (inside the sandbox) ----------------------------------------
def test_plain_data_passes_unchanged():
    value = {"a": [1, 2.5, "x", True, None], "b": {"c": []}}
    assert runner.to_plain(value) == value


def test_scalars_of_exact_numpy_types_become_their_plain_values():
    value = runner.to_plain({"m": np.float64(1.5), "n": np.int64(3), "b": np.bool_(True),
                             "s": np.str_("b"), "l": [np.float32(0.5)]})
    assert value == {"m": 1.5, "n": 3, "b": True, "s": "b", "l": [0.5]}
    assert [type(v) for v in (value["m"], value["n"], value["b"], value["s"])] == \
        [float, int, bool, str]


@pytest.mark.parametrize("value", [
    (1, 2), {1: "a"}, object(), type("I", (int,), {})(4), np.array([1.5]),
    type("F", (float,), {"__eq__": lambda s, o: True})(1.0),
    type("F64", (np.float64,), {"__eq__": lambda s, o: True})(1.0),
    type("float64", (float,), {"__module__": "numpy"})(1.0),
])
def test_anything_but_exact_plain_types_is_refused(value):
    with pytest.raises(runner.NotPlain):
        runner.to_plain(value)


def test_self_referencing_lists_are_refused():
    loop: list = []
    loop.append(loop)
    with pytest.raises(runner.NotPlain):
        runner.to_plain(loop)


# ---- scoring ---------------------------------------------------------------------------
def test_scores_explain_missing_not_plain_and_failed_answers(spec):
    rebuilt = rebuild(spec, learner_copy(spec))
    execution = Execution(snapshots={
        "test_aantal": {"values": {}, "problems": {"antwoord_aantal": "missing"}},
        "test_doorlooptijd": {"values": {}, "problems": {
            "antwoord_gemiddelde_doorlooptijd": "not-plain: type pandas.Series"}},
        "test_partner": {"values": {"antwoord_partner": "c"}, "problems": {}},
    })
    outcomes = {"test_partner": {"passed": False, "error": "AssertionError",
                                 "message": "verwacht b", "from_checks": False}}
    items = {i.grade_id: i for i in score_items(spec, rebuilt, execution, outcomes)}
    assert items["test_aantal"].reason == "missing"
    assert "antwoord_aantal bestaat niet" in items["test_aantal"].detail
    assert items["test_doorlooptijd"].reason == "not-plain"
    assert "pandas.Series" in items["test_doorlooptijd"].detail
    # a message not raised by ketencursus.checks may hold an expected value: never shown
    assert items["test_partner"].detail == "Dit onderdeel is niet goed."
    assert all(i.score == 0 for i in items.values() if i.kind == "auto")
    assert items["reflectie_gemiddelde"].kind == "manual"
    assert items["test_doorlooptijd"].objective == "h9.2"
    assert items["test_doorlooptijd"].hint.startswith("Neem het gemiddelde")


def test_points_come_only_from_a_passed_hidden_test(spec):
    rebuilt = rebuild(spec, learner_copy(spec))
    execution = Execution(snapshots={
        gid: {"values": {n: 1 for n in t.answers}, "problems": {}}
        for gid, t in spec.tests.items()})
    outcomes = {"test_aantal": {"passed": True}, "test_partner": {"passed": "yes"}}
    items = {i.grade_id: i.score for i in score_items(spec, rebuilt, execution, outcomes)}
    assert items["test_aantal"] == 1.0
    assert items["test_partner"] == 0.0  # only a literal True counts
    assert items["test_doorlooptijd"] == 0.0


def test_fixture_files_exist():
    assert (FIXTURES / "source" / ASSIGNMENT / "zaken.csv").is_file()
    assert Path(FIXTURES / "book" / "h9_testhoofdstuk.md").is_file()


def test_learner_outputs_are_rebuilt_as_valid_nbformat():
    import nbformat

    from ketencursus.grading.pipeline import sanitize_outputs

    raw = [
        {"output_type": "stream", "name": "evil", "text": 5, "extra": {"x": 1}},
        {"output_type": "display_data", "data": {"text/plain": "ok", "image/png": 3}},
        {"output_type": "execute_result", "data": {}, "execution_count": "7"},
        {"output_type": "error", "ename": None, "traceback": "nee"},
        {"output_type": "onbekend"},
        "geen dict",
    ]
    outputs = sanitize_outputs(raw)
    assert [o["output_type"] for o in outputs] == ["stream", "display_data", "execute_result",
                                                   "error"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=outputs)])
    nbformat.validate(nb)
    assert sanitize_outputs("geen lijst") == []


def test_grade_notebook_runs_the_steps_in_the_order_pipeline_steps_lists():
    """STEPS is the documented order (with the reason of each place); grade_notebook must
    call the step functions in exactly that order."""
    import ast
    import inspect

    from ketencursus.grading import pipeline

    tree = ast.parse(inspect.getsource(pipeline.grade_notebook))
    calls = [node.func.id for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
    wanted = [function.__name__ for _, function in pipeline.STEPS]
    # the main path: the last call of each (an unreadable notebook takes a shortcut first)
    seen = [name for name in sorted(set(calls), key=lambda n: max(
        node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name) and node.func.id == n)) if name in wanted]
    assert seen == wanted
    assert all(function.__module__.startswith("ketencursus.grading.steps.")
               for _, function in pipeline.STEPS)
