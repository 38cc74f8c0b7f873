"""The four reflection exercises: their prompts (Dutch learner text) as model objects."""

from __future__ import annotations

from .model import (
    ChoicePrompt,
    DatePrompt,
    Exercise,
    HabitLogPrompt,
    LikertPrompt,
    TextPrompt,
)

#: The four dimensions of chain governance with their guiding question and two pillars.
DIMENSIONS: dict[str, dict[str, object]] = {
    "cultureel": {
        "naam": "Cultureel",
        "vraag": "wil of weerstand?",
        "pijlers": ("mindset gericht op ketensamenwerking", "doelgebonden speelruimte"),
    },
    "relationeel": {
        "naam": "Relationeel",
        "vraag": "samen of solo?",
        "pijlers": ("vertrouwen", "organisatieoverschrijdende dialoog"),
    },
    "procedureel": {
        "naam": "Procedureel",
        "vraag": "orde of chaos?",
        "pijlers": ("organisatieoverstijgende ketenstructuur", "transparantie over resultaten"),
    },
    "inhoudelijk": {
        "naam": "Inhoudelijk",
        "vraag": "eens of oneens?",
        "pijlers": ("kennis van de keten", "eenduidige en inspirerende ketendoelstelling"),
    },
}

# Chapter titles as link text (the advice names chapters; it does not need to resolve them).
H1 = "hoofdstuk 1 „Ketens en ketensturing”"
H2 = "hoofdstuk 2 „Weerstand bij opgelegde samenwerking”"
H3 = "hoofdstuk 3 „Liever solo dan samen: denken vanuit de keten”"
H4 = "hoofdstuk 4 „De zaak als stuurinstrument”"
H5 = "hoofdstuk 5 „Olifantenpaadjes: ongeschreven gewoontes”"
H6 = "hoofdstuk 6 „Onder één dak”"
H7 = "hoofdstuk 7 „Aan de slag: een aanpak voor je eigen keten”"

_S = LikertPrompt
CULTUURSCAN_STATEMENTS: tuple[LikertPrompt, ...] = (
    _S("c01", "Collega's in mijn organisatie vragen zich bij een besluit af wat het betekent "
       "voor de andere partners in de keten.", "cultureel", "mindset gericht op ketensamenwerking"),
    _S("c02", "Als er iets misgaat, lossen we het bij ons eerst zelf op voordat een ketenpartner "
       "het hoort.", "cultureel", "mindset gericht op ketensamenwerking", reverse=True),
    _S("c03", "Medewerkers mogen van hun eigen werkwijze afwijken als dat het ketendoel dient.",
       "cultureel", "doelgebonden speelruimte"),
    _S("c04", "Wie iets voor de keten wil regelen, loopt vast op de regels en het mandaat van de "
       "eigen organisatie.", "cultureel", "doelgebonden speelruimte", reverse=True),
    _S("c05", "Ik vertrouw erop dat de ketenpartners doen wat ze hebben toegezegd.",
       "relationeel", "vertrouwen"),
    _S("c06", "Gegevens die een ketenpartner aanlevert, controleren we voor de zekerheid "
       "opnieuw.", "relationeel", "vertrouwen", reverse=True),
    _S("c07", "Medewerkers van verschillende partners spreken elkaar ook buiten formele "
       "overleggen.", "relationeel", "organisatieoverschrijdende dialoog"),
    _S("c08", "Lastige onderwerpen, zoals fouten en vertraging, bespreken we openlijk met de "
       "partners.", "relationeel", "organisatieoverschrijdende dialoog"),
    _S("c09", "Het is duidelijk wie in de keten over welke besluiten gaat.", "procedureel",
       "organisatieoverstijgende ketenstructuur"),
    _S("c10", "Er is een overleg of orgaan dat de keten als geheel bestuurt, niet alleen de "
       "eigen schakels.", "procedureel", "organisatieoverstijgende ketenstructuur"),
    _S("c11", "We weten hoe lang een zaak er van begin tot eind over doet in de hele keten.",
       "procedureel", "transparantie over resultaten"),
    _S("c12", "Cijfers over fouten en terugmeldingen houden partners liever voor zichzelf.",
       "procedureel", "transparantie over resultaten", reverse=True),
    _S("c13", "Ik kan uitleggen wat de andere partners met ons werk doen en wat zij van ons "
       "nodig hebben.", "inhoudelijk", "kennis van de keten"),
    _S("c14", "Medewerkers kennen alleen hun eigen stukje van het proces.", "inhoudelijk",
       "kennis van de keten", reverse=True),
    _S("c15", "Alle partners kunnen in één zin hetzelfde ketendoel noemen.", "inhoudelijk",
       "eenduidige en inspirerende ketendoelstelling"),
    _S("c16", "Het ketendoel motiveert mensen in hun dagelijkse werk, ook als het extra werk "
       "kost.", "inhoudelijk", "eenduidige en inspirerende ketendoelstelling"),
)

CULTUURSCAN = Exercise(
    id="cultuurscan",
    title="Cultuurscan van je eigen keten",
    chapter=H2,
    intro=(
        "Denk aan één keten waarin je zelf werkt. Geef bij elke stelling aan hoe goed die "
        "past bij wat je in die keten ziet. De scan telt je antwoorden op per dimensie van "
        "ketensturing (cultureel, relationeel, procedureel, inhoudelijk) en laat een profiel "
        "zien met advies. Er is geen goed of fout: het gaat om jouw beeld."
    ),
    prompts=CULTUURSCAN_STATEMENTS
    + (
        TextPrompt(
            "keten",
            "Mijn keten",
            "Over welke keten gaat jouw scan? Noem de keten en je eigen rol erin.",
            placeholder="Bijvoorbeeld: de keten van aanvraag tot uitkering; ik ben teamleider.",
        ),
        TextPrompt(
            "toelichting",
            "Voorbeeld bij je laagste score",
            "Kijk naar de dimensie met de laagste score. Welk voorval uit je eigen keten laat "
            "zien waarom die score laag is?",
        ),
    ),
)

OLIFANTENPAADJES = Exercise(
    id="olifantenpaadjes",
    title="Olifantenpaadjes-logboek",
    chapter=H5,
    intro=(
        "Een olifantenpaadje is een gewoonte die binnen een organisatie zo vanzelfsprekend is "
        "dat niemand haar nog opmerkt. Noteer gewoontes van je eigen organisatie én van je "
        "ketenpartners. Geef per gewoonte aan of die de keten helpt of hindert en bedenk voor "
        "een hinderlijke gewoonte een vervangende gewoonte die de samenwerking versterkt."
    ),
    prompts=(
        HabitLogPrompt("logboek", "Gewoontes"),
        TextPrompt(
            "samen_onderkennen",
            "Samen onderkennen",
            "Met welke ketenpartner wil je deze gewoontes bespreken, en hoe pak je dat gesprek "
            "aan zonder dat iemand zich aangevallen voelt?",
        ),
    ),
)

INTERVENTIONS: dict[str, str] = {
    "onder_een_dak": "Medewerkers van de partners fysiek samen laten werken (onder één dak)",
    "zaak_rapportage": "Samen zaken afbakenen en doorlooptijd en first time right zichtbaar maken",
    "gewoontes_sessie": "Een gezamenlijke sessie om olifantenpaadjes op te sporen en te vervangen",
    "ketendoel_gesprek": "Het externe ketendoel steeds opnieuw met de partners bespreken",
    "ketenmanager": "Een ketenmanager of ketenregisseur aanstellen met mandaat",
    "meer_afspraken": "Extra formele afspraken en procedures vastleggen",
    "opschalen": "Opschalen naar bestuurders of ministeries",
}

SCENARIOS: dict[str, dict[str, str]] = {
    "dubbele_controle": {
        "titel": "Scenario A: de dubbele controle",
        "tekst": (
            "Een verzonnen voorbeeld. Twee uitvoeringsorganisaties moeten van de wetgever samen "
            "één gegevensstroom verwerken. Organisatie B vertrouwt de controles van A niet en "
            "controleert elk bestand opnieuw. Over fouten wordt pas gesproken als een burger "
            "klaagt. De doorlooptijd is twee keer zo lang als gepland."
        ),
    },
    "papieren_afspraken": {
        "titel": "Scenario B: afspraken op papier",
        "tekst": (
            "Een verzonnen voorbeeld. De partners hebben een convenant getekend en maandelijks "
            "bestuurlijk overleg. Op de werkvloer lossen teams problemen toch binnen hun eigen "
            "organisatie op; terugmeldingen blijven liggen omdat niemand zich eigenaar voelt."
        ),
    },
    "gedeeld_gebouw": {
        "titel": "Scenario C: samen in één gebouw, toch apart",
        "tekst": (
            "Een verzonnen voorbeeld. Gemeente en uitvoeringsorganisatie zitten sinds een jaar "
            "op één locatie. Ieder heeft nog een eigen balie, eigen systemen en eigen "
            "werkinstructies. Klanten worden nog steeds van de ene naar de andere balie gestuurd."
        ),
    },
    "plek_verdwijnt": {
        "titel": "Scenario D: de gedeelde plek verdwijnt",
        "tekst": (
            "Een verzonnen voorbeeld. Na een bezuiniging sluit de gezamenlijke locatie waar "
            "medewerkers van de partners jaren samenwerkten. Dienstverlening gaat grotendeels "
            "digitaal. Oude gewoontes van 'ieder voor zich' komen terug."
        ),
    },
}

def scenario_id_letter(scenario: dict[str, str]) -> str:
    """The letter of a scenario ("Scenario A: …" → "A")."""
    return scenario["titel"].split(":")[0].split()[-1]


INTERVENTIEKIEZER = Exercise(
    id="interventiekiezer",
    title="Interventiekiezer",
    chapter=H6,
    intro=(
        "Bij elk scenario van weerstand kies je de interventies die jij zou inzetten. Je krijgt "
        "direct feedback: wat levert elke keuze op in deze situatie, wat kost het en waar ligt "
        "de grens? Licht daarna in je eigen woorden toe waarom je deze combinatie kiest."
    ),
    prompts=tuple(
        prompt
        for scenario_id, scenario in SCENARIOS.items()
        for prompt in (
            ChoicePrompt(f"{scenario_id}.keuze", scenario["titel"], tuple(INTERVENTIONS.items())),
            TextPrompt(
                f"{scenario_id}.motivatie",
                f"Motivatie bij scenario {scenario_id_letter(scenario)}",
                f"Waarom kies je deze interventies voor scenario {scenario_id_letter(scenario)}, "
                "en wat doe je als ze niet werken?",
            ),
        )
    ),
)

ACTIEPLAN = Exercise(
    id="actieplan",
    title="Actieplan voor je eigen keten",
    chapter=H7,
    intro=(
        "Maak een concreet plan voor je eigen keten. Houd het klein en uitvoerbaar: liever "
        "drie stappen die je echt zet dan tien voornemens. Je plan komt in je portfolio."
    ),
    prompts=(
        TextPrompt("keten", "Keten", "Om welke keten gaat het, en wat is jouw rol erin?",
                   required=True),
        TextPrompt("doel", "Doel van mijn plan",
                   "Wat wil je over een half jaar bereikt hebben in de samenwerking?",
                   required=True),
        TextPrompt("ketendoel", "Extern ketendoel",
                   "Wat is het doel van de keten voor burgers of bedrijven buiten de keten?",
                   required=True),
        TextPrompt("partners", "Partners",
                   "Welke ketenpartners (organisaties en personen) heb je nodig, en waarom?",
                   required=True),
        TextPrompt("stap1", "Eerste stap", "Wat is je eerste stap, met wie en wanneer?",
                   required=True),
        TextPrompt("stap2", "Tweede stap", "Wat is je tweede stap?"),
        TextPrompt("stap3", "Derde stap", "Wat is je derde stap?"),
        TextPrompt("ketendoel_in_beeld", "Ketendoel in beeld houden",
                   "Hoe zorg je dat de partners het externe ketendoel blijven zien, ook als "
                   "het eigen belang trekt?", required=True),
        TextPrompt("voortgang", "Voortgang merken",
                   "Waaraan merk je dat het beter gaat? Denk aan zaken: doorlooptijd, first time "
                   "right, terugmeldingen, of signalen in het gedrag van mensen.", required=True),
        DatePrompt("evaluatiedatum", "Evaluatiedatum", "Wanneer kijk je terug op dit plan?"),
    ),
)

EXERCISES: dict[str, Exercise] = {
    ex.id: ex for ex in (CULTUURSCAN, OLIFANTENPAADJES, INTERVENTIEKIEZER, ACTIEPLAN)
}


def get_exercise(exercise_id: str) -> Exercise:
    try:
        return EXERCISES[exercise_id]
    except KeyError:
        raise KeyError(
            f"Onbekende oefening {exercise_id!r}. Kies uit: {', '.join(EXERCISES)}."
        ) from None
