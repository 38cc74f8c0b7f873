"""The whole book (one clean strict build per session): every chapter ends with its
self-check quiz, and no answer, feedback or text of a graded item appears anywhere in
_build/html (pages, search index, static files). The alignment table is in the instructor
edition (tests/docent/)."""

from __future__ import annotations

import html
import re

import pytest

from ketencursus.objectives import read_objectives
from ketencursus.quiz.bank import load_bank
from ketencursus.quiz.render import inline_html

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bank(layout):
    return load_bank(layout.exercises / "bank", read_objectives(layout.book))


def _normalised(text: str) -> str:
    text = html.unescape(html.unescape(text))
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = text.replace('\\"', '"')
    return " ".join(text.split())


@pytest.fixture(scope="module")
def published(built_book) -> str:
    files = [p for p in built_book.html.rglob("*") if p.is_file()
             and p.suffix in {".html", ".js", ".json", ".txt", ".md", ".ipynb", ".inv"}]
    assert files
    return _normalised("\n".join(p.read_text(encoding="utf-8", errors="replace")
                                 for p in files if p.suffix != ".inv"))


def test_every_chapter_has_its_selfcheck_quiz(built_book, bank):
    for chapter in bank.chapters():
        (page,) = (built_book.html / "book").glob(f"{chapter}_*.html")
        text = page.read_text(encoding="utf-8")
        found = re.findall(r'<form class="kc-question" id="kc-([^"]+)"', text)
        assert found == [q.id for q in bank.selfcheck(chapter)], chapter
        assert text.index('id="zelftoets"') < text.index('id="reflectie"')


def test_no_graded_item_answer_or_text_is_published(published, bank):
    leaks = []
    for question in bank.graded():
        secrets = [s for s in question.answer_strings() if len(s) >= 12]
        secrets += [question.question] if len(question.question) >= 30 else []
        secrets += [o.text for o in question.options if len(o.text) >= 30]
        for secret in secrets:
            if _normalised(secret.replace("*", "")) in published.replace("*", ""):
                leaks.append((question.id, secret[:60]))
    assert leaks == []


def test_selfcheck_feedback_is_published(published, bank):
    # The check above would be meaningless if the normalisation hid everything.
    question = bank.selfcheck("h4")[0]
    assert _normalised(inline_html(question.options[0].feedback)) in published
