"""`ketencursus collect`: submissions zips of Moodle, Canvas and Brightspace, built in the
test, imported into grader/submitted/<student>/<assignment>/ — and every pitfall reported."""

from __future__ import annotations

import json
import stat
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ketencursus.cli import main
from ketencursus.grading import collect as c
from ketencursus.grading.collect import CollectError, collect_zip
from ketencursus.grading.course import Course, CourseError
from ketencursus.grading.lms import (
    RosterError,
    parse_d2l_date,
    parse_entry,
    parse_roster,
    reupload_variants,
)

ASSIGNMENT = "opdracht1"
NOTEBOOK = "opdracht1.ipynb"

MOODLE_WORKSHEET = (
    "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
    "Last modified (grade)\n"
) + """\
Participant 123456,Jane Doe,jane.doe@example.nl,Submitted,,10.00,Yes,-
Participant 223344,Piet de Vries,piet@example.nl,Submitted,,10.00,Yes,-
Participant 555000,Renée Müller,renee.muller@example.nl,Submitted,,10.00,Yes,-
Participant 4006831,Kees Bakker,kees@example.nl,Submitted,,10.00,Yes,-
"""

CANVAS_EXPORT = """\
Student,ID,SIS User ID,SIS Login ID,Section,opdracht1 (4242)
    Points Possible,,,,,10
"Doe, Jane",12345,s1001,jdoe,Groep A,
"Smith, Bob",340934,s1002,bsmith,Groep A,
"""

BRIGHTSPACE_CLASSLIST = """\
OrgDefinedId,Username,Last Name,First Name,Email
#20067930,mas,Smith,Mary-Ann,mary-ann.smith@example.nl
#20067931,jjansen,Jansen,Joost,joost@example.nl
#20067932,jjansen2,Jansen,Joost,joost2@example.nl
"""


def notebook_bytes(marker: str) -> bytes:
    """A small valid notebook whose content identifies it (to check which copy was kept)."""
    nb = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": "a1",
                   "metadata": {}, "outputs": [], "source": f"antwoord = {marker!r}"}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    return json.dumps(nb).encode()


@pytest.fixture
def course(tmp_path: Path) -> Course:
    course = Course(tmp_path / "grader")
    source = course.source(ASSIGNMENT)
    source.mkdir(parents=True)
    (source / NOTEBOOK).write_bytes(notebook_bytes("bron"))
    return course


def roster_file(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def make_zip(path: Path, entries: list[tuple[str, bytes] | zipfile.ZipInfo | tuple]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for entry in entries:
            if isinstance(entry[0], zipfile.ZipInfo):
                archive.writestr(entry[0], entry[1])
            else:
                name, data, *when = entry
                info = zipfile.ZipInfo(name, date_time=when[0] if when else (2024, 9, 24, 12, 0, 0))
                archive.writestr(info, data)
    return path


def submitted(course: Course, student: str) -> Path:
    return course.submitted(student, ASSIGNMENT) / NOTEBOOK


def kinds(report) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in report.findings:
        found.setdefault(finding.kind, []).append(finding.entry)
    return found


# ---- Moodle ---------------------------------------------------------------------------


def test_moodle_41_folder_per_submission_lands_in_nbgrader_layout(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "cursus-opdracht1-77.zip", [
        ("Jane Doe_123456_assignsubmission_file/opdracht1.ipynb", notebook_bytes("jane")),
        ("Piet de Vries_223344_assignsubmission_file/opdracht1.ipynb", notebook_bytes("piet")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "jane.doe").read_bytes() == notebook_bytes("jane")
    assert submitted(course, "piet").read_bytes() == notebook_bytes("piet")
    assert len(report.imported) == 2 and not report.needs_attention


def test_moodle_31_to_40_trailing_underscore_and_flat_download(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        ("Jane Doe_123456_assignsubmission_file_/opdracht1.ipynb", notebook_bytes("jane")),
        ("Piet de Vries_223344_assignsubmission_file_opdracht1.ipynb", notebook_bytes("piet")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "jane.doe").read_bytes() == notebook_bytes("jane")
    assert submitted(course, "piet").read_bytes() == notebook_bytes("piet")
    assert len(report.imported) == 2


def test_moodle_blind_marking_is_matched_through_the_worksheet_identifier(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        ("Participant_4006831_assignsubmission_file_/opdracht1.ipynb", notebook_bytes("kees")),
        ("Participant_999999_assignsubmission_file_/opdracht1.ipynb", notebook_bytes("??")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "kees").read_bytes() == notebook_bytes("kees")
    unknown = report.of(c.UNKNOWN_LEARNER)
    assert [f.entry for f in unknown] == [
        "Participant_999999_assignsubmission_file_/opdracht1.ipynb"
    ]
    assert "Identifier" in unknown[0].message and "beoordelingswerkblad" in unknown[0].message


def test_moodle_participant_id_of_another_assignment_falls_back_to_the_unique_name(
        course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        ("Jane Doe_777777_assignsubmission_file/opdracht1.ipynb", notebook_bytes("jane")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "jane.doe").exists()
    assert "op naam" in report.imported[0].message


def test_moodle_onlinetext_and_other_files_are_reported_as_not_notebooks(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        ("Jane Doe_123456_assignsubmission_onlinetext/onlinetext.html", b"<p>hoi</p>"),
        ("Jane Doe_123456_assignsubmission_file/verslag.pdf", b"%PDF"),
        ("Jane Doe_123456_assignsubmission_file/opdracht1.ipynb", notebook_bytes("jane")),
        ("Piet de Vries_223344_assignsubmission_file/inlevering.zip", b"PK"),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert sorted(kinds(report)[c.NOT_NOTEBOOK]) == [
        "Jane Doe_123456_assignsubmission_file/verslag.pdf",
        "Jane Doe_123456_assignsubmission_onlinetext/onlinetext.html",
        "Piet de Vries_223344_assignsubmission_file/inlevering.zip",
    ]
    (nested,) = [f for f in report.of(c.NOT_NOTEBOOK) if f.student_id == "piet"]
    assert "pak het uit" in nested.message and "submitted/piet/" in nested.message
    assert submitted(course, "jane.doe").read_bytes() == notebook_bytes("jane")
    assert not (course.submitted("jane.doe", ASSIGNMENT) / "verslag.pdf").exists()


def test_unknown_learner_is_reported_with_what_to_do(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        ("Onbekende Persoon_888888_assignsubmission_file/opdracht1.ipynb", notebook_bytes("x")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    (finding,) = report.of(c.UNKNOWN_LEARNER)
    assert "Onbekende Persoon" in finding.message and "klassenlijst" in finding.message
    assert report.needs_attention
    assert not (course.root / "submitted").exists()


def test_duplicate_notebooks_of_one_learner_keep_the_newest_and_report_the_rest(
        course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        ("Jane Doe_123456_assignsubmission_file/opdracht1.ipynb", notebook_bytes("oud"),
         (2024, 9, 20, 10, 0, 0)),
        ("Jane Doe_123456_assignsubmission_file/kopie/opdracht1.ipynb", notebook_bytes("nieuw"),
         (2024, 9, 21, 10, 0, 0)),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "jane.doe").read_bytes() == notebook_bytes("nieuw")
    (duplicate,) = report.of(c.DUPLICATE)
    assert duplicate.entry == "Jane Doe_123456_assignsubmission_file/opdracht1.ipynb"
    assert "nieuwste" in duplicate.message


# ---- Canvas ---------------------------------------------------------------------------


def test_canvas_late_and_reupload_suffix_map_to_the_release_name_newest_kept(course, tmp_path):
    roster = roster_file(tmp_path, CANVAS_EXPORT)
    archive = make_zip(tmp_path / "submissions.zip", [
        ("doejane_LATE_12345_67890_opdracht1.ipynb", notebook_bytes("eerste")),
        ("doejane_LATE_12345_67999_opdracht1-1.ipynb", notebook_bytes("tweede")),
        ("smithbob_340934_208490284_opdracht1.ipynb", notebook_bytes("bob")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "s1001").read_bytes() == notebook_bytes("tweede")
    assert submitted(course, "s1002").read_bytes() == notebook_bytes("bob")
    assert [f.entry for f in report.of(c.DUPLICATE)] == ["doejane_LATE_12345_67890_opdracht1.ipynb"]


def test_canvas_unknown_user_id_falls_back_to_the_sortable_name_key(course, tmp_path):
    roster = roster_file(tmp_path, CANVAS_EXPORT)
    archive = make_zip(tmp_path / "s.zip", [
        ("smithbob_111_222_opdracht1.ipynb", notebook_bytes("bob")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "s1002").exists() and "op naam" in report.imported[0].message


def test_canvas_anonymous_grading_cannot_be_matched_and_is_reported(course, tmp_path):
    roster = roster_file(tmp_path, CANVAS_EXPORT)
    archive = make_zip(tmp_path / "s.zip", [("anon_Xy12Z_67890_opdracht1.ipynb", b"{}")])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    (finding,) = report.of(c.UNKNOWN_LEARNER)
    assert "Anoniem" in finding.message


# ---- Brightspace ----------------------------------------------------------------------


def test_brightspace_folders_with_d2l_dates_keep_the_newest_and_skip_index_html(
        course, tmp_path):
    roster = roster_file(tmp_path, BRIGHTSPACE_CLASSLIST)
    archive = make_zip(tmp_path / "Opdracht 1 Download.zip", [
        ("397063-2557369 - Mary-Ann Smith - Sep 24, 2024 926 PM/opdracht1.ipynb",
         notebook_bytes("later"), (2024, 1, 1, 0, 0, 0)),
        ("397001-2557369 - Mary-Ann Smith - Sep 24, 2024 1005 AM/opdracht1.ipynb",
         notebook_bytes("eerder"), (2024, 12, 1, 0, 0, 0)),  # zip time lies; D2L date wins
        ("index.html", b"<html></html>"),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "20067930").read_bytes() == notebook_bytes("later")
    assert [f.entry for f in report.of(c.IGNORED)] == ["index.html"]
    assert len(report.of(c.DUPLICATE)) == 1


def test_brightspace_flat_download_and_ambiguous_names_are_reported(course, tmp_path):
    roster = roster_file(tmp_path, BRIGHTSPACE_CLASSLIST)
    archive = make_zip(tmp_path / "s.zip", [
        ("397063-2557370 - Joost Jansen - Oct 1, 2024 1201 PM - opdracht1.ipynb", b"{}"),
        ("397063-2557371 - Mary-Ann Smith - Oct 1, 2024 1201 PM - opdracht1.ipynb",
         notebook_bytes("mas")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    (ambiguous,) = report.of(c.AMBIGUOUS_LEARNER)
    assert "20067931, 20067932" in ambiguous.message and "op naam" in ambiguous.message
    assert submitted(course, "20067930").read_bytes() == notebook_bytes("mas")


@pytest.mark.parametrize(("text", "expected"), [
    ("Sep 24, 2024 926 PM", datetime(2024, 9, 24, 21, 26)),
    ("Jan 1, 2025 1200 AM", datetime(2025, 1, 1, 0, 0)),
    ("Dec 5, 2024 1201 PM", datetime(2024, 12, 5, 12, 1)),
    ("Sept 3, 2024 707 am", datetime(2024, 9, 3, 7, 7)),
    ("Sep 31, 2024 926 PM", None),
    ("Sep 24, 2024 9:26 PM", None),
    ("gisteren", None),
])
def test_d2l_dates_without_colon_or_zone_are_parsed(text, expected):
    assert parse_d2l_date(text) == expected


# ---- safety ---------------------------------------------------------------------------


def _all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_path_traversal_entries_are_reported_and_nothing_is_written_outside_the_course(
        course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    link = zipfile.ZipInfo("Jane Doe_123456_assignsubmission_file/opdracht1.ipynb")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = make_zip(tmp_path / "s.zip", [
        ("../evil.ipynb", b"{}"),
        ("/tmp/evil.ipynb", b"{}"),
        ("Jane Doe_123456_assignsubmission_file/..\\..\\evil.ipynb", b"{}"),
        ("C:/Users/evil.ipynb", b"{}"),
        ("Jane Doe_123456_assignsubmission_file/../../../evil.ipynb", b"{}"),
        (link, b"/etc/passwd"),
    ])
    before = _all_files(tmp_path)
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert len(report.of(c.UNSAFE_PATH)) == 6
    assert _all_files(tmp_path) == before  # nothing written at all
    assert all("Niet geïmporteerd" in f.message for f in report.of(c.UNSAFE_PATH))


def test_an_existing_submission_is_never_overwritten(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    target = submitted(course, "jane.doe")
    target.parent.mkdir(parents=True)
    target.write_bytes(notebook_bytes("eerder ingeleverd"))
    (course.submitted("piet", ASSIGNMENT)).mkdir(parents=True)
    submitted(course, "piet").write_bytes(notebook_bytes("piet"))
    archive = make_zip(tmp_path / "s.zip", [
        ("Jane Doe_123456_assignsubmission_file/opdracht1.ipynb", notebook_bytes("nieuw")),
        ("Piet de Vries_223344_assignsubmission_file/opdracht1.ipynb", notebook_bytes("piet")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert target.read_bytes() == notebook_bytes("eerder ingeleverd")
    (kept,) = report.of(c.KEPT_EXISTING)
    assert "behouden" in kept.message and "NIET" in kept.message
    assert [f.student_id for f in report.of(c.ALREADY_PRESENT)] == ["piet"]
    assert report.needs_attention


class _RawNameInfo(zipfile.ZipInfo):
    """A zip entry whose name bytes are written as given, WITHOUT the UTF-8 flag (as many
    zip tools and older Windows zips do)."""

    raw_name: bytes = b""

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's own name)
        return self.raw_name, self.flag_bits & ~0x800


def _raw(name: str, encoding: str) -> _RawNameInfo:
    info = _RawNameInfo("placeholder", date_time=(2024, 9, 24, 12, 0, 0))
    info.raw_name = name.encode(encoding)
    return info


def test_names_with_accents_utf8_flag_utf8_without_flag_and_cp437(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    name = "Renée Müller_555000_assignsubmission_file/opdracht1.ipynb"
    for label, entry in [
        ("flag", (name, notebook_bytes("flag"))),
        ("utf8", (_raw(name, "utf-8"), notebook_bytes("utf8"))),
        ("cp437", (_raw(name, "cp437"), notebook_bytes("cp437"))),
    ]:
        archive = make_zip(tmp_path / f"{label}.zip", [entry])
        with zipfile.ZipFile(archive) as check:  # the flag is really set / not set
            assert bool(check.infolist()[0].flag_bits & 0x800) == (label == "flag")
        report = collect_zip(course, ASSIGNMENT, archive, roster)
        assert [f.entry for f in report.findings] == [name], label
        assert report.findings[0].kind in (c.IMPORTED, c.KEPT_EXISTING)
    # Student ids stay ASCII-safe even for accented names (from the e-mail address).
    assert submitted(course, "renee.muller").read_bytes() == notebook_bytes("flag")


def test_a_renamed_single_notebook_is_stored_under_the_assignment_name(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        ("Jane Doe_123456_assignsubmission_file/opdracht1 (1).ipynb", notebook_bytes("jane")),
        ("Piet de Vries_223344_assignsubmission_file/mijn versie.ipynb", notebook_bytes("piet")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "jane.doe").read_bytes() == notebook_bytes("jane")
    assert submitted(course, "piet").read_bytes() == notebook_bytes("piet")
    piet = next(f for f in report.imported if f.student_id == "piet")
    assert "ingeleverd als mijn versie.ipynb" in piet.message
    assert "Geïmporteerd, controleer: Piet de Vries" in report.to_text()


def test_unexpected_notebook_names_beside_the_right_one_are_reported(tmp_path):
    course = Course(tmp_path / "grader")
    course.source("twee").mkdir(parents=True)
    for name in ("deel1.ipynb", "deel2.ipynb"):
        (course.source("twee") / name).write_bytes(notebook_bytes(name))
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        ("Jane Doe_123456_assignsubmission_file/deel1.ipynb", notebook_bytes("1")),
        ("Jane Doe_123456_assignsubmission_file/kladje.ipynb", notebook_bytes("k")),
    ])
    report = collect_zip(course, "twee", archive, roster)
    assert (course.submitted("jane.doe", "twee") / "deel1.ipynb").exists()
    (unexpected,) = report.of(c.UNEXPECTED_NOTEBOOK)
    assert "deel1.ipynb, deel2.ipynb" in unexpected.message


def test_an_invalid_zip_time_neither_crashes_nor_wins(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        ("Jane Doe_123456_assignsubmission_file/opdracht1.ipynb", notebook_bytes("geldig"),
         (2024, 9, 20, 10, 0, 0)),
        ("Jane Doe_123456_assignsubmission_file/x/opdracht1.ipynb", notebook_bytes("kapot"),
         (2024, 0, 0, 0, 0, 0)),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "jane.doe").read_bytes() == notebook_bytes("geldig")
    assert len(report.of(c.DUPLICATE)) == 1


def test_a_corrupt_entry_is_reported_and_the_rest_still_imported(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = tmp_path / "s.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("Jane Doe_123456_assignsubmission_file/opdracht1.ipynb",
                   notebook_bytes("jane") * 20)
        z.writestr("Piet de Vries_223344_assignsubmission_file/opdracht1.ipynb",
                   notebook_bytes("piet"))
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as z:  # damage the compressed bytes of Jane's entry
        first = z.infolist()[0]
        start = first.header_offset + 30 + len(first.orig_filename.encode()) + 10
    data[start:start + 20] = b"\xff" * 20
    archive.write_bytes(bytes(data))
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert [f.student_id for f in report.of(c.UNREADABLE)] == ["jane.doe"]
    assert submitted(course, "piet").read_bytes() == notebook_bytes("piet")
    assert not submitted(course, "jane.doe").exists()


def test_system_files_and_unrecognised_names_are_reported_not_imported(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        ("__MACOSX/._opdracht1.ipynb", b"x"),
        ("Jane Doe_123456_assignsubmission_file/.DS_Store", b"x"),
        ("willekeurig.ipynb", b"{}"),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert len(report.of(c.IGNORED)) == 2
    assert report.of(c.UNRECOGNISED)[0].entry == "willekeurig.ipynb"


def test_oversized_notebooks_are_refused(course, tmp_path, monkeypatch):
    monkeypatch.setattr(c, "MAX_NOTEBOOK_BYTES", 100)
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        ("Jane Doe_123456_assignsubmission_file/opdracht1.ipynb", b"x" * 500),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert report.of(c.TOO_LARGE) and not submitted(course, "jane.doe").exists()


# ---- entry names and roster -----------------------------------------------------------


def test_entry_name_patterns_of_each_lms():
    moodle = parse_entry("Jane Doe_123456_assignsubmission_file/sub/essay.ipynb")
    assert (moodle.lms, moodle.lms_id, moodle.name, moodle.filename) == (
        "moodle", "123456", "Jane Doe", "sub/essay.ipynb")
    blind = parse_entry("Participant_4006831_assignsubmission_file_/a.ipynb")
    assert blind.anonymous and blind.name == ""
    canvas = parse_entry("doejane_LATE_12345_67890_ps1-1.ipynb")
    assert (canvas.lms, canvas.lms_id, canvas.name, canvas.late, canvas.attachment) == (
        "canvas", "12345", "doejane", True, 67890)
    d2l = parse_entry("397063-2557369 - Mary-Ann Smith - Sep 24, 2024 926 PM/ps1.ipynb")
    assert (d2l.lms, d2l.name, d2l.timestamp) == (
        "brightspace", "Mary-Ann Smith", datetime(2024, 9, 24, 21, 26))
    assert parse_entry("notities.txt") is None
    assert reupload_variants("ps1-1.ipynb") == [("ps1-1.ipynb", 0), ("ps1.ipynb", 1)]
    assert ("ps1.ipynb", 2) in reupload_variants("ps1 (2).ipynb")


def test_roster_semicolon_excel_export_with_bom_is_read():
    roster = parse_roster(
        "\ufeffstudentnummer;Naam;E-mailadres\n"
        "s123;Anna Çelik;anna@example.nl\n"
        "s124;Bram Öztürk;bram@example.nl\n"
    )
    assert [learner.student_id for learner in roster] == ["s123", "s124"]
    assert roster.by_name("anna  çelik")[0].email == "anna@example.nl"


@pytest.mark.parametrize(("text", "fragment"), [
    ("Naam,Status\nJan,ok\n", "geen kolom waarmee cursisten te herkennen zijn"),
    ("student_id,Naam\nx1,A\nx1,B\n", "komt dubbel voor"),
    ("student_id,Naam\n../etc,A\n", "tekens die niet mogen"),
    ("Identifier,Full name,Email address\nDeelnemer X,Jan,j@x.nl\n", "deelnemernummer"),
    ("student_id,Naam\ns1,\"" + "x" * 200_000 + "\"\n", "geen leesbaar CSV-bestand"),
    ("", "leeg"),
], ids=["no-identity-column", "duplicate-id", "unsafe-id", "bad-identifier", "huge-field",
        "empty"])
def test_unusable_rosters_get_a_dutch_message_naming_the_problem(text, fragment):
    with pytest.raises(RosterError, match=fragment):
        parse_roster(text)


def test_unknown_assignment_and_broken_zip_give_dutch_errors(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    with pytest.raises(CourseError, match="onbekend"):
        collect_zip(course, "bestaatniet", tmp_path / "x.zip", roster)
    broken = tmp_path / "kapot.zip"
    broken.write_bytes(b"geen zip")
    with pytest.raises(CollectError, match="geen leesbaar zipbestand"):
        collect_zip(course, ASSIGNMENT, broken, roster)
    with pytest.raises(CollectError, match="--roster"):
        collect_zip(course, ASSIGNMENT, broken, tmp_path / "geen-klassenlijst.csv")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("student_id,Naam\ns1,Renée\n".encode("latin-1"))
    with pytest.raises(CollectError, match="CSV UTF-8"):
        collect_zip(course, ASSIGNMENT, broken, latin1)


# ---- command line ---------------------------------------------------------------------


def test_cli_collect_uses_the_course_roster_and_exit_code_reports_attention(
        course, tmp_path, capsys):
    roster_file(course.root, MOODLE_WORKSHEET)  # grader/roster.csv, the default
    good = make_zip(tmp_path / "goed.zip", [
        ("Jane Doe_123456_assignsubmission_file/opdracht1.ipynb", notebook_bytes("jane")),
    ])
    assert main(["collect", ASSIGNMENT, str(good), "--course", str(course.root)]) == 0
    out = capsys.readouterr().out
    assert "geïmporteerd: 1" in out
    bad = make_zip(tmp_path / "slecht.zip", [("../x.ipynb", b"{}")])
    assert main(["collect", ASSIGNMENT, str(bad), "--course", str(course.root)]) == 1
    assert "Onveilig pad" in capsys.readouterr().out
    assert main(["collect", ASSIGNMENT, str(tmp_path / "weg.zip"), "--course",
                 str(course.root)]) == 2
    assert "bestaat niet" in capsys.readouterr().err


# ---- property: whatever the entry names, nothing lands outside submitted/<id>/<assignment>/


SEGMENTS = st.sampled_from([
    "..", ".", "", "C:", "c:\\", "\\", "~", "Jane Doe_123456_assignsubmission_file",
    "Participant_4006831_assignsubmission_file_", "doejane_12345_1_opdracht1.ipynb",
    "opdracht1.ipynb", "opdracht1-1.ipynb", "a\\..\\b.ipynb", "..\\opdracht1.ipynb",
    "397063-2557369 - Jane Doe - Sep 24, 2024 926 PM", "index.html",
])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(
    st.lists(SEGMENTS | st.text(min_size=1, max_size=6), min_size=1, max_size=4).map("/".join),
    min_size=1, max_size=6,
))
@example(names=[""])  # an empty entry name (found by this test: zipfile's is_dir() failed)
@example(names=["/", "//x.ipynb", "Jane Doe_123456_assignsubmission_file//opdracht1.ipynb"])
def test_any_entry_names_never_write_outside_the_submission_folders(names, tmp_path):
    work = Path(tempfile.mkdtemp(dir=tmp_path))
    course = Course(work / "grader")
    course.source(ASSIGNMENT).mkdir(parents=True)
    (course.source(ASSIGNMENT) / NOTEBOOK).write_bytes(notebook_bytes("bron"))
    roster = roster_file(work, MOODLE_WORKSHEET)
    archive = work / "s.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name in names:
            if "\x00" not in name:  # Python's zipfile cannot write a NUL in a name
                z.writestr(zipfile.ZipInfo(name), notebook_bytes(name))
    before = _all_files(work)
    report = collect_zip(course, ASSIGNMENT, archive, roster)  # never raises
    allowed_ids = {"jane.doe", "piet", "renee.muller", "kees"}
    for path in _all_files(work) - before:
        relative = path.relative_to(course.root).parts
        assert relative[0] == "submitted" and relative[1] in allowed_ids, path
        assert relative[2:] == (ASSIGNMENT, NOTEBOOK), path
    assert len(report.imported) == len(_all_files(work) - before)


# ---- the names of the LMS review (accents, underscores, late, groups, Dutch sites) -----

CANVAS_EXPORT_INTERNATIONAL = """\
Student,ID,SIS User ID,SIS Login ID,Section,opdracht1 (4242)
    Points Possible,,,,,10
"Doe, Jane",12345,s1001,jdoe,Groep A,
"Smith, Bob",340934,s1002,bsmith,Groep A,
"Müller, Renée",340936,s1004,rmuller,Groep B,
"O_Brien, Pat",340937,s1005,pobrien,Groep B,
"Çelik, Zeynep",340938,s1006,zcelik,Groep B,
"""


def every_entry_has_a_finding(report, archive: Path) -> None:
    with zipfile.ZipFile(archive) as z:
        names = {c.entry_name(i) for i in z.infolist() if not i.filename.endswith("/")}
    assert {f.entry for f in report.findings} == names


def test_canvas_names_with_accents_and_underscores_are_imported(course, tmp_path):
    roster = roster_file(tmp_path, CANVAS_EXPORT_INTERNATIONAL)
    nfd = "c\u0327elikzeynep_999_557_opdracht1.ipynb"  # unknown user id, name in NFD
    archive = make_zip(tmp_path / "submissions.zip", [
        ("müllerrenée_340936_555_opdracht1.ipynb", notebook_bytes("renee")),
        ("o_brienpat_340937_556_opdracht1.ipynb", notebook_bytes("pat")),
        (nfd, notebook_bytes("zeynep")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "s1004").read_bytes() == notebook_bytes("renee")
    assert submitted(course, "s1005").read_bytes() == notebook_bytes("pat")
    assert submitted(course, "s1006").read_bytes() == notebook_bytes("zeynep")
    assert not report.needs_attention
    every_entry_has_a_finding(report, archive)


def test_canvas_lower_case_late_and_an_entry_without_a_name_are_imported(course, tmp_path):
    roster = roster_file(tmp_path, CANVAS_EXPORT)
    archive = make_zip(tmp_path / "submissions.zip", [
        ("doejane_late_12345_600_opdracht1.ipynb", notebook_bytes("jane")),
        ("340934_601_opdracht1.ipynb", notebook_bytes("bob")),  # anonymous: no name part
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "s1001").read_bytes() == notebook_bytes("jane")
    assert submitted(course, "s1002").read_bytes() == notebook_bytes("bob")
    assert parse_entry("doejane_late_12345_600_opdracht1.ipynb").late
    assert len(report.imported) == 2


def test_canvas_newest_upload_is_the_largest_attachment_id_not_the_zip_time(course, tmp_path):
    roster = roster_file(tmp_path, CANVAS_EXPORT)
    archive = make_zip(tmp_path / "submissions.zip", [
        ("doejane_12345_700_opdracht1-1.ipynb", notebook_bytes("nieuw"), (2024, 1, 1, 0, 0, 0)),
        ("doejane_12345_500_opdracht1.ipynb", notebook_bytes("oud"), (2024, 2, 1, 0, 0, 0)),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "s1001").read_bytes() == notebook_bytes("nieuw")
    assert [f.entry for f in report.of(c.DUPLICATE)] == ["doejane_12345_500_opdracht1.ipynb"]


def test_moodle_group_submission_is_never_imported_under_an_unrelated_learner(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        # group B's id 123456 happens to be Jane's participant id
        ("Groep B_123456_assignsubmission_file/opdracht1.ipynb", notebook_bytes("groep")),
        # another learner's folder with Piet's participant id
        ("Kees Bakker_223344_assignsubmission_file/opdracht1.ipynb", notebook_bytes("kees?")),
        # Moodle 3.x group mode: "<group>-<full name>" still belongs to the learner
        ("Groep A-Renée Müller_555000_assignsubmission_file_/opdracht1.ipynb",
         notebook_bytes("renee")),
        # a group whose id is nobody's: reported with the group hint
        ("Groep C_42_assignsubmission_file/opdracht1.ipynb", notebook_bytes("c")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert not submitted(course, "jane.doe").exists() and not submitted(course, "piet").exists()
    assert submitted(course, "renee.muller").read_bytes() == notebook_bytes("renee")
    refused = report.of(c.NAME_MISMATCH)
    assert [f.entry.split("_")[0] for f in refused] == ["Groep B", "Kees Bakker"]
    assert all("groepsinzending" in f.message for f in refused)
    (unknown,) = report.of(c.UNKNOWN_LEARNER)
    assert "groep" in unknown.message
    assert report.needs_attention
    every_entry_has_a_finding(report, archive)


def test_moodle_dutch_site_blind_marking_prefix_is_anonymous(course, tmp_path):
    roster = roster_file(tmp_path, MOODLE_WORKSHEET)
    archive = make_zip(tmp_path / "s.zip", [
        ("Deelnemer_4006831_assignsubmission_file/opdracht1.ipynb", notebook_bytes("kees")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert parse_entry("Deelnemer_4006831_assignsubmission_file/x.ipynb").anonymous
    assert submitted(course, "kees").read_bytes() == notebook_bytes("kees")
    assert not report.needs_attention


def test_brightspace_bare_hash_id_and_dutch_or_unknown_dates_are_imported(course, tmp_path):
    roster = roster_file(tmp_path, BRIGHTSPACE_CLASSLIST.replace(
        "#20067931,jjansen,", "#,jjansen,"))
    archive = make_zip(tmp_path / "d2l.zip", [
        ("397063-2557369 - Mary-Ann Smith - 24 sep. 2024 21:26/opdracht1.ipynb",
         notebook_bytes("later"), (2024, 1, 1, 0, 0, 0)),
        ("397001-2557369 - Mary-Ann Smith - 24 sep. 2024 10:05/opdracht1.ipynb",
         notebook_bytes("eerder"), (2024, 12, 1, 0, 0, 0)),
        ("397063-2557372 - Joost Jansen - gisteren om 21.26 - opdracht1.ipynb",
         notebook_bytes("joost")),
    ])
    report = collect_zip(course, ASSIGNMENT, archive, roster)
    assert submitted(course, "20067930").read_bytes() == notebook_bytes("later")
    (ambiguous,) = report.of(c.AMBIGUOUS_LEARNER)  # two Joost Jansens: jjansen, 20067932
    assert "jjansen" in ambiguous.message
    every_entry_has_a_finding(report, archive)


def test_a_bare_hash_in_a_brightspace_class_list_is_an_empty_id():
    roster = parse_roster("OrgDefinedId,Username,First Name,Last Name\n#,#mas,Mary,Smith\n"
                          "#20067931,#jj,Joost,Jansen\n")
    assert [x.student_id for x in roster] == ["mas", "20067931"]
    assert [x.id_number for x in roster] == ["", "20067931"]


@pytest.mark.parametrize(("text", "expected"), [
    ("24 sep. 2024 21:26", datetime(2024, 9, 24, 21, 26)),
    ("3 okt 2024 0905", datetime(2024, 10, 3, 9, 5)),
    ("1 mrt. 2025, 14.30", datetime(2025, 3, 1, 14, 30)),
    ("31 sep. 2024 21:26", None),
])
def test_day_first_d2l_dates_are_parsed_best_effort(text, expected):
    assert parse_d2l_date(text) == expected
