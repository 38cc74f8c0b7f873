"""The exercise registry and what each exercise derives: cultuurscan profile and advice,
habit-log hints, intervention feedback that tells the confusable interventions apart, and
the action plan with every part chapter 7 names."""

from __future__ import annotations

import pytest

from ketencursus.reflection.derive import Derived, mean_tenths, tenths_text
from ketencursus.reflection.exercises import EXERCISES, MODULES, definitions_json, derive
from ketencursus.reflection.exercises import interventiekiezer as ik
from ketencursus.reflection.exercises._common import COLOURS
from ketencursus.reflection.exercises.cultuurscan import STATEMENTS
from ketencursus.reflection.model import PRIVACY_NOTE, Workbook

T = "2026-03-04T12:30:00Z"


def scan_with(dimension_scores: dict[str, int]) -> Workbook:
    """Answer every statement so that its score (after reverse keying) is the given value."""
    wb = Workbook()
    for s in STATEMENTS:
        value = dimension_scores[s.dimension]
        wb.set(EXERCISES["cultuurscan"], s.id, 6 - value if s.reverse else value, when=T)
    return wb


def sections(exercise_id: str, wb: Workbook) -> dict[str, tuple[str, ...]]:
    return {s.id: s.items for s in derive(exercise_id, wb).sections}


def test_every_registered_module_exports_its_exercise_and_a_derive_function():
    assert [m.EXERCISE.id for m in MODULES] == list(EXERCISES)
    for module in MODULES:
        assert isinstance(module.derive(Workbook()), Derived)
    assert [d["id"] for d in definitions_json()] == list(EXERCISES)


def test_profile_flips_reverse_keyed_statements_and_orders_advice_weakest_first():
    wb = scan_with({"cultureel": 4, "relationeel": 1, "procedureel": 3, "inhoudelijk": 5})
    found = derive("cultuurscan", wb)
    profile = next(s for s in found.sections if s.id == "profiel")
    assert [(b.label, b.tenths) for b in profile.bars] == [
        ("Cultureel", 40), ("Relationeel", 10), ("Procedureel", 30), ("Inhoudelijk", 50)]
    advice = sections("cultuurscan", wb)["advies"]
    assert [a.split(":")[0] for a in advice] == ["Relationeel", "Procedureel", "Cultureel",
                                                 "Inhoudelijk"]
    assert "hoofdstuk 3" in advice[0]


def test_profile_needs_two_answers_per_dimension_and_says_so():
    wb = Workbook()
    wb.set(EXERCISES["cultuurscan"], "c01", 5, when=T)
    only = derive("cultuurscan", wb).sections
    assert [s.id for s in only] == ["profiel"] and only[0].style == "hint"
    assert not only[0].portfolio
    wb.set(EXERCISES["cultuurscan"], "c05", 4, when=T)
    wb.set(EXERCISES["cultuurscan"], "c07", 4, when=T)
    advice = sections("cultuurscan", wb)["advies"]
    assert advice[0].startswith("Relationeel:")
    assert "Nog te weinig stellingen beantwoord (1 van 4)" in advice[1]


@pytest.mark.parametrize(("values", "tenths", "text"), [
    ([2, 3], 25, "2,5"), ([1, 2, 2], 17, "1,7"), ([2, 2, 3, 2], 23, "2,3"),
    ([3, 3, 2, 3], 28, "2,8"), ([5, 5], 50, "5,0"),
])
def test_scores_round_half_up_in_tenths_so_page_and_notebook_agree(values, tenths, text):
    assert mean_tenths(values) == tenths and tenths_text(tenths) == text


def test_cultuurscan_says_it_is_one_persons_view_and_invites_a_partner():
    scan = EXERCISES["cultuurscan"]
    notes = " ".join(scan.notes)
    assert "één persoon" in notes and "ketenpartner" in notes and "naast" in notes
    assert "geen betrouwbare meting" in notes
    assert "vergelijking" in {p.id for p in scan.prompts}


def test_every_exercise_carries_the_privacy_line():
    assert "noem geen namen van personen; beschrijf rollen" in PRIVACY_NOTE.lower()
    assert all(d["privacy"] == PRIVACY_NOTE for d in definitions_json())


def test_habit_log_hints_ask_for_classification_replacement_and_partners_habits():
    log = EXERCISES["olifantenpaadjes"]
    wb = Workbook()
    wb.set(log, "logboek", [
        {"gewoonte": "Pas bellen na de termijn", "organisatie": "Eigen", "effect": "hindert"},
        {"gewoonte": "Vrijdaglijst", "organisatie": "eigen", "effect": ""},
        {"gewoonte": "", "organisatie": "", "effect": ""},
    ], when=T)
    hints = sections("olifantenpaadjes", wb)["aandachtspunten"]
    assert hints == (
        "Gewoonte 1 hindert de keten: bedenk een vervangende gewoonte.",
        "Gewoonte 2: geef aan of die de keten helpt of hindert.",
        "Al je gewoontes komen van één organisatie. Kijk ook naar je ketenpartners, en vraag "
        "hen welke gewoontes zij bij jouw organisatie zien.",
    )


@pytest.mark.parametrize("scenario", list(ik.SCENARIOS))
def test_each_scenario_has_exactly_two_strong_interventions_and_at_least_one_weak(scenario):
    fits = [fit for fit, _ in ik.FIT[scenario].values()]
    assert set(ik.FIT[scenario]) == set(ik.INTERVENTIONS)
    assert fits.count(ik.STRONG) == 2 and fits.count(ik.WEAK) >= 1


def test_interventiekiezer_tells_ketenmanager_from_ketenregisseur():
    fit = {s: (f["ketenmanager"][0], f["ketenregisseur"][0]) for s, f in ik.FIT.items()}
    assert fit["papieren_afspraken"] == (ik.STRONG, ik.PARTIAL)  # ownership needs mandate
    assert fit["dubbele_controle"] == (ik.PARTIAL, ik.STRONG)  # trust needs no command
    assert "mandaat" in ik.FIT["papieren_afspraken"]["ketenregisseur"][1]
    assert "hiërarchische macht" in ik.FIT["dubbele_controle"]["ketenregisseur"][1]


def test_interventiekiezer_tells_the_solo_reflex_from_olifantenpaadjes():
    fit = {s: (f["eerst_partner"][0], f["gewoontes_sessie"][0]) for s, f in ik.FIT.items()}
    assert fit["papieren_afspraken"] == (ik.STRONG, ik.PARTIAL)  # a visible reflex
    assert fit["gedeeld_gebouw"] == (ik.PARTIAL, ik.STRONG)  # habits nobody sees
    assert "zichtbare reflex" in ik.FIT["papieren_afspraken"]["gewoontes_sessie"][1]
    assert "olifantenpaadje" in ik.FIT["gedeeld_gebouw"]["eerst_partner"][1]


def test_every_intervention_has_a_de_caluwe_colour_shown_in_its_feedback():
    assert {colour for _, colour in ik.INTERVENTIONS.values()} == set(COLOURS)
    wb = Workbook()
    wb.set(ik.EXERCISE, "gedeeld_gebouw.keuze", ["onder_een_dak", "teams_ruimte"], when=T)
    items = sections("interventiekiezer", wb)["feedback-gedeeld_gebouw.keuze"]
    assert items[0] == ("Geen van je keuzes past goed bij dit scenario. Kijk nog eens naar de "
                        "oorzaak van de weerstand: gaat het om vertrouwen, een zichtbare reflex "
                        "om het zelf op te lossen, onzichtbare gewoontes, eigenaarschap of het "
                        "verdwijnen van ontmoeting? Ook sterk in deze situatie: Samen zaken "
                        "afbakenen en doorlooptijd en first time right zichtbaar maken; Met de "
                        "partners olifantenpaadjes opsporen: ongeschreven gewoontes die van "
                        "binnenuit niemand meer ziet.")
    assert "past slecht" in items[1] and "Kleur: groen" in items[1]
    assert "Kleur: wit – ruimte voor wat uit mensen zelf voortkomt" in items[2]


def test_choosing_too_many_interventions_asks_for_focus():
    wb = Workbook()
    wb.set(ik.EXERCISE, "dubbele_controle.keuze", list(ik.INTERVENTIONS)[:5], when=T)
    summary = sections("interventiekiezer", wb)["feedback-dubbele_controle.keuze"][0]
    assert summary.startswith("1 van je 5 keuzes passen goed") and "twee of drie" in summary


def test_actieplan_asks_for_every_part_of_chapter_7s_template():
    plan = EXERCISES["actieplan"]
    ids = {p.id for p in plan.prompts}
    assert {"diagnose", "interventie1", "interventie1_kleur", "interventie2_kleur", "weerstand",
            "verankering", "evaluatiedatum", "ketendoel", "meting", "eerste_stappen"} <= ids
    colour = plan.prompt("interventie1_kleur")
    assert dict(colour.options) == COLOURS
    resistance = plan.prompt("weerstand")
    assert [f.id for f in resistance.fields] == ["partner", "belang", "weerstand", "aanpak"]
    required = {p.id for p in plan.prompts if getattr(p, "required", False)}
    assert {"diagnose", "weerstand", "verankering", "evaluatiedatum"} <= required


def test_actieplan_shows_earlier_findings_and_what_is_still_missing():
    wb = scan_with({"cultureel": 4, "relationeel": 1, "procedureel": 3, "inhoudelijk": 5})
    wb.set(EXERCISES["olifantenpaadjes"], "logboek",
           [{"gewoonte": "Pas bellen na de termijn", "effect": "hindert"}], when=T)
    found = sections("actieplan", wb)
    assert found["eerder"] == (
        "Uit je cultuurscan: de zwakste dimensie is relationeel (1,0). Past dat bij je "
        "diagnose?",
        "Uit je logboek: hinderlijke gewoontes zijn Pas bellen na de termijn.",
    )
    assert found["ontbreekt"][0].startswith("Keten, Extern ketendoel, Diagnose")
    started = derive("actieplan", wb).for_portfolio()
    assert started == ()  # nothing of the plan written yet: not in the portfolio
    wb.set(EXERCISES["actieplan"], "keten", "Werk en inkomen", when=T)
    assert [s.id for s in derive("actieplan", wb).for_portfolio()] == ["ontbreekt"]
