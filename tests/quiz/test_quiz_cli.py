"""The CLI of the assessment part: `bank validate` reports the bank and its coverage, a broken
question file gives exit code 2 and a Dutch message naming file, question and field, and
`assignments` refuses a directory that is not an nbgrader course."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.support import VENV_BIN, tool_env


def _cli(args, cwd, env=None):
    return subprocess.run([str(VENV_BIN / "ketencursus"), *args], cwd=cwd, capture_output=True,
                          text=True, env=env or tool_env(), timeout=300)


@pytest.fixture()
def repo_copy(layout, tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("_config.yml", "_toc.yml", "pyproject.toml"):
        shutil.copy(layout.root / name, root / name)
    shutil.copytree(layout.book, root / "book")
    shutil.copytree(layout.exercises, root / "exercises")
    (root / "grader").mkdir()
    shutil.copy(layout.grader / "nbgrader_config.py", root / "grader" / "nbgrader_config.py")
    return root


def _env(root):
    env = tool_env()
    env["KETENCURSUS_ROOT"] = str(root)
    return env


def test_bank_validate_strict_passes_on_the_real_bank_and_prints_the_guesser_figure(layout):
    proc = _cli(["bank", "validate", "--strict"], layout.root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Vragenbank volgens het schema in orde" in proc.stdout and "beoordeeld" in proc.stdout
    assert "Testwijze gokker" in proc.stdout
    assert "altijd de langste optie:" in proc.stdout and "altijd optie b:" in proc.stdout
    assert "TE HOOG" not in proc.stdout
    assert "Schrijfregels: in orde" in proc.stdout


def test_bank_validate_strict_reports_a_broken_item_rule_per_item_with_exit_1(repo_copy):
    path = repo_copy / "exercises" / "bank" / "h3.yml"
    text = path.read_text(encoding="utf-8")
    original = "text: Hij is onwillig en stelt de eigen organisatie bewust boven de keten."
    broken = text.replace(original, "text: Hij is altijd onwillig.", 1)
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    proc = _cli(["bank", "validate", "--strict"], repo_copy, _env(repo_copy))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "  h3-01:\n    FOUT [G28a] optie b bevat een absolute term (\"altijd\")" in proc.stdout
    assert "Niet in orde (--strict)" in proc.stdout
    lenient = _cli(["bank", "validate"], repo_copy, _env(repo_copy))
    assert lenient.returncode == 0


def test_broken_question_file_gives_dutch_message_with_file_question_and_field(repo_copy):
    path = repo_copy / "exercises" / "bank" / "h5.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    use: graded\n", "    use: geheim\n", 1), encoding="utf-8")
    proc = _cli(["bank", "validate"], repo_copy, _env(repo_copy))
    assert proc.returncode == 2
    assert "Fout: de vragenbank bevat fouten" in proc.stderr
    assert "h5.yml: vraag h5-01, veld 'use': moet een van deze waarden zijn" in proc.stderr


def test_export_refuses_a_broken_bank_and_writes_nothing(repo_copy, tmp_path):
    path = repo_copy / "exercises" / "bank" / "h2.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [\n", encoding="utf-8")
    target = tmp_path / "uit.xml"
    proc = _cli(["bank", "export", "--format", "moodle-xml", "-o", str(target)], repo_copy,
                _env(repo_copy))
    assert proc.returncode == 2
    assert "h2.yml: bestand is geen geldige YAML" in proc.stderr
    assert not target.exists()


def test_assignments_needs_an_nbgrader_course(repo_copy, tmp_path):
    proc = _cli(["assignments", "--course", str(tmp_path / "leeg")], repo_copy, _env(repo_copy))
    assert proc.returncode == 2
    assert "geen nbgrader-cursusmap" in proc.stderr


def test_assignments_writes_the_source_notebooks(repo_copy):
    proc = _cli(["assignments", "kennistoets"], repo_copy, _env(repo_copy))
    assert proc.returncode == 0, proc.stderr
    assert (repo_copy / "grader" / "source" / "kennistoets" / "kennistoets.ipynb").is_file()
    assert not (repo_copy / "grader" / "source" / "werkpleinen").exists()
