"""The instructor's alignment table: learning objective -> the items that assess it, with the
kind of evidence each gives (recognition, computation, production).

Sources: the objectives (``{leerdoelen}`` blocks of the chapters), the question bank
(self-check and graded items; a bank item's evidence is ``Question.evidence``) and the
assignments, read through :func:`ketencursus.quiz.assignments.assignment_items` (an item's
``evidence`` when the loader gives one; otherwise a hand-graded task counts as production
and an autograded item as computation).

An objective whose verb asks the learner to produce something (formuleren, ontwerpen,
afbakenen, beargumenteren, opstellen: the production verbs of the course's agreements) must
be assessed by at least one production item; recognising the best option is not enough
(review of the bank, and Haladyna, Downing & Rodriguez 2002, guideline 1: an item tests the
mental behaviour the objective names). Objectives that ask to justify (onderbouwen,
verantwoorden) get a warning when only recognition assesses them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ketencursus.objectives import Objective
from ketencursus.quiz.bank import Bank, Question

PRODUCTION_VERBS = ("formuleren", "ontwerpen", "afbakenen", "beargumenteren", "opstellen")
JUSTIFY_VERBS = ("onderbouwen", "verantwoorden")
EVIDENCE_NL = {"recognition": "herkennen", "computation": "berekenen",
               "production": "produceren"}


@dataclass(frozen=True)
class Evidence:
    """One graded item as evidence for an objective."""

    source: str  # "kennistoets" for bank items, else the assignment's name
    id: str
    label: str
    evidence: str
    points: float
    manual: bool = False


@dataclass
class AlignmentRow:
    objective: Objective
    asks: str | None  # "production", "justification" or None
    selfcheck: list[Question] = field(default_factory=list)
    graded: list[Evidence] = field(default_factory=list)

    @property
    def kinds(self) -> set[str]:
        return {e.evidence for e in self.graded}

    @property
    def problem(self) -> str | None:
        """Why this objective is not assessed as its verb asks (Dutch), or None."""
        if not self.graded:
            return f"leerdoel {self.objective.id} heeft geen beoordeeld item"
        if self.asks == "production" and "production" not in self.kinds:
            return (f"leerdoel {self.objective.id} vraagt om iets te maken "
                    f"({', '.join(self.verbs)}), maar wordt alleen met "
                    + " en ".join(EVIDENCE_NL[k] for k in sorted(self.kinds))
                    + " getoetst; voeg een opdracht met rubric toe")
        return None

    @property
    def warning(self) -> str | None:
        if self.asks == "justification" and self.kinds <= {"recognition"}:
            return (f"leerdoel {self.objective.id} vraagt om te {'/'.join(self.verbs)}, maar "
                    "wordt alleen met herkennen getoetst")
        return None

    @property
    def verbs(self) -> list[str]:
        return found_verbs(self.objective.text)


def found_verbs(text: str) -> list[str]:
    words = set(re.findall(r"[a-zà-ÿ]+", text.casefold()))
    return [v for v in (*PRODUCTION_VERBS, *JUSTIFY_VERBS) if v in words]


def objective_asks(text: str) -> str | None:
    """"production" when the objective's verb asks to produce, "justification" when it asks
    to justify, else None."""
    verbs = found_verbs(text)
    if any(v in PRODUCTION_VERBS for v in verbs):
        return "production"
    if verbs:
        return "justification"
    return None


def assignment_evidence(item) -> str:
    """The evidence kind of an assignment item (see the module docstring)."""
    kind = getattr(item, "evidence", None)
    if kind in EVIDENCE_NL:
        return kind
    return "production" if getattr(item, "kind", "") == "manual" else "computation"


def alignment_rows(bank: Bank, objectives: dict[str, Objective],
                   assignment_items: Iterable = ()) -> list[AlignmentRow]:
    """One row per objective, in the chapters' order."""
    items = list(assignment_items)
    rows = []
    for oid, objective in objectives.items():
        row = AlignmentRow(objective, objective_asks(objective.text))
        row.selfcheck = [q for q in bank if q.objective == oid and q.use == "selfcheck"]
        for q in bank:
            if q.objective == oid and q.use == "graded":
                row.graded.append(Evidence("kennistoets", q.id, f"{q.id} {q.title}",
                                           q.evidence, float(q.points)))
        for item in items:
            if item.objective == oid:
                row.graded.append(Evidence(item.assignment, item.id, item.label,
                                           assignment_evidence(item), float(item.points),
                                           getattr(item, "kind", "") == "manual"))
        rows.append(row)
    return rows


def alignment_problems(rows: Iterable[AlignmentRow]) -> list[str]:
    return [row.problem for row in rows if row.problem]
