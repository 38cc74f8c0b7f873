"""The seeded case generators: size, shape, determinism, calibration on the real figures,
and the patterns the notebooks teach (crisis, change after the ketenmanager, selection)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from ketencursus.cases.loonaangifte import (
    LoonaangifteScenario,
    generate_loonaangifte,
)
from ketencursus.cases.metrics import before_after_by_unit, case_table, compare_groups
from ketencursus.cases.werkpleinen import WerkpleinenScenario, generate_werkpleinen


@pytest.fixture(scope="module")
def loon():
    data = generate_loonaangifte()
    cases = case_table(data.gebeurtenissen).join(data.zaken)
    return data, cases


@pytest.fixture(scope="module")
def werk():
    data = generate_werkpleinen()
    cases = case_table(data.gebeurtenissen, rework_activity="gegevens opgevraagd").join(data.zaken)
    return data, cases


def _period_mask(cases, column, first, last):
    return (cases[column] >= pd.Period(first, "M")) & (cases[column] <= pd.Period(last, "M"))


def test_loonaangifte_has_100k_monthly_zaken_from_2006_to_2010(loon):
    data, cases = loon
    assert len(data.zaken) >= 100_000
    months = data.zaken["tijdvak"]
    assert months.min() == pd.Period("2006-01", "M") and months.max() == pd.Period("2010-12", "M")
    assert months.nunique() == 60
    assert set(data.gebeurtenissen["partner"].unique()) == {"werkgever", "Belastingdienst", "UWV"}
    assert set(data.gebeurtenissen["activiteit"].unique()) == {
        "ontvangen", "gecontroleerd", "doorgegeven", "teruggemeld", "gecorrigeerd", "afgesloten"
    }


def test_every_return_starts_received_and_ends_closed_at_uwv(loon):
    events = loon[0].gebeurtenissen
    grouped = events.groupby("zaak_id", observed=True)
    assert (grouped["activiteit"].first() == "ontvangen").all()
    assert (grouped["activiteit"].last() == "afgesloten").all()
    assert (grouped["partner"].last() == "UWV").all()


def test_loonaangifte_is_deterministic_per_seed():
    small = LoonaangifteScenario(n_cases=3_000)
    a, b = generate_loonaangifte(small), generate_loonaangifte(small)
    pd.testing.assert_frame_equal(a.gebeurtenissen, b.gebeurtenissen)
    pd.testing.assert_frame_equal(a.zaken, b.zaken)
    other = generate_loonaangifte(replace(small, seed=7))
    assert not other.gebeurtenissen["tijdstip"].equals(a.gebeurtenissen["tijdstip"])


def test_2006_correction_share_is_calibrated_on_108000_of_720000_employers(loon):
    cases = loon[1]
    share_2006 = 1 - cases.loc[cases["tijdvak"].dt.year == 2006, "eerste_keer_goed"].mean()
    assert share_2006 == pytest.approx(108_000 / 720_000, abs=0.02)


def test_spring_2007_crisis_is_visible_in_lead_time_and_quality(loon):
    cases = loon[1]
    crisis = cases[_period_mask(cases, "tijdvak", "2007-01", "2007-06")]
    before = cases[_period_mask(cases, "tijdvak", "2006-05", "2006-10")]
    assert crisis["doorlooptijd_dagen"].mean() > 1.5 * before["doorlooptijd_dagen"].mean()
    assert crisis["eerste_keer_goed"].mean() < before["eerste_keer_goed"].mean() - 0.02


def test_chain_is_faster_and_better_after_the_ketenmanager(loon):
    cases = loon[1]
    crisis = cases[_period_mask(cases, "tijdvak", "2007-01", "2007-06")]
    later = cases[cases["tijdvak"].dt.year == 2009]
    assert later["doorlooptijd_dagen"].mean() < 0.5 * crisis["doorlooptijd_dagen"].mean()
    assert later["eerste_keer_goed"].mean() > 0.95


def test_expected_first_time_right_matches_the_data_and_shows_the_counterfactual(loon):
    data, cases = loon
    sc = data.scenario
    observed = cases.groupby(cases["tijdvak"].dt.year)["eerste_keer_goed"].mean()
    m = (data.zaken["tijdvak"] - pd.Period("2006-01", "M")).apply(lambda d: d.n).to_numpy()
    expected = pd.Series(sc.expected_first_time_right(m), index=data.zaken.index)
    expected_year = expected.groupby(data.zaken["tijdvak"].dt.year).mean()
    assert np.allclose(observed, expected_year, atol=0.01)
    months_2009 = np.arange(36, 48)
    assert sc.expected_first_time_right(months_2009).mean() > sc.expected_first_time_right(
        months_2009, with_ketenmanager=False).mean() + 0.01
    months_2006 = np.arange(0, 12)
    np.testing.assert_allclose(sc.expected_first_time_right(months_2006),
                               sc.expected_first_time_right(months_2006, with_ketenmanager=False))


def test_expected_table_per_period_differs_only_after_september_2007():
    table = LoonaangifteScenario().expected_by_period()
    assert len(table) == 60 and table.index[0] == pd.Period("2006-01", "M")
    gap = table["verwacht_met_ketenmanager"] - table["verwacht_zonder_ketenmanager"]
    assert (gap[: pd.Period("2007-09", "M")] == 0).all()
    assert (gap[pd.Period("2007-10", "M"):] > 0).all()


def test_werkpleinen_has_20k_journeys_over_at_least_30_sites_before_and_after(werk):
    data, cases = werk
    sites = data.table("vestigingen")
    assert len(data.zaken) >= 20_000
    assert len(sites) >= 30
    assert set(sites["vorm"]) == {"alleen gebouw delen", "werk geïntegreerd"}
    phases = cases.groupby("vestiging")["fase"].nunique()
    assert (phases == 2).all()
    grouped = data.gebeurtenissen.groupby("zaak_id", observed=True)
    assert (grouped["activiteit"].first() == "aangemeld").all()
    assert (grouped["activiteit"].last() == "afgerond").all()


def test_werkpleinen_is_deterministic_per_seed():
    small = WerkpleinenScenario(n_cases=2_000)
    a, b = generate_werkpleinen(small), generate_werkpleinen(small)
    pd.testing.assert_frame_equal(a.gebeurtenissen, b.gebeurtenissen)
    pd.testing.assert_frame_equal(a.table("vestigingen"), b.table("vestigingen"))
    other = generate_werkpleinen(replace(small, seed=7))
    assert not other.gebeurtenissen["tijdstip"].equals(a.gebeurtenissen["tijdstip"])
    assert not other.table("vestigingen").equals(a.table("vestigingen"))


def test_sites_that_integrated_were_already_better_selection(werk):
    data, cases = werk
    hidden = data.table("verborgen").join(data.table("vestigingen"))
    quality = hidden.groupby("vorm", observed=True)["basiskwaliteit"].mean()
    assert quality["werk geïntegreerd"] > quality["alleen gebouw delen"] + 0.5
    before = compare_groups(cases[cases["fase"] == "voor werkplein"], "vorm_vestiging")
    assert (before.loc["werk geïntegreerd", "gem_doorlooptijd"]
            < before.loc["alleen gebouw delen", "gem_doorlooptijd"] - 5)


def test_integrating_helps_more_than_sharing_a_building_within_sites(werk):
    data, cases = werk
    change = before_after_by_unit(cases, "vestiging", "fase", "voor werkplein", "na werkplein")
    change = change.join(data.table("vestigingen"))
    mean_change = change.groupby("vorm", observed=True)["verschil"].mean()
    assert mean_change["werk geïntegreerd"] < mean_change["alleen gebouw delen"] - 3
    # Crisis and merger make waiting longer everywhere: sharing a building alone does not
    # bring the lead time down in this data.
    assert mean_change["alleen gebouw delen"] > 0


@pytest.mark.parametrize("generate", [generate_loonaangifte, generate_werkpleinen])
def test_every_column_of_every_table_is_in_the_data_dictionary(generate, loon, werk):
    data = loon[0] if generate is generate_loonaangifte else werk[0]
    for name, specs in data.dictionary.items():
        table = data.table(name)
        documented = [s.column for s in specs]
        actual = [c for c in [table.index.name, *table.columns] if c is not None]
        assert sorted(documented) == sorted(actual), name
        dictionary = data.data_dictionary(name)
        assert list(dictionary.columns) == ["betekenis", "eenheid", "hoe gegenereerd",
                                            "kalibratie / bron"]
        assert dictionary.notna().all().all()


def test_unknown_table_name_lists_the_tables(werk):
    with pytest.raises(KeyError, match="Kies uit: zaken, gebeurtenissen, vestigingen"):
        werk[0].table("klanten")
