"""The {hoofdstukfiguur} directive on a small Sphinx project: it draws the dot source as a PNG
with the given alt text and the text version in a <details>, and refuses a figure that lacks
Dutch alt text, a caption or a text version, or a second figure on one page."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from sphinx.application import Sphinx

from ketencursus.sphinxext.figures import alt_problems, is_dutch_description

DOT = 'digraph g { a [label="Ketendoel"]; b [label="Zaak"]; a -> b; }\n'
GOOD_ALT = "Schema met het ketendoel boven en de zaak eronder"
TEXT = "Bovenaan staat het ketendoel. Een pijl loopt naar de zaak eronder."


def build(tmp_path: Path, body: str, builder: str = "html") -> tuple[Path, str]:
    if shutil.which("dot") is None:
        pytest.fail("Graphviz ontbreekt: apt-get install graphviz (requirements/debian-book.txt)")
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "extensions = ['ketencursus.sphinxext.figures']\nlanguage = 'nl'\n"
        "project = 'Proef'\ncopyright = '2026'\nversion = '1'\n",
        encoding="utf-8",
    )
    (src / "figuur.dot").write_text(DOT, encoding="utf-8")
    (src / "index.rst").write_text("Titel\n=====\n\n" + textwrap.dedent(body), encoding="utf-8")
    out = tmp_path / "out"
    warnings = tmp_path / "warnings.txt"
    with warnings.open("w", encoding="utf-8") as stream:
        app = Sphinx(str(src), str(src), str(out), str(tmp_path / "doctrees"), builder,
                     status=None, warning=stream, freshenv=True)
        app.build()
    # Several Sphinx applications in one process: docutils' node registry is global, so every
    # application after the first reports Sphinx's own nodes and directives as registered.
    lines = [
        line for line in warnings.read_text(encoding="utf-8").splitlines()
        if "is already registered" not in line
    ]
    return out, "\n".join(lines)


def figure(alt: str | None = GOOD_ALT, caption: str | None = "De zaak", text: str = TEXT) -> str:
    lines = [".. hoofdstukfiguur:: figuur.dot"]
    if alt is not None:
        lines.append(f"   :alt: {alt}")
    if caption is not None:
        lines.append(f"   :caption: {caption}")
    lines.append("")
    if text:
        lines.append(f"   {text}")
    return "\n".join(lines) + "\n\n"


def test_a_complete_figure_becomes_a_png_with_alt_text_and_a_text_version(tmp_path):
    out, warnings = build(tmp_path, figure())
    assert warnings == ""
    html = (out / "index.html").read_text(encoding="utf-8")
    assert f'alt="{GOOD_ALT}"' in html
    assert 'class="graphviz hoofdstukfiguur"' in html
    assert "hoofdstukfiguur" in html.split("<figure", 1)[1].split(">", 1)[0]
    assert '<details class="tekstalternatief">' in html
    assert "<summary>Figuur in woorden</summary>" in html
    assert TEXT in html
    pngs = list((out / "_images").glob("graphviz-*.png"))
    assert len(pngs) == 1 and pngs[0].read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (figure(alt=None), "geen alt-tekst"),
        (figure(alt="Chain diagram showing the goal"), "geen Nederlandse beschrijving"),
        (figure(caption=None), "geen bijschrift"),
        (figure(text=""), "geen tekstversie"),
        (figure() + figure(), "al een"),
    ],
    ids=["zonder-alt", "engelse-alt", "zonder-bijschrift", "zonder-tekstversie", "twee-figuren"],
)
def test_an_incomplete_figure_fails_the_build_with_a_dutch_message(tmp_path, body, message):
    _, warnings = build(tmp_path, body)
    assert "hoofdstukfiguur:" in warnings
    assert message in warnings


@pytest.mark.parametrize(
    ("alt", "dutch"),
    [
        (GOOD_ALT, True),
        ("Schema van de keten", True),
        ("Diagram of the chain and the goal", False),
        ("figuur.png", False),
        ("Ketendoel", False),
    ],
)
def test_alt_text_rule_tells_dutch_descriptions_from_others(alt, dutch):
    assert is_dutch_description(alt) is dutch


def test_alt_text_with_an_ascii_quote_is_refused_because_sphinx_does_not_escape_it():
    assert any("„" in p for p in alt_problems('Schema met de "zaak" in het midden'))


def test_the_same_figure_builds_for_pdf_via_latex_with_its_text_version(tmp_path):
    out, warnings = build(tmp_path, figure(), builder="latex")
    assert warnings == ""
    tex = next(out.glob("*.tex")).read_text(encoding="utf-8")
    assert "sphinxincludegraphics" in tex and "graphviz-" in tex
    assert "Bovenaan staat het ketendoel" in tex  # the text version, as a paragraph
    assert list(out.glob("graphviz-*.pdf"))


def test_the_same_figure_builds_for_epub_as_a_png_with_alt_text(tmp_path):
    out, warnings = build(tmp_path, figure(), builder="epub")
    assert warnings == ""
    page = (out / "index.xhtml").read_text(encoding="utf-8")
    assert f'alt="{GOOD_ALT}"' in page and "Figuur in woorden" in page
    assert list((out / "_images").glob("graphviz-*.png"))
    assert not list((out / "_images").glob("*.map"))  # no file the ePub cannot type
