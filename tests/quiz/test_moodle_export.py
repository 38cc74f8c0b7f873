"""Moodle XML export: parse the file written by the CLI and check it against the bank:
one category per chapter, the right question types, fractions per option, per-answer
feedback, tolerances and accepted answers."""

from __future__ import annotations

import math
import subprocess
import xml.etree.ElementTree as ET

import pytest

from ketencursus.objectives import read_objectives
from ketencursus.quiz.bank import load_bank
from ketencursus.quiz.moodle import MOODLE_FRACTIONS, option_fractions, snap_fraction
from tests.support import VENV_BIN, tool_env

MOODLE_TYPE = {"single": "multichoice", "multiple": "multichoice", "numeric": "numerical",
               "text": "shortanswer"}


@pytest.fixture(scope="module")
def bank(layout):
    return load_bank(layout.exercises / "bank", read_objectives(layout.book))


@pytest.fixture(scope="module")
def exported(layout, tmp_path_factory):
    target = tmp_path_factory.mktemp("moodle") / "export" / "vragenbank.xml"
    proc = subprocess.run(
        [str(VENV_BIN / "ketencursus"), "bank", "export", "--format", "moodle-xml", "-o",
         str(target)],
        cwd=layout.root, capture_output=True, text=True, env=tool_env(),
    )
    assert proc.returncode == 0, proc.stderr
    assert "Moodle XML" in proc.stdout
    return ET.parse(target).getroot()


def _text(el, path):
    found = el.find(path)
    return found.text if found is not None else None


def test_every_bank_question_is_exported_once_with_its_type(exported, bank):
    questions = [q for q in exported.findall("question") if q.get("type") != "category"]
    by_id = {_text(q, "idnumber"): q for q in questions}
    assert len(by_id) == len(questions) == len(bank)
    for question in bank:
        assert by_id[question.id].get("type") == MOODLE_TYPE[question.type]
        assert float(_text(by_id[question.id], "defaultgrade")) == question.points


def test_one_category_per_chapter_before_its_questions(exported, bank):
    current = None
    seen = []
    for el in exported.findall("question"):
        if el.get("type") == "category":
            current = _text(el, "category/text")
            seen.append(current)
            continue
        chapter = _text(el, "idnumber").split("-")[0]
        assert current.startswith(f"$course$/top/ketencursus/H{chapter[1:]} ")
    assert len(seen) == len(bank.chapters()) == len(set(seen))


def test_multichoice_fractions_and_feedback_per_option(exported, bank):
    by_id = {_text(q, "idnumber"): q for q in exported.findall("question")}
    for question in bank:
        if question.type not in ("single", "multiple"):
            continue
        el = by_id[question.id]
        assert _text(el, "single") == ("true" if question.type == "single" else "false")
        answers = el.findall("answer")
        assert len(answers) == len(question.options)
        total_right = 0.0
        for option, answer in zip(question.options, answers, strict=True):
            fraction = float(answer.get("fraction"))
            assert abs(fraction) in MOODLE_FRACTIONS or math.isclose(abs(fraction), 100)
            assert (fraction > 0) == option.correct
            total_right += max(fraction, 0)
            feedback = _text(answer, "feedback/text")
            assert option.feedback.split()[0] in feedback
        assert total_right == pytest.approx(100, abs=0.01)
        tags = {t.text for t in el.findall("tags/tag/text")}
        assert f"leerdoel-{question.objective}" in tags and question.use in tags


def test_numerical_answer_tolerance_and_catch_all_feedback(exported, bank):
    by_id = {_text(q, "idnumber"): q for q in exported.findall("question")}
    for question in bank:
        if question.type != "numeric":
            continue
        right, other = by_id[question.id].findall("answer")
        assert right.get("fraction") == "100"
        assert float(_text(right, "text")) == question.answer
        assert float(_text(right, "tolerance")) == question.tolerance
        assert other.get("fraction") == "0" and _text(other, "text") == "*"
        assert _text(other, "feedback/text")


def test_shortanswer_accepts_every_accepted_text(exported, bank):
    by_id = {_text(q, "idnumber"): q for q in exported.findall("question")}
    for question in bank:
        if question.type != "text":
            continue
        el = by_id[question.id]
        accepted = [_text(a, "text") for a in el.findall("answer") if a.get("fraction") == "100"]
        assert accepted == list(question.accepted)
        assert _text(el, "usecase") == "0"


def test_multiple_choice_ticking_everything_scores_zero(bank):
    for question in bank:
        if question.type == "multiple":
            total = sum(float(f) for f in option_fractions(question).values())
            assert total == pytest.approx(0, abs=0.01)


@pytest.mark.parametrize("percent, expected", [(100 / 3, "33.33333"), (-25, "-25"),
                                               (100 / 7, "14.28571"), (0, "0"), (-0.0, "0")])
def test_fractions_snap_to_moodle_grade_options(percent, expected):
    assert snap_fraction(percent) == expected


def test_export_of_only_selfcheck_items(layout, tmp_path, bank):
    target = tmp_path / "zelftoets.xml"
    proc = subprocess.run(
        [str(VENV_BIN / "ketencursus"), "bank", "export", "--format", "moodle-xml", "-o",
         str(target), "--use", "selfcheck"],
        cwd=layout.root, capture_output=True, text=True, env=tool_env(),
    )
    assert proc.returncode == 0, proc.stderr
    root = ET.parse(target).getroot()
    ids = {_text(q, "idnumber") for q in root.findall("question") if q.get("type") != "category"}
    assert ids == {q.id for q in bank.selfcheck()}
