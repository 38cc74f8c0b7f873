"""Every chapter page of the built book has one figure drawn at build time from a dot source
in the repository, with Dutch alt text and the figure described in words below it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from ketencursus.sphinxext.figures import FIGURE_CLASS, SUMMARY, TEXT_CLASS, is_dutch_description
from tests.support import booktext

pytestmark = pytest.mark.slow

CHAPTER = re.compile(r"^book/h\d+_")
class FigureScan(HTMLParser):
    """The chapter figures of a page: their images and the text version after each."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict] = []
        self._in_figure = 0
        self._details_depth = 0
        self._in_summary = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "figure" and FIGURE_CLASS in classes:
            self.figures.append({"images": [], "text": None, "summary": ""})
            self._in_figure = 1
        elif tag == "figure" and self._in_figure:
            self._in_figure += 1
        elif tag == "img" and self._in_figure:
            self.figures[-1]["images"].append(attrs)
        elif tag == "details" and TEXT_CLASS in classes and self.figures:
            self.figures[-1]["text"] = ""
            self._details_depth = 1
        elif tag == "details" and self._details_depth:
            self._details_depth += 1
        elif tag == "summary" and self._details_depth:
            self._in_summary = True

    def handle_endtag(self, tag):
        if tag == "figure" and self._in_figure:
            self._in_figure -= 1
        elif tag == "details" and self._details_depth:
            self._details_depth -= 1
        elif tag == "summary":
            self._in_summary = False

    def handle_data(self, data):
        if self._details_depth and self.figures:
            figure = self.figures[-1]
            if self._in_summary:
                figure["summary"] += data
            else:
                figure["text"] += data


def scan(html: str) -> list[dict]:
    parser = FigureScan()
    parser.feed(html)
    return parser.figures


@pytest.fixture(scope="module")
def chapter_figures(built_book, layout) -> dict[str, list[dict]]:
    pages = {}
    for doc in booktext.toc_files(layout.root):
        if CHAPTER.match(doc):
            html = (built_book.html / f"{doc}.html").read_text(encoding="utf-8")
            pages[doc] = scan(html)
    return pages


def test_every_chapter_has_one_figure_with_dutch_alt_and_a_text_version(
    chapter_figures, built_book
):
    problems = []
    for doc, figures in chapter_figures.items():
        if len(figures) != 1:
            problems.append(f"{doc}: {len(figures)} hoofdstukfiguren, verwacht precies één")
            continue
        figure = figures[0]
        images = figure["images"]
        if len(images) != 1 or "graphviz" not in (images[0].get("class") or ""):
            problems.append(f"{doc}: de figuur is geen tijdens de bouw getekende afbeelding")
            continue
        alt = images[0].get("alt") or ""
        if not is_dutch_description(alt):
            problems.append(f"{doc}: alt-tekst {alt!r} is geen Nederlandse beschrijving")
        src = images[0].get("src") or ""
        image = (built_book.html / doc).parent / src
        if not src.endswith(".png") or not image.is_file():
            problems.append(f"{doc}: afbeelding {src!r} ontbreekt in de uitvoer")
        elif image.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            problems.append(f"{doc}: {src!r} is geen PNG")
        if figure["summary"].strip() != SUMMARY:
            problems.append(f"{doc}: de tekstversie heet niet {SUMMARY!r}")
        words = re.findall(r"\w+", figure["text"] or "")
        if len(words) < 25:
            problems.append(f"{doc}: tekstversie van de figuur te kort ({len(words)} woorden)")
    assert problems == [], "\n".join(problems)


def test_figure_sources_are_text_files_in_the_repository(layout):
    sources = sorted((layout.book / "figuren").glob("*"))
    assert sources, "book/figuren/ heeft geen figuurbronnen"
    for path in sources:
        assert path.suffix == ".dot", f"{path.name}: alleen dot-bronnen, geen getekende bestanden"
        path.read_text(encoding="utf-8")  # text, not a binary drawing
