"""The wire protocol between the grader and the two runners in the sandbox: ONE definition.

This file is imported on both sides: by the grader (``ketencursus.grading.protocol``) and,
copied next to the runners into the sandbox (``/sandbox/protocol.py``), by
``_learner_runner.py`` and ``_test_runner.py`` (``import protocol``). So it holds only the
standard library.

Job (grader -> runner, one JSON document on stdin)::

    learner runner: {"steps": [Step, ...], "cell_timeout": s, "output_limit": n,
                     "image_limit": n}
    test runner:    {"tests": [{"test": id, "code": str, "values": {name: plain}}],
                     "timeout": s}

Messages (runner -> grader, one JSON object per line on the runner's private channel)::

    {"t": "ready"}                                   before any learner code runs
    {"t": "start", "cell": i}
    {"t": "done", "cell": i, "status": "ok"|"error", "outputs": [nbformat output, ...]}
    {"t": "snapshot", "test": id, "values": {name: plain}, "problems": {name: reason}}
    {"t": "end"}
    {"t": "result", "test": id, "passed": bool, "error": str|None, "message": str,
     "from_checks": bool}                           (test runner)

Every byte from the sandbox is hostile: the learner's code runs in the learner runner's
process and can write anything to the channel. The grader therefore never trusts a message:
:func:`parse_message` turns one line into a validated, normalised message (or ``None``),
:func:`check_plain` bounds answer values without recursion, :func:`clean_text` removes what
no text may hold (lone surrogates, NUL and other control characters) and bounds it.
"""

from __future__ import annotations

import json
import math
from typing import Any, Literal, TypedDict, cast

# ---- message kinds and keys --------------------------------------------------------------
KIND = "t"
READY = "ready"
START = "start"
DONE = "done"
SNAPSHOT = "snapshot"
END = "end"
RESULT = "result"

STEP_CODE = "code"
STEP_SNAPSHOT = "snapshot"

STATUS_OK = "ok"
STATUS_ERROR = "error"

MISSING = "missing"  # a snapshot problem: the name does not exist
NOT_PLAIN = "not-plain"  # a snapshot problem prefix: "not-plain: <why>"

# ---- bounds --------------------------------------------------------------------------------
MAX_DEPTH = 20
MAX_ITEMS = 100_000
MAX_VALUE_CHARS = 1_000_000
MAX_INT_BITS = 10_000  # about 3000 digits; json refuses ints over 4300 digits
MAX_LINE_BYTES = 8 * 1024 * 1024
MAX_TEXT_LINE = 2_000  # characters per line of learner text in instructor-facing files
MAX_ID_CHARS = 200


class CodeStep(TypedDict):
    kind: Literal["code"]
    cell: int
    source: str


class SnapshotStep(TypedDict):
    kind: Literal["snapshot"]
    test: str
    names: list[str]


class Snapshot(TypedDict):
    values: dict[str, Any]
    problems: dict[str, str]


class TestOutcome(TypedDict):
    test: str
    passed: bool
    error: str | None
    message: str
    from_checks: bool


# ---- text ----------------------------------------------------------------------------------
_ALLOWED_CONTROL = {"\n", "\t"}


def clean_text(value: object, limit: int | None = None, line_limit: int = MAX_TEXT_LINE
               ) -> str:
    """``value`` as safe text: a ``str`` only (anything else becomes ``""``); lone
    surrogates, NUL and control characters (terminal escapes included) become U+FFFD,
    except newline and tab; ``\\r`` becomes a newline; lines longer than ``line_limit`` are
    cut; the whole is cut to ``limit`` characters."""
    if type(value) is not str:
        return ""
    if limit is not None and len(value) > limit:
        value = value[:limit]
    out = []
    for ch in value:
        code = ord(ch)
        if ch in _ALLOWED_CONTROL:
            out.append(ch)
        elif ch == "\r":
            out.append("\n")
        elif code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(ch)
    text = "".join(out)
    if line_limit and len(text) > line_limit:
        lines = []
        for line in text.split("\n"):
            if len(line) > line_limit:
                line = line[:line_limit] + " [… regel ingekort]"
            lines.append(line)
        text = "\n".join(lines)
    return text


def safe_id(value: object) -> str | None:
    """A test or notebook id from a message: a short ``str`` without odd characters."""
    if type(value) is not str or not value or len(value) > MAX_ID_CHARS:
        return None
    if clean_text(value, line_limit=0) != value:
        return None
    return value


def safe_int(value: object) -> int | None:
    """A cell index from a message: a small non-negative ``int`` (not a ``bool``)."""
    if type(value) is not int or not 0 <= value < 1_000_000:
        return None
    return value


# ---- answer values -------------------------------------------------------------------------
class NotPlain(Exception):
    """A value that is not bounded plain data (int, float, str, bool, None, list, dict)."""


def check_plain(value: object) -> object:
    """``value`` if it is bounded plain data, else raise :class:`NotPlain`. Iterative (no
    recursion, so a 100000-deep list cannot overflow the stack) and with EXACT types."""
    items = 0
    chars = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        current, depth = stack.pop()
        items += 1
        if items > MAX_ITEMS or depth > MAX_DEPTH:
            raise NotPlain("te groot of te diep genest")
        kind = type(current)
        if current is None or kind is bool:
            continue
        if kind is int:
            if int.bit_length(current) > MAX_INT_BITS:  # type: ignore[arg-type]
                raise NotPlain("een te groot geheel getal")
            chars += 8
        elif kind is float:
            chars += 8
        elif kind is str:
            chars += len(current)  # type: ignore[arg-type]
        elif kind is list:
            stack.extend((item, depth + 1) for item in list.__iter__(cast(list, current)))
        elif kind is dict:
            for key, item in dict.items(cast(dict, current)):
                if type(key) is not str:
                    raise NotPlain("een woordenboek met een sleutel die geen tekst is")
                chars += len(key)
                stack.append((item, depth + 1))
        else:
            raise NotPlain(f"type {kind.__name__}")
        if chars > MAX_VALUE_CHARS:
            raise NotPlain("te groot")
    return value


def _reject_constant(name: str) -> float:
    # NaN and infinity are a learner's possible answer values (the checks refuse them)
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[name]


def loads(line: bytes) -> object | None:
    """One protocol line as JSON, or ``None`` when it is not valid (too long, not UTF-8, not
    JSON, too deep, an int with too many digits): never raises."""
    if len(line) > MAX_LINE_BYTES:
        return None
    try:
        return json.loads(line.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError, MemoryError, OverflowError):
        return None


def dumps(message: object) -> str:
    """One protocol line (ASCII only, so no character can break the channel)."""
    return json.dumps(message, ensure_ascii=True, allow_nan=True)


def parse_snapshot(message: dict) -> tuple[str, Snapshot] | None:
    """A snapshot message's test id and its values (bounded plain data) and problems."""
    test = safe_id(message.get("test"))
    values = message.get("values")
    problems = message.get("problems")
    if test is None or type(values) is not dict or type(problems) is not dict:
        return None
    clean_values: dict[str, Any] = {}
    clean_problems: dict[str, str] = {}
    for name, reason in problems.items():
        if safe_id(name) is not None and type(reason) is str:
            clean_problems[name] = clean_text(reason, 200, 0)
    for name, value in values.items():
        if safe_id(name) is None:
            continue
        try:
            clean_values[name] = check_plain(value)
        except NotPlain as exc:
            clean_problems[name] = f"{NOT_PLAIN}: {exc}"
    return test, {"values": clean_values, "problems": clean_problems}


def parse_outcome(message: dict) -> TestOutcome | None:
    """A test runner's result line, normalised (anything unexpected: ``None``)."""
    test = safe_id(message.get("test"))
    if test is None or type(message.get("passed")) is not bool:
        return None
    error = message.get("error")
    return {
        "test": test,
        "passed": message["passed"],
        "error": clean_text(error, 200, 0) if type(error) is str else None,
        "message": clean_text(message.get("message"), 1000),
        "from_checks": message.get("from_checks") is True,
    }
