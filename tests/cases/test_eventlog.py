"""The event-log contract: clear Dutch messages for logs the metrics cannot use."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ketencursus.cases.eventlog import (
    EventLogError,
    build_event_frame,
    sorted_events,
    validate_event_log,
)


def test_log_missing_a_column_names_it_and_says_what_to_do(two_cases_log):
    with pytest.raises(EventLogError, match="mist de kolom.*'partner'.*hernoem"):
        validate_event_log(two_cases_log.drop(columns="partner"))


def test_time_column_as_text_asks_for_to_datetime(two_cases_log):
    log = two_cases_log.assign(tijdstip=two_cases_log["tijdstip"].astype(str))
    with pytest.raises(EventLogError, match="pd.to_datetime"):
        validate_event_log(log)


def test_empty_values_are_counted_and_dropna_is_suggested(two_cases_log):
    log = two_cases_log.copy()
    log.loc[3, "activiteit"] = None
    with pytest.raises(EventLogError, match=r"'activiteit' heeft 1 lege.*dropna"):
        validate_event_log(log)


def test_not_a_dataframe_is_refused_in_dutch():
    with pytest.raises(EventLogError, match="Verwacht een pandas DataFrame"):
        validate_event_log([1, 2, 3])


def test_shuffled_log_is_put_back_in_case_and_time_order(two_cases_log):
    shuffled = two_cases_log.sample(frac=1.0, random_state=3)
    result = sorted_events(shuffled)
    pd.testing.assert_frame_equal(result, two_cases_log.reset_index(drop=True))


def test_build_event_frame_sorts_and_rounds_to_the_minute():
    frame = build_event_frame(
        case_ids=np.array([2, 1, 1]),
        days=np.array([0.5, 1.0, 0.25]),
        activity_codes=np.array([0, 1, 0]),
        activities=["ontvangen", "afgesloten"],
        partner_codes=np.array([0, 1, 0]),
        partners=["Belastingdienst", "UWV"],
        origin=pd.Timestamp("2006-01-01"),
    )
    assert frame["zaak_id"].tolist() == [1, 1, 2]
    assert frame["tijdstip"].tolist() == [
        pd.Timestamp("2006-01-01 06:00"),
        pd.Timestamp("2006-01-02 00:00"),
        pd.Timestamp("2006-01-01 12:00"),
    ]
    assert frame["activiteit"].tolist() == ["ontvangen", "afgesloten", "ontvangen"]
    assert frame["partner"].tolist() == ["Belastingdienst", "UWV", "Belastingdienst"]
