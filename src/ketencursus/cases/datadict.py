"""Data dictionaries of the generated case tables.

Each column is documented with its meaning, unit, how the generator makes it and which real
source calibrates it (or that it is invented). The texts are Dutch: learners read them in
the notebooks.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

INVENTED = "verzonnen (illustratief)"


@dataclass(frozen=True)
class ColumnSpec:
    column: str
    meaning: str
    unit: str
    generation: str
    source: str = INVENTED


def dictionary_frame(specs: list[ColumnSpec]) -> pd.DataFrame:
    """A data dictionary as a table with Dutch headers, ready to show in a notebook."""
    return pd.DataFrame(
        [(s.column, s.meaning, s.unit, s.generation, s.source) for s in specs],
        columns=["kolom", "betekenis", "eenheid", "hoe gegenereerd", "kalibratie / bron"],
    ).set_index("kolom")


@dataclass
class CaseData:
    """A generated case: one row per zaak, the event log, further tables and the dictionary.

    ``scenario`` holds the generator's parameters (the 'truth' behind the data, which real
    data never offers); ``dictionary`` maps each table name to its column specs."""

    zaken: pd.DataFrame
    gebeurtenissen: pd.DataFrame
    scenario: object
    dictionary: dict[str, list[ColumnSpec]]
    tabellen: dict[str, pd.DataFrame] | None = None

    def table(self, name: str) -> pd.DataFrame:
        """The table called ``name`` (``zaken``, ``gebeurtenissen`` or an extra table)."""
        tables = {"zaken": self.zaken, "gebeurtenissen": self.gebeurtenissen}
        tables.update(self.tabellen or {})
        if name not in tables:
            raise KeyError(
                f"Er is geen tabel '{name}'. Kies uit: {', '.join(tables)}."
            )
        return tables[name]

    def data_dictionary(self, name: str) -> pd.DataFrame:
        """The data dictionary of table ``name`` as a table (Dutch headers)."""
        if name not in self.dictionary:
            raise KeyError(
                f"Er is geen databeschrijving voor '{name}'. "
                f"Kies uit: {', '.join(self.dictionary)}."
            )
        return dictionary_frame(self.dictionary[name])
