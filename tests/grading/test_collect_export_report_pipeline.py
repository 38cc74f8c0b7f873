"""The instructor's whole round on the fixture assignment of the grading tests: a Moodle zip
is collected, graded in the sandbox (part A), the reflection graded by hand (as in the
formgrader), then the grades exported for Moodle and the item analysis made."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from ketencursus.grading import collect as c
from ketencursus.grading.collect import collect_zip
from ketencursus.grading.export import export_grades
from ketencursus.grading.report import build_report
from ketencursus.grading.runner import grade_assignment
from ketencursus.grading.sandbox import Limits
from tests.grading.grading_helpers import ASSIGNMENT, FIXTURES, NOTEBOOK, WRONG
from tests.support.grading import make_course

CORRECT = {
    "antwoord_aantal_cel": "antwoord_aantal = int(len(zaken))",
    "antwoord_doorlooptijd_cel":
        'antwoord_gemiddelde_doorlooptijd = float(zaken["doorlooptijd_dagen"].mean())',
    "antwoord_partner_cel": 'antwoord_partner = "b"',
    "reflectie_gemiddelde": "Uitschieters trekken het gemiddelde omhoog.",
}
WORKSHEET = (
    "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
    "Last modified (grade)\n"
    "Participant 5001,Anna de Wit,anna@example.nl,Submitted,,10.00,Yes,-\n"
    "Participant 5002,Bram Öztürk,bram@example.nl,Submitted,,10.00,Yes,-\n"
    "Participant 5003,Chris Jansen,chris@example.nl,Submitted,,10.00,Yes,-\n"
    "Participant 5004,Dewi Pratama,dewi@example.nl,No submission,,10.00,Yes,-\n"
)


def filled(release: Path, answers: dict[str, str]) -> bytes:
    nb = json.loads((release / NOTEBOOK).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return json.dumps(nb).encode()


@pytest.mark.slow
def test_collect_grade_export_report_round_on_a_moodle_zip(tmp_path):
    course = make_course(tmp_path, FIXTURES / "source" / ASSIGNMENT, FIXTURES / "book")
    release = course.release(ASSIGNMENT)
    roster = tmp_path / "werkblad.csv"
    roster.write_text(WORKSHEET, encoding="utf-8")
    # chris: one answer right and a reflection written (which waits for the instructor)
    partial = {**WRONG, "antwoord_aantal_cel": CORRECT["antwoord_aantal_cel"],
               "reflectie_gemiddelde": "Het gemiddelde zegt weinig over de spreiding."}
    archive = tmp_path / "cursus-ketenmeting-12.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Anna de Wit_5001_assignsubmission_file/ketenmeting.ipynb",
                   filled(release, CORRECT))
        z.writestr("Bram Öztürk_5002_assignsubmission_file/ketenmeting (1).ipynb",
                   filled(release, WRONG))
        z.writestr("Chris Jansen_5003_assignsubmission_file_ketenmeting.ipynb",
                   filled(release, partial))
        z.writestr("Chris Jansen_5003_assignsubmission_file_notities.docx", b"PK")
        z.writestr("Eve Indringer_6666_assignsubmission_file/../../gradebook.db", b"x")

    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert sorted(f.student_id for f in report.imported) == ["anna", "bram", "chris"]
    assert len(report.of(c.NOT_NOTEBOOK)) == 1 and len(report.of(c.UNSAFE_PATH)) == 1

    summary = grade_assignment(course, ASSIGNMENT, workers=2, progress=False,
                               limits=Limits(cell_timeout=20.0, test_timeout=10.0),
                               echo=lambda text: None)
    assert summary.total == 3
    # The reflection is graded by hand (as the formgrader does) for two of the three.
    with course.gradebook() as gb:
        for student, points in (("anna", 2.0), ("bram", 0.5)):
            grade = gb.find_grade("reflectie_gemiddelde", "ketenmeting", ASSIGNMENT, student)
            grade.manual_score, grade.needs_manual_grade = points, False
        gb.db.commit()

    # anna: 1 + 2 + 1 autograded + 2 by hand = 6 of 6 -> 10.00 on Moodle's scale of 10
    # bram: 0 autograded + 0.5 by hand = 0.5 of 6 -> 0.5 / 6 * 10 = 0.83
    # chris: reflection not graded yet -> no grade yet; dewi: no submission -> no grade
    result = export_grades(course, "moodle-worksheet", roster=roster,
                           assignments=[ASSIGNMENT], output=tmp_path / "upload.csv")
    rows = list(csv.DictReader(io.StringIO(result.path.read_text(encoding="utf-8-sig"))))
    grades = {row["Full name"]: row["Grade"] for row in rows}
    assert grades == {"Anna de Wit": "10", "Bram Öztürk": "0.83", "Chris Jansen": "",
                      "Dewi Pratama": ""}
    assert any("chris" in note for note in result.notes)

    page, analysis = build_report(course, ASSIGNMENT, tmp_path / "rapport")
    assert analysis.scores.students == ["anna", "bram"]
    assert analysis.scores.pending_students == ["chris"]
    assert analysis.scores.names == ["test_aantal", "test_doorlooptijd", "test_partner",
                                     "reflectie_gemiddelde"]
    facility = {i.name: i.facility for i in analysis.test.items}
    assert facility["test_aantal"] == pytest.approx(50.0)  # anna 1/1, bram 0/1
    text = page.read_text(encoding="utf-8")
    assert "zaken in een ketenoverzicht tellen" in text  # objective h9.1 from the book
    assert "Kleine groep" in text
