"""The instructor edition renders course material from its one source: change the source (in a
tmp copy) and the rendering follows; the rendering holds the source's text, not a copy."""

from __future__ import annotations

import shutil

import pytest
import yaml

from ketencursus.objectives import read_objectives
from ketencursus.quiz.assignments import load_assignment_rubrics, read_spec
from ketencursus.quiz.bank import load_bank
from ketencursus.quiz.rubrics import instructor_markdown
from ketencursus.trainer import handleiding
from ketencursus.trainer.handleiding import (
    HandleidingError,
    kennistoets_markdown,
    misconceptions_markdown,
    objectives_markdown,
    task_markdown,
    toepassen_markdown,
    toepassen_tasks,
)

CHAPTERS = [f"h{n}" for n in range(1, 8)]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def exercises_copy(layout, tmp_path):
    target = tmp_path / "exercises"
    shutil.copytree(layout.exercises / "assignments", target / "assignments")
    shutil.copytree(layout.exercises / "rubrics", target / "rubrics")
    shutil.copytree(layout.exercises / "bank", target / "bank")
    return target


@pytest.fixture
def book_copy(layout, tmp_path):
    target = tmp_path / "book"
    target.mkdir()
    for path in layout.book.glob("h*_*.md"):
        shutil.copy2(path, target / path.name)
    return target


def test_every_graded_task_renders_its_rubric_and_model_answer_from_the_sources(layout):
    assignments = layout.exercises / "assignments"
    rubrics = load_assignment_rubrics(assignments)
    tasks = handleiding.graded_tasks(assignments)
    assert {"po-1", "po-6", "actieplan", "wp-06"} <= set(tasks)
    assert tasks["wp-06"] == ["werkpleinen", "werkpleinen-leesroute"]  # one task, two routes
    for task_id, (assignment, *also) in tasks.items():
        text = task_markdown(assignments, assignment, task_id, also)
        body = next(next(iter(c.values())) for c in read_spec(assignments / assignment)["cells"]
                    if next(iter(c)) == "task" and c["task"]["id"] == task_id)
        rubric = rubrics[body["rubric"]]
        titles = {c.id: c.title for c in rubric.criteria}
        assert text.endswith(instructor_markdown(rubric, handleiding.task_model_answer(
            body, titles)))
        answers = [body.get("model_answer")] if not body.get("parts") else [
            p["model_answer"] for p in body["parts"]]
        for answer in answers:
            assert _flat(answer) in _flat(text)
        for criterion in rubric.criteria:
            for level in criterion.levels:
                assert level.description in text


def test_a_changed_model_answer_and_rubric_level_change_the_rendering(exercises_copy):
    assignments = exercises_copy / "assignments"
    before = task_markdown(assignments, "praktijkopdrachten", "po-4")
    spec_path = assignments / "praktijkopdrachten" / "assignment.yml"
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    task = next(c["task"] for c in spec["cells"] if c.get("task", {}).get("id") == "po-4")
    old_answer = _flat(task["model_answer"])
    task["model_answer"] = "Een heel ander modelantwoord over een verzonnen vergunningzaak."
    spec_path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    rubric_path = exercises_copy / "rubrics" / "zaak-afbakenen.yml"
    rubric = yaml.safe_load(rubric_path.read_text(encoding="utf-8"))
    rubric["criteria"][0]["levels"][2]["description"] = "Een nieuwe beschrijving van 2 punten."
    rubric_path.write_text(yaml.safe_dump(rubric, allow_unicode=True), encoding="utf-8")

    after = task_markdown(assignments, "praktijkopdrachten", "po-4")
    assert old_answer in _flat(before) and old_answer not in _flat(after)
    assert "Een heel ander modelantwoord over een verzonnen vergunningzaak." in after
    assert "Een nieuwe beschrijving van 2 punten." in after


def test_the_action_plan_renders_every_part_with_its_criterion(layout):
    text = task_markdown(layout.exercises / "assignments", "actieplan", "actieplan")
    spec = read_spec(layout.exercises / "assignments" / "actieplan")
    task = next(c["task"] for c in spec["cells"] if "task" in c)
    rubric = load_assignment_rubrics(layout.exercises / "assignments")["actieplan"]
    for part in task["parts"]:
        title = rubric.criterion(part["criterion"]).title
        assert f"*{title}.* " + part["model_answer"].strip() in text


def test_every_chapter_renders_its_toepassen_tasks_as_the_chapter_has_them(layout):
    for chapter in CHAPTERS:
        path = handleiding.chapter_file(layout.book, chapter)
        source = path.read_text(encoding="utf-8")
        tasks = toepassen_tasks(source, str(path))
        assert len(tasks) == source.count("{admonition} Toepassen") >= 1, chapter
        text = toepassen_markdown(layout.book, chapter)
        for task in tasks:
            assert handleiding._plain(task.model_answer) in text
        assert "{term}" not in text  # the edition has no glossary


def test_a_changed_chapter_model_answer_changes_the_rendering(book_copy):
    path = handleiding.chapter_file(book_copy, "h3")
    source = path.read_text(encoding="utf-8")
    first = toepassen_tasks(source)[0]
    path.write_text(source.replace(first.model_answer, "Nieuw modelantwoord (verzonnen)."),
                    encoding="utf-8")
    text = toepassen_markdown(book_copy, "h3")
    assert "Nieuw modelantwoord (verzonnen)." in text
    assert handleiding._plain(first.model_answer) not in text


def test_a_toepassen_task_without_its_model_answer_is_refused(book_copy):
    path = handleiding.chapter_file(book_copy, "h1")
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("```{dropdown} Modelantwoord", "```{dropdown} Uitwerking", 1),
                    encoding="utf-8")
    with pytest.raises(HandleidingError, match="zonder Modelantwoord"):
        toepassen_markdown(book_copy, "h1")


def test_objectives_and_misconceptions_follow_their_sources(layout, book_copy, exercises_copy):
    objectives = read_objectives(layout.book)
    bank = load_bank(layout.exercises / "bank", objectives)
    for chapter in CHAPTERS:
        text = objectives_markdown(objectives, chapter)
        for objective in objectives.values():
            if objective.id.startswith(chapter + "."):
                assert objective.text in text
        notes = misconceptions_markdown(bank, chapter)
        for question in bank.chapter(chapter):
            for option in question.options:
                if option.misconception:
                    assert _flat(option.misconception) in notes
    # change both sources in the copies: the renderings follow
    path = handleiding.chapter_file(book_copy, "h5")
    path.write_text(path.read_text(encoding="utf-8").replace(
        objectives["h5.1"].text, "een verzonnen nieuw leerdoel formuleren"), encoding="utf-8")
    assert "een verzonnen nieuw leerdoel formuleren" in objectives_markdown(
        read_objectives(book_copy), "h5")
    bank_file = exercises_copy / "bank" / "h2.yml"
    data = yaml.safe_load(bank_file.read_text(encoding="utf-8"))
    option = next(o for q in data["questions"] for o in q.get("options", [])
                  if o.get("misconception"))
    option["misconception"] = "Een nieuwe denkfout, alleen in deze kopie."
    bank_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "Een nieuwe denkfout, alleen in deze kopie." in misconceptions_markdown(
        load_bank(exercises_copy / "bank"), "h2")


def test_the_answer_key_lists_every_graded_item_with_its_right_answer(layout):
    bank = load_bank(layout.exercises / "bank", read_objectives(layout.book))
    text = kennistoets_markdown(bank)
    for question in bank.graded():
        assert f"**{question.id} " in text
        if question.explanation:
            assert _flat(question.explanation) in text
        for option in question.options:
            if option.correct:
                assert f"{option.id}) {_flat(option.text)}" in text
    for question in bank.selfcheck():
        assert f"**{question.id} " not in text
