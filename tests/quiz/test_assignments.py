"""Assignment generation: the source notebooks follow the assessment contract, the expected
values of the data items come from the case generators, a hand-edited source is never
overwritten, and (slow) the stock nbgrader round trip gives every autograded point of a
pandas-track assignment to a correct submission and zero to an unchanged release, while no
release shows an answer. (Assignments answered in plain text are graded by our own grader:
tests/grading/test_text_answers_roundtrip.py.)"""

from __future__ import annotations

import ast
import contextlib
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

import ketencursus.checks as checks
from ketencursus.objectives import read_objectives
from ketencursus.quiz.assignments import (
    AssignmentError,
    assignment_dirs,
    assignment_items,
    generate_assignments,
)
from ketencursus.quiz.bank import load_bank
from tests.support import VENV_BIN, tool_env

ASSIGNMENTS = ("actieplan", "kennistoets", "loonaangifteketen", "loonaangifteketen-leesroute",
               "praktijkopdrachten", "werkpleinen", "werkpleinen-leesroute")
CODE_ASSIGNMENTS = ("loonaangifteketen", "werkpleinen")  # answered in Python
TEXT_ASSIGNMENTS = ("kennistoets", "loonaangifteketen-leesroute", "werkpleinen-leesroute")
PLAIN_TYPES = (int, float, str, bool, type(None), list, dict)


@pytest.fixture(scope="module")
def objectives(layout):
    return read_objectives(layout.book)


@pytest.fixture(scope="module")
def bank(layout, objectives):
    return load_bank(layout.exercises / "bank", objectives)


@pytest.fixture(scope="module")
def course(layout, bank, objectives, tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("course")
    shutil.copy(layout.grader / "nbgrader_config.py", course / "nbgrader_config.py")
    generate_assignments(layout.exercises / "assignments", course, bank, objectives)
    return course


def _source(course: Path, name: str) -> nbformat.NotebookNode:
    (path,) = (course / "source" / name).glob("*.ipynb")
    return nbformat.read(path, as_version=4)


def _grade_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def test_every_authored_assignment_is_known_with_its_answer_mode(layout):
    assert tuple(d.name for d in assignment_dirs(layout.exercises / "assignments")) == tuple(
        sorted(ASSIGNMENTS)
    )


@pytest.mark.parametrize("name", CODE_ASSIGNMENTS + TEXT_ASSIGNMENTS)
def test_autograded_test_cells_follow_the_contract(course, objectives, name):
    nb = _source(course, name)
    tests = [c for c in _grade_cells(nb) if c.cell_type == "code"]
    assert tests
    allowed_functions = set(checks.__all__)
    # partial credit of multiple-response items: the bank's one scoring rule
    allowed_imports = {"ketencursus.checks": allowed_functions,
                       "ketencursus.quiz.scoring": {"score_choices"}}
    for cell in tests:
        meta = cell.metadata["nbgrader"]
        assert meta["solution"] is False and meta["points"] > 0 and meta["locked"] is True
        contract = cell.metadata["ketencursus"]
        assert contract["objective"] in objectives
        assert contract["evidence"] in ("recognition", "computation")
        assert contract["hint"].strip()
        answers = set(contract["answers"])
        assert answers and all(a.startswith("antwoord_") for a in answers)
        source = cell.source
        assert "### BEGIN HIDDEN TESTS" in source and "### END HIDDEN TESTS" in source
        hidden = source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
        assert re.search(r"\b(check_\w+|score_choices)\(", hidden), "the check is hidden"
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.module in allowed_imports
                assert {a.name for a in node.names} <= allowed_imports[node.module]
            elif isinstance(node, ast.Import):
                pytest.fail(f"{name}: test cell imports {ast.dump(node)}")
            elif isinstance(node, ast.Name):
                assert node.id in answers | allowed_functions | {"score_choices"}, \
                    (name, node.id)


@pytest.mark.parametrize("name", CODE_ASSIGNMENTS)
def test_every_answer_cell_assigns_plain_data_of_the_announced_type(course, name):
    nb = _source(course, name)
    namespace: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and not cell.metadata["nbgrader"].get("grade"):
            exec(cell.source, namespace)
        elif cell.cell_type == "code":
            for variable in cell.metadata["ketencursus"]["answers"]:
                value = namespace[variable]
                assert type(value) in PLAIN_TYPES, (variable, type(value))
                json.dumps(value)
            exec(cell.source, dict(namespace))  # the model solution passes its own test


def test_data_items_expected_values_match_the_case_metrics(course):
    from ketencursus.cases import metrics
    from ketencursus.cases.loonaangifte import generate_loonaangifte

    data = generate_loonaangifte()
    table = metrics.case_table(data.gebeurtenissen).join(data.zaken)
    year = table["tijdvak"].dt.year
    nb = _source(course, "loonaangifteketen")
    calls = {c.metadata["ketencursus"]["answers"][0]: c.source for c in _grade_cells(nb)
             if c.cell_type == "code"}

    def expected(variable):
        return float(re.search(rf"check_\w+\({variable}, ([-0-9.e]+)", calls[variable]).group(1))

    in_2006 = table[year == 2006]
    assert expected("antwoord_gemiddelde_doorlooptijd_2006") == pytest.approx(
        in_2006["doorlooptijd_dagen"].mean(), abs=1e-9)
    assert expected("antwoord_mediaan_doorlooptijd_2006") == pytest.approx(
        in_2006["doorlooptijd_dagen"].median(), abs=1e-9)
    assert expected("antwoord_ftr_2006") == pytest.approx(
        100 * metrics.first_time_right(in_2006), abs=1e-9)
    assert expected("antwoord_ftr_2009") == pytest.approx(
        100 * metrics.first_time_right(table[year == 2009]), abs=1e-9)
    received = data.gebeurtenissen.loc[data.gebeurtenissen["activiteit"] == "ontvangen",
                                        "zaak_id"]
    assert expected("antwoord_zaken_per_ontvangst_2007") == int(
        (year.loc[received.to_numpy()] == 2007).sum())
    assert expected("antwoord_zaken_per_ontvangst_2007") > int((year == 2007).sum())
    assert expected("antwoord_jaar_langste_doorlooptijd") == int(
        table.groupby(year)["doorlooptijd_dagen"].mean().idxmax())


def test_werkpleinen_has_a_manually_graded_written_answer(course):
    nb = _source(course, "werkpleinen")
    manual = [c for c in _grade_cells(nb) if c.cell_type == "markdown"]
    assert len(manual) == 1
    meta = manual[0].metadata["nbgrader"]
    assert meta["solution"] is True and meta["points"] == 4
    assert manual[0].metadata["ketencursus"]["objective"] == "h6.3"


def test_every_graded_bank_item_is_in_the_knowledge_test(course, bank):
    nb = _source(course, "kennistoets")
    ids = {c.metadata["nbgrader"]["grade_id"].rsplit("-toets", 1)[0] for c in _grade_cells(nb)}
    assert ids == {q.id for q in bank.graded()}
    assert all(q.use == "graded" for q in bank if q.id in ids)


def test_assignment_items_name_their_objectives_and_evidence_kind(layout, bank, objectives):
    items = assignment_items(layout.exercises / "assignments", bank)
    assert {i.assignment for i in items} == set(ASSIGNMENTS) - {"kennistoets"}
    assert all(i.objective in objectives for i in items)
    assert {i.evidence for i in items} == {"recognition", "computation", "production"}
    for item in items:
        assert (item.kind == "manual") == (item.evidence == "production"), item
        assert (item.rubric is not None) == (item.kind == "manual"), item
        assert item.grade_id and item.answers in ("code", "text")


def test_hand_edited_source_is_not_overwritten(layout, bank, objectives, tmp_path):
    generate_assignments(layout.exercises / "assignments", tmp_path, bank, objectives,
                         names=["kennistoets"])
    target = tmp_path / "source" / "kennistoets" / "kennistoets.ipynb"
    generate_assignments(layout.exercises / "assignments", tmp_path, bank, objectives,
                         names=["kennistoets"])  # unchanged: regenerating is fine
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(AssignmentError, match="met de hand aangepast.*--force"):
        generate_assignments(layout.exercises / "assignments", tmp_path, bank, objectives,
                             names=["kennistoets"])
    assert target.read_text(encoding="utf-8").endswith("\n\n")
    generate_assignments(layout.exercises / "assignments", tmp_path, bank, objectives,
                         names=["kennistoets"], force=True)


def test_unknown_assignment_name_gets_a_dutch_message(layout, bank, tmp_path):
    with pytest.raises(AssignmentError, match="Onbekende opdracht 'toets9'. Kies uit"):
        generate_assignments(layout.exercises / "assignments", tmp_path, bank, names=["toets9"])


def test_broken_assignment_source_names_file_and_item(layout, bank, tmp_path):
    shutil.copytree(layout.exercises, tmp_path / "exercises")
    target = tmp_path / "exercises" / "assignments"
    path = target / "werkpleinen" / "assignment.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    type: float\n",
                                                             "    type: getal\n", 1),
                    encoding="utf-8")
    message = r"werkpleinen/assignment.yml: item wp-02, veld 'type'"
    with pytest.raises(AssignmentError, match=message):
        generate_assignments(target, tmp_path / "course", bank)


# ------------------------------------------------------------------ nbgrader round trip


def _run(args, cwd):
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=tool_env(),
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def graded_course(layout, tmp_path_factory):
    """A temporary course: generated via the CLI, released with nbgrader, one correct and one
    unchanged submission per assignment, autograded with stock nbgrader."""
    course = tmp_path_factory.mktemp("roundtrip")
    shutil.copy(layout.grader / "nbgrader_config.py", course / "nbgrader_config.py")
    _run([str(VENV_BIN / "ketencursus"), "assignments", "--course", str(course)], layout.root)
    nbgrader = str(VENV_BIN / "nbgrader")
    for name in ASSIGNMENTS:
        _run([nbgrader, "generate_assignment", name, "--force"], course)
    for name in CODE_ASSIGNMENTS:
        (release,) = (course / "release" / name).glob("*.ipynb")
        source = nbformat.read(course / "source" / name / release.name, as_version=4)
        solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
                     if c.metadata.get("nbgrader", {}).get("solution")}
        correct = nbformat.read(release, as_version=4)
        for cell in correct.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution"):
                cell.source = solutions[meta["grade_id"]]
        for student, nb in (("cursist_goed", correct),
                            ("cursist_leeg", nbformat.read(release, as_version=4))):
            target = course / "submitted" / student / name / release.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target)
        _run([nbgrader, "autograde", name, "--force"], course)
        _run([nbgrader, "generate_feedback", name, "--force"], course)
    return course


@contextlib.contextmanager
def _gradebook(course: Path):
    """nbgrader's Gradebook, with the environment's bin on PATH (it shells out to alembic)."""
    from nbgrader.api import Gradebook

    saved = os.environ.get("PATH", "")
    os.environ["PATH"] = tool_env()["PATH"]
    try:
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            yield gb
    finally:
        os.environ["PATH"] = saved


def _scores(course: Path) -> dict[tuple[str, str], tuple[float, float, float]]:
    """(student, assignment) -> (auto score, max auto score, max manual score)."""
    out = {}
    with _gradebook(course) as gb:
        for name in CODE_ASSIGNMENTS:
            assignment = gb.find_assignment(name)
            for student in ("cursist_goed", "cursist_leeg"):
                sub = gb.find_submission(name, student)
                auto = [g for nb in sub.notebooks for g in nb.grades
                        if g.cell.cell_type == "code"]
                manual_max = sum(g.max_score for nb in sub.notebooks for g in nb.grades
                                 if g.cell.cell_type == "markdown")
                out[(student, name)] = (sum(g.auto_score or 0 for g in auto),
                                        sum(g.max_score for g in auto), manual_max)
            assert assignment.max_score > 0
    return out


@pytest.mark.slow
def test_correct_submission_gets_every_autograded_point(graded_course):
    scores = _scores(graded_course)
    for name in CODE_ASSIGNMENTS:
        auto, maximum, _ = scores[("cursist_goed", name)]
        assert maximum > 0 and auto == maximum, name


@pytest.mark.slow
def test_unchanged_release_gets_zero(graded_course):
    scores = _scores(graded_course)
    for name in CODE_ASSIGNMENTS:
        auto, maximum, _ = scores[("cursist_leeg", name)]
        assert maximum > 0 and auto == 0, name


@pytest.mark.slow
def test_written_reflection_waits_for_the_formgrader(graded_course):
    scores = _scores(graded_course)
    assert scores[("cursist_goed", "werkpleinen")][2] == 4
    with _gradebook(graded_course) as gb:
        written = gb.find_grade("wp-06-antwoord", "werkpleinen", "werkpleinen", "cursist_goed")
        assert written.auto_score is None and written.manual_score is None
        assert written.needs_manual_grade
        # nbgrader scores an answer cell left exactly as released with 0, no grading needed.
        empty = gb.find_grade("wp-06-antwoord", "werkpleinen", "werkpleinen", "cursist_leeg")
        assert empty.score == 0 and not empty.needs_manual_grade


@pytest.mark.slow
def test_no_graded_answer_appears_in_any_release_notebook(graded_course, bank):
    releases = sorted((graded_course / "release").rglob("*.ipynb"))
    assert len(releases) == len(ASSIGNMENTS)
    text = "\n".join(p.read_text(encoding="utf-8") for p in releases)
    assert "HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    assert not re.search(r"(check_\w+|score_choices)\(", text), "no check call (expected value)"
    for question in bank.graded():
        for secret in question.answer_strings():
            assert json.dumps(secret, ensure_ascii=False)[1:-1] not in text, question.id
        assert f"{question.variable} = " not in text.replace(
            f"`{question.variable} = ", ""), question.id
    for name in ASSIGNMENTS:
        (source,) = (graded_course / "source" / name).glob("*.ipynb")
        for cell in nbformat.read(source, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and cell.cell_type == "code":
                solution = cell.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
                assert json.dumps(solution.strip())[1:-1] not in text, name
                for line in (s.strip() for s in solution.splitlines()):
                    if line.startswith("antwoord_"):  # the line that holds the answer
                        assert json.dumps(line)[1:-1] not in text, (name, line)
            if meta.get("solution") and cell.cell_type == "markdown":
                assert json.dumps(cell.source[:80])[1:-1] not in text, name


@pytest.mark.slow
def test_stock_feedback_shows_no_hidden_test_or_expected_value(graded_course):
    hidden_parts = []
    for name in CODE_ASSIGNMENTS:
        (source,) = (graded_course / "source" / name).glob("*.ipynb")
        for cell in nbformat.read(source, as_version=4).cells:
            if "### BEGIN HIDDEN TESTS" in cell.source:
                hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1]
                hidden_parts.append(hidden.split("### END HIDDEN TESTS")[0].strip())
    pages = sorted((graded_course / "feedback").rglob("*.html"))
    assert len(pages) == 2 * len(CODE_ASSIGNMENTS)
    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        assert "HIDDEN TESTS" not in text and not re.search(r"check_\w+\(", text), page
        for hidden in hidden_parts:
            assert hidden not in text, page
            for literal in re.findall(r"-?\d+\.\d+", hidden):
                if len(literal) >= 6:  # an expected float, e.g. 12.295785...
                    assert literal not in text, (page, literal)
        if "cursist_leeg" in page.parts:
            assert "Geen antwoord gevonden" in text and "Tip:" in text


@pytest.mark.slow
def test_released_notebooks_show_each_task_s_rubric_but_not_its_model_answer(graded_course,
                                                                            layout):
    from ketencursus.quiz.assignments import load_assignment_rubrics, read_spec
    from ketencursus.quiz.rubrics import rubric_markdown

    rubrics = load_assignment_rubrics(layout.exercises / "assignments")
    for name in ("actieplan", "praktijkopdrachten", "werkpleinen", "werkpleinen-leesroute"):
        (release,) = (graded_course / "release" / name).glob("*.ipynb")
        text = "\n".join(c.source for c in nbformat.read(release, as_version=4).cells)
        spec = read_spec(layout.exercises / "assignments" / name, rubrics)
        for cell in spec["cells"]:
            task = cell.get("task")
            if task:
                assert rubric_markdown(rubrics[task["rubric"]]) in text, (name, task["id"])
                answers = [p["model_answer"] for p in task.get("parts", [])] or \
                    [task["model_answer"]]
                for answer in answers:
                    assert answer.strip().splitlines()[0] not in text, (name, task["id"])


def test_multiple_response_steps_give_the_bank_s_partial_credit_for_every_answer(bank):
    from itertools import combinations

    from ketencursus.quiz.assignments import bank_item_cells
    from ketencursus.quiz.scoring import selection_fraction

    multiple = [q for q in bank.graded() if q.type == "multiple"]
    assert multiple
    for question in multiple:
        tests = [c for c in bank_item_cells(question, "text")
                 if c.metadata.get("nbgrader", {}).get("grade")]
        assert sum(c.metadata["nbgrader"]["points"] for c in tests) == pytest.approx(
            question.points, abs=1e-9)
        letters = [o.id for o in question.options]
        right = set(question.correct_options)
        for size in range(len(letters) + 1):
            for chosen in combinations(letters, size):
                earned = 0.0
                for cell in tests:
                    try:
                        exec(cell.source, {question.variable: list(chosen)})
                    except AssertionError:
                        continue
                    earned += cell.metadata["nbgrader"]["points"]
                wanted = question.points * selection_fraction(chosen, right,
                                                              set(letters) - right)
                assert earned == pytest.approx(wanted, abs=1e-5), (question.id, chosen)
