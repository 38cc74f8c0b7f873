"""Plain answers typed without Python: a markdown answer cell with ``ketencursus:
{text_answer, format}`` metadata is read by the grader (never executed), parsed with
``ketencursus.checks.parse_text_answer`` and checked by the hidden tests like a code answer;
a garbled answer scores 0 for that item with a Dutch hint."""

from __future__ import annotations

import json

import pytest

from ketencursus.grading.pipeline import (
    Execution,
    apply_text_answers,
    load_assignment,
    read_text_answers,
    rebuild,
)
from ketencursus.grading.runner import grade_assignment, load_result
from tests.grading.grading_helpers import FAST_LIMITS, FIXTURES
from tests.support.grading import make_course, make_submission

ASSIGNMENT = "tekstantwoord"
NOTEBOOK = "tekstantwoord.ipynb"

pytestmark = pytest.mark.timeout(600)

TYPED = {
    "anna": ({"antwoord_partner_tekst": "B", "antwoord_getal_tekst": "13,25"}, 3.0),
    "bram": ({"antwoord_partner_tekst": "c)", "antwoord_getal_tekst": "13.0"}, 0.0),
    "chris": ({"antwoord_partner_tekst": "b en c",
               "antwoord_getal_tekst": "ongeveer 13 dagen"}, 0.0),
    "eva": ({"antwoord_partner_tekst": "<script>alert(1)</script>",
             "antwoord_getal_tekst": "**13.3**"}, 2.0),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("tekst"), FIXTURES / "source" / ASSIGNMENT)
    for student, (answers, _) in TYPED.items():
        make_submission(course, ASSIGNMENT, student, answers)
    make_submission(course, ASSIGNMENT, "dirk", {})  # the release as it came: the stubs

    def code_says_b(nb):  # a variable of that name in code never wins over the typed text
        nb["cells"].insert(1, {"cell_type": "code", "metadata": {}, "outputs": [],
                               "execution_count": None, "source": 'antwoord_partner = "b"'})
        for cell in nb["cells"]:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == \
                    "antwoord_partner_tekst":
                cell["source"] = "a"

    make_submission(course, ASSIGNMENT, "femke", {}, edit=code_says_b)
    summary = grade_assignment(course, ASSIGNMENT, workers=2, limits=FAST_LIMITS,
                               progress=False, echo=lambda text: None)
    assert summary.internal_errors == 0
    return course


def items(course, student):
    result = load_result(course, ASSIGNMENT, student)
    return {i.grade_id: i for nb in result.notebooks for i in nb.items}


@pytest.mark.parametrize("student", sorted(TYPED))
def test_typed_answers_are_scored_like_code_answers(graded, student):
    assert sum(i.score or 0 for i in items(graded, student).values()) == TYPED[student][1]


def test_a_garbled_answer_scores_zero_with_a_dutch_hint(graded):
    got = items(graded, "chris")
    assert got["test_partner_tekst"].score == 0
    assert got["test_partner_tekst"].reason == "garbled"
    assert "Typ alleen de letter" in got["test_partner_tekst"].detail
    assert got["test_getal_tekst"].reason == "garbled"
    assert "getal" in got["test_getal_tekst"].detail


def test_an_untouched_answer_cell_is_told_to_fill_in(graded):
    got = items(graded, "dirk")
    assert all(i.score == 0 and i.reason == "garbled" for i in got.values())
    assert "nog geen antwoord" in got["test_partner_tekst"].detail


def test_the_typed_text_wins_over_a_variable_of_that_name_in_code(graded):
    assert items(graded, "femke")["test_partner_tekst"].score == 0


def test_typed_text_reaches_the_autograded_notebook_only_as_escaped_text(graded):
    text = (graded.autograded("eva", ASSIGNMENT) / NOTEBOOK).read_text("utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;" in text


def test_text_answers_are_read_from_the_source_metadata_and_parsed_in_the_grader(graded):
    spec = load_assignment(graded, ASSIGNMENT).notebooks[0]
    assert spec.text_answers == {"antwoord_partner_tekst": ("antwoord_partner", "letter"),
                                 "antwoord_getal_tekst": ("antwoord_gemiddelde", "number")}
    learner = json.loads((graded.submitted("anna", ASSIGNMENT) / NOTEBOOK).read_text("utf-8"))
    answers = read_text_answers(spec, rebuild(spec, learner))
    assert answers == {"antwoord_partner": ("b", None), "antwoord_gemiddelde": (13.25, None)}
    execution = Execution()  # the kernel crashed before any test: text answers still count
    apply_text_answers(spec, execution, answers)
    assert execution.snapshots["test_partner_tekst"] == {
        "values": {"antwoord_partner": "b"}, "problems": {}}
