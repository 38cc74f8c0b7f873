"""Diagnosis canvas: the four dimensions of chain governance with their two pillars each, and
per pillar an evidence column ("waaraan zie je dat?") and a judgement.

The dimensions, guiding questions and pillars are not written here: they come from
:data:`ketencursus.reflection.exercises._common.DIMENSIONS`, the definition the cultuurscan
and its advice use too.
"""

from __future__ import annotations

from collections.abc import Iterator

from ketencursus.reflection.exercises import _common

from ..model import Column, Field, Fields, Row, Section, Sheet, Table, Text

#: The judgement per pillar, the scale of the Toepassen task in chapter 7, step 1.
JUDGEMENTS = ("sterk", "redelijk", "zwak", "weet niet")


def pillar_rows() -> tuple[Row, ...]:
    rows = []
    for dimension in _common.DIMENSIONS.values():
        group = f"{dimension['naam']}: {dimension['vraag']}"
        pillars = dimension["pijlers"]
        assert isinstance(pillars, tuple)
        for pillar in pillars:
            rows.append(Row((str(pillar), "", *("" for _ in JUDGEMENTS)), lines=2, group=group))
    return tuple(rows)


def sheets() -> Iterator[Sheet]:
    dimensions = _common.DIMENSIONS
    names = ", ".join(str(d["naam"]).lower() for d in dimensions.values())
    yield Sheet(
        id="diagnosecanvas",
        title="Diagnosecanvas: vier dimensies, acht pijlers",
        chapter=f"{_common.H7}, stap 1 (de dimensies uit hoofdstuk 1 en 2)",
        minutes=40,
        group="per partner, daarna samen",
        purpose=(
            f"Een keten doorlichten op de dimensies van ketensturing ({names}) "
            "en per pijler bewijs verzamelen in plaats van een indruk. Het canvas levert de "
            "diagnose voor het actieplan."
        ),
        instruction=(
            "Vul het canvas eerst per partner in, elk voor zich. Schrijf per pijler op waaraan je "
            "ziet hoe het ervoor staat: een voorbeeld, een cijfer of een uitspraak die een ander "
            "kan nagaan. Kruis daarna een oordeel aan; „weet niet” is ook een bevinding. Leg de "
            "canvassen van de partners naast elkaar: waar de oordelen verschillen, begint het "
            "gesprek."
        ),
        header_fields=("Keten", "Partner of rol", "Datum"),
        sources=("aardewijn2013ketens", "grijpink1997"),
        sections=(
            Section(
                "Het dominante ketenprobleem",
                (Fields((Field(
                    "Welk maatschappelijk probleem lossen de partners alleen samen op?",
                    hint="Eén zin, zonder de naam van een partner: wat merkt de burger of het "
                         "bedrijf?",
                    lines=2,
                ),)),),
            ),
            Section(
                "Per pijler: waaraan zie je dat?",
                (Table(
                    columns=(
                        Column("Pijler", width="24%"),
                        Column("Waaraan zie je dat?", kind="write",
                               hint="voorbeeld, cijfer of uitspraak"),
                        *(Column(j, kind="box", width="8.5%") for j in JUDGEMENTS),
                    ),
                    rows=pillar_rows(),
                ),),
            ),
            Section(
                "De canvassen naast elkaar",
                (Table(
                    columns=(
                        Column("Dimensie", width="22%"),
                        *(Column(f"Partner {n}", kind="write", hint="oordeel en kernbewijs")
                          for n in (1, 2, 3)),
                    ),
                    rows=tuple(Row((str(d["naam"]), "", "", ""), lines=2)
                               for d in dimensions.values()),
                ),),
                intro="Neem per dimensie het oordeel van elke partner over. Waar verschillen ze?",
                page_break=True,
            ),
            Section(
                "Conclusie",
                (
                    Fields((
                        Field("Welke dimensie is het zwakst, en welk bewijs weegt het zwaarst?",
                              lines=3),
                        Field("Welke andere dimensie lijdt daaronder? De dimensies hangen "
                              "samen.", lines=2),
                        Field("Wat weten we niet, en aan wie vragen we het?", lines=3),
                        Field("Waar verschillen de canvassen van de partners het meest?",
                              lines=3),
                    )),
                    Text((
                        "Let op: een score zonder bewijs is een indruk. Schrijf bij „weet niet” "
                        "op wie het wel kan weten, in plaats van het zelf in te vullen.",
                    )),
                ),
            ),
        ),
    )
