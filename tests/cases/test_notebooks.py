"""The case notebooks: committed clean, in the TOC, figures with Dutch alt text, invented
data labelled, widgets behind a kernel note; and (slow) they run top to bottom in a fresh
kernel and show their figures in the built book."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

NOTEBOOKS = ("loonaangifteketen", "werkpleinen")


def _read(layout, name):
    return nbformat.read(layout.book / "casussen" / f"{name}.ipynb", as_version=4)


def _figure_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and re.search(r"fig = plot_", c.source)]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_without_outputs(layout, name):
    nb = _read(layout, name)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"uitvoer in {name}: {cell.source[:60]!r}"
            assert cell.execution_count is None


def test_both_case_notebooks_are_a_part_of_the_toc_after_the_course(layout):
    toc = yaml.safe_load(layout.toc.read_text(encoding="utf-8"))
    captions = [p.get("caption") for p in toc["parts"]]
    assert captions.index("Casussen") == captions.index("Cursus") + 1
    part = toc["parts"][captions.index("Casussen")]
    assert [c["file"] for c in part["chapters"]] == [f"book/casussen/{n}" for n in NOTEBOOKS]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_figure_has_dutch_alt_text_and_a_caption_saying_invented(layout, name):
    figures = _figure_cells(_read(layout, name))
    assert len(figures) >= 4  # the what-if figure is drawn in the page (whatif_page)
    for cell in figures:
        meta = cell.metadata.get("mystnb", {})
        alt = meta.get("image", {}).get("alt", "")
        assert len(alt) > 80, cell.source[:60]
        assert re.search(r"\b(de|het|een|van|en)\b", alt), alt
        assert "verzonnen" in alt
        assert "verzonnen" in meta["figure"]["caption"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_invented_data_is_labelled_on_the_page_and_in_every_plot_title(layout, name):
    nb = _read(layout, name)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "```{admonition} Verzonnen gegevens" in markdown
    for cell in _figure_cells(nb):
        assert re.search(r"verzonnen (gegevens|model|data)|gesimuleerde", cell.source + str(
            cell.metadata)), cell.source[:60]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_widget_cell_is_skipped_in_the_book_and_the_page_gets_the_precomputed_what_if(
    layout, name
):
    nb = _read(layout, name)
    widget_cells = [i for i, c in enumerate(nb.cells) if "WhatIfApp(" in c.source]
    assert len(widget_cells) == 1
    index = widget_cells[0]
    assert "skip-execution" in nb.cells[index].metadata.get("tags", [])
    before = "\n".join(c.source for c in nb.cells[:index] if c.cell_type == "markdown")
    assert "Wat-als in het boek en in het notebook" in before  # says which is which
    page = [c for c in nb.cells[:index] if "watals(CHAIN, WHATIF_DEFAULT" in c.source]
    assert len(page) == 1 and "remove-input" in page[0].metadata.get("tags", [])


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_citations_terms_and_chapter_links_resolve(layout, name):
    nb = _read(layout, name)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    bib = (layout.book / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    cited = {k.strip() for group in re.findall(r"\{cite:p\}`([^`]+)`", markdown)
             for k in group.split(",")}
    assert cited and cited <= keys, cited - keys
    glossary = (layout.book / "woordenlijst.md").read_text(encoding="utf-8")
    terms = set(re.findall(r"^([a-z][^\n]*)$", glossary, flags=re.M))
    used = {t.split("<")[-1].rstrip(">").strip() for t in re.findall(r"\{term\}`([^`]+)`",
                                                                        markdown)}
    assert used and used <= terms, used - terms
    chapters = re.findall(r"\]\(\.\./(h\d_[a-z_]+\.md)\)", markdown)
    assert {"h3_liever_solo_dan_samen.md", "h4_de_zaak.md", "h5_olifantenpaadjes.md",
            "h6_onder_een_dak.md"} <= set(chapters)
    for chapter in chapters:
        assert (layout.book / chapter).exists(), chapter


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_top_to_bottom_in_a_fresh_kernel_including_the_widget(
    layout, name, monkeypatch
):
    # `make` exports MPLBACKEND=Agg; the notebooks must still show their figures.
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = _read(layout, name)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3",
        skip_cells_with_tag="no-cell-is-skipped-in-this-test",
        resources={"metadata": {"path": str(layout.book / "casussen")}},
    )
    client.execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source[:60]
    for cell in _figure_cells(nb):
        assert any("image/png" in o.get("data", {}) for o in cell.outputs), cell.source[:60]
    widget = next(c for c in nb.cells if "WhatIfApp(" in c.source)
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for o in widget.outputs)


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_built_page_shows_every_figure_with_its_dutch_alt_and_no_widget_scripts(
    built_book, layout, name
):
    page = built_book.html / "book" / "casussen" / f"{name}.html"
    assert page.exists(), built_book.log[-3000:]
    assert built_book.returncode == 0, built_book.log[-3000:]
    html = page.read_text(encoding="utf-8")
    parser = _Images()
    parser.feed(html)
    figures = _figure_cells(_read(layout, name))
    content_images = [i for i in parser.images if "_images/" in (i.get("src") or "")]
    assert len(content_images) == len(figures)
    expected = {c.metadata["mystnb"]["image"]["alt"] for c in figures}
    assert {i.get("alt") for i in content_images} == expected
    # The page says which part works where: the in-page what-if without a kernel, the
    # notebook widget (Binder) only with a running kernel.
    assert "In het online boek werken de schuifjes hieronder meteen, zonder kernel" in html
    assert "in een draaiende kernel" in html
    assert "Verzonnen gegevens" in html
    assert "widget-state+json" not in html and "embed-amd" not in html
