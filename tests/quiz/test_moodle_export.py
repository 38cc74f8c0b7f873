"""Moodle XML export: parse the file written by the CLI and check it against the bank:
one category per chapter and use (a graded category never holds a self-check item), the
right question types, partial-credit fractions from Moodle's list that agree with the bank's
scoring rule, per-answer feedback, tolerances, optional units, full precision, accepted
answers, a version in the category path so a re-import keeps its idnumbers, and no
misconception notes."""

from __future__ import annotations

import math
import subprocess
import xml.etree.ElementTree as ET

import pytest

from ketencursus.objectives import read_objectives
from ketencursus.quiz.bank import Bank, load_bank
from ketencursus.quiz.moodle import (
    MOODLE_FRACTIONS,
    USE_CATEGORY,
    bank_to_moodle_xml,
    number_text,
    option_fractions,
    snap_fraction,
)
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
    assert "Kennistoets (beoordeeld)" in proc.stdout and "idnumber" in proc.stdout
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


def test_selfcheck_and_graded_items_sit_in_separate_categories_per_chapter(exported, bank):
    current = None
    seen = []
    by_id = {q.id: q for q in bank}
    for el in exported.findall("question"):
        if el.get("type") == "category":
            current = _text(el, "category/text")
            seen.append(current)
            continue
        question = by_id[_text(el, "idnumber")]
        parts = current.split("/")
        assert parts[:2] == ["$course$", "top"]
        assert parts[2].startswith("ketencursus versie ")
        assert parts[3].startswith(f"H{question.chapter[1:]} ")
        assert parts[4] == USE_CATEGORY[question.use], question.id
    assert len(seen) == len(set(seen)) == 2 * len(bank.chapters())
    graded = [c for c in seen if c.endswith(USE_CATEGORY["graded"])]
    assert len(graded) == len(bank.chapters())


def test_multiple_choice_partial_credit_in_moodle_equals_the_bank_scoring_rule(bank):
    from itertools import combinations

    for question in bank:
        if question.type != "multiple":
            continue
        fractions = {k: float(v) / 100 for k, v in option_fractions(question).items()}
        letters = [o.id for o in question.options]
        for size in range(len(letters) + 1):
            for chosen in combinations(letters, size):
                moodle = min(1.0, max(0.0, sum(fractions[c] for c in chosen)))
                assert moodle == pytest.approx(question.score(list(chosen)), abs=1e-5)


def test_numeric_items_accept_their_unit_or_ask_for_the_number_only(exported, bank):
    by_id = {_text(q, "idnumber"): q for q in exported.findall("question")}
    for question in bank:
        if question.type != "numeric":
            continue
        el = by_id[question.id]
        units = [_text(u, "unit_name") for u in el.findall("units/unit")]
        text = _text(el, "questiontext/text")
        if question.unit:
            assert units and question.unit in units
            assert {_text(u, "multiplier") for u in el.findall("units/unit")} == {"1"}
            assert _text(el, "showunits") == "0" and _text(el, "unitgradingtype") == "0"
            assert "de eenheid mag je erbij typen" in text
        else:
            assert "alleen het getal" in text.lower()


def test_numbers_keep_full_precision():
    assert number_text(1234567) == "1234567"
    assert number_text(123.456789) == "123.456789"
    assert number_text(66.7) == "66.7" and number_text(10.0) == "10"
    assert float(number_text(0.1 + 0.2)) == 0.1 + 0.2


def test_misconception_notes_never_reach_moodle(exported, bank):
    xml_text = ET.tostring(exported, encoding="unicode")
    for question in bank:
        for option in question.options:
            if option.misconception:
                assert option.misconception not in xml_text, question.id


def test_a_changed_bank_gets_a_new_version_so_reimport_keeps_idnumbers(bank):
    first = bank_to_moodle_xml(bank).decode()
    changed = Bank(questions=[q for q in bank if q.id != "h1-01"])
    second = bank_to_moodle_xml(changed).decode()
    version = first.split("ketencursus versie ")[1][:8]
    assert version != second.split("ketencursus versie ")[1][:8]
    assert bank_to_moodle_xml(bank).decode() == first  # the same bank, the same categories
    named = bank_to_moodle_xml(bank, version="2026-12").decode()
    assert "$course$/top/ketencursus 2026-12/H1" in named


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
        assert _text(right, "text") == number_text(question.answer)
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
