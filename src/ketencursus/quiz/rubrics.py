"""Rubrics (beoordelingsmodellen) of the written tasks that the instructor grades by hand.

One file per rubric, ``exercises/rubrics/<id>.yml``, validated against the versioned JSON
schema ``quiz/schema/rubric.schema.json``::

    schema_version: 1
    id: actieplan
    title: Actieplan voor je eigen keten
    objective: h7.5               # the objective the task as a whole assesses
    intro: ...                    # optional: one paragraph for the learner
    criteria:
      - id: diagnose
        title: Diagnose
        objective: h7.1           # optional: the objective this criterion assesses
        levels:                   # ascending; the first level is worth 0 points
          - {points: 0, description: ...}
          - {points: 1, description: ...}
          - {points: 2, description: ...}

A criterion is worth its highest level; a rubric is worth the sum of its criteria, and a task
that uses the rubric must be worth exactly that (checked by
:mod:`ketencursus.quiz.assignments`). The rubric is the one source of what the learner reads
before starting (rendered into the released notebook by :func:`rubric_markdown`) and of what
the instructor grades with (:func:`instructor_markdown`, which adds the model answer; the
instructor edition renders it from here). Rubrics hold no secrets; model answers live in the
assignment sources (``model_answer``), which never reach learners.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from ketencursus.errors import UserError
from ketencursus.objectives import Objective

SCHEMA_VERSION = 1
SCHEMA_RESOURCE = "rubric.schema.json"
# Verbs of an objective that ask the learner to produce something (COORDINATION.md: such an
# objective keeps its level when reworded). An objective with one of them must be assessed by
# a task graded with a rubric, not by recognition alone.
PRODUCTION_VERBS = ("formuleren", "ontwerpen", "afbakenen", "beargumenteren", "opstellen",
                    "onderbouwen", "verantwoorden")
_PRODUCTION = re.compile(r"\b(" + "|".join(PRODUCTION_VERBS) + r")\b", re.IGNORECASE)


def asks_for_production(objective: Objective | str) -> bool:
    """True when the objective's text (or the text given) has a production verb."""
    text = objective if isinstance(objective, str) else objective.text
    return bool(_PRODUCTION.search(text))


class RubricError(UserError, ValueError):
    """Problems in the rubrics; the message names the file, the criterion and the field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def user_message(self) -> str:
        listed = "\n".join(f"  - {problem}" for problem in self.problems)
        return f"de beoordelingsmodellen bevatten fouten; verbeter ze en probeer opnieuw:\n{listed}"


@dataclass(frozen=True)
class Level:
    points: float
    description: str


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    objective: str | None
    levels: tuple[Level, ...]

    @property
    def max_points(self) -> float:
        return max(level.points for level in self.levels)


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    objective: str
    intro: str
    criteria: tuple[Criterion, ...]
    path: Path

    @property
    def total(self) -> float:
        """The rubric's points: the sum of every criterion's highest level."""
        return sum(c.max_points for c in self.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def objectives(self) -> list[str]:
        """The objective of every criterion (the rubric's own when a criterion names none)."""
        return [c.objective or self.objective for c in self.criteria]


@lru_cache(maxsize=1)
def schema() -> dict:
    text = resources.files("ketencursus.quiz.schema").joinpath(SCHEMA_RESOURCE).read_text(
        encoding="utf-8")
    return json.loads(text)


def _where(error) -> str:
    parts = []
    for part in error.absolute_path:
        parts.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(parts).lstrip(".") or "(bestand)"


def _schema_problems(data: object, path: Path) -> list[str]:
    validator = Draft202012Validator(schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else error.message
            problems.append(f"{path}: veld '{_where(error)}': verplicht veld '{missing}' "
                            "ontbreekt")
        elif error.validator == "additionalProperties":
            problems.append(f"{path}: veld '{_where(error)}': onbekend veld ({error.message})")
        else:
            problems.append(f"{path}: veld '{_where(error)}': {error.message}")
    return problems


def _semantic_problems(data: dict, path: Path,
                       objectives: dict[str, Objective] | None) -> list[str]:
    problems = []
    if data["id"] != path.stem:
        problems.append(f"{path}: veld 'id': '{data['id']}' moet gelijk zijn aan de "
                        f"bestandsnaam ('{path.stem}')")
    ids = [c["id"] for c in data["criteria"]]
    for cid in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"{path}: criterium '{cid}' komt meer dan één keer voor")
    named = [("objective", data["objective"])]
    for n, criterion in enumerate(data["criteria"]):
        where = f"{path}: criterium '{criterion['id']}'"
        points = [level["points"] for level in criterion["levels"]]
        if points[0] != 0:
            problems.append(f"{where}: het eerste niveau moet 0 punten zijn (nu {points[0]:g})")
        if any(b <= a for a, b in zip(points, points[1:], strict=False)):
            problems.append(f"{where}: de niveaus moeten oplopen in punten (nu "
                            f"{', '.join(f'{p:g}' for p in points)})")
        descriptions = [level["description"].strip() for level in criterion["levels"]]
        if len(set(descriptions)) != len(descriptions):
            problems.append(f"{where}: twee niveaus hebben dezelfde beschrijving")
        if criterion.get("objective"):
            named.append((f"criteria[{n}].objective", criterion["objective"]))
    if objectives is not None:
        for field_name, oid in named:
            if oid not in objectives:
                problems.append(f"{path}: veld '{field_name}': leerdoel {oid} bestaat niet in "
                                "de hoofdstukken")
    return problems


def read_rubric(path: Path, objectives: dict[str, Objective] | None = None) -> Rubric:
    """Read and validate one rubric file; raise :class:`RubricError` (Dutch) on problems."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RubricError([f"{path}: niet te lezen als YAML: {exc}"]) from exc
    problems = _schema_problems(data, path)
    if not problems:
        problems = _semantic_problems(data, path, objectives)
    if problems:
        raise RubricError(problems)
    criteria = tuple(
        Criterion(c["id"], c["title"].strip(), c.get("objective"),
                  tuple(Level(float(lv["points"]), " ".join(lv["description"].split()))
                        for lv in c["levels"]))
        for c in data["criteria"]
    )
    return Rubric(data["id"], data["title"].strip(), data["objective"],
                  " ".join(str(data.get("intro", "")).split()), criteria, path)


def load_rubrics(rubrics_dir: Path, objectives: dict[str, Objective] | None = None
                 ) -> dict[str, Rubric]:
    """Every rubric in ``rubrics_dir`` (``*.yml``), keyed by id; all problems at once."""
    found: dict[str, Rubric] = {}
    problems: list[str] = []
    if not Path(rubrics_dir).is_dir():
        return found
    for path in sorted(Path(rubrics_dir).glob("*.yml")):
        try:
            rubric = read_rubric(path, objectives)
        except RubricError as exc:
            problems += exc.problems
            continue
        found[rubric.id] = rubric
    if problems:
        raise RubricError(problems)
    return found


# --------------------------------------------------------------------------- rendering


def _points(value: float) -> str:
    return f"{value:g} punt" if value == 1 else f"{value:g} punten"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rubric_markdown(rubric: Rubric, heading: str = "Beoordelingsmodel") -> str:
    """The rubric as a Markdown table (criteria x levels), for the released notebook and the
    book: what the learner reads before starting. Same columns for every criterion (one per
    number of points); a criterion without that level shows a dash."""
    columns = sorted({level.points for c in rubric.criteria for level in c.levels})
    lines = [f"**{heading}** ({_points(rubric.total)} in totaal)"]
    if rubric.intro:
        lines += ["", rubric.intro]
    lines += ["", "| Criterium | " + " | ".join(_points(p) for p in columns) + " |",
              "|---|" + "---|" * len(columns)]
    for criterion in rubric.criteria:
        by_points = {level.points: level.description for level in criterion.levels}
        row = [f"**{_cell(criterion.title)}** (max. {_points(criterion.max_points)})"]
        row += [_cell(by_points.get(p, "–")) for p in columns]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def instructor_markdown(rubric: Rubric, model_answer: str | None = None) -> str:
    """The rubric for the instructor: the learner's table, the objective per criterion and,
    when given, the model answer (instructor-only; never render this into learner files)."""
    parts = [rubric_markdown(rubric, heading=f"Beoordelingsmodel: {rubric.title}"), "",
             "Leerdoel per criterium: " + "; ".join(
                 f"{c.title}: {c.objective or rubric.objective}" for c in rubric.criteria) + "."]
    if model_answer:
        parts += ["", "**Modelantwoord (alleen voor de docent)**", "", model_answer.strip()]
    return "\n".join(parts)
