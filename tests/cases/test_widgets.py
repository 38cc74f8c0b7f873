"""What-if widgets without a browser: set a control's value, check the simulation reran and
the figures shown changed."""

from __future__ import annotations

import re

import pytest

from ketencursus.cases import loonaangifte, werkpleinen
from ketencursus.cases.simulation import Collaboration
from ketencursus.cases.widgets import WhatIfApp

LEAD = "gemiddelde doorlooptijd (dagen)"
FTR = "first time right (%)"


@pytest.fixture(params=[loonaangifte, werkpleinen], ids=["loonaangifte", "werkpleinen"])
def app(request):
    return WhatIfApp(request.param.CHAIN, request.param.WHATIF_DEFAULT)


def test_app_starts_on_the_default_scenario_with_a_dutch_figures_table(app):
    assert app.result is app.baseline
    assert app.scenario() == app.default
    assert "<caption>Uitkomsten van de simulatie (verzonnen zaken)</caption>" in app.figures.value
    assert "first time right (%)" in app.figures.value
    assert len(app.widget.children) == 7


def test_raising_the_handoff_delay_slider_lengthens_the_lead_time(app):
    before = app.result.figures[LEAD]
    app.handoff.value = 18.0
    assert app.scenario().handoff_delay == 18.0
    assert app.result.figures[LEAD] > before + 5
    shown = f"{app.result.figures[LEAD]:.1f}".replace(".", ",")
    assert shown in app.figures.value


def test_raising_the_error_slider_lowers_first_time_right(app):
    app.error.value = 40
    assert app.scenario().error_rate == pytest.approx(0.40)
    assert app.result.figures[FTR] < app.baseline.figures[FTR] - 20


def test_choosing_integrated_work_in_the_dropdown_improves_both_figures(app):
    app.collaboration.value = Collaboration.INTEGRATED
    assert app.result.figures[LEAD] < app.baseline.figures[LEAD]
    assert app.result.figures[FTR] > app.baseline.figures[FTR]


def test_reset_button_brings_back_the_default(app):
    app.handoff.value = 15.0
    app.collaboration.value = Collaboration.SHARED_BUILDING
    app.reset.click()
    assert app.scenario() == app.default
    assert app.result.figures == pytest.approx(app.baseline.figures)


def test_plot_is_redrawn_with_the_new_figures_in_its_legend(app):
    app.handoff.value = 12.0
    labels = [t.get_text() for t in app.figure.axes[0].get_legend().get_texts()]
    ours = [label for label in labels if label.startswith("jouw scenario")]
    assert len(ours) == 1
    # The abbreviation keeps its full stop ("gem."), only the numbers get a decimal comma.
    match = re.fullmatch(r"jouw scenario: gem\. (\d+),(\d) d, FTR (\d+)%", ours[0])
    assert match, ours[0]
    assert float(f"{match[1]}.{match[2]}") == pytest.approx(app.result.figures[LEAD], abs=0.051)
    assert any(label.startswith("standaardscenario") for label in labels)
