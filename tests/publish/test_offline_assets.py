"""The offline extension: MathJax from the book, no widget CDN scripts, foreign assets found."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ketencursus.sphinxext import offline

CONF = """
extensions = ["myst_nb", "ketencursus.sphinxext.offline"]
myst_enable_extensions = ["dollarmath"]
nb_execution_mode = "off"
html_theme = "sphinx_book_theme"
language = "nl"
"""

WIDGET_NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Widgets\n\nTekst."},
        {
            "cell_type": "code", "execution_count": 1, "metadata": {}, "source": "slider",
            "outputs": [{
                "output_type": "execute_result", "execution_count": 1, "metadata": {},
                "data": {
                    "text/plain": "IntSlider(value=3)",
                    "application/vnd.jupyter.widget-view+json": {
                        "model_id": "abc", "version_major": 2, "version_minor": 0},
                },
            }],
        },
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "widgets": {"application/vnd.jupyter.widget-state+json": {
            "state": {"abc": {
                "model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls",
                "model_module_version": "2.0.0", "state": {"value": 3}}},
            "version_major": 2, "version_minor": 0}},
    },
    "nbformat": 4, "nbformat_minor": 5,
}


@pytest.fixture(scope="module")
def small_book(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("offline") / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF)
    (src / "index.md").write_text(
        "# Boek\n\n```{toctree}\nformules\nwidgets\n```\n"
    )
    (src / "formules.md").write_text("# Formules\n\nDe doorlooptijd $T = t_1 - t_0$.\n")
    (src / "widgets.ipynb").write_text(json.dumps(WIDGET_NOTEBOOK))
    out = src.parent / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    (out / "build.log").write_text(proc.stderr)
    return out


def test_math_page_loads_mathjax_from_the_book(small_book):
    html = (small_book / "formules.html").read_text()
    assert 'src="_static/vendor/mathjax/tex-mml-chtml.js' in html
    assert "cdn.jsdelivr.net" not in html
    mathjax = small_book / "_static" / "vendor" / "mathjax"
    assert (mathjax / "tex-mml-chtml.js").is_file()
    assert list((mathjax / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))


def test_widget_page_has_no_cdn_scripts_and_no_dead_widget_state(small_book):
    html = (small_book / "widgets.html").read_text()
    assert "require.min.js" not in html
    assert "html-manager" not in html
    assert offline.WIDGET_STATE_TYPE not in html
    assert offline.find_foreign_references(html) == []


def test_pages_use_the_icon_font_instead_of_the_fontawesome_script(small_book):
    for page in ("index.html", "formules.html", "widgets.html"):
        html = (small_book / page).read_text()
        assert "fontawesome.js" not in html
        assert 'class="fa-solid' in html or "fa-solid" in html


def test_build_reports_no_foreign_assets(small_book):
    assert "andere host" not in (small_book / "build.log").read_text()


def test_foreign_references_are_found_but_plain_links_are_not():
    html = """
    <a href="https://www.noraonline.nl/wiki/Ketensturing">NORA</a>
    <script src="https://cdn.example.org/lib.js"></script>
    <link rel="stylesheet" href="//fonts.example.org/font.css">
    <img alt="grafiek" src="https://img.example.org/a.png">
    <style>@import url("https://fonts.example.org/x.css");</style>
    <svg xmlns="http://www.w3.org/2000/svg"></svg>
    <script src="_static/local.js"></script>
    """
    assert offline.find_foreign_references(html) == [
        "https://cdn.example.org/lib.js",
        "https://img.example.org/a.png",
        "//fonts.example.org/font.css",
        "https://fonts.example.org/x.css",
    ]


@pytest.mark.parametrize(
    ("uri", "foreign"),
    [
        ("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js", True),
        ("//cdnjs.cloudflare.com/x.js", True),
        ("_static/vendor/mathjax/tex-mml-chtml.js", False),
        ("../_static/app.js", False),
        ("file:///tmp/x.js", False),
    ],
)
def test_is_foreign_tells_other_hosts_from_local_files(uri, foreign):
    assert offline.is_foreign(uri) is foreign


def test_missing_mathjax_is_reported_as_not_found(tmp_path, monkeypatch):
    monkeypatch.setenv("KETENCURSUS_NODE_MODULES", str(tmp_path / "leeg"))
    assert offline.candidate_node_modules(tmp_path)[0] == tmp_path / "leeg"
    monkeypatch.setattr(offline, "candidate_node_modules", lambda confdir: [tmp_path])
    assert offline.find_mathjax(tmp_path) is None
