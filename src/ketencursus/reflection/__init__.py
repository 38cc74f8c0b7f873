"""Reflection exercises: a plain-Python model (``model``), the exercises' content
(``exercises``), feedback and scoring (``feedback``), safe persistence (``store``), the
portfolio export/import (``export``), static previews for the book (``preview``) and the
ipywidgets view (``view``).

In a notebook::

    from ketencursus.reflection import toon_oefening, voorbeeld
    voorbeeld("cultuurscan")        # static example (also shown in the online book)
    toon_oefening("cultuurscan")    # the live exercise (needs a kernel)
"""

from __future__ import annotations

from .exercises import EXERCISES, get_exercise
from .export import PortfolioImportError, import_portfolio, portfolio_html, portfolio_markdown
from .model import SCHEMA_VERSION, ValidationError, Workbook, merge
from .preview import preview_html, voorbeeld
from .store import ENV_VAR, AnswerStore, StoreError, default_answers_path

__all__ = [
    "EXERCISES",
    "ENV_VAR",
    "SCHEMA_VERSION",
    "AnswerStore",
    "PortfolioImportError",
    "StoreError",
    "ValidationError",
    "Workbook",
    "default_answers_path",
    "get_exercise",
    "import_portfolio",
    "merge",
    "portfolio_html",
    "portfolio_markdown",
    "preview_html",
    "toon_oefening",
    "voorbeeld",
]


def toon_oefening(exercise_id: str, store: AnswerStore | None = None):
    """The live exercise's widgets (imports ipywidgets only when called)."""
    from .view import ReflectionView

    return ReflectionView(exercise_id, store)
