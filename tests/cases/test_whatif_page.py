"""The what-if block of the static case pages: every result is the package's own model for
that setting, the grid holds the default scenario, and the data stays within budget."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from ketencursus.cases import loonaangifte, werkpleinen
from ketencursus.cases.simulation import Collaboration, run_scenario
from ketencursus.cases.whatif_page import (
    FIGURES,
    WhatIfGrid,
    data_json,
    precompute,
    whatif_page_html,
)

SMALL = WhatIfGrid(handoff=(0.0, 4.0), error_pct=(8, 30), correction=(12.0,),
                   collaboration=(Collaboration.SEPARATE, Collaboration.INTEGRATED))
BUDGET_BYTES = 300_000


@pytest.fixture(scope="module")
def small():
    return precompute(loonaangifte.CHAIN, loonaangifte.WHATIF_DEFAULT, SMALL)


def test_every_precomputed_result_is_the_models_result_for_that_setting(small):
    assert len(small["results"]) == 2 * 2 * 1 * 2
    for row, scenario in zip(small["results"], SMALL.scenarios(loonaangifte.WHATIF_DEFAULT),
                             strict=True):
        figures = run_scenario(loonaangifte.CHAIN, scenario).figures
        assert row[:len(FIGURES)] == [round(figures[key], 1) for key, _ in FIGURES]
        histogram = row[len(FIGURES):]
        assert len(histogram) == small["bins"]["count"] + 1
        assert abs(sum(histogram) - 1000) <= len(histogram)  # per mille, rounded per bin


def test_default_scenario_is_on_the_grid_and_marked(small):
    h, e, c, k = small["default"]
    c_ = small["controls"]
    assert (c_["handoff"][h], c_["error_pct"][e], c_["correction"][c]) == (4.0, 8, 12.0)
    assert c_["collaboration"][k] == Collaboration.SEPARATE.value
    with pytest.raises(ValueError, match="standaardscenario"):
        precompute(loonaangifte.CHAIN, replace(loonaangifte.WHATIF_DEFAULT, handoff_delay=3.0),
                   SMALL)


@pytest.mark.slow
@pytest.mark.parametrize("case", [loonaangifte, werkpleinen], ids=["loon", "werk"])
def test_full_grid_data_stays_within_300_kb_per_case(case):
    data = precompute(case.CHAIN, case.WHATIF_DEFAULT)
    size = len(data_json(data).encode("utf-8"))
    print(f"{case.__name__}: {len(data['results'])} instellingen, {size / 1000:.1f} kB")
    assert size <= BUDGET_BYTES


def test_page_block_has_labelled_controls_live_summary_table_and_data():
    html = whatif_page_html(loonaangifte.CHAIN, loonaangifte.WHATIF_DEFAULT, "loon",
                            grid=SMALL)
    for needle in ("<label for='kc-wa-loon-handoff'>", "type='range'", "aria-valuetext='4 dagen'",
                   "<label for='kc-wa-loon-collaboration'>Samenwerking</label>",
                   "role='status' aria-live='polite'", "<caption>Uitkomsten van de simulatie",
                   "Terug naar standaard", "class='kc-wa-zonder-js'"):
        assert needle in html, needle
    payload = html.split("class='kc-wa-data'>")[1].split("</script>")[0]
    assert json.loads(payload)["controls"]["error_pct"] == [8, 30]
