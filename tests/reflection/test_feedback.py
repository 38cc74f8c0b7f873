"""Scoring and feedback: cultuurscan profile and advice, intervention feedback with trade-offs
and limits, habit-log and action-plan hints."""

from __future__ import annotations

import pytest

from ketencursus.reflection.exercises import (
    ACTIEPLAN,
    CULTUURSCAN_STATEMENTS,
    INTERVENTIONS,
    SCENARIOS,
)
from ketencursus.reflection.feedback import (
    FIT,
    LIMITS,
    STRONG,
    actieplan_missing,
    cultuurscan_advice,
    habit_log_hints,
    intervention_feedback,
    profile_alt_text,
    profile_chart_png,
    profile_html,
    score_cultuurscan,
)
from ketencursus.reflection.model import Workbook


def answers_for(dimension_values: dict[str, int]) -> dict[str, int]:
    """Answer every statement so that its *score* (after reverse keying) is the given value."""
    return {
        s.id: (6 - dimension_values[s.dimension] if s.reverse else dimension_values[s.dimension])
        for s in CULTUURSCAN_STATEMENTS
    }


def test_scores_per_dimension_flip_reverse_keyed_statements():
    scores = score_cultuurscan(answers_for(
        {"cultureel": 1, "relationeel": 3, "procedureel": 4, "inhoudelijk": 5}))
    assert {k: s.score for k, s in scores.items()} == {
        "cultureel": 1.0, "relationeel": 3.0, "procedureel": 4.0, "inhoudelijk": 5.0}
    assert [s.band for s in scores.values()] == ["laag", "midden", "hoog", "hoog"]
    # the raw answers differ from the scores where statements are reverse keyed
    raw = answers_for({"cultureel": 1, "relationeel": 3, "procedureel": 4, "inhoudelijk": 5})
    assert raw["c02"] == 5 and raw["c01"] == 1


def test_dimension_needs_two_answers_before_it_gets_a_score():
    scores = score_cultuurscan({"c01": 5})
    assert scores["cultureel"].score is None and scores["cultureel"].answered == 1
    assert score_cultuurscan({"c01": 5, "c02": 5})["cultureel"].score == 3.0


def test_advice_puts_weakest_dimension_first_and_names_chapters():
    scores = score_cultuurscan(answers_for(
        {"cultureel": 4, "relationeel": 1, "procedureel": 3, "inhoudelijk": 5}))
    advice = cultuurscan_advice(scores)
    assert [name for name, _ in advice] == ["Relationeel", "Procedureel", "Cultureel",
                                            "Inhoudelijk"]
    assert "hoofdstuk" in advice[0][1]
    assert all("{" not in text for _, text in advice)  # no unformatted placeholders
    for band_texts in advice:
        assert len(band_texts[1]) > 60


def test_advice_for_unscored_dimension_says_what_to_do():
    advice = dict(cultuurscan_advice(score_cultuurscan({})))
    assert "minstens 2" in advice["Cultureel"]


def test_profile_chart_is_a_png_with_dutch_alt_text_and_table():
    scores = score_cultuurscan(answers_for(
        {"cultureel": 2, "relationeel": 3, "procedureel": 4, "inhoudelijk": 5}))
    assert profile_chart_png(scores).startswith(b"\x89PNG")
    alt = profile_alt_text(scores, example=True)
    assert alt.startswith("Voorbeeld") and "cultureel 2,0" in alt
    html = profile_html(scores)
    assert "alt='Profiel van jouw keten" in html and "<caption>Scores per dimensie" in html


def test_every_scenario_rates_every_intervention_with_reason_and_limits():
    for scenario in SCENARIOS:
        assert set(FIT[scenario]) == set(INTERVENTIONS)
        assert any(fit == STRONG for fit, _ in FIT[scenario].values())
    assert set(LIMITS) == set(INTERVENTIONS)
    assert "onder één dak" in INTERVENTIONS["onder_een_dak"]


def test_no_choice_asks_for_a_choice():
    assert "Kies een of meer" in intervention_feedback("dubbele_controle", []).summary


def test_co_location_in_a_shared_building_scenario_shows_its_limits():
    fb = intervention_feedback("gedeeld_gebouw", ["onder_een_dak"])
    assert "Geen van je keuzes past goed" in fb.summary
    label, fit, reason, limits = fb.items[0]
    assert fit == "past slecht" and "geen samenwerking" in reason
    assert "katalysator" in limits and "verdwijnt" in limits
    assert "Ook sterk" in fb.summary


def test_many_choices_at_once_are_questioned():
    fb = intervention_feedback("papieren_afspraken", list(INTERVENTIONS))
    assert "tegelijk" in fb.summary and len(fb.items) == len(INTERVENTIONS)


def test_unknown_scenario_is_refused():
    with pytest.raises(KeyError, match="Onbekend scenario"):
        intervention_feedback("bestaat_niet", [])


def test_habit_hints_ask_for_classification_and_replacement_and_partner_view():
    rows = [
        {"gewoonte": "A", "organisatie": "Eigen", "effect": "", "vervanging": ""},
        {"gewoonte": "B", "organisatie": "eigen", "effect": "hindert", "vervanging": ""},
        {"gewoonte": "", "organisatie": "", "effect": "", "vervanging": ""},
    ]
    hints = habit_log_hints(rows)
    assert any("Gewoonte 1: geef aan" in h for h in hints)
    assert any("Gewoonte 2 hindert" in h for h in hints)
    assert any("één organisatie" in h for h in hints)
    assert habit_log_hints([]) == []


def test_actieplan_lists_missing_required_questions():
    wb = Workbook()
    missing = actieplan_missing(wb)
    assert "Extern ketendoel" in missing and "Tweede stap" not in missing
    wb.set(ACTIEPLAN, "ketendoel", "Sneller aan het werk")
    assert "Extern ketendoel" not in actieplan_missing(wb)
