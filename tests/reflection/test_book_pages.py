"""The reflection pages in the strict book build: the working form (no static example),
instructions for the notebook version, no dead widgets or widget JavaScript, and no warnings
from these pages."""

from __future__ import annotations

import pytest

from ketencursus.reflection.notebooks import SPECS

pytestmark = pytest.mark.slow


def test_reflection_pages_build_without_warnings(built_book):
    ours = [line for line in built_book.log.splitlines()
            if "WARNING" in line and "reflectie" in line]
    assert ours == []


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.file)
def test_page_has_the_working_form_instead_of_a_static_example_and_no_widgets(spec, built_book):
    page = built_book.html / "book" / "reflectie" / spec.file.replace(".ipynb", ".html")
    html = page.read_text(encoding="utf-8")
    assert f"data-kc-exercise='{spec.exercise_id}'" in html and "kc-rf-definities" in html
    assert "VOORBEELD" not in html and "verzonnen antwoorden" not in html
    assert "Werken in een notebook" in html and "Binder" in html
    assert "alleen op dit apparaat en in deze browser" in html
    assert "ketencursus-reflectie.js" in html
    assert "widget-state+json" not in html and "widget-view+json" not in html
    assert "@jupyter-widgets/html-manager" not in html and "require.min.js" not in html
    assert "formulier(" not in html  # the form's code cell is hidden, its output shown


def test_chapters_link_to_the_built_reflection_pages(built_book):
    for spec in SPECS:
        chapter = built_book.html / "book" / spec.chapter_file.replace(".md", ".html")
        target = "reflectie/" + spec.file.replace(".ipynb", ".html")
        assert f'href="{target}' in chapter.read_text("utf-8"), spec.chapter_file
