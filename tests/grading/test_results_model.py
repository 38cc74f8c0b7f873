"""The results model: enums whose values are the journal's strings, one serialisation that
round-trips, one text form for the log."""

from __future__ import annotations

import json

from ketencursus.grading.results import (
    CellStatus,
    ItemResult,
    LearnerCell,
    NotebookResult,
    Reason,
    Role,
    SubmissionResult,
)


def sample() -> SubmissionResult:
    nb = NotebookResult("opdracht.ipynb", items=[
        ItemResult("test_a", "auto", 2.0, 2.0),
        ItemResult("test_b", "auto", 1.0, 0.0, Reason.GARBLED, "Typ alleen de letter"),
        ItemResult("reflectie", "manual", 2.0, None),
    ], cells=[LearnerCell("cel_a", "x = 1", "", CellStatus.OK)])
    return SubmissionResult("opdracht", "anna", [nb], duration=1.5,
                            timings={"sandbox_start": 0.4})


def test_a_result_round_trips_through_the_journals_json():
    result = sample()
    again = SubmissionResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result
    assert again.notebooks[0].items[1].reason is Reason.GARBLED
    assert (again.score, again.max_score) == (2.0, 5.0)


def test_enum_values_are_the_strings_old_journals_hold():
    assert Reason.NOT_PLAIN == "not-plain" and Role.MANUAL_CODE == "manual-code"
    assert CellStatus.NOT_RUN == "not-run"
    old = {"assignment": "a", "student": "s", "notebooks": [{"name": "n.ipynb", "items": [
        {"grade_id": "t", "kind": "auto", "max_points": 1.0, "score": 0.0,
         "reason": "missing"}]}]}
    assert SubmissionResult.from_dict(old).notebooks[0].items[0].reason is Reason.MISSING


def test_the_report_string_has_one_line_per_item_and_the_total():
    text = sample().to_report_str()
    assert "opdracht.ipynb: test_b: 0 / 1 garbled" in text
    assert "opdracht.ipynb: reflectie: handmatig / 2" in text
    assert text.endswith("totaal 2 / 5 in 1.50 s")
    failed = SubmissionResult("opdracht", "bram", internal_error="SandboxError: kapot")
    assert "INTERNE FOUT, niet als cijfer vastgelegd" in failed.to_report_str()
