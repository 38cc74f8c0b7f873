"""``ketencursus feedback``: Dutch HTML per learner, safe to hand out."""

from __future__ import annotations

import html

import pytest

from ketencursus.cli import main
from ketencursus.grading.runner import grade_assignment
from tests.grading.grading_helpers import ASSIGNMENT, CORRECT, SECRETS, WRONG, course_copy, submit

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = course_copy(tmp_path_factory.mktemp("feedback"))
    submit(course, "anna", CORRECT)
    submit(course, "bram", {**WRONG, "antwoord_aantal_cel":
                            'antwoord_aantal = 7\nprint("bram-uitvoer " * 20000)'})
    series_answer = 'antwoord_gemiddelde_doorlooptijd = zaken["doorlooptijd_dagen"]'
    submit(course, "chris", {**CORRECT, "antwoord_doorlooptijd_cel": series_answer})
    grade_assignment(course, ASSIGNMENT, workers=2, progress=False)
    with course.gradebook() as gb:
        grade = gb.find_grade("reflectie_gemiddelde", "ketenmeting", ASSIGNMENT, "anna")
        grade.manual_score = 1.5
        gb.db.commit()
    assert main(["feedback", ASSIGNMENT, "--course", str(course.root)]) == 0
    return course


def page(course, student):
    path = course.feedback(student, ASSIGNMENT) / "ketenmeting.html"
    return html.unescape(path.read_text("utf-8"))


def test_feedback_file_per_learner_in_dutch(graded):
    for student in ("anna", "bram", "chris"):
        text = page(graded, student)
        assert text.startswith("<!DOCTYPE html>") and '<html lang="nl">' in text
        assert "Score per onderdeel" in text and f"Cursist: <strong>{student}" in text


def test_a_right_answer_and_a_hand_graded_score_are_shown(graded):
    text = page(graded, "anna")
    assert "Score: <strong>5,5 van\n6</strong>" in text
    assert "Alle automatisch nagekeken onderdelen zijn goed" in text


def test_failures_show_objective_hint_and_a_safe_message(graded):
    text = page(graded, "bram")
    assert "h9.1 – zaken in een ketenoverzicht tellen" in text
    assert "Tel de rijen van de tabel" in text  # the hint
    assert "Dit aantal is niet juist" in text  # the message of ketencursus.checks
    assert "nog door je docent te beoordelen" not in text  # bram gave no written answer
    assert "0 van 2" in text


def test_a_value_that_is_not_plain_data_is_explained(graded):
    text = page(graded, "chris")
    assert "geen gewone Python-waarde" in text and "pandas.Series" in text


def test_learner_output_is_cut_to_a_sane_size(graded):
    text = page(graded, "bram")
    assert "bram-uitvoer" in text and "ingekort" in text
    assert len(text) < 30_000


def test_feedback_never_shows_hidden_tests_solutions_or_other_learners(graded):
    for student in ("anna", "bram", "chris"):
        text = page(graded, student)
        for secret in SECRETS:
            assert secret not in text, (student, secret)
        for other in {"anna", "bram", "chris"} - {student}:
            assert f"Cursist: <strong>{other}" not in text
    assert "bram-uitvoer" not in page(graded, "anna")


def test_feedback_for_an_ungraded_learner_says_to_grade_first(graded, capsys):
    submit(graded, "dewi", CORRECT)
    assert main(["feedback", ASSIGNMENT, "--course", str(graded.root)]) == 2
    err = capsys.readouterr().err
    assert "Nog niet nagekeken: dewi" in err and "ketencursus grade" in err
    assert (graded.feedback("anna", ASSIGNMENT) / "ketenmeting.html").is_file()


def test_feedback_for_one_learner_only(graded):
    target = graded.feedback("chris", ASSIGNMENT) / "ketenmeting.html"
    target.unlink()
    assert main(["feedback", ASSIGNMENT, "--course", str(graded.root),
                 "--student", "chris"]) == 0
    assert target.is_file()
