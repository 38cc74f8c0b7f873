"""The reflection exercises in the built book, in Chromium over HTTP, without a kernel: every
field filled in through the keyboard survives a reload; the downloaded portfolio is read by
the Python package with identical answers; a notebook-made portfolio imports into the page;
a damaged file changes nothing; answers can be wiped after a confirmation; only the book's
own host is contacted; axe-core finds nothing serious; the console stays clean."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ketencursus.reflection.exercises import EXERCISES
from ketencursus.reflection.export import import_portfolio, portfolio_html, portfolio_markdown
from ketencursus.reflection.model import Workbook
from ketencursus.reflection.notebooks import SPECS
from tests.support import ROOT
from tests.support.site import axe_violations, is_same_origin, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {s.exercise_id: "book/reflectie/" + s.file.replace(".ipynb", ".html") for s in SPECS}
T = "2026-02-03T10:00:00Z"


@pytest.fixture(scope="module")
def book_html(request) -> Path:
    prebuilt = os.environ.get("KETENCURSUS_PREBUILT_BOOK")  # a build you made yourself
    if prebuilt:
        return Path(prebuilt)
    return request.getfixturevalue("built_book").html


@pytest.fixture(scope="module")
def site(book_html):
    with serve(book_html) as base:
        yield base


class Tab:
    """A page in a fresh browser context that records requests and console errors."""

    def __init__(self, context, base: str) -> None:
        self.context = context
        self.base = base
        self.page = context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(
            f"{m.text} {m.location.get('url', '')}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, exercise_id: str) -> None:
        self.page.goto(self.base + PAGES[exercise_id])
        self.page.wait_for_selector(".kc-rf[data-kc-ready='true']")

    def export(self) -> dict:
        return self.page.evaluate("() => window.KetencursusReflecties.exportAll()")


@pytest.fixture()
def tab(browser, site):
    context = browser.new_context(accept_downloads=True, locale="nl-NL")
    yield Tab(context, site)
    context.close()


def fill_by_keyboard(page, text: str) -> int:
    """Tab through the whole form once and give every field a value with the keyboard.
    Returns the number of fields filled."""
    page.locator(".kc-rf form").evaluate("form => form.querySelector('input, textarea, select')"
                                         ".focus()")
    filled, seen_radio_groups = 0, set()
    for _ in range(600):
        info = page.evaluate("""() => {
            const el = document.activeElement;
            const form = document.querySelector('.kc-rf form');
            return {inForm: form.contains(el), tag: el.tagName, type: el.type || '',
                    name: el.name || el.id, checked: !!el.checked};
        }""")
        if not info["inForm"]:
            break
        if info["type"] == "radio":
            if info["name"] not in seen_radio_groups:
                seen_radio_groups.add(info["name"])
                page.keyboard.press("ArrowRight")  # from "geen antwoord" to the first option
                page.keyboard.press("ArrowRight")  # and one further
                filled += 1
        elif info["type"] == "checkbox":
            page.keyboard.press("Space")
            filled += 1
        elif info["tag"] == "SELECT":
            page.keyboard.press("ArrowDown")
            filled += 1
        elif info["type"] == "date":
            page.keyboard.type("01072026")
            filled += 1
        elif info["tag"] in ("TEXTAREA", "INPUT"):
            page.keyboard.type(f"{text} {filled}: „aanhalingstekens” & <tekens>")
            filled += 1
        page.keyboard.press("Tab")
    return filled


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_every_field_filled_by_keyboard_survives_a_reload(tab, exercise_id):
    tab.open(exercise_id)
    filled = fill_by_keyboard(tab.page, "Antwoord")
    assert filled >= len(EXERCISES[exercise_id].prompts)
    status = tab.page.locator(".kc-rf-status")
    assert "Opgeslagen om" in status.inner_text()
    assert status.get_attribute("aria-live") == "polite"
    assert status.get_attribute("role") == "status"
    before = tab.export()["answers"][exercise_id]
    for prompt in EXERCISES[exercise_id].prompts:
        assert prompt.id in before, prompt.id
    keys = tab.page.evaluate("() => Object.keys(localStorage)")
    assert [k for k in keys if k.startswith("ketencursus:")] == [
        f"ketencursus:reflectie:{exercise_id}"]
    snapshot = tab.page.locator(".kc-rf form").evaluate(
        "f => Array.from(f.elements).map(e => [e.id || e.name, e.value, !!e.checked])")
    tab.page.reload()
    tab.page.wait_for_selector(".kc-rf[data-kc-ready='true']")
    assert tab.export()["answers"][exercise_id] == before
    assert tab.page.locator(".kc-rf form").evaluate(
        "f => Array.from(f.elements).map(e => [e.id || e.name, e.value, !!e.checked])") == snapshot
    assert tab.errors == []
    assert [u for u in tab.requests if not is_same_origin(u, tab.base)] == []


def test_answers_survive_closing_the_browser(browser, site, tmp_path):
    state = tmp_path / "opslag.json"
    context = browser.new_context(locale="nl-NL")
    first = Tab(context, site)
    first.open("actieplan")
    first.page.locator("#kc-actieplan-diagnose").fill("Relationeel zwak: wijzen naar elkaar")
    first.page.wait_for_function(
        "() => document.querySelector('.kc-rf-status').textContent.includes('Opgeslagen')")
    context.storage_state(path=str(state))
    context.close()  # "closing the browser": a new context gets the saved profile state
    again = browser.new_context(locale="nl-NL", storage_state=str(state))
    second = Tab(again, site)
    second.open("actieplan")
    assert second.page.locator("#kc-actieplan-diagnose").input_value() == (
        "Relationeel zwak: wijzen naar elkaar")
    again.close()


def download(tab, label: str, tmp_path: Path) -> str:
    with tab.page.expect_download() as info:
        tab.page.get_by_role("button", name=label).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_text(encoding="utf-8")


def test_downloaded_portfolio_is_read_by_the_package_with_identical_answers(tab, tmp_path):
    for exercise_id in EXERCISES:
        tab.open(exercise_id)
        fill_by_keyboard(tab.page, f"In {exercise_id}")
    exported = tab.export()
    html = download(tab, "Download portfolio (HTML)", tmp_path)
    md = download(tab, "Download portfolio (Markdown)", tmp_path)
    expected = Workbook.from_dict(exported)
    assert import_portfolio(html) == expected and import_portfolio(md) == expected
    # the same files the notebook writes (apart from the "Gemaakt op" moment)
    generated = html.split("Gemaakt op ")[1][:16]
    assert generated in portfolio_html(expected)  # same minute, same format
    python_html = portfolio_html(expected).splitlines()
    for number, (ours, theirs) in enumerate(zip(html.splitlines(), python_html, strict=True)):
        if number != 6:  # the "Gemaakt op" line
            assert ours == theirs, number
    assert md.splitlines()[3:] == portfolio_markdown(expected).splitlines()[3:]


def test_notebook_portfolio_imports_into_the_page(tab, tmp_path):
    wb = Workbook()
    wb.set(EXERCISES["cultuurscan"], "c05", 2, when=T)
    wb.set(EXERCISES["cultuurscan"], "keten", "Keten uit het notebook", when=T)
    wb.set(EXERCISES["olifantenpaadjes"], "logboek", [
        {"gewoonte": "Pas bellen na de termijn", "organisatie": "Eigen", "effect": "hindert",
         "vervanging": ""}], when=T)
    for name, text in (("uit-notebook.html", portfolio_html(wb)),
                       ("uit-notebook.md", portfolio_markdown(wb))):
        tab.open("olifantenpaadjes")
        tab.page.evaluate("() => localStorage.clear()")
        tab.page.reload()
        tab.page.wait_for_selector(".kc-rf[data-kc-ready='true']")
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        tab.page.set_input_files(".kc-rf-bestand", str(path))
        tab.page.locator(".kc-rf-import", has_text="Import klaar").wait_for()
        assert "3 antwoord(en) toegevoegd" in tab.page.locator(".kc-rf-import").inner_text()
        assert Workbook.from_dict(tab.export()) == wb
        assert tab.page.get_by_role("textbox", name="Gewoonte 1: wat doen mensen").input_value() \
            == "Pas bellen na de termijn"
        assert "bedenk een vervangende gewoonte" in tab.page.locator(".kc-rf").inner_text()
    tab.open("cultuurscan")
    assert tab.page.locator("[data-kc-prompt='c05'] input[value='2']").is_checked()


@pytest.mark.parametrize(("content", "message"), [
    (b"gewone tekst", "In dit bestand staan geen antwoorden van ketencursus"),
    (b"\xff\xfe\x00kapot", "geen tekst"),
    (b'<script type="application/json" id="ketencursus-portfolio-data">{kapot</script>',
     "beschadigd"),
    (json.dumps({"format": "iets-anders", "answers": {}}).encode(), "geen antwoordenbestand"),
])
def test_damaged_or_foreign_file_gets_a_dutch_message_and_changes_nothing(
    tab, tmp_path, content, message
):
    tab.open("actieplan")
    tab.page.locator("#kc-actieplan-diagnose").fill("blijft staan")
    before = tab.page.evaluate("() => JSON.stringify(localStorage)")
    path = tmp_path / "vreemd.html"
    path.write_bytes(content)
    tab.page.set_input_files(".kc-rf-bestand", str(path))
    alert = tab.page.get_by_role("alert")
    alert.wait_for()
    assert "is niet geïmporteerd" in alert.inner_text() and message in alert.inner_text()
    assert tab.page.evaluate("() => JSON.stringify(localStorage)") == before


def test_wiping_asks_for_confirmation_first(tab):
    tab.open("cultuurscan")
    tab.page.get_by_role("textbox", name="Mijn keten").fill("Mijn keten")
    tab.page.once("dialog", lambda d: d.dismiss())
    tab.page.get_by_role("button", name="Wis mijn antwoorden").click()
    assert tab.export()["answers"]["cultuurscan"]["keten"]["value"] == "Mijn keten"
    tab.page.once("dialog", lambda d: d.accept())
    tab.page.get_by_role("button", name="Wis mijn antwoorden").click()
    assert "cultuurscan" not in tab.export()["answers"]
    assert tab.page.get_by_role("textbox", name="Mijn keten").input_value() == ""
    assert "gewist" in tab.page.locator(".kc-rf-status").inner_text()


def test_page_says_where_answers_live_and_which_version_is_which(tab):
    tab.open("interventiekiezer")
    text = tab.page.locator("main").inner_text()
    assert "alleen op dit apparaat en in deze browser" in text
    assert "Werken in een notebook" in text and "Binder" in text
    assert "Noem geen namen van personen; beschrijf rollen" in text
    assert not tab.page.locator(".kc-rf-zonder-js").is_visible()


def test_script_interface_for_other_tools(tab):
    tab.open("cultuurscan")
    tab.page.evaluate("""() => { window.seen = [];
        window.KetencursusReflecties.onChange(id => window.seen.push(id)); }""")
    tab.page.get_by_role("textbox", name="Mijn keten").fill("Via het toetsenbord")
    assert tab.page.evaluate("() => window.seen") == ["cultuurscan"]
    data = tab.export()
    tab.page.evaluate("() => localStorage.clear()")
    message = tab.page.evaluate("d => window.KetencursusReflecties.importAll(d)", data)
    assert message.startswith("Import klaar: 1 antwoord(en) toegevoegd")
    assert tab.page.get_by_role("textbox", name="Mijn keten").input_value() == "Via het toetsenbord"
    error = tab.page.evaluate("""() => { try { window.KetencursusReflecties.importAll({x: 1});
        return ''; } catch (e) { return e.message; } }""")
    assert "geen antwoordenbestand van ketencursus" in error


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_filled_in_page_has_no_serious_accessibility_violation(tab, exercise_id):
    if not AXE.is_file():
        pytest.fail("axe-core ontbreekt: voer `npm ci` uit (make test doet dat)")
    tab.open(exercise_id)
    fill_by_keyboard(tab.page, "Voor axe")
    assert axe_violations(tab.page, AXE) == []
