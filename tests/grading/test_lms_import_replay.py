"""Every grade file ``ketencursus export`` writes, replayed through a model of the importer
that reads it (``lms_importers``, written from the importers' code): no grade lost, changed
or moved, whatever the LMS already held, in every site language we know.

One gradebook for all formats (points: opdracht1 max 10 = q1 2 + q2 3 + a rubric-graded
reflection 5 entered in the formgrader; opdracht2 max 4):

=====  ===========================================  ===========
who    opdracht1                                    opdracht2
=====  ===========================================  ===========
anna   7.5 (q1 2, q2 1.5, reflection 4 by hand)     4
bram   waits for the reflection to be graded        –
cees   0 (everything 0, reflection graded 0)        3
dewi   10 (reflection 5 by hand)                    2
gijs   11 (9 + 2 extra credit from the grader)      4
hanna  6                                            –
eva    never submitted (not in the gradebook)       –
=====  ===========================================  ===========
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from ketencursus.grading.course import Course
from ketencursus.grading.export import ExportError, export_grades
from tests.grading.lms_importers import (
    BrightspaceCourse,
    BrightspaceItem,
    CanvasAssignment,
    CanvasCourse,
    CanvasStudent,
    ImportAborted,
    MoodleAssignment,
    MoodleGradebookImport,
    MoodleGradeItem,
)

CELLS = {
    "opdracht1": [("q1", 2.0, "code"), ("q2", 3.0, "code"), ("reflectie", 5.0, "markdown")],
    "opdracht2": [("q1", 4.0, "code")],
}
# (auto scores, manual reflection score or None = not graded yet, extra credit)
SCORES = {
    ("opdracht1", "anna"): ({"q1": 2, "q2": 1.5}, 4, None),
    ("opdracht1", "bram"): ({"q1": 2, "q2": 3}, None, None),
    ("opdracht1", "cees"): ({"q1": 0, "q2": 0}, 0, None),
    ("opdracht1", "dewi"): ({"q1": 2, "q2": 3}, 5, None),
    ("opdracht1", "gijs"): ({"q1": 2, "q2": 3}, 4, 2),
    ("opdracht1", "hanna"): ({"q1": 1, "q2": 2}, 3, None),
    ("opdracht2", "anna"): ({"q1": 4}, None, None),
    ("opdracht2", "cees"): ({"q1": 3}, None, None),
    ("opdracht2", "dewi"): ({"q1": 2}, None, None),
    ("opdracht2", "gijs"): ({"q1": 4}, None, None),
}
# Final nbgrader totals (known answers; bram is not final, eva has nothing).
FINAL = {
    "opdracht1": {"anna": 7.5, "cees": 0.0, "dewi": 10.0, "gijs": 11.0, "hanna": 6.0},
    "opdracht2": {"anna": 4.0, "cees": 3.0, "dewi": 2.0, "gijs": 4.0},
}
NB_MAX = {"opdracht1": 10.0, "opdracht2": 4.0}
LEARNERS = ["anna", "bram", "cees", "dewi", "eva", "gijs", "hanna"]


def build_gradebook(course: Course) -> None:
    with course.gradebook() as gb:
        for assignment, cells in CELLS.items():
            gb.add_assignment(assignment)
            gb.add_notebook(assignment, assignment)
            for name, points, kind in cells:
                gb.add_grade_cell(name, assignment, assignment, max_score=points,
                                  cell_type=kind)
        for student in LEARNERS:
            if student != "eva":
                gb.add_student(student)
        for (assignment, student), (auto, manual, extra) in SCORES.items():
            gb.add_submission(assignment, student)
            for cell, score in auto.items():
                grade = gb.find_grade(cell, assignment, assignment, student)
                grade.auto_score, grade.needs_manual_grade = score, False
            if assignment == "opdracht1":
                grade = gb.find_grade("reflectie", assignment, assignment, student)
                if manual is None:
                    grade.needs_manual_grade = True
                else:  # as the formgrader's GradeHandler.put stores it
                    grade.manual_score, grade.extra_credit = manual, extra
                    grade.needs_manual_grade = False
        gb.db.commit()


@pytest.fixture(scope="module")
def gradebook_file(tmp_path_factory) -> Path:
    course = Course(tmp_path_factory.mktemp("replay"))
    build_gradebook(course)
    return course.gradebook_path


@pytest.fixture
def course_with(gradebook_file, tmp_path):
    def make(roster_text: str) -> Course:
        course = Course(tmp_path / "grader")
        course.root.mkdir(parents=True)
        shutil.copyfile(gradebook_file, course.gradebook_path)
        (course.root / "roster.csv").write_text(roster_text, encoding="utf-8")
        return course
    return make


def left_out(result) -> dict[str, str]:
    found = {item.student_id: item.reason for item in result.left_out}
    assert all(found.values()), "every learner left out has a reason"
    return found


def check_no_grade_lost(after: dict[str, dict[str, float | None]],
                        before: dict[str, dict[str, float | None]],
                        maxima: dict[str, float], reported: dict[str, str],
                        capped: bool = True) -> None:
    """The rule every replay checks: a final nbgrader grade arrives scaled (to 2 decimals)
    unless the learner is reported; everything else stays as the LMS had it."""
    for assignment, target in maxima.items():
        for learner in LEARNERS:
            now = after[assignment].get(learner)
            final = FINAL[assignment].get(learner)
            if final is not None and learner not in reported:
                expected = final / NB_MAX[assignment] * target
                assert now is not None and abs(now - expected) < 0.005, (
                    assignment, learner, now, expected)
                assert capped is False or now <= target
            else:
                assert now == before[assignment].get(learner), (assignment, learner, now)


# ---- Moodle gradebook CSV import -------------------------------------------------------

MOODLE_USERS = {
    1: {"idnumber": "s1", "email": "anna@example.nl", "username": "anna"},
    2: {"idnumber": "s2", "email": "bram@example.nl", "username": "bram"},
    3: {"idnumber": "s3", "email": "cees@example.nl", "username": "cees"},
    4: {"idnumber": "s4", "email": "dewi@example.nl", "username": "dewi"},
    5: {"idnumber": "s5", "email": "eva@example.nl", "username": "eva"},
    6: {"idnumber": "s6", "email": "gijs@example.nl", "username": "gijs"},
    7: {"idnumber": "", "email": "hanna@example.nl", "username": "hanna"},
}
MOODLE_UID = {"anna": 1, "bram": 2, "cees": 3, "dewi": 4, "eva": 5, "gijs": 6, "hanna": 7}
# hanna has no ID number and no e-mail on the class list: a row for her with an empty match
# column would give her grades to the learner on the row before.
MOODLE_ROSTER = """\
student_id,Full name,Email address,ID number
anna,Anna Aalders,anna@example.nl,s1
bram,Bram Bos,bram@example.nl,s2
cees,Cees Claes,cees@example.nl,s3
dewi,Dewi Dijk,dewi@example.nl,s4
eva,Eva Eik,eva@example.nl,s5
gijs,Gijs Geest,gijs@example.nl,s6
hanna,Hanna Hoek,,
"""


def moodle_course() -> MoodleGradebookImport:
    items = {101: MoodleGradeItem(20.0), 102: MoodleGradeItem(4.0)}
    # grades the teacher gave in Moodle by hand: they must survive the import
    items[101].grades.update({MOODLE_UID["bram"]: 12.0, MOODLE_UID["eva"]: 8.0})
    items[102].grades.update({MOODLE_UID["hanna"]: 1.0})
    return MoodleGradebookImport(MOODLE_USERS, items)


def moodle_by_learner(course: MoodleGradebookImport) -> dict[str, dict[str, float | None]]:
    return {name: {learner: course.items[item].grades.get(uid)
                   for learner, uid in MOODLE_UID.items()}
            for name, item in (("opdracht1", 101), ("opdracht2", 102))}


def test_moodle_gradebook_replay_keeps_every_grade_and_its_owner(course_with, tmp_path):
    course = course_with(MOODLE_ROSTER)
    result = export_grades(course, "moodle", output=tmp_path / "moodle.csv",
                           maxima={"opdracht1": 20, "opdracht2": 4})
    text = result.path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "ID number,opdracht1,opdracht2"  # one match column
    moodle = moodle_course()
    before = moodle_by_learner(moodle)
    moodle.run(text, "ID number", "useridnumber", {"opdracht1": 101, "opdracht2": 102})
    reported = left_out(result)
    check_no_grade_lost(moodle_by_learner(moodle), before, {"opdracht1": 20, "opdracht2": 4},
                        reported)
    assert {"bram", "eva", "gijs", "hanna"} <= set(reported)
    assert "ID number" in reported["hanna"] and "regel ervoor" in reported["hanna"]
    assert "wissen" in reported["bram"]
    assert "afkappen" in reported["gijs"]  # 11 of 10 would be clamped
    assert not moodle.items[101].overridden & {MOODLE_UID[x] for x in ("bram", "eva", "hanna")}
    assert result.needs_attention
    assert any("useridnumber" in note for note in result.notes)


def test_moodle_gradebook_of_one_assignment_carries_everyone_it_can(course_with, tmp_path):
    course = course_with(MOODLE_ROSTER.replace("hanna,Hanna Hoek,,\n",
                                                "hanna,Hanna Hoek,hanna@example.nl,s7\n"))
    result = export_grades(course, "moodle", assignments=["opdracht1"],
                           output=tmp_path / "moodle.csv", maxima={"*": 20})
    moodle = moodle_course()
    moodle.users[7]["idnumber"] = "s7"
    before = moodle_by_learner(moodle)
    moodle.run(result.path.read_text("utf-8"), "ID number", "useridnumber", {"opdracht1": 101})
    after = moodle_by_learner(moodle)
    check_no_grade_lost({"opdracht1": after["opdracht1"]}, before, {"opdracht1": 20},
                        left_out(result))
    assert after["opdracht1"]["hanna"] == 12.0 and after["opdracht1"]["anna"] == 15.0


def test_moodle_gradebook_needs_the_moodle_maximum(course_with):
    course = course_with(MOODLE_ROSTER)
    with pytest.raises(ExportError, match="--max"):
        export_grades(course, "moodle")


def test_the_moodle_model_erases_on_an_empty_cell_and_shifts_on_an_empty_key():
    """The model is not vacuous: the file the export wrote before this fix loses grades."""
    moodle = moodle_course()
    old_style = ("Email address,opdracht1\nanna@example.nl,7.5\n,9\nbram@example.nl,\n")
    moodle.run(old_style, "Email address", "useremail", {"opdracht1": 101})
    grades = moodle.items[101].grades
    assert grades[MOODLE_UID["anna"]] == 9  # the key-less row's 9 went to anna
    assert grades[MOODLE_UID["bram"]] is None  # the teacher's 12 is gone
    assert MOODLE_UID["bram"] in moodle.items[101].overridden
    with pytest.raises(ImportAborted):
        moodle_course().run(",9\n,1\n", "Email address", "useremail", {"opdracht1": 101})


# ---- Moodle grading worksheet ----------------------------------------------------------

PARTICIPANTS = {"anna": 1001, "bram": 1002, "cees": 1003, "dewi": 1004, "eva": 1005,
                "gijs": 1006, "hanna": 1007}
WORKSHEET = {
    "en": (["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum grade",
            "Grade can be changed", "Last modified (grade)", "Feedback comments"],
           "Participant {n}", "Submitted", "100.00", "Yes", "{g}.00",
           "Tuesday, 24 September 2024, 9:26 PM"),
    "nl": (["Identificatie", "Volledige naam", "E-mailadres", "Status", "Cijfer",
            "Maximaal cijfer", "Cijfer kan gewijzigd worden", "Laatst gewijzigd (beoordeling)",
            "Feedback"],
           "Deelnemer{n}", "Ingestuurd", "100,00", "Ja", "{g},00",
           "dinsdag 24 september 2024, 21:26"),
}


def worksheet(language: str) -> str:
    """The worksheet as Moodle downloads it in ``language``; anna (60) and bram (55) already
    have a grade in Moodle."""
    header, ident, status, maximum, yes, grade, date = WORKSHEET[language]
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(header)
    for learner, n in PARTICIPANTS.items():
        old = {"bram": "55", "anna": "60"}.get(learner)
        out.writerow([ident.format(n=n), learner.capitalize() + " Test",
                      f"{learner}@example.nl", status, grade.format(g=old) if old else "",
                      maximum, yes, date if old else "-",
                      "Goed begin" if learner == "bram" else ""])
    return buffer.getvalue()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_moodle_worksheet_replay_in_the_site_language(course_with, tmp_path, language):
    course = course_with(worksheet(language))
    result = export_grades(course, "moodle-worksheet", assignments=["opdracht1"],
                           output=tmp_path / "werkblad.csv")
    text = result.path.read_text("utf-8")
    assert text.splitlines()[0] == ",".join(WORKSHEET[language][0])
    uid = {learner: n for learner, n in PARTICIPANTS.items()}
    moodle = MoodleAssignment(100.0, {n: n for n in PARTICIPANTS.values()})
    graded_at = datetime(2024, 9, 24, 21, 26)
    moodle.grades = {uid["bram"]: (55.0, graded_at), uid["anna"]: (60.0, graded_at)}
    before = {"opdracht1": {x: moodle.grades.get(uid[x], (None,))[0] for x in LEARNERS}}
    # With a Dutch worksheet the export says to tick "ignore modified": Moodle cannot read
    # the Dutch date and would otherwise skip anna's new grade.
    ignore = language == "nl"
    assert ignore == any("Nederlandstalig" in note for note in result.notes)
    moodle.upload(text, language, ignoremodified=ignore)
    after = {"opdracht1": {x: moodle.grades.get(uid[x], (None,))[0] for x in LEARNERS}}
    reported = left_out(result)
    check_no_grade_lost(after, before, {"opdracht1": 100.0}, reported)
    assert after["opdracht1"]["anna"] == 75.0  # 7.5 of 10 on 100, not 7.5 of 100
    assert set(reported) == {"gijs"} and "zonder melding over" in reported["gijs"]
    rows = text.splitlines()
    assert "Goed begin" in rows[2] and "55" in rows[2]  # bram's row as downloaded


def test_moodle_worksheet_refuses_what_moodle_would_ignore_silently(course_with, tmp_path):
    scale = worksheet("en").replace("Maximum grade", "Scale")
    with pytest.raises(ExportError, match="schaal"):
        export_grades(course_with(scale), "moodle-worksheet", assignments=["opdracht1"],
                      output=tmp_path / "a.csv")
    shutil.rmtree(tmp_path / "grader")
    no_max = worksheet("en").replace(",Maximum grade", ",Other")
    with pytest.raises(ExportError, match="--max"):
        export_grades(course_with(no_max), "moodle-worksheet", assignments=["opdracht1"],
                      output=tmp_path / "a.csv")
    result = export_grades(Course(tmp_path / "grader"), "moodle-worksheet",
                           assignments=["opdracht1"], output=tmp_path / "a.csv",
                           maxima={"*": 100})
    assert "Participant 1001,Anna Test,anna@example.nl,Submitted,75," in \
        result.path.read_text("utf-8")
    with pytest.raises(ExportError, match="verschilt"):
        export_grades(Course(tmp_path / "grader"), "moodle-worksheet",
                      assignments=["opdracht1"], output=tmp_path / "b.csv",
                      roster=_write(tmp_path / "w.csv", worksheet("en")), maxima={"*": 10})


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---- Canvas gradebook import -----------------------------------------------------------

CANVAS_EXPORT = """\
Student,ID,SIS User ID,SIS Login ID,Section,opdracht1 (4242),Current Score
    Points Possible,,,,,100,(read only)
"Aalders, Anna",1,anna,anna@x.nl,A,,
"Bos, Bram",2,bram,bram@x.nl,A,55,
"Claes, Cees",3,cees,cees@x.nl,A,,
"Dijk, Dewi",4,dewi,dewi@x.nl,B,,
"Eik, Eva",5,eva,eva@x.nl,B,EX,
"Geest, Gijs",6,gijs,gijs@x.nl,B,,
"Hoek, Hanna",7,hanna,hanna@x.nl,B,,
"""
CANVAS_UID = {"anna": 1, "bram": 2, "cees": 3, "dewi": 4, "eva": 5, "gijs": 6, "hanna": 7}


def test_canvas_replay_keeps_points_possible_existing_scores_and_excused(course_with, tmp_path):
    course = course_with(CANVAS_EXPORT)
    result = export_grades(course, "canvas", output=tmp_path / "canvas.csv")
    students = [CanvasStudent(uid, name.capitalize(), f"X, {name}", name, f"{name}@x.nl")
                for name, uid in CANVAS_UID.items()]
    existing = CanvasAssignment(4242, "opdracht1", 100.0, {2: "55", 5: "EX"})
    canvas = CanvasCourse(students, [existing])
    canvas.import_csv(result.path.read_text("utf-8"))
    assert existing.points_possible == 100.0  # C1: the Canvas maximum is not rewritten
    assert [(a.title, a.points_possible) for a in canvas.created] == [("opdracht2", 4.0)]
    assert canvas.missing_students == []

    def by_learner(assignment: CanvasAssignment) -> dict[str, float | None]:
        return {x: (float(assignment.scores[uid]) if assignment.scores.get(uid, "EX") != "EX"
                    else None) for x, uid in CANVAS_UID.items()}

    before = {"opdracht1": {"bram": 55.0}, "opdracht2": {}}
    after = {"opdracht1": by_learner(existing), "opdracht2": by_learner(canvas.created[0])}
    check_no_grade_lost(after, before, {"opdracht1": 100.0, "opdracht2": 4.0},
                        left_out(result), capped=False)  # Canvas accepts extra points
    assert existing.scores[5] == "EX" and existing.scores[2] == "55"  # C2
    assert after["opdracht1"]["gijs"] == 110.0


def test_canvas_needs_its_own_export_as_class_list(course_with):
    with pytest.raises(ExportError, match="Canvas-cijferoverzicht"):
        export_grades(course_with(MOODLE_ROSTER), "canvas")


# ---- Brightspace grade import ----------------------------------------------------------

# A Brightspace grade export as class list: the item names differ from nbgrader's in case
# and spaces; cees has no OrgDefinedId (a bare "#"), so every row is keyed on Username.
BRIGHTSPACE_EXPORT = (
    "OrgDefinedId,Username,Last Name,First Name,Email,"
    "Opdracht1 Points Grade <Numeric MaxPoints:20 Weight:50>,"
    "Opdracht 2 Points Grade <Numeric MaxPoints:4 Weight:50>,End-of-Line Indicator\n"
) + """\
#anna,#u-anna,Aalders,Anna,anna@example.nl,,,#
#bram,#u-bram,Bos,Bram,bram@example.nl,12,,#
#,#cees,Claes,Cees,cees@example.nl,,,#
#dewi,#u-dewi,Dijk,Dewi,dewi@example.nl,,,#
#eva,#u-eva,Eik,Eva,eva@example.nl,8,,#
#gijs,#u-gijs,Geest,Gijs,gijs@example.nl,,,#
#hanna,#u-hanna,Hoek,Hanna,hanna@example.nl,,,#
"""


def test_brightspace_replay_scales_to_max_points_and_reuses_the_items(course_with, tmp_path):
    course = course_with(BRIGHTSPACE_EXPORT)
    result = export_grades(course, "brightspace", output=tmp_path / "d2l.csv")
    # Username -> OrgDefinedId as Brightspace holds them (cees has no OrgDefinedId)
    users = {("cees" if x == "cees" else f"u-{x}"): ("" if x == "cees" else x)
             for x in LEARNERS}
    login = {org or user: user for user, org in users.items()}
    items = [BrightspaceItem("Opdracht1", 20.0, grades={"u-bram": 12.0, "u-eva": 8.0}),
             BrightspaceItem("Opdracht 2", 4.0)]
    d2l = BrightspaceCourse(users, items)
    d2l.import_csv(result.path.read_text("utf-8"))
    assert d2l.created == [] and d2l.undocumented == []
    after = {name: {x: item.grades.get(login[x]) for x in LEARNERS}
             for name, item in (("opdracht1", items[0]), ("opdracht2", items[1]))}
    before = {"opdracht1": {"bram": 12.0, "eva": 8.0}, "opdracht2": {}}
    reported = left_out(result)
    check_no_grade_lost(after, before, {"opdracht1": 20.0, "opdracht2": 4.0}, reported)
    assert after["opdracht1"]["cees"] == 0.0 and after["opdracht2"]["cees"] == 3.0
    assert "Can Exceed" in reported["gijs"]
    assert result.path.read_text("utf-8").splitlines()[0].startswith("Username,Opdracht1 ")


def test_brightspace_class_list_without_max_points_needs_max(course_with, tmp_path):
    classlist = "OrgDefinedId,Username,First Name,Last Name\n#1001,anna,Anna,Aalders\n"
    with pytest.raises(ExportError, match="--max"):
        export_grades(course_with(classlist), "brightspace", output=tmp_path / "d.csv")
