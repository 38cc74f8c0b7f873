"""The sheet model: what a printable A4 worksheet consists of, as plain frozen data.

A :class:`Sheet` has a title, a purpose (why the group does this), an instruction (how), and
sections. A section holds blocks, in order:

* :class:`Text`: paragraphs printed as they are (explanations, a quoted definition);
* :class:`Fields`: labelled questions, each with a number of empty writing lines;
* :class:`Table`: columns and rows; a column is printed text (``text``), writing space
  (``write``) or a tick box (``box``); ``blank_rows`` adds empty rows to fill in;
* :class:`Choice`: a question with tick boxes, one per option;
* :class:`Canvas`: an empty framed area to draw in (a chain map);
* :class:`Cards`: boxes with a dashed cutting line (role cards, colour cards).

Nothing here knows about HTML: :mod:`.render` turns a sheet into HTML and PDF. Colour is never
the only carrier of meaning: a block that uses colour (a :class:`Card` with ``swatch``) also
prints the colour's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ketencursus.errors import UserError

ColumnKind = Literal["text", "write", "box"]


class SheetDefinitionError(UserError, ValueError):
    """A sheet definition that cannot be printed. Sheets are made from course data that
    trainers edit (the role-play YAML, ``trainer/rooster.yml``, ``trainer/peerreview.yml``), so
    the Dutch message reaches ``ketencursus werkbladen`` and the docent build as a user error."""


@dataclass(frozen=True)
class Text:
    """Paragraphs of printed text; ``quote`` prints them as a marked quotation with
    ``attribution`` under it."""

    paragraphs: tuple[str, ...]
    heading: str = ""
    quote: bool = False
    attribution: str = ""
    kind: str = field(default="text", init=False)


@dataclass(frozen=True)
class Field:
    """A question with ``lines`` empty writing lines under it (``lines=1``: one line beside
    the label)."""

    label: str
    hint: str = ""
    lines: int = 2


@dataclass(frozen=True)
class Fields:
    items: tuple[Field, ...]
    heading: str = ""
    kind: str = field(default="fields", init=False)


@dataclass(frozen=True)
class Column:
    """``width`` is a CSS width (e.g. ``"25%"``); empty lets the table share the rest."""

    heading: str
    kind: ColumnKind = "text"
    hint: str = ""
    width: str = ""


@dataclass(frozen=True)
class Row:
    """One row: a cell per column. In a ``text`` column the cell is printed; in a ``write``
    column it is an optional small hint above the writing space; in a ``box`` column it must be
    empty. ``lines`` is the height of the writing space in lines."""

    cells: tuple[str, ...]
    lines: int = 2
    group: str = ""


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...] = ()
    blank_rows: int = 0
    blank_lines: int = 2
    caption: str = ""
    heading: str = ""
    kind: str = field(default="table", init=False)

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            if len(row.cells) != len(self.columns):
                raise SheetDefinitionError(
                    f"Tabel {self.caption or self.heading!r}, rij {number}: {len(row.cells)} "
                    f"cellen voor {len(self.columns)} kolommen."
                )
            for column, cell in zip(self.columns, row.cells, strict=True):
                if column.kind == "box" and cell:
                    raise SheetDefinitionError(
                        f"Tabel {self.caption or self.heading!r}, rij {number}: een vakje "
                        f"(kolom {column.heading!r}) heeft geen tekst."
                    )


@dataclass(frozen=True)
class Card:
    """A box to cut out. ``items`` are (label, text) pairs printed as a definition list,
    ``paragraphs`` plain text; ``swatch`` is a CSS colour for a small sample next to the
    title (the title must then name the colour)."""

    title: str
    subtitle: str = ""
    items: tuple[tuple[str, str], ...] = ()
    paragraphs: tuple[str, ...] = ()
    swatch: str = ""
    write_lines: int = 0
    write_label: str = ""


@dataclass(frozen=True)
class Cards:
    items: tuple[Card, ...]
    heading: str = ""
    cut: bool = True
    #: Cards side by side: 1, 2 or 3.
    per_row: int = 2
    kind: str = field(default="cards", init=False)

    def __post_init__(self) -> None:
        if self.per_row not in (1, 2, 3):
            raise SheetDefinitionError(f"Kaarten: per_row is 1, 2 of 3, niet {self.per_row}.")


@dataclass(frozen=True)
class Choice:
    """A question answered by ticking one (or more) boxes, e.g. the colour of an
    intervention."""

    label: str
    options: tuple[str, ...]
    hint: str = ""
    heading: str = ""
    kind: str = field(default="choice", init=False)


@dataclass(frozen=True)
class Canvas:
    """An empty framed area of ``height_mm`` millimetres to draw or stick notes in."""

    label: str
    height_mm: int = 80
    heading: str = ""
    kind: str = field(default="canvas", init=False)


Block = Text | Fields | Table | Cards | Choice | Canvas


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]
    intro: str = ""
    #: Start this section on a new page (a two-page sheet).
    page_break: bool = False


@dataclass(frozen=True)
class Sheet:
    """One printable worksheet.

    ``id`` is the file name and the CLI's ``--alleen`` value; ``chapter`` and ``session`` say
    where it is used (shown in the footer and on the docent page); ``sources`` are citation
    keys of ``book/references.bib``, printed in the footer with the licence.
    """

    id: str
    title: str
    purpose: str
    instruction: str
    sections: tuple[Section, ...]
    chapter: str = ""
    session: str = ""
    minutes: int = 0
    group: str = ""
    sources: tuple[str, ...] = ()
    source_notes: tuple[str, ...] = ()
    #: Name fields at the top (e.g. ``("Naam of rol", "Keten", "Datum")``).
    header_fields: tuple[str, ...] = ("Naam of rol", "Datum")
    #: Most A4 pages the sheet may take (the tests hold every sheet to it).
    max_pages: int = 2

    def __post_init__(self) -> None:
        if not self.id or not self.id.replace("-", "").replace("_", "").isalnum():
            raise SheetDefinitionError(
                f"Werkblad-id {self.id!r}: gebruik letters, cijfers, - en _ (het wordt een "
                "bestandsnaam)."
            )
        if not self.title or not self.sections:
            raise SheetDefinitionError(f"Werkblad {self.id!r} heeft een titel en secties nodig.")

    def texts(self) -> list[str]:
        """Every printed string of the sheet, in order (for tests and search)."""
        out = [self.title, self.purpose, self.instruction]
        for section in self.sections:
            out += [section.heading, section.intro]
            for block in section.blocks:
                out += _block_texts(block)
        return [t for t in out if t]


def _block_texts(block: Block) -> list[str]:
    out = [block.heading]
    if isinstance(block, Text):
        out += [*block.paragraphs, block.attribution]
    elif isinstance(block, Fields):
        for item in block.items:
            out += [item.label, item.hint]
    elif isinstance(block, Table):
        out.append(block.caption)
        out += [c.heading for c in block.columns] + [c.hint for c in block.columns]
        for row in block.rows:
            out += [*row.cells, row.group]
    elif isinstance(block, Choice):
        out += [block.label, block.hint, *block.options]
    elif isinstance(block, Canvas):
        out.append(block.label)
    elif isinstance(block, Cards):
        for card in block.items:
            out += [card.title, card.subtitle, *card.paragraphs, card.write_label]
            for label, text in card.items:
                out += [label, text]
    return out
