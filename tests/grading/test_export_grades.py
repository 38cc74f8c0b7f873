"""`ketencursus export`: grades read from an nbgrader gradebook (populated here with the
nbgrader API) written in each LMS import format, then parsed back and checked."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from ketencursus.cli import main
from ketencursus.grading.course import Course, CourseError
from ketencursus.grading.export import ExportError, export_grades

# Cells of the fixture assignments: (name, max points, cell type); "reflectie" is graded by
# hand in the formgrader.
CELLS = {
    "opdracht1": [("q1", 2.0, "code"), ("q2", 3.0, "code"), ("reflectie", 5.0, "markdown")],
    "opdracht2": [("q1", 4.0, "code")],
}


def build_gradebook(course: Course, ids: dict[str, str]) -> None:
    """A gradebook with two assignments. ``ids`` maps the roles to student ids:

    * complete: opdracht1 q1=2, q2=1.5, reflectie graded 4  -> 7.5 of 10; opdracht2 4 of 4
    * pending:  opdracht1 q1=2, q2=3, reflectie NOT yet graded -> waits for manual grading
    * zero:     opdracht1 everything 0, reflectie graded 0 -> a real 0
    * ghost:    opdracht1 q1=1, q2=0, reflectie 1 -> 2; not on the class list
    * absent:   on the class list, never submitted (not in the gradebook at all)
    """
    with course.gradebook() as gb:
        for assignment, cells in CELLS.items():
            gb.add_assignment(assignment)
            gb.add_notebook(assignment, assignment)
            for name, points, kind in cells:
                gb.add_grade_cell(name, assignment, assignment, max_score=points,
                                  cell_type=kind)
        scores = {
            ("opdracht1", "complete"): {"q1": 2, "q2": 1.5, "reflectie": 4},
            ("opdracht1", "pending"): {"q1": 2, "q2": 3, "reflectie": None},
            ("opdracht1", "zero"): {"q1": 0, "q2": 0, "reflectie": 0},
            ("opdracht1", "ghost"): {"q1": 1, "q2": 0, "reflectie": 1},
            ("opdracht2", "complete"): {"q1": 4},
        }
        for role in ("complete", "pending", "zero"):
            gb.add_student(ids[role])
        gb.add_student(ids["ghost"], first_name="Gijs", last_name="Geest",
                       email="gijs@example.nl")
        for (assignment, role), cells in scores.items():
            gb.add_submission(assignment, ids[role])
            for cell, score in cells.items():
                grade = gb.find_grade(cell, assignment, assignment, ids[role])
                manual = dict((n, k) for n, _, k in CELLS[assignment])[cell] == "markdown"
                if score is None:
                    grade.needs_manual_grade = True
                elif manual:
                    grade.manual_score, grade.needs_manual_grade = score, False
                else:
                    grade.auto_score, grade.needs_manual_grade = score, False
        gb.db.commit()


MOODLE_IDS = {"complete": "jane.doe", "pending": "piet", "zero": "kees", "ghost": "x999",
              "absent": "renee.muller"}
MOODLE_WORKSHEET = (
    "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
    "Last modified (grade),Feedback comments\n"
    "Participant 123456,Jane Doe,jane.doe@example.nl,Submitted,,100.00,Yes,-,\n"
    "Participant 223344,Piet de Vries,piet@example.nl,Submitted,55.00,100.00,Yes,"
    '"Tuesday, 24 September 2024, 9:26 PM",Goed begin\n'
    "Participant 555000,Renée Müller,renee.muller@example.nl,No submission,,100.00,Yes,-,\n"
    "Participant 4006831,Kees Bakker,kees@example.nl,Submitted,,100.00,Yes,-,\n"
)
CANVAS_IDS = {"complete": "s1001", "pending": "s1002", "zero": "s1003", "ghost": "s9999",
              "absent": "s1004"}
CANVAS_EXPORT = """\
Student,ID,SIS User ID,SIS Login ID,Section,opdracht1 (4242)
    Points Possible,,,,,10
"Doe, Jane",12345,s1001,jdoe,Groep A,
"Smith, Bob",340934,s1002,bsmith,Groep A,
"Bakker, Kees",340935,s1003,kbakker,Groep B,
"Müller, Renée",340936,s1004,rmuller,Groep B,
"""
BRIGHTSPACE_IDS = {"complete": "20067930", "pending": "20067931", "zero": "20067932",
                   "ghost": "99999999", "absent": "20067933"}
BRIGHTSPACE_CLASSLIST = """\
OrgDefinedId,Username,Last Name,First Name,Email
#20067930,mas,Smith,Mary-Ann,mas@example.nl
#20067931,jjansen,Jansen,Joost,joost@example.nl
#20067932,kbakker,Bakker,Kees,kees@example.nl
#20067933,rmuller,Müller,Renée,renee@example.nl
"""


@pytest.fixture(scope="module")
def blank_gradebook(tmp_path_factory) -> Path:
    """An empty nbgrader gradebook, made once: creating one runs `alembic heads` in a
    subprocess (seconds on a busy machine); copies of an existing one do not."""
    course = Course(tmp_path_factory.mktemp("blank"))
    with course.gradebook():
        pass
    return course.gradebook_path


@pytest.fixture
def setup_course(blank_gradebook):
    def make(tmp_path: Path, ids: dict[str, str], roster_text: str | None) -> Course:
        course = Course(tmp_path / "grader")
        course.root.mkdir(parents=True)
        shutil.copyfile(blank_gradebook, course.gradebook_path)
        build_gradebook(course, ids)
        if roster_text is not None:
            (course.root / "roster.csv").write_text(roster_text, encoding="utf-8")
        return course

    return make


def read_back(path: Path, bom: bool = False) -> list[list[str]]:
    """Rows of an exported file; the plain table starts with a BOM (for Excel), LMS files
    do not."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom
    text = raw.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def as_dicts(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    header, *body = rows
    return {row[0]: dict(zip(header, row, strict=True)) for row in body}


def test_plain_csv_without_class_list_lists_gradebook_students(tmp_path, setup_course):
    course = setup_course(tmp_path, MOODLE_IDS, None)
    result = export_grades(course, "csv")
    assert result.path == course.export_file("csv")
    rows = as_dicts(read_back(result.path, bom=True))
    assert set(rows) == {"jane.doe", "piet", "kees", "x999"}
    assert rows["jane.doe"]["opdracht1 (max 10)"] == "7.5"
    assert rows["jane.doe"]["opdracht2 (max 4)"] == "4"
    assert rows["jane.doe"]["totaal"] == "11.5"
    assert rows["kees"]["opdracht1 (max 10)"] == "0"  # a real zero stays 0
    assert rows["kees"]["opdracht2 (max 4)"] == ""  # no submission: empty, not 0
    assert rows["piet"]["opdracht1 (max 10)"] == ""  # waits for manual grading
    assert any("piet" in note and "handmatige" in note for note in result.notes)
    assert (rows["x999"]["naam"], rows["x999"]["email"]) == ("Gijs Geest", "gijs@example.nl")


def test_plain_csv_with_class_list_keeps_its_order_and_appends_unlisted_students(
        tmp_path, setup_course):
    course = setup_course(tmp_path, MOODLE_IDS, MOODLE_WORKSHEET)
    result = export_grades(course, "csv")
    rows = read_back(result.path, bom=True)
    assert [r[0] for r in rows[1:]] == ["jane.doe", "piet", "renee.muller", "kees", "x999"]
    renee = as_dicts(rows)["renee.muller"]
    assert (renee["naam"], renee["opdracht1 (max 10)"], renee["totaal"]) == ("Renée Müller", "", "")
    assert any("x999" in note and "klassenlijst" in note for note in result.notes)


def test_missing_zero_and_include_incomplete_are_explicit_choices(tmp_path, setup_course):
    course = setup_course(tmp_path, MOODLE_IDS, MOODLE_WORKSHEET)
    result = export_grades(course, "csv", missing_zero=True, include_incomplete=True)
    rows = as_dicts(read_back(result.path, bom=True))
    assert rows["renee.muller"]["opdracht1 (max 10)"] == "0"
    assert rows["piet"]["opdracht1 (max 10)"] == "5"  # 2 + 3 autograded, reflection open
    assert any("--missing-zero" in note for note in result.notes)


def test_moodle_gradebook_import_writes_only_learners_with_every_grade(tmp_path, setup_course):
    course = setup_course(tmp_path, MOODLE_IDS, MOODLE_WORKSHEET)
    result = export_grades(course, "moodle", output=tmp_path / "moodle.csv",
                           maxima={"opdracht1": 10, "opdracht2": 4})
    rows = read_back(result.path)
    assert rows == [["Email address", "opdracht1", "opdracht2"],
                    ["jane.doe@example.nl", "7.5", "4"]]
    reasons = {item.student_id: item.reason for item in result.left_out}
    assert set(reasons) == {"piet", "renee.muller", "kees", "x999"}
    assert "--assignment" in reasons["kees"]  # kees has opdracht1 (0) but not opdracht2
    one = export_grades(course, "moodle", assignments=["opdracht1"], maxima={"*": 20},
                        output=tmp_path / "moodle1.csv")
    assert read_back(one.path)[1:] == [["jane.doe@example.nl", "15"], ["kees@example.nl", "0"]]


def test_moodle_worksheet_fills_grade_scaled_to_maximum_and_keeps_other_columns(
        tmp_path, setup_course):
    course = setup_course(tmp_path, MOODLE_IDS, MOODLE_WORKSHEET)
    result = export_grades(course, "moodle-worksheet", assignments=["opdracht1"])
    rows = read_back(result.path)
    assert rows[0][:6] == ["Identifier", "Full name", "Email address", "Status", "Grade",
                           "Maximum Grade"]
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    # 7.5 of 10 points on a Moodle maximum of 100: 7.5 / 10 * 100 = 75
    assert by_id["Participant 123456"]["Grade"] == "75"
    assert by_id["Participant 4006831"]["Grade"] == "0"
    # piet waits for manual grading: the worksheet's own grade and timestamp stay untouched
    assert by_id["Participant 223344"]["Grade"] == "55.00"
    assert by_id["Participant 223344"]["Last modified (grade)"] == \
        "Tuesday, 24 September 2024, 9:26 PM"
    assert by_id["Participant 223344"]["Feedback comments"] == "Goed begin"
    assert by_id["Participant 555000"]["Grade"] == ""
    with pytest.raises(ExportError, match="één opdracht"):
        export_grades(course, "moodle-worksheet")


def test_canvas_csv_has_points_possible_row_and_reuses_the_canvas_column_title(
        tmp_path, setup_course):
    course = setup_course(tmp_path, CANVAS_IDS, CANVAS_EXPORT)
    result = export_grades(course, "canvas")
    rows = read_back(result.path)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "opdracht1 (4242)", "opdracht2"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "10", "4"]
    assert rows[2] == ["Doe, Jane", "12345", "s1001", "jdoe", "Groep A", "7.5", "4"]
    # Bob (waiting for manual grading) and Renée (no submission) have nothing new: not in
    # the file, so Canvas keeps what it has; Kees's opdracht2 is new in Canvas: no score yet
    assert rows[3:] == [["Bakker, Kees", "340935", "s1003", "kbakker", "Groep B", "0", ""]]


def test_brightspace_import_has_points_grade_columns_and_end_of_line_indicator(
        tmp_path, setup_course):
    course = setup_course(tmp_path, BRIGHTSPACE_IDS, BRIGHTSPACE_CLASSLIST)
    result = export_grades(course, "brightspace", assignments=["opdracht1"],
                           maxima={"opdracht1": 20})
    rows = read_back(result.path)
    assert rows[0] == ["OrgDefinedId", "opdracht1 Points Grade", "End-of-Line Indicator"]
    assert rows[1:] == [["#20067930", "15", "#"], ["#20067932", "0", "#"]]
    assert {item.student_id for item in result.left_out} == {"20067931", "20067933", "99999999"}


def test_lms_formats_need_a_class_list_and_the_class_list_is_never_overwritten(
        tmp_path, setup_course):
    course = setup_course(tmp_path, MOODLE_IDS, None)
    with pytest.raises(ExportError, match="--roster"):
        export_grades(course, "moodle")
    roster = tmp_path / "werkblad.csv"
    roster.write_text(MOODLE_WORKSHEET, encoding="utf-8")
    with pytest.raises(ExportError, match="klassenlijst zelf"):
        export_grades(course, "moodle-worksheet", roster=roster, assignments=["opdracht1"],
                      output=roster)
    assert roster.read_text(encoding="utf-8") == MOODLE_WORKSHEET
    with pytest.raises(ExportError, match="kies uit: opdracht1, opdracht2"):
        export_grades(course, "csv", assignments=["opdracht9"])
    with pytest.raises(ExportError, match="Onbekend formaat"):
        export_grades(course, "excel")


def test_export_without_gradebook_says_to_grade_first(tmp_path, setup_course):
    with pytest.raises(CourseError, match="ketencursus grade"):
        export_grades(Course(tmp_path / "leeg"), "csv")


def test_cli_export_writes_the_default_file_and_reports_notes(tmp_path, setup_course, capsys):
    course = setup_course(tmp_path, MOODLE_IDS, MOODLE_WORKSHEET)
    assert main(["export", "--course", str(course.root), "--format", "moodle"]) == 2
    assert "--max" in capsys.readouterr().err
    assert main(["export", "--course", str(course.root), "--format", "moodle",
                 "--max", "opdracht1=10", "--max", "opdracht2=4"]) == 1  # learners left out
    out = capsys.readouterr().out
    assert str(course.export_file("moodle")) in out and "handmatige beoordeling" in out
    assert "NIET in het bestand" in out and "piet" in out
    assert read_back(course.export_file("moodle"))[1] == ["jane.doe@example.nl", "7.5", "4"]
    assert main(["export", "--course", str(course.root), "--format", "moodle-worksheet"]) == 2
    assert "één opdracht" in capsys.readouterr().err
    assert main(["export", "--course", str(course.root), "--max", "nul"]) == 2
    assert "positief getal" in capsys.readouterr().err
