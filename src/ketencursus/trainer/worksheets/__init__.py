"""Printable A4 worksheets for classroom sessions, generated from the course's definitions.

* :mod:`.model`: the sheet model (``Sheet``, ``Section`` and the blocks ``Text``, ``Fields``,
  ``Table``, ``Choice``, ``Canvas``, ``Cards``);
* :mod:`.render`: a sheet to HTML (Jinja2, print CSS) and to a tagged A4 PDF (WeasyPrint);
* :mod:`.registry`: which modules contribute sheets (``SHEET_MODULES``), ``all_sheets()``,
  ``select(ids)``;
* :mod:`.output`: writing PDFs, HTML files and an overview to a directory;
* :mod:`.sheets`: the course's own sheets, each generated from the definition it shares with
  an online exercise where there is one;
* :mod:`.cli`: ``ketencursus werkbladen``.

How another module adds sheets: ``/work/notes/werkbladen-api.md`` and the README section.
"""

from __future__ import annotations

from .model import (
    Block,
    Canvas,
    Card,
    Cards,
    Choice,
    Column,
    Field,
    Fields,
    Row,
    Section,
    Sheet,
    SheetDefinitionError,
    Table,
    Text,
)
from .registry import SHEET_MODULES, UnknownSheetError, all_sheets, get, select
from .render import Imprint, Rendered, render_html, render_pdf

__all__ = [
    "SHEET_MODULES", "Block", "Canvas", "Card", "Cards", "Choice", "Column", "Field", "Fields",
    "Imprint", "Rendered", "Row", "Section", "Sheet", "SheetDefinitionError", "Table", "Text",
    "UnknownSheetError", "all_sheets", "get", "render_html", "render_pdf", "select",
]
