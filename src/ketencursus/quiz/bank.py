"""The question bank: YAML files (one per chapter) validated against a versioned JSON schema.

Layout: ``exercises/bank/h<n>.yml``, each ``{schema_version, chapter, questions: [...]}``.
The schema ships inside the package (``quiz/schema/question.schema.json``) because the
learner-facing release has no ``exercises/`` directory.

Every problem is reported, in Dutch, with the file, the question id and the field, e.g.::

    exercises/bank/h4.yml: vraag h4-03, veld 'options[1].feedback': verplicht veld ontbreekt
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ketencursus.errors import UserError
from ketencursus.objectives import Objective
from ketencursus.quiz import scoring

SCHEMA_VERSION = 2  # what new files declare; version 1 files are still read
SCHEMA_VERSIONS = (1, 2)
SCHEMA_RESOURCE = "question.schema.json"
EVIDENCE_KINDS = ("recognition", "computation", "production")
EVIDENCE_NL = {"recognition": "herkennen", "computation": "berekenen", "production": "produceren"}
# The evidence an item type gives unless the item says otherwise (field ``evidence``).
DEFAULT_EVIDENCE = {"single": "recognition", "multiple": "recognition",
                    "numeric": "computation", "text": "recognition"}
TYPES_NL = {
    "single": "meerkeuze (één antwoord)",
    "multiple": "meerkeuze (meer antwoorden)",
    "numeric": "getal",
    "text": "kort antwoord",
}


class BankError(UserError, ValueError):
    """One or more problems in the question bank; ``problems`` holds one message each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def user_message(self) -> str:
        listed = "\n".join(f"  - {problem}" for problem in self.problems)
        return f"de vragenbank bevat fouten; verbeter ze en probeer opnieuw:\n{listed}"


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool
    feedback: str
    # Why a learner would pick this wrong option (the misconception it stands for); for the
    # item writer and the instructor, never shown to learners. None for right options.
    misconception: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    chapter: str
    title: str
    objective: str
    type: str
    use: str
    points: float
    question: str
    source: str  # the file it came from, for messages
    context: str | None = None
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float | None = None
    unit: str | None = None
    units: tuple[str, ...] = ()  # unit spellings accepted after a number (numeric items)
    accepted: tuple[str, ...] = ()
    feedback_correct: str | None = None
    feedback_incorrect: str | None = None
    explanation: str | None = None
    evidence: str = "recognition"

    @property
    def variable(self) -> str:
        """The learner's answer variable in a graded notebook, e.g. ``antwoord_h4_03``."""
        return "antwoord_" + self.id.replace("-", "_")

    @property
    def correct_options(self) -> list[str]:
        return [o.id for o in self.options if o.correct]

    @property
    def wrong_options(self) -> list[str]:
        return [o.id for o in self.options if not o.correct]

    def score(self, response: object) -> float:
        """The fraction (0..1) a response earns; the one rule behind the book's self-check,
        the Moodle fractions and the graded notebooks (see :mod:`ketencursus.quiz.scoring`).

        ``response``: single: a letter; multiple: letters (a list, or a string such as
        ``"a, c"``); numeric: a number or a text with a Dutch decimal comma; text: a text.
        An empty or unreadable response scores 0."""
        if self.type == "single":
            return 1.0 if _letters(response) == self.correct_options else 0.0
        if self.type == "multiple":
            return scoring.selection_fraction(_letters(response), self.correct_options,
                                              self.wrong_options)
        if self.type == "numeric":
            value = _number(response, self.units)
            if value is None or self.answer is None:
                return 0.0
            return scoring.number_fraction(value, float(self.answer), float(self.tolerance or 0))
        given = scoring.normalise_text(str(response)) if isinstance(response, str) else ""
        return 1.0 if given and given in {scoring.normalise_text(a) for a in self.accepted} \
            else 0.0

    @property
    def is_graded(self) -> bool:
        return self.use == "graded"

    def answer_strings(self) -> list[str]:
        """Texts that give a graded item's answer away: per-option feedback, the accepted
        texts, the feedback on a right answer and the explanation. (Option texts are the
        question; ``feedback_incorrect`` explains the method only and doubles as the hint a
        learner sees after a wrong answer, so it must never name the answer.)"""
        texts = [o.feedback for o in self.options]
        texts += list(self.accepted)
        extra = (self.feedback_correct, self.explanation)
        texts += [t for t in extra if t]
        return texts


@dataclass
class Bank:
    questions: list[Question] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def __iter__(self):
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def chapter(self, chapter: str) -> list[Question]:
        return [q for q in self.questions if q.chapter == chapter]

    def selfcheck(self, chapter: str | None = None) -> list[Question]:
        return [q for q in self.questions if q.use == "selfcheck" and chapter in (None, q.chapter)]

    def graded(self, chapter: str | None = None) -> list[Question]:
        return [q for q in self.questions if q.use == "graded" and chapter in (None, q.chapter)]

    def chapters(self) -> list[str]:
        return sorted({q.chapter for q in self.questions}, key=lambda c: int(c[1:]))


def _letters(response: object) -> list[str]:
    if isinstance(response, str):
        parts = re.split(r"[\s,;]+", response)
    elif isinstance(response, (list, tuple, set, frozenset)):
        parts = [p for p in response if isinstance(p, str)]
    else:
        return []
    return [p.strip().strip(".)").strip().lower() for p in parts if p.strip().strip(".)")]


def _number(response: object, units: tuple[str, ...] = ()) -> float | None:
    """A number from a response; a text may use a Dutch decimal comma and end in one of
    ``units`` (as the book's self-check and Moodle accept)."""
    if isinstance(response, bool):
        return None
    if isinstance(response, (int, float)):
        return float(response)
    if not isinstance(response, str):
        return None
    text = response.strip()
    for unit in sorted(units, key=len, reverse=True):
        if unit and text.casefold().endswith(unit.casefold()):
            text = text[: len(text) - len(unit)]
            break
    text = re.sub(r"[\s\u00a0]", "", text)
    if re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "")
    text = text.replace(",", ".", 1)
    try:
        return float(text) if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text) \
            else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    text = resources.files("ketencursus.quiz.schema").joinpath(SCHEMA_RESOURCE).read_text("utf-8")
    return json.loads(text)


def _field_path(parts: list[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _dutch(schema_error: ValidationError) -> tuple[list[Any], str]:
    """Translate one schema error into (field path, Dutch message)."""
    error: Any = schema_error  # jsonschema's attributes are unions with Unset; read them as data
    path = list(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = [p for p in error.validator_value if p not in (error.instance or {})]
        return path + missing[:1], "verplicht veld ontbreekt"
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return path + extra[:1], "onbekend veld (tikfout?); toegestaan zijn: " + ", ".join(
            sorted(error.schema.get("properties", {}))
        )
    if kind == "enum":
        return path, "moet een van deze waarden zijn: " + ", ".join(map(str, error.validator_value))
    if kind == "const":
        return path, f"moet {error.validator_value!r} zijn (de schemaversie die deze code kent)"
    if kind == "type":
        names = {"string": "tekst", "number": "getal", "boolean": "true/false",
                 "array": "lijst", "object": "blok met velden", "integer": "geheel getal"}
        wanted = names.get(error.validator_value, error.validator_value)
        return path, f"moet van het type {wanted} zijn"
    if kind in ("minLength", "pattern") and error.schema.get("pattern") == "\\S":
        return path, "mag niet leeg zijn"
    if kind == "pattern":
        return path, f"heeft niet de vorm {error.validator_value} (waarde {error.instance!r})"
    if kind == "minItems":
        return path, f"moet minstens {error.validator_value} elementen hebben"
    if kind == "maxItems":
        return path, f"mag hoogstens {error.validator_value} elementen hebben"
    if kind in ("minimum", "exclusiveMinimum", "maximum"):
        return path, f"waarde {error.instance!r} valt buiten het toegestane bereik"
    if kind == "not":
        return path, ("bevat velden die niet bij dit vraagtype horen (options bij single/multiple, "
                      "answer/tolerance bij numeric, accepted bij text)")
    return path, error.message


def _describe(source: str, data: Any, path: list[Any], message: str) -> str:
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        questions = data.get("questions") if isinstance(data, dict) else None
        item = questions[path[1]] if isinstance(questions, list) else None
        qid = item.get("id") if isinstance(item, dict) and item.get("id") else f"nr. {path[1] + 1}"
        rest = path[2:]
        where = f"vraag {qid}, veld '{_field_path(rest)}'" if rest else f"vraag {qid}"
    else:
        where = f"veld '{_field_path(path)}'" if path else "bestand"
    return f"{source}: {where}: {message}"


def validate_data(data: Any, source: str) -> list[str]:
    """Schema problems of one parsed bank file, as Dutch messages (empty list: valid)."""
    validator = Draft202012Validator(load_schema())
    problems = []
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        # An if/then failure is reported through its sub-errors; report the most specific.
        path, message = _dutch(error)
        problems.append(_describe(source, data, path, message))
    return problems


def _semantic_problems(data: dict, source: str, stem: str) -> list[str]:
    problems = []
    chapter = data["chapter"]
    if stem != chapter:
        problems.append(f"{source}: veld 'chapter': {chapter!r} past niet bij de bestandsnaam "
                        f"{stem}.yml; noem het bestand {chapter}.yml")
    for item in data["questions"]:
        qid = item["id"]

        def report(fieldname: str, message: str, qid: str = qid) -> None:
            problems.append(f"{source}: vraag {qid}, veld '{fieldname}': {message}")

        if not qid.startswith(chapter + "-"):
            report("id", f"een vraag in {chapter}.yml heet {chapter}-<nr>")
        if not item["objective"].startswith(chapter + "."):
            report("objective", f"leerdoel {item['objective']} hoort niet bij hoofdstuk {chapter}")
        options = item.get("options") or []
        letters = [o["id"] for o in options]
        expected_letters = [chr(ord("a") + i) for i in range(len(options))]
        if letters != expected_letters:
            report("options", "de opties heten op volgorde a, b, c, ... (gevonden: "
                   + ", ".join(letters) + ")")
        n_correct = sum(1 for o in options if o["correct"])
        if item["type"] == "single" and n_correct != 1:
            report("options", f"een single-vraag heeft precies één juiste optie (nu {n_correct})")
        if data["schema_version"] == 1 and ("evidence" in item or "units" in item or any(
                "misconception" in o for o in options)):
            report("schema_version", "de velden 'misconception', 'evidence' en 'units' bestaan "
                   "pas in schemaversie 2; zet bovenaan schema_version: 2")
        for o in options:
            if o["correct"] and "misconception" in o:
                report(f"options[{o['id']}].misconception", "alleen een onjuiste optie heeft een "
                       "misvatting; haal het veld weg bij de juiste optie")
        if item["type"] == "multiple" and not (1 <= n_correct < len(options)):
            report("options", "een multiple-vraag heeft minstens één juiste en één onjuiste optie")
        if item["type"] == "text":
            if len({a.strip().casefold() for a in item["accepted"]}) != len(item["accepted"]):
                report("accepted", "bevat hetzelfde antwoord twee keer")
    return problems


def read_bank_file(path: Path) -> tuple[dict | None, list[str]]:
    """Parse and validate one bank file; returns (data or None, problems)."""
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (regel {mark.line + 1}, kolom {mark.column + 1})" if mark else ""
        reason = getattr(exc, "problem", None) or exc
        return None, [f"{source}: bestand is geen geldige YAML{where}: {reason}"]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{source}: bestand kan niet worden gelezen: {exc}"]
    problems = validate_data(data, source)
    if problems:
        return None, problems
    problems = _semantic_problems(data, source, path.stem)
    return (None if problems else data), problems


def _question(item: dict, chapter: str, source: str) -> Question:
    feedback = item.get("feedback") or {}
    return Question(
        id=item["id"],
        chapter=chapter,
        title=item["title"].strip(),
        objective=item["objective"],
        type=item["type"],
        use=item["use"],
        points=item["points"],
        question=item["question"].strip(),
        source=source,
        context=(item.get("context") or "").strip() or None,
        options=tuple(
            Option(o["id"], o["text"].strip(), o["correct"], o["feedback"].strip(),
                   (o.get("misconception") or "").strip() or None)
            for o in item.get("options") or []
        ),
        answer=item.get("answer"),
        tolerance=item.get("tolerance"),
        unit=item.get("unit"),
        units=tuple(u.strip() for u in item.get("units") or ([item["unit"]] if item.get("unit")
                                                            else [])),
        accepted=tuple(a.strip() for a in item.get("accepted") or []),
        feedback_correct=(feedback.get("correct") or "").strip() or None,
        feedback_incorrect=(feedback.get("incorrect") or "").strip() or None,
        explanation=(item.get("explanation") or "").strip() or None,
        evidence=item.get("evidence") or DEFAULT_EVIDENCE[item["type"]],
    )


def bank_files(bank_dir: Path) -> list[Path]:
    def key(p: Path):
        m = re.match(r"h(\d+)$", p.stem)
        return (0, int(m.group(1))) if m else (1, p.stem)

    return sorted(bank_dir.glob("*.yml"), key=key)


def load_bank(bank_dir: Path, objectives: dict[str, Objective] | None = None) -> Bank:
    """Load and validate every ``*.yml`` in ``bank_dir``. With ``objectives`` (from
    :func:`ketencursus.objectives.read_objectives`) every question's objective must exist.
    Raises :class:`BankError` listing every problem found."""
    bank_dir = Path(bank_dir)
    if not bank_dir.is_dir():
        raise BankError([f"{bank_dir}: map van de vragenbank bestaat niet"])
    files = bank_files(bank_dir)
    if not files:
        raise BankError([f"{bank_dir}: geen vragenbestanden (*.yml) gevonden"])
    problems: list[str] = []
    bank = Bank(files=files)
    seen: dict[str, str] = {}
    for path in files:
        data, file_problems = read_bank_file(path)
        problems += file_problems
        if data is None:
            continue
        for item in data["questions"]:
            question = _question(item, data["chapter"], str(path))
            if question.id in seen:
                problems.append(f"{path}: vraag {question.id}, veld 'id': komt ook voor in "
                                f"{seen[question.id]}; elke vraag-id is uniek")
                continue
            seen[question.id] = str(path)
            if objectives is not None and question.objective not in objectives:
                problems.append(f"{path}: vraag {question.id}, veld 'objective': leerdoel "
                                f"{question.objective} bestaat niet in de hoofdstukken "
                                "(zie de {leerdoelen}-blokken)")
            bank.questions.append(question)
    if problems:
        raise BankError(problems)
    return bank


def coverage_problems(bank: Bank, objectives: dict[str, Objective]) -> list[str]:
    """Objectives without any question, and chapters without a self-check item."""
    problems = []
    covered = {q.objective for q in bank}
    for oid in objectives:
        if oid not in covered:
            problems.append(f"leerdoel {oid} heeft nog geen vraag in de vragenbank")
    for chapter in sorted({o.id.split(".")[0] for o in objectives.values()}):
        if not bank.selfcheck(chapter):
            problems.append(f"hoofdstuk {chapter} heeft geen zelftoetsvraag (use: selfcheck)")
    return problems
