"""The reflection notebooks: generated from one source, committed without outputs, in the TOC
after the course chapters, linked from their chapters, and thin."""

from __future__ import annotations

import nbformat
import pytest
import yaml

from ketencursus.reflection.notebooks import SPECS, notebook_text


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.file)
def test_committed_notebook_matches_its_generator(spec, layout):
    path = layout.book / "reflectie" / spec.file
    assert path.read_text(encoding="utf-8") == notebook_text(spec), (
        "Regenerate with: python -m ketencursus.reflection.notebooks"
    )


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.file)
def test_notebook_has_no_outputs_and_the_right_cell_tags(spec, layout):
    nb = nbformat.read(layout.book / "reflectie" / spec.file, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    # the in-page form runs in the book; the live widgets never do
    form, live = code
    assert f'formulier("{spec.exercise_id}")' in form.source
    assert "remove-input" in form.metadata["tags"]
    assert f'toon_oefening("{spec.exercise_id}")' in live.source
    assert "skip-execution" in live.metadata["tags"]
    assert all(len(c.source.splitlines()) <= 3 for c in code)  # thin: logic lives in the package


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.file)
def test_notebook_explains_how_to_open_it_and_where_answers_live(spec, layout):
    nb = nbformat.read(layout.book / "reflectie" / spec.file, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for needle in ("Binder", "JupyterHub", "Lokaal", "KETENCURSUS_ANSWERS",
                   "~/ketencursus-reflecties/antwoorden.json", "Download portfolio",
                   "Portfolio importeren", f"../{spec.chapter_file}"):
        assert needle in text, needle


def test_reflection_part_follows_the_course_in_the_toc(layout):
    toc = yaml.safe_load(layout.toc.read_text(encoding="utf-8"))
    captions = [part.get("caption") for part in toc["parts"]]
    index = captions.index("Reflectie-oefeningen")
    assert index > captions.index("Cursus")
    if "Casussen" in captions:
        assert index > captions.index("Casussen")
    files = [c["file"] for c in toc["parts"][index]["chapters"]]
    assert files == [f"book/reflectie/{s.file.removesuffix('.ipynb')}" for s in SPECS]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.file)
def test_chapter_links_to_its_reflection_notebook(spec, layout):
    chapter = (layout.book / spec.chapter_file).read_text(encoding="utf-8")
    assert f"(reflectie/{spec.file})" in chapter
