"""The registry of reflection exercises: one module per exercise.

Each module ``exercises/<id>.py`` exports ``EXERCISE`` (prompts, scales, feedback rules;
:class:`~ketencursus.reflection.model.Exercise`) and ``derive(workbook) -> Derived``. The
notebook view, the portfolio export and the book page render any exercise from these two,
without asking which one it is: adding an exercise is adding one module to ``MODULES``.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from ..derive import Derived
from ..model import Exercise, Workbook
from . import actieplan, cultuurscan, interventiekiezer, olifantenpaadjes

#: The exercises in course order (the portfolio follows this order).
MODULES: tuple[ModuleType, ...] = (cultuurscan, olifantenpaadjes, interventiekiezer, actieplan)

EXERCISES: dict[str, Exercise] = {m.EXERCISE.id: m.EXERCISE for m in MODULES}
_DERIVE = {m.EXERCISE.id: m.derive for m in MODULES}


def get_exercise(exercise_id: str) -> Exercise:
    try:
        return EXERCISES[exercise_id]
    except KeyError:
        raise KeyError(
            f"Onbekende oefening {exercise_id!r}. Kies uit: {', '.join(EXERCISES)}."
        ) from None


def derive(exercise_id: str, workbook: Workbook) -> Derived:
    """The feedback of one exercise on the learner's answers."""
    get_exercise(exercise_id)
    return _DERIVE[exercise_id](workbook)


def definitions_json() -> list[dict[str, Any]]:
    """Every exercise as plain data, in course order (embedded in the book pages)."""
    return [exercise.to_json() for exercise in EXERCISES.values()]


__all__ = ["EXERCISES", "MODULES", "definitions_json", "derive", "get_exercise"]
