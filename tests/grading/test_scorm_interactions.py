"""Reading Moodle's SCORM interactions report (tab-separated text, as Moodle downloads it)
into the same item statistics as the graded items."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketencursus.grading.report import analyse
from ketencursus.grading.scorm_interactions import (
    ScormInteractionsError,
    SelfCheck,
    load_interactions,
)

SELFCHECKS = [SelfCheck("h1-01", "h1.1", 1.0), SelfCheck("h1-03", "h1.2", 1.0),
              SelfCheck("h2-02", "h2.1", 2.0)]

# Columns as mod/scorm/report/interactions writes them (English site language), with the
# four display options on; "Ketens de baas" is the SCO's title column.
HEADER = ["Name", "Email address", "Attempt", "Started", "Last accessed on", "Score",
          "Ketens de baas",
          "Question 0", "Response 0", "Right answer 0", "Result 0",
          "Question 1", "Response 1", "Right answer 1", "Result 1",
          "Question 2", "Response 2", "Right answer 2", "Result 2"]


def write(path: Path, rows: list[list[str]], delimiter: str = "\t") -> Path:
    path.write_text("\n".join(delimiter.join(r) for r in [HEADER, *rows]) + "\n",
                    encoding="utf-8")
    return path


def row(name, email, attempt, *interactions):
    cells = [name, email, str(attempt), "1 december 2026", "1 december 2026", "50", "50/100"]
    for qid, response, result in interactions:
        cells += [qid, response, "", result]
    cells += [""] * (len(HEADER) - len(cells))
    return cells


def test_last_try_of_a_self_check_counts_and_partial_credit_scales_to_points(tmp_path):
    report = write(tmp_path / "interacties.txt", [
        row("Anna de Vries", "anna@example.nl", 1,
            ("h1-01", "a", "wrong"), ("h1-01", "b", "correct"), ("h2-02", "b,c", "0.5")),
    ])
    found = load_interactions(report, SELFCHECKS)
    assert found.scores.matrix == [[1.0, 0.0, 1.0]]  # h2-02: half of 2 points
    assert found.untried == {"h1-03": 1}


def test_latest_attempt_of_a_learner_counts_and_learners_without_attempt_are_skipped(tmp_path):
    report = write(tmp_path / "interacties.txt", [
        row("Bas Jansen", "bas@example.nl", 1, ("h1-01", "a", "wrong")),
        row("Bas Jansen", "bas@example.nl", 2, ("h1-01", "b", "correct")),
        ["Cor Smit", "cor@example.nl", "-", "-", "-", "-"] + [""] * (len(HEADER) - 6),
    ])
    found = load_interactions(report, SELFCHECKS)
    assert found.scores.students == ["cursist 1"]
    assert found.scores.matrix == [[1.0, 0.0, 0.0]]


def test_ids_that_are_not_in_the_bank_are_reported_not_counted(tmp_path):
    report = write(tmp_path / "interacties.txt", [
        row("Anna de Vries", "anna@example.nl", 1, ("oud-07", "a", "correct"),
            ("h1-03", "c", "correct")),
    ])
    found = load_interactions(report, SELFCHECKS)
    assert found.unknown_ids == ["oud-07"]
    assert found.scores.matrix == [[0.0, 1.0, 0.0]]


def test_a_comma_separated_copy_with_a_bom_reads_the_same(tmp_path):
    rows = [row("Anna de Vries", "anna@example.nl", 1, ("h1-01", "b", "correct"))]
    tab = load_interactions(write(tmp_path / "a.txt", rows), SELFCHECKS)
    comma = tmp_path / "b.csv"
    write(comma, rows, delimiter=",")
    comma.write_bytes(b"\xef\xbb\xbf" + comma.read_bytes())
    assert load_interactions(comma, SELFCHECKS).scores.matrix == tab.scores.matrix


def test_the_matrix_gives_the_same_statistics_as_graded_items(tmp_path):
    rows = [row(f"Cursist {i}", f"c{i}@example.nl", 1,
                ("h1-01", "b", "correct" if i % 2 else "wrong"),
                ("h1-03", "c", "correct" if i % 3 else "wrong"),
                ("h2-02", "b", "correct" if i > 2 else "0.5")) for i in range(1, 7)]
    found = load_interactions(write(tmp_path / "i.txt", rows), SELFCHECKS)
    analysis = analyse(found.scores)
    facility = {item.name: item.facility for item in analysis.test.items}
    assert facility["h1-01"] == pytest.approx(100 * 3 / 6)
    assert facility["h1-03"] == pytest.approx(100 * 4 / 6)
    assert facility["h2-02"] == pytest.approx(100 * (4 * 2 + 2 * 1) / (6 * 2))


def test_a_report_without_question_and_result_columns_says_which_options_to_tick(tmp_path):
    bad = tmp_path / "cijfers.csv"
    bad.write_text("Name\tAttempt\tScore\nAnna\t1\t50\n", encoding="utf-8")
    with pytest.raises(ScormInteractionsError, match="Samenvatting van het resultaat"):
        load_interactions(bad, SELFCHECKS)


def test_a_missing_file_gets_a_dutch_message(tmp_path):
    with pytest.raises(ScormInteractionsError, match="interactierapport"):
        load_interactions(tmp_path / "weg.txt", SELFCHECKS)


def test_report_command_writes_the_self_check_analysis_from_the_lms_file(tmp_path, capsys):
    from ketencursus.cli import main
    from ketencursus.paths import ProjectLayout
    from ketencursus.quiz.bank import load_bank

    bank = load_bank(ProjectLayout.discover().exercises / "bank")
    first, second = [q.id for q in bank.selfcheck()][:2]
    rows = [row(f"Cursist {i}", f"c{i}@example.nl", 1,
                (first, "a", "correct" if i % 2 else "wrong"),
                (second, "b", "correct" if i % 3 else "wrong")) for i in range(1, 5)]
    report = write(tmp_path / "interacties.txt", rows)
    out = tmp_path / "rapport"
    assert main(["report", "--scorm", str(report), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "4 cursisten" in printed and "probeerden deze zelftoets niet" in printed
    page = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert first in page and second in page


def test_report_without_assignment_or_scorm_file_says_what_to_give(capsys):
    from ketencursus.cli import main

    assert main(["report"]) == 2
    assert "--scorm" in capsys.readouterr().err
