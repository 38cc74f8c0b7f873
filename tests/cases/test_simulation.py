"""The chain simulation behind the generators and the what-if widgets."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketencursus.cases import loonaangifte, werkpleinen
from ketencursus.cases.metrics import case_table
from ketencursus.cases.simulation import (
    ChainDefinition,
    Collaboration,
    SimulationInputError,
    Step,
    WhatIfScenario,
    run_scenario,
    simulate_events,
)

SIMPLE = ChainDefinition(
    steps=(
        Step("ontvangen", "A", 0.0),
        Step("gecontroleerd", "A", 1.0, is_check=True),
        Step("afgesloten", "B", 1.0),
    ),
    source_partner="bron",
)


def _simulate(n=2_000, seed=0, **kwargs):
    params = {"handoff_delay": 3.0, "error_rates": [0.2], "correction_time": 5.0}
    params.update(kwargs)
    return simulate_events(SIMPLE, np.zeros(n), rng=np.random.default_rng(seed),
                           origin=pd.Timestamp("2020-01-01"), **params)


def test_without_errors_every_zaak_is_first_time_right_with_one_handoff():
    cases = case_table(_simulate(error_rates=[0.0]))
    assert cases["eerste_keer_goed"].all()
    assert (cases["overdrachten"] == 1).all()
    assert (cases["gebeurtenissen"] == 3).all()


def test_rejected_zaak_is_reported_corrected_and_starts_again():
    events = _simulate(n=1, error_rates=[1.0], max_rounds=2)
    assert events["activiteit"].tolist() == [
        "ontvangen", "gecontroleerd", "teruggemeld", "gecorrigeerd",
        "ontvangen", "gecontroleerd", "afgesloten",
    ]
    assert events["partner"].tolist() == ["A", "A", "A", "bron", "A", "A", "B"]


def test_restart_at_the_rejecting_step_skips_the_earlier_steps():
    chain = replace(SIMPLE, restart="step")
    events = simulate_events(chain, np.zeros(1), handoff_delay=1.0, error_rates=[1.0],
                             correction_time=1.0, rng=np.random.default_rng(0),
                             origin=pd.Timestamp("2020-01-01"), max_rounds=2)
    assert events["activiteit"].tolist() == [
        "ontvangen", "gecontroleerd", "teruggemeld", "gecorrigeerd", "gecontroleerd",
        "afgesloten",
    ]


def test_every_zaak_ends_closed_even_when_every_check_fails():
    events = _simulate(n=200, error_rates=[1.0], max_rounds=3)
    closed = events[events["activiteit"] == "afgesloten"]
    assert closed["zaak_id"].nunique() == 200 and len(closed) == 200
    assert (case_table(events)["herstelrondes"] == 2).all()


def test_same_seed_same_log_and_other_seed_other_log():
    pd.testing.assert_frame_equal(_simulate(seed=5), _simulate(seed=5))
    assert not _simulate(seed=5)["tijdstip"].equals(_simulate(seed=6)["tijdstip"])


def test_longer_handoff_delay_gives_longer_lead_time():
    short = case_table(_simulate(handoff_delay=1.0))["doorlooptijd_dagen"].mean()
    long = case_table(_simulate(handoff_delay=10.0))["doorlooptijd_dagen"].mean()
    assert long > short + 5


@settings(max_examples=25, deadline=None)
@given(rate=st.floats(0.0, 0.6), seed=st.integers(0, 1000))
def test_first_time_right_tracks_the_error_rate(rate, seed):
    cases = case_table(_simulate(n=3_000, seed=seed, error_rates=[rate]))
    assert cases["eerste_keer_goed"].mean() == pytest.approx(1 - rate, abs=0.04)


def test_wrong_number_of_error_rates_is_explained():
    with pytest.raises(SimulationInputError, match="1 controlestappen maar 2 foutkansen"):
        _simulate(error_rates=[0.1, 0.2])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"error_rates": [1.5]}, "'foutkans' moet tussen 0 en 1"),
        ({"handoff_delay": -2.0}, "'overdrachtsvertraging' moet minstens 0"),
        ({"correction_time": float("nan")}, "'hersteltijd' moet een getal zijn"),
    ],
)
def test_out_of_range_parameters_are_refused_in_dutch(kwargs, message):
    with pytest.raises(SimulationInputError, match=message):
        _simulate(**kwargs)


@pytest.mark.parametrize("case", [loonaangifte, werkpleinen])
def test_closer_collaboration_shortens_lead_time_and_raises_first_time_right(case):
    figures = {
        c: run_scenario(case.CHAIN, replace(case.WHATIF_DEFAULT, collaboration=c)).figures
        for c in Collaboration
    }
    lead = "gemiddelde doorlooptijd (dagen)"
    ftr = "first time right (%)"
    apart, building, integrated = (figures[c] for c in Collaboration)
    assert apart[lead] > building[lead] > integrated[lead]
    assert integrated[ftr] > apart[ftr]


def test_scenario_result_has_the_dutch_key_figures():
    result = run_scenario(loonaangifte.CHAIN, WhatIfScenario(n_cases=500))
    assert set(result.figures) == {
        "gemiddelde doorlooptijd (dagen)", "mediaan doorlooptijd (dagen)",
        "90e percentiel doorlooptijd (dagen)", "first time right (%)",
        "gemiddeld aantal overdrachten", "gemiddeld aantal herstelrondes",
    }
    assert len(result.cases) == 500


def test_simulating_no_zaken_is_refused_with_a_message():
    with pytest.raises(SimulationInputError, match="geen zaken om te simuleren"):
        _simulate(n=0)


def test_absurd_number_of_cases_is_refused():
    with pytest.raises(SimulationInputError, match="tussen 100 en 200.000"):
        run_scenario(loonaangifte.CHAIN, WhatIfScenario(n_cases=5))
