"""Every page of the built book in a fresh Chromium (no stored settings): no console error, no
uncaught exception; and the toegankelijkheidsverklaring states what the axe-core run of this
build found, with the tool versions actually used."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.site import axe_violations, serve, visit

pytestmark = [pytest.mark.slow, pytest.mark.browser]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
STATEMENT = "book/toegankelijkheid.html"


@pytest.fixture(scope="module")
def book_html(request) -> Path:
    prebuilt = os.environ.get("KETENCURSUS_PREBUILT_BOOK")  # a build you made yourself
    if prebuilt:
        return Path(prebuilt)
    return request.getfixturevalue("built_book").html


def pages(html: Path) -> list[Path]:
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.parts)


@dataclass
class PageRun:
    page: str
    errors: list[str]
    serious: list[dict]


def _run_page(browser, base: str, rel: str, attempts: int = 2) -> PageRun:
    """Load one page in a fresh browser profile, collect console errors and axe results.
    On a busy shared machine a load can time out; it is tried once more from scratch."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, e=errors: m.type == "error" and e.append(
            f"{m.text} ({m.location.get('url', '')})"))
        page.on("pageerror", lambda exc, e=errors: e.append(f"uncaught: {exc}"))
        try:
            visit(page, base + rel, base)
            # copied before axe runs: axe-core fetches stylesheets itself to read them and
            # resolves their @import against the page, which logs a 404 that is axe's, not ours
            seen = list(errors)
            return PageRun(rel, seen, axe_violations(page, AXE))
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
        finally:
            context.close()
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def runs(book_html, browser) -> list[PageRun]:
    if not AXE.is_file():
        pytest.fail("axe-core ontbreekt: voer `npm ci` uit (make test doet dat)")
    results = []
    with serve(book_html) as base:
        for path in pages(book_html):
            rel = path.relative_to(book_html).as_posix()
            results.append(_run_page(browser, base, rel))
    return results


def test_no_page_logs_a_console_error_in_a_fresh_browser(runs):
    found = {r.page: r.errors for r in runs if r.errors}
    assert found == {}, "console-fouten:\n" + "\n".join(f"{p}: {e}" for p, e in found.items())
    assert len(runs) > 10 and any(r.page == STATEMENT for r in runs)


def statement_text(book_html: Path) -> str:
    html = (book_html / STATEMENT).read_text(encoding="utf-8")
    main = re.search(r"<main\b.*?</main>", html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_statement_names_the_axe_core_version_this_build_was_tested_with(book_html):
    version = json.loads((ROOT / "node_modules" / "axe-core" / "package.json")
                         .read_text(encoding="utf-8"))["version"]
    text = statement_text(book_html)
    assert f"axe-core {version}" in text, f"zet axe-core {version} in book/toegankelijkheid.md"
    assert "Chromium" in text and "Playwright" in text and "toetsenbord" in text


def test_statement_result_matches_the_axe_run_of_this_build(book_html, runs):
    text = statement_text(book_html)
    found = {r.page: [v["id"] for v in r.serious] for r in runs if r.serious}
    claims_clean = "geen ernstige of kritieke bevindingen" in text
    assert claims_clean and found == {}, (
        "De verklaring zegt dat axe-core niets ernstigs vond; deze bouw vond wel iets. Los het op "
        f"of pas de verklaring aan: {found}"
    )


def test_statement_has_the_parts_of_the_dutch_model(book_html):
    text = statement_text(book_html)
    for part in ("Waarvoor deze verklaring geldt", "Status: B – voldoet gedeeltelijk",
                 "Hoe we het boek testen", "Wat nog niet (goed) werkt", "Contact", "Datum",
                 "WCAG 2.1", "Notebooks met een kernel", "Nationale ombudsman"):
        assert part in text, part
    assert re.search(r"opgesteld op \d{1,2} \w+ 20\d\d", text)


def test_every_page_links_to_the_statement(book_html):
    for path in pages(book_html):
        text = path.read_text(encoding="utf-8")
        if path.relative_to(book_html).as_posix() == STATEMENT or "http-equiv=\"Refresh\"" in text:
            continue  # the statement itself, and the root page that only redirects
        assert "toegankelijkheid.html" in text, path
