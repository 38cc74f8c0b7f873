"""Static previews of the exercises for the online book (no kernel, no widgets): each shows
the exercise filled in with invented example answers, clearly labelled as an example."""

from __future__ import annotations

from html import escape

from .exercises import get_exercise
from .export import exercise_section_html
from .feedback import (
    cultuurscan_answers,
    habit_log_hints,
    intervention_feedback,
    intervention_feedback_html,
    profile_html,
    score_cultuurscan,
)
from .model import Workbook

EXAMPLE_TIME = "2026-01-15T09:00:00Z"

EXAMPLE_ANSWERS: dict[str, dict[str, object]] = {
    "cultuurscan": {
        "c01": 2, "c02": 4, "c03": 2, "c04": 4,
        "c05": 3, "c06": 4, "c07": 3, "c08": 2,
        "c09": 4, "c10": 3, "c11": 2, "c12": 3,
        "c13": 4, "c14": 2, "c15": 4, "c16": 3,
        "keten": "Een verzonnen keten van aanvraag tot uitkering; de invuller is teamleider bij "
                 "één van de drie partners.",
        "toelichting": "Cultureel scoort het laagst: toen een partner vorige maand een fout "
                       "ontdekte, loste die het eerst zelf op en hoorden wij het pas weken later.",
    },
    "olifantenpaadjes": {
        "logboek": [
            {"gewoonte": "Wij bellen de partner pas als een termijn al verlopen is.",
             "organisatie": "Eigen organisatie", "effect": "hindert",
             "vervanging": "Een dag voor het verlopen van een termijn een kort belletje."},
            {"gewoonte": "De partner stuurt elke vrijdag een lijst met open zaken.",
             "organisatie": "Partner B", "effect": "helpt", "vervanging": ""},
            {"gewoonte": "Vragen van de partner gaan eerst via de eigen leidinggevende.",
             "organisatie": "Eigen organisatie", "effect": "hindert", "vervanging": ""},
        ],
        "samen_onderkennen": "Met de teamleider van partner B, in een gewoon werkoverleg: ik "
                             "begin met een gewoonte van onszelf.",
    },
    "interventiekiezer": {
        "gedeeld_gebouw.keuze": ["onder_een_dak", "zaak_rapportage"],
        "gedeeld_gebouw.motivatie": "Samen zitten helpt, en met cijfers over de klantreis zien "
                                    "we waar het heen en weer sturen ontstaat.",
    },
    "actieplan": {
        "keten": "Verzonnen voorbeeld: de keten van werkzoekende tot baan; ik ben "
                 "regiocoördinator bij de gemeente.",
        "doel": "Over een half jaar bespreken gemeente en uitvoeringsorganisatie maandelijks "
                "samen de klantreizen die vastliepen.",
        "ketendoel": "Werkzoekenden vinden sneller werk met één aanspreekpunt.",
        "partners": "Teamleiders van beide balies; een medewerker die de cijfers kan leveren.",
        "stap1": "In maart een gezamenlijke sessie over onze gewoontes aan de balie.",
        "stap2": "Tien klantreizen samen volgen van aanmelding tot werk.",
        "stap3": "Een vaste maandelijkse bespreking van de vastgelopen reizen.",
        "ketendoel_in_beeld": "Elke bespreking begint met één echte klantreis.",
        "voortgang": "Minder doorverwijzingen tussen de balies; kortere doorlooptijd.",
        "evaluatiedatum": "2026-07-01",
    },
}


def example_workbook(exercise_id: str) -> Workbook:
    exercise = get_exercise(exercise_id)
    workbook = Workbook()
    for prompt_id, value in EXAMPLE_ANSWERS[exercise_id].items():
        workbook.set(exercise, prompt_id, value, when=EXAMPLE_TIME)
    return workbook


_STYLE = (
    "<style>.kc-voorbeeld{border:2px dashed #8a8a8a;padding:.5rem 1rem;margin:1rem 0}"
    ".kc-voorbeeld .kc-label{display:inline-block;background:#4a4a4a;color:#fff;"
    "padding:.1rem .5rem;font-weight:600}"
    ".kc-voorbeeld blockquote{border-left:4px solid #154273;margin:.2rem 0 .8rem;"
    "padding:.2rem .7rem}.kc-voorbeeld table{border-collapse:collapse}"
    ".kc-voorbeeld th,.kc-voorbeeld td{border:1px solid #bbb;padding:.2rem .4rem}"
    ".kc-voorbeeld .balk{display:inline-block;height:.8rem;background:#154273}"
    ".kc-voorbeeld .vraag{font-weight:600;margin-bottom:.2rem}"
    ".kc-voorbeeld .datum{font-weight:400;font-size:.85em;color:#555}</style>"
)


def preview_html(exercise_id: str) -> str:
    """HTML of the example for one exercise, for the static book page."""
    exercise = get_exercise(exercise_id)
    workbook = example_workbook(exercise_id)
    parts = [
        _STYLE,
        "<div class='kc-voorbeeld' role='region' aria-label='Voorbeeld met verzonnen antwoorden'>",
        "<p><span class='kc-label'>VOORBEELD</span> Zo ziet de oefening eruit met verzonnen "
        "antwoorden. Dit zijn niet jouw antwoorden; open de oefening met een kernel om zelf "
        "te werken.</p>",
    ]
    if exercise_id == "cultuurscan":
        scores = score_cultuurscan(cultuurscan_answers(workbook))
        parts.append("<h3>Voorbeeldprofiel</h3>" + profile_html(scores, example=True))
    if exercise_id == "interventiekiezer":
        from .exercises import SCENARIOS

        parts.append("<h3>De scenario's</h3>")
        for scenario_id, scenario in SCENARIOS.items():
            parts.append(f"<h4>{escape(scenario['titel'])}</h4><p>{escape(scenario['tekst'])}</p>")
            chosen = EXAMPLE_ANSWERS["interventiekiezer"].get(f"{scenario_id}.keuze")
            if chosen:
                fb = intervention_feedback(scenario_id, list(chosen))  # type: ignore[arg-type]
                parts.append(
                    "<p>Voorbeeldkeuze en de feedback die de oefening daarop geeft:</p>"
                    + intervention_feedback_html(fb)
                )
    parts.append(exercise_section_html(exercise, workbook, level=3, only_answered=True))
    if exercise_id == "olifantenpaadjes":
        hints = habit_log_hints(workbook.get("olifantenpaadjes", "logboek", []))
        parts.append(
            "<p>De aandachtspunten die de oefening bij dit voorbeeld geeft:</p><ul>"
            + "".join(f"<li>{escape(h)}</li>" for h in hints)
            + "</ul>"
        )
    parts.append("</div>")
    return "\n".join(parts)


def voorbeeld(exercise_id: str):
    """The example as a displayable object for a notebook cell."""
    from IPython.display import HTML

    return HTML(preview_html(exercise_id))
