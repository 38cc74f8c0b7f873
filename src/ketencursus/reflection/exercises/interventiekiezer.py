"""Interventiekiezer: four invented situations of resistance; the learner picks interventions
and gets feedback per choice (fit, reason, costs and limits, colour). Each situation has
exactly two interventions that fit well, and the feedback tells apart what the course
distinguishes: a ketenmanager (mandate) from a ketenregisseur (connecting, no hierarchical
power), and the reflex to solve problems alone from the unwritten habits (olifantenpaadjes)."""

from __future__ import annotations

from .. import derive as rules
from ..derive import Derived
from ..model import ChoicePrompt, Exercise, TextPrompt, Workbook
from ._common import COLOURS, H3, H5, H6

#: option id -> (label, colour)
INTERVENTIONS: dict[str, tuple[str, str]] = {
    "onder_een_dak": ("Medewerkers van de partners fysiek samen laten werken (onder één dak)",
                      "groen"),
    "zaak_rapportage": ("Samen zaken afbakenen en doorlooptijd en first time right zichtbaar "
                        "maken", "blauw"),
    "gewoontes_sessie": ("Met de partners olifantenpaadjes opsporen: ongeschreven gewoontes "
                         "die van binnenuit niemand meer ziet", "groen"),
    "eerst_partner": ("De reflex 'liever solo dan samen' doorbreken: wie een ketenprobleem "
                      "ziet, belt eerst de partner in plaats van het zelf op te lossen", "rood"),
    "ketendoel_gesprek": ("Het externe ketendoel steeds opnieuw met de partners bespreken",
                          "rood"),
    "ketenmanager": ("Een ketenmanager aanstellen met mandaat om knelpunten over "
                     "organisatiegrenzen heen door te hakken", "geel"),
    "ketenregisseur": ("Een ketenregisseur laten verbinden: partners bij elkaar brengen en "
                       "afspraken bewaken, zonder hiërarchische macht", "rood"),
    "teams_ruimte": ("Teams van de partners de ruimte geven om samen zelf een werkwijze te "
                     "vinden", "wit"),
    "meer_afspraken": ("Extra formele afspraken en procedures vastleggen", "blauw"),
    "opschalen": ("Opschalen naar bestuurders of ministeries", "geel"),
}

LABELS: dict[str, str] = {
    key: f"{label} [{colour}]" for key, (label, colour) in INTERVENTIONS.items()
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
            "bestuurlijk overleg. Op de werkvloer weet iedereen dat problemen met de partner "
            "binnen de eigen organisatie worden opgelost, 'want dat gaat sneller'. "
            "Terugmeldingen blijven liggen omdat niemand zich eigenaar voelt, en in het overleg "
            "wijzen de partners naar elkaar."
        ),
    },
    "gedeeld_gebouw": {
        "titel": "Scenario C: samen in één gebouw, toch apart",
        "tekst": (
            "Een verzonnen voorbeeld. Gemeente en uitvoeringsorganisatie zitten sinds een jaar "
            "op één locatie. Ieder heeft nog een eigen balie, eigen systemen en eigen "
            "werkinstructies. Niemand vindt dat vreemd: 'zo werken wij nu eenmaal'. Klanten "
            "worden nog steeds van de ene naar de andere balie gestuurd."
        ),
    },
    "plek_verdwijnt": {
        "titel": "Scenario D: de gedeelde plek verdwijnt",
        "tekst": (
            "Een verzonnen voorbeeld. Na een bezuiniging sluit de gezamenlijke locatie waar "
            "medewerkers van de partners jaren samenwerkten. Dienstverlening gaat grotendeels "
            "digitaal. De mensen die elkaar kenden, zien elkaar niet meer, en het gesprek over "
            "waar de keten voor is, verstomt."
        ),
    },
}

STRONG, PARTIAL, WEAK = "past goed", "past deels", "past slecht"

#: How well each intervention fits each scenario, and why (exactly two fit well per scenario).
FIT: dict[str, dict[str, tuple[str, str]]] = {
    "dubbele_controle": {
        "zaak_rapportage": (STRONG, "Met doorlooptijd en first time right per zaak wordt "
                            "zichtbaar wat de dubbele controle kost en wat ze oplevert; dan "
                            "praten A en B over feiten in plaats van over vermoedens."),
        "ketenregisseur": (STRONG, "Hier ontbreekt vertrouwen, geen bevel. Een regisseur brengt A "
                           "en B samen om fouten open te bespreken voordat een burger klaagt; "
                           "daarvoor is geen hiërarchische macht nodig."),
        "ketenmanager": (PARTIAL, "Een ketenmanager kan met zijn mandaat één controle afdwingen, "
                         "maar zonder vertrouwen gaat B stilletjes toch controleren. Mandaat "
                         "lost een patstelling op, geen wantrouwen."),
        "onder_een_dak": (PARTIAL, "Wie naast elkaar werkt, ziet hoe de ander controleert; dat "
                          "kan vertrouwen opbouwen, maar het is duur en traag voor één "
                          "gegevensstroom."),
        "gewoontes_sessie": (PARTIAL, "Opnieuw controleren kan een olifantenpaadje zijn, maar "
                             "hier is het een bewuste keuze uit wantrouwen: iedereen weet dat "
                             "B controleert. Benoemen helpt, de oorzaak ligt in het vertrouwen."),
        "eerst_partner": (PARTIAL, "Eerst de partner bellen helpt bij fouten, maar B lost niets "
                          "alleen op: B controleert alles. Het probleem is wantrouwen, niet de "
                          "reflex om het zelf te doen."),
        "ketendoel_gesprek": (PARTIAL, "Het doel voor de burger maakt de vertraging pijnlijk "
                              "concreet, maar verandert de controle nog niet vanzelf."),
        "teams_ruimte": (WEAK, "Ruimte geven werkt als mensen elkaar vertrouwen; hier zou B die "
                         "ruimte gebruiken om te blijven controleren."),
        "meer_afspraken": (WEAK, "Een afspraak 'we vertrouwen elkaars controle' verandert weinig "
                           "zolang B geen reden heeft om dat te doen."),
        "opschalen": (WEAK, "Opschalen kan de controle verbieden, maar vergroot de weerstand en "
                      "het wantrouwen."),
    },
    "papieren_afspraken": {
        "eerst_partner": (STRONG, "Problemen binnen de eigen organisatie oplossen 'omdat het "
                          "sneller gaat' is de reflex liever solo dan samen: een keuze die "
                          "iedereen kent. Spreek af en laat zien dat je eerst de partner belt."),
        "ketenmanager": (STRONG, "Terugmeldingen vallen tussen de organisaties in en partners "
                         "wijzen naar elkaar: hier is iemand nodig met mandaat om eigenaar te "
                         "zijn en knopen door te hakken. Een regisseur zonder macht kan dat niet "
                         "afdwingen."),
        "ketenregisseur": (PARTIAL, "Een regisseur brengt de partners bij elkaar en bewaakt de "
                           "afspraken, maar kan niemand eigenaar maken van de liggende "
                           "terugmeldingen; daarvoor is mandaat nodig."),
        "gewoontes_sessie": (PARTIAL, "Een sessie over olifantenpaadjes zoekt wat niemand meer "
                             "ziet. Hier weet iedereen wat er gebeurt: het zelf oplossen is een "
                             "zichtbare reflex, geen verborgen gewoonte."),
        "zaak_rapportage": (PARTIAL, "Liggende terugmeldingen worden zichtbaar als zaken met een "
                            "doorlooptijd, maar cijfers maken nog niemand eigenaar."),
        "ketendoel_gesprek": (PARTIAL, "Het convenant staat op papier; het gesprek over het "
                              "externe doel moet ook op de werkvloer terugkomen, maar lost het "
                              "eigenaarschap niet op."),
        "onder_een_dak": (PARTIAL, "Samenwerken op één plek brengt de werkvloer bij elkaar, maar "
                          "is duur voor een probleem van eigenaarschap en reflexen."),
        "teams_ruimte": (WEAK, "De teams hebben al ruimte en gebruiken die om het zelf op te "
                         "lossen; meer ruimte versterkt de reflex."),
        "meer_afspraken": (WEAK, "Er zijn al afspraken; meer papier lost het langs elkaar heen "
                           "werken niet op."),
        "opschalen": (WEAK, "Bestuurders hebben al getekend; het probleem zit in het dagelijkse "
                      "werk."),
    },
    "gedeeld_gebouw": {
        "gewoontes_sessie": (STRONG, "'Zo werken wij nu eenmaal': eigen balies en "
                             "werkinstructies zijn olifantenpaadjes die van binnenuit niemand "
                             "meer ziet. Met de blik van de partner worden ze bespreekbaar."),
        "zaak_rapportage": (STRONG, "Volg de klant als één zaak langs beide balies: dan ziet "
                            "iedereen hoe vaak en hoe lang de klant heen en weer gaat."),
        "eerst_partner": (PARTIAL, "Niemand lost hier iets stiekem alleen op; het probleem is "
                          "dat de eigen werkwijze zo gewoon is dat niemand hem ter discussie "
                          "stelt. Dat is een olifantenpaadje, geen solo-reflex."),
        "ketenregisseur": (PARTIAL, "Een regisseur kan de teams bij elkaar brengen, maar de "
                           "gewoontes moeten eerst zichtbaar worden."),
        "ketenmanager": (PARTIAL, "Een locatiemanager met mandaat voor de hele keten kan "
                         "processen samenvoegen, maar opgelegde samenvoeging zonder zicht op "
                         "de gewoontes wekt weerstand."),
        "teams_ruimte": (PARTIAL, "Zodra de gewoontes zichtbaar zijn, kunnen teams zelf een "
                         "gezamenlijke werkwijze vinden; eerder niet."),
        "ketendoel_gesprek": (PARTIAL, "Het doel voor de klant maakt de splitsing zichtbaar, maar "
                              "er moeten ook werkprocessen veranderen."),
        "meer_afspraken": (PARTIAL, "Afspraken over één intake en warme overdracht kunnen helpen, "
                           "als ze uit de werkvloer komen."),
        "onder_een_dak": (WEAK, "Ze zitten al onder één dak. Een gedeeld gebouw alleen is geen "
                          "samenwerking: het werk zelf is nog niet samengevoegd."),
        "opschalen": (WEAK, "Het probleem ligt in de uitvoering op de locatie; opschalen haalt "
                      "het daar weg."),
    },
    "plek_verdwijnt": {
        "ketendoel_gesprek": (STRONG, "Zonder de katalysator van de gedeelde plek moet je het "
                              "gesprek over het externe doel bewust organiseren, bijvoorbeeld "
                              "met vaste ketenoverleggen."),
        "ketenregisseur": (STRONG, "Wat verdwijnt is ontmoeting, geen doorzettingsmacht. Een "
                           "regisseur houdt de partners met elkaar in contact en vangt een deel "
                           "op van wat de gedeelde plek vanzelf deed."),
        "ketenmanager": (PARTIAL, "Mandaat helpt bij knelpunten, maar het probleem hier is dat "
                         "mensen elkaar kwijtraken; een manager met macht vervangt geen "
                         "ontmoeting."),
        "zaak_rapportage": (PARTIAL, "Gezamenlijke cijfers over zaken houden de keten zichtbaar, "
                            "maar vervangen het gesprek niet."),
        "gewoontes_sessie": (PARTIAL, "Benoem welke goede gewoontes van de gedeelde plek je wilt "
                             "houden en hoe, voordat ze verdwijnen."),
        "eerst_partner": (PARTIAL, "Zonder gedeelde plek keert de reflex om het zelf op te "
                          "lossen snel terug; een afspraak om eerst te bellen helpt, maar "
                          "alleen als mensen elkaar nog kennen."),
        "teams_ruimte": (PARTIAL, "Teams die elkaar kennen, vinden soms zelf nieuwe vormen; "
                         "zonder ontmoeting droogt dat op."),
        "meer_afspraken": (PARTIAL, "Leg vast wat informeel goed ging (contactpersonen, "
                           "overdracht), maar papier vervangt geen ontmoeting."),
        "onder_een_dak": (WEAK, "De gedeelde plek is juist weg; terugdraaien is meestal niet "
                          "haalbaar na een bezuiniging."),
        "opschalen": (WEAK, "Bestuurders moeten weten wat de bezuiniging de keten kost; als "
                      "signaal nuttig, als oplossing niet."),
    },
}

#: Costs and limits of each intervention, whatever the scenario, with its colour.
LIMITS: dict[str, str] = {
    "onder_een_dak": (
        "Kosten en grenzen: huisvesting, reistijd en verschillende systemen en cao's. Eén dak "
        f"is een katalysator, geen garantie ({H6})."
    ),
    "zaak_rapportage": (
        "Kosten en grenzen: partners moeten gegevens delen en het eens worden over wat een zaak "
        "is. Cijfers die worden gebruikt om af te rekenen, maken mensen voorzichtig."
    ),
    "gewoontes_sessie": (
        "Kosten en grenzen: gewoontes zijn voor insiders onzichtbaar; je hebt de blik van de "
        f"partner nodig en een veilige sfeer. Eén sessie is een begin, geen verandering ({H5})."
    ),
    "eerst_partner": (
        "Kosten en grenzen: het voelt eerst trager, en het werkt alleen als de partner ook "
        f"opneemt en iets doet. Leidinggevenden moeten het voorleven ({H3})."
    ),
    "ketendoel_gesprek": (
        "Kosten en grenzen: het vraagt doorzettingsvermogen, want het gesprek moet steeds "
        "opnieuw. Zonder concrete gevolgen wordt het een ritueel."
    ),
    "ketenmanager": (
        "Kosten en grenzen: een ketenmanager zonder mandaat of budget wordt een brievenbus, en "
        "de partners kunnen de keten op hem of haar afschuiven."
    ),
    "ketenregisseur": (
        "Kosten en grenzen: een regisseur heeft gezag nodig dat de partners hem of haar "
        "gunnen; bij een echte patstelling ontbreekt de macht om door te hakken."
    ),
    "teams_ruimte": (
        "Kosten en grenzen: wat ontstaat is niet te plannen, en het vraagt vertrouwen van "
        "leidinggevenden die de uitkomst niet in de hand hebben."
    ),
    "meer_afspraken": (
        "Kosten en grenzen: afspraken leggen vast wat partners al willen; ze maken geen wil. "
        "Te veel regels verkleinen de speelruimte die de keten juist nodig heeft."
    ),
    "opschalen": (
        "Kosten en grenzen: opschalen kan een patstelling doorbreken, maar gebruik het spaarzaam: "
        "het kost vertrouwen en legt het probleem weg bij de mensen die het werk doen."
    ),
}


def scenario_letter(scenario_id: str) -> str:
    """``"Scenario A: …"`` → ``"A"``."""
    return SCENARIOS[scenario_id]["titel"].split(":")[0].split()[-1]


def _feedback(scenario_id: str) -> rules.ChoiceFeedback:
    return rules.ChoiceFeedback(
        prompt=f"{scenario_id}.keuze",
        heading=f"Feedback bij {SCENARIOS[scenario_id]['titel']}",
        fits=FIT[scenario_id],
        limits={k: f"Kleur: {COLOURS[INTERVENTIONS[k][1]]}. {text}" for k, text in LIMITS.items()},
        labels={k: label for k, (label, _colour) in INTERVENTIONS.items()},
        strong=STRONG,
        nothing_chosen="Kies een of meer interventies om feedback te krijgen.",
        none_strong="Geen van je keuzes past goed bij dit scenario. Kijk nog eens naar de "
                    "oorzaak van de weerstand: gaat het om vertrouwen, een zichtbare reflex om "
                    "het zelf op te lossen, onzichtbare gewoontes, eigenaarschap of het "
                    "verdwijnen van ontmoeting?",
        some_strong="{strong} van je {chosen} keuzes passen goed bij dit scenario.",
        too_many="Je kiest {chosen} interventies tegelijk. Partners kunnen maar een beperkte "
                 "hoeveelheid verandering aan; welke twee of drie zijn het belangrijkst?",
        also_strong="Ook sterk in deze situatie: {options}.",
    )


EXERCISE = Exercise(
    id="interventiekiezer",
    title="Interventiekiezer",
    chapter=H6,
    intro=(
        "Bij elk scenario van weerstand kies je de interventies die jij zou inzetten. Je krijgt "
        "direct feedback: wat levert elke keuze op in deze situatie, wat kost het en waar ligt "
        "de grens? Licht daarna in je eigen woorden toe waarom je deze combinatie kiest."
    ),
    notes=(
        "Achter elke interventie staat haar kleur in het kleurendenken van De Caluwé en "
        "Vermaak: " + "; ".join(COLOURS.values()) + ". Let op twee paren die op elkaar lijken: "
        "een ketenmanager heeft mandaat om door te hakken, een ketenregisseur verbindt zonder "
        "hiërarchische macht; en de reflex 'liever solo dan samen' is een zichtbare keuze, "
        "terwijl een olifantenpaadje een gewoonte is die van binnenuit niemand meer ziet.",
    ),
    prompts=tuple(
        prompt
        for scenario_id, scenario in SCENARIOS.items()
        for prompt in (
            ChoicePrompt(f"{scenario_id}.keuze", scenario["titel"], tuple(LABELS.items()),
                         question="Welke interventies kies je?", context=scenario["tekst"]),
            TextPrompt(
                f"{scenario_id}.motivatie",
                f"Motivatie bij scenario {scenario_letter(scenario_id)}",
                f"Waarom kies je deze interventies voor scenario {scenario_letter(scenario_id)}, "
                "en wat doe je als ze niet werken?",
            ),
        )
    ),
    rules=tuple(_feedback(scenario_id) for scenario_id in SCENARIOS),
)


def derive(workbook: Workbook) -> Derived:
    return rules.derive(EXERCISE, workbook)
