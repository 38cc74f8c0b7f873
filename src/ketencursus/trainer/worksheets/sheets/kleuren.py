"""De Caluwé and Vermaak's colours as a card: per colour what it stands for, when it fits (the
cause of the resistance it answers), when it does not, and the interventions of that colour
in the online interventiekiezer; and a page to go from cause to colour.

The colours and what each stands for come from
:data:`ketencursus.reflection.exercises._common.COLOURS` (the interventiekiezer and the
actieplan use the same), the example interventions from the interventiekiezer's
``INTERVENTIONS``. :data:`FIT` is new: when a colour fits and when it does not, as chapters 2
and 7 use the colours (as a diagnosis, not a look-up table). A test holds its keys to
``COLOURS``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ketencursus.reflection.exercises import _common, interventiekiezer

from ..model import Card, Cards, Column, Field, Fields, Section, Sheet, Table, Text

#: Colour -> (it fits when ..., it does not fit when ...).
FIT: dict[str, tuple[str, str]] = {
    "geel": (
        "De oorzaak is een belang: een partner verliest iets (productie, budget, zeggenschap) "
        "of wordt afgerekend op iets anders dan het ketendoel.",
        "De partners willen wel, maar kennen elkaars werk niet: dan maakt onderhandelen er "
        "een machtskwestie van. Opschalen kost vertrouwen; gebruik het spaarzaam.",
    ),
    "blauw": (
        "De oorzaak is onduidelijkheid: niemand weet wie wat doet, definities, afspraken of "
        "een planning ontbreken.",
        "De procedures zijn al op orde en het probleem zit in wantrouwen of belangen: een "
        "procedure verandert wat je ziet, niet de aanname eronder. Bij opgelegde samenwerking "
        "grijp je er snel naar; controleer je voorkeur.",
    ),
    "rood": (
        "De oorzaak is dat mensen zich niet gezien of gewaardeerd voelen, of dat teams elkaar "
        "niet als collega's zien.",
        "Het knelpunt zit in een belang dat elders wordt beslist (een productienorm): "
        "aandacht en waardering veranderen dat niet.",
    ),
    "groen": (
        "De oorzaak is onbekendheid met elkaar: partners kennen elkaars werk, definities of "
        "gewoontes niet. Samen leren, meelopen, een zaak samen doorlopen.",
        "Er ligt een patstelling die om een besluit vraagt, of er is geen veilige sfeer om "
        "van fouten te leren.",
    ),
    "wit": (
        "Mensen willen wel en zijn al in beweging, maar worden tegengehouden (roosters, "
        "systemen, regels): maak actief ruimte en neem de blokkade weg.",
        "Het wordt een reden om af te wachten: wit is niet niets doen. Past ook slecht waar "
        "partners elkaar wantrouwen: dan wordt ruimte gebruikt om op de oude voet door te "
        "gaan.",
    ),
}

#: A sample to print beside the colour's name (the name is always printed too).
SWATCH: dict[str, str] = {
    "geel": "#f2d335", "blauw": "#3a6fc4", "rood": "#d2332b", "groen": "#3c9a48",
    "wit": "#ffffff",
}


def colour_name(colour: str) -> str:
    return colour.capitalize()


def meaning(colour: str) -> str:
    """``"geel – belangen, macht en onderhandelen"`` → ``"belangen, macht en onderhandelen"``."""
    text = _common.COLOURS[colour]
    return text.split("–", 1)[1].strip() if "–" in text else text


def examples(colour: str) -> list[str]:
    return [label for label, c in interventiekiezer.INTERVENTIONS.values() if c == colour]


def colour_cards() -> Cards:
    cards = []
    for colour in _common.COLOURS:
        fits, does_not = FIT[colour]
        items = [("Past als", fits), ("Past niet als", does_not)]
        found = examples(colour)
        if found:
            items.append(("In de interventiekiezer", "; ".join(found) + "."))
        cards.append(Card(colour_name(colour), subtitle=meaning(colour), items=tuple(items),
                          swatch=SWATCH.get(colour, "")))
    return Cards(tuple(cards))


def sheets() -> Iterator[Sheet]:
    colours = list(_common.COLOURS)
    yield Sheet(
        id="kleurenkaart",
        title="Kleurenkaart: veranderen in vijf kleuren (De Caluwé en Vermaak)",
        chapter=f"{_common.H2} en {_common.H7}, stap 2",
        minutes=30,
        group="per tweetal",
        purpose=(
            "De kleuren van De Caluwé en Vermaak gebruiken als diagnose: eerst de oorzaak van "
            "de weerstand zoeken, dan de kleur die daarbij past. De kaart is geen opzoektabel "
            "(„een ketenmanager is geel”)."
        ),
        instruction=(
            "Zoek bij een knelpunt eerst de oorzaak: een belang, onduidelijkheid, mensen die "
            "zich niet gezien voelen, onbekendheid met elkaar, of energie die wordt "
            "tegengehouden. Kies dan de kleur, en controleer je eigen voorkeur. Meestal "
            "combineer je twee kleuren: één die de oorzaak aanpakt en één die de aanpak "
            "draagbaar maakt. Knip de kaarten los als je ze op tafel wilt leggen."
        ),
        header_fields=("Naam of rol", "Datum"),
        sources=("decaluwe2006",),
        source_notes=(
            "„Past als” en „past niet als” zijn de vuistregel van deze cursus (hoofdstuk 2 en "
            "7), geen samenvatting van het boek.",
        ),
        sections=(
            Section("De vijf kleuren", (colour_cards(),)),
            Section("Van oorzaak naar kleur", (
                Table(
                    columns=(
                        Column("Knelpunt", kind="write", width="23%"),
                        Column("Oorzaak", kind="write", width="23%"),
                        *(Column(colour_name(c), kind="box", width="7%") for c in colours),
                        Column("Eerste stap (wie doet wat?)", kind="write"),
                    ),
                    blank_rows=4,
                    blank_lines=3,
                ),
                Fields((
                    Field("Welke kleur kies ik zelf meestal, en wat zegt dat over mijn rol?",
                          lines=2),
                )),
                Text(("Kies je wit, schrijf dan op welke energie er al is en welke blokkade "
                      "je wegneemt.",)),
            ), page_break=True),
        ),
    )
