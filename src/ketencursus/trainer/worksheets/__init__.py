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

Adding sheets from another module (role cards, a feedback form): describe them with the model
(plain frozen dataclasses; generate them from your own definitions, never copy text), give
the module a function ``sheets() -> Iterable[Sheet]`` and add its dotted name to
:data:`~.registry.SHEET_MODULES`. ``ketencursus werkbladen --lijst`` then lists them, the tests
in ``tests/trainer/test_worksheets.py`` hold them to one or two tagged A4 pages, and the
directive ``werkbladen`` (:mod:`ketencursus.sphinxext.worksheets`) offers them in the docent
edition. To render one sheet without the registry: ``render_html(sheet, imprint)`` or
``render_pdf(sheet, imprint)`` with ``Imprint.from_repository(root)``.
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
