"""The instructor edition (``docent/``) built once per test session.

``build_docent_edition(work)`` copies the tracked tree into ``work`` and runs the same command
as ``make docent`` there, strictly (``-W -n --keep-going``), so no earlier build can hide a
warning. The session fixture ``docent_book`` (``tests/conftest.py``) calls it; every test of the
edition (``tests/docent/``, and the role-play and worksheet tests) uses that fixture, so the
edition is built once per session. It runs no notebooks; rendering the worksheets and role
cards to PDF makes it take a minute or two.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ketencursus.paths import ProjectLayout
from ketencursus.publish import secrets
from ketencursus.quiz.assignments import load_assignment_rubrics
from ketencursus.quiz.rubrics import instructor_markdown, rubric_markdown
from ketencursus.trainer import handleiding
from tests.support import ROOT, VENV_BIN, tool_env

OUTPUT = Path("_build") / "docent"  # --path-output of `make docent`


@dataclass
class DocentBuild:
    """A finished clean build of the instructor edition: its source copy, output and log."""

    work: Path
    html: Path
    log: str
    returncode: int

    def pages(self) -> list[Path]:
        return sorted(p for p in self.html.rglob("*.html") if "_static" not in p.parts)

    def page(self, docname: str) -> str:
        return (self.html / f"{docname}.html").read_text(encoding="utf-8")


def copy_tracked_tree(work: Path, root: Path = ROOT) -> Path:
    """Copy the files git would commit under ``root`` into ``work``; return ``work``."""
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=root, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    for rel in files:
        src = root / rel
        if src.is_file():
            dst = work / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return work


def run_docent_build(work: Path) -> DocentBuild:
    """``jupyter-book build docent`` in ``work`` exactly as ``make docent`` runs it."""
    proc = subprocess.run(
        [str(VENV_BIN / "jupyter-book"), "build", "docent", "--path-output", str(OUTPUT),
         "-W", "-n", "--keep-going"],
        cwd=work, capture_output=True, text=True, env=tool_env(),
    )
    log = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)
    return DocentBuild(work, work / OUTPUT / "_build" / "html", log, proc.returncode)


def build_docent_edition(work: Path) -> DocentBuild:
    """A clean copy of the repository in ``work`` with the instructor edition built in it."""
    return run_docent_build(copy_tracked_tree(work))


_BLOCK_END = re.compile(r"</?(?:p|li|ul|ol|td|th|tr|h\d|div|dd|dt|dl|blockquote|section|table|"
                        r"main|nav|header|footer|br|caption|figure|summary|details)\b[^>]*>",
                        re.I)
_TAG = re.compile(r"<[^>]+>")
_QUOTES = str.maketrans({c: '"' for c in "„“”‟«»″"} | {c: "'" for c in "‘’‚‛′"})


def comparable(text: str) -> str:
    """Text with every kind of quotation mark made plain, emphasis marks dropped and
    whitespace collapsed: Sphinx turns straight quotes into curly ones and MyST removes the
    asterisks, so a source sentence and its rendering compare equal only like this."""
    return " ".join(text.translate(_QUOTES).replace("*", "").split())


def html_text(page: str, *, main_only: bool = False) -> str:
    """The visible text of an HTML page (inline tags removed without a space, block tags with
    one), comparable with :func:`comparable` source text."""
    if main_only and "<main" in page:
        page = page[page.find("<main"):page.find("</main>")]
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    # footnote references ([1]) of citations: the source sentence has the citation role
    page = re.sub(r"\s*<a class=\"footnote-reference[^>]*>.*?</a>", "", page, flags=re.S)
    page = _TAG.sub("", _BLOCK_END.sub(" ", page))
    return comparable(html.unescape(page))


def instructor_needles(layout: ProjectLayout) -> dict[str, str]:
    """Every instructor-only text (comparable form) -> where it comes from: the sentences of the
    instructor edition's pages and of the trainer's data, the bank's misconception notes, the
    model answers of the graded tasks, the answer feedback and explanations of the graded bank
    items, and the instructor-only lines of every rubric's rendering."""
    found: dict[str, str] = {}
    for secret in secrets.instructor_text_secrets(
            layout.root / "docent", layout.root / "src" / "ketencursus" / "trainer",
            layout.exercises / "bank"):
        found[comparable(secret.text)] = secret.origin
    assignments = layout.exercises / "assignments"
    for task_id, (assignment, *_) in handleiding.graded_tasks(assignments).items():
        body = handleiding._task_body(assignments, assignment, task_id)
        for answer in [p["model_answer"] for p in body.get("parts") or []] or [
                body["model_answer"]]:
            for sentence in secrets.prose_needles(answer):
                found[comparable(sentence)] = f"modelantwoord {task_id}"
    for secret in secrets.bank_secrets(layout.exercises / "bank"):
        if secret.scope == "all":
            found[comparable(secret.text)] = secret.origin
    for rubric in load_assignment_rubrics(assignments).values():
        public = set(rubric_markdown(rubric, heading=f"Beoordelingsmodel: {rubric.title}")
                     .splitlines())
        for line in instructor_markdown(rubric).splitlines():
            if line.strip() and line not in public:
                found[comparable(line)] = f"beoordelingsmodel {rubric.id} (docent)"
    return found
