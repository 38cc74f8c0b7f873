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
      - task: {...}                  # a written answer graded by hand in the formgrader

The generated notebooks follow the assessment contract: every answer is a named variable of
plain data; every autograded test cell has nbgrader ``grade: true`` with points, metadata
``ketencursus: {answers, objective, hint}``, and code that only calls the pure functions of
:mod:`ketencursus.checks` on those variables, inside ``### BEGIN/END HIDDEN TESTS``.

Expected values of data items are computed here, by running the assignment's own setup and
solution code (the same seeded generators the learner uses), so the source and the hidden
tests can never disagree.
"""

from __future__ import annotations

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
from ketencursus.quiz.bank import Bank, Question

SCHEMA_VERSION = 1
GENERATOR_MARK = "ketencursus-assignments"
ITEM_TYPES = ("float", "int", "bool", "choice")
ITEM_FIELDS = {"id", "title", "objective", "points", "variable", "type", "prompt", "solution",
               "hint", "tolerance", "expected", "options", "correct"}
TASK_FIELDS = {"id", "title", "objective", "points", "prompt", "model_answer"}
TYPE_TEXT = {
    "float": "een kommagetal (`float`)",
    "int": "een geheel getal (`int`)",
    "bool": "`True` of `False` (`bool`)",
    "choice": 'één letter als tekst (`str`), bijvoorbeeld `"a"`',
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
    """One graded item of an assignment (for the alignment table)."""

    assignment: str
    id: str
    label: str
    objective: str
    points: float
    kind: str  # "auto" or "manual"


# --------------------------------------------------------------------------- reading


def assignment_dirs(assignments_dir: Path) -> list[Path]:
    if not Path(assignments_dir).is_dir():
        return []
    return sorted(p for p in Path(assignments_dir).iterdir() if (p / "assignment.yml").is_file())


def read_spec(directory: Path) -> dict:
    """Read and check one ``assignment.yml``; raise :class:`AssignmentError` in Dutch."""
    path = directory / "assignment.yml"
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
    extra = set(spec) - {"schema_version", "title", "notebook", "cells"}
    if extra:
        raise AssignmentError(f"{path}: onbekend veld '{sorted(extra)[0]}'")
    seen: set[str] = set()
    for n, cell in enumerate(spec["cells"], 1):
        if not isinstance(cell, dict) or len(cell) != 1:
            raise AssignmentError(f"{path}: cel {n} moet precies één soort hebben "
                                  "(markdown, code, bank, item of task)")
        (kind, body), = cell.items()
        if kind in ("markdown", "code"):
            if not isinstance(body, str) or not body.strip():
                raise AssignmentError(f"{path}: cel {n} ({kind}) is leeg")
        elif kind == "bank":
            if body != "graded":
                raise AssignmentError(f"{path}: cel {n}: 'bank' kent alleen de waarde 'graded'")
        elif kind in ("item", "task"):
            _check_item(path, n, kind, body, seen)
        else:
            raise AssignmentError(f"{path}: cel {n}: onbekende soort '{kind}'")
    return spec


def _check_item(path: Path, n: int, kind: str, body: Any, seen: set[str]) -> None:
    if not isinstance(body, dict):
        raise AssignmentError(f"{path}: cel {n} ({kind}) moet velden hebben")
    iid = body.get("id", f"cel {n}")
    allowed = ITEM_FIELDS if kind == "item" else TASK_FIELDS
    required = {"id", "title", "objective", "points", "prompt"}
    required |= {"variable", "type", "solution", "hint"} if kind == "item" else {"model_answer"}
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


def assignment_items(assignments_dir: Path, bank: Bank | None = None) -> list[AssignmentItem]:
    """The graded items of every assignment that are not bank items (those are listed with
    the bank), for the alignment table."""
    items = []
    for directory in assignment_dirs(assignments_dir):
        spec = read_spec(directory)
        for cell in spec["cells"]:
            (kind, body), = cell.items()
            if kind in ("item", "task"):
                label = f"{body['id']} {body['title']}"
                if kind == "task":
                    label += " (handmatig)"
                items.append(AssignmentItem(directory.name, body["id"], label, body["objective"],
                                            float(body["points"]),
                                            "auto" if kind == "item" else "manual"))
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
          hint: str) -> nbformat.NotebookNode:
    function = call.split("(", 1)[0]
    source = "\n".join([
        f"# Controle van {variable} (de verborgen toets draait bij het nakijken).",
        f"from ketencursus.checks import {function}",
        "",
        "### BEGIN HIDDEN TESTS",
        call,
        "### END HIDDEN TESTS",
    ])
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = _meta(grade_id, grade=True, solution=False, locked=True,
                                      points=points)
    cell.metadata["ketencursus"] = {"answers": [variable], "objective": objective,
                                    "hint": " ".join(hint.split())}
    return cell


def _task(body: dict) -> list[nbformat.NotebookNode]:
    prompt = _markdown(f"### {body['id']}: {body['title']}\n\n{body['prompt'].strip()}\n\n"
                       f"*Leerdoel {body['objective']}, {body['points']:g} punten, "
                       "beoordeeld door je docent.*", f"{body['id']}-vraag")
    answer = nbformat.v4.new_markdown_cell(body["model_answer"].strip())
    answer.metadata["nbgrader"] = _meta(f"{body['id']}-antwoord", grade=True, solution=True,
                                        locked=False, points=float(body["points"]))
    answer.metadata["ketencursus"] = {"answers": [], "objective": body["objective"],
                                      "hint": "Schriftelijk antwoord; je docent beoordeelt het."}
    return [prompt, answer]


def _py(value: Any) -> str:
    """A Python literal for a plain-data expected value."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AssignmentError(f"verwachte waarde {value!r} is geen gewoon getal")
        return repr(value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (str, list)) else repr(value)


def bank_item_cells(question: Question) -> list[nbformat.NotebookNode]:
    """Question text, answer cell and hidden test for one graded bank item."""
    var = question.variable
    parts = [f"### Vraag {question.id}: {question.title}"]
    if question.context:
        parts.append(question.context)
    parts.append(f"**{question.question}**")
    if question.options:
        parts.append("\n".join(f"- **{o.id})** {o.text}" for o in question.options))
    unit = f" (in {question.unit})" if question.unit else ""
    parts.append(BANK_TYPE_TEXT[question.type].format(var=var, unit=unit)
                 + f" *Leerdoel {question.objective}, {question.points:g} "
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
        solution = f"{var} = {float(question.answer)!r}"
        call = (f"check_number({var}, {float(question.answer)!r}, "
                f"abs_tol={float(question.tolerance)!r})")
        hint = question.feedback_incorrect or "Controleer je berekening."
    else:
        solution = f"{var} = {_py(question.accepted[0])}"
        call = f"check_text({var}, accepted={_py(list(question.accepted))})"
        hint = question.feedback_incorrect or "Controleer het begrip en de spelling."
    cells.append(_solution(f"Vraag {question.id}: vul je antwoord in.", solution,
                           f"{question.id}-antwoord"))
    cells.append(_test(var, call, f"{question.id}-toets", float(question.points),
                       question.objective, _hint_for_bank(question, hint)))
    return cells


def _hint_for_bank(question: Question, hint: str) -> str:
    # The feedback of a numeric/text item may describe the method, never the value.
    return f"Zie hoofdstuk {question.chapter[1:]}, leerdoel {question.objective}. {hint}"


def _item_cells(body: dict, expected: Any) -> list[nbformat.NotebookNode]:
    var, kind = body["variable"], body["type"]
    prompt = body["prompt"].strip()
    if kind == "choice":
        prompt += "\n\n" + "\n".join(f"- **{k})** {v}" for k, v in body["options"].items())
    prompt += (f"\n\nZet je antwoord in de variabele `{var}`, als {TYPE_TEXT[kind]}. "
               f"*Leerdoel {body['objective']}, {body['points']:g} "
               + ("punt" if body["points"] == 1 else "punten") + ".*")
    cells = [_markdown(f"### {body['id']}: {body['title']}\n\n{prompt}", f"{body['id']}-vraag")]
    cells.append(_solution(f"{body['id']}: schrijf hier je code; eindig met {var} = ...",
                           body["solution"], f"{body['id']}-antwoord"))
    if kind == "float":
        call = f"check_number({var}, {_py(expected)}, abs_tol={float(body['tolerance'])!r})"
    elif kind == "int":
        call = f"check_int({var}, {_py(expected)})"
    elif kind == "bool":
        call = f"check_bool({var}, {_py(expected)})"
    else:
        call = f"check_choice({var}, {_py(body['correct'])}, options={_py(list(body['options']))})"
    cells.append(_test(var, call, f"{body['id']}-toets", float(body["points"]),
                       body["objective"], body["hint"]))
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
                   objectives: dict[str, Objective] | None = None) -> nbformat.NotebookNode:
    """The nbgrader source notebook (with solutions and hidden tests) of one assignment."""
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
                cells += bank_item_cells(question)
        elif kind == "item":
            cells += _item_cells(body, expected.get(body["id"]))
        elif kind == "task":
            cells += _task(body)
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
    written = []
    for name, directory in known.items():
        if names and name not in names:
            continue
        spec = read_spec(directory)
        source = str(directory / "assignment.yml")
        nb = build_notebook(name, spec, bank, source, objectives)
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
