from __future__ import annotations

from ketencursus.sphinxext.a11y import fix_page


def test_print_toc_landmark_gets_a_dutch_name():
    html = '<div id="jb-print-toc"><nav aria-label="Page"><ul></ul></nav></div>'
    assert fix_page(html) == (
        '<div id="jb-print-toc"><nav aria-label="Inhoud van deze pagina"><ul></ul></nav></div>'
    )
