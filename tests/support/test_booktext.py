from __future__ import annotations

from tests.support import booktext


def test_sections_ignore_headings_inside_fences():
    text = "# T\n\n## Een\n```{admonition} X\n## geen kop\n```\n## Twee\ntekst\n"
    assert [s.title for s in booktext.sections(text)] == ["Een", "Twee"]


def test_term_references_resolve_explicit_targets():
    text = "De {term}`ketens <keten>` en de {term}`Zaak`."
    assert booktext.term_references(text) == {"keten", "zaak"}


def test_citation_keys_from_cite_and_footcite_roles():
    text = "Zie {cite:p}`a2013, b2014` en {footcite:t}`c2015`."
    assert booktext.citation_keys(text) == {"a2013", "b2014", "c2015"}


def test_admonition_classes_are_collected():
    text = "```{admonition} Voorbeeld\n:class: voorbeeld extra\nTekst\n```\n"
    assert booktext.admonition_classes(text) == ["voorbeeld", "extra"]


def test_prose_words_skip_code_and_count_admonition_text():
    text = (
        "# Titel\n\nVier woorden staan hier.\n\n```python\nx = 1 + 2\n```\n\n"
        "```{admonition} Kop\n:class: voorbeeld\nTwee woorden.\n```\n"
    )
    assert booktext.prose_words(text) == 1 + 4 + 2


def test_glossary_terms_are_read_from_the_glossary_block(tmp_path):
    path = tmp_path / "woordenlijst.md"
    path.write_text("```{glossary}\nketen\n  Uitleg.\n\nzaak\n  Uitleg.\n```\n", encoding="utf-8")
    assert booktext.glossary_terms(path) == ["keten", "zaak"]
