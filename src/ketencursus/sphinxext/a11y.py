"""Accessibility fixes for markup that Sphinx, docutils or the theme write (WCAG 2.1 AA).

* Citation lists (the bibliography, footnote-style citations): docutils writes
  ``<div role="list">`` whose entries have ``role="doc-biblioentry"``, a role deprecated in
  DPUB-ARIA 1.1; axe-core reports it as *aria-required-children* (critical: a list whose
  children are not list items). Entries get ``role="listitem"`` instead, which screen readers
  announce as items of the list.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def fix_body(html: str) -> str:
    """Apply the markup fixes to a rendered page body."""
    return html.replace('role="doc-biblioentry"', 'role="listitem"')


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if isinstance(body, str) and "doc-biblioentry" in body:
        context["body"] = fix_body(body)


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
