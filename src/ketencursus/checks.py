"""Pure check functions for the hidden tests of the graded assignments.

Every autograded test cell calls these functions on a learner's answer variable (plain data:
int, float, str, bool, None, list, dict). The same cell runs in two places: in stock nbgrader
(inside the learner's kernel) and in the sandboxed grader (in a fresh interpreter, with the
answer bound to a value deserialised from JSON). So the functions:

* verify the **exact** type first (``type(x) is float``, never ``isinstance``; ``bool`` is not
  ``int``; a hostile subclass is not a ``float``) and only then the value, with code that
  never calls a method of the learner's object before its type is known to be a builtin. A
  scalar of an exact numpy type (``numpy.float64``, ``numpy.int64``, ``numpy.bool_``,
  ``numpy.str_``: what pandas computes) counts as its plain value; subclasses of those (any
  class defined in Python) still do not;
* raise :class:`AssertionError` with a Dutch message that says what to change, and never
  reveal the expected value (feedback reaches the learner);
* return ``True`` when the answer is right, so ``assert check_...(...)`` also works.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Iterable
from typing import cast

__all__ = [
    "check_bool",
    "check_choice",
    "check_choices",
    "check_int",
    "check_number",
    "check_text",
    "normalise_text",
    "parse_text_answer",
    "TextAnswerError",
    "TEXT_FORMATS",
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


_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: set for every class defined in Python code
_NUMPY_PLAIN = {
    **{name: float for name in ("float64", "float32", "float16")},
    **{name: int for name in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                              "uint64", "intc", "uintc", "longlong", "ulonglong")},
    "bool": bool,
    "bool_": bool,
    "str_": str,
}


def plain_scalar(value: object) -> object:
    """``value`` itself, or the plain Python value of a scalar of an EXACT numpy type.

    A numpy scalar type is a C type (never a heap type) whose ``__module__`` is ``numpy``
    and which numpy itself exports under that name; its ``item()`` is numpy's own code, so
    calling it runs nothing of the learner's. Any class written in Python (a subclass of
    ``numpy.float64``, a class that merely claims ``__module__ = "numpy"``) is returned
    unchanged, and so is refused by the type checks."""
    kind = type(value)
    if kind.__flags__ & _HEAPTYPE or getattr(kind, "__module__", None) != "numpy":
        return value
    numpy = sys.modules.get("numpy")
    if numpy is None:
        return value
    target = _NUMPY_PLAIN.get(getattr(kind, "__name__", ""))
    if target is None or getattr(numpy, kind.__name__, None) is not kind:
        return value
    item = kind.item(value)
    if type(item) is not target:
        return value
    return item


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
    answer = plain_scalar(answer)
    _require_type(answer, str)
    assert type(expected) is str
    given = _normalise_letter(cast(str, answer))
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
    item: object
    for item in list.__iter__(cast(list, answer)):  # a builtin list: runs no learner code
        item = plain_scalar(item)
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
    """Numeric answer: ``answer`` must be a ``float`` (exactly, not a subclass; an exact
    ``numpy.float64`` counts as its value) within the tolerance of ``expected``. Without
    tolerances, a tiny relative tolerance (1e-9) absorbs rounding noise. NaN and infinity
    are never right."""
    answer = plain_scalar(answer)
    _require_type(answer, float)
    expected = float(expected)
    if abs_tol is None and rel_tol is None:
        rel_tol = 1e-9
    abs_tol = float(abs_tol or 0.0)
    rel_tol = float(rel_tol or 0.0)
    if abs_tol < 0 or rel_tol < 0:
        raise ValueError("tolerances must be non-negative")
    value = float.__float__(cast(float, answer))  # the builtin conversion, no learner code
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
    """Whole-number answer (a count): ``answer`` must be an ``int`` (not a ``bool``; an exact
    numpy integer counts as its value) equal to ``expected``."""
    answer = plain_scalar(answer)
    _require_type(answer, int)
    if int.__index__(cast(int, answer)) != int(expected):
        raise AssertionError("Dit aantal is niet juist. Controleer welke rijen je telt.")
    return True


def check_bool(answer: object, expected: bool) -> bool:
    """Yes/no answer: ``answer`` must be ``True`` or ``False`` (a ``bool``, not 0/1 or text)."""
    answer = plain_scalar(answer)
    _require_type(answer, bool)
    if answer is not bool(expected):
        raise AssertionError("Dit is niet het juiste antwoord (True/False).")
    return True


def check_text(answer: object, accepted: Iterable[str]) -> bool:
    """Short text answer: ``answer`` must be a ``str`` that, after normalisation (case,
    spaces, surrounding punctuation), equals one of the ``accepted`` answers."""
    answer = plain_scalar(answer)
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


# ---------------------------------------------------------------------------------------
# Plain answers typed without Python (a markdown answer cell), parsed in the GRADER
# ---------------------------------------------------------------------------------------
TEXT_FORMATS = ("letter", "letters", "number", "term")
MAX_TEXT_ANSWER_CHARS = 2000  # what is looked at at all; the rest is a garbled answer
MAX_TERM_CHARS = 200
MAX_NUMBER_DIGITS = 30
MAX_LETTERS = 26


class TextAnswerError(ValueError):
    """A typed answer that cannot be read as the asked format; the message is a Dutch hint
    for the learner (it never contains the expected answer)."""


_MARKUP = re.compile(r"<!--.*?-->", re.DOTALL)
_WRAPPERS = "*_`~\"'„“”‘’«»"
_DASHES = "\u2212\u2012\u2013\u2014\ufe63\uff0d"
_LETTER_SPLIT = re.compile(r"\s*(?:,|;|/|&|\+|\ben\b|\band\b|\s)\s*", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")


def _clean_typed(text: object, number: bool) -> str:
    if type(text) is not str:
        raise TextAnswerError("Je antwoord is geen tekst; typ je antwoord in de antwoordcel.")
    if len(text) > MAX_TEXT_ANSWER_CHARS:
        raise TextAnswerError(
            "Je antwoord is veel te lang; typ alleen het antwoord zelf, zonder uitleg."
        )
    # lone surrogates, NUL and other control characters are never part of an answer
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cs", "Cc", "Cf")
                   or ch in "\n\t")
    text = unicodedata.normalize("NFKC", _MARKUP.sub(" ", text))
    lines = [line.strip() for line in text.splitlines()]
    # markdown decoration a learner may type around an answer: quote, list bullet, heading
    # ("- 5" stays a negative number)
    bullet = r"^(?:>\s*|[*+]\s+|#{1,6}\s+)+" if number else r"^(?:>\s*|[-*+]\s+|#{1,6}\s+)+"
    lines = [re.sub(bullet, "", line) for line in lines]
    text = " ".join(line for line in lines if line)
    text = re.sub(r"\s+", " ", text).strip()
    while text and text[0] in _WRAPPERS and text[-1] in _WRAPPERS:
        text = text[1:-1].strip()
    if not text:
        raise TextAnswerError("Je hebt nog geen antwoord ingevuld.")
    return text


def _letter(token: str) -> str | None:
    token = token.strip().strip(".)(:").strip()
    if len(token) == 1 and "a" <= token.lower() <= "z":
        return token.lower()
    return None


def _number(text: str) -> float:
    hint = (
        "Typ alleen een getal, bijvoorbeeld 12,5 (een komma of een punt voor de decimalen, "
        "geen eenheid of uitleg)."
    )
    for dash in _DASHES:
        text = text.replace(dash, "-")
    text = text.replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
    if text.endswith("%"):
        text = text[:-1]
    if sum(ch.isdigit() for ch in text) > MAX_NUMBER_DIGITS:
        raise TextAnswerError("Dit getal is te lang. " + hint)
    if "," in text and "." in text:
        # both: the last one separates the decimals, the other groups thousands (1.234,5)
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if decimal == "," else ","
        whole, _, fraction = text.rpartition(decimal)
        sign = whole[:1] if whole[:1] in "+-" else ""
        groups = whole[len(sign):].split(group)
        if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            raise TextAnswerError("Dit getal kan ik niet lezen. " + hint)
        text = sign + "".join(groups) + "." + fraction
    elif text.count(".") > 1 or text.count(",") > 1:
        group = "." if "." in text else ","
        sign = text[:1] if text[:1] in "+-" else ""
        groups = text[len(sign):].split(group)
        if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            raise TextAnswerError("Dit getal kan ik niet lezen. " + hint)
        text = sign + "".join(groups)
    else:
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        raise TextAnswerError("Dit is geen getal. " + hint)
    return float(text)  # ASCII digits, one point and a sign only: never inf, never NaN


def parse_text_answer(text: object, format: str) -> object:  # noqa: A002 - the agreed name
    """The plain answer value of an answer typed in a markdown cell (no Python syntax).

    ``format`` (from the cell's ``ketencursus`` metadata):

    * ``"letter"``: one option letter, e.g. ``B``, ``b)`` or ``(b)`` -> ``"b"``;
    * ``"letters"``: option letters separated by commas, spaces, ``;``, ``/`` or "en",
      e.g. ``a, c`` or ``A en C`` -> ``["a", "c"]`` (in the order typed);
    * ``"number"``: a number with a decimal comma or point, optionally with thousands
      grouped (``1.234,5`` / ``1,234.5`` / ``1 234,5``), a sign and a trailing ``%`` (the
      number as written: ``71%`` -> ``71.0``) -> a ``float``;
    * ``"term"``: a short text (at most 200 characters) -> a ``str`` with whitespace
      collapsed (the checks normalise case and punctuation themselves).

    Markdown decoration around the answer (``**b**``, ``> b``, ``- b``, HTML comments) is
    ignored. The text is hostile input: its length is bounded, it is never evaluated, and
    anything that does not fit the format raises :class:`TextAnswerError` with a Dutch hint.
    """
    if format not in TEXT_FORMATS:
        raise ValueError(f"unknown text answer format {format!r}; use one of {TEXT_FORMATS}")
    clean = _clean_typed(text, number=format == "number")
    if format == "letter":
        letter = _letter(clean)
        if letter is None:
            raise TextAnswerError(
                "Typ alleen de letter van één optie, bijvoorbeeld b (zonder uitleg)."
            )
        return letter
    if format == "letters":
        tokens = [t for t in _LETTER_SPLIT.split(clean) if t and t.strip(".)(:")]
        letters = [_letter(t) for t in tokens]
        if not letters or any(letter is None for letter in letters) \
                or len(letters) > MAX_LETTERS:
            raise TextAnswerError(
                "Typ de letters van de opties die je kiest, gescheiden door komma's, "
                "bijvoorbeeld a, c (zonder uitleg)."
            )
        return [letter for letter in letters if letter is not None]
    if format == "number":
        return _number(clean)
    if len(clean) > MAX_TERM_CHARS:
        raise TextAnswerError(
            f"Je antwoord is te lang (meer dan {MAX_TERM_CHARS} tekens); typ alleen het "
            "begrip of de korte term."
        )
    return clean
