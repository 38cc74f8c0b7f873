"""The question bank as data: the whole bank validates against the schema and the chapters'
objectives, covers every objective with a graded item, and a broken file gets a Dutch
message naming the file, the question id and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ketencursus.objectives import read_objectives
from ketencursus.quiz.bank import (
    SCHEMA_VERSION,
    BankError,
    coverage_problems,
    load_bank,
    load_schema,
    read_bank_file,
)


@pytest.fixture(scope="module")
def objectives(layout):
    return read_objectives(layout.book)


@pytest.fixture(scope="module")
def bank(layout, objectives):
    return load_bank(layout.exercises / "bank", objectives)


def test_whole_bank_validates_against_schema_and_objectives(bank):
    assert len(bank) >= 40


def test_every_bank_file_declares_the_schema_version(layout):
    for path in sorted((layout.exercises / "bank").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["schema_version"] == SCHEMA_VERSION
        assert SCHEMA_VERSION in load_schema()["properties"]["schema_version"]["enum"]


def test_every_objective_has_a_graded_item_and_every_chapter_a_selfcheck(bank, objectives):
    assert coverage_problems(bank, objectives) == []
    graded_objectives = {q.objective for q in bank.graded()}
    assert set(objectives) <= graded_objectives


def test_items_are_mostly_scenarios_not_recall(bank):
    # Application items carry a situation (context) or ask to judge/compute; at least
    # half of the bank has a scenario text.
    with_context = [q for q in bank if q.context]
    assert len(with_context) >= len(bank) / 2


def test_every_option_has_its_own_feedback(bank):
    for question in bank:
        for option in question.options:
            assert option.feedback.strip(), f"{question.id} optie {option.id}"
        assert len({o.feedback for o in question.options}) == len(question.options), question.id


def test_numeric_items_are_consistent_with_their_worked_values(bank):
    by_id = {q.id: q for q in bank}
    assert by_id["h4-05"].answer == sorted([3, 40, 2, 9, 3, 30, 4])[3]
    assert by_id["h4-06"].answer == pytest.approx(sum([4, 6, 3, 25, 5, 17]) / 6)
    assert by_id["h4-07"].answer == pytest.approx(round(100 * 4 / 6, 1))
    assert by_id["h7-07"].answer == pytest.approx(100 * 1530 / 1800 - 100 * 1200 / 1600)


def _broken_copy(layout, tmp_path: Path, mutate) -> Path:
    target = tmp_path / "bank"
    shutil.copytree(layout.exercises / "bank", target)
    path = target / "h4.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def test_missing_option_feedback_names_file_question_and_field(layout, tmp_path):
    def mutate(data):
        del data["questions"][2]["options"][1]["feedback"]

    bank_dir = _broken_copy(layout, tmp_path, mutate)
    with pytest.raises(BankError) as info:
        load_bank(bank_dir)
    message = str(info.value)
    assert "h4.yml" in message
    assert "vraag h4-03" in message
    assert "options[1].feedback" in message
    assert "verplicht veld ontbreekt" in message


def test_unknown_type_and_misspelled_field_are_reported_in_dutch(layout, tmp_path):
    def mutate(data):
        data["questions"][0]["type"] = "essay"
        data["questions"][1]["feedbak"] = "x"

    bank_dir = _broken_copy(layout, tmp_path, mutate)
    with pytest.raises(BankError) as info:
        load_bank(bank_dir)
    problems = info.value.problems
    assert any("vraag h4-01, veld 'type'" in p and "moet een van" in p for p in problems)
    assert any("vraag h4-02, veld 'feedbak'" in p and "onbekend veld" in p for p in problems)


def test_single_choice_with_two_right_options_is_refused(layout, tmp_path):
    def mutate(data):
        for option in data["questions"][0]["options"]:
            option["correct"] = True

    bank_dir = _broken_copy(layout, tmp_path, mutate)
    with pytest.raises(BankError, match=r"vraag h4-01, veld 'options': .*precies één juiste"):
        load_bank(bank_dir)


def test_unknown_objective_is_refused_when_objectives_are_given(layout, tmp_path, objectives):
    def mutate(data):
        data["questions"][0]["objective"] = "h4.9"

    bank_dir = _broken_copy(layout, tmp_path, mutate)
    with pytest.raises(BankError, match=r"vraag h4-01, veld 'objective': leerdoel h4.9 bestaat"):
        load_bank(bank_dir, objectives)


def test_duplicate_question_id_across_files_is_refused(layout, tmp_path):
    def mutate(data):
        data["questions"][0]["id"] = "h4-02"

    bank_dir = _broken_copy(layout, tmp_path, mutate)
    with pytest.raises(BankError, match="h4-02"):
        load_bank(bank_dir)


def test_invalid_yaml_names_file_and_line(tmp_path):
    path = tmp_path / "h1.yml"
    path.write_text("schema_version: 1\nchapter: h1\nquestions:\n  - id: h1-01\n   title: x\n",
                    encoding="utf-8")
    data, problems = read_bank_file(path)
    assert data is None
    assert "h1.yml" in problems[0] and "geen geldige YAML" in problems[0]
    assert "regel" in problems[0]


def test_wrong_schema_version_is_refused(layout, tmp_path):
    def mutate(data):
        data["schema_version"] = 3

    bank_dir = _broken_copy(layout, tmp_path, mutate)
    with pytest.raises(BankError, match="schema_version"):
        load_bank(bank_dir)


def test_schema_ships_inside_the_package():
    schema = load_schema()
    assert schema["$id"].endswith("/2/question-bank.schema.json")


def test_version_1_file_with_misconception_is_told_to_declare_version_2(layout, tmp_path):
    def mutate(data):
        data["schema_version"] = 1

    bank_dir = _broken_copy(layout, tmp_path, mutate)
    with pytest.raises(BankError, match="schema_version: 2"):
        load_bank(bank_dir)


def test_misconception_on_a_right_option_is_refused(layout, tmp_path):
    def mutate(data):
        for option in data["questions"][0]["options"]:
            if option["correct"]:
                option["misconception"] = "geen"

    bank_dir = _broken_copy(layout, tmp_path, mutate)
    with pytest.raises(BankError, match=r"alleen een onjuiste optie heeft een misvatting"):
        load_bank(bank_dir)


def test_every_wrong_option_records_its_misconception(bank):
    for question in bank:
        for option in question.options:
            if option.correct:
                assert option.misconception is None, question.id
            else:
                assert option.misconception and len(option.misconception) > 15, question.id


def test_hints_of_graded_items_never_name_the_answer(bank):
    # feedback_incorrect doubles as the hint in a graded notebook: it explains the method.
    for question in bank.graded():
        hint = question.feedback_incorrect or ""
        for accepted in question.accepted:
            assert accepted.casefold() not in hint.casefold(), question.id
        if question.type == "numeric":
            value = f"{question.answer:g}"
            assert value not in hint and value.replace(".", ",") not in hint, question.id


def test_misconception_notes_never_reach_a_graded_notebook_or_the_book_payload(bank):
    from ketencursus.quiz.assignments import bank_item_cells
    from ketencursus.sphinxext.quiz import selfcheck_payload

    for question in bank:
        notes = [o.misconception for o in question.options if o.misconception]
        if question.is_graded:
            shown = "\n".join(cell.source for cell in bank_item_cells(question))
        else:
            shown = str(selfcheck_payload(question))
        for note in notes:
            assert note not in shown, question.id
