"""Plain JavaScript and CSS for the interactive parts of the static book (no kernel, no CDN):
the reflection forms (``ketencursus-reflectie.*``, see ``ketencursus.reflection.page``) and
the what-if figures of the case pages (``ketencursus-watals.*``, see
``ketencursus.cases.whatif_page``). Served from the book's ``_static``."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

STATIC = Path(__file__).parent / "static"
ASSETS = ("ketencursus-reflectie", "ketencursus-watals")


def _add_static_path(app: Sphinx, config: Config) -> None:
    paths = list(config.html_static_path or [])
    if str(STATIC) not in paths:
        paths.append(str(STATIC))
    config.html_static_path = paths


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _add_static_path)
    for name in ASSETS:
        if (STATIC / f"{name}.js").is_file():
            app.add_js_file(f"{name}.js", defer="defer")
        if (STATIC / f"{name}.css").is_file():
            app.add_css_file(f"{name}.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
