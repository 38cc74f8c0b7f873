"""Item-writing rules (Haladyna, Downing & Rodriguez 2002) on the real bank and on items made
to break one rule each; the test-wise guesser figures against chance."""

from __future__ import annotations

import pytest

from ketencursus.objectives import read_objectives
from ketencursus.quiz.bank import Bank, Option, Question, load_bank
from ketencursus.quiz.itemrules import (
    GUESSER_MARGIN,
    bank_figures,
    check_bank,
    format_report,
    item_findings,
)


@pytest.fixture(scope="module")
def bank(layout):
    return load_bank(layout.exercises / "bank", read_objectives(layout.book))


def _single(qid: str, texts: list[str], key: str, **extra) -> Question:
    options = tuple(
        Option(chr(97 + i), text, chr(97 + i) == key, f"uitleg {i}",
               None if chr(97 + i) == key else f"denkfout nummer {i} van de cursist")
        for i, text in enumerate(texts)
    )
    fields = dict(id=qid, chapter="h9", title="t", objective="h9.1", type="single",
                  use="graded", points=1, question="Welke aanpak past?", source="test",
                  options=options)
    fields.update(extra)
    return Question(**fields)


def _rules(question: Question) -> set[str]:
    return {f.rule for f in item_findings(question) if f.error}


def test_the_real_bank_passes_the_strict_item_writing_rules(bank):
    report = check_bank(bank)
    assert report.ok, format_report(report)


def test_no_guessing_strategy_beats_chance_by_more_than_ten_points_on_the_real_bank(bank):
    figures = bank_figures(bank)
    limit = figures.chance + GUESSER_MARGIN
    assert figures.single >= 40
    assert figures.longest_guesser <= limit
    assert figures.shortest_guesser <= limit
    assert figures.not_longest_guesser <= limit
    assert max(figures.letter_guessers.values()) <= limit
    assert figures.key_longest <= figures.chance * figures.single


def test_multiple_response_items_have_two_right_and_two_wrong_options(bank):
    for question in bank:
        if question.type == "multiple":
            assert len(question.correct_options) >= 2, question.id
            assert len(question.wrong_options) >= 2, question.id


def test_a_key_much_longer_than_the_distractors_breaks_rule_24():
    question = _single("h9-01", ["Kort.", "Ook kort.", "Heel kort.",
                                 "Een lange, uitgewerkte optie met alle details die erbij horen."],
                       "d")
    assert "G24" in _rules(question)


def test_an_absolute_in_a_distractor_breaks_rule_28a():
    question = _single("h9-02", ["Dat werkt nooit in een keten.", "Dat past bij deze keten.",
                                 "Dat past bij een andere keten.", "Dat hangt af van de wet."], "b")
    findings = item_findings(question)
    assert any(f.rule == "G28a" and '"nooit"' in f.message for f in findings)


def test_a_wrong_option_without_misconception_breaks_rule_30():
    question = _single("h9-03", ["Optie een", "Optie twee", "Optie drie"], "a")
    bare = tuple(Option(o.id, o.text, o.correct, o.feedback, None) for o in question.options)
    question = Question(**{**question.__dict__, "options": bare})
    findings = [f for f in item_findings(question) if f.rule == "G30"]
    assert [f.message.split()[1] for f in findings] == ["b", "c"]
    assert "misconception" in findings[0].message


def test_all_but_one_multiple_response_item_breaks_the_structure_rule():
    question = _single("h9-04", ["Een", "Twee", "Drie", "Vier"], "a", type="multiple")
    options = tuple(Option(o.id, o.text, o.id != "d", o.feedback,
                           "denkfout van de cursist" if o.id == "d" else None)
                    for o in question.options)
    question = Question(**{**question.__dict__, "options": options})
    assert "G19-MR" in _rules(question)


def test_all_of_the_above_breaks_rule_26():
    question = _single("h9-05", ["Blauw", "Geel", "Alle bovenstaande"], "a")
    assert "G25/26" in _rules(question)


def test_a_bank_whose_key_is_always_b_fails_the_letter_guesser_figure():
    questions = [_single(f"h9-{n:02d}", ["Optie aa", "Optie bb", "Optie cc", "Optie dd"], "b")
                 for n in range(10, 20)]
    report = check_bank(Bank(questions=questions))
    assert not report.ok
    assert any(p.startswith("G20: wie altijd b kiest, scoort 100%") for p in report.bank_problems)


def test_a_bank_whose_key_is_always_longest_fails_the_longest_guesser_figure():
    keys = "abcd"
    questions = []
    for n in range(8):
        key = keys[n % 4]
        texts = ["Een optie", "Een optie", "Een optie", "Een optie"]
        texts[n % 4] = "Een optie, iets langer"
        questions.append(_single(f"h9-{n + 30:02d}", texts, key))
    report = check_bank(Bank(questions=questions))
    text = format_report(report)
    assert "altijd de langste optie: 100.0% (TE HOOG)" in text
    assert any("langste optie kiest, scoort 100%" in p for p in report.bank_problems)


def test_report_names_the_guideline_source_and_each_item(bank):
    question = _single("h9-06", ["Dat werkt altijd.", "Dat past hier.", "Dat past daar."], "b")
    text = format_report(check_bank(Bank(questions=[*bank.questions, question])))
    assert "Haladyna, Downing & Rodriguez (2002)" in text
    assert "Applied Measurement in Education 15(3)" in text
    assert "  h9-06:\n    FOUT [G28a]" in text
