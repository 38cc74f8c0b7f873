"""Schein's three levels of culture as a card, with a sorting exercise, and the olifantenpaadjes
log on paper.

:data:`LEVELS` is the definition of the three levels as the course uses them (chapter 5, after
Schein 1985); nothing in the package defined them before. The log on the second page is
generated from the reflection exercise ``olifantenpaadjes`` (its table prompt ``logboek``: the
field headings and questions, the choices for the effect), so the paper log and the online log
ask the same things.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ketencursus.reflection.exercises import _common, olifantenpaadjes
from ketencursus.reflection.model import PRIVACY_NOTE, TablePrompt

from ..model import Card, Cards, Column, Field, Fields, Section, Sheet, Table, Text


@dataclass(frozen=True)
class Level:
    name: str
    what: str
    examples: str
    visibility: str
    question: str


#: Schein's three levels, top (visible) to bottom (taken for granted).
LEVELS: tuple[Level, ...] = (
    Level(
        "Artefacten",
        "Wat je kunt zien en horen in een organisatie.",
        "het gebouw, formulieren en systemen, vakjargon, hoe een overleg verloopt, een vaste "
        "werkwijze naast de procedure",
        "goed zichtbaar, maar je ziet wát mensen doen, niet waaróm",
        "Wat doen mensen hier precies, ook als het niet in de werkinstructie staat?",
    ),
    Level(
        "Uitgedragen waarden",
        "Wat de organisatie zegt belangrijk te vinden.",
        "missie, kernwaarden, beleidsdoelen, een zin als „de klant centraal”",
        "bewust en bespreekbaar, maar niet altijd wat er echt gebeurt",
        "Wat zeggen we dat we belangrijk vinden, en doen we dat ook?",
    ),
    Level(
        "Basisaannames",
        "Wat zo vanzelfsprekend is dat niemand het nog uitspreekt.",
        "wat goed werk is, wat een fout is, wie je kunt vertrouwen",
        "onzichtbaar voor wie erin zit; stuurt het gedrag het sterkst",
        "Welke aanname maakt deze werkwijze vanzelfsprekend?",
    ),
)


def level_cards() -> Cards:
    return Cards(
        tuple(
            Card(
                f"{number}. {level.name}",
                subtitle=level.what,
                items=(("Bijvoorbeeld", level.examples), ("Zichtbaar?", level.visibility),
                       ("Vraag om te stellen", level.question)),
            )
            for number, level in enumerate(LEVELS, start=1)
        ),
        cut=False,
        per_row=3,
    )


def log_table(prompt: TablePrompt, rows: int = 5) -> Table:
    """The habit log of the online exercise as a paper table: one column per field (its
    heading, its question as hint); a choice field prints its options to tick or circle."""
    columns = []
    for row_field in prompt.fields:
        hint = row_field.label
        if row_field.options:
            chosen = [label for key, label in row_field.options if key]
            hint = f"{row_field.label} Omcirkel: {' / '.join(chosen)}"
        columns.append(Column(row_field.heading, kind="write", hint=hint,
                              width="18%" if row_field.kind != "textarea" else ""))
    return Table(tuple(columns), blank_rows=rows, blank_lines=3, caption=prompt.label)


def sheets() -> Iterator[Sheet]:
    exercise = olifantenpaadjes.EXERCISE
    log = exercise.prompt("logboek")
    assert isinstance(log, TablePrompt)
    follow_up = [p for p in exercise.prompts if p.kind == "text"]
    yield Sheet(
        id="schein-drie-lagen",
        title="De drie lagen van cultuur (Schein) en het olifantenpaadjes-logboek",
        chapter=_common.H5,
        minutes=45,
        group="gemengde groepjes met mensen van verschillende partners",
        purpose=(
            "Begrijpen waarom je je eigen gewoontes zo slecht ziet, en samen met een partner "
            "olifantenpaadjes opsporen: werkwijzen die binnen de eigen organisatie zo gewoon "
            "zijn dat niemand ze nog opmerkt."
        ),
        instruction=(
            "Lees de kaart. Loop daarna samen één echte, afgesloten zaak stap voor stap door "
            "en noteer elke waarneming; deel haar in bij een laag. Een waarneming kan op twee "
            "lagen tegelijk zitten: wat je ziet is een artefact, wat het in stand houdt is een "
            "aanname. Zet de gewoontes die je vindt in het logboek op de achterkant."
        ),
        header_fields=("Keten of zaak", "Datum"),
        sources=("schein1985", "nora2013cultuur"),
        sections=(
            Section("Drie lagen, van zichtbaar naar vanzelfsprekend", (
                level_cards(),
                Text((
                    "Een olifantenpaadje zie je als artefact, maar het wordt gedragen door een "
                    "basisaanname. Een nieuw formulier of systeem verandert alleen de bovenste "
                    "laag; blijft de aanname, dan groeit naast het nieuwe pad een nieuw paadje.",
                )),
            )),
            Section("Waarnemingen indelen", (
                Table(
                    columns=(
                        Column("Waarneming", kind="write",
                               hint="wat zag of hoorde je? (rollen, geen namen)"),
                        *(Column(level.name.lower(), kind="box", width="11%")
                          for level in LEVELS),
                        Column("Welke aanname houdt dit in stand?", kind="write",
                               width="30%"),
                    ),
                    blank_rows=5,
                ),
            )),
            Section(exercise.title, (
                Text((exercise.intro,)),
                log_table(log),
                Fields(tuple(Field(p.label, hint=getattr(p, "question", ""), lines=3)
                             for p in follow_up)),
                Text((*exercise.notes, PRIVACY_NOTE)),
            ), page_break=True),
        ),
    )


__all__ = ["LEVELS", "Level", "level_cards", "log_table", "sheets"]
