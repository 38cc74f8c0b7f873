"""The portfolio: Markdown and HTML with every answer, prompt and date; importing a downloaded
portfolio restores the workbook exactly."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketencursus.reflection.exercises import EXERCISES
from ketencursus.reflection.export import (
    PortfolioImportError,
    format_timestamp,
    import_portfolio,
    portfolio_html,
    portfolio_markdown,
)
from ketencursus.reflection.model import Answer, Workbook

ACTIEPLAN = EXERCISES["actieplan"]
CULTUURSCAN = EXERCISES["cultuurscan"]
INTERVENTIEKIEZER = EXERCISES["interventiekiezer"]
OLIFANTENPAADJES = EXERCISES["olifantenpaadjes"]

T = "2026-03-04T12:30:00Z"


def full_workbook() -> Workbook:
    wb = Workbook()
    for statement in CULTUURSCAN.prompts[:16]:
        wb.set(CULTUURSCAN, statement.id, 2, when=T)
    wb.set(CULTUURSCAN, "keten", "De keten van aanvraag tot uitkering", when=T)
    wb.set(OLIFANTENPAADJES, "logboek", [
        {"gewoonte": "Pas bellen na de termijn", "organisatie": "Eigen", "effect": "hindert",
         "vervanging": "Een dag eerder bellen"},
    ], when=T)
    wb.set(INTERVENTIEKIEZER, "gedeeld_gebouw.keuze", ["onder_een_dak"], when=T)
    wb.set(INTERVENTIEKIEZER, "gedeeld_gebouw.motivatie", "Omdat het kan", when=T)
    wb.set(ACTIEPLAN, "ketendoel", "Samen vastgelopen zaken bespreken", when=T)
    wb.set(ACTIEPLAN, "evaluatiedatum", "2026-07-01", when=T)
    return wb


@pytest.mark.parametrize("render", [portfolio_markdown, portfolio_html])
def test_portfolio_holds_all_answers_with_prompts_and_dates(render):
    text = render(full_workbook(), generated=T)
    for expected in (
        "De keten van aanvraag tot uitkering",
        "Pas bellen na de termijn",
        "Een dag eerder bellen",
        "hindert de keten",
        "Samen vastgelopen zaken bespreken",
        "01-07-2026",
        "Omdat het kan",
        "2 – oneens",
        "Wat is het doel van de keten in één zin",  # the prompt
        format_timestamp(T),  # the date
        "Profiel",
        "Advies",
        "Kosten en grenzen",
        "past slecht",
    ):
        assert expected in text, expected
    for exercise in EXERCISES.values():
        assert exercise.title in text


def test_unstarted_exercises_are_listed_as_not_started():
    wb = Workbook()
    wb.set(ACTIEPLAN, "ketendoel", "x", when=T)
    md = portfolio_markdown(wb)
    assert md.count("Nog niet gestart.") == 3
    assert "Nog aan te vullen" in md


def test_timestamp_is_shown_in_dutch_time():
    assert format_timestamp("2026-07-01T10:00:00Z") == "01-07-2026 12:00"
    assert format_timestamp("2026-01-01T10:00:00Z") == "01-01-2026 11:00"


@pytest.mark.parametrize("render", [portfolio_markdown, portfolio_html])
def test_import_restores_a_full_workbook_exactly(render):
    wb = full_workbook()
    assert import_portfolio(render(wb)) == wb
    assert import_portfolio(render(wb).encode("utf-8")) == wb


def test_import_accepts_the_answers_file_itself():
    wb = full_workbook()
    assert import_portfolio(json.dumps(wb.to_dict())) == wb


tricky_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200
) | st.sampled_from(["</script>", "-->", "<!-- x -->", "```", "\r\n", "„quote”", "&amp;", "\x00"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=tricky_text,
    habit=tricky_text,
    when=st.datetimes().map(lambda d: d.isoformat(timespec="seconds") + "Z"),
    unknown=tricky_text,
)
def test_round_trip_is_lossless_for_any_text(text, habit, when, unknown):
    wb = Workbook()
    wb.set(ACTIEPLAN, "ketendoel", text, when=when)
    wb.set(OLIFANTENPAADJES, "logboek", [{"gewoonte": habit, "effect": "helpt"}], when=when)
    # answers this course version does not know (a newer course, a removed question) survive too
    wb.answers.setdefault("toekomstige_oefening", {})["vraag"] = Answer({"x": [unknown]}, when)
    for render in (portfolio_markdown, portfolio_html):
        assert import_portfolio(render(wb)) == wb


def test_unknown_answers_are_shown_in_the_readable_part():
    wb = Workbook()
    wb.answers["oud"] = {"vraag": Answer("bewaard antwoord", T)}
    assert "Overige antwoorden" in portfolio_html(wb)
    assert "bewaard antwoord" in portfolio_markdown(wb)


@pytest.mark.parametrize(
    "content, message",
    [
        ("# Mijn aantekeningen\n\nGeen portfolio.", "geen antwoorden van ketencursus"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "geen tekst"),
        ('{"format": "iets anders"}', "geen antwoorden van ketencursus"),
    ],
)
def test_import_of_a_wrong_file_is_refused_in_dutch(content, message):
    with pytest.raises(PortfolioImportError, match=message):
        import_portfolio(content)


def test_edited_markdown_data_block_is_refused_not_misread():
    md = portfolio_markdown(full_workbook())
    start = md.index("ketencursus-portfolio-data: begin") + 40
    tampered = md[:start] + "!!!" + md[start + 3:]
    with pytest.raises(PortfolioImportError, match="gewijzigd of beschadigd"):
        import_portfolio(tampered)


def test_html_escapes_learner_text():
    wb = Workbook()
    wb.set(ACTIEPLAN, "ketendoel", "<img src=x onerror=alert(1)>", when=T)
    html = portfolio_html(wb)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert import_portfolio(html).get("actieplan", "ketendoel") == "<img src=x onerror=alert(1)>"
