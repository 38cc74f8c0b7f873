"""The ipywidgets view without a browser: set widget values, check what is stored, restored,
shown and downloadable."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import ipywidgets as widgets
import pytest

from ketencursus.reflection import toon_oefening
from ketencursus.reflection.exercises import EXERCISES
from ketencursus.reflection.export import import_portfolio, portfolio_html
from ketencursus.reflection.store import AnswerStore
from ketencursus.reflection.view import ReflectionView

ACTIEPLAN = EXERCISES["actieplan"]

INPUT_TYPES = (widgets.Dropdown, widgets.Textarea, widgets.Text, widgets.Checkbox,
               widgets.DatePicker, widgets.Button, widgets.FileUpload)


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def stored(path):
    return json.loads(path.read_text(encoding="utf-8"))["answers"]


def download_links(view: ReflectionView) -> dict[str, str]:
    links = re.findall(r"download='([^']+)' href='data:[^;]+;charset=utf-8;base64,([^']+)'",
                       view.download.value)
    return {name: base64.b64decode(data).decode("utf-8") for name, data in links}


def test_cultuurscan_saves_each_choice_and_restores_after_restart(answers_path):
    view = toon_oefening("cultuurscan")
    view.controls["c01"].value = 4
    view.controls["c02"].value = 2
    view.controls["keten"].value = "Keten van aanvraag tot uitkering"
    answers = stored(answers_path)["cultuurscan"]
    assert answers["c01"]["value"] == 4 and answers["c02"]["value"] == 2
    assert answers["keten"]["value"] == "Keten van aanvraag tot uitkering"
    assert "Opgeslagen om" in view.status.value
    # "restart the kernel": a new view on the same file shows the answers again
    again = ReflectionView("cultuurscan")
    assert again.controls["c01"].value == 4
    assert again.controls["keten"].value == "Keten van aanvraag tot uitkering"
    assert again.controls["c03"].value == 0  # unanswered shows "kies een antwoord"


def test_choosing_no_answer_again_stores_unanswered(answers_path):
    view = toon_oefening("cultuurscan")
    view.controls["c05"].value = 3
    view.controls["c05"].value = 0
    assert stored(answers_path)["cultuurscan"]["c05"]["value"] is None


def test_profile_and_advice_appear_once_two_statements_per_dimension_are_answered(answers_path):
    view = toon_oefening("cultuurscan")
    assert "verschijnt hier zodra" in view.derived.value
    view.controls["c01"].value = 1
    view.controls["c02"].value = 5
    assert "data:image/png;base64" in view.derived.value
    assert "Advies" in view.derived.value and "hoofdstuk 2" in view.derived.value


def test_habit_log_rows_are_saved_as_a_list_and_rows_can_be_added(answers_path):
    view = toon_oefening("olifantenpaadjes")
    assert len(view.tables["logboek"]) == 3
    row = view.tables["logboek"][0]
    row["gewoonte"].value = "We bellen pas na de termijn"
    row["organisatie"].value = "Eigen organisatie"
    row["effect"].value = "hindert"
    assert "bedenk een vervangende gewoonte" in view.section_slots["logboek"].value
    row["vervanging"].value = "Een dag eerder bellen"
    view.add_row_buttons["logboek"].click()
    view.add_row_buttons["logboek"].click()
    assert len(view.tables["logboek"]) == 5
    view.tables["logboek"][4]["gewoonte"].value = "Vrijdaglijst"
    log = stored(answers_path)["olifantenpaadjes"]["logboek"]["value"]
    assert log[0] == {"gewoonte": "We bellen pas na de termijn",
                      "organisatie": "Eigen organisatie", "effect": "hindert",
                      "vervanging": "Een dag eerder bellen"}
    assert len(log) == 5 and log[4]["gewoonte"] == "Vrijdaglijst"
    again = ReflectionView("olifantenpaadjes")
    assert len(again.tables["logboek"]) == 5
    assert again.tables["logboek"][4]["gewoonte"].value == "Vrijdaglijst"


def test_intervention_checkboxes_store_choices_and_show_feedback(answers_path):
    view = toon_oefening("interventiekiezer")
    view.choice_boxes["gedeeld_gebouw.keuze"]["onder_een_dak"].value = True
    view.choice_boxes["gedeeld_gebouw.keuze"]["zaak_rapportage"].value = True
    assert stored(answers_path)["interventiekiezer"]["gedeeld_gebouw.keuze"]["value"] == [
        "onder_een_dak", "zaak_rapportage"]
    feedback = view.section_slots["gedeeld_gebouw.keuze"].value
    assert "past slecht" in feedback and "Kosten en grenzen" in feedback
    assert "Kies een of meer" in view.section_slots["dubbele_controle.keuze"].value
    view.controls["gedeeld_gebouw.motivatie"].value = "Eerst de klantreis zichtbaar maken"
    again = ReflectionView("interventiekiezer")
    assert again.choice_boxes["gedeeld_gebouw.keuze"]["zaak_rapportage"].value is True
    assert again.choice_boxes["gedeeld_gebouw.keuze"]["meer_afspraken"].value is False


def test_actieplan_date_and_context_from_other_exercises(answers_path):
    scan = toon_oefening("cultuurscan")
    scan.controls["c05"].value = 1
    scan.controls["c06"].value = 5  # reverse keyed: relationeel scores 1
    log = toon_oefening("olifantenpaadjes")
    log.tables["logboek"][0]["gewoonte"].value = "Pas bellen na de termijn"
    log.tables["logboek"][0]["effect"].value = "hindert"
    plan = toon_oefening("actieplan")
    assert "zwakste dimensie is relationeel" in plan.derived.value
    assert "Pas bellen na de termijn" in plan.derived.value
    assert "Nog aan te vullen" in plan.derived.value
    plan.controls["evaluatiedatum"].value = dt.date(2026, 7, 1)
    plan.controls["ketendoel"].value = "Maandelijks samen vastgelopen zaken bespreken"
    assert stored(answers_path)["actieplan"]["evaluatiedatum"]["value"] == "2026-07-01"
    again = ReflectionView("actieplan")
    assert again.controls["evaluatiedatum"].value == dt.date(2026, 7, 1)


def test_too_long_text_is_not_saved_but_kept_in_the_field_with_a_message(answers_path):
    view = toon_oefening("actieplan")
    view.controls["ketendoel"].value = "kort"
    view.controls["ketendoel"].value = "x" * 20_001
    assert "maximum" in view.status.value and "role='alert'" in view.status.value
    assert stored(answers_path)["actieplan"]["ketendoel"]["value"] == "kort"
    assert view.controls["ketendoel"].value == "x" * 20_001


def test_download_links_carry_the_current_portfolio_and_copies_are_written(answers_path):
    view = toon_oefening("actieplan")
    view.controls["ketendoel"].value = "Doel met „aanhalingstekens” en <tags>"
    links = download_links(view)
    assert set(links) == {"ketencursus-portfolio.html", "ketencursus-portfolio.md"}
    for text in links.values():
        assert import_portfolio(text).get("actieplan", "ketendoel") == (
            "Doel met „aanhalingstekens” en <tags>")
    assert (answers_path.parent / "portfolio.html").exists()
    assert (answers_path.parent / "portfolio.md").exists()


def test_importing_a_downloaded_portfolio_through_the_upload_restores_everything(
    tmp_path, answers_path
):
    source = AnswerStore(tmp_path / "oude-sessie" / "antwoorden.json")
    source.set_answer(ACTIEPLAN, "ketendoel", "Uit de vorige Binder-sessie")
    html = portfolio_html(source.load())
    view = toon_oefening("actieplan")
    view.controls["overleg"].value = "Al in deze sessie"
    view.upload.value = ({"name": "ketencursus-portfolio.html", "type": "text/html",
                          "size": len(html), "content": memoryview(html.encode("utf-8")),
                          "last_modified": dt.datetime.now(dt.UTC)},)
    assert view.controls["ketendoel"].value == "Uit de vorige Binder-sessie"
    assert view.controls["overleg"].value == "Al in deze sessie"
    assert "Import klaar: 1 antwoord(en) toegevoegd" in view.import_result.value
    assert "voor-import" in view.import_result.value
    assert view.upload.value == ()
    answers = stored(answers_path)["actieplan"]
    assert answers["ketendoel"]["value"] == "Uit de vorige Binder-sessie"
    assert answers["overleg"]["value"] == "Al in deze sessie"
    assert list(answers_path.parent.glob("antwoorden.voor-import-*.json"))


def test_importing_a_wrong_file_explains_and_changes_nothing(answers_path):
    view = toon_oefening("actieplan")
    view.controls["ketendoel"].value = "blijft"
    message = view.import_bytes(b"gewone tekst", "notities.txt")
    assert "notities.txt" in message and "niet geïmporteerd" in message
    assert "role='alert'" in view.import_result.value
    assert stored(answers_path)["actieplan"]["ketendoel"]["value"] == "blijft"


def test_corrupt_answers_file_is_reported_in_the_notebook(answers_path):
    answers_path.parent.mkdir(parents=True)
    answers_path.write_text("{kapot", encoding="utf-8")
    view = toon_oefening("cultuurscan")
    assert "niet weggegooid" in view.notice.value and "beschadigd" in view.notice.value
    assert "role='alert'" in view.notice.value


def test_showing_an_exercise_writes_nothing(answers_path):
    for exercise_id in EXERCISES:
        toon_oefening(exercise_id)
    assert not answers_path.parent.exists()


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_every_input_has_an_accessible_name(exercise_id, answers_path):
    view = toon_oefening(exercise_id)
    inputs = [w for w in walk(view.widget) if isinstance(w, INPUT_TYPES)]
    assert inputs
    for widget in inputs:
        name = widget.description or widget.tooltip
        assert name and len(name) >= 4, widget
        assert not getattr(widget, "description_allow_html", False)
    descriptions = [w.description for w in inputs if isinstance(w, widgets.Textarea)]
    assert len(descriptions) == len(set(descriptions))  # no two text fields share a label


def test_view_renders_as_a_widget_in_a_notebook(answers_path):
    view = toon_oefening("cultuurscan")
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "kc-reflectie" in view.widget._dom_classes
