"""Ketenkaart template: the partners, what flows between them, the zaak that runs through the
chain, and who steers it (ketenregisseur or ketenmanager, and which building blocks exist).

Chapter 1 names the ketenkaart as one of the ten building blocks the course uses, but no
exercise defines one; :data:`BUILDING_BLOCKS` is that list (after *Ketens de baas*), defined
here because nothing in the package defined it before.
"""

from __future__ import annotations

from collections.abc import Iterator

from ketencursus.reflection.exercises import _common

from ..model import Canvas, Column, Field, Fields, Row, Section, Sheet, Table, Text

#: The ten building blocks of chain governance the course uses (chapter 1, after Ketens de baas).
BUILDING_BLOCKS: tuple[str, ...] = (
    "ketenbestuur",
    "ketenmanager",
    "lijnmanagement in de eigen organisaties",
    "ketenregisseur",
    "ketenbureau",
    "besluitvormingsmodel",
    "ketenoverlegstructuur",
    "ketenrapportage",
    "keteninformatie-infrastructuur",
    "ketenkaart",
)

PRESENCE = ("er is", "ontbreekt", "weet niet")


def sheets() -> Iterator[Sheet]:
    yield Sheet(
        id="ketenkaart",
        title="Ketenkaart",
        chapter=f"{_common.H1} (bouwstenen) en {_common.H4}",
        minutes=45,
        group="groepjes van drie tot vijf, bij voorkeur van verschillende partners",
        purpose=(
            "Samen in kaart brengen hoe het werk door de keten loopt: wie de partners zijn, wat "
            "er tussen hen heen en weer gaat, welke zaak de keten afhandelt en wie de keten "
            "stuurt. De kaart is ook een bouwsteen: een keten die zichzelf niet kan tekenen, "
            "kan zichzelf moeilijk sturen."
        ),
        instruction=(
            "Begin bij de buitenwereld: wie vraagt iets aan de keten, en wat krijgt die terug? "
            "Noteer daarna de partners en de stromen tussen hen, en teken de keten in het "
            "vlak. Zet bij elke stroom waar het werk wacht of misgaat. Werk met rollen, niet "
            "met namen van personen."
        ),
        header_fields=("Keten", "Datum"),
        sources=("aardewijn2013ketens",),
        sections=(
            Section(
                "De keten naar buiten",
                (Fields((
                    Field("Extern ketendoel: wat levert de keten op voor wie zij bedient?",
                          lines=2),
                    Field("De zaak: welke gebeurtenis start het werk, en wanneer is het af?",
                          hint="Zie het werkblad „Een zaak afbakenen”.", lines=2),
                )),),
            ),
            Section(
                "Ketenpartners",
                (Table(
                    columns=(
                        Column("Partner", kind="write", hint="organisatie of afdeling",
                               width="22%"),
                        Column("Rol in de keten", kind="write",
                               hint="levert aan, bewerkt, gebruikt, beslist"),
                        Column("Verantwoording aan", kind="write",
                               hint="eigen bestuur, minister", width="20%"),
                        Column("Belang bij de keten", kind="write"),
                    ),
                    blank_rows=4,
                ),),
            ),
            Section(
                "Stromen tussen de partners",
                (Table(
                    columns=(
                        Column("Van", kind="write", width="17%"),
                        Column("Naar", kind="write", width="17%"),
                        Column("Wat gaat er over?", kind="write",
                               hint="gegevens, dossier, klant, terugmelding"),
                        Column("Waar wacht het of gaat het mis?", kind="write"),
                    ),
                    blank_rows=4,
                ),),
            ),
            Section(
                "Teken de keten",
                (Canvas(
                    "Partners als blokken, stromen als pijlen (een terugmelding als stippellijn "
                    "terug), de zaak als één lijn van aanleiding tot eindresultaat. Zet een "
                    "uitroepteken waar het werk wacht.",
                    height_mm=90,
                ),),
                page_break=True,
            ),
            Section(
                "Wie stuurt de keten?",
                (
                    Text((
                        "In deze cursus heeft een ketenmanager van de partners het mandaat om in "
                        "te grijpen; een ketenregisseur heeft dat mandaat niet en werkt door "
                        "partners te verbinden en afspraken te bewaken.",
                    )),
                    Fields((
                        Field("Wie is ketenregisseur of ketenmanager (rol), en welk mandaat "
                              "heeft die?", lines=2),
                    )),
                    Table(
                        columns=(
                            Column("Bouwsteen", width="34%"),
                            *(Column(p, kind="box", width="10%") for p in PRESENCE),
                            Column("Wie of wat?", kind="write"),
                        ),
                        rows=tuple(Row((b, "", "", "", ""), lines=1) for b in BUILDING_BLOCKS),
                    ),
                ),
            ),
        ),
    )
