"""The reflection pages in the strict book build: a labelled static example, instructions,
no dead widgets and no widget JavaScript, and no warnings from these pages."""

from __future__ import annotations

import re

import pytest

from ketencursus.reflection.notebooks import SPECS

pytestmark = pytest.mark.slow


def test_reflection_pages_build_without_warnings(built_book):
    ours = [line for line in built_book.log.splitlines()
            if "WARNING" in line and "reflectie" in line]
    assert ours == []


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.file)
def test_page_shows_a_labelled_static_example_and_no_widgets(spec, built_book):
    page = built_book.html / "book" / "reflectie" / spec.file.replace(".ipynb", ".html")
    html = page.read_text(encoding="utf-8")
    assert "VOORBEELD" in html and "verzonnen antwoorden" in html
    assert "Zo open je deze oefening" in html and "Binder" in html
    assert "widget-state+json" not in html and "widget-view+json" not in html
    assert "@jupyter-widgets/html-manager" not in html and "require.min.js" not in html
    assert "voorbeeld(" not in html  # the example's code cell is hidden, its output shown
    for img in re.findall(r"<img [^>]*>", html):
        if "data:image/png" in img:
            assert re.search(r"alt='Voorbeeld van een profiel[^']+'", img)


def test_cultuurscan_example_has_profile_chart_and_advice(built_book):
    html = (built_book.html / "book" / "reflectie" / "cultuurscan.html").read_text("utf-8")
    assert "data:image/png;base64" in html
    assert "Advies" in html and "hoofdstuk 2 „Weerstand bij opgelegde samenwerking”" in html


def test_chapters_link_to_the_built_reflection_pages(built_book):
    for spec in SPECS:
        chapter = built_book.html / "book" / spec.chapter_file.replace(".md", ".html")
        target = "reflectie/" + spec.file.replace(".ipynb", ".html")
        assert f'href="{target}' in chapter.read_text("utf-8"), spec.chapter_file
