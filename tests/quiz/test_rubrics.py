"""Rubric-graded tasks and plain-text answers: every objective whose verb asks for production
has a task graded with a rubric, every rubric's points add up to its task's points, the rubric
is in the notebook learners get, model answers count as release secrets, and the assignments
answered in plain text carry the agreed answer-cell metadata and no Python answer cells."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from ketencursus.objectives import read_objectives
from ketencursus.publish.secrets import assignment_secrets, prose_needles, scan_tree
from ketencursus.quiz.assignments import (
    EVIDENCE_KINDS,
    TEXT_ANSWER_STUB,
    AssignmentError,
    assignment_items,
    generate_assignments,
    load_assignment_rubrics,
    read_spec,
)
from ketencursus.quiz.bank import load_bank
from ketencursus.quiz.rubrics import (
    RubricError,
    asks_for_production,
    instructor_markdown,
    load_rubrics,
    read_rubric,
    rubric_markdown,
)

TEXT_ASSIGNMENTS = ("kennistoets", "loonaangifteketen-leesroute", "werkpleinen-leesroute")
# The production objectives the review names (content-review.md §0.3 and §5.1).
REVIEW_PRODUCTION = {"h1.5", "h3.5", "h4.2", "h5.4", "h6.4", "h7.1", "h7.5"}


@pytest.fixture(scope="module")
def objectives(layout):
    return read_objectives(layout.book)


@pytest.fixture(scope="module")
def rubrics(layout, objectives):
    return load_assignment_rubrics(layout.exercises / "assignments", objectives)


@pytest.fixture(scope="module")
def items(layout, rubrics):
    return assignment_items(layout.exercises / "assignments", rubrics=rubrics)


@pytest.fixture(scope="module")
def course(layout, objectives, tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("course")
    shutil.copy(layout.grader / "nbgrader_config.py", course / "nbgrader_config.py")
    bank = load_bank(layout.exercises / "bank", objectives)
    generate_assignments(layout.exercises / "assignments", course, bank, objectives)
    return course


def _source(course: Path, name: str) -> nbformat.NotebookNode:
    (path,) = (course / "source" / name).glob("*.ipynb")
    return nbformat.read(path, as_version=4)


def test_every_production_objective_has_a_rubric_graded_task(objectives, items):
    production = {oid for oid, o in objectives.items() if asks_for_production(o)}
    assert REVIEW_PRODUCTION <= production, "the verb list must recognise the review's list"
    graded = {i.objective for i in items if i.evidence == "production" and i.rubric}
    assert production <= graded, sorted(production - graded)


def test_every_rubric_adds_up_to_its_tasks_points(layout, rubrics, course):
    used = set()
    for directory in sorted((layout.exercises / "assignments").iterdir()):
        spec = read_spec(directory, rubrics)
        for cell in spec["cells"]:
            (kind, body), = cell.items()
            if kind != "task":
                continue
            rubric = rubrics[body["rubric"]]
            used.add(rubric.id)
            assert body["points"] == rubric.total, body["id"]
            nb = _source(course, directory.name)
            cells = [c for c in nb.cells if c.metadata.get("ketencursus", {}).get("rubric")
                     == rubric.id]
            assert cells and sum(c.metadata["nbgrader"]["points"] for c in cells) == rubric.total
            for c in cells:
                assert c.cell_type == "markdown"
                assert c.metadata["nbgrader"]["grade"] and c.metadata["nbgrader"]["solution"]
    assert used == set(rubrics), "every rubric belongs to a task"


def test_a_task_whose_points_differ_from_its_rubric_is_refused(layout, tmp_path):
    shutil.copytree(layout.exercises, tmp_path / "exercises")
    path = tmp_path / "exercises" / "assignments" / "actieplan" / "assignment.yml"
    path.write_text(path.read_text("utf-8").replace("      points: 10\n", "      points: 12\n"),
                    "utf-8")
    with pytest.raises(AssignmentError, match=r"item actieplan, veld 'points': 12 punten, maar "
                       r"de punten van beoordelingsmodel 'actieplan' tellen op tot 10"):
        read_spec(path.parent)


def test_the_action_plan_follows_chapter_7s_template(rubrics, items):
    plan = rubrics["actieplan"]
    assert [c.id for c in plan.criteria] == ["diagnose", "interventies", "weerstand",
                                             "verankering", "evaluatie"]
    assert plan.total == 10 and all(c.max_points == 2 for c in plan.criteria)
    assert "kleur" in plan.criterion("interventies").title.lower()
    assert "per partner" in plan.criterion("weerstand").title
    parts = [i for i in items if i.assignment == "actieplan"]
    assert [i.grade_id for i in parts] == [f"actieplan-{c.id}" for c in plan.criteria]
    assert {i.objective for i in parts} == {"h7.1", "h7.2", "h7.3", "h7.4", "h7.5"}


def test_learners_see_the_rubric_above_the_task_before_they_start(course, rubrics):
    nb = _source(course, "actieplan")
    table = rubric_markdown(rubrics["actieplan"])
    first_answer = next(i for i, c in enumerate(nb.cells)
                        if c.metadata.get("ketencursus", {}).get("rubric"))
    shown = [i for i, c in enumerate(nb.cells) if table in c.source]
    assert shown and shown[0] < first_answer
    assert nb.cells[shown[0]].metadata["nbgrader"]["locked"] is True  # released as written
    for criterion in rubrics["actieplan"].criteria:
        for level in criterion.levels:
            assert level.description in table


def test_the_instructor_rendering_adds_the_model_answer(rubrics):
    text = instructor_markdown(rubrics["actieplan"], "Een modelantwoord.")
    assert rubric_markdown(rubrics["actieplan"], heading="Beoordelingsmodel: Actieplan voor "
                           "een keten") in text
    assert "Een modelantwoord." in text and "Leerdoel per criterium" in text


def test_a_broken_rubric_is_reported_per_file_and_criterion(tmp_path, objectives):
    (tmp_path / "fout.yml").write_text(
        "schema_version: 1\nid: anders\ntitle: Fout model\nobjective: h9.9\ncriteria:\n"
        "  - id: een\n    title: Eerste\n    levels:\n"
        "      - {points: 1, description: begint niet bij nul punten}\n"
        "      - {points: 1, description: stijgt niet ten opzichte van het vorige niveau}\n",
        "utf-8")
    with pytest.raises(RubricError) as info:
        read_rubric(tmp_path / "fout.yml", objectives)
    text = str(info.value)
    assert "'anders' moet gelijk zijn aan de bestandsnaam ('fout')" in text
    assert "criterium 'een': het eerste niveau moet 0 punten zijn" in text
    assert "criterium 'een': de niveaus moeten oplopen in punten" in text
    assert "leerdoel h9.9 bestaat niet" in text
    (tmp_path / "fout.yml").write_text("schema_version: 1\nid: fout\ntitle: X\n", "utf-8")
    with pytest.raises(RubricError, match="verplicht veld 'objective' ontbreekt"):
        load_rubrics(tmp_path)


def test_model_answers_of_written_tasks_are_release_secrets(layout, tmp_path):
    assignments = layout.exercises / "assignments"
    secrets = assignment_secrets(assignments)
    spec = read_spec(assignments / "actieplan")
    (task,) = [c["task"] for c in spec["cells"] if "task" in c]
    sentence = prose_needles(task["parts"][0]["model_answer"])[1]
    assert any(s.text == sentence for s in secrets)
    leaked = tmp_path / "release" / "notitie.md"
    leaked.parent.mkdir()
    words = sentence.split()  # copied with other line breaks: still found
    leaked.write_text("Mijn plan:\n" + " ".join(words[:4]) + "\n" + " ".join(words[4:]) + "\n",
                      "utf-8")
    (tmp_path / "release" / "ander.md").write_text("De gedeelde plek verdwijnt.\n", "utf-8")
    assert [leak.path for leak in scan_tree(tmp_path / "release", secrets)] == ["notitie.md"]


@pytest.mark.parametrize("name", TEXT_ASSIGNMENTS)
def test_text_assignments_take_answers_without_python(course, name):
    nb = _source(course, name)
    assert not [c for c in nb.cells if c.cell_type == "code"
                and c.metadata.get("nbgrader", {}).get("solution")], "no Python answer cell"
    tests = [c for c in nb.cells if c.cell_type == "code"
             and c.metadata.get("nbgrader", {}).get("grade")]
    assert tests
    for test in tests:
        (variable,) = test.metadata["ketencursus"]["answers"]
        index = nb.cells.index(test)
        answer = next(c for c in reversed(nb.cells[:index])  # its answer cell, above it
                      if c.metadata.get("ketencursus", {}).get("text_answer") == variable)
        meta = answer.metadata["ketencursus"]
        assert answer.cell_type == "markdown" and meta["text_answer"] == variable
        assert meta["format"] in ("letter", "letters", "number", "term")
        assert answer.source == TEXT_ANSWER_STUB  # the source holds no answer
        roles = answer.metadata["nbgrader"]
        assert not (roles["solution"] or roles["grade"] or roles["locked"])
        item = test.metadata["nbgrader"]["grade_id"].rsplit("-toets", 1)[0]
        assert roles["grade_id"] == f"{item}-antwoord"


def test_every_item_carries_an_evidence_kind(items):
    assert items and all(i.evidence in EVIDENCE_KINDS for i in items)
    by_id = {i.id: i for i in items}
    assert by_id["la-08"].evidence == "computation" and by_id["la-09"].evidence == "recognition"
    assert by_id["wp-06"].evidence == "production" and by_id["wp-06"].rubric == "werkpleinen-advies"


def test_the_review_s_misaligned_items_now_assess_their_objective(items):
    by_id = {(i.assignment, i.id): i for i in items}
    ids = {i.id for i in items}
    assert "la-01" not in ids and "wp-01" not in ids  # counting assessed no objective
    assert by_id[("loonaangifteketen", "la-08")].objective == "h4.2"  # delimitation
    assert by_id[("loonaangifteketen", "la-06")].objective == "h4.3"
    assert by_id[("loonaangifteketen", "la-11")].objective == "h4.4"  # judging a report
    assert by_id[("loonaangifteketen", "la-10")].objective == "h4.3"  # la-03's interpretation
    assert by_id[("werkpleinen", "wp-02")].objective == "h6.2"
    assert by_id[("werkpleinen", "wp-07")].objective == "h6.2"  # comparing the two forms
    assert by_id[("werkpleinen", "wp-04")].objective == "h7.4"  # selection
    assert by_id[("werkpleinen", "wp-05")].objective == "h7.4"


def test_a_reused_item_is_the_same_in_both_tracks(layout):
    assignments = layout.exercises / "assignments"
    pandas = read_spec(assignments / "werkpleinen")
    reading = read_spec(assignments / "werkpleinen-leesroute")

    def body(spec, iid):
        return next(c[k] for c in spec["cells"] for k in ("item", "task")
                    if k in c and c[k]["id"] == iid)

    for iid in ("wp-05", "wp-06", "wp-07"):
        assert body(pandas, iid) == body(reading, iid)


def test_reusing_a_computed_item_is_refused(layout, tmp_path):
    shutil.copytree(layout.exercises, tmp_path / "exercises")
    path = tmp_path / "exercises" / "assignments" / "werkpleinen-leesroute" / "assignment.yml"
    path.write_text(path.read_text("utf-8") + "  - item:\n      use: werkpleinen/wp-02\n",
                    "utf-8")
    with pytest.raises(AssignmentError, match="alleen keuzevragen en taken"):
        read_spec(path.parent)
