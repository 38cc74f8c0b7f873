"""Actieplan: the plan chapter 7 asks for, part by part: the chain goal, the diagnosis, two
or three interventions with their De Caluwé colour, the expected resistance per partner, the
first steps, the measurement, how the new habits are anchored, and the evaluation moment."""

from __future__ import annotations

from .. import derive as rules
from ..derive import Derived
from ..model import (
    DatePrompt,
    Exercise,
    RowField,
    SelectPrompt,
    TablePrompt,
    TextPrompt,
    Workbook,
)
from ._common import COLOURS, H7

_COLOUR_OPTIONS = tuple(COLOURS.items())


def _intervention(number: int, required: bool) -> tuple[TextPrompt, SelectPrompt]:
    return (
        TextPrompt(
            f"interventie{number}",
            f"Interventie {number}",
            f"Interventie {number}: wat doe je, op welke oorzaak grijpt het aan, en waarom "
            f"die kleur?",
            required=required,
        ),
        SelectPrompt(
            f"interventie{number}_kleur",
            f"Kleur van interventie {number}",
            f"Welke kleur van De Caluwé en Vermaak heeft interventie {number}?",
            _COLOUR_OPTIONS,
            required=required,
        ),
    )


RESISTANCE = TablePrompt(
    "weerstand",
    "Verwachte weerstand per partner",
    row_label="Partner",
    add_label="Partner toevoegen",
    initial_rows=2,
    required=True,
    fields=(
        RowField("partner", "welke organisatie of rol?", "Partner", kind="text",
                 placeholder="Bijvoorbeeld: de uitvoeringsorganisatie, afdeling intake"),
        RowField("belang", "wat is hun belang bij de keten en bij je plan?", "Belang"),
        RowField("weerstand", "welke weerstand verwacht je, en waar komt die vandaan?",
                 "Verwachte weerstand"),
        RowField("aanpak", "hoe en wanneer bespreek je die weerstand?", "Aanpak"),
    ),
)

EXERCISE = Exercise(
    id="actieplan",
    title="Actieplan voor je eigen keten",
    chapter=H7,
    intro=(
        "Maak een concreet plan voor je eigen keten, met de onderdelen uit hoofdstuk 7: je "
        "diagnose, je interventies met hun kleur, de weerstand die je per partner verwacht, "
        "hoe je de nieuwe gewoontes verankert en wanneer je samen terugkijkt. Houd het klein en "
        "uitvoerbaar: liever drie stappen die je echt zet dan tien voornemens."
    ),
    notes=(
        "Een actieplan is het begin van een gesprek: leg een eerste versie voor aan minstens "
        "één ketenpartner.",
    ),
    prompts=(
        TextPrompt("keten", "Keten", "Om welke keten gaat het, en wat is jouw rol erin?",
                   required=True),
        TextPrompt("ketendoel", "Extern ketendoel",
                   "Wat is het doel van de keten in één zin, gezien vanuit de burgers of "
                   "bedrijven die de keten bedient?", required=True),
        TextPrompt("diagnose", "Diagnose",
                   "Welke dimensie van ketensturing (cultureel, relationeel, procedureel, "
                   "inhoudelijk) is in jouw keten het zwakst, en welk bewijs heb je daarvoor: "
                   "een voorbeeld, een cijfer, een uitspraak?", required=True),
        *_intervention(1, True),
        *_intervention(2, True),
        *_intervention(3, False),
        RESISTANCE,
        TextPrompt("eerste_stappen", "Eerste stappen",
                   "Wat doe je in de komende dertig dagen, met wie (beschrijf rollen) en "
                   "wanneer?", required=True),
        TextPrompt("meting", "Meting",
                   "Hoe volg je of het beter gaat: welke zaak, welke cijfers (bijvoorbeeld "
                   "doorlooptijd en first time right) en in welk overleg bespreek je ze?",
                   required=True),
        TextPrompt("verankering", "Verankering",
                   "Hoe veranker je de nieuwe gewoontes, zodat ze blijven als de aandacht "
                   "wegebt (bijvoorbeeld in werkinstructies, inwerkprogramma's of vaste "
                   "overleggen), en waaraan merk je dat het werkt?", required=True),
        TextPrompt("overleg", "Vast overlegmoment",
                   "Op welk vast moment bespreken de partners het ketendoel en de voortgang?",
                   required=True),
        DatePrompt("evaluatiedatum", "Evaluatiemoment",
                   "Wanneer kijk je samen met de partners terug op dit plan?", required=True),
    ),
    rules=(
        rules.EarlierWork(
            profile_exercise="cultuurscan",
            profile_text="Uit je cultuurscan: de zwakste dimensie is {name} ({score}). Past dat "
                         "bij je diagnose?",
            rows_exercise="olifantenpaadjes",
            rows_prompt="logboek",
            rows_field="effect",
            rows_value="hindert",
            rows_main="gewoonte",
            rows_text="Uit je logboek: hinderlijke gewoontes zijn {rows}.",
        ),
        rules.MissingRequired(),
    ),
)


def derive(workbook: Workbook) -> Derived:
    return rules.derive(EXERCISE, workbook)
