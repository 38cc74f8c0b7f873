"""The PDF edition (``make edities``), checked with poppler's tools as a reader's software
sees it: it opens, is A4, tagged for screen readers, in Dutch, with a title; it has every page
of the book with its text and figures, bookmarks, internal links and page numbers in the table
of contents; the self-checks are printed with their answer key at the end of the chapter and
the parts that only work online are replaced by a pointer with the address."""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

import pytest
import yaml

from ketencursus.quiz.bank import load_bank
from ketencursus.sphinxext.editions import KEY_TITLE
from tests.support import ROOT
from tests.support.editions import normalise, page_texts


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdf(editions) -> Path:
    return editions.pdf


@pytest.fixture(scope="module")
def info(pdf) -> dict[str, str]:
    lines = _run("pdfinfo", str(pdf)).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return normalise(_run("pdftotext", "-enc", "UTF-8", str(pdf), "-"))


@pytest.fixture(scope="module")
def xml(pdf) -> str:
    return _run("pdftohtml", "-xml", "-i", "-q", "-stdout", str(pdf))


def _catalog_text(pdf: Path) -> bytes:
    """The PDF's objects, decompressed (the catalog sits in a compressed object stream)."""
    data = pdf.read_bytes()
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            chunks.append(zlib.decompressobj().decompress(data[match.end():end]))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def test_the_pdf_opens_is_a4_tagged_and_has_the_book_title(info):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert info["Tagged"] == "yes"
    assert "(A4)" in info["Page size"]
    assert info["Title"] == config["title"]
    assert info["Author"] == config["author"]
    assert info["Encrypted"] == "no"


def test_the_pdf_says_its_language_is_dutch(pdf):
    assert re.search(rb"/Lang\s*\(nl\)", _catalog_text(pdf))


def test_every_page_of_the_book_is_in_the_pdf_with_its_title_and_text(editions, info, text):
    pages = page_texts(ROOT, editions.html)
    assert int(info["Pages"]) >= len(pages)
    missing = [(p.docname, what) for p in pages
               for what in (p.title, p.sentence) if what not in text]
    assert not missing, missing


def test_the_chapter_figures_and_the_case_plots_are_images_in_the_pdf(editions, pdf):
    listing = _run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    images = [line for line in listing if line.split()[2] == "image"]
    figures: set[str] = set()
    plots: set[str] = set()
    for page in editions.html.joinpath("book").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        figures |= set(re.findall(r'<img[^>]+src="[^"]*(graphviz-[0-9a-f]+\.png)"', html))
        plots |= set(re.findall(r'<img[^>]+src="[^"]*_images/([0-9a-f]{64}\.png)"', html))
    assert len(figures) >= 7 and len(plots) >= 6  # a figure per chapter, the cases' plots
    expected = len(figures) + len(plots)
    assert len(images) >= expected, (len(images), expected)


def test_the_pdf_has_bookmarks_for_parts_and_chapters(xml, editions):
    outline = re.findall(r"<item page=\"\d+\">([^<]*)</item>", xml)
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc["parts"]:
        assert part["caption"] in outline
    for page in page_texts(ROOT, editions.html):
        assert any(page.title in item for item in outline), page.title


def test_the_table_of_contents_links_to_pages_and_shows_their_numbers(xml, text):
    internal = re.findall(r'<a href="[^"#]*\.html#(\d+)"', xml)
    assert len(internal) > 100  # table of contents, cross references, footnotes
    assert re.search(r"Ketens en ketensturing ?\.{5,} ?\d+", text)


def test_dutch_words_are_hyphenated(pdf):
    raw = _run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
    assert len(re.findall(r"[a-zë]\u2010\n[a-zë]", raw)) > 50


def test_each_chapter_ends_with_the_answer_key_of_its_self_check(text):
    bank = load_bank(ROOT / "exercises" / "bank")
    chapters = [f"h{n}" for n in range(1, 8)]
    assert text.count(KEY_TITLE) >= 2 * len(chapters)  # heading and table-of-contents entry
    for chapter in chapters:
        questions = bank.selfcheck(chapter)
        first = questions[0]
        question_at = text.find(normalise(first.question))
        assert question_at > 0, first.id
        key_at = text.find(KEY_TITLE, question_at)
        assert key_at > question_at, first.id
        if first.type in ("single", "multiple"):
            right = next(o for o in first.options if o.correct)
            answer = normalise(right.text.replace("*", ""))[:40]
            assert text.find(answer, key_at) > key_at, first.id


def test_forms_and_simulations_are_replaced_by_a_pointer_with_the_address(text):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    base = config["html"]["baseurl"].rstrip("/")
    assert text.count("Invulformulier: alleen online") == 4
    assert text.count("Wat-als-simulatie: alleen online") == 2
    for page in ("reflectie/cultuurscan", "casussen/loonaangifteketen", "casussen/werkpleinen"):
        assert f"{base}/book/{page}.html" in text.replace(" ", "")
    for online_only in ("Download portfolio (HTML)", "Terug naar standaard",
                        "Wis mijn antwoorden", "Nog niets gewijzigd"):
        assert online_only not in text, online_only
