"""The alignment table's logic: which objectives ask for production, the evidence kind of
bank and assignment items, and the objectives assessed below the level their verb asks."""

from __future__ import annotations

from dataclasses import dataclass

from ketencursus.objectives import Objective, read_objectives
from ketencursus.quiz.alignment import (
    alignment_problems,
    alignment_rows,
    assignment_evidence,
    objective_asks,
)
from ketencursus.quiz.assignments import assignment_items
from ketencursus.quiz.bank import Bank, Option, Question, load_bank


@dataclass(frozen=True)
class Item:  # the attributes the table reads from an assignment item
    assignment: str
    id: str
    label: str
    objective: str
    points: float
    kind: str


def _question(qid: str, objective: str, qtype: str = "single") -> Question:
    options = (Option("a", "A", True, "f"), Option("b", "B", False, "g", "denkfout"),
               Option("c", "C", False, "h", "denkfout"))
    return Question(id=qid, chapter="h9", title="Titel", objective=objective, type=qtype,
                    use="graded", points=1, question="Vraag?", source="t",
                    options=options if qtype == "single" else (), answer=1.0, tolerance=0.0,
                    evidence={"single": "recognition", "numeric": "computation"}[qtype])


OBJECTIVES = {
    "h9.1": Objective("h9.1", "voor een werkproces een zaak afbakenen", "book/h9"),
    "h9.2": Objective("h9.2", "de doorlooptijd berekenen", "book/h9"),
    "h9.3": Objective("h9.3", "een interventie kiezen en die keuze verantwoorden", "book/h9"),
}


def test_production_verbs_are_recognised_in_the_objective_text():
    assert objective_asks("een actieplan voor een eigen keten opstellen") == "production"
    assert objective_asks("het dominante ketenprobleem formuleren en het doel afleiden") == \
        "production"
    assert objective_asks("een keten diagnosticeren en onderbouwen waar het knelpunt zit") == \
        "justification"
    assert objective_asks("uitleggen waarom weerstand ontstaat") is None


def test_a_production_objective_with_only_a_choice_item_is_a_problem():
    bank = Bank(questions=[_question("h9-01", "h9.1"), _question("h9-02", "h9.2", "numeric"),
                           _question("h9-03", "h9.3")])
    rows = alignment_rows(bank, OBJECTIVES, [])
    problems = alignment_problems(rows)
    assert problems == ["leerdoel h9.1 vraagt om iets te maken (afbakenen), maar wordt alleen "
                        "met herkennen getoetst; voeg een opdracht met rubric toe"]
    assert rows[2].warning and "verantwoorden" in rows[2].warning


def test_a_hand_graded_task_counts_as_production_and_clears_the_problem():
    bank = Bank(questions=[_question("h9-01", "h9.1"), _question("h9-02", "h9.2", "numeric"),
                           _question("h9-03", "h9.3")])
    task = Item("praktijk", "pt-01", "pt-01 Zaak afbakenen (handmatig)", "h9.1", 4, "manual")
    rows = alignment_rows(bank, OBJECTIVES, [task])
    assert alignment_problems(rows) == []
    assert [e.evidence for e in rows[0].graded] == ["recognition", "production"]


def test_assignment_evidence_prefers_the_loaders_own_kind():
    @dataclass(frozen=True)
    class WithEvidence(Item):
        evidence: str = "recognition"

    assert assignment_evidence(Item("a", "x", "x", "h9.1", 1, "auto")) == "computation"
    assert assignment_evidence(Item("a", "x", "x", "h9.1", 1, "manual")) == "production"
    assert assignment_evidence(WithEvidence("a", "x", "x", "h9.1", 1, "auto")) == "recognition"


def test_objective_without_graded_item_is_a_problem():
    rows = alignment_rows(Bank(), {"h9.2": OBJECTIVES["h9.2"]}, [])
    assert alignment_problems(rows) == ["leerdoel h9.2 heeft geen beoordeeld item"]


def test_the_real_course_rows_cover_every_objective_with_its_bank_items(layout):
    objectives = read_objectives(layout.book)
    bank = load_bank(layout.exercises / "bank", objectives)
    items = assignment_items(layout.exercises / "assignments", bank)
    rows = alignment_rows(bank, objectives, items)
    assert [r.objective.id for r in rows] == list(objectives)
    for row in rows:
        assert row.graded, row.objective.id
        ids = {e.id for e in row.graded if e.source == "kennistoets"}
        assert ids == {q.id for q in bank.graded() if q.objective == row.objective.id}
    production = {r.objective.id for r in rows if r.asks == "production"}
    assert {"h1.5", "h3.5", "h4.2", "h5.4", "h6.4", "h7.5"} <= production


def test_no_objective_of_the_course_is_assessed_below_the_level_its_verb_asks(layout):
    objectives = read_objectives(layout.book)
    bank = load_bank(layout.exercises / "bank", objectives)
    rows = alignment_rows(bank, objectives,
                          assignment_items(layout.exercises / "assignments", bank))
    assert alignment_problems(rows) == []
    assert [row.warning for row in rows if row.warning] == []
    for row in rows:
        if row.asks == "production":
            assert any(e.manual for e in row.graded if e.evidence == "production"), \
                row.objective.id
