"""Plain JavaScript and CSS for the interactive parts of the static book (no kernel, no CDN):
the reflection forms (``ketencursus-reflectie.*``, see ``ketencursus.reflection.page``) and
the what-if figures of the case pages (``ketencursus-watals.*``, see
``ketencursus.cases.whatif_page``). Served from the book's ``_static``."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

STATIC = Path(__file__).parent / "static"
#: asset name -> the class its block carries in a page body (only those pages load it)
ASSETS = {"ketencursus-reflectie": "kc-rf", "ketencursus-watals": "kc-wa"}


def _add_static_path(app: Sphinx, config: Config) -> None:
    paths = list(config.html_static_path or [])
    if str(STATIC) not in paths:
        paths.append(str(STATIC))
    config.html_static_path = paths


def _add_assets(app: Sphinx, pagename: str, templatename: str, context: dict,
                doctree) -> None:
    """Load a script and its stylesheet only on pages that hold its block (a case page
    does not pay for the reflection script, a chapter for neither)."""
    body = str(context.get("body", ""))
    for name, marker in ASSETS.items():
        if f"class='{marker}'" in body or f'class="{marker}"' in body:
            app.add_js_file(f"{name}.js", defer="defer")
            app.add_css_file(f"{name}.css")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _add_static_path)
    app.connect("html-page-context", _add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
