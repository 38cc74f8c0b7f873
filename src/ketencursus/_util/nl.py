"""Dutch number formatting: one place for the decimal comma.

>>> number(9.25, 1)
'9,2'
>>> number(71, 0)
'71'
>>> number(2.5)
'2,5'
>>> number(-0.125, 2)
'-0,12'
"""

from __future__ import annotations


def number(value: float, digits: int | None = None) -> str:
    """``value`` with a decimal comma; ``digits`` fixed decimals, or ``None`` for the shortest
    form (Python's ``g`` format, so ``2.0`` is ``"2"`` and ``2.5`` is ``"2,5"``).

    Only the number is formatted, so a text around it keeps its own full stops (the reason this
    helper exists: ``f"gem. {x:.1f}".replace(".", ",")`` turned the abbreviation into "gem,").
    """
    text = f"{value:g}" if digits is None else f"{value:.{digits}f}"
    return text.replace(".", ",")
