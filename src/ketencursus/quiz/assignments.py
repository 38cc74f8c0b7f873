"""Generate nbgrader source notebooks from the assignment sources in ``exercises/assignments/``.

An assignment source is ``exercises/assignments/<name>/assignment.yml``::

    schema_version: 1
    title: Kennistoets ketensturing
    notebook: kennistoets            # grader/source/<name>/<notebook>.ipynb
    cells:
      - markdown: "..."              # read-only text
      - code: "..."                  # read-only setup code (runs before the answers)
      - bank: graded                 # every graded item of the question bank, in bank order
      - item: {...}                  # an autograded answer (see ITEM_FIELDS)
      - task: {...}                  # a written answer graded by hand, with a rubric
    answers: text                    # optional: "code" (default) or "text" (see below)

**Two ways to answer.** With ``answers: code`` a learner writes Python that ends with
``antwoord_... = ...`` (the pandas track). With ``answers: text`` nobody types Python: every
answer cell is a *markdown* cell with nbgrader metadata ``solution: true, grade: false,
locked: false`` plus ``ketencursus: {text_answer: <variable>, format: letter|letters|number|
term}`` (the agreement in COORDINATION.md); the learner types ``b``, ``a, c``, ``42,5`` or a
term, the sandboxed grader parses the text (``checks.parse_text_answer``, never executed)
into the plain value of ``<variable>`` and runs the same hidden test on it. In a ``text``
assignment ``code`` cells are read-only setup that computes tables and figures for the learner.

**Evidence kind.** Every graded item carries an evidence kind for the alignment table:
``recognition`` (choosing among given options), ``computation`` (a number the learner works
out) or ``production`` (the learner writes something; always a task graded with a rubric).
An item may state it (``evidence:``); otherwise a ``choice`` item is recognition and a number
(``float``/``int``/``bool``) computation.

**Tasks and rubrics.** A task names its rubric (``rubric: <id>``, a file
``exercises/rubrics/<id>.yml``, see :mod:`ketencursus.quiz.rubrics`); its ``points`` must equal
the rubric's total. The rubric table is rendered into the released notebook above the answer
cell, so learners see it before they start. A task is one answer cell graded on the whole
rubric, or, with ``parts`` (``[{criterion, prompt, model_answer}]``, one per criterion), one
answer cell per criterion worth that criterion's points and linked to its objective. Model
answers stay in the source notebook (solution cells, replaced by a stub in the release).

The generated notebooks follow the assessment contract: every answer is a named variable of
plain data; every autograded test cell has nbgrader ``grade: true`` with points, metadata
``ketencursus: {answers, objective, hint}``, and code that only calls the pure functions of
:mod:`ketencursus.checks` on those variables, inside ``### BEGIN/END HIDDEN TESTS``.

Expected values of data items are computed here, by running the assignment's own setup and
solution code (the same seeded generators the learner uses), so the source and the hidden
tests can never disagree.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

from ketencursus.errors import UserError
from ketencursus.objectives import ID_PATTERN, Objective
from ketencursus.quiz.bank import EVIDENCE_KINDS as EVIDENCE_KINDS  # re-exported: one definition
from ketencursus.quiz.bank import EVIDENCE_NL as EVIDENCE_NL
from ketencursus.quiz.bank import Bank, Question
from ketencursus.quiz.rubrics import Rubric, RubricError, load_rubrics, rubric_markdown

SCHEMA_VERSION = 1
GENERATOR_MARK = "ketencursus-assignments"
ITEM_TYPES = ("float", "int", "bool", "choice")
ANSWER_MODES = ("code", "text")
ITEM_FIELDS = {"id", "title", "objective", "points", "variable", "type", "prompt", "solution",
               "hint", "tolerance", "expected", "options", "correct", "evidence"}
TASK_FIELDS = {"id", "title", "objective", "points", "prompt", "model_answer", "rubric",
               "parts"}
PART_FIELDS = {"criterion", "prompt", "model_answer"}
SPEC_FIELDS = {"schema_version", "title", "notebook", "cells", "answers"}
# Text-answer format (COORDINATION.md) per item type and per bank question type.
TEXT_FORMAT = {"choice": "letter", "float": "number", "int": "number", "single": "letter",
               "multiple": "letters", "numeric": "number", "text": "term"}
TEXT_ANSWER_STUB = "VUL HIER JE ANTWOORD IN"
TYPE_TEXT = {
    "float": "een kommagetal (`float`)",
    "int": "een geheel getal (`int`)",
    "bool": "`True` of `False` (`bool`)",
    "choice": 'één letter als tekst (`str`), bijvoorbeeld `"a"`',
}
TEXT_TYPE_TEXT = {
    # What to type in a plain-text answer cell (no Python). Never a concrete example answer.
    "letter": "Typ alleen de letter van je keuze.",
    "letters": "Typ de letters van álle juiste opties, gescheiden door komma's "
               "(zoveel letters als er juist zijn).",
    "number": "Typ alleen het getal{unit}; een komma of een punt als decimaalteken mag allebei.",
    "term": "Typ het begrip (één woord of een korte term).",
}
BANK_TYPE_TEXT = {
    # Templates only, never a concrete letter or number: an example could equal the answer.
    "single": 'Schrijf één letter als tekst (`str`): `{var} = "…"`, met de letter van het '
              "juiste antwoord tussen de aanhalingstekens.",
    "multiple": 'Schrijf een lijst (`list`) met de letters van álle juiste opties: '
                '`{var} = ["…", "…"]` (zoveel letters als er juist zijn).',
    "numeric": "Schrijf een kommagetal (`float`) met een punt als decimaalteken: "
               "`{var} = …`{unit}.",
    "text": 'Schrijf een kort antwoord als tekst (`str`): `{var} = "…"`.',
}


class AssignmentError(UserError, ValueError):
    """A problem in an assignment source; the message names the file and the item."""


@dataclass(frozen=True)
class AssignmentItem:
    """One graded item of an assignment (for the alignment table and the report).

    ``kind`` says who grades it (``"auto"`` or ``"manual"``), ``evidence`` what it shows
    (``recognition``, ``computation`` or ``production``), ``rubric`` the rubric id of a
    manually graded item and ``grade_id`` its nbgrader cell. A task with ``parts`` gives one
    item per part (``id`` ``<task>-<criterion>``, the criterion's objective)."""

    assignment: str
    id: str
    label: str
    objective: str
    points: float
    kind: str  # "auto" or "manual"
    evidence: str = "recognition"
    rubric: str | None = None
    grade_id: str = ""
    answers: str = "code"  # how the learner answers: "code" or "text"


# --------------------------------------------------------------------------- reading


def assignment_dirs(assignments_dir: Path) -> list[Path]:
    if not Path(assignments_dir).is_dir():
        return []
    return sorted(p for p in Path(assignments_dir).iterdir() if (p / "assignment.yml").is_file())


def rubrics_dir_for(assignments_dir: Path) -> Path:
    """Where the rubrics of ``exercises/assignments`` live: ``exercises/rubrics``."""
    return Path(assignments_dir).parent / "rubrics"


def load_assignment_rubrics(assignments_dir: Path,
                            objectives: dict[str, Objective] | None = None) -> dict[str, Rubric]:
    """The rubrics next to ``assignments_dir``; problems become :class:`AssignmentError`."""
    try:
        return load_rubrics(rubrics_dir_for(assignments_dir), objectives)
    except RubricError as exc:
        raise AssignmentError("Fouten in de beoordelingsmodellen:\n"
                              + "\n".join(f"  - {p}" for p in exc.problems)) from exc


def read_spec(directory: Path, rubrics: dict[str, Rubric] | None = None) -> dict:
    """Read and check one ``assignment.yml``; raise :class:`AssignmentError` in Dutch.
    Tasks are checked against ``rubrics`` (default: the rubrics in ``exercises/rubrics``)."""
    path = directory / "assignment.yml"
    if rubrics is None:
        rubrics = load_assignment_rubrics(directory.parent)
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise AssignmentError(f"{path}: geen geldige YAML: {exc}") from exc
    if not isinstance(spec, dict):
        raise AssignmentError(f"{path}: verwacht een blok met velden (schema_version, title, ...)")
    if spec.get("schema_version") != SCHEMA_VERSION:
        raise AssignmentError(f"{path}: veld 'schema_version' moet {SCHEMA_VERSION} zijn")
    for key in ("title", "notebook", "cells"):
        if not spec.get(key):
            raise AssignmentError(f"{path}: verplicht veld '{key}' ontbreekt")
    extra = set(spec) - SPEC_FIELDS
    if extra:
        raise AssignmentError(f"{path}: onbekend veld '{sorted(extra)[0]}'")
    if spec.get("answers", "code") not in ANSWER_MODES:
        raise AssignmentError(f"{path}: veld 'answers': kies uit {', '.join(ANSWER_MODES)}")
    seen: set[str] = set()
    for n, cell in enumerate(spec["cells"], 1):
        if not isinstance(cell, dict) or len(cell) != 1:
            raise AssignmentError(f"{path}: cel {n} moet precies één soort hebben "
                                  "(markdown, code, bank, item of task)")
        (kind, body), = cell.items()
        if kind in ("item", "task") and isinstance(body, dict) and "use" in body:
            body = _resolve_use(path, n, kind, body)
            cell[kind] = body
        if kind in ("markdown", "code"):
            if not isinstance(body, str) or not body.strip():
                raise AssignmentError(f"{path}: cel {n} ({kind}) is leeg")
        elif kind == "bank":
            if body != "graded":
                raise AssignmentError(f"{path}: cel {n}: 'bank' kent alleen de waarde 'graded'")
        elif kind in ("item", "task"):
            _check_item(path, n, kind, body, seen)
            if kind == "task":
                _check_task(path, body, rubrics)
            elif spec.get("answers") == "text" and body["type"] == "bool":
                raise AssignmentError(f"{path}: item {body['id']}, veld 'type': bool kan niet "
                                      "als getypt antwoord; maak er een keuzevraag van")
        else:
            raise AssignmentError(f"{path}: cel {n}: onbekende soort '{kind}'")
    return spec


def _resolve_use(path: Path, n: int, kind: str, body: dict) -> dict:
    """``{use: <assignment>/<id>}``: the same choice item or task as in another assignment
    (the two tracks of a case ask the same interpretation questions; one text each)."""
    if set(body) != {"use"} or not isinstance(body["use"], str) or body["use"].count("/") != 1:
        raise AssignmentError(f"{path}: cel {n}: 'use' staat alleen, als '<opdracht>/<id>'")
    other, iid = body["use"].split("/")
    source = path.parent.parent / other / "assignment.yml"
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AssignmentError(f"{path}: cel {n}: 'use: {body['use']}': {source} is niet te "
                              f"lezen ({exc})") from exc
    for cell in (data or {}).get("cells") or []:
        found = cell.get(kind) if isinstance(cell, dict) else None
        if isinstance(found, dict) and found.get("id") == iid and "use" not in found:
            if kind == "item" and found.get("type") != "choice":
                raise AssignmentError(f"{path}: cel {n}: 'use: {body['use']}': alleen "
                                      "keuzevragen en taken kunnen worden hergebruikt")
            return copy.deepcopy(found)
    raise AssignmentError(f"{path}: cel {n}: 'use: {body['use']}': geen {kind} met id {iid} in "
                          f"{source}")


def _check_item(path: Path, n: int, kind: str, body: Any, seen: set[str]) -> None:
    if not isinstance(body, dict):
        raise AssignmentError(f"{path}: cel {n} ({kind}) moet velden hebben")
    iid = body.get("id", f"cel {n}")
    allowed = ITEM_FIELDS if kind == "item" else TASK_FIELDS
    required = {"id", "title", "objective", "points", "prompt"}
    required |= {"variable", "type", "solution", "hint"} if kind == "item" else {"rubric"}
    for key in sorted(required):
        if body.get(key) in (None, ""):
            raise AssignmentError(f"{path}: item {iid}, veld '{key}': verplicht veld ontbreekt")
    for key in sorted(set(body) - allowed):
        raise AssignmentError(f"{path}: item {iid}, veld '{key}': onbekend veld")
    if iid in seen:
        raise AssignmentError(f"{path}: item {iid}, veld 'id': komt twee keer voor")
    seen.add(iid)
    if not ID_PATTERN.match(str(body["objective"])):
        raise AssignmentError(f"{path}: item {iid}, veld 'objective': geen leerdoel-id "
                              "(vorm h<hoofdstuk>.<n>)")
    if not isinstance(body["points"], (int, float)) or body["points"] <= 0:
        raise AssignmentError(f"{path}: item {iid}, veld 'points': moet een positief getal zijn")
    if kind == "item":
        if body["type"] not in ITEM_TYPES:
            raise AssignmentError(f"{path}: item {iid}, veld 'type': kies uit "
                                  + ", ".join(ITEM_TYPES))
        if not str(body["variable"]).isidentifier() or not body["variable"].startswith("antwoord_"):
            raise AssignmentError(f"{path}: item {iid}, veld 'variable': een Python-naam die "
                                  "begint met antwoord_")
        if body["type"] == "float" and "tolerance" not in body:
            raise AssignmentError(f"{path}: item {iid}, veld 'tolerance': verplicht bij float")
        if body["type"] == "choice":
            options = body.get("options")
            if not isinstance(options, dict) or body.get("correct") not in (options or {}):
                raise AssignmentError(f"{path}: item {iid}, veld 'options'/'correct': geef "
                                      "opties (a: tekst, ...) en de juiste letter")
        evidence = body.get("evidence", item_evidence(body))
        if evidence not in ("recognition", "computation"):
            raise AssignmentError(
                f"{path}: item {iid}, veld 'evidence': een automatisch nagekeken item is "
                "recognition of computation; iets schrijven (production) is een task met een "
                "beoordelingsmodel")


def _check_task(path: Path, body: dict, rubrics: dict[str, Rubric]) -> None:
    iid = body["id"]
    rubric = rubrics.get(str(body["rubric"]))
    if rubric is None:
        raise AssignmentError(
            f"{path}: item {iid}, veld 'rubric': beoordelingsmodel '{body['rubric']}' bestaat "
            f"niet; maak exercises/rubrics/{body['rubric']}.yml (kies uit: "
            f"{', '.join(sorted(rubrics)) or 'geen'})")
    if not math.isclose(float(body["points"]), rubric.total):
        raise AssignmentError(
            f"{path}: item {iid}, veld 'points': {body['points']:g} punten, maar de punten van "
            f"beoordelingsmodel '{rubric.id}' tellen op tot {rubric.total:g}; maak ze gelijk")
    if rubric.objective != body["objective"]:
        raise AssignmentError(
            f"{path}: item {iid}, veld 'objective': {body['objective']}, maar beoordelingsmodel "
            f"'{rubric.id}' hoort bij {rubric.objective}")
    parts = body.get("parts")
    if parts is None:
        if not str(body.get("model_answer") or "").strip():
            raise AssignmentError(f"{path}: item {iid}, veld 'model_answer': verplicht veld "
                                  "ontbreekt")
        return
    if not isinstance(parts, list) or not parts:
        raise AssignmentError(f"{path}: item {iid}, veld 'parts': een lijst met onderdelen")
    named = []
    for k, part in enumerate(parts):
        where = f"{path}: item {iid}, veld 'parts[{k}]"
        if not isinstance(part, dict):
            raise AssignmentError(f"{where}': moet velden hebben (criterion, prompt, "
                                  "model_answer)")
        for key in sorted(set(part) - PART_FIELDS):
            raise AssignmentError(f"{where}.{key}': onbekend veld")
        for key in sorted(PART_FIELDS):
            if not str(part.get(key) or "").strip():
                raise AssignmentError(f"{where}.{key}': verplicht veld ontbreekt")
        named.append(part["criterion"])
    criteria = [c.id for c in rubric.criteria]
    if sorted(named) != sorted(criteria):
        raise AssignmentError(
            f"{path}: item {iid}, veld 'parts': elk criterium van '{rubric.id}' precies één "
            f"keer ({', '.join(criteria)}); nu: {', '.join(named)}")


def item_evidence(body: dict) -> str:
    """The evidence kind of an autograded item: stated, or derived from its type."""
    if body.get("evidence"):
        return str(body["evidence"])
    return "recognition" if body.get("type") == "choice" else "computation"


def assignment_items(assignments_dir: Path, bank: Bank | None = None,
                     rubrics: dict[str, Rubric] | None = None) -> list[AssignmentItem]:
    """The graded items of every assignment that are not bank items (those are listed with
    the bank), for the alignment table: one per autograded item, one per task (or per part
    of a task with parts), each with its objective, points and evidence kind."""
    if rubrics is None:
        rubrics = load_assignment_rubrics(assignments_dir)
    items = []
    for directory in assignment_dirs(assignments_dir):
        spec = read_spec(directory, rubrics)
        mode = spec.get("answers", "code")
        for cell in spec["cells"]:
            (kind, body), = cell.items()
            if kind == "item":
                items.append(AssignmentItem(
                    directory.name, body["id"], f"{body['id']} {body['title']}",
                    body["objective"], float(body["points"]), "auto", item_evidence(body),
                    None, f"{body['id']}-toets", mode))
            elif kind == "task":
                rubric = rubrics[str(body["rubric"])]
                if not body.get("parts"):
                    items.append(AssignmentItem(
                        directory.name, body["id"], f"{body['id']} {body['title']} (handmatig)",
                        body["objective"], float(body["points"]), "manual", "production",
                        rubric.id, f"{body['id']}-antwoord", "text"))
                    continue
                for part in body["parts"]:
                    criterion = rubric.criterion(part["criterion"])
                    items.append(AssignmentItem(
                        directory.name, f"{body['id']}-{criterion.id}",
                        f"{body['id']} {body['title']}: {criterion.title} (handmatig)",
                        criterion.objective or body["objective"], criterion.max_points,
                        "manual", "production", rubric.id,
                        f"{body['id']}-{criterion.id}", "text"))
    return items


# --------------------------------------------------------------------------- cells


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool,
          points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def _markdown(source: str, grade_id: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source.strip())
    cell.metadata["nbgrader"] = _meta(grade_id, grade=False, solution=False, locked=True)
    return cell


def _code(source: str, grade_id: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source.strip())
    cell.metadata["nbgrader"] = _meta(grade_id, grade=False, solution=False, locked=True)
    return cell


def _solution(comment: str, solution: str, grade_id: str) -> nbformat.NotebookNode:
    lines = [f"# {line}" if line else "#" for line in comment.strip().splitlines()]
    lines += ["### BEGIN SOLUTION", solution.strip(), "### END SOLUTION"]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["nbgrader"] = _meta(grade_id, grade=False, solution=True, locked=False)
    return cell


def _test(variable: str, call: str, grade_id: str, points: float, objective: str,
          hint: str, evidence: str, module: str = "ketencursus.checks",
          step: str | None = None) -> nbformat.NotebookNode:
    function = call.removeprefix("assert ").split("(", 1)[0]
    what = f"Controle van {variable}" + (f", {step}" if step else "")
    source = "\n".join([
        f"# {what} (de verborgen toets draait bij het nakijken).",
        f"from {module} import {function}",
        "",
        "### BEGIN HIDDEN TESTS",
        call,
        "### END HIDDEN TESTS",
    ])
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = _meta(grade_id, grade=True, solution=False, locked=True,
                                      points=points)
    cell.metadata["ketencursus"] = {"answers": [variable], "objective": objective,
                                    "evidence": evidence, "hint": " ".join(hint.split())}
    return cell


def _text_answer(variable: str, fmt: str, grade_id: str) -> nbformat.NotebookNode:
    """A plain-text answer cell (no Python): a markdown cell with ``ketencursus:
    {text_answer, format}`` and a ``grade_id``, holding the stub the learner replaces.

    Its nbgrader roles are all false (``solution: false, grade: false, locked: false``), not
    ``solution: true`` as first agreed: nbgrader 0.9 refuses a markdown solution cell that is
    not a grade cell ("Markdown solution cell is not marked as a grade cell"), and its
    gradebook stores no raw cells. So nbgrader copies the cell unchanged into the release; the
    source holds no answer (the expected value lives only in the hidden test), and the
    grader reads the learner's text from the cell with this ``grade_id``."""
    cell = nbformat.v4.new_markdown_cell(TEXT_ANSWER_STUB)
    cell.metadata["nbgrader"] = _meta(grade_id, grade=False, solution=False, locked=False)
    cell.metadata["ketencursus"] = {"text_answer": variable, "format": fmt}
    return cell


def _manual_answer(grade_id: str, model_answer: str, points: float, objective: str,
                   rubric: Rubric, criterion: str | None = None) -> nbformat.NotebookNode:
    answer = nbformat.v4.new_markdown_cell(model_answer.strip())
    answer.metadata["nbgrader"] = _meta(grade_id, grade=True, solution=True, locked=False,
                                        points=points)
    meta: dict[str, Any] = {"answers": [], "objective": objective, "evidence": "production",
                            "rubric": rubric.id,
                            "hint": "Schriftelijk antwoord; je docent beoordeelt het met het "
                                    "beoordelingsmodel."}
    if criterion:
        meta["criterion"] = criterion
    answer.metadata["ketencursus"] = meta
    return answer


def _task(body: dict, rubric: Rubric) -> list[nbformat.NotebookNode]:
    how = (f"*Leerdoel {body['objective']}, {body['points']:g} punten, beoordeeld door je "
           "docent met het beoordelingsmodel hieronder.*")
    cells = [_markdown(f"### {body['id']}: {body['title']}\n\n{body['prompt'].strip()}\n\n"
                       f"{how}\n\n{rubric_markdown(rubric)}", f"{body['id']}-vraag")]
    stub = (f"Schrijf je antwoord in de cel hieronder: dubbelklik erop en vervang de tekst "
            f"{TEXT_ANSWER_STUB}.")
    if not body.get("parts"):
        cells[0].source += "\n\n" + stub
        cells.append(_manual_answer(f"{body['id']}-antwoord", body["model_answer"],
                                    float(body["points"]), body["objective"], rubric))
        return cells
    for part in body["parts"]:
        criterion = rubric.criterion(part["criterion"])
        gid = f"{body['id']}-{criterion.id}"
        objective = criterion.objective or body["objective"]
        cells.append(_markdown(
            f"#### {criterion.title}\n\n{part['prompt'].strip()}\n\n*Criterium "
            f"'{criterion.title}' van het beoordelingsmodel, {criterion.max_points:g} "
            f"{'punt' if criterion.max_points == 1 else 'punten'} (leerdoel {objective}).* "
            + stub, f"{gid}-vraag"))
        cells.append(_manual_answer(gid, part["model_answer"], criterion.max_points, objective,
                                    rubric, criterion.id))
    return cells


def _py(value: Any) -> str:
    """A Python literal for a plain-data expected value."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AssignmentError(f"verwachte waarde {value!r} is geen gewoon getal")
        return repr(value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (str, list)) else repr(value)


def bank_item_cells(question: Question, answers: str = "code") -> list[nbformat.NotebookNode]:
    """Question text, answer cell and hidden test for one graded bank item. With
    ``answers="text"`` the answer cell is a plain-text (markdown) cell: no Python."""
    var = question.variable
    parts = [f"### Vraag {question.id}: {question.title}"]
    if question.context:
        parts.append(question.context)
    parts.append(f"**{question.question}**")
    if question.options:
        parts.append("\n".join(f"- **{o.id})** {o.text}" for o in question.options))
    unit = f" (in {question.unit})" if question.unit else ""
    if answers == "text":
        how = TEXT_TYPE_TEXT[TEXT_FORMAT[question.type]].format(unit=unit) + (
            f" Vervang in de cel hieronder de tekst {TEXT_ANSWER_STUB} door je antwoord.")
    else:
        how = BANK_TYPE_TEXT[question.type].format(var=var, unit=unit)
    parts.append(how + f" *Leerdoel {question.objective}, {question.points:g} "
                 + ("punt" if question.points == 1 else "punten") + ".*")
    cells = [_markdown("\n\n".join(parts), f"{question.id}-vraag")]
    if question.type == "single":
        solution = f"{var} = {_py(question.correct_options[0])}"
        letters = [o.id for o in question.options]
        call = f"check_choice({var}, {_py(question.correct_options[0])}, options={_py(letters)})"
        hint = "Lees de situatie nog eens en vergelijk elke optie met de uitleg in het hoofdstuk."
    elif question.type == "multiple":
        solution = f"{var} = {_py(question.correct_options)}"
        call = f"check_choices({var}, {_py(question.correct_options)})"
        hint = "Er kunnen meer opties juist zijn; beoordeel elke optie apart."
    elif question.type == "numeric":
        assert question.answer is not None and question.tolerance is not None  # the schema
        solution = f"{var} = {float(question.answer)!r}"
        call = (f"check_number({var}, {float(question.answer)!r}, "
                f"abs_tol={float(question.tolerance)!r})")
        hint = question.feedback_incorrect or "Controleer je berekening."
    else:
        solution = f"{var} = {_py(question.accepted[0])}"
        call = f"check_text({var}, accepted={_py(list(question.accepted))})"
        hint = question.feedback_incorrect or "Controleer het begrip en de spelling."
    if answers == "text":
        cells.append(_text_answer(var, TEXT_FORMAT[question.type], f"{question.id}-antwoord"))
    else:
        cells.append(_solution(f"Vraag {question.id}: vul je antwoord in.", solution,
                               f"{question.id}-antwoord"))
    if question.type == "multiple":
        cells += _partial_credit_tests(question, _hint_for_bank(question, hint))
        return cells
    cells.append(_test(var, call, f"{question.id}-toets", float(question.points),
                       question.objective, _hint_for_bank(question, hint),
                       _bank_evidence(question)))
    return cells


def _partial_credit_tests(question: Question, hint: str) -> list[nbformat.NotebookNode]:
    """A multiple-response item's partial credit (the bank's rule, Moodle's fractions) as
    pass/fail test cells, one per step of :func:`ketencursus.quiz.scoring.credit_steps`:
    step k passes when the answer earns at least its threshold and is worth its share of the
    points. nbgrader and the sandboxed grader both only know passed tests; together the steps
    give exactly ``points * selection_fraction``. The first step keeps the grade id
    ``<id>-toets``; the others are ``<id>-toets-stap<k>``."""
    from ketencursus.quiz.scoring import credit_steps

    var = question.variable
    right = list(question.correct_options)
    letters = [o.id for o in question.options]
    steps = credit_steps(len(right), len(letters) - len(right))
    total = float(question.points)
    cells, given = [], 0.0
    for k, (threshold, share) in enumerate(steps, 1):
        points = round(total - given, 6) if k == len(steps) else round(share * total, 6)
        given += points
        call = (f"assert score_choices({var}, {_py(right)}, {_py(letters)}) "
                f">= {threshold!r} - 1e-9")
        grade_id = f"{question.id}-toets" if k == 1 else f"{question.id}-toets-stap{k}"
        cells.append(_test(var, call, grade_id, points, question.objective, hint,
                           _bank_evidence(question), module="ketencursus.quiz.scoring",
                           step=f"deelscore {k} van {len(steps)}"))
    return cells


def _bank_evidence(question: Question) -> str:
    stated = getattr(question, "evidence", None)  # the bank may state it per question
    if stated:
        return str(stated)
    return "computation" if question.type == "numeric" else "recognition"


def _dutch_number(value: float) -> str:
    return repr(float(value)).replace(".", ",")


def text_model_answers(assignments_dir: Path, name: str, bank: Bank) -> dict[str, str]:
    """What a learner who knows every answer types in each plain-text answer cell of
    assignment ``name`` (``grade_id`` -> text, numbers with a decimal comma). Instructor-only:
    for checking a text assignment end to end; never written into a notebook."""
    directory = Path(assignments_dir) / name
    spec = read_spec(directory)
    if spec.get("answers", "code") != "text":
        raise AssignmentError(f"{directory}: opdracht {name} heeft geen getypte antwoorden")
    expected = compute_expected(spec, str(directory / "assignment.yml"))
    answers: dict[str, str] = {}
    for cell in spec["cells"]:
        (kind, body), = cell.items()
        if kind == "bank":
            for question in bank.graded():
                answers[f"{question.id}-antwoord"] = _text_model_answer(question)
        elif kind == "item":
            value: Any = expected.get(body["id"])
            answers[f"{body['id']}-antwoord"] = (
                body["correct"] if body["type"] == "choice"
                else str(value) if body["type"] == "int" else _dutch_number(float(value)))
    return answers


def _text_model_answer(question: Question) -> str:
    """What a learner who knows the answer types (the source's model answer)."""
    if question.type == "single":
        return question.correct_options[0]
    if question.type == "multiple":
        return ", ".join(question.correct_options)
    if question.type == "numeric":
        assert question.answer is not None  # the schema requires it for numeric questions
        return _dutch_number(float(question.answer))
    return question.accepted[0]


def _hint_for_bank(question: Question, hint: str) -> str:
    # The feedback of a numeric/text item may describe the method, never the value.
    return f"Zie hoofdstuk {question.chapter[1:]}, leerdoel {question.objective}. {hint}"


def _item_cells(body: dict, expected: Any, answers: str = "code") -> list[nbformat.NotebookNode]:
    var, kind = body["variable"], body["type"]
    prompt = body["prompt"].strip()
    if kind == "choice":
        prompt += "\n\n" + "\n".join(f"- **{k})** {v}" for k, v in body["options"].items())
    points = (f"*Leerdoel {body['objective']}, {body['points']:g} "
              + ("punt" if body["points"] == 1 else "punten") + ".*")
    if answers == "text":
        fmt = TEXT_FORMAT[kind]
        prompt += (f"\n\n{TEXT_TYPE_TEXT[fmt].format(unit='')} Vervang in de cel hieronder de "
                   f"tekst {TEXT_ANSWER_STUB} door je antwoord. {points}")
    else:
        prompt += f"\n\nZet je antwoord in de variabele `{var}`, als {TYPE_TEXT[kind]}. {points}"
    cells = [_markdown(f"### {body['id']}: {body['title']}\n\n{prompt}", f"{body['id']}-vraag")]
    if answers == "text":
        cells.append(_text_answer(var, TEXT_FORMAT[kind], f"{body['id']}-antwoord"))
    else:
        cells.append(_solution(f"{body['id']}: schrijf hier je code; eindig met {var} = ...",
                               body["solution"], f"{body['id']}-antwoord"))
    if kind == "float":
        call = f"check_number({var}, {_py(expected)}, abs_tol={float(body['tolerance'])!r})"
    elif kind == "int" and answers == "text":
        # a typed number is read as a float; a count must match exactly
        call = f"check_number({var}, {_py(float(expected))}, abs_tol=0.0)"
    elif kind == "int":
        call = f"check_int({var}, {_py(expected)})"
    elif kind == "bool":
        call = f"check_bool({var}, {_py(expected)})"
    else:
        call = f"check_choice({var}, {_py(body['correct'])}, options={_py(list(body['options']))})"
    cells.append(_test(var, call, f"{body['id']}-toets", float(body["points"]),
                       body["objective"], body["hint"], item_evidence(body)))
    return cells


# --------------------------------------------------------------------------- expected values


def compute_expected(spec: dict, source: str) -> dict[str, Any]:
    """Run the assignment's setup and solution code (instructor code, in this process) and
    return the expected value of every non-choice item, checked to be plain data of the
    declared type."""
    namespace: dict[str, Any] = {"__name__": "__ketencursus_assignment__"}
    expected: dict[str, Any] = {}
    for cell in spec["cells"]:
        (kind, body), = cell.items()
        if kind == "code":
            exec(compile(body, f"{source}:setup", "exec"), namespace)
        elif kind == "item":
            exec(compile(body["solution"], f"{source}:{body['id']}", "exec"), namespace)
            if body["type"] == "choice":
                continue
            expression = body.get("expected", body["variable"])
            value = eval(expression, namespace)
            wanted = {"float": float, "int": int, "bool": bool}[body["type"]]
            if type(value) is not wanted:
                raise AssignmentError(
                    f"{source}: item {body['id']}: de modeloplossing levert "
                    f"{type(value).__name__}, maar het item verwacht {body['type']}; "
                    "zet de waarde om (bijvoorbeeld float(...))"
                )
            expected[body["id"]] = value
    return expected


# --------------------------------------------------------------------------- notebooks


def build_notebook(name: str, spec: dict, bank: Bank, source: str,
                   objectives: dict[str, Objective] | None = None,
                   rubrics: dict[str, Rubric] | None = None) -> nbformat.NotebookNode:
    """The nbgrader source notebook (with solutions and hidden tests) of one assignment."""
    if rubrics is None:
        rubrics = load_assignment_rubrics(Path(source).parent.parent, objectives)
    answers = spec.get("answers", "code")
    expected = compute_expected(spec, source)
    cells: list[nbformat.NotebookNode] = [_markdown(f"# {spec['title']}", f"{name}-titel")]
    n_code = 0
    n_text = 0
    for cell in spec["cells"]:
        (kind, body), = cell.items()
        if kind == "markdown":
            n_text += 1
            cells.append(_markdown(body, f"{name}-tekst-{n_text}"))
        elif kind == "code":
            n_code += 1
            cells.append(_code(body, f"{name}-code-{n_code}"))
        elif kind == "bank":
            questions = bank.graded()
            if not questions:
                raise AssignmentError(f"{source}: de vragenbank heeft geen beoordeelde vragen")
            for question in questions:
                cells += bank_item_cells(question, answers)
        elif kind == "item":
            cells += _item_cells(body, expected.get(body["id"]), answers)
        elif kind == "task":
            cells += _task(body, rubrics[str(body["rubric"])])
    if objectives is not None:
        for cell in cells:
            objective = cell.metadata.get("ketencursus", {}).get("objective")
            if objective and objective not in objectives:
                raise AssignmentError(f"{source}: leerdoel {objective} bestaat niet in de "
                                      "hoofdstukken")
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["ketencursus"] = {"generated_by": GENERATOR_MARK, "assignment": name,
                                  "answers": answers,
                                  "source": f"exercises/assignments/{name}/assignment.yml"}
    nbformat.validate(nb)
    return nb


def generate_assignments(
    assignments_dir: Path,
    course_dir: Path,
    bank: Bank,
    objectives: dict[str, Objective] | None = None,
    names: list[str] | None = None,
    force: bool = False,
) -> list[Path]:
    """Write ``<course>/source/<name>/<notebook>.ipynb`` for every (or every named)
    assignment. A source notebook that was not generated by this command (edited or made by
    hand) is never overwritten unless ``force``."""
    dirs = assignment_dirs(assignments_dir)
    if not dirs:
        raise AssignmentError(f"{assignments_dir}: geen opdrachten gevonden "
                              "(<naam>/assignment.yml)")
    known = {d.name: d for d in dirs}
    for name in names or []:
        if name not in known:
            raise AssignmentError(f"Onbekende opdracht '{name}'. Kies uit: {', '.join(known)}")
    rubrics = load_assignment_rubrics(assignments_dir, objectives)
    written = []
    for name, directory in known.items():
        if names and name not in names:
            continue
        spec = read_spec(directory, rubrics)
        source = str(directory / "assignment.yml")
        nb = build_notebook(name, spec, bank, source, objectives, rubrics)
        target = Path(course_dir) / "source" / name / f"{spec['notebook']}.ipynb"
        if target.exists() and not force and not _is_generated(Path(course_dir), target):
            raise AssignmentError(
                f"{target} bestaat al en is niet door 'ketencursus assignments' gemaakt (of is "
                "met de hand aangepast). Verplaats het bestand of gebruik --force om het te "
                "overschrijven."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        nbformat.write(nb, str(tmp))
        tmp.replace(target)
        _remember(Path(course_dir), target)
        written.append(target)
    return written


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stamps(course_dir: Path) -> Path:
    """Where the fingerprints of generated notebooks live: in source/ (git-ignored) but
    outside every assignment directory, so nbgrader never copies them into a release."""
    return course_dir / "source" / ".ketencursus-generated.json"


def _remember(course_dir: Path, target: Path) -> None:
    path = _stamps(course_dir)
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data[target.relative_to(course_dir).as_posix()] = _fingerprint(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _is_generated(course_dir: Path, target: Path) -> bool:
    """True when ``target`` is exactly what this command wrote last time."""
    path = _stamps(course_dir)
    if not path.is_file():
        return False
    data = json.loads(path.read_text(encoding="utf-8"))
    return data.get(target.relative_to(course_dir).as_posix()) == _fingerprint(target)
