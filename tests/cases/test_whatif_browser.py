"""The what-if blocks of the built case pages in Chromium over HTTP, without a kernel: moving
each control by keyboard changes the figure, the live summary and the table to exactly what
the package's model gives for that setting, within 100 ms; the page stays within its budget
(1.5 MB transferred) and asks nothing of another host; axe-core finds nothing serious."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from ketencursus._util import nl
from ketencursus.cases import loonaangifte, werkpleinen
from ketencursus.cases.simulation import run_scenario
from ketencursus.cases.whatif_page import FIGURES, WhatIfGrid
from tests.support import ROOT
from tests.support.site import axe_violations, serve, visit

pytestmark = [pytest.mark.slow, pytest.mark.browser]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CASES = {"loonaangifteketen": loonaangifte, "werkpleinen": werkpleinen}
PAGE_BUDGET = 1_500_000
RESPONSE_MS = 100.0


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


def shown(page, case_id: str) -> dict[str, str]:
    return page.evaluate(f"""() => {{
        const root = document.querySelector(".kc-wa[data-kc-case='{case_id}']");
        const cells = Array.from(root.querySelectorAll('[data-kc-jouw]'));
        return {{table: cells.map(c => c.textContent),
                 summary: root.querySelector('.kc-wa-samenvatting').textContent,
                 bars: Array.from(root.querySelectorAll('svg rect')).map(r => r.getAttribute('y')),
                 label: root.querySelector('svg').getAttribute('aria-label'),
                 ms: parseFloat(root.dataset.kcRenderMs)}};
    }}""")


def expected(case, position: dict[str, int]) -> list[str]:
    grid = WhatIfGrid()
    scenario = replace(
        case.WHATIF_DEFAULT,
        handoff_delay=grid.handoff[position["handoff"]],
        error_rate=grid.error_pct[position["error_pct"]] / 100.0,
        correction_time=grid.correction[position["correction"]],
        collaboration=grid.collaboration[position["collaboration"]],
    )
    figures = run_scenario(case.CHAIN, scenario).figures
    return [nl.number(round(figures[key], 1), 1) for key, _ in FIGURES]


@pytest.mark.parametrize("case_id", list(CASES))
def test_each_control_changes_figure_summary_and_table_to_the_models_values(
    browser, site, case_id
):
    case = CASES[case_id]
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    record = visit(page, f"{site}book/casussen/{case_id}.html", site)
    root = f".kc-wa[data-kc-case='{case_id}']"
    page.wait_for_selector(f"{root}[data-kc-ready='true']")
    print(f"\n{case_id}: pagina {record.transferred / 1000:.0f} kB overgedragen")
    assert record.transferred <= PAGE_BUDGET
    assert record.foreign == []
    grid = WhatIfGrid()
    position = dict(zip(("handoff", "error_pct", "correction", "collaboration"),
                        (grid.handoff.index(case.WHATIF_DEFAULT.handoff_delay),
                         grid.error_pct.index(round(case.WHATIF_DEFAULT.error_rate * 100)),
                         grid.correction.index(case.WHATIF_DEFAULT.correction_time), 0),
                        strict=True))
    before = shown(page, case_id)
    assert before["table"] == expected(case, position)
    timings = []
    for name in ("handoff", "error_pct", "correction", "collaboration"):
        control = page.locator(f"{root} [data-kc-control='{name}']")
        control.focus()
        page.keyboard.press("ArrowRight" if name != "collaboration" else "ArrowDown")
        position[name] += 1
        now = shown(page, case_id)
        assert now["table"] == expected(case, position), name
        assert now["summary"] != before["summary"] and now["bars"] != before["bars"], name
        assert now["table"][0] in now["summary"] and now["table"][0] in now["label"]
        timings.append(now["ms"])
        before = now
    print(f"{case_id}: reactietijd per wijziging (ms): {', '.join(f'{t:.1f}' for t in timings)}")
    assert max(timings) < RESPONSE_MS
    page.locator(f"{root} .kc-wa-reset").click()
    assert page.locator(f"{root} [data-kc-jouw='0']").inner_text() == \
        page.locator(f"{root} [data-kc-standaard='0']").inner_text()
    assert errors == []
    if not AXE.is_file():
        pytest.fail("axe-core ontbreekt: voer `npm ci` uit (make test doet dat)")
    assert axe_violations(page, AXE) == []
    context.close()
