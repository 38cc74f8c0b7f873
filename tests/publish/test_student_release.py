"""``ketencursus student-release``: the learner tree holds what learners may see, nothing else."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from ketencursus.cli import main
from ketencursus.paths import ProjectLayout
from ketencursus.publish import secrets
from ketencursus.publish.release import (
    MANIFEST,
    ReleaseError,
    build_student_release,
    launch_repository,
    launch_target_warning,
)

ROOT = Path(__file__).resolve().parents[2]

SOLUTION_LINE = "antwoord_doorlooptijd = float(zaken['doorlooptijd'].mean())"
HIDDEN_LINE = "check_number(antwoord_doorlooptijd, 12.75, abs_tol=0.01)"
GRADED_FEEDBACK = "Goed: de zaak begint bij de aangifte en eindigt bij de terugmelding."


def _notebook(cells: list[dict]) -> dict:
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _code(source: str, **nbgrader) -> dict:
    return {"cell_type": "code", "execution_count": None, "outputs": [], "source": source,
            "metadata": {"nbgrader": nbgrader} if nbgrader else {}}


def _markdown(source: str, **nbgrader) -> dict:
    return {"cell_type": "markdown", "source": source,
            "metadata": {"nbgrader": nbgrader} if nbgrader else {}}


@pytest.fixture
def course(tmp_path) -> ProjectLayout:
    """A small instructor repository: book with an instructor page, binder, package, a
    released assignment, its source with solution and hidden test, and a graded bank item."""
    root = tmp_path / "docent"
    (root / "book" / "docent").mkdir(parents=True)
    (root / "book" / "casussen").mkdir()
    (root / "book" / "index.md").write_text("# Welkom\n")
    (root / "book" / "docent" / "afstemming.md").write_text("# Afstemming (docenten)\n")
    (root / "book" / "casussen" / "loonaangifteketen.ipynb").write_text(
        json.dumps(_notebook([_markdown("# Loonaangifteketen")]))
    )
    (root / "book" / "_build").mkdir()
    (root / "book" / "_build" / "oud.html").write_text("oud")
    shutil.copytree(ROOT / "binder", root / "binder")
    pkg = root / "src" / "ketencursus"
    for sub in ("cases", "reflection", "grading", "quiz", "sphinxext", "publish"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text(f'"""{sub}"""\n')
    (pkg / "__init__.py").write_text("")
    (pkg / "checks.py").write_text("def check_number(x, expected, abs_tol=0):\n    pass\n")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/index\n")
    (root / "_config.yml").write_text(
        "title: t\nrepository:\n  url: https://example.org/org/leerling\n  branch: leerling\n"
    )
    (root / "grader").mkdir()
    (root / "grader" / "nbgrader_config.py").write_text("c = get_config()\n")
    release = root / "grader" / "release" / "analyse"
    release.mkdir(parents=True)
    (release / "analyse.ipynb").write_text(json.dumps(_notebook([
        _markdown("Bereken de gemiddelde doorlooptijd (float, dagen)."),
        _code("# VUL HIER JE CODE IN\nraise NotImplementedError()", solution=True,
              grade=False, grade_id="antwoord"),
        _code("# verborgen test", grade=True, solution=False, grade_id="test", points=2),
    ])))
    source = root / "grader" / "source" / "analyse"
    source.mkdir(parents=True)
    (source / "analyse.ipynb").write_text(json.dumps(_notebook([
        _code("import pandas as pd\n### BEGIN SOLUTION\n" + SOLUTION_LINE
              + "\n### END SOLUTION", solution=True, grade=False, grade_id="antwoord"),
        _code("# verborgen test\n### BEGIN HIDDEN TESTS\n" + HIDDEN_LINE
              + "\n### END HIDDEN TESTS", grade=True, solution=False, grade_id="test"),
        _markdown("De ketenpartners werken langs elkaar heen door eigen gewoonten.",
                  solution=True, grade=True, grade_id="reflectie"),
    ])))
    (root / "exercises" / "bank").mkdir(parents=True)
    (root / "exercises" / "bank" / "h4.yml").write_text(yaml.safe_dump({
        "schema_version": 1, "chapter": "h4", "questions": [
            {"id": "h4-01", "title": "Begin van de zaak", "objective": "h4.1",
             "type": "single", "use": "graded", "points": 1, "question": "Waar begint de zaak?",
             "options": [
                 {"id": "a", "text": "Bij de aangifte", "correct": True,
                  "feedback": GRADED_FEEDBACK},
                 {"id": "b", "text": "Bij de controle", "correct": False,
                  "feedback": "Nee, de controle is een tussenstap in de keten."},
             ]},
            {"id": "h4-02", "title": "Zelftoets", "objective": "h4.1", "type": "numeric",
             "use": "selfcheck", "points": 1, "question": "Hoeveel?", "answer": 3.0,
             "tolerance": 0, "feedback": {"correct": "Dat klopt helemaal, drie stappen.",
                                          "incorrect": "Tel de stappen nog eens na."}},
        ]}))
    return ProjectLayout(root)


def test_release_holds_learner_material_and_no_instructor_parts(course, tmp_path):
    out = tmp_path / "leerling"
    report = build_student_release(course, out)
    files = set(report.files)
    assert "book/index.md" in files
    assert "book/casussen/loonaangifteketen.ipynb" in files
    assert "opdrachten/analyse/analyse.ipynb" in files
    assert {"binder/requirements.txt", "binder/postBuild", "pyproject.toml", "README.md"} <= files
    assert "src/ketencursus/checks.py" in files
    assert "src/ketencursus/cases/__init__.py" in files
    assert not any(f.startswith("book/docent/") for f in files)
    assert not any(f.startswith("book/_build/") for f in files)
    for sub in ("grading", "quiz", "sphinxext", "publish"):
        assert not (out / "src" / "ketencursus" / sub).exists()
    assert not (out / "exercises").exists() and not (out / "grader").exists()
    assert report.assignments == ["analyse"]
    assert "Opdrachten: analyse" in report.summary()
    assert "https://example.org/org/leerling (branch leerling)" in report.summary()
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest["files"] + [MANIFEST]) == sorted(files)


def test_release_refuses_a_tree_that_would_leak_a_graded_answer(course, tmp_path):
    page = course.book / "h4.md"
    page.write_text(f"# De zaak\n\nUitleg: {GRADED_FEEDBACK}\n")
    out = tmp_path / "leerling"
    with pytest.raises(ReleaseError) as err:
        build_student_release(course, out)
    assert "book/h4.md" in str(err.value) and "h4-01" in str(err.value)
    assert not out.exists(), "nothing may be written when a secret would leak"


def test_release_refuses_a_tree_that_would_leak_a_hidden_test(course, tmp_path):
    notebook = course.grader / "release" / "analyse" / "analyse.ipynb"
    nb = json.loads(notebook.read_text())
    nb["cells"].append(_code(HIDDEN_LINE))
    notebook.write_text(json.dumps(nb))
    with pytest.raises(ReleaseError, match="opdrachten/analyse/analyse.ipynb"):
        build_student_release(course, tmp_path / "leerling")


def test_release_refuses_a_model_answer_in_a_markdown_solution_cell(course, tmp_path):
    (course.book / "tip.md").write_text(
        "# Tip\n\nDe ketenpartners werken langs elkaar heen door eigen gewoonten.\n"
    )
    with pytest.raises(ReleaseError, match="book/tip.md"):
        build_student_release(course, tmp_path / "leerling")


def test_selfcheck_answers_may_appear_in_the_book(course, tmp_path):
    (course.book / "zelftoets.md").write_text("Dat klopt helemaal, drie stappen.\n")
    report = build_student_release(course, tmp_path / "leerling")
    assert "book/zelftoets.md" in report.files


def test_release_refuses_a_non_empty_directory_that_is_no_release(course, tmp_path):
    out = tmp_path / "iets"
    out.mkdir()
    (out / "mijn-werk.txt").write_text("belangrijk")
    with pytest.raises(ReleaseError, match="niet leeg"):
        build_student_release(course, out)
    assert (out / "mijn-werk.txt").read_text() == "belangrijk"


def test_release_refuses_to_write_inside_the_instructor_repository(course):
    with pytest.raises(ReleaseError, match="docentenrepository"):
        build_student_release(course, course.root / "leerling")


def test_second_release_replaces_its_own_files_and_keeps_others(course, tmp_path):
    out = tmp_path / "kloon"
    (out / ".git").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    build_student_release(course, out)
    (out / "LICENSE").write_text("licentie van de docent")
    (course.book / "casussen" / "loonaangifteketen.ipynb").unlink()
    report = build_student_release(course, out)
    assert not (out / "book" / "casussen").exists()
    assert (out / "LICENSE").read_text() == "licentie van de docent"
    assert (out / ".git" / "HEAD").is_file()
    assert report.kept == ["LICENSE"]


def test_cli_reports_errors_in_dutch(course, tmp_path, capsys):
    out = tmp_path / "iets"
    out.mkdir()
    (out / "x").write_text("")
    code = main(["student-release", "-o", str(out), "--course-root", str(course.root)])
    assert code == 2
    assert "Fout: De map" in capsys.readouterr().err


def test_cli_writes_release(course, tmp_path, capsys):
    out = tmp_path / "leerling"
    assert main(["student-release", "-o", str(out), "--course-root", str(course.root)]) == 0
    assert "Leerlingenversie geschreven" in capsys.readouterr().out
    assert (out / "opdrachten" / "analyse" / "analyse.ipynb").is_file()


def test_launch_buttons_are_configured_in_config(course):
    assert launch_repository(course) == ("https://example.org/org/leerling", "leerling")


def test_assignment_secrets_skip_lines_that_are_public_elsewhere(tmp_path):
    src = tmp_path / "bron.py"
    src.write_text(
        "import pandas as pd\n### BEGIN SOLUTION\nimport pandas as pd\n"
        "resultaat = zaken.groupby('maand').size()\n### END SOLUTION\n"
    )
    found = {s.text for s in secrets.assignment_secrets(tmp_path)}
    assert found == {"resultaat = zaken.groupby('maand').size()"}


def test_answer_key_is_found_in_code_but_not_in_prose(tmp_path):
    key = secrets.Secret("h4-03|12.5", "h4.yml", scope="code")
    (tmp_path / "a.ipynb").write_text(json.dumps(_notebook([
        _markdown("Het antwoord_h4_03 is een getal zoals 12.5 dagen."),
        _code("antwoord_h4_03 = None  # vul in"),
    ])))
    assert secrets.scan_tree(tmp_path, [key]) == []
    (tmp_path / "b.py").write_text("check_number(antwoord_h4_03, 12.5, abs_tol=0.1)\n")
    assert [leak.path for leak in secrets.scan_tree(tmp_path, [key])] == ["b.py"]


def test_solutions_in_yaml_assignment_specs_are_secret(tmp_path):
    (tmp_path / "assignment.yml").write_text(yaml.safe_dump({"cells": [
        {"code": "import pandas as pd\ndata = generate_loonaangifte()\n"},
        {"item": {"id": "la-01", "prompt": "Hoeveel zaken hebben een tijdvak in 2007?",
                  "solution": "import pandas as pd\njaar = zaken['tijdvak'].dt.year\n"
                              "antwoord_aantal = int((jaar == 2007).sum())\n"}},
    ]}))
    found = {s.text for s in secrets.assignment_secrets(tmp_path)}
    assert found == {
        "jaar = zaken['tijdvak'].dt.year", "antwoord_aantal = int((jaar == 2007).sum())"
    }


def test_release_warns_when_launch_buttons_point_at_the_instructor_repository(course):
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=course.root, check=True)
    subprocess.run(["git", "remote", "add", "origin", "git@example.org:org/leerling.git"],
                   cwd=course.root, check=True)
    warning = launch_target_warning(course)
    assert warning is not None and "docentenrepository" in warning
    subprocess.run(["git", "remote", "set-url", "origin", "https://example.org/org/docent"],
                   cwd=course.root, check=True)
    assert launch_target_warning(course) is None


def test_size_of_a_directory_counts_files_not_links(tmp_path):
    from tests.support.binderenv import size_mb

    (tmp_path / "a").write_bytes(b"x" * 1_500_000)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_bytes(b"x" * 500_000)
    (tmp_path / "link").symlink_to(tmp_path / "a")
    assert size_mb(tmp_path) == 2.0
