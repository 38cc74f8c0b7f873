"""Metrics on event logs of zaken: lead time, first time right, hand-offs, rework, lost time.

Every function takes the event log (see :mod:`ketencursus.cases.eventlog`) or the table with
one row per zaak made by :func:`case_table`; results carry Dutch column names because the
learners read them in the case notebooks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .eventlog import (
    ACTIVITY,
    CASE,
    PARTNER,
    SECONDS_PER_DAY,
    TIME,
    EventLogError,
    sorted_events,
)

DEFAULT_REWORK_ACTIVITY = "teruggemeld"
CASE_COLUMNS = (
    "start",
    "einde",
    "doorlooptijd_dagen",
    "gebeurtenissen",
    "overdrachten",
    "herstelrondes",
    "eerste_keer_goed",
)


def _days(times: np.ndarray) -> np.ndarray:
    """Datetimes as float days after the first one (resolution: seconds)."""
    if times.size == 0:
        return np.zeros(0)
    seconds = (times - times.min()).astype("timedelta64[s]").astype(np.int64)
    return seconds / SECONDS_PER_DAY


def _case_starts(case: np.ndarray) -> np.ndarray:
    first = np.ones(case.size, dtype=bool)
    first[1:] = case[1:] != case[:-1]
    return first


def case_table(
    events: pd.DataFrame, rework_activity: str = DEFAULT_REWORK_ACTIVITY
) -> pd.DataFrame:
    """One row per zaak: start, end, lead time in days, number of events, hand-offs (a change
    of partner between two consecutive events), rework rounds (events ``rework_activity``)
    and whether the zaak went through first time right (no rework at all)."""
    ev = sorted_events(events)
    case = ev[CASE].to_numpy()
    if case.size == 0:
        return pd.DataFrame(columns=list(CASE_COLUMNS), index=pd.Index([], name=CASE))
    first = _case_starts(case)
    starts = np.flatnonzero(first)
    lasts = np.r_[starts[1:] - 1, case.size - 1]
    times = ev[TIME].to_numpy()
    days = _days(times)
    partner_codes = pd.factorize(ev[PARTNER])[0]
    handoff = np.zeros(case.size, dtype=np.int64)
    handoff[1:] = (partner_codes[1:] != partner_codes[:-1]) & ~first[1:]
    rework = (ev[ACTIVITY] == rework_activity).to_numpy(dtype=np.int64)
    rounds = np.add.reduceat(rework, starts)
    table = pd.DataFrame(
        {
            "start": times[starts],
            "einde": times[lasts],
            "doorlooptijd_dagen": days[lasts] - days[starts],
            "gebeurtenissen": lasts - starts + 1,
            "overdrachten": np.add.reduceat(handoff, starts),
            "herstelrondes": rounds,
            "eerste_keer_goed": rounds == 0,
        },
        index=pd.Index(case[starts], name=CASE),
    )
    return table


def lead_times(events: pd.DataFrame) -> pd.Series:
    """Doorlooptijd per zaak in days: time from its first to its last event."""
    return case_table(events)["doorlooptijd_dagen"]


def lead_time_distribution(
    lead_time_days: pd.Series, percentiles: Sequence[int] = (80, 90, 95)
) -> pd.Series:
    """Summary of a lead-time distribution: count, mean, spread, median and percentiles."""
    values = pd.Series(lead_time_days, dtype=float).dropna()
    if values.empty:
        raise ValueError(
            "Er zijn geen doorlooptijden om samen te vatten: de selectie is leeg. "
            "Controleer je filter (bijvoorbeeld de gekozen periode)."
        )
    summary = {
        "aantal": float(values.size),
        "gemiddelde": values.mean(),
        "standaardafwijking": values.std(ddof=0),
        "minimum": values.min(),
        "mediaan": values.median(),
    }
    for q in percentiles:
        if not 0 < q < 100:
            raise ValueError(f"Een percentiel moet tussen 0 en 100 liggen; kreeg {q}.")
        summary[f"p{q}"] = values.quantile(q / 100.0)
    summary["maximum"] = values.max()
    return pd.Series(summary, name="doorlooptijd_dagen")


def first_time_right(cases: pd.DataFrame) -> float:
    """Share (0–1) of zaken that went through without any rework."""
    _require_columns(cases, ["eerste_keer_goed"], "de tabel per zaak (uit `case_table`)")
    if len(cases) == 0:
        raise ValueError(
            "Er zijn geen zaken in de selectie; first time right is dan niet te bepalen."
        )
    return float(cases["eerste_keer_goed"].mean())


def _transitions(events: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, str], np.ndarray]:
    """Consecutive event pairs within each zaak as integer codes (fast on large logs):
    columns van, naar (step codes), partner (code of the later event's partner), dagen.
    Also returns the step labels 'activiteit (partner)' per code and the partner names."""
    ev = sorted_events(events)
    case = ev[CASE].to_numpy()
    activity_codes, activities = pd.factorize(ev[ACTIVITY])
    partner_codes, partners = pd.factorize(ev[PARTNER])
    n_partners = max(len(partners), 1)
    step = activity_codes * n_partners + partner_codes
    labels = {
        int(code): f"{activities[code // n_partners]} ({partners[code % n_partners]})"
        for code in np.unique(step)
    }
    if case.size < 2:
        empty = pd.DataFrame({"van": [], "naar": [], "partner": [], "dagen": []})
        return empty, labels, np.asarray(partners, dtype=object)
    keep = ~_case_starts(case)[1:]
    days = _days(ev[TIME].to_numpy())
    pairs = pd.DataFrame(
        {
            "van": step[:-1][keep],
            "naar": step[1:][keep],
            "partner": partner_codes[1:][keep],
            "dagen": (days[1:] - days[:-1])[keep],
        }
    )
    return pairs, labels, np.asarray(partners, dtype=object)


def time_lost_by_transition(events: pd.DataFrame) -> pd.DataFrame:
    """Where time goes: for each pair of consecutive events (from → to, with partner) the
    number of times it occurs, total and mean days, and its share (%) of all lead time.
    Sorted with the biggest loss first."""
    pairs, labels, _ = _transitions(events)
    total = pairs["dagen"].sum()
    grouped = pairs.groupby(["van", "naar"], sort=False)["dagen"]
    table = pd.DataFrame(
        {
            "aantal": grouped.size(),
            "totaal_dagen": grouped.sum(),
            "gemiddeld_dagen": grouped.mean(),
        }
    )
    table.index = pd.MultiIndex.from_tuples(
        [(labels[int(a)], labels[int(b)]) for a, b in table.index], names=["van", "naar"]
    )
    table["aandeel_pct"] = 100.0 * table["totaal_dagen"] / total if total > 0 else 0.0
    return table.sort_values("totaal_dagen", ascending=False)


def time_by_partner(events: pd.DataFrame) -> pd.DataFrame:
    """Lead time attributed to the partner whose event ends each interval (the partner the
    zaak was waiting for): total days and share (%) of all lead time, biggest first."""
    pairs, _, partners = _transitions(events)
    total = pairs["dagen"].sum()
    table = pairs.groupby("partner")["dagen"].sum().to_frame("totaal_dagen")
    table.index = pd.Index([str(partners[int(i)]) for i in table.index], name="partner")
    table["aandeel_pct"] = 100.0 * table["totaal_dagen"] / total if total > 0 else 0.0
    return table.sort_values("totaal_dagen", ascending=False)


def compare_groups(cases: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Key figures per group (period, site, ...): number of zaken, mean/median/90th
    percentile lead time, first time right (%), mean hand-offs and rework rounds."""
    keys = [by] if isinstance(by, str) else list(by)
    _require_columns(cases, keys, "de tabel per zaak")
    _require_columns(
        cases,
        ["doorlooptijd_dagen", "eerste_keer_goed", "overdrachten", "herstelrondes"],
        "de tabel per zaak (uit `case_table`)",
    )
    g = cases.groupby(keys, observed=True, sort=True)
    lead = g["doorlooptijd_dagen"]
    return pd.DataFrame(
        {
            "zaken": g.size(),
            "gem_doorlooptijd": lead.mean(),
            "mediaan_doorlooptijd": lead.median(),
            "p90_doorlooptijd": lead.quantile(0.9),
            "first_time_right_pct": 100.0 * g["eerste_keer_goed"].mean(),
            "gem_overdrachten": g["overdrachten"].mean(),
            "gem_herstelrondes": g["herstelrondes"].mean(),
        }
    )


def before_after_by_unit(
    cases: pd.DataFrame,
    unit: str,
    phase: str,
    before: str,
    after: str,
    outcome: str = "doorlooptijd_dagen",
) -> pd.DataFrame:
    """Per unit (e.g. site) the mean ``outcome`` before and after, and the change
    (after − before). Units lacking either phase are left out."""
    _require_columns(cases, [unit, phase, outcome], "de tabel per zaak")
    present = set(cases[phase].astype(str).unique())
    for label in (before, after):
        if label not in present:
            raise ValueError(
                f"De fase '{label}' komt niet voor in kolom '{phase}' "
                f"(wel: {', '.join(sorted(present))}). Controleer de spelling."
            )
    means = (
        cases.assign(_fase=cases[phase].astype(str))
        .groupby([unit, "_fase"], observed=True)[outcome]
        .mean()
        .unstack("_fase")
    )
    table = means[[before, after]].dropna()
    table.columns = ["voor", "na"]
    table["verschil"] = table["na"] - table["voor"]
    return table


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise EventLogError(f"Verwacht {what} als pandas DataFrame, kreeg {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise EventLogError(
            f"In {what} ontbreekt de kolom(men) {', '.join(repr(c) for c in missing)}. "
            f"Beschikbaar: {', '.join(map(str, frame.columns))}."
        )
