"""The error policy at work: every command of ``ketencursus``, given a missing file, an
unwritable output path, a bad course path or a broken input file, stops with exit code 2 and
one Dutch ``Fout: ...`` message that says what to do, never a Python traceback. Each command
runs in-process through ``cli.main`` for every case, and once as a real ``ketencursus``
subprocess."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from ketencursus import cli
from ketencursus.errors import EXIT_USER_ERROR
from tests.grading.grading_helpers import ASSIGNMENT, CORRECT, course_copy, submit
from tests.support import ROOT, VENV_BIN, tool_env

ROSTER = (
    "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
    "Last modified (submission),Last modified (grade),Feedback comments\n"
    "Participant 1,Anna de Vries,anna@example.org,,,10,Yes,,,\n"
)


@dataclass
class World:
    """Throw-away inputs: a released nbgrader course, a copy of the course repository, and
    paths that are missing, broken or not writable (``blocker`` is a regular file, so a path
    below it cannot be created, also not by root)."""

    course: Path
    repo: Path
    tmp: Path

    @property
    def missing(self) -> Path:
        return self.tmp / "bestaat-niet"

    @property
    def blocker(self) -> Path:
        path = self.tmp / "een-bestand"
        path.write_text("geen map\n", encoding="utf-8")
        return path

    @property
    def unwritable(self) -> Path:
        return self.blocker / "uitvoer"

    def file(self, name: str, data: bytes | str) -> Path:
        path = self.tmp / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    def break_gradebook(self) -> None:
        (self.course / "gradebook.db").write_bytes(b"dit is geen SQLite-bestand\n" * 50)

    def block_in_course(self, name: str) -> None:
        """Put a file where the command must create the directory ``name`` of the course."""
        target = self.course / name
        if target.is_dir():
            shutil.rmtree(target)
        target.write_text("geen map\n", encoding="utf-8")

    def break_yaml(self, relative: str) -> None:
        path = self.repo / relative
        path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [\n", encoding="utf-8")


@pytest.fixture(scope="session")
def graded_course(tmp_path_factory) -> Path:
    """A course in which one submission (anna's) has been graded: made once per session."""
    from ketencursus.grading.runner import grade_assignment

    root = tmp_path_factory.mktemp("nagekeken")
    course = course_copy(root)
    submit(course, "anna", CORRECT)
    summary = grade_assignment(course, ASSIGNMENT, workers=1, progress=False)
    assert summary.graded == 1, summary.to_text()
    return root


@pytest.fixture()
def world(graded_course, tmp_path, monkeypatch) -> World:
    course_root = tmp_path / "cursus"
    shutil.copytree(graded_course, course_root)
    course = course_root / "grader"
    (course / "roster.csv").write_text(ROSTER, encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("_config.yml", "_toc.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "book", repo / "book")
    shutil.copytree(ROOT / "exercises", repo / "exercises")
    (repo / "grader").mkdir()
    shutil.copy(ROOT / "grader" / "nbgrader_config.py", repo / "grader" / "nbgrader_config.py")
    monkeypatch.setenv("KETENCURSUS_ROOT", str(repo))
    work = tmp_path / "werk"
    work.mkdir()
    return World(course, repo, work)


# Each case: (command, situation) -> a function of the world giving the arguments (after
# preparing the world), and the words the message must contain.
def _c(w: World) -> list[str]:
    return ["--course", str(w.course)]


CASES = {
    # ---- grade
    ("grade", "missing file"): (
        lambda w: ["grade", "bestaat-niet", *_c(w)], ["bestaat-niet"]),
    ("grade", "unwritable output"): (
        lambda w: (w.block_in_course("autograded"),
                   ["grade", ASSIGNMENT, "--force", "--no-progress", *_c(w)])[1],
        ["autograded"]),
    ("grade", "bad course path"): (
        lambda w: ["grade", ASSIGNMENT, "--course", str(w.missing)],
        ["geen nbgrader-cursusmap", "--course"]),
    ("grade", "broken input"): (
        lambda w: (w.break_gradebook(),
                   ["grade", ASSIGNMENT, "--force", "--no-progress", *_c(w)])[1],
        ["gradebook.db", "beschadigd"]),
    # ---- feedback
    ("feedback", "missing file"): (
        lambda w: ["feedback", "bestaat-niet", *_c(w)], ["bestaat-niet"]),
    ("feedback", "unwritable output"): (
        lambda w: (w.block_in_course("feedback"), ["feedback", ASSIGNMENT, *_c(w)])[1],
        ["feedback"]),
    ("feedback", "bad course path"): (
        lambda w: ["feedback", ASSIGNMENT, "--course", str(w.missing)],
        ["geen nbgrader-cursusmap"]),
    ("feedback", "broken input"): (
        lambda w: (w.break_gradebook(), ["feedback", ASSIGNMENT, *_c(w)])[1],
        ["gradebook.db", "beschadigd"]),
    # ---- collect
    ("collect", "missing file"): (
        lambda w: ["collect", ASSIGNMENT, str(w.missing / "inzendingen.zip"), *_c(w)],
        ["inzendingen.zip", "bestaat niet"]),
    ("collect", "unwritable output"): (
        lambda w: (w.block_in_course("submitted"),
                   ["collect", ASSIGNMENT, str(_zip(w)), *_c(w)])[1],
        ["submitted"]),
    ("collect", "bad course path"): (
        lambda w: ["collect", ASSIGNMENT, str(_zip(w)), "--course", str(w.missing)],
        ["geen nbgrader-cursusmap"]),
    ("collect", "broken input"): (
        lambda w: ["collect", ASSIGNMENT, str(w.file("kapot.zip", b"PK\x03\x04 kapot")), *_c(w)],
        ["kapot.zip"]),
    # ---- export
    ("export", "missing file"): (
        lambda w: ["export", *_c(w), "--roster", str(w.missing / "klas.csv")],
        ["klas.csv"]),
    ("export", "unwritable output"): (
        lambda w: ["export", *_c(w), "-o", str(w.unwritable / "cijfers.csv")],
        ["een-bestand", "is een bestand"]),
    ("export", "bad course path"): (
        lambda w: ["export", "--course", str(w.missing)], ["geen nbgrader-cursusmap"]),
    ("export", "broken input"): (
        lambda w: ["export", *_c(w), "--roster", str(w.file("klas.csv", b"\xff\xfe\x00kapot"))],
        ["klas.csv"]),
    # ---- report
    ("report", "missing file"): (
        lambda w: ["report", "bestaat-niet", *_c(w)], ["bestaat-niet"]),
    ("report", "unwritable output"): (
        lambda w: ["report", ASSIGNMENT, *_c(w), "-o", str(w.unwritable)],
        ["een-bestand", "is een bestand"]),
    ("report", "bad course path"): (
        lambda w: ["report", ASSIGNMENT, "--course", str(w.missing)],
        ["geen nbgrader-cursusmap"]),
    ("report", "broken input"): (
        lambda w: (w.break_gradebook(), ["report", ASSIGNMENT, *_c(w)])[1],
        ["gradebook.db", "beschadigd"]),
    # ---- assignments
    ("assignments", "missing file"): (
        lambda w: (shutil.rmtree(w.repo / "exercises" / "bank"), ["assignments"])[1],
        ["bank"]),
    ("assignments", "unwritable output"): (
        lambda w: ((w.repo / "grader" / "source").write_text("geen map"), ["assignments"])[1],
        ["source"]),
    ("assignments", "bad course path"): (
        lambda w: ["assignments", "--course", str(w.missing)], ["geen nbgrader-cursusmap"]),
    ("assignments", "broken input"): (
        lambda w: (w.break_yaml(_first_assignment(w)), ["assignments"])[1], ["assignment.yml"]),
    # ---- bank validate (reads only: no output path)
    ("bank validate", "missing file"): (
        lambda w: (shutil.rmtree(w.repo / "exercises" / "bank"), ["bank", "validate"])[1],
        ["bank"]),
    ("bank validate", "bad course path"): (
        lambda w: (_no_repo(w), ["bank", "validate"])[1], ["cursusrepository"]),
    ("bank validate", "broken input"): (
        lambda w: (w.break_yaml("exercises/bank/h2.yml"), ["bank", "validate"])[1],
        ["h2.yml", "geen geldige YAML"]),
    # ---- bank export
    ("bank export", "missing file"): (
        lambda w: (shutil.rmtree(w.repo / "exercises" / "bank"),
                   ["bank", "export", "--format", "moodle-xml", "-o", str(w.tmp / "b.xml")])[1],
        ["bank"]),
    ("bank export", "unwritable output"): (
        lambda w: ["bank", "export", "--format", "moodle-xml", "-o",
                   str(w.unwritable / "vragen.xml")], ["een-bestand", "is een bestand"]),
    ("bank export", "bad course path"): (
        lambda w: (_no_repo(w), ["bank", "export", "--format", "moodle-xml", "-o",
                                 str(w.tmp / "b.xml")])[1], ["cursusrepository"]),
    ("bank export", "broken input"): (
        lambda w: (w.break_yaml("exercises/bank/h2.yml"),
                   ["bank", "export", "--format", "moodle-xml", "-o", str(w.tmp / "b.xml")])[1],
        ["h2.yml"]),
    # ---- scorm (packs a built book; a small fake book is enough to reach each error)
    ("scorm", "missing file"): (
        lambda w: ["scorm", "-o", str(w.tmp / "p.zip"), "--html", str(w.missing)],
        ["bestaat-niet"]),
    ("scorm", "unwritable output"): (
        lambda w: ["scorm", "-o", str(w.unwritable / "p.zip"), "--html", str(_html(w))],
        ["een-bestand"]),
    ("scorm", "bad course path"): (
        lambda w: ["scorm", "-o", str(w.tmp / "p.zip"), "--course-root", str(w.missing)],
        ["cursusrepository"]),
    ("scorm", "broken input"): (
        lambda w: ["scorm", "-o", str(w.tmp / "p.zip"), "--html", str(w.blocker)],
        ["een-bestand"]),
    # ---- edities (each error is found before anything is built)
    ("edities", "missing file"): (
        lambda w: (_no_repo(w), ["edities", "-o", str(w.tmp / "uit"),
                                 "--course-root", str(w.missing)])[1], ["cursusrepository"]),
    ("edities", "unwritable output"): (
        lambda w: ["edities", "-o", str(w.unwritable), "--course-root", str(w.repo)],
        ["een-bestand"]),
    ("edities", "bad course path"): (
        lambda w: (_no_repo(w), ["edities", "-o", str(w.tmp / "uit"),
                                 "--course-root", str(w.blocker)])[1], ["cursusrepository"]),
    ("edities", "broken input"): (
        lambda w: (w.break_yaml("_config.yml"),
                   ["edities", "-o", str(w.tmp / "uit"), "--course-root", str(w.repo)])[1],
        ["_config.yml", "YAML"]),
    # ---- student-release
    ("student-release", "missing file"): (
        lambda w: (_no_repo(w), ["student-release", "-o", str(w.tmp / "uit"),
                                 "--course-root", str(w.missing)])[1], ["cursusrepository"]),
    ("student-release", "unwritable output"): (
        lambda w: ["student-release", "-o", str(w.unwritable)],
        ["een-bestand", "is een bestand"]),
    ("student-release", "bad course path"): (
        lambda w: (_no_repo(w), ["student-release", "-o", str(w.tmp / "uit"),
                                 "--course-root", str(w.blocker)])[1], ["cursusrepository"]),
    ("student-release", "broken input"): (
        lambda w: (w.break_yaml(_first_assignment(w)),
                   ["student-release", "-o", str(w.tmp / "uit"), "--opnieuw-genereren"])[1],
        ["assignment.yml"]),
    # ---- werkbladen (fails before rendering anything)
    ("werkbladen", "unwritable output"): (
        lambda w: ["werkbladen", "-o", str(w.unwritable)], ["een-bestand", "-o"]),
    ("werkbladen", "bad course path"): (
        lambda w: ["werkbladen", "-o", str(w.tmp / "bladen"), "--course-root", str(w.missing)],
        ["bestaat-niet", "cursusrepository"]),
    ("werkbladen", "broken input"): (
        lambda w: ["werkbladen", "-o", str(w.tmp / "bladen"), "--alleen", "bestaat-niet"],
        ["onbekend werkblad", "bestaat-niet", "diagnosecanvas"]),
}


def _zip(w: World) -> Path:
    import zipfile

    path = w.tmp / "inzendingen.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Anna de Vries_1_assignsubmission_file_/ketenmeting.ipynb", "{}")
    return path


def _html(w: World) -> Path:
    html = w.tmp / "html"
    html.mkdir(exist_ok=True)
    from tests.support import booktext

    pages = ["index.html", *(f"{doc}.html" for doc in booktext.toc_files(w.repo))]
    for page in pages:
        (html / page).parent.mkdir(parents=True, exist_ok=True)
        (html / page).write_text("<!DOCTYPE html><html lang='nl'><title>x</title></html>",
                                 encoding="utf-8")
    return html


def _first_assignment(w: World) -> str:
    found = sorted((w.repo / "exercises" / "assignments").glob("*/assignment.yml"))
    return str(found[0].relative_to(w.repo))


def _no_repo(w: World) -> None:
    """Run outside any course repository: KETENCURSUS_ROOT names a directory without one."""
    import os

    os.environ["KETENCURSUS_ROOT"] = str(w.missing)


def _check(code: int, err: str, out: str, expected: list[str]) -> None:
    assert code == EXIT_USER_ERROR, (code, out, err)
    assert "Traceback" not in err + out
    lines = [line for line in err.splitlines() if line.startswith("Fout: ")]
    assert len(lines) == 1, err
    for word in expected:
        assert word in err, (word, err)


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: f"{c[0]}: {c[1]}")
def test_command_fails_with_a_dutch_message_and_exit_2(case, world, capsys):
    build, expected = CASES[case]
    args = build(world)
    code = cli.main(args)
    captured = capsys.readouterr()
    _check(code, captured.err, captured.out, expected)


COMMANDS = sorted({command for command, _ in CASES})


def test_every_command_of_the_cli_is_in_the_table():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    names = set(sub.choices)
    bank = sub.choices["bank"]
    bank_sub = next(a for a in bank._actions if a.dest == "bank_command")
    names = (names - {"bank"}) | {f"bank {name}" for name in bank_sub.choices}
    assert names == set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_the_installed_command_fails_cleanly_too(command, world):
    """Once per command through the real console script (a bad course path, or for the
    commands without one a broken input), as an instructor would run it."""
    situation = "bad course path" if (command, "bad course path") in CASES else "broken input"
    build, expected = CASES[(command, situation)]
    args = build(world)
    env = tool_env()
    import os

    env["KETENCURSUS_ROOT"] = os.environ["KETENCURSUS_ROOT"]
    proc = subprocess.run([str(VENV_BIN / "ketencursus"), *args], capture_output=True, text=True,
                          env=env, cwd=world.tmp, timeout=300)
    _check(proc.returncode, proc.stderr, proc.stdout, expected)


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "Exitcodes" in out
    for code in ("0  klaar", "1  klaar, maar", "2  niet gedaan"):
        assert code in out
