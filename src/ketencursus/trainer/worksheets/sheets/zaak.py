"""Zaak-delimitation sheet: trigger (aanleiding), end result, what belongs to the zaak, and its
size, with the measures that follow from it (doorlooptijd, first time right).

The definition of *zaak* is the standard one of zaakgericht werken, from the NORA
begrippenkader as GEMMA (VNG) uses it, quoted verbatim and attributed to them: it is not a
statement of *Ketens de baas* (NORA Online shows it as a glossary tooltip on the source page,
where the authors only write "het blijft zaak"). Using the zaak as the chain's unit of
measurement is this course's choice (chapter 4).
"""

from __future__ import annotations

from collections.abc import Iterator

from ketencursus.reflection.exercises import _common

from ..model import Column, Field, Fields, Row, Section, Sheet, Table, Text

#: The definition, verbatim, and whose it is.
ZAAK_DEFINITION = (
    "een samenhangende hoeveelheid werk met een welgedefinieerde aanleiding en een "
    "welgedefinieerd eindresultaat, waarvan kwaliteit en doorlooptijd bewaakt moeten worden"
)
ZAAK_ATTRIBUTION = (
    "Definitie van zaak in zaakgericht werken, uit het begrippenkader van NORA zoals GEMMA "
    "(VNG) die gebruikt. Niet uit Ketens de baas: de zaak als meeteenheid voor de hele keten "
    "is een keuze van deze cursus."
)

#: Situations the partners must agree on: the same zaak, or a new one?
BOUNDARY_CASES: tuple[str, ...] = (
    "Herstel na een fout of een terugmelding",
    "Een tweede of aanvullende aanlevering",
    "Een bezwaar tegen het besluit",
)

CHECKS: tuple[str, ...] = (
    "Alle partners kunnen het begin vaststellen en registreren.",
    "Het eindresultaat merkt de buitenwereld, niet alleen de laatste partner.",
    "Herstelwerk telt mee (of er is bewust afgesproken dat het een nieuwe zaak is).",
    "Eén zaak is niet te grof en niet te fijn om te volgen.",
    "Vastgelegd is wie de gegevens over begin en eind levert.",
)


def sheets() -> Iterator[Sheet]:
    yield Sheet(
        id="zaak-afbakenen",
        title="Een zaak afbakenen",
        chapter=_common.H4,
        minutes=30,
        group="tweetallen of groepjes met mensen van verschillende partners",
        purpose=(
            "Met de partners één eenheid werk afspreken die door de hele keten loopt, zodat "
            "doorlooptijd en first time right over alle organisaties heen te volgen zijn. Het "
            "afbakenen zelf is al ketensamenwerking: wat de ene partner een aanvraag noemt, "
            "heet bij de andere een melding of een dossier."
        ),
        instruction=(
            "Kies één werkproces. Werk de vragen van boven naar beneden af en begin bij het "
            "eindresultaat: voor wie is het? Schrijf op waar jullie het oneens zijn; dat is "
            "geen fout maar de uitkomst waar het om gaat."
        ),
        header_fields=("Keten en werkproces", "Datum"),
        sources=("gemma_zaak",),
        sections=(
            Section(
                "Wat is een zaak?",
                (Text((ZAAK_DEFINITION,), quote=True, attribution=ZAAK_ATTRIBUTION),),
            ),
            Section(
                "Begin en eind",
                (Fields((
                    Field("1. Eindresultaat: wanneer is de zaak af, gezien vanuit wie de keten "
                          "bedient?",
                          hint="Niet de laatste stap van één partner („doorgestuurd”), maar wat "
                               "de burger, het bedrijf of de afnemer merkt.", lines=3),
                    Field("2. Aanleiding: welke gebeurtenis start de zaak?",
                          hint="Bij voorkeur het moment waarop de klant iets doet, en een moment "
                               "dat elke partner kan vastleggen.", lines=3),
                )),),
            ),
            Section(
                "3. Wat hoort er nog bij?",
                (Table(
                    columns=(
                        Column("Situatie", width="30%"),
                        Column("zelfde zaak", kind="box", width="10%"),
                        Column("nieuwe zaak", kind="box", width="10%"),
                        Column("Afspraak en reden", kind="write"),
                    ),
                    rows=tuple(Row((case, "", "", ""), lines=2) for case in BOUNDARY_CASES),
                    blank_rows=1,
                ),),
                intro="Als herstel een nieuwe zaak wordt, lijkt de keten sneller dan hij is.",
            ),
            Section(
                "4. Hoe groot is één zaak?",
                (Fields((
                    Field("Omvang", hint="Niet te grof (alles van een hele maand), niet te fijn "
                                         "(één veld in één bericht). Waaruit bestaat één zaak?",
                          lines=2),
                )),),
            ),
            Section(
                "Meten",
                (Fields((
                    Field("Doorlooptijd: van welk moment tot welk moment, en wie levert die "
                          "tijdstippen?", lines=3),
                    Field("First time right: wanneer telt een zaak als „in één keer goed”?",
                          lines=3),
                )),),
            ),
            Section(
                "Controle",
                (Table(
                    columns=(
                        Column("Klopt de afbakening?"),
                        Column("ja", kind="box", width="9%"),
                        Column("nee", kind="box", width="9%"),
                    ),
                    rows=tuple(Row((check, "", ""), lines=1) for check in CHECKS),
                ),
                 Fields((Field("Waarover zijn we het nog oneens, en wie beslist?", lines=5),))),
            ),
        ),
    )
