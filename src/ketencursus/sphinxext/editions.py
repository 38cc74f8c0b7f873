"""The book's offline editions (PDF and ePub) inside Sphinx, and their download links online.

One config value tells the build which book it makes: ``ketencursus_editie`` is empty for
the online book (the default, which this module leaves exactly as it was) and ``"offline"``
when :mod:`ketencursus.publish.editions` builds the pages that become the PDF and the ePub.
In the offline build:

* every dropdown (the model answers) is open, and so is the "Figuur in woorden" text
  version of a chapter figure (``figures.py``): paper cannot unfold anything;
* the script-only parts of the online book, the reflection forms (``kc-rf``, see
  :mod:`ketencursus.reflection.page`) and the what-if simulations (``kc-wa``, see
  :mod:`ketencursus.cases.whatif_page`), are replaced by a short pointer to the same page of
  the online book, with its full URL: ``html_baseurl`` (``html: baseurl:`` in
  ``_config.yml``) is the one place that says where the online book lives;
* the self-checks (``quiz.py``) are printed as questions, with their answer key gathered at
  the end of the chapter (:class:`AnswerKeysToChapterEnd`).

Online, ``{edities}`` (on the start page) and the footer of every page link to the PDF and
the ePub, but only when the files are there: ``make edities`` writes them to
``_build/html/edities/`` and then builds the online book, so a plain ``make book`` never shows
a dead link. Whether they are there is a config value of kind ``html``, so adding or removing
them rewrites every page on the next build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

CONFIG = "ketencursus_editie"
OFFLINE = "offline"
#: where the editions are served from, relative to the root of the built online book
DOWNLOAD_DIR = "edities"
#: format -> file name in DOWNLOAD_DIR
FILES = {"pdf": "ketencursus.pdf", "epub": "ketencursus.epub"}
LABELS = {"pdf": "PDF", "epub": "ePub"}

#: marker class of a script-only block in a notebook output -> what it is, in Dutch
SCRIPT_ONLY = {
    "kc-rf": ("Invulformulier", "Het invulformulier van deze oefening werkt in het online boek "
              "(je antwoorden blijven daar in je eigen browser) en in het notebook. Open deze "
              "pagina online om de oefening in te vullen:"),
    "kc-wa": ("Wat-als-simulatie", "De wat-als-simulatie met schuifjes werkt in het online "
              "boek en in het notebook. Daar kies je zelf de wachttijd per overdracht, de "
              "foutkans, de hersteltijd en de samenwerkingsvorm, en zie je meteen wat dat doet "
              "met de doorlooptijd en first time right. Open deze pagina online:"),
}
KEY_TITLE = "Antwoorden bij de zelftoets"


def is_offline(config: Config) -> bool:
    return getattr(config, CONFIG, "") == OFFLINE


def online_url(config: Config, docname: str = "") -> str:
    """The address of ``docname`` (or of the book) in the online book."""
    base = str(config.html_baseurl or "").strip()
    if not base:
        return ""
    base = base.rstrip("/") + "/"
    return base + (f"{docname}.html" if docname else "")


def available_editions(outdir: str | Path) -> dict[str, Path]:
    """The edition files present in a built online book (format -> path)."""
    folder = Path(outdir) / DOWNLOAD_DIR
    return {fmt: folder / name for fmt, name in FILES.items() if (folder / name).is_file()}


def _size(path: Path) -> str:
    from ketencursus._util import nl

    return f"{nl.number(path.stat().st_size / 1_000_000, 1)} MB"


def _link(href: str, fmt: str, path: Path) -> str:
    return (f'<a href="{href}" download type="{_MEDIA[fmt]}">{LABELS[fmt]}</a> '
            f"({_size(path)})")


_MEDIA = {"pdf": "application/pdf", "epub": "application/epub+zip"}


# --- online: the download links ---------------------------------------------------------------

class edities_links(nodes.General, nodes.Element):
    """Where the ``{edities}`` directive stood; rendered when the page is written."""


class EditiesDirective(SphinxDirective):
    """``{edities}``: "Download als PDF / ePub" online (when the files are there); in the
    offline editions, where the online book is."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return [edities_links()]


def _visit_links(self: Any, node: edities_links) -> None:
    builder = self.builder
    config = builder.config
    if is_offline(config):
        url = online_url(config)
        self.body.append(
            '<p class="kc-edities">Je leest de PDF- of ePub-uitgave van dit boek, met de hele '
            "cursustekst. De online versie heeft daarnaast zelftoetsen die meteen feedback "
            "geven, wat-als-simulaties en invulformulieren voor de reflectie-oefeningen: "
            f'<a href="{url}">{url}</a>.</p>\n'
        )
        raise nodes.SkipNode
    found = available_editions(builder.outdir) if builder.format == "html" else {}
    if not found or builder.name.startswith("epub"):
        raise nodes.SkipNode
    root = "../" * builder.current_docname.count("/")
    links = " of ".join(_link(f"{root}{DOWNLOAD_DIR}/{FILES[f]}", f, p) for f, p in found.items())
    self.body.append(
        f'<p class="kc-edities"><strong>Download als {" / ".join(LABELS[f] for f in found)}'
        f"</strong>: het hele boek om offline of op papier te lezen, als {links}. De "
        "zelftoetsen staan daarin met de antwoorden aan het eind van elk hoofdstuk; voor de "
        "invulformulieren en de wat-als-simulaties verwijst de uitgave naar deze website.</p>\n"
    )
    raise nodes.SkipNode


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _footer(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The download links in the footer of every page (root-relative: ``offline.py``
    rewrites them per page, which is why this handler runs before it)."""
    if is_offline(app.config) or app.builder.name != "html":
        return
    found = available_editions(app.outdir)
    footer = context.get("theme_extra_footer")
    if not found or not footer:
        return
    links = " of ".join(f'<a href="{DOWNLOAD_DIR}/{FILES[f]}" download>{LABELS[f]}</a>'
                        for f in found)
    context["theme_extra_footer"] = (
        f"{footer}\n<p class=\"kc-edities-footer\">Download dit boek als {links}.</p>"
    )


def _note_editions(app: Sphinx, config: Config) -> None:
    # Which files exist is part of the pages (links): a change rewrites every page.
    config.ketencursus_edities_aanwezig = ",".join(sorted(available_editions(app.outdir)))


# --- offline: the self-checks' answer keys, the pointers, open dropdowns ---------------------

class antwoordsleutel(nodes.General, nodes.Element):
    """The answer key of one ``{quiz}`` block; :class:`AnswerKeysToChapterEnd` moves its
    content to the end of the chapter."""


class AnswerKeysToChapterEnd(SphinxTransform):
    """Gather every answer key of a page in one section at the end of the chapter."""

    default_priority = 200

    def apply(self, **kwargs: Any) -> None:
        keys = list(self.document.findall(antwoordsleutel))
        if not keys:
            return
        chapter = self.document.next_node(nodes.section)
        section = nodes.section(ids=["antwoorden-bij-de-zelftoets"],
                                names=["antwoorden bij de zelftoets"],
                                classes=["kc-antwoordsleutel"])
        section += nodes.title(text=KEY_TITLE)
        for key in keys:
            key.parent.remove(key)
            section.extend(key.children)
        if chapter is None:
            self.document += section
        else:
            chapter += section
        self.document.note_implicit_target(section, section)


def _marker(raw: nodes.raw) -> str | None:
    text = raw.astext()
    for marker in SCRIPT_ONLY:
        if f"class='{marker}'" in text or f'class="{marker}"' in text:
            return marker
    return None


class OfflineEdition(SphinxPostTransform):
    """Open the dropdowns and replace the script-only blocks by a pointer (offline only).

    Runs after myst-nb has chosen the output's mime type (priority 4) and before
    sphinx-design writes the dropdowns (199)."""

    default_priority = 100

    def run(self, **kwargs: Any) -> None:
        if not is_offline(self.config):
            return
        from sphinx_design.shared import is_component

        for node in self.document.findall(lambda n: is_component(n, "dropdown")):
            if isinstance(node, nodes.Element):
                node["opened"] = True
        for raw in list(self.document.findall(nodes.raw)):
            if "html" not in raw.get("format", "").split():
                continue
            marker = _marker(raw)
            if marker is None:
                continue
            title, text = SCRIPT_ONLY[marker]
            url = online_url(self.config, self.env.docname)
            if not url:
                logger.warning(
                    "de uitgave verwijst voor dit blok naar het online boek, maar het adres "
                    "ontbreekt: zet html.baseurl in _config.yml", location=raw,
                )
            box = nodes.admonition(classes=["kc-online", "note"])
            box += nodes.title(text=f"{title}: alleen online")
            para = nodes.paragraph(text=text + " ")
            para += nodes.reference(url, url, refuri=url)
            para += nodes.Text(".")
            box += para
            raw.replace_self(box)


def _epub_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """An ePub page without scripts (nothing in it needs one; a scripted page must be declared
    as such) and without myst-nb's stylesheet, whose modern CSS EPUB's CSS profile rejects."""
    if not app.builder.name.startswith("epub"):
        return
    context["script_files"] = []
    css = context.get("css_files")
    if isinstance(css, list):
        css[:] = [c for c in css if not str(getattr(c, "filename", c)).startswith("_static/mystnb.")
                  and not str(getattr(c, "filename", c)).startswith("mystnb.")]


_SCRIPT = re.compile(r"<script\b.*?</script>", re.IGNORECASE | re.DOTALL)
_STYLE = re.compile(r"<style\b.*?</style>", re.IGNORECASE | re.DOTALL)
_VALIGN = re.compile(r"""\svalign=(?:"[^"]*"|'[^']*'|\S+)""", re.IGNORECASE)


def clean_raw_html(text: str) -> str:
    """Raw HTML fit for paper and for EPUB's XHTML: no scripts (sphinx-thebe's configuration;
    nothing on paper runs), no ``<style>`` inside the body (pandas' table styling) and no
    ``valign`` (pandas' table headers; not HTML5)."""
    return _VALIGN.sub("", _STYLE.sub("", _SCRIPT.sub("", text)))


class OfflineMarkup(SphinxPostTransform):
    """After sphinx-design (offline only): no state marker on the open dropdowns (an inline
    SVG without namespace, and nothing to click on paper)."""

    default_priority = 210

    def run(self, **kwargs: Any) -> None:
        if not is_offline(self.config):
            return
        for marker in list(self.document.findall(nodes.inline)):
            if "sd-summary-state-marker" in marker.get("classes", []):
                marker.parent.remove(marker)


def _clean_raw(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Last, after sphinx-thebe added its configuration scripts (doctree-resolved)."""
    if not is_offline(app.config):
        return
    for raw in list(doctree.findall(nodes.raw)):
        if "html" not in raw.get("format", "").split():
            continue
        text = raw.astext()
        cleaned = clean_raw_html(text)
        if cleaned != text:
            if cleaned.strip():
                raw.replace_self(nodes.raw("", cleaned, format=raw["format"]))
            else:
                raw.parent.remove(raw)


def setup(app: Sphinx) -> dict:
    app.add_config_value(CONFIG, "", "env", types=[str])
    app.add_config_value("ketencursus_edities_aanwezig", "", "html", types=[str])
    app.add_node(edities_links, html=(_visit_links, None), latex=(_skip, None),
                 text=(_skip, None), man=(_skip, None), texinfo=(_skip, None))
    app.add_node(antwoordsleutel)
    app.add_directive("edities", EditiesDirective)
    app.add_transform(AnswerKeysToChapterEnd)
    app.add_post_transform(OfflineEdition)
    app.connect("config-inited", _note_editions)
    app.connect("html-page-context", _footer, priority=400)
    app.add_post_transform(OfflineMarkup)
    app.connect("doctree-resolved", _clean_raw, priority=900)
    app.connect("html-page-context", _epub_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
