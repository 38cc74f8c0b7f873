"""The book page's script and the Python package write the same portfolio: for the same
answers, ``ketencursus-reflectie.js`` (run in Node) produces the same Markdown and HTML,
byte for byte, as :mod:`ketencursus.reflection.export`, and the same feedback."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ketencursus.reflection.exercises import EXERCISES, definitions_json, derive
from ketencursus.reflection.export import import_portfolio, portfolio_html, portfolio_markdown
from ketencursus.reflection.model import Answer, Workbook
from ketencursus.reflection.page import page_form_html

SCRIPT = (Path(__file__).resolve().parents[2] / "src" / "ketencursus" / "sphinxext" / "static"
          / "ketencursus-reflectie.js")
GENERATED = "2026-03-29T00:30:00Z"  # the night the clocks change: time zones must agree

NODE_HARNESS = """
const core = require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const course = new core.Course(input.definitions, input.format);
const out = input.workbooks.map(wb => ({
  md: course.markdown(wb, input.generated),
  html: course.html(wb, input.generated),
  derived: input.definitions.map(d => course.derive(d.id, wb)),
  reparsed: course.parse(course.markdown(wb, input.generated)),
}));
process.stdout.write(JSON.stringify(out));
"""

TEXTS = ["", "  ", "Gewoon antwoord", "Twee\nregels\n\nmet witregel\n", "<b>&\"'</b>", "é ü „x”",
         "regel\r\nwindows", "😀 emoji", "tab\there"]


def random_workbook(rng: random.Random) -> Workbook:
    wb = Workbook()
    for exercise in EXERCISES.values():
        if rng.random() < 0.2:
            continue
        for prompt in exercise.prompts:
            if rng.random() < 0.3:
                continue
            when = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T" \
                   f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
            kind = prompt.kind
            if kind == "likert":
                value = rng.choice([None, 1, 2, 3, 4, 5])
            elif kind == "choice":
                value = [o for o, _ in prompt.options if rng.random() < 0.3]
            elif kind == "select":
                value = rng.choice([""] + [o for o, _ in prompt.options])
            elif kind == "date":
                value = rng.choice(["", "2026-07-01", "2027-01-31"])
            elif kind == "table":
                value = [
                    {f.id: (rng.choice([o for o, _ in f.options]) if f.options
                            else rng.choice(TEXTS)) for f in prompt.fields}
                    for _ in range(rng.randint(0, 4))
                ]
            else:
                value = rng.choice(TEXTS)
            wb.set(exercise, prompt.id, value, when=when)
    if rng.random() < 0.3:  # answers of a prompt this version does not know are kept
        wb.answers.setdefault("actieplan", {})["stap1"] = Answer("oude vraag", GENERATED)
        wb.answers["oude_oefening"] = {"x": Answer({"b": [1, "2"], "a": None}, GENERATED)}
    return wb


def run_node(workbooks: list[Workbook]) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js ontbreekt: installeer het (npm ci heeft het ook nodig).")
    page = page_form_html("cultuurscan")  # exactly what the page embeds
    embedded = {name: json.loads(re.search(
        rf'<script type="application/json" class="{name}">(.*?)</script>', page).group(1))
        for name in ("kc-rf-definities", "kc-rf-formaat")}
    assert embedded["kc-rf-definities"] == definitions_json()
    payload = json.dumps({
        "definitions": embedded["kc-rf-definities"], "format": embedded["kc-rf-formaat"],
        "generated": GENERATED,
        "workbooks": [wb.to_dict() for wb in workbooks],
    })
    proc = subprocess.run([node, "-e", NODE_HARNESS, str(SCRIPT)], input=payload,
                          capture_output=True, text=True, check=True, timeout=120)
    return json.loads(proc.stdout)


def workbooks() -> list[Workbook]:
    rng = random.Random(20261201)
    return [Workbook()] + [random_workbook(rng) for _ in range(40)]


@pytest.fixture(scope="module")
def both():
    wbs = workbooks()
    return wbs, run_node(wbs)


def test_page_writes_the_same_markdown_portfolio_as_the_package(both):
    wbs, results = both
    for wb, result in zip(wbs, results, strict=True):
        assert result["md"] == portfolio_markdown(wb, generated=GENERATED)


def test_page_writes_the_same_html_portfolio_as_the_package(both):
    wbs, results = both
    for wb, result in zip(wbs, results, strict=True):
        assert result["html"] == portfolio_html(wb, generated=GENERATED)
        assert import_portfolio(result["html"]) == wb


def test_page_derives_the_same_feedback_as_the_package(both):
    wbs, results = both
    for wb, result in zip(wbs, results, strict=True):
        expected = [[s.to_json() for s in derive(ex, wb).sections] for ex in EXERCISES]
        assert result["derived"] == expected


def test_page_reads_its_own_markdown_portfolio_back(both):
    wbs, results = both
    for wb, result in zip(wbs, results, strict=True):
        assert Workbook.from_dict({"format": "ketencursus-reflecties", "schema_version": 1,
                                   **result["reparsed"]}) == wb
