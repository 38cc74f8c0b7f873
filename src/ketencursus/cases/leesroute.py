"""Tables and figures of the *leesroute* (the interpretation track of the data assignments).

A learner who does not program gets the key figures of a case computed for her, by this
module, and answers questions about what they mean by typing plain letters and numbers. The
pandas track of the same case computes the same figures itself. Everything here is computed
from the seeded generators (the data are invented; see the generators' docstrings), from the
same functions the case notebooks use (:mod:`ketencursus.cases.metrics`), and rounded to what
a learner reads in a table: one decimal.

:func:`nl_tabel` shows a table with a decimal comma and a thousands point, as Dutch readers
expect.
"""

from __future__ import annotations

import pandas as pd

from .datadict import CaseData
from .metrics import case_table, compare_groups, time_by_partner

DECIMALS = 1


def _loonaangifte(data: CaseData | None) -> CaseData:
    if data is None:
        from .loonaangifte import generate_loonaangifte

        data = generate_loonaangifte()
    return data


def _werkpleinen(data: CaseData | None) -> CaseData:
    if data is None:
        from .werkpleinen import generate_werkpleinen

        data = generate_werkpleinen()
    return data


def loonaangifte_per_jaar(data: CaseData | None = None) -> pd.DataFrame:
    """Per year of the tax period: number of zaken, number of receipts (events *ontvangen*:
    a corrected return is received again), mean and median lead time (days, from the first
    event to *afgesloten*) and first time right (%), rounded to one decimal."""
    data = _loonaangifte(data)
    events = data.gebeurtenissen
    table = case_table(events).join(data.zaken)
    table["jaar"] = table["tijdvak"].dt.year
    figures = compare_groups(table, "jaar")
    received = events.loc[events["activiteit"] == "ontvangen", "zaak_id"]
    receipts = table["jaar"].loc[received.to_numpy()].value_counts().sort_index()
    out = pd.DataFrame({
        "aantal zaken": figures["zaken"].astype(int),
        "aantal ontvangsten": receipts.reindex(figures.index).fillna(0).astype(int),
        "gemiddelde doorlooptijd (dagen)": figures["gem_doorlooptijd"].round(DECIMALS),
        "mediaan doorlooptijd (dagen)": figures["mediaan_doorlooptijd"].round(DECIMALS),
        "first time right (%)": figures["first_time_right_pct"].round(DECIMALS),
    })
    out.index.name = "jaar"
    return out


def loonaangifte_tijd_per_partner(data: CaseData | None = None) -> pd.DataFrame:
    """Share of all time in the chain (%) per partner, all years together, one decimal."""
    data = _loonaangifte(data)
    shares = time_by_partner(data.gebeurtenissen)
    out = pd.DataFrame({"aandeel van de tijd (%)": shares["aandeel_pct"].round(DECIMALS)})
    out.index.name = "partner"
    return out


def werkpleinen_voor_na(data: CaseData | None = None) -> pd.DataFrame:
    """Per form of the site (only sharing the building, or integrated work) and phase (before
    or after the werkplein opened): number of client journeys, mean and median lead time in
    days, one decimal."""
    data = _werkpleinen(data)
    table = data.zaken.join(case_table(data.gebeurtenissen))
    figures = compare_groups(table, ["vorm_vestiging", "fase"])
    out = pd.DataFrame({
        "aantal klantreizen": figures["zaken"].astype(int),
        "gemiddelde doorlooptijd (dagen)": figures["gem_doorlooptijd"].round(DECIMALS),
        "mediaan doorlooptijd (dagen)": figures["mediaan_doorlooptijd"].round(DECIMALS),
    })
    out.index.names = ["vorm van de vestiging", "fase"]
    return out


def nl_tabel(table: pd.DataFrame, decimals: int = DECIMALS):
    """``table`` for display with a decimal comma and a thousands point (a pandas Styler)."""
    return table.style.format(decimal=",", thousands=".", precision=decimals)
