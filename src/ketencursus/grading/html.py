"""HTML pages of the grading tools (learner feedback, item-analysis report), rendered by
Jinja2 from ``templates/`` with autoescaping on: every value from a learner, a notebook or
the gradebook is escaped unless a template says otherwise, and none does. The pages share
``templates/base.html`` (Dutch ``lang``, viewport, one style sheet per page kind)."""

from __future__ import annotations

from functools import cache
from typing import Any

from ketencursus._util import nl


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("ketencursus.grading", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["nl"] = _number
    return env


def _number(value: float | None, digits: int | None = None, suffix: str = "") -> str:
    """A number with a decimal comma (``–`` for none), as the pages show it."""
    if value is None:
        return "–"
    return nl.number(value, digits) + suffix


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with ``context``."""
    return str(_environment().get_template(template).render(**context))
