"""The bibliography in Dutch (issue 11): the pybtex style ``nl`` and the citation styles
``author_year_nl``/``foot_nl`` of ketencursus.sphinxext.bibstyle, on small entries and on the
built literature page."""

from __future__ import annotations

import re
from html import unescape

import pybtex.plugin
import pytest
import yaml
from pybtex.database import parse_string
from pybtex.richtext import Text

from ketencursus.sphinxext import bibstyle

ENGLISH = re.compile(
    r"\b(and|edition|editors?|pages|PhD thesis|Master's thesis|Technical Report|URL|"
    r"visited on|Volume|et al)\b|\bIn:? [A-Z]"
)

BIB = r"""
@book{boek, author = {de Caluw{\'e}, L{\'e}on and Vermaak, Hans}, title = {Leren veranderen},
  publisher = {Kluwer}, address = {Deventer}, edition = {2}, year = {2006}}
@phdthesis{proef, author = {Grijpink, J. H. A. M.}, title = {Keteninformatisering},
  school = {TU Eindhoven}, year = {1997}}
@techreport{rapport, author = {{College bescherming persoonsgegevens en Inspectie Werk en Inkomen}},
  title = {Samen onder {\'e}{\'e}n dak}, number = {R 07/17}, institution = {IWI},
  year = {2007}, month = nov}
@incollection{hoofdstuk, author = {Huxham, Chris and Vangen, Siv and Eden, Colin},
  title = {Een hoofdstuk over Belastingdienst en UWV}, booktitle = {Een bundel},
  editor = {Jansen, Piet}, pages = {10--20}, publisher = {Boom}, year = {2001}}
@misc{web, author = {{Algemene Rekenkamer}}, title = {Premie-inning werknemersverzekeringen},
  howpublished = {Kamerstuk 30 130, nr. 2}, year = {2005}, url = {https://example.org/a}}
"""


def _rendered() -> dict[str, str]:
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", bibstyle.FORMATTING_STYLE)()
    entries = parse_string(BIB, "bibtex").entries
    return {e.key: e.text.render_as("text") for e in style.format_entries(entries.values())}


def test_entries_use_dutch_words_and_no_english_ones():
    rendered = _rendered()
    for key, text in rendered.items():
        assert not ENGLISH.search(text), f"{key}: {text}"
    assert "Léon de Caluwé en Hans Vermaak" in rendered["boek"]
    assert "2e druk" in rendered["boek"]
    assert "Proefschrift" in rendered["proef"]
    assert "Rapport R 07/17" in rendered["rapport"] and "november 2007" in rendered["rapport"]
    assert "Chris Huxham, Siv Vangen en Colin Eden" in rendered["hoofdstuk"]
    assert "Opgenomen in Piet Jansen (red.)" in rendered["hoofdstuk"]
    assert "blz. 10–20" in rendered["hoofdstuk"]
    assert "Online: https://example.org/a" in rendered["web"]


def test_titles_keep_their_capitals():
    # pybtex's plain style would print "Een hoofdstuk over belastingdienst en uwv"
    assert "Een hoofdstuk over Belastingdienst en UWV" in _rendered()["hoofdstuk"]


def test_organisations_sort_with_the_people_by_name():
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", bibstyle.FORMATTING_STYLE)()
    entries = parse_string(BIB, "bibtex").entries
    order = [e.key for e in style.format_entries(entries.values())]
    assert order == ["web", "boek", "rapport", "proef", "hoofdstuk"]


def test_the_book_uses_the_dutch_styles(layout):
    config = yaml.safe_load(layout.config.read_text(encoding="utf-8"))["sphinx"]["config"]
    assert config["bibtex_default_style"] == bibstyle.FORMATTING_STYLE
    assert config["bibtex_reference_style"] == bibstyle.REFERENCING_STYLE
    assert config["bibtex_foot_reference_style"] == bibstyle.FOOT_REFERENCING_STYLE


def _without_titles(text: str, titles: list[str]) -> str:
    # English titles of English works ("Organizational Culture and Leadership") are no fault
    for title in titles:
        text = text.replace(title, " ")
    return text


@pytest.mark.slow
def test_built_literature_page_and_citations_are_dutch(built_book, layout):
    html = (built_book.html / "book" / "literatuur.html").read_text(encoding="utf-8")
    bib = parse_string((layout.book / "references.bib").read_text(encoding="utf-8"), "bibtex")
    titles = [
        Text.from_latex(e.fields[f]).render_as("text")
        for e in bib.entries.values() for f in ("title", "journal") if f in e.fields
    ]
    entries = [
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", e))).strip()
        for e in re.findall(r'<div class="citation"[^>]*>(.*?)</div>', html, re.S)
    ]
    assert len(entries) > 20
    english = [e for e in entries if ENGLISH.search(_without_titles(e, titles))]
    assert english == [], english
    assert any(" en " in e for e in entries)
    chapter = (built_book.html / "book" / "h2_opgelegde_samenwerking.html").read_text(
        encoding="utf-8"
    )
    assert "Huxham en Vangen" in unescape(re.sub(r"<[^>]+>", "", chapter))
