"""A :class:`~.model.Sheet` to HTML (Jinja2 template + print CSS) and to a tagged A4 PDF
(WeasyPrint, PDF/UA-1: tagged structure, document title and language ``nl`` in the metadata).

The imprint (the course's name and licence line, and the bibliography the sheets cite) comes
from the course repository itself: ``_config.yml`` (``title``, ``author``, ``copyright``) and
``book/references.bib``, formatted with the book's Dutch bibliography style.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ketencursus.errors import UserError

from .model import Sheet

#: The PDF variant WeasyPrint writes: tagged PDF for screen readers, with title and language.
PDF_VARIANT = "pdf/ua-1"
LANG = "nl"


class ImprintError(UserError):
    """The course repository's ``_config.yml`` or ``book/references.bib`` cannot be read."""


@dataclass(frozen=True)
class Imprint:
    """What every sheet's footer and source list print, read from the course repository."""

    course: str
    author: str
    licence: str
    references: Mapping[str, str]

    @classmethod
    def from_repository(cls, root: Path) -> Imprint:
        config_path = root / "_config.yml"
        try:
            config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ImprintError(
                f"{config_path} is geen geldige YAML ({exc}). Herstel het bestand en probeer "
                "het opnieuw."
            ) from None
        missing = [key for key in ("title", "copyright") if not config.get(key)]
        if missing:
            raise ImprintError(
                f"{config_path} mist {', '.join(missing)}: de werkbladen drukken de naam en de "
                "licentie van de cursus af. Vul ze in en probeer het opnieuw."
            )
        return cls(
            course=str(config["title"]),
            author=str(config.get("author", "")),
            licence=str(config["copyright"]),
            references=format_references(root / "book" / "references.bib"),
        )

    def cite(self, sheet: Sheet) -> list[str]:
        """The formatted references of the sheet's citation keys, in the sheet's order."""
        unknown = [key for key in sheet.sources if key not in self.references]
        if unknown:
            raise ImprintError(
                f"Werkblad {sheet.id!r} citeert {', '.join(unknown)}, maar dat staat niet in "
                "book/references.bib. Voeg de bron daar toe of verbeter de sleutel."
            )
        return [self.references[key] for key in sheet.sources]


def format_references(bib: Path) -> dict[str, str]:
    """Every entry of a BibTeX file as plain text in the book's Dutch style (``nl``)."""
    try:
        text = bib.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImprintError(
            f"{bib} bestaat niet; de werkbladen halen hun bronvermelding daaruit. Start het "
            "commando in de cursusrepository."
        ) from None
    return _format_bibtex(text)


@cache
def _format_bibtex(text: str) -> dict[str, str]:
    import pybtex.plugin
    from pybtex.database import parse_string

    from ketencursus.sphinxext import bibstyle  # registers the Dutch formatting style

    style = pybtex.plugin.find_plugin("pybtex.style.formatting", bibstyle.FORMATTING_STYLE)()
    data = parse_string(text, "bibtex")
    return {
        entry.key: entry.text.render_as("text")
        for entry in style.format_entries(data.entries.values())
    }


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("ketencursus.trainer.worksheets", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def stylesheet() -> str:
    """The print CSS (embedded in every sheet, so one HTML file prints on its own)."""
    return (resources.files("ketencursus.trainer.worksheets") / "templates" / "werkblad.css"
            ).read_text(encoding="utf-8")


def render_html(sheet: Sheet, imprint: Imprint) -> str:
    """The sheet as one self-contained HTML document (``lang="nl"``, CSS inline)."""
    return str(_environment().get_template("werkblad.html").render(
        sheet=sheet, imprint=imprint, references=imprint.cite(sheet), css=stylesheet(),
    ))


@dataclass(frozen=True)
class Rendered:
    sheet: Sheet
    html: str
    pdf: bytes
    pages: int


def render_pdf(sheet: Sheet, imprint: Imprint) -> Rendered:
    """HTML and tagged PDF of a sheet, with its page count."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = render_html(sheet, imprint)
    document = HTML(string=html).render(pdf_variant=PDF_VARIANT)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return Rendered(sheet, html, pdf, len(document.pages))
