"""Faithfulness to the source page (issue 11): no copying outside marked quotations, quotations
of the page word for word, and the definition of *zaak* never attributed to *Ketens de baas*.

The source page is kept in ``tests/book/data`` (an unchanged copy, CC BY-ND 3.0, attributed
there); nothing here reads anything outside the repository."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from ketencursus import fidelity
from tests.support import booktext
from tests.support.booktext import strings as _strings

DATA = Path(__file__).parent / "data"
TOOLTIP = (
    "Een samenhangende hoeveelheid werk met een welgedefinieerde aanleiding en een "
    "welgedefinieerd eindresultaat, waarvan kwaliteit en doorlooptijd bewaakt moeten worden"
)
DEFINITION = re.compile(r"samenhangende\s+hoeveelheid\s+werk", re.I)
# "Ketens de baas noemt die eenheid de zaak", "De bronpagina definieert een zaak als ..."
ATTRIBUTES_ZAAK_TO_SOURCE = re.compile(
    r"(Ketens de baas|de bron(?:pagina)?|de NORA-(?:tekst|pagina)|het boek|de auteurs)"
    r"\s+(?:noem\w*|definie\w*|omschrij\w*|beschrij\w*|introduce\w*)\b[^.]{0,60}\bzaak",
    re.I,
)
SOURCE_KEYS = {"aardewijn2013ketens", "nora2013cultuur"}


@pytest.fixture(scope="module")
def source() -> fidelity.Source:
    text = (DATA / "nora_weerbarstige_cultuurinvloeden.txt").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert TOOLTIP in body
    return fidelity.Source(body, tooltip=TOOLTIP)


@pytest.fixture(scope="module")
def learner_texts(layout) -> list[tuple[str, str]]:
    """Every learner-facing text: the pages in the TOC (notebooks: their markdown) and every
    string of the question bank (questions, options, feedback, hints)."""
    texts = []
    for doc in booktext.toc_files(layout.root):
        path = booktext.source_path(layout.root, doc)
        texts.append((doc, booktext.markdown_text(path)))
    for bank in sorted((layout.root / "exercises" / "bank").glob("*.yml")):
        data = yaml.safe_load(bank.read_text(encoding="utf-8"))
        for question in data.get("questions", []):
            where = f"{bank.relative_to(layout.root)} {question.get('id')}"
            texts.extend((where, s) for s in _strings(question))
    assert len(texts) > 100
    return texts


def test_no_nine_word_run_of_the_source_outside_a_marked_attributed_quotation(
    source, learner_texts
):
    findings = [f for f in fidelity.check(source, learner_texts)
                if f.problem != "citaat uit de bron is niet letterlijk"]
    assert findings == [], "\n".join(map(str, findings))


def test_every_blockquote_attributed_to_the_source_page_quotes_it_word_for_word(
    source, learner_texts
):
    findings = [f for f in fidelity.check(source, learner_texts)
                if f.problem == "citaat uit de bron is niet letterlijk"]
    assert findings == [], "\n".join(map(str, findings))


def test_the_chapters_quote_the_source_page_rather_than_paraphrase_it(source, layout):
    quoted = 0
    for doc in booktext.toc_files(layout.root):
        text = booktext.markdown_text(booktext.source_path(layout.root, doc))
        for block in fidelity.blocks(text, doc):
            quoted += sum(q.blockquote and q.cites_source for q in block.quotations)
    assert quoted >= 4


def test_no_source_text_attributes_the_zaak_definition_to_ketens_de_baas(learner_texts):
    offenders = []
    for where, text in learner_texts:
        for paragraph in re.split(r"\n\s*\n", text):
            if ATTRIBUTES_ZAAK_TO_SOURCE.search(paragraph):
                offenders.append(f"{where}: {paragraph.strip()[:120]}")
            if DEFINITION.search(paragraph):
                keys = booktext.citation_keys(paragraph)
                if keys & SOURCE_KEYS or (keys and "gemma_zaak" not in keys):
                    offenders.append(f"{where}: definitie met bron {sorted(keys)}")
    assert offenders == [], "\n".join(offenders)


def _text_blocks(html: str) -> list[str]:
    """The visible text of the paragraph-like elements of a built page."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    found = []
    for match in re.finditer(r"<(p|dd|li|td|blockquote|summary)\b[^>]*>(.*?)</\1>", html, re.S):
        text = re.sub(r"<[^>]+>", " ", match.group(2))
        found.append(re.sub(r"\s+", " ", unescape(text)).strip())
    return found


@pytest.mark.slow
def test_no_built_page_attributes_the_zaak_definition_to_ketens_de_baas(built_book):
    offenders, definitions = [], 0
    for page in built_book.pages():
        for block in _text_blocks(page.read_text(encoding="utf-8")):
            if ATTRIBUTES_ZAAK_TO_SOURCE.search(block):
                offenders.append(f"{page.name}: {block[:120]}")
            if DEFINITION.search(block):
                definitions += 1
                if not re.search(r"zaakgericht|GEMMA|begrippenkader", block, re.I):
                    offenders.append(f"{page.name}: definitie zonder herkomst: {block[:120]}")
    assert offenders == [], "\n".join(offenders)
    assert definitions >= 1  # the glossary gives the definition, with where it comes from


MINISTER_VARIANTS = re.compile(
    r"onvoldoende (?:sturing|regie)|te weinig (?:werd )?(?:aan)?gestuurd|sprak zelf van", re.I
)


def test_the_2006_2007_story_and_the_ministers_words_are_told_once(layout, learner_texts):
    # told in full under one label; the minister's 2007 words in one wording, only there;
    # every other page refers back with {ref}
    homes = [where for where, text in learner_texts if "(loonaangifte-2006-2007)=" in text]
    assert homes == ["book/h2_opgelegde_samenwerking"]
    elsewhere = [where for where, text in learner_texts
                 if where not in homes and MINISTER_VARIANTS.search(text)]
    assert elsewhere == [], f"de woorden van de minister buiten het verhaal: {elsewhere}"
    home = dict(learner_texts)[homes[0]]
    assert "„dat de nieuwe loonaangifteketen nog niet stabiel is”" in home.replace("\n", " ")
    assert "„onvoldoende regie”" in home
    refs = [where for where, text in learner_texts if "loonaangifte-2006-2007>`" in text]
    assert len(refs) >= 3, refs
