"""The self-check answers an LMS recorded from the SCORM package, as an item-score matrix.

Input: Moodle's SCORM *interactions report* downloaded as text (Moodle writes it with
``csv_export_writer("tab")``: tab-separated, UTF-8, ``.txt``; a copy re-saved as a comma or
semicolon CSV is read as well). Its columns, from Moodle's
``mod/scorm/report/interactions/classes/report.php`` and its language strings:

* ``Name`` and the site's identity fields (e.g. ``Email address``), then ``Attempt``,
  ``Started``, ``Last accessed on``, ``Score``, one column per SCO (its title);
* per recorded interaction ``i`` (0, 1, ...), as the report's display options allow:
  ``Question i`` (the interaction's id: the question bank's id), ``Response i``,
  ``Right answer i`` and ``Result i`` (``correct``, ``wrong``, or a decimal for partial
  credit, as ``ketencursus-sco.js`` writes them).

A learner can try a self-check more than once; SCORM 1.2 records every try as a new
interaction, so the LAST interaction with an id counts, and of several attempts the latest
(highest ``Attempt``). A self-check a learner never tried scores 0 and is counted in the
report's note. The matrix goes into the same analysis as the graded items
(:func:`ketencursus.grading.report.analyse`), so the figures mean the same.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ketencursus.errors import UserError
from ketencursus.grading.report import Item, ItemScores

# Header words, English (Moodle's own strings) and Dutch (the nl language pack).
_KIND_WORDS = {
    "question": ("question", "vraag"),
    "response": ("response", "antwoord", "reactie"),
    "right": ("right answer", "juist antwoord", "correct antwoord", "goed antwoord"),
    "result": ("result", "resultaat"),
}
_INDEXED = re.compile(r"^(?P<word>.*?)\s*(?P<index>\d+)$")
_ATTEMPT = ("attempt", "poging")
_NAME = ("name", "naam")
MAX_BYTES = 50 * 1024 * 1024


class ScormInteractionsError(UserError):
    """The interactions file cannot be read as Moodle's SCORM interactions report."""


@dataclass(frozen=True)
class SelfCheck:
    """What the report needs of a self-check from the question bank."""

    id: str
    objective: str | None
    points: float


@dataclass
class Interactions:
    scores: ItemScores
    untried: dict[str, int] = field(default_factory=dict)  # item id -> learners who did not try
    unknown_ids: list[str] = field(default_factory=list)  # ids not in the bank


def _kind(header: str) -> tuple[str, int] | None:
    match = _INDEXED.match(header.strip())
    if not match:
        return None
    word = match.group("word").strip().lower()
    for kind, words in _KIND_WORDS.items():
        if word in words:
            return kind, int(match.group("index"))
    return None


def _score(result: str) -> float:
    text = result.strip().lower()
    if text == "correct":
        return 1.0
    if text in {"wrong", "neutral", "unanticipated", "", "-"}:
        return 0.0
    try:
        return max(0.0, min(1.0, float(text.replace(",", "."))))
    except ValueError:
        return 0.0


def _read_rows(path: Path) -> list[list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScormInteractionsError(
            f"kan {path} niet lezen ({exc.strerror}); download in Moodle het "
            "interactierapport van de SCORM-activiteit (Rapporten → Interacties → "
            "Downloaden als tekst) en geef dat bestand op.") from exc
    if len(raw) > MAX_BYTES:
        raise ScormInteractionsError(f"{path} is groter dan 50 MB; is dit wel een rapport?")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScormInteractionsError(
            f"{path} is geen UTF-8-tekst; download het rapport opnieuw uit Moodle of sla het "
            "op als 'CSV UTF-8'.") from exc
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else (";" if first.count(";") > first.count(",") else ",")
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(row)]


def load_interactions(path: Path, selfchecks: list[SelfCheck]) -> Interactions:
    """Read Moodle's SCORM interactions report into an item-score matrix over
    ``selfchecks`` (item score = fraction right x the item's points)."""
    rows = _read_rows(path)
    if not rows:
        raise ScormInteractionsError(f"{path} is leeg.")
    header = [h.strip() for h in rows[0]]
    lowered = [h.lower() for h in header]
    columns: dict[int, dict[str, int]] = {}
    for position, name in enumerate(header):
        kind = _kind(name)
        if kind:
            columns.setdefault(kind[1], {})[kind[0]] = position
    if not any("question" in c and "result" in c for c in columns.values()):
        raise ScormInteractionsError(
            f"{path} heeft geen kolommen 'Question N' en 'Result N'. Zet in het "
            "interactierapport van Moodle de opties 'Samenvatting van de vraag' en "
            "'Samenvatting van het resultaat' aan en download het opnieuw.")
    try:
        attempt_col = next(i for i, h in enumerate(lowered) if h in _ATTEMPT)
    except StopIteration:
        raise ScormInteractionsError(f"{path} mist de kolom 'Attempt' (Poging).") from None
    learner_cols = [i for i in range(attempt_col) if lowered[i] not in {"", "picture"}]
    if not learner_cols or lowered[learner_cols[0]] not in _NAME:
        learner_cols = list(range(attempt_col))
    by_id = {s.id: s for s in selfchecks}
    latest: dict[tuple[str, ...], tuple[int, dict[str, float]]] = {}
    unknown: set[str] = set()
    for row in rows[1:]:
        cells = row + [""] * (len(header) - len(row))
        try:
            attempt = int(cells[attempt_col].strip())
        except ValueError:
            continue  # a learner without an attempt ('-')
        learner = tuple(cells[i].strip() for i in learner_cols)
        answers: dict[str, float] = {}
        for index in sorted(columns):
            cols = columns[index]
            if "question" not in cols or "result" not in cols:
                continue
            qid = cells[cols["question"]].strip()
            if not qid:
                continue
            if qid not in by_id:
                unknown.add(qid)
                continue
            answers[qid] = _score(cells[cols["result"]])  # the last try counts
        if learner not in latest or attempt >= latest[learner][0]:
            latest[learner] = (attempt, answers)
    if not latest:
        raise ScormInteractionsError(f"{path} bevat geen pogingen van cursisten.")
    items = [Item("zelftoetsen", s.id, s.points, s.objective, False) for s in selfchecks]
    students: list[str] = []
    matrix: list[list[float]] = []
    untried = {s.id: 0 for s in selfchecks}
    for number, learner in enumerate(sorted(latest), start=1):
        answers = latest[learner][1]
        students.append(f"cursist {number}")
        marks: list[float] = []
        for s in selfchecks:
            if s.id not in answers:
                untried[s.id] += 1
            marks.append(answers.get(s.id, 0.0) * s.points)
        matrix.append(marks)
    scores = ItemScores("zelftoetsen (SCORM)", items, students, matrix)
    return Interactions(scores, {k: v for k, v in untried.items() if v}, sorted(unknown))
