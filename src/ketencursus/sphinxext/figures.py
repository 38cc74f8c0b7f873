"""The ``{hoofdstukfiguur}`` directive: one figure per chapter, drawn at build time.

A chapter's figure is a Graphviz ``dot`` source file in the repository (``book/figuren/``);
``sphinx.ext.graphviz`` runs Debian's ``dot`` during the build, so no drawing is committed as
a binary and nothing is fetched from outside. The HTML output is a PNG in a real
``<img alt="...">`` (the SVG output would be an ``<object>`` without a proper text
alternative), and the LaTeX/PDF and ePub builders render the same source.

Usage in a chapter (MyST)::

    ```{hoofdstukfiguur} figuren/h4_zaak.dot
    :alt: Korte Nederlandse beschrijving van wat de figuur laat zien
    :caption: Het bijschrift onder de figuur

    De figuur in woorden: wat er staat en hoe het samenhangt (de tekstversie).
    ```

The directive refuses (a build warning, which fails the strict build) a figure without alt
text, with alt text that is not a Dutch description, without caption, without a text version,
or a second figure on the same page. The text version becomes a native ``<details>`` element
("Figuur in woorden"), collapsed and keyboard accessible, right below the figure; in other
output formats it is printed as ordinary paragraphs.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.ext.graphviz import Graphviz
from sphinx.util import logging
from sphinx.util.typing import OptionSpec

from .editions import is_offline

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
CSS_FILE = "ketencursus-figuren.css"
SUMMARY = "Figuur in woorden"
TEXT_CLASS = "tekstalternatief"
FIGURE_CLASS = "hoofdstukfiguur"

# Alt texts that are placeholders or machine-made rather than a description.
PLACEHOLDER_ALT = re.compile(
    r"^(image|img|figure|plot|chart|graph|png|output|logo|picture|afbeelding)\b|<Figure size|"
    r"\.(png|jpe?g|svg|gif)$",
    re.IGNORECASE,
)
DUTCH_WORDS = {"de", "het", "een", "van", "en", "in", "met", "naar", "voor", "op", "bij", "die",
               "dat", "zijn", "is", "wordt", "tussen", "over", "na", "per", "ook", "niet"}
ENGLISH_WORDS = {"the", "and", "with", "shows", "showing", "from", "this", "that", "image",
                 "figure", "chart", "plot", "between", "after", "before"}
# Sphinx writes the alt text into the HTML attribute as it is (not escaped).
UNSAFE_IN_ALT = re.compile(r'["<>&]')


def is_dutch_description(alt: str) -> bool:
    """At least two words, not a placeholder, and more Dutch than English function words."""
    words = re.findall(r"[a-zà-ÿ]+", alt.lower())
    if len(words) < 2 or PLACEHOLDER_ALT.search(alt.strip()):
        return False
    dutch = sum(w in DUTCH_WORDS for w in words)
    english = sum(w in ENGLISH_WORDS for w in words)
    return dutch >= 1 and dutch > english


def alt_problems(alt: str) -> list[str]:
    """What is wrong with a figure's alt text, in Dutch (empty: nothing)."""
    alt = alt.strip()
    if not alt:
        return ["de figuur heeft geen alt-tekst: geef :alt: een korte Nederlandse beschrijving"]
    problems = []
    if not is_dutch_description(alt):
        problems.append(
            f"de alt-tekst {alt!r} is geen Nederlandse beschrijving: beschrijf in een zin wat "
            "de figuur laat zien"
        )
    if UNSAFE_IN_ALT.search(alt):
        problems.append(
            "de alt-tekst bevat \", <, > of &: gebruik „ en ” of laat die tekens weg"
        )
    return problems


class tekstalternatief(nodes.General, nodes.Element):
    """The figure described in words (a ``<details>`` in HTML)."""


def _visit_details(self: Any, node: tekstalternatief) -> None:
    # open in the PDF and ePub editions (see editions.py): paper cannot unfold it
    opened = ' open="open"' if is_offline(self.builder.config) else ""
    self.body.append(
        f'<details class="{TEXT_CLASS}"{opened}>\n<summary>{SUMMARY}</summary>\n'
        '<div class="tekstalternatief-inhoud">\n'
    )


def _depart_details(self: Any, node: tekstalternatief) -> None:
    self.body.append("</div>\n</details>\n")


def _visit_plain(self: Any, node: tekstalternatief) -> None:
    pass


def _depart_plain(self: Any, node: tekstalternatief) -> None:
    pass


class HoofdstukFiguur(Graphviz):
    """A chapter figure from a dot file, with required alt text, caption and text version."""

    required_arguments = 1
    optional_arguments = 0
    has_content = True
    option_spec: ClassVar[OptionSpec] = {
        "alt": directives.unchanged,
        "caption": directives.unchanged,
        "name": directives.unchanged,
    }

    def _refuse(self, message: str) -> list[nodes.Node]:
        logger.warning(
            "hoofdstukfiguur: %s", message, location=(self.env.docname, self.lineno)
        )
        return []

    def run(self) -> list[nodes.Node]:
        alt = self.options.get("alt", "")
        problems = alt_problems(alt)
        if not self.options.get("caption", "").strip():
            problems.append("de figuur heeft geen bijschrift: geef :caption: een titel")
        content: StringList = self.content
        text = StringList(list(content), items=list(content.items))
        if not "\n".join(text).strip():
            problems.append(
                "de figuur heeft geen tekstversie: beschrijf de figuur in woorden als inhoud "
                "van het blok"
            )
        seen = self.env.temp_data.setdefault("ketencursus_hoofdstukfiguren", 0)
        if seen:
            problems.append("een hoofdstuk heeft één figuur: deze pagina heeft er al een")
        if problems:
            return self._refuse("; ".join(problems))
        self.env.temp_data["ketencursus_hoofdstukfiguren"] = seen + 1

        self.options["alt"] = alt.strip()
        self.options["class"] = [FIGURE_CLASS]
        self.content = StringList()  # Graphviz refuses a file argument together with content
        result = super().run()
        for node in result:
            if isinstance(node, nodes.figure):
                node["classes"].append(FIGURE_CLASS)

        alternative = tekstalternatief()
        self.state.nested_parse(text, self.content_offset, alternative)
        return [*result, alternative]


def _check_dot(app: Sphinx) -> None:
    if shutil.which(app.config.graphviz_dot) is None:
        logger.warning(
            "hoofdstukfiguur: het programma %r van Graphviz ontbreekt, dus de figuren kunnen "
            "niet getekend worden: installeer het Debian-pakket graphviz "
            "(zie requirements/debian-book.txt)",
            app.config.graphviz_dot,
        )


def _drop_image_maps_from_epub(app: Sphinx) -> list:
    """``sphinx.ext.graphviz`` writes a client-side image map (``.map``) next to each PNG. The
    chapter figures have no links, so the maps are empty; an ePub has no media type for them
    and warns ("unknown mimetype"). Remove them before the ePub's manifest is written."""
    if app.builder.name.startswith("epub"):
        for image_map in (Path(app.builder.outdir) / app.builder.imagedir).glob("graphviz-*.map"):
            image_map.unlink()
    return []  # html-collect-pages: no extra pages


def _add_static_path(app: Sphinx, config: Config) -> None:
    paths = list(config.html_static_path or [])
    if str(STATIC) not in paths:
        paths.append(str(STATIC))
    config.html_static_path = paths


def setup(app: Sphinx) -> None:
    app.setup_extension("sphinx.ext.graphviz")
    app.connect("config-inited", _add_static_path)
    app.add_css_file(CSS_FILE)
    app.add_node(
        tekstalternatief,
        html=(_visit_details, _depart_details),
        latex=(_visit_plain, _depart_plain),
        text=(_visit_plain, _depart_plain),
        man=(_visit_plain, _depart_plain),
        texinfo=(_visit_plain, _depart_plain),
    )
    app.add_directive("hoofdstukfiguur", HoofdstukFiguur)
    app.connect("builder-inited", _check_dot)
    app.connect("html-collect-pages", _drop_image_maps_from_epub)
