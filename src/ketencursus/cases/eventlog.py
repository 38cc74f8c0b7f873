"""The event-log format shared by the case generators, the metrics and the simulation.

An event log has one row per event of a *zaak* (a case moving through the chain):

``zaak_id``     integer id of the zaak
``tijdstip``    datetime64 moment the event happened
``activiteit``  what happened (e.g. ``ontvangen``, ``gecontroleerd``, ``teruggemeld``)
``partner``     which organisation (or the employer/client) did it

Column names are Dutch because learners read and change them in the notebooks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ketencursus.errors import UserError

CASE = "zaak_id"
TIME = "tijdstip"
ACTIVITY = "activiteit"
PARTNER = "partner"
EVENT_COLUMNS = (CASE, TIME, ACTIVITY, PARTNER)

SECONDS_PER_DAY = 86_400.0


class EventLogError(UserError, ValueError):
    """An event log that the metric functions cannot use; the message says what to do (Dutch)."""


def validate_event_log(events: pd.DataFrame) -> None:
    """Raise :class:`EventLogError` with a Dutch message when ``events`` is not a usable log."""
    if not isinstance(events, pd.DataFrame):
        raise EventLogError(
            "Verwacht een pandas DataFrame met gebeurtenissen, maar kreeg "
            f"{type(events).__name__}. "
            "Geef de tabel met gebeurtenissen door (bijvoorbeeld `data.gebeurtenissen`)."
        )
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise EventLogError(
            "De tabel met gebeurtenissen mist de kolom(men) "
            + ", ".join(f"'{c}'" for c in missing)
            + ". Nodig zijn: "
            + ", ".join(EVENT_COLUMNS)
            + ". Heb je een kolom hernoemd of weggelaten? Zet hem terug of hernoem hem."
        )
    if not pd.api.types.is_datetime64_any_dtype(events[TIME]):
        raise EventLogError(
            f"De kolom '{TIME}' moet datums/tijden bevatten (datetime64), maar heeft type "
            f"{events[TIME].dtype}. Zet hem om met `pd.to_datetime(...)`."
        )
    for column in EVENT_COLUMNS:
        if events[column].isna().any():
            n = int(events[column].isna().sum())
            raise EventLogError(
                f"De kolom '{column}' heeft {n} lege waarde(n). Verwijder die rijen "
                "(bijvoorbeeld met `.dropna()`) of vul ze aan voordat je verder rekent."
            )


def sorted_events(events: pd.DataFrame) -> pd.DataFrame:
    """The validated log ordered by zaak and time (stable: equal times keep their order)."""
    validate_event_log(events)
    case = events[CASE].to_numpy()
    time = events[TIME].to_numpy()
    if len(events) > 1:
        same_case = case[1:] == case[:-1]
        if np.all(case[1:] >= case[:-1]) and np.all(time[1:][same_case] >= time[:-1][same_case]):
            return events.reset_index(drop=True)
    order = np.lexsort((np.arange(len(events)), time, case))
    return events.iloc[order].reset_index(drop=True)


def build_event_frame(
    case_ids: np.ndarray,
    days: np.ndarray,
    activity_codes: np.ndarray,
    activities: list[str],
    partner_codes: np.ndarray,
    partners: list[str],
    origin: pd.Timestamp,
) -> pd.DataFrame:
    """Assemble an event log from arrays: times in days after ``origin``, categorical codes.

    Rows are sorted by zaak and time; times are rounded to the minute."""
    order = np.lexsort((days, case_ids))
    seconds = np.round(days[order] * SECONDS_PER_DAY / 60.0) * 60.0
    times = origin.to_datetime64().astype("datetime64[s]") + seconds.astype("timedelta64[s]")
    return pd.DataFrame(
        {
            CASE: case_ids[order].astype(np.int64),
            TIME: times,
            ACTIVITY: pd.Categorical.from_codes(activity_codes[order],
                                                categories=pd.Index(activities)),
            PARTNER: pd.Categorical.from_codes(partner_codes[order], categories=pd.Index(partners)),
        }
    )
