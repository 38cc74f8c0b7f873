"""The worksheets in the instructor edition (``make docent``, built once per session by the
``docent_book`` fixture): the page ``werkbladen`` offers every registered sheet with its PDF
and HTML, the files are made by the build (valid A4 PDFs, never committed), and the learner
book carries none of it."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

from ketencursus.trainer.worksheets import all_sheets
from ketencursus.trainer.worksheets.render import PDF_VARIANT
from tests.support import ROOT


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_docent_edition_offers_every_registered_sheet_with_its_downloads(docent_book):
    """Every sheet is on some page of the edition (the course's sheets on ``werkbladen``,
    sheets of other modules, such as role cards, may be on their own page)."""
    assert docent_book.returncode == 0, docent_book.log[-3000:]
    pages = {p.stem: p.read_text(encoding="utf-8") for p in docent_book.pages()}
    for sheet in all_sheets():
        offering = [name for name, html in pages.items()
                    if re.search(rf'href="(?:\.\./)*werkbladen/{re.escape(sheet.id)}\.pdf"', html)]
        assert offering, sheet.id
        page = pages[offering[0]]
        text = _text(page)
        assert sheet.title in text, sheet.id
        assert " ".join(sheet.purpose.split()) in text, sheet.id
        assert re.search(rf'href="(?:\.\./)*werkbladen/{re.escape(sheet.id)}\.html"', page)


def test_the_werkbladen_page_offers_the_course_sheets(docent_book):
    page = docent_book.page("werkbladen")
    for sheet_id in ("diagnosecanvas", "ketenkaart", "zaak-afbakenen", "schein-drie-lagen",
                     "kleurenkaart", "cultuurscan", "cultuurscan-advies", "actieplan"):
        assert f'href="werkbladen/{sheet_id}.pdf"' in page, sheet_id


def test_the_build_writes_each_linked_pdf_as_a_tagged_a4_sheet(docent_book):
    page = docent_book.page("werkbladen")
    linked = sorted(set(re.findall(r'href="(werkbladen/[^"#]+\.pdf)"', page)))
    assert len(linked) >= 8
    for href in linked:
        pdf = docent_book.html / href
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        assert 1 <= pages <= 2, href
        assert "595.276 x 841.89 pts (A4)" in info and re.search(r"^Tagged:\s+yes", info, re.M)
        assert f"{pages} pagina" in _text(page)
    assert PDF_VARIANT == "pdf/ua-1"


def test_the_page_is_in_the_docent_toc_and_the_sheets_are_not_in_the_learner_book():
    toc = (ROOT / "docent" / "_toc.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s+- file: werkbladen$", toc, re.M)
    learner_toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert "werkbladen" not in learner_toc
    for page in (ROOT / "book").rglob("*.md"):
        assert "{werkbladen}" not in page.read_text(encoding="utf-8"), page


def test_no_generated_sheet_is_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.splitlines()
    ids = {sheet.id for sheet in all_sheets()}
    generated = [path for path in tracked
                 if Path(path).suffix in (".pdf", ".html") and Path(path).stem in ids]
    assert generated == []
