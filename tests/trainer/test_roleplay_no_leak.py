"""No role card reaches learners: neither the built learner book (``_build/html``) nor the
student release contains a hidden interest of any role, or what a role may give away.

The same search finds every one of those texts in the instructor edition, where they belong:
that is the control that the search would see a leak."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from ketencursus.trainer import roleplay as rp
from tests.support.booktext import strings as _strings

ROOT = Path(__file__).resolve().parents[2]
TEXT_SUFFIXES = {".html", ".md", ".ipynb", ".py", ".txt", ".json", ".yml", ".yaml", ".js",
                 ".csv", ".xml", ".toml"}
NEEDLE_WORDS = 8  # a leaked card is found by the first eight words of each text


@pytest.fixture(scope="module")
def needles() -> list[str]:
    """The first words of every hidden interest and every "waar je ruimte hebt" text: long
    enough to be unique, short enough to catch a card that was only partly copied."""
    roleplays = rp.load_roleplays(ROOT / "exercises" / "rollenspel", ROOT / "book")
    texts = rp.secret_texts(roleplays)
    found = sorted({_normalise(" ".join(t.split()[:NEEDLE_WORDS])) for t in texts})
    assert len(found) == len(texts), "two secret texts start with the same eight words"
    return found


def _normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(re.findall(r"[^\W_]+(?:'[^\W_]+)?", text.casefold()))


def _readable(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        try:
            raw = "\n".join(_strings(json.loads(raw)))
        except json.JSONDecodeError:
            pass
    if path.suffix in {".html", ".ipynb", ".xml"}:
        raw = unescape(re.sub(r"<[^>]+>", " ", raw))
    return _normalise(raw)


def leaks(tree: Path, needles: list[str]) -> list[str]:
    """``file: needle`` for every needle found in a text file under ``tree``."""
    found = []
    files = [p for p in tree.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES]
    assert files, f"nothing to search in {tree}"
    for path in files:
        text = _readable(path)
        found += [f"{path.relative_to(tree)}: {needle}" for needle in needles if needle in text]
    return found


def test_the_search_finds_every_card_text_in_the_instructor_edition(docent_book, needles):
    assert docent_book.returncode == 0, docent_book.log[-3000:]
    pages = docent_book.html
    found = {line.split(": ", 1)[1] for line in leaks(pages, needles)}
    assert found == set(needles)


def test_no_role_card_text_is_in_the_built_learner_book(built_book, needles):
    assert built_book.returncode == 0, built_book.log[-3000:]
    assert leaks(built_book.html, needles) == []


def test_no_role_card_text_is_in_the_student_release(learner_release, needles):
    out = learner_release.out
    assert (out / "book").is_dir()
    assert not (out / "exercises").exists()
    assert not (out / "docent").exists()
    assert not (out / "src" / "ketencursus" / "trainer").exists()
    assert leaks(out, needles) == []
