"""For the edition tests (PDF, ePub): per page of the book its title and a sentence of its
body, taken from the online build (not from the editions themselves)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from tests.support import booktext


@dataclass(frozen=True)
class PageText:
    docname: str
    title: str
    sentence: str


def normalise(text: str) -> str:
    """Text as a reader sees it: hyphenation at line ends undone, whitespace collapsed."""
    text = re.sub(r"[\u2010\u00ad]\s*\n\s*", "", text)
    text = text.replace("\u00ad", "")
    return " ".join(text.split())


def page_texts(root: Path, html: Path) -> list[PageText]:
    """Every page of ``_toc.yml``: its title and the first plain paragraph of its body."""
    pages = []
    for docname in booktext.toc_files(root):
        soup = BeautifulSoup((html / f"{docname}.html").read_text(encoding="utf-8"),
                             "html.parser")
        article = soup.select_one("article") or soup
        h1 = article.find("h1")
        assert h1 is not None, docname
        for link in h1.select("a.headerlink"):
            link.decompose()
        title = normalise(h1.get_text())
        title = re.sub(r"^\d+\.\s*", "", title)  # the chapter number is written by Sphinx
        sentence = ""
        for paragraph in article.find_all("p"):
            text = normalise(paragraph.get_text())
            if len(text) > 80 and paragraph.find_parent(["aside", "table", "details",
                                                         "form", "footer"]) is None:
                sentence = " ".join(text.split()[:9])
                break
        assert sentence, f"{docname}: geen alinea gevonden"
        pages.append(PageText(docname, title, sentence))
    return pages
