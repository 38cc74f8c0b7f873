"""The numbers the case notebooks' text states about their generated data ("Wat je ziet",
"bijna twee keer zo snel", "ongeveer 7 dagen") agree with the data the notebooks produce.
Each claim is recomputed the way the notebook computes it and compared with the wording."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ketencursus.cases.loonaangifte import generate_loonaangifte
from ketencursus.cases.metrics import (
    before_after_by_unit,
    case_table,
    compare_groups,
    first_time_right,
    lead_time_distribution,
    time_lost_by_transition,
)
from ketencursus.cases.werkpleinen import generate_werkpleinen


def _markdown(layout, name: str) -> str:
    nb = json.loads((layout.book / "casussen" / f"{name}.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def loonaangifte():
    data = generate_loonaangifte()
    table = case_table(data.gebeurtenissen, rework_activity="teruggemeld").join(data.zaken)
    return data, table


@pytest.fixture(scope="module")
def werkpleinen():
    data = generate_werkpleinen()
    table = case_table(data.gebeurtenissen, rework_activity="gegevens opgevraagd").join(data.zaken)
    return data, table


def test_loonaangifte_lead_time_and_first_time_right_claims(layout, loonaangifte):
    data, table = loonaangifte
    text = _markdown(layout, "loonaangifteketen")
    dist = lead_time_distribution(table["doorlooptijd_dagen"])
    assert round(dist["mediaan"]) == 5 and round(dist["gemiddelde"]) == 9
    assert round(dist["p90"]) == 17
    assert "de mediaan ongeveer 5 dagen en het gemiddelde ongeveer 9 dagen" in text
    assert round(100 * first_time_right(table)) == 92
    assert "ongeveer 92 procent van de zaken in één keer goed" in text
    rounds = table.groupby("herstelrondes")["doorlooptijd_dagen"].median()
    assert round(rounds[0]) == 5 and round(rounds[1]) == 30 and round(rounds[1] / rounds[0]) == 6
    assert "ongeveer 30 dagen: zes keer zo lang" in text


def test_loonaangifte_biggest_time_post_is_the_handoff_to_uwv(layout, loonaangifte):
    data, _ = loonaangifte
    lost = time_lost_by_transition(data.gebeurtenissen)
    top = lost.index[0]
    assert top == ("doorgegeven (Belastingdienst)", "gecontroleerd (UWV)")
    assert round(lost["aandeel_pct"].iloc[0]) == 53
    assert "ongeveer 53 procent" in _markdown(layout, "loonaangifteketen")


def test_loonaangifte_before_after_and_model_effect_claims(layout, loonaangifte):
    data, table = loonaangifte
    text = _markdown(layout, "loonaangifteketen")
    period = np.where(table["tijdvak"] < pd.Period("2007-09", "M"), "1 voor", "2 na")
    before_after = compare_groups(table.assign(periode=period), "periode")
    before, after = before_after.loc["1 voor"], before_after.loc["2 na"]
    assert (round(before["gem_doorlooptijd"]), round(before["first_time_right_pct"])) == (16, 84)
    assert (round(after["gem_doorlooptijd"]), round(after["first_time_right_pct"])) == (5, 97)
    naive = after["first_time_right_pct"] - before["first_time_right_pct"]
    expected = data.scenario.expected_by_period()
    year_2009 = expected.loc[expected.index.year == 2009].mean()
    effect = year_2009["verwacht_met_ketenmanager"] - year_2009["verwacht_zonder_ketenmanager"]
    assert round(effect, 1) == 2.4 and round(naive) == 13
    assert "ongeveer 2,4 procentpunt" in text and "ongeveer 13 procentpunt" in text

    monthly = compare_groups(table, "tijdvak")["first_time_right_pct"]
    # "in augustus 2007 is first time right in het model alweer ongeveer 88 procent"
    assert round(monthly[pd.Period("2007-08", "M")]) == 88
    # "stijgt in de loop van 2006 al van ongeveer 78 procent in januari naar ongeveer 87"
    assert round(monthly[pd.Period("2006-01", "M")]) == 78
    assert round(monthly[pd.Period("2006-07", "M")]) == 87


def test_werkpleinen_naive_comparison_selection_and_difference_in_differences(
    layout, werkpleinen
):
    data, table = werkpleinen
    text = _markdown(layout, "werkpleinen")
    groups = compare_groups(table, ["vorm_vestiging", "fase"])["gem_doorlooptijd"]
    integrated_after = groups[("werk geïntegreerd", "na werkplein")]
    shared_after = groups[("alleen gebouw delen", "na werkplein")]
    assert (round(integrated_after), round(shared_after)) == (26, 49)
    assert 1.7 <= shared_after / integrated_after < 2.0  # "bijna twee keer zo snel"
    assert "bijna twee keer zo snel" in text
    before = (groups[("werk geïntegreerd", "voor werkplein")],
              groups[("alleen gebouw delen", "voor werkplein")])
    assert tuple(round(x) for x in before) == (29, 42)
    assert "ongeveer 29 dagen tegen 42" in text

    sites = data.table("vestigingen")
    change = before_after_by_unit(table, "vestiging", "fase", "voor werkplein", "na werkplein")
    change = change.join(sites["vorm"])
    mean_change = change.groupby("vorm", observed=True)["verschil"].mean()
    did = mean_change["werk geïntegreerd"] - mean_change["alleen gebouw delen"]
    assert round(-did) == 7 and round(shared_after - integrated_after) == 23
    assert "ongeveer 7 dagen, tegen een naïef verschil na de opening van ongeveer 23 dagen" in text
    improved = change[change["verschil"] < 0].groupby("vorm", observed=True).size()
    assert improved["werk geïntegreerd"] == 15 and improved["alleen gebouw delen"] == 2
    assert "(15 van de 19)" in text and "(15 van de 17)" in text


def test_werkpleinen_biggest_time_post_sits_between_uwv_and_the_municipality(layout, werkpleinen):
    data, _ = werkpleinen
    lost = time_lost_by_transition(data.gebeurtenissen)
    assert lost.index[0] == ("doorverwezen (UWV)", "aanvraag beoordeeld (gemeente)")
    assert round(lost["aandeel_pct"].iloc[0]) == 43
    assert "ongeveer 43 procent van alle dagen" in _markdown(layout, "werkpleinen")


@pytest.mark.parametrize("name", ["loonaangifteketen", "werkpleinen"])
def test_every_figure_is_followed_by_a_reading_in_words(layout, name):
    nb = json.loads((layout.book / "casussen" / f"{name}.ipynb").read_text(encoding="utf-8"))
    cells = nb["cells"]
    missing = []
    for index, cell in enumerate(cells):
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or "fig = plot_" not in source or "plot_whatif" in source:
            continue
        following = next(
            ("".join(c["source"]) for c in cells[index + 1:] if c["cell_type"] == "markdown"), ""
        )
        if "**Wat je ziet.**" not in following:
            missing.append(source.splitlines()[0])
    assert missing == [], f"{name}: figuren zonder uitleg in woorden: {missing}"
