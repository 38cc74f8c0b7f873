"""The structure a reader relies on, checked on the book's sources (no build needed)."""

from __future__ import annotations

import re

import pytest
import yaml

from ketencursus.objectives import read_objectives
from tests.support import booktext

CHAPTER_PATTERN = re.compile(r"^book/h\d+_")
NON_CONCEPT_SECTIONS = {"zelftoets", "reflectie", "bronnen"}
MAX_TASKS_PER_CHAPTER = 5
WORDS_PER_MINUTE = 200


@pytest.fixture(scope="module")
def toc(layout):
    return booktext.toc_files(layout.root)


@pytest.fixture(scope="module")
def chapters(layout, toc):
    names = [d for d in toc if CHAPTER_PATTERN.match(d)]
    return {d: (layout.root / f"{d}.md").read_text(encoding="utf-8") for d in names}


def test_toc_lists_at_least_seven_chapters_in_order(chapters):
    numbers = [int(re.match(r"book/h(\d+)_", d).group(1)) for d in chapters]
    assert numbers == sorted(numbers)
    assert numbers[:7] == list(range(1, 8))


def test_every_toc_entry_exists(layout, toc):
    for doc in toc:
        booktext.source_path(layout.root, doc)


def test_every_chapter_opens_with_learning_objectives(chapters):
    for doc, text in chapters.items():
        blocks = booktext.directive_blocks(text, "leerdoelen")
        assert len(blocks) == 1, f"{doc}: precies één leerdoelenblok verwacht"
        first_section = text.find("\n## ")
        assert text.find("{leerdoelen}") < first_section, f"{doc}: leerdoelen horen vooraan"


def test_objectives_are_numbered_per_chapter_and_unique(layout, chapters):
    objectives = read_objectives(layout.book)
    for doc in chapters:
        number = re.match(r"book/h(\d+)_", doc).group(1)
        own = [o for o in objectives.values() if o.chapter == doc]
        assert len(own) >= 3, f"{doc}: minstens drie leerdoelen"
        assert all(o.id.startswith(f"h{number}.") for o in own), doc


def test_every_chapter_ends_with_reflection_then_sources(chapters):
    for doc, text in chapters.items():
        titles = [s.title.lower() for s in booktext.sections(text)]
        assert titles[-2:] == ["reflectie", "bronnen"], f"{doc}: eindigt met {titles[-2:]}"
        parts = {s.title.lower(): s.body for s in booktext.sections(text)}
        assert "reflectie" in booktext.admonition_classes(parts["reflectie"]), doc
        assert booktext.directive_blocks(parts["bronnen"], "footbibliography") != [], doc
        assert booktext.citation_keys(text), f"{doc}: citeert geen enkele bron"


def test_every_concept_section_has_a_worked_example(chapters):
    for doc, text in chapters.items():
        concept_sections = [
            s for s in booktext.sections(text) if s.title.lower() not in NON_CONCEPT_SECTIONS
        ]
        assert len(concept_sections) >= 2, doc
        for section in concept_sections:
            classes = booktext.admonition_classes(section.body)
            assert "voorbeeld" in classes, f"{doc} § {section.title}: geen uitgewerkt voorbeeld"


def test_every_chapter_has_a_few_deep_application_tasks_not_one_per_section(chapters):
    # fewer, deeper tasks (issue 11): each with a model answer (see test_model_answers.py)
    for doc, text in chapters.items():
        tasks = booktext.admonition_classes(text).count("opdracht")
        assert 2 <= tasks <= MAX_TASKS_PER_CHAPTER, f"{doc}: {tasks} toepassingsopdrachten"


def test_stated_study_load_matches_each_chapters_reading_time_and_tasks(layout, chapters):
    # index.md states per chapter: reading minutes (at ~200 words a minute) and the number
    # of Toepassen tasks; both must match the chapter as it is (issue 11, study load)
    index = (layout.book / "index.md").read_text(encoding="utf-8")
    rows = {
        int(m.group(1)): (int(m.group(2)), int(m.group(3)))
        for m in re.finditer(r"^\| (\d+) \|[^|]*\| (\d+) min \| (\d+) \(", index, re.M)
    }
    assert sorted(rows) == list(range(1, len(chapters) + 1)), rows
    for doc, text in chapters.items():
        number = int(re.match(r"book/h(\d+)_", doc).group(1))
        reading, tasks = rows[number]
        expected = booktext.prose_words(text) / WORDS_PER_MINUTE
        assert abs(reading - expected) <= max(3, 0.2 * expected), f"{doc}: {reading} min"
        assert tasks == booktext.admonition_classes(text).count("opdracht"), doc


def test_every_glossary_term_is_referenced_from_the_text(layout, toc):
    glossary = layout.book / "woordenlijst.md"
    terms = booktext.glossary_terms(glossary)
    required = {
        "keten", "ketensturing", "ketenpartner", "ketenbureau", "ketenmanager",
        "ketenregisseur", "zaak", "doorlooptijd", "olifantenpaadje", "werkplein",
        "opgelegde samenwerking",
    }
    assert required <= set(terms)
    referenced = set()
    for doc in toc:
        path = booktext.source_path(layout.root, doc)
        if path != glossary:
            referenced |= booktext.term_references(booktext.markdown_text(path))
    unreferenced = [t for t in terms if t.lower() not in referenced]
    assert unreferenced == [], f"niet verwezen vanuit de tekst: {unreferenced}"


def test_every_citation_key_exists_in_the_bibliography(layout, toc):
    known = booktext.bib_keys(layout.book / "references.bib")
    for doc in toc:
        text = booktext.markdown_text(booktext.source_path(layout.root, doc))
        missing = booktext.citation_keys(text) - known
        assert not missing, f"{doc}: onbekende bronnen {missing}"


def test_course_text_is_at_least_9000_words(layout, toc):
    counted = {
        doc: booktext.prose_words(booktext.markdown_text(booktext.source_path(layout.root, doc)))
        for doc in toc
        if doc.startswith("book/") and booktext.source_path(layout.root, doc).suffix == ".md"
    }
    course = sum(v for d, v in counted.items() if CHAPTER_PATTERN.match(d) or d == "book/index")
    assert course >= 9000, counted


def test_source_and_licence_page_attributes_nora(layout):
    text = (layout.book / "bronnen.md").read_text(encoding="utf-8")
    assert "CC BY-ND 3.0" in text
    assert "noraonline.nl" in text
    assert "NORA" in text


def test_config_builds_only_toc_files_in_dutch_with_binder_in_jupyterlab(layout):
    config = yaml.safe_load(layout.config.read_text(encoding="utf-8"))
    assert config["only_build_toc_files"] is True
    assert config["sphinx"]["config"]["language"] == "nl"
    assert config["copyright"]
    assert config["launch_buttons"]["notebook_interface"] == "jupyterlab"
    assert config["launch_buttons"]["binderhub_url"]
    assert "path_to_book" not in config.get("repository", {})
    for excluded in (".venv", "_build", "grader", "exercises"):
        assert excluded in config["exclude_patterns"]
