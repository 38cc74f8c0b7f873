"""The instructor edition's renderings of course material, each from its one source.

Every function returns MyST Markdown that the directives of :mod:`ketencursus.sphinxext.docent`
parse into the page; none holds course text of its own beyond labels. The sources:

* learning objectives: the ``{leerdoelen}`` blocks of the chapters (:mod:`ketencursus.objectives`);
* misconceptions: the ``misconception`` note of every wrong option in the question bank;
* Toepassen tasks and their model answers: the chapter itself (the ``Toepassen`` admonition and
  the collapsed ``Modelantwoord`` that follows it, for self-study);
* graded tasks: the assignment sources (``exercises/assignments``: prompt and ``model_answer``)
  with their rubric (``exercises/rubrics``, :func:`ketencursus.quiz.rubrics.instructor_markdown`);
* the knowledge test: the graded items of the bank with their answer key and explanation.

Instructor-only: the student release leaves the ``trainer`` package out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ketencursus.errors import UserError
from ketencursus.objectives import Objective
from ketencursus.quiz.assignments import load_assignment_rubrics, read_spec
from ketencursus.quiz.bank import Bank, Question
from ketencursus.quiz.rubrics import instructor_markdown

FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}(?P<arg>[^\n]*)\n(?P<body>.*?)"
                   r"^(?P=fence)\s*$", re.S | re.M)
HEADING = re.compile(r"^(#{2,3}) (.+)$", re.M)
# A glossary link of the learner book ({term}`text <target>` or {term}`text`): the edition has
# no glossary, so the text stays and the link goes.
TERM = re.compile(r"\{term\}`([^`<]+?)(?:\s*<[^`>]+>)?`")
USE_NL = {"selfcheck": "zelftoets", "graded": "kennistoets"}


class HandleidingError(UserError, ValueError):
    """A source the instructor edition renders from is missing or malformed (Dutch)."""


def chapter_file(book_dir: Path, chapter: str) -> Path:
    """The chapter source ``book/<chapter>_*.md`` (``chapter`` like ``h3``)."""
    found = sorted(Path(book_dir).glob(f"{chapter}_*.md"))
    if len(found) != 1:
        raise HandleidingError(
            f"hoofdstuk {chapter}: verwacht precies één bestand {book_dir}/{chapter}_*.md, "
            f"gevonden: {', '.join(p.name for p in found) or 'geen'}")
    return found[0]


def chapter_docname(book_dir: Path, chapter: str) -> str:
    """The learner book's docname of a chapter, e.g. ``book/h3_liever_solo_dan_samen``."""
    return f"{Path(book_dir).name}/{chapter_file(book_dir, chapter).stem}"


def _plain(text: str) -> str:
    return TERM.sub(r"\1", text)


# --------------------------------------------------------------------------- objectives


def objectives_markdown(objectives: dict[str, Objective], chapter: str) -> str:
    """The chapter's learning objectives, each linked to its place in the learner book."""
    own = [o for o in objectives.values() if o.id.split(".")[0] == chapter]
    if not own:
        raise HandleidingError(f"hoofdstuk {chapter} heeft geen leerdoelen")
    lines = ["Na dit hoofdstuk kan de cursist:", ""]
    for o in sorted(own, key=lambda o: int(o.id.split(".")[1])):
        lines.append(f"- {o.text} ({{leerlingboek}}`{o.id} <{o.chapter}#{o.anchor}>`)")
    return "\n".join(lines)


# --------------------------------------------------------------------------- misconceptions


def _inline(text: str) -> str:
    return " ".join(text.split())


def misconceptions_markdown(bank: Bank, chapter: str) -> str:
    """Per question of the chapter: the wrong options and the misconception each stands for."""
    lines: list[str] = []
    for question in bank.chapter(chapter):
        wrong = [o for o in question.options if not o.correct and o.misconception]
        if not wrong:
            continue
        lines.append(f"- **{question.id}** ({USE_NL.get(question.use, question.use)}, "
                     f"leerdoel {question.objective}): {_inline(question.title)}")
        for option in wrong:
            lines.append(f"  - optie {option.id}, „{_inline(option.text)}”: "
                         f"{_inline(option.misconception or '')}")
    if not lines:
        raise HandleidingError(f"hoofdstuk {chapter}: geen vragen met misvattingen in de bank")
    return "\n".join(lines)


# --------------------------------------------------------------------------- Toepassen


@dataclass(frozen=True)
class ToepassenTask:
    section: str  # the heading of the section the task is in
    prompt: str
    model_answer: str


def toepassen_tasks(source: str, where: str = "") -> list[ToepassenTask]:
    """The Toepassen tasks of a chapter, each with the collapsed model answer that follows it."""
    tasks: list[ToepassenTask] = []
    blocks = list(FENCE.finditer(source))
    for i, block in enumerate(blocks):
        if block["name"] != "admonition" or block["arg"].strip() != "Toepassen":
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if nxt is None or nxt["name"] != "dropdown" or nxt["arg"].strip() != "Modelantwoord":
            raise HandleidingError(f"{where}: een Toepassen-opdracht zonder Modelantwoord "
                                   "direct erna")
        prompt = "\n".join(line for line in block["body"].splitlines()
                           if not line.startswith(":")).strip()
        headings = [m[2] for m in HEADING.finditer(source, 0, block.start())]
        tasks.append(ToepassenTask(headings[-1] if headings else "", prompt,
                                   nxt["body"].strip()))
    return tasks


def toepassen_markdown(book_dir: Path, chapter: str) -> str:
    """Every Toepassen task of the chapter with its model answer, as the chapter has them."""
    path = chapter_file(book_dir, chapter)
    tasks = toepassen_tasks(path.read_text(encoding="utf-8"), str(path))
    if not tasks:
        raise HandleidingError(f"{path}: geen Toepassen-opdrachten gevonden")
    doc = chapter_docname(book_dir, chapter)
    parts = []
    for n, task in enumerate(tasks, 1):
        parts += [f"**Toepassen {n}** (paragraaf „{_plain(task.section)}”, "
                  f"{{leerlingboek}}`in het boek <{doc}>`)", "",
                  *(f"> {line}" if line else ">" for line in _plain(task.prompt).splitlines()),
                  "", "*Modelantwoord in het boek:*", "", _plain(task.model_answer), ""]
    return "\n".join(parts).rstrip()


# --------------------------------------------------------------------------- graded tasks


def _task_body(assignments_dir: Path, assignment: str, task_id: str) -> dict:
    spec = read_spec(Path(assignments_dir) / assignment)
    for cell in spec["cells"]:
        (kind, body), = cell.items()
        if kind == "task" and body.get("id") == task_id:
            return body
    raise HandleidingError(f"opdracht {assignment} heeft geen taak {task_id}")


def task_model_answer(body: dict, rubric_titles: dict[str, str]) -> str:
    """The model answer of a task: its own, or per part (criterion) for a task with parts."""
    if not body.get("parts"):
        return str(body.get("model_answer", "")).strip()
    pieces = []
    for part in body["parts"]:
        title = rubric_titles.get(part["criterion"], part["criterion"])
        pieces += [f"*{title}.* " + str(part.get("model_answer", "")).strip(), ""]
    return "\n".join(pieces).strip()


def task_markdown(assignments_dir: Path, assignment: str, task_id: str,
                  also: list[str] | tuple[str, ...] = ()) -> str:
    """A graded written task for the instructor: the prompt the learner gets, the rubric with
    the objective per criterion and the model answer (instructor-only). ``also``: other
    assignments that repeat the task."""
    rubrics = load_assignment_rubrics(Path(assignments_dir))
    body = _task_body(assignments_dir, assignment, task_id)
    rubric = rubrics[str(body["rubric"])]
    titles = {c.id: c.title for c in rubric.criteria}  # per-part model answers are labelled
    where = ", ".join([assignment, *also])
    prompt = [f"**Opdracht {body['id']}: {body['title']}** ({where}; leerdoel "
              f"{body['objective']}, {body['points']:g} punten)", ""]
    prompt += [f"> {line}" if line else ">" for line in str(body["prompt"]).strip().splitlines()]
    for part in body.get("parts") or []:
        prompt += [">", "> " + " ".join(str(part["prompt"]).split())]
    return "\n".join(prompt) + "\n\n" + instructor_markdown(
        rubric, task_model_answer(body, titles))


def graded_tasks(assignments_dir: Path) -> dict[str, list[str]]:
    """Every task graded with a rubric, by task id, with the assignments that hold it (a task
    repeated with ``use:`` in another assignment, such as a leesroute, is one task), in
    assignment order."""
    from ketencursus.quiz.assignments import assignment_dirs

    found: dict[str, list[str]] = {}
    for directory in assignment_dirs(Path(assignments_dir)):
        for cell in read_spec(directory)["cells"]:
            (kind, body), = cell.items()
            if kind == "task":
                found.setdefault(str(body["id"]), []).append(directory.name)
    return found


# --------------------------------------------------------------------------- knowledge test


def _answer(question: Question) -> str:
    if question.type in ("single", "multiple"):
        right = [o for o in question.options if o.correct]
        return "; ".join(f"{o.id}) {_inline(o.text)}" for o in right)
    if question.type == "numeric":
        value = f"{question.answer:g}".replace(".", ",")
        margin = f" (marge {question.tolerance:g})".replace(".", ",") if question.tolerance else ""
        unit = f" {question.unit}" if question.unit else ""
        return value + unit + margin
    return ", ".join(f"„{a}”" for a in question.accepted)


def kennistoets_markdown(bank: Bank, chapter: str | None = None) -> str:
    """The answer key of the knowledge test (the graded items of the bank): per item the
    question, the right answer, the explanation and the misconception behind each wrong option."""
    lines: list[str] = []
    for question in bank.graded(chapter):
        lines += [f"**{question.id} {_inline(question.title)}** (leerdoel {question.objective}, "
                  f"{question.points:g} punt{'en' if question.points != 1 else ''})", "",
                  f"- Vraag: {_inline(question.question)}",
                  f"- Antwoord: {_answer(question)}"]
        if question.explanation:
            lines.append(f"- Toelichting: {_inline(question.explanation)}")
        for option in question.options:
            if not option.correct and option.misconception:
                lines.append(f"- Wie {option.id} kiest: {_inline(option.misconception)}")
        lines.append("")
    if not lines:
        raise HandleidingError("de vragenbank heeft geen beoordeelde vragen"
                               + (f" in {chapter}" if chapter else ""))
    return "\n".join(lines).rstrip()
