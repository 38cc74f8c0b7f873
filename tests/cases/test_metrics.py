"""Metrics on event logs: worked examples with known answers, and properties that must
hold for any log (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketencursus.cases.eventlog import EventLogError
from ketencursus.cases.metrics import (
    before_after_by_unit,
    case_table,
    compare_groups,
    first_time_right,
    lead_time_distribution,
    lead_times,
    time_by_partner,
    time_lost_by_transition,
)


def test_straight_through_and_reworked_zaak_get_their_lead_times(two_cases_log):
    assert lead_times(two_cases_log).to_dict() == {1: 4.0, 2: 20.0}


def test_partner_changes_count_as_handoffs_and_terugmeldingen_as_rework(two_cases_log):
    cases = case_table(two_cases_log)
    assert cases["overdrachten"].to_dict() == {1: 1, 2: 4}
    assert cases["herstelrondes"].to_dict() == {1: 0, 2: 1}
    assert cases["eerste_keer_goed"].to_dict() == {1: True, 2: False}
    assert cases["gebeurtenissen"].to_dict() == {1: 4, 2: 7}
    assert first_time_right(cases) == 0.5


def test_rework_activity_can_be_named_for_another_chain(two_cases_log):
    log = two_cases_log.replace({"activiteit": {"teruggemeld": "gegevens opgevraagd"}})
    assert case_table(log)["herstelrondes"].sum() == 0
    assert case_table(log, rework_activity="gegevens opgevraagd")["herstelrondes"].sum() == 1


def test_time_lost_ranks_the_correction_wait_first(two_cases_log):
    table = time_lost_by_transition(two_cases_log)
    first = table.iloc[0]
    assert table.index[0] == ("teruggemeld (UWV)", "gecorrigeerd (werkgever)")
    assert first["totaal_dagen"] == 10.0
    assert first["aandeel_pct"] == pytest.approx(100 * 10 / 24)
    handoff = table.loc[("ontvangen (Belastingdienst)", "gecontroleerd (UWV)")]
    assert handoff["aantal"] == 2 and handoff["gemiddeld_dagen"] == 3.0
    assert table["totaal_dagen"].sum() == pytest.approx(24.0)


def test_time_is_attributed_to_the_partner_the_zaak_waits_for(two_cases_log):
    table = time_by_partner(two_cases_log)
    assert table["totaal_dagen"].to_dict() == {"UWV": 12.0, "werkgever": 10.0,
                                                "Belastingdienst": 2.0}
    assert table["aandeel_pct"].sum() == pytest.approx(100.0)


def test_distribution_summary_has_dutch_labels_and_right_values():
    summary = lead_time_distribution(pd.Series([1.0, 2.0, 3.0, 4.0, 10.0]))
    assert summary["aantal"] == 5
    assert summary["gemiddelde"] == 4.0
    assert summary["mediaan"] == 3.0
    assert summary["minimum"] == 1.0 and summary["maximum"] == 10.0
    assert summary["p80"] == pytest.approx(5.2)
    assert list(summary.index) == ["aantal", "gemiddelde", "standaardafwijking", "minimum",
                                   "mediaan", "p80", "p90", "p95", "maximum"]


def test_empty_selection_gets_a_message_about_the_filter():
    with pytest.raises(ValueError, match="selectie is leeg"):
        lead_time_distribution(pd.Series([], dtype=float))


def test_percentile_outside_range_is_refused():
    with pytest.raises(ValueError, match="tussen 0 en 100"):
        lead_time_distribution(pd.Series([1.0, 2.0]), percentiles=(150,))


def test_compare_groups_gives_figures_per_period(two_cases_log):
    cases = case_table(two_cases_log).assign(periode=["voor", "na"])
    table = compare_groups(cases, "periode")
    assert table.loc["voor", "gem_doorlooptijd"] == 4.0
    assert table.loc["na", "first_time_right_pct"] == 0.0
    assert table.loc["na", "gem_overdrachten"] == 4.0
    assert table["zaken"].sum() == 2


def test_compare_groups_on_unknown_column_lists_the_available_ones(two_cases_log):
    with pytest.raises(EventLogError, match="ontbreekt de kolom.*'regio'.*Beschikbaar"):
        compare_groups(case_table(two_cases_log), "regio")


def test_before_after_per_site_computes_the_change_and_drops_incomplete_sites():
    cases = pd.DataFrame(
        {
            "vestiging": ["A", "A", "A", "B", "C", "C"],
            "fase": ["voor", "na", "na", "voor", "voor", "na"],
            "doorlooptijd_dagen": [10.0, 6.0, 8.0, 9.0, 5.0, 7.0],
        }
    )
    table = before_after_by_unit(cases, "vestiging", "fase", "voor", "na")
    assert table.to_dict("index") == {
        "A": {"voor": 10.0, "na": 7.0, "verschil": -3.0},
        "C": {"voor": 5.0, "na": 7.0, "verschil": 2.0},
    }


def test_before_after_with_misspelt_phase_shows_the_phases_present():
    cases = pd.DataFrame({"v": ["A"], "fase": ["voor"], "doorlooptijd_dagen": [1.0]})
    with pytest.raises(ValueError, match="'na' komt niet voor.*wel: voor"):
        before_after_by_unit(cases, "v", "fase", "voor", "na")


PARTNERS = ["werkgever", "Belastingdienst", "UWV"]
ACTIVITIES = ["ontvangen", "gecontroleerd", "teruggemeld", "gecorrigeerd", "afgesloten"]


@st.composite
def event_logs(draw):
    """Random logs: 1–15 zaken, each 1–8 events at strictly increasing times (minutes);
    equal times within a zaak would make the order, and so the hand-offs, ambiguous."""
    rows = []
    for case in range(draw(st.integers(1, 15))):
        minute = draw(st.integers(0, 10_000))
        for _ in range(draw(st.integers(1, 8))):
            minute += draw(st.integers(1, 5_000))
            rows.append((case, minute, draw(st.sampled_from(ACTIVITIES)),
                         draw(st.sampled_from(PARTNERS))))
    return pd.DataFrame(
        {
            "zaak_id": [r[0] for r in rows],
            "tijdstip": pd.Timestamp("2006-01-01") + pd.to_timedelta([r[1] for r in rows], "min"),
            "activiteit": [r[2] for r in rows],
            "partner": [r[3] for r in rows],
        }
    )


@settings(max_examples=40, deadline=None)
@given(log=event_logs(), seed=st.integers(0, 2**16))
def test_any_log_gives_consistent_case_figures_in_any_row_order(log, seed):
    cases = case_table(log)
    assert (cases["doorlooptijd_dagen"] >= 0).all()
    assert (cases["overdrachten"] <= cases["gebeurtenissen"] - 1).all()
    assert cases["gebeurtenissen"].sum() == len(log)
    expected_rework = (log["activiteit"] == "teruggemeld").groupby(log["zaak_id"]).sum()
    assert cases["herstelrondes"].to_dict() == expected_rework.to_dict()
    assert 0.0 <= first_time_right(cases) <= 1.0
    shuffled = log.sample(frac=1.0, random_state=np.random.RandomState(seed))
    pd.testing.assert_frame_equal(case_table(shuffled), cases)


@settings(max_examples=40, deadline=None)
@given(log=event_logs())
def test_time_lost_and_time_per_partner_add_up_to_all_lead_time(log):
    total = case_table(log)["doorlooptijd_dagen"].sum()
    assert time_lost_by_transition(log)["totaal_dagen"].sum() == pytest.approx(total)
    assert time_by_partner(log)["totaal_dagen"].sum() == pytest.approx(total)
