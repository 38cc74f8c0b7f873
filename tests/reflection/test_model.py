"""The plain-Python model: prompt validation (Dutch messages), the versioned workbook
document and merging."""

from __future__ import annotations

import datetime as dt

import pytest

from ketencursus.reflection.exercises import EXERCISES
from ketencursus.reflection.model import (
    FORMAT,
    SCHEMA_VERSION,
    ChoicePrompt,
    DatePrompt,
    LikertPrompt,
    SchemaError,
    TextPrompt,
    ValidationError,
    Workbook,
    merge,
    migrate,
)

ACTIEPLAN = EXERCISES["actieplan"]
CULTUURSCAN = EXERCISES["cultuurscan"]
OLIFANTENPAADJES = EXERCISES["olifantenpaadjes"]


def test_likert_accepts_one_to_five_and_unanswered():
    prompt = LikertPrompt("x", "Stelling", "cultureel", "p")
    assert [prompt.validate(v) for v in (1, 3, 5, None)] == [1, 3, 5, None]


@pytest.mark.parametrize("bad", [0, 6, 2.5, "4", True])
def test_likert_rejects_out_of_scale_with_dutch_message(bad):
    prompt = LikertPrompt("x", "Stelling over de keten", "cultureel", "p")
    with pytest.raises(ValidationError, match="score van 1 .*tot en met 5"):
        prompt.validate(bad)


def test_reverse_keyed_statement_flips_score():
    prompt = LikertPrompt("x", "S", "cultureel", "p", reverse=True)
    assert (prompt.score(1), prompt.score(5), prompt.score(3)) == (5, 1, 3)


def test_text_too_long_is_refused_and_says_text_is_still_in_the_field():
    prompt = TextPrompt("t", "Doel", "Wat is je doel?")
    with pytest.raises(ValidationError, match="nog in het invulveld"):
        prompt.validate("x" * 20_001)
    assert prompt.validate(None) == ""
    with pytest.raises(ValidationError, match="tekst"):
        prompt.validate(42)


def test_choice_keeps_option_order_and_rejects_unknown_options():
    prompt = ChoicePrompt("k", "Keuze", (("a", "A"), ("b", "B"), ("c", "C")))
    assert prompt.validate(["c", "a"]) == ["a", "c"]
    assert prompt.validate(None) == []
    with pytest.raises(ValidationError, match="Onbekende keuze.*z"):
        prompt.validate(["a", "z"])
    with pytest.raises(ValidationError, match="lijst"):
        prompt.validate("a")


def test_date_accepts_date_objects_and_iso_text_only():
    prompt = DatePrompt("d", "Evaluatiedatum", "Wanneer?")
    assert prompt.validate(dt.date(2026, 7, 1)) == "2026-07-01"
    assert prompt.validate("2026-07-01") == "2026-07-01"
    assert prompt.validate("") == ""
    with pytest.raises(ValidationError, match="JJJJ-MM-DD"):
        prompt.validate("1 juli")


def test_table_prompt_normalises_rows_and_rejects_an_unknown_choice():
    from ketencursus.reflection.exercises.olifantenpaadjes import LOG as prompt

    rows = prompt.validate([{"gewoonte": "bellen", "effect": "hindert", "organisatie": None}])
    assert rows == [{"gewoonte": "bellen", "organisatie": "", "effect": "hindert",
                     "vervanging": ""}]
    with pytest.raises(ValidationError, match="kies een van de mogelijkheden"):
        prompt.validate([{"gewoonte": "x", "effect": "soms"}])
    with pytest.raises(ValidationError, match="Regel 1"):
        prompt.validate(["geen rij"])


def test_every_exercise_has_unique_prompt_ids():
    for exercise in EXERCISES.values():
        ids = [p.id for p in exercise.prompts]
        assert len(ids) == len(set(ids)), exercise.id
    assert set(EXERCISES) == {"cultuurscan", "olifantenpaadjes", "interventiekiezer", "actieplan"}


def test_cultuurscan_covers_every_pillar_of_the_four_dimensions_twice():
    from ketencursus.reflection.exercises._common import DIMENSIONS
    from ketencursus.reflection.exercises.cultuurscan import STATEMENTS as CULTUURSCAN_STATEMENTS

    for key, dim in DIMENSIONS.items():
        for pillar in dim["pijlers"]:
            statements = [s for s in CULTUURSCAN_STATEMENTS if (s.dimension, s.pillar) == (key,
                                                                                          pillar)]
            assert len(statements) == 2, (key, pillar)


def test_workbook_set_validates_and_stamps_time():
    wb = Workbook()
    wb.set(CULTUURSCAN, "c01", 4, when="2026-01-01T10:00:00Z")
    assert wb.get("cultuurscan", "c01") == 4
    assert wb.answer("cultuurscan", "c01").updated == "2026-01-01T10:00:00Z"
    with pytest.raises(ValidationError):
        wb.set(CULTUURSCAN, "c01", 9)
    assert wb.get("cultuurscan", "c01") == 4  # the old answer survives a refused change


def test_workbook_document_round_trip_is_exact():
    wb = Workbook()
    wb.set(CULTUURSCAN, "keten", "Keten „X” </script> -->", when="2026-01-01T10:00:00Z")
    wb.set(OLIFANTENPAADJES, "logboek", [{"gewoonte": "a", "effect": "helpt"}])
    wb.set(ACTIEPLAN, "evaluatiedatum", "2026-07-01")
    doc = wb.to_dict()
    assert doc["format"] == FORMAT and doc["schema_version"] == SCHEMA_VERSION
    assert Workbook.from_dict(doc) == wb


@pytest.mark.parametrize(
    "doc, message",
    [
        ([], "geen JSON-object"),
        ({"format": "iets anders"}, "geen antwoordenbestand"),
        ({"format": FORMAT, "schema_version": 1}, "formaat"),
        ({"format": FORMAT, "schema_version": 1, "answers": {"a": {"b": {"value": 1}}}},
         "formaat"),
    ],
)
def test_invalid_documents_are_refused_in_dutch(doc, message):
    with pytest.raises(SchemaError, match=message):
        Workbook.from_dict(doc)


def test_newer_schema_version_is_refused_not_misread():
    with pytest.raises(SchemaError, match="nieuwer.*Werk het pakket"):
        migrate({"format": FORMAT, "schema_version": SCHEMA_VERSION + 1, "answers": {}})


def test_merge_newest_answer_wins_and_reports_counts():
    current, incoming = Workbook(), Workbook()
    current.set(ACTIEPLAN, "ketendoel", "nieuw", when="2026-03-01T00:00:00Z")
    current.set(ACTIEPLAN, "keten", "zelfde", when="2026-01-01T00:00:00Z")
    incoming.set(ACTIEPLAN, "ketendoel", "oud", when="2026-02-01T00:00:00Z")
    incoming.set(ACTIEPLAN, "keten", "zelfde", when="2026-01-01T00:00:00Z")
    incoming.set(ACTIEPLAN, "eerste_stappen", "bellen", when="2026-02-01T00:00:00Z")
    current.set(ACTIEPLAN, "overleg", "ouder", when="2026-01-01T00:00:00Z")
    incoming.set(ACTIEPLAN, "overleg", "nieuwer", when="2026-02-01T00:00:00Z")
    merged, report = merge(current, incoming)
    assert merged.get("actieplan", "ketendoel") == "nieuw"
    assert merged.get("actieplan", "eerste_stappen") == "bellen"
    assert merged.get("actieplan", "overleg") == "nieuwer"
    assert (report.added, report.replaced, report.kept_newer, report.unchanged) == (1, 1, 1, 1)
    assert "behouden" in report.summary()
    assert current.get("actieplan", "eerste_stappen") is None  # merge does not change its inputs
