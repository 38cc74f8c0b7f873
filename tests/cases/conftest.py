"""Small hand-made event logs with known answers."""

from __future__ import annotations

import pandas as pd
import pytest


def make_log(rows: list[tuple[int, str, str, str]]) -> pd.DataFrame:
    """rows: (zaak_id, 'yyyy-mm-dd hh:mm', activiteit, partner)."""
    return pd.DataFrame(
        {
            "zaak_id": [r[0] for r in rows],
            "tijdstip": pd.to_datetime([r[1] for r in rows]),
            "activiteit": [r[2] for r in rows],
            "partner": [r[3] for r in rows],
        }
    )


@pytest.fixture
def two_cases_log() -> pd.DataFrame:
    """Zaak 1 goes straight through in 4 days; zaak 2 is reported back once by UWV,
    corrected by the employer and closed 20 days after it arrived."""
    return make_log(
        [
            (1, "2006-02-01 00:00", "ontvangen", "Belastingdienst"),
            (1, "2006-02-02 00:00", "gecontroleerd", "Belastingdienst"),
            (1, "2006-02-04 00:00", "gecontroleerd", "UWV"),
            (1, "2006-02-05 00:00", "afgesloten", "UWV"),
            (2, "2006-02-01 00:00", "ontvangen", "Belastingdienst"),
            (2, "2006-02-03 00:00", "gecontroleerd", "UWV"),
            (2, "2006-02-04 00:00", "teruggemeld", "UWV"),
            (2, "2006-02-14 00:00", "gecorrigeerd", "werkgever"),
            (2, "2006-02-15 00:00", "ontvangen", "Belastingdienst"),
            (2, "2006-02-19 00:00", "gecontroleerd", "UWV"),
            (2, "2006-02-21 00:00", "afgesloten", "UWV"),
        ]
    )
