"""The course directory: the one place that builds grading paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketencursus.grading.course import Course, CourseError, check_name


@pytest.mark.parametrize("name", ["..", ".", "../x", "a/b", "a\\b", "", ".verborgen", "a b",
                                  "x" * 101, "C:", "naam\n"])
def test_unsafe_names_are_refused_in_dutch(name):
    with pytest.raises(CourseError, match="Ongeldige"):
        check_name(name, "studentnaam")


@pytest.mark.parametrize("name", ["anna", "jan-de_vries.2", "Zoë", "cursist0001"])
def test_safe_names_pass(name):
    assert check_name(name) == name


def test_paths_follow_step_student_assignment(tmp_path):
    course = Course(tmp_path)
    assert course.submitted("anna", "opdracht1") == tmp_path / "submitted/anna/opdracht1"
    assert course.autograded("anna", "opdracht1") == tmp_path / "autograded/anna/opdracht1"
    assert course.feedback("anna", "opdracht1") == tmp_path / "feedback/anna/opdracht1"
    assert course.source("opdracht1") == tmp_path / "source/opdracht1"
    assert course.log_file("opdracht1", "anna") == tmp_path / "logs/opdracht1/anna.log"
    assert course.journal_file("opdracht1", "anna") == tmp_path / "logs/opdracht1/anna.json"
    assert course.gradebook_url == f"sqlite:///{tmp_path}/gradebook.db"


def test_a_traversing_student_name_never_becomes_a_path(tmp_path):
    course = Course(tmp_path)
    with pytest.raises(CourseError):
        course.submitted("../../etc", "opdracht1")
    with pytest.raises(CourseError):
        course.log_file("opdracht1", "../gradebook")


def test_missing_source_says_what_to_do(tmp_path):
    with pytest.raises(CourseError, match="ketencursus assignments"):
        Course(tmp_path).source_notebooks("opdracht1")


def test_submitted_students_lists_only_safe_folders_with_the_assignment(tmp_path):
    course = Course(tmp_path)
    for student in ("bram", "anna", ".git"):
        (tmp_path / "submitted" / student / "opdracht1").mkdir(parents=True)
    (tmp_path / "submitted" / "chris" / "andere").mkdir(parents=True)
    assert course.submitted_students("opdracht1") == ["anna", "bram"]


def test_the_repository_config_is_the_one_shipped_with_the_package():
    from ketencursus.grading.course import CONFIG_TEMPLATE

    repository = Path(__file__).parents[2] / "grader" / "nbgrader_config.py"
    assert repository.read_bytes() == CONFIG_TEMPLATE.read_bytes()


def test_any_course_without_a_config_gets_every_feedback_protection(tmp_path):
    course = Course(tmp_path / "elders")
    text = course.ensure_config().read_text("utf-8")
    assert "ClearHiddenTests.enforce_metadata = True" in text
    assert "ketencursus.quiz.nbgrader_feedback.HideTestTracebacks" in text
    assert "VUL HIER JE ANTWOORD IN" in text
    assert "ExecutePreprocessor.timeout" in text and "db_url" in text


def test_default_config_is_written_once_and_hides_hidden_tests(tmp_path):
    course = Course(tmp_path / "grader")
    path = course.ensure_config()
    text = path.read_text("utf-8")
    assert "ClearHiddenTests.enforce_metadata = True" in text
    path.write_text("# eigen instellingen\n", "utf-8")
    course.ensure_config()
    assert path.read_text("utf-8") == "# eigen instellingen\n"


def test_from_arg_uses_the_given_directory(tmp_path):
    assert Course.from_arg(str(tmp_path)).root == tmp_path.resolve()
