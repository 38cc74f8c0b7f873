"""The rules of ketencursus.fidelity on small texts: what counts as copying, what as a
marked quotation."""

from __future__ import annotations

from ketencursus import fidelity

PAGE = (
    "Veel organisaties zijn van nature geneigd problemen zelf op te lossen en zullen die "
    "neiging ook gedurende de samenwerking met de ketenpartners nog lang houden. Het blijft "
    "zaakEen samenhangende hoeveelheid werk om dan te blijven herinneren aan de doelstelling."
)
SOURCE = fidelity.Source(PAGE, tooltip="Een samenhangende hoeveelheid werk")


def problems(text: str) -> list[str]:
    return [f.problem for f in fidelity.check(SOURCE, [("test", text)])]


def test_nine_source_words_in_a_row_in_plain_prose_are_reported_as_copied():
    text = "Het is bekend: organisaties zijn van nature geneigd problemen zelf op te lossen."
    assert problems(text) == ["overgenomen zonder citaat"]


def test_eight_source_words_in_a_row_are_not_a_copy():
    # "van nature geneigd problemen zelf op te lossen": eight words in the source's order
    assert problems("Ze zijn altijd van nature geneigd problemen zelf op te lossen.") == []


def test_markup_does_not_hide_a_copied_run():
    text = (
        "Veel {term}`organisaties <ketenpartner>` zijn *van nature* geneigd problemen zelf"
        " op te lossen."
    )
    assert problems(text) == ["overgenomen zonder citaat"]


def test_an_attributed_blockquote_that_quotes_the_page_word_for_word_is_fine():
    text = (
        "> „Veel organisaties zijn van nature geneigd problemen zelf op te lossen en zullen\n"
        "> die neiging ook gedurende de samenwerking met de ketenpartners nog lang houden.”\n"
        ">\n"
        "> — NORA {footcite:p}`nora2013cultuur`\n"
    )
    assert problems(text) == []


def test_a_blockquote_without_attribution_is_reported():
    text = "> Veel organisaties zijn van nature geneigd problemen zelf op te lossen en zo.\n"
    assert problems(text) == ["citaat zonder bronvermelding"]


def test_a_blockquote_attributed_to_the_page_but_reworded_is_reported_as_not_verbatim():
    text = (
        "> Veel organisaties zijn geneigd om problemen zelf op te lossen.\n"
        ">\n> — NORA {footcite:p}`nora2013cultuur`\n"
    )
    assert problems(text) == ["citaat uit de bron is niet letterlijk"]


def test_the_authors_sentence_without_the_wiki_tooltip_counts_as_verbatim():
    text = (
        "> „Het blijft zaak om dan te blijven herinneren aan de doelstelling.”\n"
        ">\n> — NORA {footcite:p}`nora2013cultuur`\n"
    )
    assert problems(text) == []


def test_an_inline_quotation_with_a_citation_in_its_paragraph_is_fine():
    text = (
        "De bron zegt: „veel organisaties zijn van nature geneigd problemen zelf op te lossen”"
        " {footcite:p}`nora2013cultuur`."
    )
    assert problems(text) == []


def test_an_inline_quotation_without_any_attribution_is_reported():
    text = "Men zegt: „veel organisaties zijn van nature geneigd problemen zelf op te lossen”."
    assert problems(text) == ["citaat zonder bronvermelding"]
