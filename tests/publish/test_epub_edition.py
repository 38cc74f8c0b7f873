"""The ePub edition (``make edities``): EPUB 3 that epubcheck accepts without errors, in
Dutch, with a cover, a table of contents, the text and figures of every page, the
self-checks' answer keys and the pointers to the online book; and the online book that
serves both editions links to them, while a book built without them shows no link."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from bs4 import BeautifulSoup

from ketencursus.sphinxext.editions import KEY_TITLE
from tests.support import ROOT
from tests.support.editions import normalise, page_texts

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


@pytest.fixture(scope="module")
def epub(editions) -> zipfile.ZipFile:
    with zipfile.ZipFile(editions.epub) as archive:
        yield archive


def _page(archive: zipfile.ZipFile, docname: str) -> str:
    return archive.read(f"{docname}.xhtml").decode("utf-8")


def test_epubcheck_finds_no_errors(editions):
    if not EPUBCHECK.is_file():
        pytest.fail("epubcheck ontbreekt: apt-get install epubcheck (requirements/debian-test.txt)")
    proc = subprocess.run(["java", "-jar", str(EPUBCHECK), str(editions.epub)],
                          capture_output=True, text=True)
    report = proc.stdout + proc.stderr
    counts = re.search(r"Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings?", report)
    assert counts, report[-2000:]
    fatals, errors, warnings = map(int, counts.groups())
    print(f"epubcheck: {fatals} fatal, {errors} errors, {warnings} warnings")  # warnings: report
    assert (fatals, errors) == (0, 0), report[-4000:]
    assert proc.returncode == 0


def test_the_epub_is_dutch_with_title_cover_and_table_of_contents(epub):
    opf = epub.read("content.opf").decode("utf-8")
    assert 'version="3.0"' in opf
    assert "<dc:language>nl</dc:language>" in opf
    assert "Ketens de baas in de praktijk" in opf
    # the cover as Sphinx declares it (EPUB 2's cover meta, which EPUB 3 keeps and readers use)
    cover = re.search(r'<meta name="cover" content="([^"]+)"', opf)
    assert cover and re.search(rf'<item id="{cover.group(1)}" href="_static/omslag.png"', opf)
    assert epub.read("_static/omslag.png")[:4] == b"\x89PNG"
    nav = epub.read("nav.xhtml").decode("utf-8")
    for chapter in ("Ketens en ketensturing", "Casus: de loonaangifteketen", "Woordenlijst"):
        assert chapter in nav, chapter
    # every page of _toc.yml, in the book's order, after the start page (nav.xhtml and toc.ncx)
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    expected = [f"{page}.xhtml" for page in pages]
    nav_links = [h.split("#")[0] for h in re.findall(r'<a href="([^"]+)"', nav)]
    assert list(dict.fromkeys(nav_links)) == expected
    ncx = epub.read("toc.ncx").decode("utf-8")
    ncx_links = [h.split("#")[0] for h in re.findall(r'<content src="([^"]+)"', ncx)]
    assert list(dict.fromkeys(ncx_links)) == expected


def test_every_page_of_the_book_is_in_the_epub_with_its_text(editions, epub):
    for page in page_texts(ROOT, editions.html):
        soup = BeautifulSoup(_page(epub, page.docname), "html.parser")
        text = normalise(soup.get_text())
        assert page.title in text and page.sentence in text, page.docname


def test_the_figures_and_the_case_plots_are_in_the_epub(epub):
    images = [n for n in epub.namelist() if n.startswith("_images/") and n.endswith(".png")]
    assert len([n for n in images if "graphviz-" in n]) >= 7
    case = _page(epub, "book/casussen/loonaangifteketen")
    plots = re.findall(r'<img[^>]+src="([^"]+\.png)"', case)
    assert len(plots) >= 3
    for src in plots:
        target = re.sub(r"^(\.\./)+", "", src)
        assert target in epub.namelist(), src


def test_self_checks_have_their_key_and_forms_a_pointer_in_the_epub(epub):
    chapter = _page(epub, "book/h4_de_zaak")
    heading = chapter.index('id="antwoorden-bij-de-zelftoets"')
    assert heading > chapter.index("Vraag 1.")
    assert KEY_TITLE in chapter[heading:heading + 300]
    assert "<form" not in chapter
    reflection = _page(epub, "book/reflectie/cultuurscan")
    assert "Invulformulier: alleen online" in reflection
    assert "https://" in reflection and "book/reflectie/cultuurscan.html" in reflection
    assert "<script" not in reflection


def _download_links(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [str(a["href"]) for a in soup.select(".kc-edities a[href], .kc-edities-footer a[href]")]


def test_the_online_book_links_to_both_editions_and_serves_them(editions):
    for page in (editions.html / "book" / "index.html", editions.html / "book" / "h4_de_zaak.html",
                 editions.html / "search.html"):
        links = _download_links(page)
        assert any(h.endswith("ketencursus.pdf") for h in links), page
        assert any(h.endswith("ketencursus.epub") for h in links), page
        for href in links:
            target = (page.parent / unquote(href)).resolve()
            assert target in (editions.pdf.resolve(), editions.epub.resolve()), href


def test_a_book_built_without_the_editions_shows_no_download_link(built_book):
    for page in (built_book.html / "book" / "index.html", built_book.html / "search.html"):
        assert _download_links(page) == []
        assert "edities/ketencursus" not in page.read_text(encoding="utf-8")
