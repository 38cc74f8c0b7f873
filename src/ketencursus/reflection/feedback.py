"""What the exercises tell the learner: cultuurscan scores and advice, intervention feedback,
habit-log and action-plan hints. Pure functions on the workbook; the view only shows them."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from html import escape

from ketencursus._util import nl

from .exercises import (
    ACTIEPLAN,
    CULTUURSCAN_STATEMENTS,
    DIMENSIONS,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    H7,
    INTERVENTIONS,
)
from .model import TextPrompt, Workbook, is_empty

#: At least this many of a dimension's four statements must be answered to score it.
MIN_ANSWERED_PER_DIMENSION = 2
LOW, HIGH = 2.5, 3.5

# ----------------------------------------------------------------------------- cultuurscan


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    score: float | None  # mean on 1–5 (higher = stronger for the chain), None = too few answers
    answered: int
    total: int

    @property
    def band(self) -> str:
        if self.score is None:
            return "onvoldoende"
        if self.score < LOW:
            return "laag"
        if self.score <= HIGH:
            return "midden"
        return "hoog"


def score_cultuurscan(answers: dict[str, int | None]) -> dict[str, DimensionScore]:
    """Mean score per dimension (reverse-keyed statements flipped), from ``{prompt_id: 1..5}``."""
    result = {}
    for dimension in DIMENSIONS:
        statements = [s for s in CULTUURSCAN_STATEMENTS if s.dimension == dimension]
        values = [
            s.score(answers[s.id]) for s in statements if answers.get(s.id) is not None
        ]
        score = (
            round(sum(values) / len(values), 2)
            if len(values) >= MIN_ANSWERED_PER_DIMENSION
            else None
        )
        result[dimension] = DimensionScore(dimension, score, len(values), len(statements))
    return result


def cultuurscan_answers(workbook: Workbook) -> dict[str, int | None]:
    return {s.id: workbook.get("cultuurscan", s.id) for s in CULTUURSCAN_STATEMENTS}


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


def cultuurscan_advice(scores: dict[str, DimensionScore]) -> list[tuple[str, str]]:
    """(dimension name, advice) per dimension, weakest first; unscored dimensions last."""
    ordered = sorted(
        scores.values(), key=lambda s: (s.score is None, s.score if s.score is not None else 0)
    )
    advice = []
    for s in ordered:
        name = str(DIMENSIONS[s.dimension]["naam"])
        if s.score is None:
            advice.append(
                (
                    name,
                    f"Nog te weinig stellingen beantwoord ({s.answered} van {s.total}); vul er "
                    f"minstens {MIN_ANSWERED_PER_DIMENSION} in voor een score.",
                )
            )
        else:
            advice.append((name, ADVICE[s.dimension][s.band]))
    return advice


def profile_alt_text(scores: dict[str, DimensionScore], example: bool = False) -> str:
    parts = []
    for s in scores.values():
        name = str(DIMENSIONS[s.dimension]["naam"]).lower()
        parts.append(
            f"{name} {nl.number(s.score, 1)}"
            if s.score is not None
            else f"{name} geen score"
        )
    prefix = "Voorbeeld van een profiel" if example else "Profiel van jouw keten"
    return f"{prefix} op de vier dimensies, schaal 1 tot 5: " + "; ".join(parts) + "."


def profile_chart_png(scores: dict[str, DimensionScore], example: bool = False) -> bytes:
    """A horizontal bar chart of the four dimension scores (PNG)."""
    # A bare Figure renders without pyplot, so the learner's plotting backend is left alone.
    from matplotlib.figure import Figure

    names = [str(DIMENSIONS[d]["naam"]) for d in scores]
    values = [s.score if s.score is not None else 0 for s in scores.values()]
    fig = Figure(figsize=(6.4, 2.8), dpi=100)
    ax = fig.add_subplot()
    colours = ["#b0413e" if v and v < LOW else "#c98a1b" if v and v <= HIGH else "#2e7d4f"
               for v in values]
    bars = ax.barh(names[::-1], values[::-1], color=colours[::-1])
    for bar, s in zip(bars, list(scores.values())[::-1], strict=True):
        label = nl.number(s.score, 1) if s.score is not None else "geen score"
        ax.text(min(bar.get_width(), 4.6) + 0.05, bar.get_y() + bar.get_height() / 2, label,
                va="center", fontsize=9)
    ax.set_xlim(0, 5)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.axvline(LOW, color="#999999", linewidth=0.8, linestyle=":")
    ax.axvline(HIGH, color="#999999", linewidth=0.8, linestyle=":")
    ax.set_xlabel("Gemiddelde score (1 = zwak, 5 = sterk voor de keten)")
    title = "VOORBEELD – profiel met verzonnen antwoorden" if example else "Profiel van jouw keten"
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def profile_html(scores: dict[str, DimensionScore], example: bool = False) -> str:
    """The chart as an <img> with a Dutch alt text, plus a score table (for screen readers)."""
    png = base64.b64encode(profile_chart_png(scores, example)).decode("ascii")
    rows = "".join(
        f"<tr><th scope='row'>{escape(str(DIMENSIONS[s.dimension]['naam']))}</th>"
        f"<td>{escape(str(DIMENSIONS[s.dimension]['vraag']))}</td>"
        f"<td>{nl.number(s.score, 1) if s.score is not None else '–'}</td>"
        f"<td>{s.answered} van {s.total}</td></tr>"
        for s in scores.values()
    )
    return (
        f"<img src='data:image/png;base64,{png}' alt='{escape(profile_alt_text(scores, example))}'"
        " style='max-width:100%'>"
        "<table class='kc-scores'><caption>Scores per dimensie</caption>"
        "<thead><tr><th scope='col'>Dimensie</th><th scope='col'>Kernvraag</th>"
        "<th scope='col'>Score</th><th scope='col'>Beantwoord</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


# ----------------------------------------------------------------------- interventiekiezer

STRONG, PARTIAL, WEAK = "past goed", "past deels", "past slecht"

#: How well each intervention fits each scenario, and why.
FIT: dict[str, dict[str, tuple[str, str]]] = {
    "dubbele_controle": {
        "onder_een_dak": (STRONG, "Wie naast elkaar werkt, ziet hoe de ander controleert; dat "
                          "bouwt het vertrouwen op dat de dubbele controle overbodig maakt."),
        "zaak_rapportage": (STRONG, "Met doorlooptijd en first time right per zaak wordt "
                            "zichtbaar wat de dubbele controle kost en wat ze oplevert."),
        "gewoontes_sessie": (PARTIAL, "Opnieuw controleren is waarschijnlijk een olifantenpaadje; "
                             "samen benoemen helpt, maar zonder cijfers blijft het een gevoel."),
        "ketendoel_gesprek": (PARTIAL, "Het doel voor de burger maakt de vertraging pijnlijk "
                              "concreet, maar verandert de controle nog niet vanzelf."),
        "ketenmanager": (PARTIAL, "Een ketenmanager kan afspraken over één controle afdwingen; "
                         "zonder vertrouwen gaat B stilletjes toch controleren."),
        "meer_afspraken": (WEAK, "Een afspraak 'we vertrouwen elkaars controle' verandert weinig "
                           "zolang B geen reden heeft om dat te doen."),
        "opschalen": (WEAK, "Opschalen kan de controle verbieden, maar vergroot de weerstand en "
                      "het wantrouwen."),
    },
    "papieren_afspraken": {
        "onder_een_dak": (PARTIAL, "Samenwerken op één plek brengt de werkvloer bij elkaar, maar "
                          "is duur voor een probleem dat ook met eigenaarschap op te lossen is."),
        "zaak_rapportage": (STRONG, "Liggende terugmeldingen worden zichtbaar als zaken met een "
                            "doorlooptijd; dan kan iemand erop sturen."),
        "gewoontes_sessie": (STRONG, "Het eigen probleem zelf oplossen is een typisch "
                             "olifantenpaadje; samen benoemen maakt het bespreekbaar."),
        "ketendoel_gesprek": (STRONG, "Het convenant staat op papier; het gesprek over het "
                              "externe doel moet ook op de werkvloer steeds terugkomen."),
        "ketenmanager": (STRONG, "Een ketenmanager kan eigenaar worden van de terugmeldingen die "
                         "nu tussen de organisaties in vallen."),
        "meer_afspraken": (WEAK, "Er zijn al afspraken; meer papier lost het langs elkaar heen "
                           "werken niet op."),
        "opschalen": (WEAK, "Bestuurders hebben al getekend; het probleem zit in het dagelijkse "
                      "werk."),
    },
    "gedeeld_gebouw": {
        "onder_een_dak": (WEAK, "Ze zitten al onder één dak. Een gedeeld gebouw alleen is geen "
                          "samenwerking: het werk zelf is nog niet samengevoegd."),
        "zaak_rapportage": (STRONG, "Volg de klant als één zaak langs beide balies: dan ziet "
                            "iedereen hoe vaak en hoe lang de klant heen en weer gaat."),
        "gewoontes_sessie": (STRONG, "Eigen balies en werkinstructies zijn zichtbare sporen van "
                             "eigen gewoontes; bespreek ze samen."),
        "ketendoel_gesprek": (PARTIAL, "Het doel voor de klant maakt de splitsing zichtbaar, maar "
                              "er moeten ook werkprocessen veranderen."),
        "ketenmanager": (PARTIAL, "Een locatiemanager voor de hele keten kan processen "
                         "samenvoegen, mits beide organisaties mandaat geven."),
        "meer_afspraken": (PARTIAL, "Afspraken over één intake en warme overdracht kunnen helpen, "
                           "als ze uit de werkvloer komen."),
        "opschalen": (WEAK, "Het probleem ligt in de uitvoering op de locatie; opschalen haalt "
                      "het daar weg."),
    },
    "plek_verdwijnt": {
        "onder_een_dak": (WEAK, "De gedeelde plek is juist weg; terugdraaien is meestal niet "
                          "haalbaar na een bezuiniging."),
        "zaak_rapportage": (STRONG, "Gezamenlijke cijfers over zaken houden de keten zichtbaar als "
                            "geheel, ook zonder gedeelde plek."),
        "gewoontes_sessie": (PARTIAL, "Benoem welke goede gewoontes van de gedeelde plek je wilt "
                             "houden en hoe, voordat ze verdwijnen."),
        "ketendoel_gesprek": (STRONG, "Zonder katalysator moet je het gesprek over het externe "
                              "doel bewust organiseren, bijvoorbeeld met vaste ketenoverleggen."),
        "ketenmanager": (STRONG, "Iemand die de keten bewaakt, vangt een deel op van wat de "
                         "gedeelde plek vanzelf deed."),
        "meer_afspraken": (PARTIAL, "Leg vast wat informeel goed ging (contactpersonen, "
                           "overdracht), maar papier vervangt geen ontmoeting."),
        "opschalen": (PARTIAL, "Bestuurders moeten weten wat de bezuiniging de keten kost; als "
                      "signaal nuttig, als oplossing niet."),
    },
}

#: Costs and limits of each intervention, whatever the scenario.
LIMITS: dict[str, str] = {
    "onder_een_dak": (
        "Kosten en grenzen: huisvesting, reistijd en verschillende systemen en cao's. Eén dak "
        "is een katalysator, geen garantie: zonder gezamenlijke werkprocessen blijft het "
        "naast elkaar werken. En als de plek verdwijnt, kan de samenwerking mee verdwijnen."
    ),
    "zaak_rapportage": (
        "Kosten en grenzen: partners moeten gegevens delen en het eens worden over wat een zaak "
        "is. Cijfers die worden gebruikt om af te rekenen, maken mensen voorzichtig."
    ),
    "gewoontes_sessie": (
        "Kosten en grenzen: gewoontes zijn voor insiders onzichtbaar; je hebt de blik van de "
        "partner nodig en een veilige sfeer. Eén sessie is een begin, geen verandering."
    ),
    "ketendoel_gesprek": (
        "Kosten en grenzen: het vraagt doorzettingsvermogen, want het gesprek moet steeds "
        "opnieuw. Zonder concrete gevolgen wordt het een ritueel."
    ),
    "ketenmanager": (
        "Kosten en grenzen: een ketenmanager zonder mandaat of budget wordt een brievenbus. "
        "Het risico is dat de partners de keten op hem of haar afschuiven."
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

MAX_SENSIBLE_CHOICES = 3


@dataclass(frozen=True)
class InterventionFeedback:
    scenario: str
    items: list[tuple[str, str, str, str]]  # (intervention label, fit, reason, limits)
    summary: str


def intervention_feedback(scenario_id: str, chosen: list[str]) -> InterventionFeedback:
    """Feedback on a choice of interventions for a scenario: fit, reason, costs and limits."""
    if scenario_id not in FIT:
        raise KeyError(f"Onbekend scenario {scenario_id!r}. Kies uit: {', '.join(FIT)}.")
    fits = FIT[scenario_id]
    items = [
        (INTERVENTIONS[i], fits[i][0], fits[i][1], LIMITS[i]) for i in INTERVENTIONS if i in chosen
    ]
    strong = [i for i in chosen if fits[i][0] == STRONG]
    missed = [INTERVENTIONS[i] for i in INTERVENTIONS if fits[i][0] == STRONG and i not in chosen]
    if not chosen:
        summary = "Kies een of meer interventies om feedback te krijgen."
    else:
        notes = []
        if not strong:
            notes.append(
                "Geen van je keuzes past goed bij dit scenario. Kijk nog eens naar de oorzaak "
                "van de weerstand: gaat het om vertrouwen, gewoontes, zicht op resultaten of "
                "eigenaarschap?"
            )
        else:
            notes.append(f"{len(strong)} van je {len(chosen)} keuzes passen goed bij dit scenario.")
        if len(chosen) > MAX_SENSIBLE_CHOICES:
            notes.append(
                f"Je kiest {len(chosen)} interventies tegelijk. Partners kunnen maar een beperkte "
                "hoeveelheid verandering aan; welke twee of drie zijn het belangrijkst?"
            )
        if missed and len(chosen) < MAX_SENSIBLE_CHOICES:
            notes.append("Ook sterk in deze situatie: " + "; ".join(missed) + ".")
        summary = " ".join(notes)
    return InterventionFeedback(scenario_id, items, summary)


def intervention_feedback_html(feedback: InterventionFeedback) -> str:
    parts = [f"<p><strong>Feedback:</strong> {escape(feedback.summary)}</p>"]
    if feedback.items:
        parts.append("<ul>")
        for label, fit, reason, limits in feedback.items:
            parts.append(
                f"<li><strong>{escape(label)}</strong> – <em>{escape(fit)}</em>. "
                f"{escape(reason)}<br><small>{escape(limits)}</small></li>"
            )
        parts.append("</ul>")
    return "".join(parts)


# ------------------------------------------------------------------- olifantenpaadjes / plan


def habit_log_hints(rows: list[dict[str, str]]) -> list[str]:
    """Dutch hints for a habit log: unclassified habits, hindering habits without replacement,
    and whether partners' habits are represented at all."""
    hints = []
    filled = [r for r in rows if r.get("gewoonte", "").strip()]
    for number, row in enumerate(rows, start=1):
        if not row.get("gewoonte", "").strip():
            continue
        if not row.get("effect"):
            hints.append(f"Gewoonte {number}: geef aan of die de keten helpt of hindert.")
        elif row["effect"] == "hindert" and not row.get("vervanging", "").strip():
            hints.append(
                f"Gewoonte {number} hindert de keten: bedenk een vervangende gewoonte."
            )
    if filled and all(not r.get("organisatie", "").strip() for r in filled):
        hints.append("Noteer bij elke gewoonte van welke organisatie die is.")
    if len(filled) >= 2 and len({r.get("organisatie", "").strip().lower() for r in filled}) == 1:
        hints.append(
            "Al je gewoontes komen van één organisatie. Kijk ook naar je ketenpartners, en "
            "vraag hen welke gewoontes zij bij jouw organisatie zien."
        )
    return hints


def actieplan_missing(workbook: Workbook) -> list[str]:
    """Labels of required action-plan questions that are still empty."""
    return [
        p.label
        for p in ACTIEPLAN.prompts
        if isinstance(p, TextPrompt) and p.required and is_empty(workbook.get("actieplan", p.id))
    ]

