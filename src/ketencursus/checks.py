"""Pure check functions for the hidden tests of the graded assignments.

Every autograded test cell calls these functions on a learner's answer variable (plain data:
int, float, str, bool, None, list, dict). The same cell runs in two places: in stock nbgrader
(inside the learner's kernel) and in the sandboxed grader (in a fresh interpreter, with the
answer bound to a value deserialised from JSON). So the functions:

* verify the **exact** type first (``type(x) is float``, never ``isinstance``; ``bool`` is not
  ``int``; a ``numpy.float64`` or a hostile subclass is not a ``float``) and only then the
  value, with code that never calls a method of the learner's object before its type is known
  to be a builtin;
* raise :class:`AssertionError` with a Dutch message that says what to change, and never
  reveal the expected value (feedback reaches the learner);
* return ``True`` when the answer is right, so ``assert check_...(...)`` also works.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "check_bool",
    "check_choice",
    "check_choices",
    "check_int",
    "check_number",
    "check_text",
    "normalise_text",
]

_TYPE_NAMES = {
    bool: "bool (True of False)",
    int: "int (geheel getal)",
    float: "float (kommagetal, bijvoorbeeld 12.5)",
    str: 'str (tekst tussen aanhalingstekens, bijvoorbeeld "b")',
    list: 'list (lijst, bijvoorbeeld ["a", "c"])',
}


def _describe(value: object) -> str:
    """A short Dutch description of the learner's value's type (never its content)."""
    kind = type(value)
    module = getattr(kind, "__module__", "")
    name = getattr(kind, "__qualname__", kind.__name__)
    if value is None:
        return "None (nog geen antwoord ingevuld)"
    if module == "builtins":
        return name
    return f"{module}.{name}"


def _require_type(value: object, expected: type, name: str = "je antwoord") -> None:
    if type(value) is not expected:
        advice = ""
        kind = type(value)
        if expected is float and getattr(kind, "__module__", "") == "numpy":
            advice = " Zet het om met float(...), bijvoorbeeld float(reeks.mean())."
        elif expected is int and getattr(kind, "__module__", "") == "numpy":
            advice = " Zet het om met int(...)."
        elif expected is float and kind is int:
            advice = " Schrijf het als kommagetal (bijvoorbeeld 12.0) of gebruik float(...)."
        elif expected is int and kind is float:
            advice = " Rond af en zet om met int(round(...))."
        raise AssertionError(
            f"{name} moet van het type {_TYPE_NAMES.get(expected, expected.__name__)} zijn, "
            f"maar is van het type {_describe(value)}.{advice}"
        )


def normalise_text(text: str) -> str:
    """Compare-ready form of a short text: Unicode NFKC, case-folded, accents kept,
    surrounding punctuation dropped, inner whitespace collapsed to one space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .,;:!?'\"„“”‘’")


def _normalise_letter(value: str) -> str:
    return value.strip().strip(".)").strip().lower()


def check_choice(answer: object, expected: str, options: Iterable[str] | None = None) -> bool:
    """Single choice: ``answer`` must be a ``str`` holding one option letter, e.g. ``"b"``.

    Surrounding spaces, a trailing ``)`` or ``.`` and capitals are forgiven. When
    ``options`` is given, an answer outside it gets its own message."""
    _require_type(answer, str)
    assert type(expected) is str
    given = _normalise_letter(answer)
    if options is not None:
        allowed = [_normalise_letter(str(o)) for o in options]
        if given not in allowed:
            raise AssertionError(
                f"Kies één van de opties {', '.join(repr(o) for o in allowed)}; "
                "geef alleen de letter als tekst, bijvoorbeeld \"b\"."
            )
    if given != _normalise_letter(expected):
        raise AssertionError(
            "Dit is niet het juiste antwoord. Lees "
            "de vraag en de opties nog eens."
        )
    return True


def check_choices(answer: object, expected: Iterable[str]) -> bool:
    """Multiple choice: ``answer`` must be a ``list`` of option letters (``str``), in any
    order, without duplicates, e.g. ``["a", "c"]``. Only the exact set of right options
    counts as right."""
    _require_type(answer, list)
    letters = []
    for item in answer:  # a builtin list: iterating it runs no learner code
        if type(item) is not str:
            raise AssertionError(
                f"Elk element van de lijst moet een letter als tekst zijn (str), maar er staat een "
                f"{_describe(item)} in."
            )
        letters.append(_normalise_letter(item))
    if len(set(letters)) != len(letters):
        raise AssertionError(
            "Je lijst bevat een letter meer dan één "
            "keer; noem elke optie één keer."
        )
    wanted = {_normalise_letter(e) for e in expected}
    if set(letters) != wanted:
        if set(letters) < wanted and letters:
            raise AssertionError("Je antwoord is nog niet compleet: er is meer dan dit goed.")
        raise AssertionError("Deze combinatie van opties is niet juist.")
    return True


def check_number(
    answer: object,
    expected: float,
    abs_tol: float | None = None,
    rel_tol: float | None = None,
) -> bool:
    """Numeric answer: ``answer`` must be a ``float`` (exactly, not a subclass, not numpy)
    within the tolerance of ``expected``. Without tolerances, a tiny relative tolerance
    (1e-9) absorbs rounding noise. NaN and infinity are never right."""
    _require_type(answer, float)
    expected = float(expected)
    if abs_tol is None and rel_tol is None:
        rel_tol = 1e-9
    abs_tol = float(abs_tol or 0.0)
    rel_tol = float(rel_tol or 0.0)
    if abs_tol < 0 or rel_tol < 0:
        raise ValueError("tolerances must be non-negative")
    value = float.__float__(answer)  # the builtin's own conversion, no learner method
    if math.isnan(value) or math.isinf(value):
        raise AssertionError(
            "Je antwoord is geen gewoon getal (NaN of "
            "oneindig). Controleer je berekening."
        )
    if not math.isclose(value, expected, rel_tol=rel_tol, abs_tol=abs_tol):
        raise AssertionError(
            "Dit getal is niet juist (ook niet binnen de toegestane marge). "
            "Controleer welke rijen je meeneemt en in welke eenheid je rekent."
        )
    return True


def check_int(answer: object, expected: int) -> bool:
    """Whole-number answer (a count): ``answer`` must be an ``int`` (not a ``bool``, not
    numpy) equal to ``expected``."""
    _require_type(answer, int)
    if int.__index__(answer) != int(expected):
        raise AssertionError("Dit aantal is niet juist. Controleer welke rijen je telt.")
    return True


def check_bool(answer: object, expected: bool) -> bool:
    """Yes/no answer: ``answer`` must be ``True`` or ``False`` (a ``bool``, not 0/1 or text)."""
    _require_type(answer, bool)
    if answer is not bool(expected):
        raise AssertionError("Dit is niet het juiste antwoord (True/False).")
    return True


def check_text(answer: object, accepted: Iterable[str]) -> bool:
    """Short text answer: ``answer`` must be a ``str`` that, after normalisation (case,
    spaces, surrounding punctuation), equals one of the ``accepted`` answers."""
    _require_type(answer, str)
    given = normalise_text(str.__str__(answer))
    if not given:
        raise AssertionError("Je antwoord is leeg; vul een woord of korte term in.")
    if given not in {normalise_text(a) for a in accepted}:
        raise AssertionError(
            "Dit antwoord wordt niet herkend als juist. "
            "Controleer begrip en spelling."
        )
    return True
