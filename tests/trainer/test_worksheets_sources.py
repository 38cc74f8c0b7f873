"""One source of truth: where a worksheet overlaps an online exercise, it is generated from
the exercise's definition. Each test changes a definition (monkeypatch) and sees the sheet, as
the registry builds it and as HTML, follow; and the action-plan canvas has exactly the parts
of chapter 7's template."""

from __future__ import annotations

import dataclasses
import re

import pytest

from ketencursus.reflection.derive import LikertProfile
from ketencursus.reflection.exercises import (
    _common,
    actieplan,
    cultuurscan,
    interventiekiezer,
    olifantenpaadjes,
)
from ketencursus.reflection.model import LikertPrompt, RowField, TablePrompt, TextPrompt
from ketencursus.trainer.worksheets import Imprint, get, render_html
from ketencursus.trainer.worksheets.sheets import actieplan as canvas
from ketencursus.trainer.worksheets.sheets import kleuren, zaak
from tests.support import ROOT


@pytest.fixture(scope="module")
def imprint() -> Imprint:
    return Imprint.from_repository(ROOT)


def _html(sheet_id: str, imprint: Imprint) -> str:
    return render_html(get(sheet_id), imprint)


def _replace_prompt(exercise, prompt_id, **changes):
    prompts = tuple(dataclasses.replace(p, **changes) if p.id == prompt_id else p
                    for p in exercise.prompts)
    return dataclasses.replace(exercise, prompts=prompts)


# ------------------------------------------------------------------ cultuurscan


def test_cultuurscan_sheet_prints_every_statement_of_the_definition_in_order():
    sheet = get("cultuurscan")
    table = sheet.sections[0].blocks[0]
    statements = [p for p in cultuurscan.EXERCISE.prompts if isinstance(p, LikertPrompt)]
    assert [row.cells[1] for row in table.rows] == [s.text for s in statements]
    assert sheet.purpose == cultuurscan.EXERCISE.intro
    assert all(note in sheet.texts() for note in cultuurscan.EXERCISE.notes)


def test_cultuurscan_sheet_follows_a_changed_statement_and_a_new_one(monkeypatch, imprint):
    changed = _replace_prompt(cultuurscan.EXERCISE, "c05",
                              text="Partners bellen elkaar eerst als er iets misgaat.")
    extra = LikertPrompt("c17", "Een nieuwe stelling over het ketendoel.", "inhoudelijk",
                         "kennis van de keten", reverse=True)
    changed = dataclasses.replace(changed, prompts=(*changed.prompts[:16], extra,
                                                    *changed.prompts[16:]))
    monkeypatch.setattr(cultuurscan, "EXERCISE", changed)
    html = _html("cultuurscan", imprint)
    assert "Partners bellen elkaar eerst als er iets misgaat." in html
    assert "Ik vertrouw erop dat de ketenpartners" not in html
    assert "Een nieuwe stelling over het ketendoel." in html
    # the scoring aid counts the new statement, reverse-keyed, under its dimension
    scoring = get("cultuurscan").sections[1].blocks[1]
    inhoudelijk = next(r for r in scoring.rows if r.cells[0].startswith("Inhoudelijk"))
    assert inhoudelijk.cells[1] == "13, 14 (omgekeerd), 15, 16, 17 (omgekeerd)"


def test_cultuurscan_scoring_marks_exactly_the_reverse_keyed_statements():
    scoring = get("cultuurscan").sections[1].blocks[1]
    marked = {int(n) for row in scoring.rows
              for n in re.findall(r"(\d+) \(omgekeerd\)", row.cells[1])}
    statements = [p for p in cultuurscan.EXERCISE.prompts if isinstance(p, LikertPrompt)]
    assert marked == {n for n, s in enumerate(statements, start=1) if s.reverse}


def test_cultuurscan_bands_and_advice_follow_the_profile_rule(monkeypatch, imprint):
    profile = next(r for r in cultuurscan.EXERCISE.rules if isinstance(r, LikertProfile))
    advice = {k: dict(v) for k, v in profile.advice.items()}
    advice["relationeel"]["hoog"] = "Een nieuw advies voor een hoge relationele score."
    changed_rule = dataclasses.replace(profile, low=20, high=40, advice=advice)
    monkeypatch.setattr(cultuurscan, "EXERCISE", dataclasses.replace(
        cultuurscan.EXERCISE, rules=(changed_rule,)))
    scan = _html("cultuurscan", imprint)
    assert "laag (onder 2,0)" in scan and "hoog (boven 4,0)" in scan
    assert "onder 2,5" not in scan
    assert "Een nieuw advies voor een hoge relationele score." in _html("cultuurscan-advies",
                                                                       imprint)


def test_cultuurscan_scale_labels_come_from_the_model(monkeypatch, imprint):
    from ketencursus.reflection import model

    monkeypatch.setattr(model, "LIKERT_LABELS", {**model.LIKERT_LABELS, 3: "weet ik niet"})
    assert "3 weet ik niet" in _html("cultuurscan", imprint)


# ------------------------------------------------------------------ actieplan


def _h7_template() -> list[str]:
    """The bold part names of chapter 7's list "Het actieplan", in order."""
    text = (ROOT / "book" / "h7_aan_de_slag.md").read_text(encoding="utf-8")
    part = text.split("## Het actieplan", 1)[1].split("\n\n```", 1)[0]
    return re.findall(r"^- \*\*(.+?)\*\*", part, re.M)


def test_actieplan_canvas_has_exactly_the_parts_of_chapter_7_in_order():
    parts = _h7_template()
    assert len(parts) == 9  # the list the canvas must match
    headings = [s.heading for s in get("actieplan").sections]
    numbered = [re.sub(r"^\d+\. ", "", h) for h in headings if re.match(r"^\d+\. ", h)]
    assert numbered == parts


def test_every_part_chapter_7_calls_necessary_is_required_in_the_online_exercise():
    """Chapter 7: "Een bruikbaar plan bevat deze onderdelen". The online exercise (and so the
    canvas) asks for each of them as a required answer; only a third intervention is optional
    ("twee of drie")."""
    parts = dict(canvas.parts())
    assert list(parts) == _h7_template()
    for name, prompts in parts.items():
        assert any(p.required for p in prompts), name
    optional = sorted(p.id for prompts in parts.values() for p in prompts if not p.required)
    assert optional == ["interventie3", "interventie3_kleur"]


def test_intervention_question_asks_for_the_cause_and_the_reason_for_the_colour():
    """Chapter 7: interventions "met de oorzaak waarop ze aangrijpen en de reden van de kleur"."""
    question = next(p.question for p in actieplan.EXERCISE.prompts if p.id == "interventie1")
    assert "oorzaak" in question and "kleur" in question


def test_actieplan_canvas_asks_every_prompt_of_the_definition_once():
    texts = get("actieplan").texts()
    for prompt in actieplan.EXERCISE.prompts:
        if isinstance(prompt, TablePrompt):
            for f in prompt.fields:
                assert texts.count(f.heading) == 1 and texts.count(f.label) == 1
        else:
            assert texts.count(prompt.question) == 1, prompt.id
    placed = [p.id for _name, prompts in canvas.parts() for p in prompts]
    assert sorted([*placed, *canvas.BEFORE_PARTS]) == sorted(
        p.id for p in actieplan.EXERCISE.prompts)


def test_actieplan_canvas_follows_a_changed_question_colour_and_resistance_field(
        monkeypatch, imprint):
    changed = _replace_prompt(actieplan.EXERCISE, "meting",
                              question="Welke twee cijfers bespreek je elk kwartaal?")
    fields = (*actieplan.RESISTANCE.fields,
              RowField("eigenaar", "wie spreekt de partner hierover aan?", "Aanspreekpunt"))
    changed = _replace_prompt(changed, "weerstand", fields=fields)
    colours = dict(_common.COLOURS, wit="wit – een nieuwe omschrijving van wit")
    changed = _replace_prompt(changed, "interventie1_kleur", options=tuple(colours.items()))
    monkeypatch.setattr(actieplan, "EXERCISE", changed)
    html = _html("actieplan", imprint)
    assert "Welke twee cijfers bespreek je elk kwartaal?" in html
    assert "Hoe volg je of het beter gaat" not in html
    assert "Aanspreekpunt" in html and "wie spreekt de partner hierover aan?" in html
    assert "wit – een nieuwe omschrijving van wit" in html


def test_actieplan_canvas_numbers_a_new_part_added_to_the_definition(monkeypatch):
    extra = TextPrompt("budget", "Middelen", "Welke tijd en middelen heb je nodig?")
    prompts = actieplan.EXERCISE.prompts
    monkeypatch.setattr(actieplan, "EXERCISE", dataclasses.replace(
        actieplan.EXERCISE, prompts=(*prompts[:-1], extra, prompts[-1])))
    headings = [s.heading for s in get("actieplan").sections]
    assert "9. Middelen" in headings and "10. Evaluatiemoment" in headings


# ------------------------------------------------------------------ colours, dimensions


def test_colour_card_covers_exactly_the_colours_of_the_course():
    assert set(kleuren.FIT) == set(_common.COLOURS)
    assert set(kleuren.SWATCH) == set(_common.COLOURS)


def test_colour_card_follows_the_colour_definitions_and_the_interventiekiezer(
        monkeypatch, imprint):
    monkeypatch.setattr(_common, "COLOURS", dict(
        _common.COLOURS, groen="groen – een nieuwe omschrijving van leren"))
    interventions = dict(interventiekiezer.INTERVENTIONS,
                         proef=("Een proef op één vestiging samen evalueren", "groen"))
    monkeypatch.setattr(interventiekiezer, "INTERVENTIONS", interventions)
    html = _html("kleurenkaart", imprint)
    assert "een nieuwe omschrijving van leren" in html
    assert "Een proef op één vestiging samen evalueren" in html


def test_colour_card_lists_each_intervention_under_its_own_colour():
    cards = {c.title.lower(): dict(c.items) for c in kleuren.colour_cards().items}
    for label, colour in interventiekiezer.INTERVENTIONS.values():
        for name, items in cards.items():
            listed = label in items.get("In de interventiekiezer", "")
            assert listed == (name == colour), (label, name)


def test_diagnosis_canvas_follows_the_dimension_definition(monkeypatch, imprint):
    dimensions = {k: dict(v) for k, v in _common.DIMENSIONS.items()}
    dimensions["relationeel"]["pijlers"] = ("vertrouwen", "een nieuwe pijler")
    dimensions["relationeel"]["vraag"] = "samen of apart?"
    monkeypatch.setattr(_common, "DIMENSIONS", dimensions)
    html = _html("diagnosecanvas", imprint)
    assert "een nieuwe pijler" in html and "Relationeel: samen of apart?" in html
    assert "organisatieoverschrijdende dialoog" not in html


def test_diagnosis_canvas_has_a_row_per_pillar_grouped_by_dimension():
    table = get("diagnosecanvas").sections[1].blocks[0]
    expected = [(f"{d['naam']}: {d['vraag']}", p) for d in _common.DIMENSIONS.values()
                for p in d["pijlers"]]  # type: ignore[union-attr]
    assert [(r.group, r.cells[0]) for r in table.rows] == expected
    assert table.columns[1].heading == "Waaraan zie je dat?"


def test_habit_log_on_paper_follows_the_olifantenpaadjes_definition(monkeypatch, imprint):
    log = olifantenpaadjes.LOG
    fields = (*log.fields[:2], dataclasses.replace(
        log.fields[2], options=(("", "nog niet"), ("helpt", "helpt"), ("neutraal", "neutraal"),
                                ("hindert", "hindert"))), *log.fields[3:])
    changed = _replace_prompt(olifantenpaadjes.EXERCISE, "logboek", fields=fields,
                              label="Ongeschreven gewoontes")
    monkeypatch.setattr(olifantenpaadjes, "EXERCISE", changed)
    html = _html("schein-drie-lagen", imprint)
    assert "Omcirkel: helpt / neutraal / hindert" in html
    assert "Ongeschreven gewoontes" in html


# ------------------------------------------------------------------ zaak


def test_zaak_definition_is_the_one_the_book_quotes_and_is_not_attributed_to_the_source():
    def flat(text: str) -> str:
        return " ".join(text.split())

    for page in ("woordenlijst.md", "h4_de_zaak.md"):
        book = flat((ROOT / "book" / page).read_text(encoding="utf-8"))
        assert f"„{zaak.ZAAK_DEFINITION}”" in book, page
    assert "NORA" in zaak.ZAAK_ATTRIBUTION and "GEMMA" in zaak.ZAAK_ATTRIBUTION
    assert "Niet uit Ketens de baas" in zaak.ZAAK_ATTRIBUTION
    assert get("zaak-afbakenen").sources == ("gemma_zaak",)


# ------------------------------------------------------------------ the licence of the source


def _sheet_markdown(sheet) -> str:
    """The sheet's printed text as markdown paragraphs; a quoted Text as a blockquote with
    its attribution, as the print shows it."""
    from ketencursus.trainer.worksheets import Text

    parts = [sheet.title, sheet.purpose, sheet.instruction]
    for section in sheet.sections:
        parts += [section.heading, section.intro]
        for block in section.blocks:
            if isinstance(block, Text) and block.quote:
                parts.append("\n".join(f"> „{p}”" for p in block.paragraphs)
                             + f"\n> — {block.attribution}")
            else:
                from ketencursus.trainer.worksheets.model import _block_texts

                parts += _block_texts(block)
    parts += list(sheet.source_notes)
    return "\n\n".join(p for p in parts if p)


def test_no_sheet_copies_the_source_page_outside_a_marked_attributed_quotation():
    from ketencursus import fidelity
    from ketencursus.trainer.worksheets import all_sheets
    from tests.book.test_source_fidelity import DATA, TOOLTIP

    text = (DATA / "nora_weerbarstige_cultuurinvloeden.txt").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    source = fidelity.Source(body, tooltip=TOOLTIP)
    items = [(sheet.id, _sheet_markdown(sheet)) for sheet in all_sheets()]
    findings = [f for f in fidelity.check(source, items)
                if f.problem != "citaat uit de bron is niet letterlijk"]
    assert findings == [], "\n".join(map(str, findings))
    # the one quotation that does share words with the page is the zaak definition (the
    # glossary tooltip), attributed to NORA/GEMMA
    quoted = [item for item in items if zaak.ZAAK_DEFINITION in item[1]]
    assert [sheet_id for sheet_id, _ in quoted] == ["zaak-afbakenen"]


def test_no_sheet_attributes_the_zaak_definition_to_ketens_de_baas():
    from ketencursus.trainer.worksheets import all_sheets
    from tests.book.test_source_fidelity import ATTRIBUTES_ZAAK_TO_SOURCE

    for sheet in all_sheets():
        for paragraph in _sheet_markdown(sheet).split("\n\n"):
            assert not ATTRIBUTES_ZAAK_TO_SOURCE.search(paragraph), (sheet.id, paragraph)
