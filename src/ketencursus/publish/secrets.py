"""What a learner must never see, and a scan that finds it in a tree of files.

Secrets come from three instructor-only sources:

* assignment sources (``exercises/assignments/**`` — YAML specs whose ``solution`` and
  ``model_answer`` values are secret — and the nbgrader source notebooks generated from
  them): the text inside ``### BEGIN SOLUTION`` / ``### END SOLUTION`` and
  ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS`` blocks, and whole solution cells
  without markers (e.g. a model answer in a markdown cell marked ``solution``);
* ``graded`` items of the question bank (``exercises/bank/*.yml``): the feedback per option,
  the correct-answer feedback and the explanation (they say which answer is right; the
  incorrect-answer feedback is the test cell's hint and may be shown), and the answer key
  itself (correct option letters, numeric answer, accepted texts) as it would appear in code;
* the instructor edition (``docent/*.md``, the docentenhandleiding) and the trainer's data
  (``src/ketencursus/trainer/*.yml``: timetable, peer-review form, role plays), plus the
  ``misconception`` note of every option in the bank: prose, searched by sentence
  (:func:`instructor_text_secrets`), and the hidden interests of the role cards
  (``exercises/rollenspel``, :func:`roleplay_secrets`).

A secret is searched line by line: every distinctive line of a block is its own needle, so a
partly copied solution is found too. Lines that also occur outside the secret parts of the
sources (shared boilerplate such as ``import pandas as pd``) are not secret.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

BLOCKS = (
    ("### BEGIN SOLUTION", "### END SOLUTION"),
    ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
)
MIN_NEEDLE = 12  # shorter texts (``)``, ``pass``, ``x = 1``) are not distinctive
MIN_TOKENS = 3  # a code line needs three names/numbers: ``"doorlooptijd_dagen"`` alone is not
_TOKEN = re.compile(r"[A-Za-z_]\w*|\d+(?:\.\d+)?")


def is_distinctive(line: str) -> bool:
    """A line of a solution or hidden test that identifies it: long enough and with at least
    three names or numbers (a lone string literal or ``)`` could be anybody's code)."""
    return len(line) >= MIN_NEEDLE and len(_TOKEN.findall(line)) >= MIN_TOKENS
TEXT_SUFFIXES = {
    ".ipynb", ".py", ".md", ".txt", ".json", ".yml", ".yaml", ".html", ".js", ".css",
    ".csv", ".toml", ".cfg", ".ini", ".rst", ".bib", ".tex", ".xml",
}


@dataclass(frozen=True)
class Secret:
    """A text that must not appear in the learner tree.

    ``scope`` is ``"all"`` (searched in every file) or ``"code"`` (an answer key: searched
    as a literal in the code cells and Python files of the tree, where it would give the
    answer away; the same word in prose is not a leak)."""

    text: str
    origin: str
    scope: str = "all"


@dataclass(frozen=True)
class Leak:
    path: str
    secret: Secret

    def message(self) -> str:
        shown = self.secret.text if len(self.secret.text) <= 70 else self.secret.text[:67] + "..."
        return f"{self.path}: bevat geheime tekst uit {self.secret.origin}: {shown!r}"


def _normalise(line: str) -> str:
    return " ".join(line.split())


def split_marked(text: str) -> tuple[list[str], list[str]]:
    """Split source text into (lines inside solution/hidden-test blocks, lines outside)."""
    inside: list[str] = []
    outside: list[str] = []
    end: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if end is None:
            for begin, block_end in BLOCKS:
                if line.startswith(begin):
                    end = block_end
                    break
            else:
                outside.append(raw)
        elif line.startswith(end):
            end = None
        else:
            inside.append(raw)
    return inside, outside


def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


MIN_SENTENCE = 30  # a prose sentence shorter than this could be anybody's


def prose_needles(text: str) -> list[str]:
    """The sentences of a prose secret (a model answer), whitespace collapsed. A model answer
    is wrapped at arbitrary places, so its lines are fragments that may occur in any text
    ("gedeelde plek verdwijnt."); its sentences are what identifies it. The scan compares
    against the tree's text with whitespace collapsed, so a sentence is found across line
    breaks."""
    flat = " ".join(text.split())
    return [part for part in re.split(r"(?<=[.!?;:])\s+", flat) if len(part) >= MIN_SENTENCE]


def _split_notebook(nb: dict) -> tuple[list[str], list[str]]:
    inside: list[str] = []
    outside: list[str] = []
    for cell in nb.get("cells", []):
        source = _cell_source(cell)
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        has_markers = any(begin in source for begin, _ in BLOCKS)
        if meta.get("solution") and not has_markers:
            if cell.get("cell_type") == "markdown":  # a written model answer: prose
                inside.extend(prose_needles(source))
            else:
                inside.extend(source.splitlines())  # the whole cell is the solution
            continue
        cell_inside, cell_outside = split_marked(source)
        inside.extend(cell_inside)
        outside.extend(cell_outside)
    return inside, outside


# Keys whose strings are secret in an assignment spec: the solution code, and the model answers
# of the written tasks graded with a rubric (``model_answer``, also inside a task's ``parts``;
# prose, searched by sentence, see :func:`prose_needles`).
PROSE_KEYS = {"model_answer", "modelantwoord"}
SOLUTION_KEYS = {"solution", "solutions", "oplossing", "uitwerking"} | PROSE_KEYS


def _split_yaml(data, inside: list[str], outside: list[str], secret: bool = False) -> None:
    """Strings under a ``solution`` key (the assignment specs in YAML) are secret."""
    if isinstance(data, dict):
        for key, value in data.items():
            if str(key).lower() in PROSE_KEYS and isinstance(value, str):
                inside.extend(prose_needles(value))
                continue
            _split_yaml(value, inside, outside, secret or str(key).lower() in SOLUTION_KEYS)
    elif isinstance(data, list):
        for value in data:
            _split_yaml(value, inside, outside, secret)
    elif isinstance(data, str):
        lines_in, lines_out = split_marked(data)
        if secret:
            inside.extend(lines_in + lines_out)
        else:
            inside.extend(lines_in)
            outside.extend(lines_out)


def _split_file(path: Path) -> tuple[list[str], list[str]]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix in {".yml", ".yaml"}:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            return split_marked(text)
        inside: list[str] = []
        outside: list[str] = []
        _split_yaml(data, inside, outside)
        return inside, outside
    if path.suffix == ".ipynb":
        try:
            return _split_notebook(json.loads(text))
        except (json.JSONDecodeError, AttributeError, TypeError):
            pass
    return split_marked(text)


def _text_files(directory: Path) -> Iterator[Path]:
    if not directory.is_dir():
        return
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES and ".git" not in path.parts:
            yield path


def assignment_secrets(*directories: Path) -> list[Secret]:
    """Distinctive lines of every solution and hidden-test block in ``directories``
    (assignment sources, generated nbgrader source notebooks)."""
    inside: dict[str, str] = {}
    public: set[str] = set()
    for directory in directories:
        for path in _text_files(directory):
            lines_in, lines_out = _split_file(path)
            public.update(_normalise(line) for line in lines_out)
            for line in lines_in:
                key = _normalise(line)
                inside.setdefault(key, f"{path.name} (oplossing/verborgen test)")
    return [
        Secret(text, origin)
        for text, origin in inside.items()
        if is_distinctive(text) and text not in public
    ]


def _format_number(value: float) -> list[str]:
    forms = {repr(value)}
    if isinstance(value, float) and value.is_integer():
        forms.add(str(int(value)))
    return sorted(forms)


def bank_secrets(bank_dir: Path) -> list[Secret]:
    """Feedback, explanations and answer keys of every ``graded`` item in the bank."""
    secrets: list[Secret] = []
    if not bank_dir.is_dir():
        return secrets
    for path in sorted(bank_dir.glob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("questions") or []:
            if not isinstance(item, dict) or item.get("use") != "graded":
                continue
            origin = f"{path.name} vraag {item.get('id')} (nagekeken)"
            texts: list[str] = []
            keys: list[str] = []
            for option in item.get("options") or []:
                texts.append(str(option.get("feedback", "")))
                if option.get("correct"):
                    keys.append(f'"{option.get("id")}"')
            # The incorrect-answer feedback of a numeric or text item is, by the assessment
            # contract, the hint of its test cell (it describes the method, never the value)
            # and travels in the release notebook's metadata; the correct-answer feedback
            # gives the value away and is secret.
            feedback = item.get("feedback") or {}
            texts.append(str(feedback.get("correct", "")))
            texts.append(str(item.get("explanation", "")))
            if isinstance(item.get("answer"), int | float) and not isinstance(
                item.get("answer"), bool
            ):
                keys.extend(_format_number(item["answer"]))
            keys.extend(str(a) for a in item.get("accepted") or [])
            for text in texts:
                text = _normalise(text)
                if len(text) >= MIN_NEEDLE:
                    secrets.append(Secret(text, origin))
            qid = str(item.get("id", ""))
            for key in keys:
                secrets.append(Secret(f"{qid}|{key}", origin, scope="code"))
    return secrets


def _code_texts(path: Path, text: str) -> Iterable[str]:
    if path.suffix == ".py":
        yield text
    elif path.suffix == ".ipynb":
        try:
            nb = json.loads(text)
        except json.JSONDecodeError:
            yield text
            return
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code":
                yield _cell_source(cell)


def _answer_key_in_code(secret: Secret, code: str) -> bool:
    """An answer key leaks when the item's variable is bound to, or compared with, the key
    in code: ``antwoord_h4_03 = "b"`` / ``check_number(antwoord_h4_03, 12.5`` / ...``."""
    qid, key = secret.text.split("|", 1)
    var = re.escape("antwoord_" + qid.replace("-", "_"))
    literal = re.escape(key)
    pattern = rf"\b{var}\b[^\n]{{0,80}}(?<![\w.]){literal}(?![\w.])"
    return re.search(pattern, code) is not None


def scan_tree(tree: Path, secrets: Iterable[Secret]) -> list[Leak]:
    """Every (file, secret) pair where a secret appears in a text file under ``tree``."""
    secrets = list(secrets)
    leaks: list[Leak] = []
    for path in _text_files(tree):
        raw = path.read_text(encoding="utf-8", errors="replace")
        texts = [raw]
        if path.suffix == ".ipynb":
            try:
                texts.append("\n".join(_cell_source(c) for c in json.loads(raw).get("cells", [])))
            except (json.JSONDecodeError, AttributeError):
                pass
        haystack = _normalise("\n".join(texts))
        code = "\n".join(_code_texts(path, raw))
        rel = path.relative_to(tree).as_posix()
        for secret in secrets:
            if secret.scope == "code":
                if code and _answer_key_in_code(secret, code):
                    leaks.append(Leak(rel, secret))
            elif secret.text in haystack:
                leaks.append(Leak(rel, secret))
    return leaks


# --------------------------------------------------------------------------- instructor edition

_FENCED = re.compile(r"^(`{3,}|:{3,})[^\n]*\n.*?^\1\s*$", re.S | re.M)
_ROLE_WITH_TITLE = re.compile(r"\{[\w:-]+\}`([^`<]*?)\s*<[^`>]*>`")
_CITATION = re.compile(r"\s*\{(?:foot)?cite(?::\w+)?\}`[^`]*`")
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_MARKUP = re.compile(r"\*+|`+")


def markdown_prose(text: str) -> str:
    """The running text of a MyST page: without directive blocks, headings and tables, roles
    reduced to their title (citations dropped), emphasis marks removed. Paragraphs stay
    separated by blank lines."""
    text = _FENCED.sub("\n", text)
    text = re.sub(r"^\(.*\)=\s*$", "", text, flags=re.M)  # labels
    text = re.sub(r"^(#+\s.*|\s*\|.*)$", "\n", text, flags=re.M)  # headings, table rows
    text = _ROLE_WITH_TITLE.sub(r"\1", text)
    text = _CITATION.sub("", text)
    text = _ROLE.sub("\n\n", text)  # a link shown by its target's title: the sentence breaks
    text = re.sub(r"^\s*(?:[->]|\d+\.)\s?", "", text, flags=re.M)  # list and quote marks
    return _MARKUP.sub("", text)


# Fields of the trainer's data that name things (a part of chapter 7's template, a page, a
# learner-book docname) rather than hold instructor prose.
_NAME_KEYS = {"id", "kind", "part", "page", "boek", "chapters", "label", "criterion"}


def _yaml_strings(data) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if str(key) not in _NAME_KEYS:
                yield from _yaml_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _yaml_strings(value)
    elif isinstance(data, str):
        yield data


def instructor_text_secrets(docent_dir: Path, trainer_dir: Path | None = None,
                            bank_dir: Path | None = None) -> list[Secret]:
    """Every sentence of the instructor edition's pages (``docent/**/*.md``), of the trainer's
    data (``trainer/**/*.yml``) and of the bank's misconception notes: texts only instructors
    read. The edition shows learner material only through its directives (rendered from the
    one source, not part of the page's text), so no sentence of a page is meant for learners:
    one that turns up in the learner tree was copied."""
    found: dict[str, str] = {}
    if docent_dir.is_dir():
        for path in sorted(docent_dir.rglob("*.md")):
            if "_build" in path.parts:
                continue
            text = markdown_prose(path.read_text(encoding="utf-8"))
            for paragraph in re.split(r"\n\s*\n", text):
                for needle in prose_needles(paragraph):
                    found.setdefault(needle, f"docenteneditie {path.relative_to(docent_dir)}")
    if trainer_dir is not None and trainer_dir.is_dir():
        for path in sorted(trainer_dir.rglob("*.y*ml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for value in _yaml_strings(data):
                for needle in prose_needles(value):
                    found.setdefault(needle, f"trainer/{path.name}")
    if bank_dir is not None and bank_dir.is_dir():
        for path in sorted(bank_dir.glob("*.y*ml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for item in data.get("questions") or []:
                for option in (item.get("options") or []) if isinstance(item, dict) else []:
                    note = _normalise(str(option.get("misconception") or ""))
                    if len(note) >= MIN_SENTENCE:
                        found.setdefault(note, f"{path.name} vraag {item.get('id')} (denkfout)")
    return [Secret(text, origin) for text, origin in found.items()]


def roleplay_secrets(roleplay_dir: Path, book_dir: Path) -> list[Secret]:
    """The hidden interests and the room to give way of every role card of the role plays
    (``exercises/rollenspel``), by sentence; nothing when there are no role plays."""
    if not roleplay_dir.is_dir() or not any(roleplay_dir.glob("*.yml")):
        return []
    from ketencursus.trainer.roleplay import load_roleplays, secret_texts

    needles = {needle for text in secret_texts(load_roleplays(roleplay_dir, book_dir))
               for needle in prose_needles(text)}
    return [Secret(needle, "rollenspel (rolkaart)") for needle in sorted(needles)]
