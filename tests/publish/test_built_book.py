"""The built book, page by page in Chromium: only requests to its own host, no serious or
critical accessibility violation (axe-core), Dutch alt text on every image, and every
internal link resolving to an existing file and anchor."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from ketencursus.paths import ProjectLayout
from ketencursus.publish.release import launch_repository
from ketencursus.sphinxext.figures import is_dutch_description
from tests.support.links import check_book
from tests.support.site import Visit, axe_violations, serve, visit

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.slow

@dataclass
class PageAudit:
    page: str
    visit: Visit
    violations: list[dict]
    images: list[dict]


@pytest.fixture(scope="module")
def audits(built_book, browser) -> list[PageAudit]:
    """Every page of the built book loaded once in a fresh browser context (no cache)."""
    if not AXE.is_file():
        pytest.fail("axe-core ontbreekt: voer `npm ci` uit (make test doet dat)")
    results: list[PageAudit] = []
    with serve(built_book.html) as base:
        for path in built_book.pages():
            rel = path.relative_to(built_book.html).as_posix()
            context = browser.new_context()
            page = context.new_page()
            try:
                record = visit(page, base + rel, base)
                images = page.evaluate(
                    """() => Array.from(document.querySelectorAll('img')).map(img => {
                        const label = img.closest('a, button');
                        return {src: img.getAttribute('src') || '',
                                alt: img.getAttribute('alt'),
                                // decorative: hidden, or empty alt inside a labelled link
                                hidden: img.getAttribute('aria-hidden') === 'true'
                                    || img.getAttribute('role') === 'presentation'
                                    || (img.getAttribute('alt') === '' && label !== null
                                        && label.textContent.trim().length > 0)};
                    })"""
                )
                violations = axe_violations(page, AXE)
            finally:
                context.close()
            results.append(PageAudit(rel, record, violations, images))
    return results


@pytest.mark.browser
def test_book_has_pages_for_chapters_cases_and_reflections(audits):
    pages = {a.page for a in audits}
    assert "book/index.html" in pages and "search.html" in pages
    assert any(p.startswith("book/h1") for p in pages)


@pytest.mark.browser
def test_every_page_requests_only_its_own_host(audits):
    foreign = {a.page: a.visit.foreign for a in audits if a.visit.foreign}
    assert foreign == {}, f"verzoeken naar andere hosts: {foreign}"


@pytest.mark.browser
def test_every_page_loads_all_its_assets(audits):
    failed = {a.page: a.visit.failed for a in audits if a.visit.failed}
    assert failed == {}, f"mislukte verzoeken: {failed}"


@pytest.mark.browser
def test_no_serious_or_critical_accessibility_violation_on_any_page(audits):
    found = {
        a.page: [f"{v['impact']} {v['id']}: {v['help']} ({', '.join(v['nodes'])})"
                 for v in a.violations]
        for a in audits if a.violations
    }
    assert found == {}, "axe-core:\n" + "\n".join(f"{p}: {v}" for p, v in found.items())


@pytest.mark.browser
def test_every_image_has_dutch_alt_text(audits):
    bad = []
    for audit in audits:
        for image in audit.images:
            if image["hidden"]:
                continue
            alt = (image["alt"] or "").strip()
            if not is_dutch_description(alt):
                bad.append(f"{audit.page}: {image['src'][:60]} alt={alt!r}")
    assert bad == [], "afbeeldingen zonder Nederlandse alt-tekst:\n" + "\n".join(bad)


def test_every_internal_link_and_anchor_resolves(built_book):
    broken = check_book(built_book.html)
    assert broken == [], "kapotte interne links:\n" + "\n".join(map(str, broken))


def test_launch_buttons_open_the_notebook_in_the_learner_repository(built_book,
                                                                    learner_release):
    """Every notebook page's Binder button opens that notebook in JupyterLab, cloned from the
    repository configured in _config.yml, and the notebook is in the learner release."""
    url, branch = launch_repository(ProjectLayout(ROOT))
    slug = url.removeprefix("https://github.com/")
    notebooks = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )
    assert notebooks
    for notebook in notebooks:
        page = built_book.html / notebook.replace(".ipynb", ".html")
        if not page.is_file():
            continue  # not in the table of contents
        links = re.findall(r'href="(https://mybinder\.org/[^"]+)"', page.read_text())
        expected = f"https://mybinder.org/v2/gh/{slug}/{branch}?urlpath=lab/tree/{notebook}"
        assert expected in links, f"{notebook}: {links}"
        assert (learner_release.out / notebook).is_file()
    for page in built_book.pages():
        assert "exercises/" not in "".join(
            re.findall(r'href="(https?://[^"]+)"', page.read_text())
        ), page


@pytest.mark.parametrize(
    ("alt", "dutch"),
    [
        ("Histogram van de doorlooptijd: de meeste zaken zijn binnen een week klaar, een of "
         "meer herstelrondes geven een staart.", True),
        ("Lijndiagram van first time right per maand", True),
        ("Histogram of the lead time with a long tail", False),
        ("<Figure size 640x480 with 1 Axes>", False),
        ("grafiek.png", False),
        ("", False),
        ("afbeelding", False),
    ],
)
def test_alt_text_rule_tells_dutch_descriptions_from_placeholders(alt, dutch):
    assert is_dutch_description(alt) is dutch
