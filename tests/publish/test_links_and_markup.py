"""Link checker, same-origin rule and markup fixes, on small hand-made pages."""

from __future__ import annotations

from pathlib import Path

from ketencursus.sphinxext.a11y import fix_body, fix_page
from ketencursus.sphinxext.offline import root_relative_links
from tests.support.links import check_book
from tests.support.site import is_same_origin, serve


def _write(root: Path, rel: str, html: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html lang='nl'><body>{html}</body></html>")


def test_link_checker_accepts_existing_files_and_anchors(tmp_path):
    _write(tmp_path, "index.html", '<a href="book/h1.html#zaak">h1</a><a href="#top">boven</a>'
                                   '<img src="_static/a.png" alt="grafiek van de doorlooptijd">')
    _write(tmp_path, "book/h1.html", '<section id="zaak"></section><a href="../index.html">'
                                     'terug</a><a href="https://example.org/x#y">extern</a>'
                                     '<a href="mailto:a@b.nl">mail</a><a href="">zelf</a>')
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.png").write_bytes(b"png")
    assert check_book(tmp_path) == []


def test_link_checker_reports_missing_file_missing_anchor_and_escape(tmp_path):
    _write(tmp_path, "index.html", '<a href="book/h9.html">weg</a><a href="book/h1.html#nee">'
                                   'anker</a><a href="../buiten.html">buiten</a>')
    _write(tmp_path, "book/h1.html", '<h1 id="ja">h1</h1>')
    found = sorted(str(b) for b in check_book(tmp_path))
    assert found == [
        "index.html: ../buiten.html (buiten het boek)",
        "index.html: book/h1.html#nee (anker #nee bestaat niet)",
        "index.html: book/h9.html (bestand bestaat niet)",
    ]


def test_directory_links_resolve_to_their_index(tmp_path):
    _write(tmp_path, "index.html", '<a href="book/">boek</a>')
    _write(tmp_path, "book/index.html", "")
    assert check_book(tmp_path) == []


def test_same_origin_rule():
    base = "http://127.0.0.1:8123/"
    assert is_same_origin("http://127.0.0.1:8123/_static/x.js", base)
    assert is_same_origin("data:image/png;base64,AAAA", base)
    assert not is_same_origin("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js", base)
    assert not is_same_origin("http://127.0.0.1:9999/x.js", base)


def test_server_serves_the_directory_on_loopback(tmp_path):
    import urllib.request

    _write(tmp_path, "index.html", "hallo")
    with serve(tmp_path) as base:
        assert base.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(base + "index.html") as response:
            assert b"hallo" in response.read()


def test_citation_entries_become_list_items():
    body = ('<div role="list" class="citation-list">\n<div class="citation" id="a" '
            'role="doc-biblioentry">x</div>\n</div>')
    fixed = fix_body(body)
    assert 'role="listitem"' in fixed and "doc-biblioentry" not in fixed


def test_footer_links_are_rewritten_relative_to_each_page():
    def pathto(target: str, resource: int) -> str:  # what Sphinx gives on book/h1.html
        assert resource == 1
        return "../" + target

    html = ('<a href="book/bronnen.html#licentie">Bronnen</a> <a href="https://nora.nl/">NORA</a>'
            ' <a href="../al-relatief.html">x</a>')
    assert root_relative_links(html, pathto) == (
        '<a href="../book/bronnen.html#licentie">Bronnen</a> <a href="https://nora.nl/">NORA</a>'
        ' <a href="../al-relatief.html">x</a>'
    )


def test_launch_button_logo_is_decorative_next_to_its_label():
    html = ('<a href="https://mybinder.org/v2/gh/x/y/main?urlpath=lab/tree/a.ipynb">\n'
            '<span class="btn__icon-container">\n    <img alt="Binder logo" '
            'src="../_static/images/logo_binder.svg">\n  </span>\n'
            '<span class="btn__text-container">Binder</span></a>'
            '<img alt="Histogram van de doorlooptijd" src="fig.png">')
    fixed = fix_page(html)
    assert '<img alt="" src="../_static/images/logo_binder.svg">' in fixed
    assert 'alt="Histogram van de doorlooptijd"' in fixed
