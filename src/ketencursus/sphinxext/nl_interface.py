"""Dutch interface strings for the book's theme.

Sphinx, pydata-sphinx-theme and sphinx-book-theme leave part of their interface in
English with ``language: nl`` (their Dutch catalogs are incomplete, and a few strings are
hard-coded in templates). This module

* compiles ``locale/nl.po`` (our own translations) to a ``.mo`` catalog in the build's
  doctree directory and registers it for the ``sphinx`` and ``booktheme`` domains, so the
  themes' ``_()`` calls find Dutch text;
* puts our ``templates/`` first on the template path: copies of the book theme's components
  whose hard-coded English labels now go through ``_()``;
* sets the search field's placeholder text.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx.application import Sphinx
from sphinx.config import Config

HERE = Path(__file__).parent
PO_FILE = HERE / "locale" / "nl.po"
TEMPLATES = HERE / "templates"
SEARCH_PLACEHOLDER = "Zoek in dit boek..."
DOMAINS = ("sphinx", "booktheme")


def compile_catalog(target_dir: Path) -> Path:
    """Compile ``nl.po`` into ``target_dir/nl/LC_MESSAGES/<domain>.mo`` for every domain."""
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle, locale="nl")
    out = target_dir / "nl" / "LC_MESSAGES"
    out.mkdir(parents=True, exist_ok=True)
    for domain in DOMAINS:
        with (out / f"{domain}.mo").open("wb") as handle:
            write_mo(handle, catalog)
    return target_dir


def _configure(app: Sphinx, config: Config) -> None:
    options = dict(config.html_theme_options or {})
    options["search_bar_text"] = SEARCH_PLACEHOLDER
    config.html_theme_options = options
    config.templates_path = [str(TEMPLATES), *list(config.templates_path or [])]


def setup(app: Sphinx) -> None:
    locale_dir = compile_catalog(Path(app.doctreedir) / "ketencursus-locale")
    for domain in DOMAINS:
        app.add_message_catalog(domain, str(locale_dir))
    app.connect("config-inited", _configure, priority=900)
