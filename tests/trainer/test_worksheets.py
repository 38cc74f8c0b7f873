"""The printed worksheets as a trainer gets them: every registered sheet rendered once per
session to PDF (WeasyPrint) and checked with poppler's pdfinfo and pdftotext: A4 portrait,
one or two pages, tagged (PDF/UA-1, language nl, title), and carrying its Dutch title and the
texts that make it that sheet. Also the print CSS (black text, hyphenation) and the command
``ketencursus werkbladen`` when it succeeds or reports a sheet that is too long."""

from __future__ import annotations

import logging
import re
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from ketencursus import cli
from ketencursus.errors import EXIT_ATTENTION, EXIT_OK
from ketencursus.reflection.exercises import _common, actieplan, cultuurscan, olifantenpaadjes
from ketencursus.trainer.worksheets import (
    Imprint,
    Section,
    Sheet,
    Text,
    all_sheets,
    registry,
)
from ketencursus.trainer.worksheets.output import OVERVIEW, write_all
from ketencursus.trainer.worksheets.render import stylesheet
from ketencursus.trainer.worksheets.sheets import ketenkaart, schein, zaak
from tests.support import ROOT

A4_POINTS = (595.276, 841.89)


@dataclass
class Printed:
    sheet: Sheet
    pdf: Path
    html: Path
    info: str
    pages: list[tuple[float, float]]
    text: str

    def squashed(self) -> str:
        return squash(self.text)


def squash(text: str) -> str:
    """Text without whitespace and hyphens, lower case: a phrase matches whatever line
    breaks and hyphenation (``hyphens: auto``) the PDF put in it."""
    return re.sub(r"[\s\-\u2010\u00ad]+", "", text).lower()


@pytest.fixture(scope="session")
def printed(tmp_path_factory) -> dict[str, Printed]:
    """All sheets, rendered once; WeasyPrint's warnings (a CSS rule it ignored, a missing
    font) are collected in ``printed["_warnings"]``."""
    out = tmp_path_factory.mktemp("werkbladen")
    records: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        written = write_all(all_sheets(), Imprint.from_repository(ROOT), out)
    finally:
        logger.removeHandler(handler)
    result: dict[str, Printed] = {}
    for w in written:
        info = _run("pdfinfo", str(w.pdf))
        count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        per_page = _run("pdfinfo", "-f", "1", "-l", str(count), str(w.pdf))
        sizes = [(float(a), float(b)) for a, b in
                 re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", per_page, re.M)]
        result[w.sheet.id] = Printed(w.sheet, w.pdf, w.html, info, sizes,
                                     _run("pdftotext", str(w.pdf), "-"))
    result["_warnings"] = records  # type: ignore[assignment]
    result["_dir"] = out  # type: ignore[assignment]
    return result


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _sheets(printed: dict) -> list[Printed]:
    return [p for key, p in printed.items() if not key.startswith("_")]


def test_the_registry_holds_the_course_sheets_in_order():
    from ketencursus.trainer import roleplay  # the role plays' sheets follow their definitions

    roleplays = roleplay.load_roleplays(ROOT / "exercises" / "rollenspel", ROOT / "book")
    assert [s.id for s in all_sheets()] == [
        "diagnosecanvas", "ketenkaart", "zaak-afbakenen", "schein-drie-lagen", "kleurenkaart",
        "cultuurscan", "cultuurscan-advies", "actieplan", "feedback-actieplan",
    ] + [sheet_id for r in roleplays for sheet_id in roleplay.sheet_ids(r)]


def test_weasyprint_renders_every_sheet_without_a_warning(printed):
    assert [r.getMessage() for r in printed["_warnings"]] == []


def test_every_sheet_is_one_or_two_a4_portrait_pages(printed):
    for p in _sheets(printed):
        assert 1 <= len(p.pages) <= min(p.sheet.max_pages, 2), (p.sheet.id, len(p.pages))
        for width, height in p.pages:
            assert (round(width, 1), round(height, 1)) == (595.3, 841.9), p.sheet.id


def _catalog_languages(pdf: Path) -> set[bytes]:
    """``/Lang`` values in the PDF, also inside compressed object streams."""
    data = pdf.read_bytes()
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return {lang for chunk in chunks for lang in re.findall(rb"/Lang\s*\(([^)]*)\)", chunk)}


def test_every_sheet_is_a_tagged_pdf_ua_with_its_title_and_dutch_as_language(printed):
    for p in _sheets(printed):
        assert re.search(r"^Tagged:\s+yes", p.info, re.M), p.sheet.id
        assert re.search(rf"^Title:\s+{re.escape(p.sheet.title)}$", p.info, re.M), p.sheet.id
        meta = _run("pdfinfo", "-meta", str(p.pdf))
        assert 'pdfuaid:part="1"' in meta, p.sheet.id
        assert _catalog_languages(p.pdf) == {b"nl"}, p.sheet.id
        structure = _run("pdfinfo", "-struct", str(p.pdf))
        assert "H1" in structure and "H2" in structure, p.sheet.id


def test_every_sheet_prints_its_title_purpose_course_and_licence(printed):
    imprint = Imprint.from_repository(ROOT)
    for p in _sheets(printed):
        for phrase in (p.sheet.title, p.sheet.purpose, p.sheet.instruction, imprint.course,
                       imprint.licence):
            assert squash(phrase) in p.squashed(), (p.sheet.id, phrase)
        if p.sheet.sources or p.sheet.source_notes:
            assert "Bronnen" in p.text, p.sheet.id


def test_every_course_sheet_names_its_sources():
    from ketencursus.trainer.worksheets import registry as reg

    course = [name for name in reg.SHEET_MODULES if ".worksheets.sheets." in name]
    assert len(course) == 7
    import importlib

    for name in course:
        for sheet in importlib.import_module(name).sheets():
            assert sheet.sources, sheet.id


def _key_texts() -> dict[str, list[str]]:
    pillars = [str(pillar) for d in _common.DIMENSIONS.values()
               for pillar in d["pijlers"]]  # type: ignore[union-attr]
    return {
        "diagnosecanvas": [*pillars, "Waaraan zie je dat?", "weet niet",
                           *(f"{d['naam']}: {d['vraag']}" for d in _common.DIMENSIONS.values())],
        "ketenkaart": ["Ketenpartners", "Stromen tussen de partners", "Teken de keten",
                       "ketenregisseur of ketenmanager", *ketenkaart.BUILDING_BLOCKS],
        "zaak-afbakenen": [zaak.ZAAK_DEFINITION, "begrippenkader van NORA", "GEMMA",
                           "Aanleiding", "Eindresultaat", "Wat hoort er nog bij?",
                           "Hoe groot is één zaak?", *zaak.BOUNDARY_CASES],
        "schein-drie-lagen": [*(level.name for level in schein.LEVELS), "Welke aanname",
                              olifantenpaadjes.EXERCISE.title,
                              *(f.heading for f in olifantenpaadjes.LOG.fields)],
        "kleurenkaart": [*(c.capitalize() for c in _common.COLOURS), "Past als",
                         "Past niet als", "Van oorzaak naar kleur"],
        "cultuurscan": [*(s.text for s in cultuurscan.STATEMENTS), "helemaal oneens",
                        "helemaal eens", "omgekeerd", "Je score per dimensie"],
        "cultuurscan-advies": [text for bands in cultuurscan.ADVICE.values()
                               for text in bands.values()],
        "actieplan": [p.question for p in actieplan.EXERCISE.prompts
                      if hasattr(p, "question") and p.kind != "select"]
                     + [f.heading for f in actieplan.RESISTANCE.fields],
        **_roleplay_key_texts(),
        **_peerreview_key_texts(),
    }


def _peerreview_key_texts() -> dict[str, list[str]]:
    """The feedback form (``ketencursus.trainer.peerreview``), from its definition."""
    from ketencursus.trainer import peerreview

    form = peerreview.load_form()
    return {peerreview.SHEET_ID: [*(s.part for s in form.sections),
                                  *(q for s in form.sections for q in s.questions),
                                  *(f.label for f in form.feedback)]}


def _roleplay_key_texts() -> dict[str, list[str]]:
    """The role plays' sheets (registered by ``ketencursus.trainer.roleplay``), from their
    definitions; tests/trainer/test_roleplay_cards.py checks them in detail."""
    from ketencursus.trainer import roleplay

    out: dict[str, list[str]] = {}
    for r in roleplay.load_roleplays(ROOT / "exercises" / "rollenspel", ROOT / "book"):
        out[f"rollenspel-{r.id}-situatie"] = [r.decision, *r.agenda]
        for role in r.roles:
            out[f"rollenspel-{r.id}-{role.id}"] = [role.public, *(h.text for h in role.hidden)]
        out[f"rollenspel-{r.id}-waarnemers"] = ["Waar je op let", "Wie, wanneer", "Na afloop"]
    return out


def test_every_sheet_carries_the_texts_that_make_it_that_sheet(printed):
    keys = _key_texts()
    assert set(keys) == {p.sheet.id for p in _sheets(printed)}
    for sheet_id, phrases in keys.items():
        text = printed[sheet_id].squashed()
        missing = [phrase for phrase in phrases if squash(phrase) not in text]
        assert missing == [], sheet_id


def test_the_overview_links_every_pdf_and_html_file(printed):
    overview = (printed["_dir"] / OVERVIEW).read_text(encoding="utf-8")
    assert '<html lang="nl">' in overview
    for p in _sheets(printed):
        assert f'href="{p.pdf.name}"' in overview and f'href="{p.html.name}"' in overview
        assert p.pdf.exists() and p.html.exists()


def test_the_html_of_a_sheet_is_dutch_self_contained_and_hyphenated(printed):
    for p in _sheets(printed):
        html = p.html.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>\n<html lang=\"nl\">"), p.sheet.id
        assert "<link" not in html and "hyphens: auto" in html, p.sheet.id


def test_the_print_css_keeps_text_black_so_a_photocopy_stays_readable():
    css = stylesheet()
    colours = re.findall(r"(?<![-\w])color:\s*([^;]+);", css)
    assert colours and set(colours) == {"#000"}
    assert "size: A4 portrait" in css
    # shading of header cells stays light enough for black text to read after copying
    for grey in re.findall(r"background:\s*#([0-9a-f]{6})", css):
        assert int(grey[:2], 16) >= 0xE0, grey


def test_the_colour_card_names_every_colour_beside_its_sample(printed):
    from ketencursus.trainer.worksheets.sheets import kleuren

    cards = kleuren.colour_cards().items
    assert [c.title for c in cards] == [c.capitalize() for c in _common.COLOURS]
    assert all(c.swatch for c in cards)
    html = printed["kleurenkaart"].html.read_text(encoding="utf-8")
    for card in cards:
        assert re.search(r'class="staal"[^>]*aria-hidden="true"></span>' + card.title, html)


# --------------------------------------------------------------------------- the command


def test_the_command_writes_the_chosen_sheet_and_the_overview(tmp_path, capsys):
    out = tmp_path / "bladen"
    code = cli.main(["werkbladen", "-o", str(out), "--alleen", "zaak-afbakenen"])
    assert code == EXIT_OK, capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == [
        OVERVIEW, "zaak-afbakenen.html", "zaak-afbakenen.pdf"]
    said = capsys.readouterr().out
    assert "1 werkblad geschreven" in said and "overzicht.html" in said


def test_the_command_lists_the_sheets(capsys):
    assert cli.main(["werkbladen", "--lijst"]) == EXIT_OK
    listed = capsys.readouterr().out
    for sheet in all_sheets():
        assert sheet.id in listed and sheet.title in listed


def test_a_sheet_longer_than_its_pages_is_written_and_reported_with_exit_1(
        tmp_path, capsys, monkeypatch):
    long = Sheet(
        id="te-lang", title="Een te lang werkblad", purpose="Testen.", instruction="Lezen.",
        max_pages=1,
        sections=(Section("Veel tekst", (Text(tuple(
            f"Alinea {n}: " + "een zin die ruimte inneemt op het papier. " * 12
            for n in range(40))),)),),
    )
    monkeypatch.setattr(registry, "all_sheets", lambda: [long])
    code = cli.main(["werkbladen", "-o", str(tmp_path), "--alleen", "te-lang"])
    assert code == EXIT_ATTENTION
    said = capsys.readouterr().out
    assert "Let op: werkblad te-lang heeft" in said and "mag er 1 hebben" in said
    assert (tmp_path / "te-lang.pdf").exists()


def test_long_dutch_words_are_hyphenated_in_print(printed):
    """``hyphens: auto`` with ``lang="nl"`` works: WeasyPrint breaks words with a hyphen at the
    end of a line (pyphen's Dutch patterns), e.g. in the narrow pillar column."""
    broken = [p.sheet.id for p in _sheets(printed) if re.search(r"\w\u2010\s*$", p.text, re.M)]
    assert len(broken) >= 3, broken
