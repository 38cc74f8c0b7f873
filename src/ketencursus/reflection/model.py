"""The reflection model: prompts, answers and validation as plain Python (no widgets).

A learner's answers to all reflection exercises form one *workbook*: a versioned JSON
document ``{"format", "schema_version", "answers": {exercise: {prompt: {"value", "updated"}}}}``.
The view (``view.py``) only binds widgets to this model; the store (``store.py``) persists it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import jsonschema

from ketencursus.errors import UserError

FORMAT = "ketencursus-reflecties"
SCHEMA_VERSION = 1

#: Longest text answer accepted (characters); far above any realistic reflection.
MAX_TEXT_LENGTH = 20_000
#: Most rows in a habit log.
MAX_LOG_ENTRIES = 200

LIKERT_LABELS: dict[int, str] = {
    1: "helemaal oneens",
    2: "oneens",
    3: "neutraal",
    4: "eens",
    5: "helemaal eens",
}

#: Shown with every exercise, in the notebook, the book page and the portfolio.
PRIVACY_NOTE = (
    "Noem geen namen van personen; beschrijf rollen (bijvoorbeeld „teamleider bij de "
    "gemeente” of „functioneel beheerder bij de partner”)."
)

WORKBOOK_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Antwoorden op de reflectie-oefeningen van ketencursus",
    "type": "object",
    "required": ["format", "schema_version", "answers"],
    "properties": {
        "format": {"const": FORMAT},
        "schema_version": {"const": SCHEMA_VERSION},
        "answers": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "required": ["value", "updated"],
                    "properties": {
                        "value": {},
                        "updated": {"type": "string", "minLength": 1},
                    },
                    "additionalProperties": False,
                },
            },
        },
    },
}


class ValidationError(UserError, ValueError):
    """An answer that does not fit its prompt. ``str(error)`` is a Dutch message for the learner."""


class SchemaError(UserError, ValueError):
    """A workbook document that is not (this version of) the answers format."""


def now_iso() -> str:
    """The current time as an ISO 8601 UTC timestamp with seconds, e.g. ``2026-11-27T06:10:00Z``."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --------------------------------------------------------------------------- prompts


@dataclass(frozen=True)
class LikertPrompt:
    """A statement scored 1 (helemaal oneens) to 5 (helemaal eens), or unanswered (None)."""

    id: str
    text: str
    dimension: str
    pillar: str
    reverse: bool = False
    kind: str = field(default="likert", init=False)

    @property
    def label(self) -> str:
        return self.text

    def validate(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value not in LIKERT_LABELS:
            raise ValidationError(
                f"Kies bij de stelling „{self.text}” een score van 1 (helemaal oneens) "
                "tot en met 5 (helemaal eens)."
            )
        return value

    def score(self, value: int) -> int:
        """The value on the 1–5 scale where higher is better for the chain."""
        return 6 - value if self.reverse else value


@dataclass(frozen=True)
class TextPrompt:
    """An open question answered in free text."""

    id: str
    label: str
    question: str
    placeholder: str = ""
    required: bool = False
    kind: str = field(default="text", init=False)

    def validate(self, value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValidationError(f"Het antwoord bij „{self.label}” moet tekst zijn.")
        if len(value) > MAX_TEXT_LENGTH:
            raise ValidationError(
                f"Het antwoord bij „{self.label}” is {len(value)} tekens lang; het maximum is "
                f"{MAX_TEXT_LENGTH}. Kort het in of verdeel het over meer vragen. "
                "Je tekst staat nog in het invulveld maar is niet opgeslagen."
            )
        return value


@dataclass(frozen=True)
class ChoicePrompt:
    """Pick any number of options (stored as a list of option ids, in option order)."""

    id: str
    label: str
    options: tuple[tuple[str, str], ...]
    question: str = ""
    context: str = ""
    required: bool = False
    kind: str = field(default="choice", init=False)

    def validate(self, value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
            raise ValidationError(f"Het antwoord bij „{self.label}” moet een lijst keuzes zijn.")
        known = [option_id for option_id, _ in self.options]
        unknown = [v for v in value if v not in known]
        if unknown:
            raise ValidationError(
                f"Onbekende keuze bij „{self.label}”: {', '.join(map(str, unknown))}. "
                f"Kies uit: {', '.join(known)}."
            )
        chosen = set(value)
        return [option_id for option_id in known if option_id in chosen]


@dataclass(frozen=True)
class DatePrompt:
    """A date, stored as ``YYYY-MM-DD`` (or empty)."""

    id: str
    label: str
    question: str
    required: bool = False
    kind: str = field(default="date", init=False)

    def validate(self, value: Any) -> str:
        if value in (None, ""):
            return ""
        text = value.isoformat() if hasattr(value, "isoformat") else value
        if not isinstance(text, str):
            raise ValidationError(f"Vul bij „{self.label}” een datum in.")
        try:
            return datetime.strptime(text[:10], "%Y-%m-%d").date().isoformat()
        except ValueError:
            raise ValidationError(
                f"„{text}” is geen geldige datum bij „{self.label}”. Gebruik de vorm JJJJ-MM-DD."
            ) from None


@dataclass(frozen=True)
class SelectPrompt:
    """Pick one option or none (stored as the option id, ``""`` for none)."""

    id: str
    label: str
    question: str
    options: tuple[tuple[str, str], ...]
    required: bool = False
    kind: str = field(default="select", init=False)

    def validate(self, value: Any) -> str:
        if value in (None, ""):
            return ""
        known = [option_id for option_id, _ in self.options]
        if value not in known:
            raise ValidationError(
                f"Onbekende keuze bij „{self.label}”: {value}. Kies uit: {', '.join(known)}."
            )
        return str(value)


@dataclass(frozen=True)
class RowField:
    """One field of a row in a :class:`TablePrompt`: free text (``text`` one line,
    ``textarea`` several lines) or a choice (``select``, options with ``""`` = not chosen)."""

    id: str
    label: str
    heading: str
    kind: str = "textarea"
    placeholder: str = ""
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TablePrompt:
    """A growing list of rows, each with the same fields (a habit log, partners and their
    expected resistance). Stored as a list of ``{field id: text}``."""

    id: str
    label: str
    row_label: str
    fields: tuple[RowField, ...]
    add_label: str
    initial_rows: int = 3
    required: bool = False
    kind: str = field(default="table", init=False)

    def validate(self, value: Any) -> list[dict[str, str]]:
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            raise ValidationError(f"Het antwoord bij „{self.label}” moet een lijst regels zijn.")
        if len(value) > MAX_LOG_ENTRIES:
            raise ValidationError(
                f"„{self.label}” heeft {len(value)} regels; het maximum is {MAX_LOG_ENTRIES}."
            )
        rows = []
        for number, row in enumerate(value, start=1):
            if not isinstance(row, Mapping):
                raise ValidationError(f"Regel {number} van „{self.label}” is geen regel.")
            clean = {}
            for row_field in self.fields:
                item = row.get(row_field.id, "")
                item = "" if item is None else item
                if not isinstance(item, str):
                    raise ValidationError(
                        f"Regel {number}, veld „{row_field.heading}”: vul tekst in."
                    )
                if len(item) > MAX_TEXT_LENGTH:
                    raise ValidationError(
                        f"Regel {number}, veld „{row_field.heading}” is te lang "
                        f"(maximum {MAX_TEXT_LENGTH} tekens)."
                    )
                if row_field.options and item not in {key for key, _ in row_field.options}:
                    raise ValidationError(
                        f"Regel {number}, veld „{row_field.heading}”: kies een van de "
                        "mogelijkheden uit de lijst."
                    )
                clean[row_field.id] = item
            rows.append(clean)
        return rows


Prompt = LikertPrompt | TextPrompt | ChoicePrompt | SelectPrompt | DatePrompt | TablePrompt


@dataclass(frozen=True)
class Exercise:
    """One reflection exercise: an id, a Dutch title and introduction, and its prompts."""

    id: str
    title: str
    intro: str
    prompts: tuple[Prompt, ...]
    chapter: str = ""
    #: Further paragraphs shown under the introduction (e.g. what the result means).
    notes: tuple[str, ...] = ()
    #: How the exercise turns answers into feedback (``derive.Rule`` objects, in order).
    rules: tuple[Any, ...] = ()

    def prompt(self, prompt_id: str) -> Prompt:
        for prompt in self.prompts:
            if prompt.id == prompt_id:
                return prompt
        raise KeyError(f"Oefening {self.id} heeft geen vraag {prompt_id!r}.")

    def to_json(self) -> dict[str, Any]:
        """The whole definition as plain data: what the book page's script renders from."""
        return {
            "id": self.id,
            "title": self.title,
            "intro": self.intro,
            "chapter": self.chapter,
            "notes": list(self.notes),
            "privacy": PRIVACY_NOTE,
            "prompts": [_plain(asdict(p)) for p in self.prompts],
            "rules": [rule.to_json() for rule in self.rules],
        }


def _plain(value: Any) -> Any:
    """Tuples to lists, recursively (JSON has only arrays)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class Answer:
    value: Any
    updated: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": copy.deepcopy(self.value), "updated": self.updated}


def is_empty(value: Any) -> bool:
    """True for an answer that holds nothing a learner wrote or chose."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        if value and isinstance(value[0], Mapping):
            return all(not any(str(v).strip() for v in row.values()) for row in value)
        return not value
    return False


class Workbook:
    """All answers of one learner, keyed by exercise id and prompt id."""

    def __init__(self, answers: Mapping[str, Mapping[str, Answer]] | None = None) -> None:
        self.answers: dict[str, dict[str, Answer]] = {
            ex: dict(prompts) for ex, prompts in (answers or {}).items()
        }

    # -- access
    def get(self, exercise_id: str, prompt_id: str, default: Any = None) -> Any:
        answer = self.answers.get(exercise_id, {}).get(prompt_id)
        return default if answer is None else copy.deepcopy(answer.value)

    def answer(self, exercise_id: str, prompt_id: str) -> Answer | None:
        return self.answers.get(exercise_id, {}).get(prompt_id)

    def set(self, exercise: Exercise, prompt_id: str, value: Any, when: str | None = None) -> Any:
        """Validate ``value`` for the prompt and record it; returns the stored value."""
        clean = exercise.prompt(prompt_id).validate(value)
        self.answers.setdefault(exercise.id, {})[prompt_id] = Answer(clean, when or now_iso())
        return clean

    def count(self) -> int:
        return sum(
            1
            for prompts in self.answers.values()
            for a in prompts.values()
            if not is_empty(a.value)
        )

    # -- serialisation
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "answers": {
                ex: {pid: a.to_dict() for pid, a in sorted(prompts.items())}
                for ex, prompts in sorted(self.answers.items())
            },
        }

    @classmethod
    def from_dict(cls, data: Any) -> Workbook:
        """Build a workbook from a document, raising ``SchemaError`` (Dutch) if it is not one."""
        data = migrate(data)
        try:
            jsonschema.validate(data, WORKBOOK_SCHEMA)
        except jsonschema.ValidationError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "(hoofdniveau)"
            raise SchemaError(
                f"Het antwoordenbestand klopt niet met het verwachte formaat (bij {where}: "
                f"{exc.message})."
            ) from None
        return cls(
            {
                ex: {pid: Answer(a["value"], a["updated"]) for pid, a in prompts.items()}
                for ex, prompts in data["answers"].items()
            }
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Workbook) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"Workbook({self.count()} antwoorden)"


def migrate(data: Any) -> Any:
    """Bring an older document up to ``SCHEMA_VERSION``; refuse newer ones (Dutch message).

    Version 1 is the first version; this is where later versions add their upgrade steps.
    """
    if not isinstance(data, Mapping):
        raise SchemaError("Het antwoordenbestand bevat geen antwoorden (geen JSON-object).")
    if data.get("format") != FORMAT:
        raise SchemaError(
            "Dit is geen antwoordenbestand van ketencursus (het veld „format” ontbreekt of "
            "klopt niet)."
        )
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise SchemaError(
            f"Dit antwoordenbestand heeft versie {version}, nieuwer dan deze cursusversie "
            f"({SCHEMA_VERSION}) kent. Werk het pakket ketencursus bij om het te openen."
        )
    return data


@dataclass
class MergeReport:
    """What an import changed: counts for the Dutch summary shown to the learner."""

    added: int = 0
    replaced: int = 0
    kept_newer: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        parts = [f"{self.added} antwoord(en) toegevoegd", f"{self.replaced} bijgewerkt"]
        if self.kept_newer:
            parts.append(
                f"{self.kept_newer} keer was jouw huidige antwoord nieuwer en is dat behouden"
            )
        if self.unchanged:
            parts.append(f"{self.unchanged} waren al gelijk")
        return "Import klaar: " + ", ".join(parts) + "."


def merge(current: Workbook, incoming: Workbook) -> tuple[Workbook, MergeReport]:
    """Merge ``incoming`` into a copy of ``current``: per prompt the newest answer wins.

    An answer in ``incoming`` that is not in ``current`` is always added; an equal timestamp
    keeps the incoming value (the import restores what the learner downloaded).
    """
    result = Workbook(current.answers)
    report = MergeReport()
    for ex, prompts in incoming.answers.items():
        target = result.answers.setdefault(ex, {})
        for pid, answer in prompts.items():
            mine = target.get(pid)
            if mine is None:
                target[pid] = answer
                report.added += 1
            elif mine == answer:
                report.unchanged += 1
            elif answer.updated >= mine.updated:
                target[pid] = answer
                report.replaced += 1
            else:
                report.kept_newer += 1
    return result, report
