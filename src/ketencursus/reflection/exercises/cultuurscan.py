"""Cultuurscan: sixteen statements, two per pillar, scored per dimension of chain governance,
with a profile and advice that points back to the chapters."""

from __future__ import annotations

from .. import derive as rules
from ..derive import Derived
from ..model import Exercise, LikertPrompt, TextPrompt, Workbook
from ._common import DIMENSIONS, H1, H2, H3, H4, H5, H6, H7

_S = LikertPrompt
STATEMENTS: tuple[LikertPrompt, ...] = (
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

ADVICE: dict[str, dict[str, str]] = {
    "cultureel": {
        "laag": (
            "Je ziet vooral weerstand: organisaties denken vanuit hun eigen taak en mensen "
            f"hebben weinig ruimte om voor de keten te kiezen. Lees in {H2} waarom opgelegde "
            f"samenwerking lang doorwerkt, en in {H3} hoe je het ketendoel steeds opnieuw op "
            "tafel legt. Begin klein: zoek één besluit waarbij je samen met een partner "
            "bekijkt wat het voor de keten betekent."
        ),
        "midden": (
            "Er is wil, maar die is nog niet vanzelfsprekend. Maak zichtbaar waar medewerkers "
            f"ruimte krijgen om voor de keten af te wijken en waar niet ({H3}). Laat voorbeelden "
            "zien waarin iemand de keten voorrang gaf."
        ),
        "hoog": (
            "De wil om voor de keten te werken lijkt er te zijn. Borg die: nieuwe collega's "
            f"nemen een houding snel over als die zichtbaar is, zie {H6}. Let op dat de "
            "speelruimte gekoppeld blijft aan het ketendoel."
        ),
    },
    "relationeel": {
        "laag": (
            "Vertrouwen en dialoog zijn dun: partners controleren elkaar en praten vooral "
            f"formeel. In {H3} lees je hoe 'liever solo dan samen' ontstaat. Overweeg "
            f"ontmoetingen op de werkvloer of zelfs tijdelijk samenwerken op één plek ({H6})."
        ),
        "midden": (
            "Er zijn contacten, maar lastige onderwerpen blijven soms liggen. Spreek met een "
            "partner af om fouten en vertraging samen te bespreken zonder schuldvraag, en lees "
            f"in {H5} hoe ongeschreven gewoontes misverstanden voeden."
        ),
        "hoog": (
            "Partners vertrouwen elkaar en praten open. Gebruik dat om samen olifantenpaadjes "
            f"op te sporen ({H5}): juist in een goede relatie kun je gewoontes benoemen."
        ),
    },
    "procedureel": {
        "laag": (
            f"Wie waarover gaat en hoe de keten presteert, is onduidelijk. Lees {H4}: met de "
            "zaak als eenheid kun je doorlooptijd en kwaliteit over de hele keten volgen. Kijk in "
            f"{H1} welke bouwstenen (ketenbestuur, ketenmanager, ketenrapportage) ontbreken."
        ),
        "midden": (
            "Er is structuur, maar resultaten van de keten als geheel zijn nog niet voor iedereen "
            f"zichtbaar. Maak samen één ketenrapportage over zaken ({H4})."
        ),
        "hoog": (
            "Structuur en transparantie zijn op orde. Bewaak dat cijfers gebruikt worden om van "
            f"te leren en niet om af te rekenen; anders verdwijnt de openheid ({H4})."
        ),
    },
    "inhoudelijk": {
        "laag": (
            f"Kennis van de keten en een gedeeld doel ontbreken. Begin bij {H1}: breng samen "
            "de keten in kaart en formuleer het externe ketendoel in één zin die iedereen kan "
            f"navertellen. In {H7} giet je dat in een plan."
        ),
        "midden": (
            "Het doel is er, maar leeft nog niet overal. Laat medewerkers zien wat de volgende "
            f"schakel met hun werk doet, bijvoorbeeld door een zaak samen te volgen ({H4})."
        ),
        "hoog": (
            "Mensen kennen de keten en het doel. Gebruik dat doel actief als toetssteen bij "
            f"lastige keuzes ({H3})."
        ),
    },
}

PROFILE = rules.LikertProfile(
    groups=tuple((d, str(v["naam"]), str(v["vraag"])) for d, v in DIMENSIONS.items()),
    advice=ADVICE,
    empty_hint="Je profiel verschijnt hier zodra je per dimensie minstens twee stellingen hebt "
               "beantwoord.",
    too_few="Nog te weinig stellingen beantwoord ({answered} van {total}); vul er minstens "
            "{min} in voor een score.",
)

EXERCISE = Exercise(
    id="cultuurscan",
    title="Cultuurscan van je eigen keten",
    chapter=H2,
    intro=(
        "Denk aan één keten waarin je zelf werkt. Geef bij elke stelling aan hoe goed die "
        "past bij wat je in die keten ziet. De scan telt je antwoorden op per dimensie van "
        "ketensturing (cultureel, relationeel, procedureel, inhoudelijk) en laat een profiel "
        "zien met advies. Er is geen goed of fout: het gaat om jouw beeld."
    ),
    notes=(
        "Deze scan geeft het beeld van één persoon: jou. Vraag iemand bij een ketenpartner om "
        "de scan ook in te vullen (in het eigen boek of notebook) en leg jullie profielen naast "
        "elkaar. Waar de profielen verschillen, zit het gesprek dat de keten nodig heeft.",
        "Met twee stellingen per pijler is een score een aanleiding voor dat gesprek, geen "
        "betrouwbare meting.",
    ),
    prompts=STATEMENTS + (
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
        TextPrompt(
            "vergelijking",
            "Vergelijken met een partner",
            "Wie bij een ketenpartner (beschrijf de rol) vraag je de scan ook in te vullen, en "
            "op welk verschil tussen jullie profielen ben je het meest benieuwd?",
        ),
    ),
    rules=(PROFILE,),
)


def derive(workbook: Workbook) -> Derived:
    return rules.derive(EXERCISE, workbook)
