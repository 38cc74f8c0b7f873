"""The leesroute's tables: the same figures as the case metrics, rounded to what a learner reads,
and shown with a Dutch decimal comma."""

from __future__ import annotations

import pytest

from ketencursus.cases import leesroute, metrics
from ketencursus.cases.loonaangifte import generate_loonaangifte
from ketencursus.cases.werkpleinen import generate_werkpleinen


@pytest.fixture(scope="module")
def loonaangifte():
    return generate_loonaangifte()


def test_the_yearly_table_rounds_the_case_metrics_to_one_decimal(loonaangifte):
    table = leesroute.loonaangifte_per_jaar(loonaangifte)
    cases = metrics.case_table(loonaangifte.gebeurtenissen).join(loonaangifte.zaken)
    year = cases["tijdvak"].dt.year
    assert list(table.index) == [2006, 2007, 2008, 2009, 2010]
    in_2007 = cases[year == 2007]
    row = table.loc[2007]
    assert row["aantal zaken"] == len(in_2007)
    assert row["gemiddelde doorlooptijd (dagen)"] == round(in_2007["doorlooptijd_dagen"].mean(), 1)
    assert row["mediaan doorlooptijd (dagen)"] == round(in_2007["doorlooptijd_dagen"].median(), 1)
    assert row["first time right (%)"] == round(100 * metrics.first_time_right(in_2007), 1)
    # a corrected return is received again: one receipt per zaak plus one per correction
    assert row["aantal ontvangsten"] == len(in_2007) + int(in_2007["herstelrondes"].sum())


def test_time_per_partner_shares_add_up_to_the_whole_chain(loonaangifte):
    table = leesroute.loonaangifte_tijd_per_partner(loonaangifte)
    assert set(table.index) == {"Belastingdienst", "UWV", "werkgever"}
    assert table["aandeel van de tijd (%)"].sum() == pytest.approx(100, abs=0.2)


def test_the_werkplein_table_has_both_forms_before_and_after():
    data = generate_werkpleinen()
    table = leesroute.werkpleinen_voor_na(data)
    assert set(table.index) == {(form, phase) for form in ("alleen gebouw delen",
                                                           "werk geïntegreerd")
                                for phase in ("voor werkplein", "na werkplein")}
    cases = data.zaken.join(metrics.case_table(data.gebeurtenissen))
    part = cases[(cases["vorm_vestiging"] == "werk geïntegreerd")
                 & (cases["fase"] == "na werkplein")]
    assert table.loc[("werk geïntegreerd", "na werkplein"), "gemiddelde doorlooptijd (dagen)"] \
        == round(part["doorlooptijd_dagen"].mean(), 1)


def test_tables_are_shown_with_a_decimal_comma(loonaangifte):
    html = leesroute.nl_tabel(leesroute.loonaangifte_per_jaar(loonaangifte)).to_html()
    value = leesroute.loonaangifte_per_jaar(loonaangifte).loc[2006, "first time right (%)"]
    assert f"{value:.1f}".replace(".", ",") in html
    assert f"{value:.1f}" not in html
