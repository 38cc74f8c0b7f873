"""Olifantenpaadjes-logboek: unwritten habits of one's own organisation and of the partners,
whether they help or hinder the chain, and a replacing habit for the hindering ones."""

from __future__ import annotations

from .. import derive as rules
from ..derive import Derived
from ..model import Exercise, RowField, TablePrompt, TextPrompt, Workbook
from ._common import H5

EFFECTS: tuple[tuple[str, str], ...] = (
    ("", "nog niet ingedeeld"),
    ("helpt", "helpt de keten"),
    ("hindert", "hindert de keten"),
)

LOG = TablePrompt(
    "logboek",
    "Gewoontes",
    row_label="Gewoonte",
    add_label="Gewoonte toevoegen",
    fields=(
        RowField("gewoonte", "wat doen mensen daar „gewoon”?", "Gewoonte",
                 placeholder="Bijvoorbeeld: we bellen de partner pas als een termijn al "
                             "verlopen is"),
        RowField("organisatie", "van welke organisatie?", "Organisatie", kind="text",
                 placeholder="Eigen organisatie of de partner (geen namen van personen)"),
        RowField("effect", "helpt of hindert deze gewoonte de keten?", "Effect", kind="select",
                 options=EFFECTS),
        RowField("vervanging", "welke nieuwe gewoonte zou de keten versterken?",
                 "Vervangende gewoonte"),
    ),
)

EXERCISE = Exercise(
    id="olifantenpaadjes",
    title="Olifantenpaadjes-logboek",
    chapter=H5,
    intro=(
        "Een olifantenpaadje is een gewoonte die binnen een organisatie zo vanzelfsprekend is "
        "dat niemand haar nog opmerkt. Noteer gewoontes van je eigen organisatie én van je "
        "ketenpartners. Geef per gewoonte aan of die de keten helpt of hindert en bedenk voor "
        "een hinderlijke gewoonte een vervangende gewoonte die de samenwerking versterkt."
    ),
    notes=(
        "Een olifantenpaadje is iets anders dan de reflex om problemen liever alleen op te "
        "lossen: die reflex is een keuze die mensen zien en kunnen benoemen, een olifantenpaadje "
        "zie je van binnenuit juist niet meer. Daarom heb je de blik van een partner nodig.",
    ),
    prompts=(
        LOG,
        TextPrompt(
            "samen_onderkennen",
            "Samen onderkennen",
            "Met welke ketenpartner (beschrijf de rol) wil je deze gewoontes bespreken, en hoe "
            "pak je dat gesprek aan zonder dat iemand zich aangevallen voelt?",
        ),
    ),
    rules=(
        rules.RowHints(
            prompt="logboek",
            main_field="gewoonte",
            choice_field="effect",
            needs_value="hindert",
            follow_field="vervanging",
            group_field="organisatie",
            unclassified="Gewoonte {n}: geef aan of die de keten helpt of hindert.",
            missing_follow="Gewoonte {n} hindert de keten: bedenk een vervangende gewoonte.",
            no_group="Noteer bij elke gewoonte van welke organisatie die is.",
            one_group="Al je gewoontes komen van één organisatie. Kijk ook naar je "
                      "ketenpartners, en vraag hen welke gewoontes zij bij jouw organisatie "
                      "zien.",
        ),
    ),
)


def derive(workbook: Workbook) -> Derived:
    return rules.derive(EXERCISE, workbook)
