"""The strict build of the whole book, from a clean copy of the tree."""

from __future__ import annotations

import re

import pytest

from tests.support import booktext

pytestmark = pytest.mark.slow

SPHINX_WARNING = re.compile(r"(^|: )WARNING: ")
ENGLISH_INTERFACE = [
    "Search this book",
    "Launch interactive content",
    "Skip to main content",
    "Back to top",
    "Toggle primary sidebar",
    "Toggle secondary sidebar",
    "Link to this heading",
    "Color mode",
    "System Settings",
    'title="Light"',
    'title="Dark"',
    'aria-label="Main"',
    "Show code cell",
    "Link to this term",
    'title="previous page"',
    'title="next page"',
    'aria-label="Page"',
]


def test_strict_build_exits_zero_without_warnings(built_book):
    assert built_book.returncode == 0, built_book.log[-5000:]
    # Sphinx's own warnings ("file:line: WARNING: ..."); a kernel's log line such as
    # "[IPKernelApp] WARNING | ..." is not a build warning.
    warnings = [line for line in built_book.log.splitlines() if SPHINX_WARNING.search(line)]
    assert warnings == []
    assert "build succeeded" in built_book.log


def test_only_toc_pages_are_published(built_book, layout):
    expected = {f"{doc}.html" for doc in booktext.toc_files(layout.root)}
    expected |= {"index.html", "genindex.html", "search.html"}
    published = {
        str(p.relative_to(built_book.html)) for p in built_book.html.rglob("*.html")
        if p.parts[len(built_book.html.parts)] not in {"_static", "_sources", "_images"}
    }
    assert published == expected


def test_no_repository_internals_in_the_output(built_book):
    forbidden = re.compile(
        r"(^|/)(README|exercises|grader|tests|src|binder|\.venv|benchmarks)(/|\.|$)"
    )
    offenders = [
        str(p.relative_to(built_book.html)) for p in built_book.html.rglob("*")
        if forbidden.search(str(p.relative_to(built_book.html)))
    ]
    assert offenders == []


def test_interface_strings_are_dutch_on_every_page(built_book):
    for page in built_book.pages():
        html = page.read_text(encoding="utf-8")
        found = [s for s in ENGLISH_INTERFACE if s in html]
        assert found == [], f"{page.relative_to(built_book.html)}: {found}"
    chapter = (built_book.html / "book" / "h1_ketens.html").read_text(encoding="utf-8")
    assert "Zoek in dit boek" in chapter
    assert "Naar de hoofdinhoud" in chapter
    assert 'lang="nl"' in chapter


def test_every_chapter_page_lists_its_sources_and_objectives(built_book, layout):
    for doc in booktext.toc_files(layout.root):
        if not re.match(r"book/h\d+_", doc):
            continue
        html = (built_book.html / f"{doc}.html").read_text(encoding="utf-8")
        assert re.search(r'class="[^"]*\bleerdoelen\b[^"]*admonition', html), doc
        assert "footnote" in html, f"{doc}: geen bronnen in de bronnenlijst"
        assert "reflectie" in html, doc


def test_glossary_terms_link_to_the_glossary(built_book):
    chapter = (built_book.html / "book" / "h1_ketens.html").read_text(encoding="utf-8")
    assert re.search(r'href="woordenlijst.html#term-', chapter)


def test_bibliography_page_lists_every_reference(built_book, layout):
    html = (built_book.html / "book" / "literatuur.html").read_text(encoding="utf-8")
    keys = booktext.bib_keys(layout.book / "references.bib")
    entries = re.findall(r'<div class="citation" id="[^"]+" role="listitem">', html)
    assert len(entries) == len(keys)
    assert "Ketens de baas" in html
