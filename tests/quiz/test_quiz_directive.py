"""The {quiz} directive in a fixture book: self-check items render as accessible native
forms with their JavaScript and CSS from the book itself; a graded item in the book fails the
build with a message naming it; the alignment table lists graded items without answers."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from ketencursus.quiz.bank import load_bank

from .conftest import FIXTURE_BOOK, build_fixture_book


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def page(quiz_book):
    return (quiz_book.html / "book" / "h9_proef.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tags(page):
    collector = Collector()
    collector.feed(page)
    return collector.tags


def test_fixture_book_builds_cleanly(quiz_book):
    assert quiz_book.returncode == 0
    assert "WARNING" not in quiz_book.log


def test_every_selfcheck_item_is_a_form_with_fieldset_legend_and_live_region(page, tags):
    forms = [a for t, a in tags if t == "form" and "kc-question" in a.get("class", "")]
    assert [f["id"] for f in forms] == ["kc-h9-01", "kc-h9-02", "kc-h9-03", "kc-h9-04"]
    assert page.count("<fieldset") == 4 and page.count("<legend>") == 4
    regions = [a for t, a in tags if a.get("role") == "status"]
    assert len(regions) == 4
    assert all(r.get("aria-live") == "polite" for r in regions)
    buttons = [a for t, a in tags if t == "button"
               and "kc-check" in a.get("class", "")]
    assert len(buttons) == 4 and all(b.get("type") == "submit" for b in buttons)


def test_every_input_has_a_label(tags):
    inputs = [a for t, a in tags if t == "input" and a.get("id", "").startswith("kc-")]
    labels = {a.get("for") for t, a in tags if t == "label"}
    assert inputs
    assert all(i["id"] in labels for i in inputs)
    kinds = {i["type"] for i in inputs}
    assert kinds == {"radio", "checkbox", "text"}


def test_quiz_script_and_style_come_from_the_book(quiz_book, page):
    assert re.search(r'<script defer="defer" src="\.\./_static/ketencursus-quiz\.js', page)
    assert re.search(r'href="\.\./_static/ketencursus-quiz\.css', page)
    assert (quiz_book.html / "_static" / "ketencursus-quiz.js").is_file()
    assert "https://" not in (quiz_book.html / "_static" / "ketencursus-quiz.js").read_text()


def test_items_carry_feedback_per_option_and_never_a_graded_item(page):
    payloads = [json.loads(m.replace("&quot;", '"').replace("&amp;", "&"))
                for m in re.findall(r'data-kc-item="([^"]+)"', page)]
    assert {p["id"] for p in payloads} == {"h9-01", "h9-02", "h9-03", "h9-04"}
    single = next(p for p in payloads if p["id"] == "h9-01")
    assert single["options"]["a"]["feedback"].startswith("Appel is fout")
    for secret in ("GEHEIME-FEEDBACK", "Geheim-optie", "Wat is het geheime antwoord"):
        assert secret not in page


def test_graded_item_in_the_book_fails_the_build(tmp_path):
    build = build_fixture_book(
        tmp_path / "boek",
        {"book/lek.md": "# Lek\n\n```{quiz}\n:items: h9-01 h9-05\n```\n"},
    )
    assert build.returncode != 0
    assert "h9-05" in build.log and "use: graded" in build.log
    leak = build.html / "book" / "lek.html"
    if leak.exists():
        assert "GEHEIME-FEEDBACK" not in leak.read_text(encoding="utf-8")


def test_alignment_table_lists_graded_items_without_their_answers(quiz_book):
    html = (quiz_book.html / "book" / "docent" / "afstemming.html").read_text(encoding="utf-8")
    bank = load_bank(FIXTURE_BOOK / "exercises" / "bank")
    assert "h9-05 Geheime beoordeelde vraag (herkennen)" in html
    assert "Leerdoelen zonder beoordeeld item: h9.1" in html
    assert "MISVATTING" not in html
    for question in bank.graded():
        for secret in question.answer_strings():
            assert secret not in html
        for option in question.options:
            assert option.text not in html


def test_alignment_table_flags_a_production_objective_assessed_by_recognition_alone(quiz_book):
    html = (quiz_book.html / "book" / "docent" / "afstemming.html").read_text(encoding="utf-8")
    assert "(vraagt om produceren)" in html
    assert ("Leerdoelen die om produceren vragen maar alleen met herkennen of berekenen "
            "worden getoetst: h9.3") in html
    assert "leerdoel h9.3 vraagt om iets te maken (afbakenen), maar wordt alleen met " \
        "herkennen getoetst" in html
    assert "2 beoordeelde items: 2 herkennen, 0 berekenen, 0 produceren" in html
