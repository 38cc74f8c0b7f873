"""The learner release of THIS repository holds no solution, no hidden test and no answer of
a graded bank item: every such text of the instructor sources is searched for in every file
of the tree. The extraction here is written independently of the release code's own scan."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ketencursus.publish.secrets import is_distinctive

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = ROOT / "exercises" / "assignments"
BANK = ROOT / "exercises" / "bank"
BLOCK = re.compile(
    r"### BEGIN (SOLUTION|HIDDEN TESTS)\s*\n(.*?)### END \1", re.DOTALL
)

pytestmark = pytest.mark.slow


def _strings_under_solution(data, inside=False):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings_under_solution(value, inside or key == "solution")
    elif isinstance(data, list):
        for value in data:
            yield from _strings_under_solution(value, inside)
    elif isinstance(data, str) and inside:
        yield data


@pytest.fixture(scope="module")
def source_notebooks(tmp_path_factory) -> list[Path]:
    """The nbgrader source notebooks, generated from exercises/ into a scratch course."""
    if not any(ASSIGNMENTS.glob("*/")):
        return []
    course = tmp_path_factory.mktemp("bron")
    (course / "nbgrader_config.py").write_text((ROOT / "grader" / "nbgrader_config.py").read_text())
    subprocess.run([sys.executable, "-m", "ketencursus.cli", "assignments", "--course",
                    str(course)], cwd=ROOT, check=True, capture_output=True)
    return sorted((course / "source").rglob("*.ipynb"))


@pytest.fixture(scope="module")
def solution_texts(source_notebooks) -> dict[str, str]:
    """Every distinctive line of every solution and hidden test, with where it comes from."""
    texts: dict[str, str] = {}
    for spec in sorted(ASSIGNMENTS.glob("*/*.y*ml")):
        for block in _strings_under_solution(yaml.safe_load(spec.read_text())):
            for line in block.splitlines():
                texts.setdefault(" ".join(line.split()), f"{spec.parent.name}: solution")
    for notebook in source_notebooks:
        for cell in json.loads(notebook.read_text())["cells"]:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for kind, block in BLOCK.findall(source):
                for line in block.splitlines():
                    texts.setdefault(" ".join(line.split()), f"{notebook.name}: {kind}")
    return {t: origin for t, origin in texts.items() if is_distinctive(t)}


@pytest.fixture(scope="module")
def graded_answers() -> list[tuple[str, str, str]]:
    """(kind, text, question id) of every answer of a graded item: the option feedback, the
    correct-answer feedback and explanations (they say which answer is right) and the answer
    keys."""
    found = []
    for path in sorted(BANK.glob("*.yml")):
        for item in yaml.safe_load(path.read_text()).get("questions", []):
            if item.get("use") != "graded":
                continue
            qid = item["id"]
            for option in item.get("options", []):
                found.append(("feedback", option["feedback"], qid))
                if option["correct"]:
                    found.append(("key", f'"{option["id"]}"', qid))
            # feedback["incorrect"] is the hint in the test cell's metadata (method, not value)
            if (item.get("feedback") or {}).get("correct"):
                found.append(("feedback", item["feedback"]["correct"], qid))
            if item.get("explanation"):
                found.append(("feedback", item["explanation"], qid))
            if "answer" in item:
                found.append(("key", repr(float(item["answer"])), qid))
            for accepted in item.get("accepted", []):
                found.append(("key", json.dumps(accepted, ensure_ascii=False), qid))
    return found


def _tree_texts(tree: Path) -> dict[str, str]:
    texts = {}
    for path in sorted(tree.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix == ".ipynb":
            cells = json.loads(raw)["cells"]
            raw += "\n" + "\n".join(
                "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in cells
            )
        texts[path.relative_to(tree).as_posix()] = " ".join(raw.split())
    return texts


def test_release_has_every_assignment_without_markers(learner_release):
    expected = sorted(p.name for p in ASSIGNMENTS.glob("*") if p.is_dir())
    assert learner_release.assignments == expected
    for notebook in (learner_release.out / "opdrachten").rglob("*.ipynb"):
        text = notebook.read_text()
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, notebook


def test_release_contains_no_instructor_directories(learner_release):
    out = learner_release.out
    assert not (out / "exercises").exists()
    assert not (out / "grader").exists()
    assert not (out / "book" / "docent").exists()
    assert not (out / "src" / "ketencursus" / "quiz").exists()
    assert not (out / "src" / "ketencursus" / "grading").exists()


def test_no_solution_or_hidden_test_text_anywhere_in_the_release(learner_release,
                                                                 solution_texts):
    texts = _tree_texts(learner_release.out)
    leaks = [f"{path}: {origin}: {needle}" for needle, origin in solution_texts.items()
             for path, text in texts.items() if needle in text]
    assert leaks == []


def test_no_graded_answer_anywhere_in_the_release(learner_release, graded_answers):
    texts = _tree_texts(learner_release.out)
    leaks = []
    for kind, answer, qid in graded_answers:
        if kind == "feedback":
            needle = " ".join(answer.split())
            leaks += [f"{path}: {qid}: {needle}" for path, text in texts.items() if needle in text]
        else:
            # an answer key gives the answer away next to the item's variable
            var = "antwoord_" + qid.replace("-", "_")
            pattern = re.compile(rf"\b{var}\b\s*(=|==|,)\s*[\[(]?\s*{re.escape(answer)}")
            leaks += [f"{path}: {qid}: {var} … {answer}" for path, text in texts.items()
                      if pattern.search(text)]
    assert leaks == []


def test_search_texts_are_real_texts_of_the_instructor_sources(solution_texts, graded_answers,
                                                               source_notebooks):
    """The searches above are not vacuous: there are solutions and graded answers, and every
    searched line occurs in a source notebook or assignment spec."""
    assert solution_texts, "geen uitwerkingen gevonden in exercises/assignments"
    assert graded_answers, "geen nagekeken vragen gevonden in exercises/bank"
    sources = " ".join(
        " ".join(p.read_text().split())
        for p in [*source_notebooks, *ASSIGNMENTS.glob("*/*.y*ml")]
    )
    sources += " ".join(
        " ".join("".join(c["source"]).split())
        for nb in source_notebooks for c in json.loads(nb.read_text())["cells"]
    )
    missing = [t for t in solution_texts if t not in sources]
    assert missing == []
