"""Accessibility fixes for markup that Sphinx, docutils or the theme write (WCAG 2.1 AA).

* Citation lists (the bibliography, footnote-style citations): docutils writes
  ``<div role="list">`` whose entries have ``role="doc-biblioentry"``, a role deprecated in
  DPUB-ARIA 1.1; axe-core reports it as *aria-required-children* (critical: a list whose
  children are not list items). Entries get ``role="listitem"`` instead, which screen readers
  announce as items of the list.
* Launch buttons (Binder, JupyterHub, Colab): the theme gives the service's logo the English
  alt text "Binder logo" right before the visible label "Binder". The logo is decorative
  there (the label names the link), so it gets ``alt=""`` and the link is read once, in Dutch
  context, by its label.
* The book theme's print table of contents is a ``<nav aria-label="Page">`` hard-coded in
  English in its layout; the landmark gets a Dutch name.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

# the logo image of a launch button, whose alt text is "<Service> logo"
_BUTTON_LOGO = re.compile(r'(<span class="btn__icon-container">\s*<img\b[^>]*?\balt=")[^"]* logo"')


def fix_body(html: str) -> str:
    """Apply the markup fixes to a rendered page body."""
    return html.replace('role="doc-biblioentry"', 'role="listitem"')


def fix_page(html: str) -> str:
    """Apply the fixes that concern the theme's page furniture (outside the body)."""
    html = html.replace('<nav aria-label="Page">', '<nav aria-label="Inhoud van deze pagina">')
    return _BUTTON_LOGO.sub(r'\1"', html)


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        if "_static" in page.relative_to(outdir).parts:
            continue
        html = page.read_text(encoding="utf-8")
        fixed = fix_page(html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if isinstance(body, str) and "doc-biblioentry" in body:
        context["body"] = fix_body(body)


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
