"""No instructor material reaches learners: neither the learner book (``_build/html`` of the
root book) nor the student release holds a sentence of the instructor edition.

Searched for: every sentence of the edition's own pages (the handleiding, the timetable, the
peer-review and follow-up pages, the alignment page), of the trainer's data (timetable, form,
role plays), the misconception notes of the bank, the model answers of the graded tasks, the
answer feedback and explanations of the graded bank items, and the instructor-only line of
every rubric's rendering. The learner book and the release come from the session fixtures
that other tests use too (``built_book``, ``learner_release``): no extra build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ketencursus.paths import ProjectLayout
from ketencursus.publish import secrets
from ketencursus.publish.release import ReleaseError, build_student_release
from tests.support import ROOT
from tests.support.docent import comparable, html_text, instructor_needles

pytestmark = pytest.mark.slow

TEXT_SUFFIXES = {".html", ".js", ".json", ".txt", ".md", ".ipynb", ".py", ".yml", ".yaml",
                 ".csv", ".xml", ".toml"}


@pytest.fixture(scope="module")
def needles(layout) -> dict[str, str]:
    return instructor_needles(layout)


def _text_files(tree: Path):
    for path in sorted(tree.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES and ".git" not in path.parts:
            yield path


def _haystack(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        return html_text(raw)
    if path.suffix == ".ipynb":
        try:
            cells = json.loads(raw).get("cells", [])
            raw = "\n".join("".join(c.get("source", "")) for c in cells) + "\n" + raw
        except json.JSONDecodeError:
            pass
    if path.suffix in {".md", ".ipynb"}:
        return comparable(raw) + " " + comparable(secrets.markdown_prose(raw))
    return comparable(raw)


def _leaks(tree: Path, needles: dict[str, str]) -> list[str]:
    found = []
    for path in _text_files(tree):
        text = _haystack(path)
        found += [f"{path.relative_to(tree)}: {origin}: {needle[:70]}"
                  for needle, origin in needles.items() if needle in text]
    return found


def test_the_search_finds_the_edition_s_text_in_the_edition_itself(docent_book, needles):
    # Without this, an empty result below could mean the normalisation hides everything.
    edition = " ".join(_haystack(p) for p in docent_book.pages())
    pages = {n: o for n, o in needles.items() if o.startswith("docenteneditie")}
    missing = [n for n in pages if n not in edition]
    assert len(pages) > 300
    assert len(missing) <= len(pages) // 50, missing[:10]
    answers = [n for n, o in needles.items() if o.startswith(("modelantwoord", "beoordelings"))]
    assert answers and all(n in edition for n in answers)


def test_learner_book_holds_no_instructor_text(built_book, needles):
    assert built_book.returncode == 0, built_book.log[-3000:]
    assert not (built_book.html / "docent").exists()
    assert not list(built_book.html.rglob("afstemming*"))
    leaks = _leaks(built_book.html, needles)
    assert not leaks, "\n".join(leaks)


def test_student_release_holds_no_instructor_text(learner_release, needles):
    assert not (learner_release.out / "docent").exists()
    assert not any(f.startswith(("docent/", "book/docent/")) for f in learner_release.files)
    assert not (learner_release.out / "src" / "ketencursus" / "trainer").exists()
    leaks = _leaks(learner_release.out, needles)
    assert not leaks, "\n".join(leaks)


def test_the_release_refuses_a_sentence_of_the_handleiding_copied_into_the_book(tmp_path):
    sentence = ("Laat deelnemers uit verschillende ketens eerst elkaars zaak afbakenen voordat "
                "ze hun eigen zaak bespreken.")
    root = tmp_path / "repo"
    (root / "docent").mkdir(parents=True)
    (root / "docent" / "handleiding.md").write_text(f"# Handleiding\n\n{sentence}\n",
                                                    encoding="utf-8")
    (root / "book").mkdir()
    (root / "book" / "index.md").write_text(f"# Welkom\n\nTip: {sentence}\n", encoding="utf-8")
    shutil.copytree(ROOT / "binder", root / "binder")
    (root / "src" / "ketencursus").mkdir(parents=True)
    (root / "src" / "ketencursus" / "__init__.py").write_text("")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/index\n")
    (root / "_config.yml").write_text("title: t\n")
    with pytest.raises(ReleaseError, match=r"book/index.md: bevat geheime tekst uit "
                                           r"docenteneditie handleiding.md"):
        build_student_release(ProjectLayout(root), tmp_path / "leerling")
    assert not (tmp_path / "leerling").exists()


def test_the_release_refuses_a_hidden_interest_of_a_role_card(tmp_path):
    from ketencursus.trainer.roleplay import load_roleplays, secret_texts

    hidden = secret_texts(load_roleplays(ROOT / "exercises" / "rollenspel", ROOT / "book"))[0]
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "book", root / "book",
                    ignore=shutil.ignore_patterns("_build", ".jupyter_cache"))
    shutil.copytree(ROOT / "exercises" / "rollenspel", root / "exercises" / "rollenspel")
    index = root / "book" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + f"\n\nUit een rolkaart: {hidden}\n",
                     encoding="utf-8")
    shutil.copytree(ROOT / "binder", root / "binder")
    (root / "src" / "ketencursus").mkdir(parents=True)
    (root / "src" / "ketencursus" / "__init__.py").write_text("")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/index\n")
    (root / "_config.yml").write_text("title: t\n")
    with pytest.raises(ReleaseError, match=r"book/index.md: bevat geheime tekst uit "
                                           r"rollenspel \(rolkaart\)"):
        build_student_release(ProjectLayout(root), tmp_path / "leerling")
