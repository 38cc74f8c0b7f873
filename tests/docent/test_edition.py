"""The instructor edition (``make docent``) as its own strictly built book."""

from __future__ import annotations

import yaml

from tests.support import ROOT


def test_edition_builds_strictly_without_warnings(docent_book):
    assert docent_book.returncode == 0, docent_book.log[-4000:]
    assert "WARNING" not in docent_book.log, docent_book.log[-4000:]
    assert "build succeeded" in docent_book.log


def test_alignment_page_lists_every_graded_item_by_id(docent_book, bank):
    text = docent_book.page("afstemming")
    assert "kc-alignment" in text
    for question in bank.graded():
        assert question.id in text
    assert "Leerdoelen zonder beoordeeld item" not in text


def test_objective_links_point_into_the_learner_book_next_to_the_edition(docent_book):
    # _build/docent/_build/html/afstemming.html -> _build/html/book/h1_ketens.html
    text = docent_book.page("afstemming")
    assert 'href="../../../html/book/h1_ketens.html#leerdoel-h1-1"' in text
    target = (docent_book.html / "../../../html/book/h1_ketens.html").resolve()
    assert target == (docent_book.work / "_build" / "html" / "book" / "h1_ketens.html")


def test_learner_book_no_longer_lists_instructor_pages():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert "docent" not in toc
    assert not (ROOT / "book" / "docent").exists()
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "docent" in config["exclude_patterns"]
