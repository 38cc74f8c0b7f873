"""Reflection exercises.

- ``exercises/``: the registry, one module per exercise (its prompts, scales and feedback
  rules, and ``derive(workbook)``);
- ``model``: prompts, answers and validation as plain Python; ``derive``: the feedback rule
  kinds; ``store``: safe persistence for the notebook; ``export``: the portfolio (HTML and
  Markdown) and its import;
- ``view``: the ipywidgets view (needs a kernel); ``page``: the same exercise as a form in the
  static book page (no kernel; answers stay in the learner's browser).

In a notebook::

    from ketencursus.reflection import toon_oefening
    toon_oefening("cultuurscan")    # the live exercise (needs a kernel)
"""

from __future__ import annotations

from .exercises import EXERCISES, derive, get_exercise
from .export import PortfolioImportError, import_portfolio, portfolio_html, portfolio_markdown
from .model import SCHEMA_VERSION, ValidationError, Workbook, merge
from .page import formulier, page_form_html
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
    "derive",
    "formulier",
    "get_exercise",
    "import_portfolio",
    "merge",
    "page_form_html",
    "portfolio_html",
    "portfolio_markdown",
    "toon_oefening",
]


def toon_oefening(exercise_id: str, store: AnswerStore | None = None):
    """The live exercise's widgets (imports ipywidgets only when called)."""
    from .view import ReflectionView

    return ReflectionView(exercise_id, store)
