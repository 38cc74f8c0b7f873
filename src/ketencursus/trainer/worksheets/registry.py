"""The registry of worksheets: which modules contribute sheets, in print order.

Each module in :data:`SHEET_MODULES` has a function ``sheets() -> Iterable[Sheet]``. It is
called every time the sheets are built (not at import), so a sheet always follows the
definition it is generated from (the reflection exercises, the role plays) as it is *now*.
Adding sheets is adding one module name to this list (see the docstring of
:mod:`ketencursus.trainer.worksheets`).
"""

from __future__ import annotations

import importlib

from ketencursus.errors import UserError

from .model import Sheet, SheetDefinitionError

#: Modules with a ``sheets()`` function, in the order the sheets are printed and listed.
SHEET_MODULES: list[str] = [
    "ketencursus.trainer.worksheets.sheets.diagnose",
    "ketencursus.trainer.worksheets.sheets.ketenkaart",
    "ketencursus.trainer.worksheets.sheets.zaak",
    "ketencursus.trainer.worksheets.sheets.schein",
    "ketencursus.trainer.worksheets.sheets.kleuren",
    "ketencursus.trainer.worksheets.sheets.cultuurscan",
    "ketencursus.trainer.worksheets.sheets.actieplan",
    # the feedback form for the action plan (trainer/peerreview.yml)
    "ketencursus.trainer.peerreview",
    # the role plays' situation cards, role cards and observation forms (exercises/rollenspel/)
    "ketencursus.trainer.roleplay",
]


class UnknownSheetError(UserError):
    """An id asked for (``--alleen``) that no registered sheet has."""


def all_sheets() -> list[Sheet]:
    """Every registered sheet, built now from its definitions, in registry order."""
    found: list[Sheet] = []
    seen: dict[str, str] = {}
    for name in SHEET_MODULES:
        module = importlib.import_module(name)
        for sheet in module.sheets():
            if sheet.id in seen:
                raise SheetDefinitionError(
                    f"Werkblad-id {sheet.id!r} komt twee keer voor ({seen[sheet.id]} en {name})."
                )
            seen[sheet.id] = name
            found.append(sheet)
    return found


def select(ids: list[str] | None = None) -> list[Sheet]:
    """The sheets with these ids (in the order asked, duplicates once), or all of them."""
    sheets = all_sheets()
    if not ids:
        return sheets
    by_id = {sheet.id: sheet for sheet in sheets}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise UnknownSheetError(
            f"onbekend werkblad: {', '.join(unknown)}. Kies uit: {', '.join(by_id)} "
            "(of laat --alleen weg voor alle werkbladen)."
        )
    return [by_id[i] for i in dict.fromkeys(ids)]


def get(sheet_id: str) -> Sheet:
    return select([sheet_id])[0]
