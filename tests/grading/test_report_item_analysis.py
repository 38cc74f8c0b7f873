"""`ketencursus report`: Moodle's quiz statistics checked against a hand-computed example,
mastery per learning objective, and the Dutch HTML report with PNG figures made from a
gradebook populated with the nbgrader API."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from ketencursus.cli import main
from ketencursus.grading.course import Course, CourseError
from ketencursus.grading.report import (
    build_report,
    cic_label,
    cohort_warning,
    discrimination_label,
    facility_label,
    item_statistics,
    load_item_scores,
    objective_mastery,
    quiz_statistics,
)

# The hand-computed example: 5 learners, 3 items with maximum marks 1, 1 and 2.
NAMES = ["q1", "q2", "q3"]
MAX_MARKS = [1.0, 1.0, 2.0]
MATRIX = [
    # q1 q2 q3   total
    [1, 1, 2],  # 4
    [1, 0, 2],  # 3
    [0, 1, 1],  # 2
    [1, 0, 0],  # 1
    [0, 0, 1],  # 1
]


def test_item_statistics_match_the_hand_computed_example():
    stats = quiz_statistics(NAMES, MAX_MARKS, MATRIX)
    q1, q2, q3 = stats.items

    # q1: marks 1,1,0,1,0 -> mean 3/5 = 0.6; facility 0.6 / 1 = 60 %
    assert q1.mean == pytest.approx(0.6)
    assert q1.facility == pytest.approx(60.0)
    # deviations .4 .4 -.6 .4 -.6; squares .16*3 + .36*2 = 1.2; variance 1.2 / (5-1) = 0.3
    # SD = sqrt(0.3) = 0.5477 -> 54.77 % of the maximum mark 1
    assert q1.mark_variance == pytest.approx(0.3)
    assert q1.sd == pytest.approx(54.7723, abs=1e-3)
    # rest of test = total - q1 = 3,2,2,0,1 -> mean 1.6; deviations 1.4 .4 .4 -1.6 -.6
    # squares 1.96+.16+.16+2.56+.36 = 5.2; variance 5.2 / 4 = 1.3
    assert q1.rest_variance == pytest.approx(1.3)
    # covariance: .4*1.4 + .4*.4 - .6*.4 - .4*1.6 + .6*.6 = .56+.16-.24-.64+.36 = 0.2; / 4 = 0.05
    assert q1.covariance == pytest.approx(0.05)
    # discrimination index = 100 * 0.05 / sqrt(0.3 * 1.3) = 5 / 0.624500 = 8.0064
    assert q1.discrimination_index == pytest.approx(8.0064, abs=1e-3)
    # max covariance: sorted marks 0,0,1,1,1 (dev -.6 -.6 .4 .4 .4) with sorted rest
    # 0,1,2,2,3 (dev -1.6 -.6 .4 .4 1.4): .96+.36+.16+.16+.56 = 2.2; / 4 = 0.55
    # discriminative efficiency = 100 * 0.05 / 0.55 = 9.0909
    assert q1.covariance_max == pytest.approx(0.55)
    assert q1.discriminative_efficiency == pytest.approx(9.0909, abs=1e-3)

    # q2: marks 1,0,1,0,0 -> facility 40 %; rest 3,3,1,1,1 (mean 1.8, variance
    # (1.44*2 + .64*3)/4 = 4.8/4 = 1.2); covariance (.6*1.2 - .4*1.2 + .6*-.8 - .4*-.8
    # - .4*-.8)/4 = (.72-.48-.48+.32+.32)/4 = 0.1; DI = 100*0.1/sqrt(0.3*1.2) = 10/0.6 = 16.667
    assert q2.facility == pytest.approx(40.0)
    assert q2.discrimination_index == pytest.approx(16.6667, abs=1e-3)

    # q3 (max 2): marks 2,2,1,0,1 -> mean 1.2, facility 1.2/2 = 60 %; variance
    # (.64+.64+.04+1.44+.04)/4 = 2.8/4 = 0.7; SD sqrt(.7)/2 = 41.83 %
    # rest 2,1,1,1,0 (mean 1, variance (1+0+0+0+1)/4 = 0.5); covariance
    # (.8*1 + .8*0 - .2*0 - 1.2*0 - .2*-1)/4 = 1.0/4 = 0.25
    # DI = 100*0.25/sqrt(0.7*0.5) = 25/0.59161 = 42.258; max cov: sorted 0,1,1,2,2
    # (dev -1.2 -.2 -.2 .8 .8) with 0,1,1,1,2 (dev -1 0 0 0 1): 1.2+.8 = 2.0/4 = 0.5;
    # efficiency 100 * 0.25/0.5 = 50
    assert q3.facility == pytest.approx(60.0)
    assert q3.sd == pytest.approx(41.8330, abs=1e-3)
    assert q3.discrimination_index == pytest.approx(42.2577, abs=1e-3)
    assert q3.discriminative_efficiency == pytest.approx(50.0)


def test_test_statistics_cic_error_ratio_and_standard_error_by_hand():
    stats = quiz_statistics(NAMES, MAX_MARKS, MATRIX)
    # totals 4,3,2,1,1 -> mean 11/5 = 2.2, median 2; deviations 1.8 .8 -.2 -1.2 -1.2
    # squares 3.24+.64+.04+1.44+1.44 = 6.8; variance 6.8/4 = 1.7; SD sqrt(1.7) = 1.30384
    assert (stats.s, stats.p, stats.max_total) == (5, 3, 4.0)
    assert stats.mean == pytest.approx(2.2) and stats.median == 2
    assert stats.sd == pytest.approx(1.30384, abs=1e-4)
    # CIC = 100 * p/(p-1) * (1 - sum of item variances / test variance)
    #     = 100 * 3/2 * (1 - (0.3 + 0.3 + 0.7) / 1.7) = 150 * 0.4/1.7 = 35.294 %
    assert stats.cic == pytest.approx(35.2941, abs=1e-3)
    # error ratio = 100 * sqrt(1 - 0.352941) = 100 * 0.804400 = 80.440 %
    assert stats.error_ratio == pytest.approx(80.4400, abs=1e-3)
    # standard error = 80.440 * 1.30384 / 100 = 1.04881 points
    assert stats.standard_error == pytest.approx(1.04881, abs=1e-4)
    # effective weight: covariance with the total, q1 (.4*1.8+.4*.8-.6*-.2+.4*-1.2-.6*-1.2)/4
    # = 1.4/4 = .35, q2 1.6/4 = .4, q3 3.8/4 = .95; sqrt .59161, .63246, .97468 (sum
    # 2.19875); q1 = 100 * .59161 / 2.19875 = 26.907 %; intended weight q1 = 1/4 = 25 %
    assert stats.items[0].effective_weight == pytest.approx(26.9066, abs=1e-3)
    assert stats.items[0].intended_weight == pytest.approx(25.0)
    assert sum(i.effective_weight for i in stats.items) == pytest.approx(100.0)


def test_figures_moodle_cannot_compute_are_none_not_crashes():
    # one learner: no variance at all
    single = item_statistics("q", [1.0], [3.0], 1.0)
    assert single.facility == 100.0 and single.sd is None and single.discrimination_index is None
    # everybody the same on q1: no correlation, no efficiency
    stats = quiz_statistics(["q1", "q2"], [1, 1], [[1, 0], [1, 1], [1, 0]])
    assert stats.items[0].discrimination_index is None
    assert stats.items[0].discriminative_efficiency is None
    assert stats.items[1].discrimination_index is None  # rest (= q1) is constant too
    # two learners: Moodle computes CIC only from three on
    two = quiz_statistics(NAMES, MAX_MARKS, MATRIX[:2])
    assert two.cic is None and two.error_ratio is None and two.sd is not None
    # a zero-point item has no facility
    assert item_statistics("leeg", [0, 0], [1, 2], 0).facility is None
    assert not math.isnan(quiz_statistics(NAMES, MAX_MARKS, [[0, 0, 0]] * 4).mean)


def test_mastery_per_objective_by_hand():
    mastery = objective_mastery(["h1.1", "h1.1", "h2.1"], NAMES, MAX_MARKS, MATRIX,
                                {"h1.1": "ketens herkennen"}, threshold=0.7)
    h11, h21 = mastery
    # h1.1 = q1 + q2 (2 points): learners 2/2, 1/2, 1/2, 1/2, 0/2 -> mean 0.5 = 50 %;
    # at least 70 %: only the first -> 1/5 = 20 %
    assert (h11.objective, h11.items, h11.max_points) == ("h1.1", ["q1", "q2"], 2.0)
    assert h11.mean_percent == pytest.approx(50.0) and h11.mastered_percent == pytest.approx(20.0)
    assert h11.text == "ketens herkennen"
    # h2.1 = q3 (2 points): 2/2, 2/2, 1/2, 0/2, 1/2 -> mean 0.6 = 60 %; >= 70 %: 2/5 = 40 %
    assert h21.mean_percent == pytest.approx(60.0) and h21.mastered_percent == pytest.approx(40.0)
    # items without an objective are grouped, not lost
    (group,) = objective_mastery([None], ["q"], [1], [[1]])
    assert group.objective == "(geen leerdoel)"


def test_rules_of_thumb_and_small_cohort_warning_are_dutch():
    assert facility_label(50) == "ongeveer goed voor de gemiddelde cursist"
    assert facility_label(3) == "extreem moeilijk of er is iets mis met de vraag"
    assert facility_label(97) == "extreem makkelijk"
    assert discrimination_label(-5).startswith("negatief")
    assert discrimination_label(55) == "zeer goed"
    assert discrimination_label(35) == "voldoende"
    assert cic_label(80).startswith("voldoende") and cic_label(50).startswith("onvoldoende")
    assert cic_label(70).startswith("twijfelachtig") and cic_label(None).startswith("niet")
    assert "minder dan 30" in cohort_warning(5)
    assert "niet te berekenen" in cohort_warning(2)
    assert cohort_warning(30) is None


# ---- from the gradebook ---------------------------------------------------------------

ASSIGNMENT = "toets"
# (grade id, points, cell type, objective) in SOURCE order
SOURCE_ITEMS = [("q1", 1.0, "code", "h1.1"), ("q2", 1.0, "code", "h1.1"),
                ("q3", 2.0, "code", "h2.1"), ("reflectie", 2.0, "markdown", "h2.2")]


def source_notebook() -> dict:
    cells = [{"cell_type": "markdown", "id": "intro", "metadata": {}, "source": "# Toets"}]
    for grade_id, points, kind, objective in SOURCE_ITEMS:
        nbgrader = {"grade": True, "grade_id": grade_id, "locked": kind == "code",
                    "points": points, "schema_version": 3, "solution": kind == "markdown",
                    "task": False}
        cell = {"cell_type": kind, "id": grade_id, "source": "### BEGIN HIDDEN TESTS",
                "metadata": {"nbgrader": nbgrader,
                             "ketencursus": {"answers": ["x"], "objective": objective,
                                             "hint": "Kijk nog eens."}}}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture(scope="module")
def blank_gradebook(tmp_path_factory) -> Path:
    """An empty gradebook made once (creating one runs `alembic heads`, which is slow)."""
    course = Course(tmp_path_factory.mktemp("blank"))
    with course.gradebook():
        pass
    return course.gradebook_path


def make_course(tmp_path: Path, blank: Path, rows: dict[str, list[float | None]]) -> Course:
    """A course with the source notebook and a gradebook holding ``rows``: per student the
    scores of q1, q2, q3, reflectie (``None`` = reflection not graded yet). Cells are added
    to the gradebook in a different order than the source, to check the item order."""
    course = Course(tmp_path / "grader")
    course.source(ASSIGNMENT).mkdir(parents=True)
    (course.source(ASSIGNMENT) / f"{ASSIGNMENT}.ipynb").write_text(
        json.dumps(source_notebook()), encoding="utf-8")
    shutil.copyfile(blank, course.gradebook_path)
    with course.gradebook() as gb:
        gb.add_assignment(ASSIGNMENT)
        gb.add_notebook(ASSIGNMENT, ASSIGNMENT)
        for grade_id, points, kind, _ in reversed(SOURCE_ITEMS):
            gb.add_grade_cell(grade_id, ASSIGNMENT, ASSIGNMENT, max_score=points,
                              cell_type=kind)
        for student, scores in rows.items():
            gb.add_student(student)
            gb.add_submission(ASSIGNMENT, student)
            for (grade_id, _, kind, _), score in zip(SOURCE_ITEMS, scores, strict=True):
                grade = gb.find_grade(grade_id, ASSIGNMENT, ASSIGNMENT, student)
                if score is None:
                    grade.needs_manual_grade = True
                elif kind == "markdown":
                    grade.manual_score, grade.needs_manual_grade = score, False
                else:
                    grade.auto_score, grade.needs_manual_grade = score, False
        gb.db.commit()
    return course


HAND_ROWS = {
    "a": [1, 1, 2, 2], "b": [1, 0, 2, 1], "c": [0, 1, 1, 1], "d": [1, 0, 0, 0],
    "e": [0, 0, 1, 0],
    "f": [1, 1, 1, None],  # reflection not graded yet: left out, as Moodle does
}


def test_item_scores_come_from_the_gradebook_in_source_order_with_objectives(
        tmp_path, blank_gradebook):
    course = make_course(tmp_path, blank_gradebook, HAND_ROWS)
    scores = load_item_scores(course, ASSIGNMENT)
    assert scores.names == ["q1", "q2", "q3", "reflectie"]
    assert [i.objective for i in scores.items] == ["h1.1", "h1.1", "h2.1", "h2.2"]
    assert [i.manual for i in scores.items] == [False, False, False, True]
    assert scores.max_marks == [1.0, 1.0, 2.0, 2.0]
    assert scores.students == ["a", "b", "c", "d", "e"]
    assert scores.pending_students == ["f"]
    assert [row[:3] for row in scores.matrix] == MATRIX  # the hand example above
    assert [row[3] for row in scores.matrix] == [2, 1, 1, 0, 0]


def test_an_item_nobody_was_graded_on_yet_is_left_out_not_counted_as_zero(
        tmp_path, blank_gradebook):
    rows = {s: [*v[:3], None] for s, v in HAND_ROWS.items()}
    course = make_course(tmp_path, blank_gradebook, rows)
    scores = load_item_scores(course, ASSIGNMENT)
    assert scores.dropped_items == ["reflectie"]
    assert scores.names == NAMES and len(scores.students) == 6


def test_report_html_in_dutch_with_png_figures_and_small_cohort_warning(
        tmp_path, blank_gradebook):
    course = make_course(tmp_path, blank_gradebook, HAND_ROWS)
    page, analysis = build_report(course, ASSIGNMENT, objective_texts={
        "h1.1": "uitleggen wat een keten is", "h2.1": "weerstand herkennen"})
    assert page == course.report_dir(ASSIGNMENT) / "index.html"
    text = page.read_text(encoding="utf-8")
    assert '<html lang="nl">' in text
    assert "Itemanalyse van opdracht toets" in text
    assert "Kleine groep" in text and "minder dan 30" in text
    assert "Nog niet volledig nagekeken" in text and "(f)" in text
    assert "uitleggen wat een keten is" in text
    for term in ("Faciliteitsindex", "Discriminatie-index", "Cronbachs alfa", "Foutratio",
                 "Standaardfout", "35–64%", "boven 75%"):
        assert term in text
    pngs = sorted(p.name for p in page.parent.glob("*.png"))
    assert pngs == ["beheersing-leerdoelen.png", "onderdelen-faciliteit-discriminatie.png",
                    "verdeling-totaalscores.png"]
    for name in pngs:
        assert f'src="{name}" alt="' in text
        assert (page.parent / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert analysis.test.s == 5 and analysis.test.p == 4
    # the figures in the page are the computed ones (Dutch decimal comma)
    cic = f"{analysis.test.cic:.2f}".replace(".", ",")
    assert f"{cic}%" in text


def test_cli_report_writes_to_the_chosen_folder_and_explains_errors(
        tmp_path, blank_gradebook, capsys):
    course = make_course(tmp_path, blank_gradebook, HAND_ROWS)
    out = tmp_path / "rapport"
    assert main(["report", ASSIGNMENT, "--course", str(course.root), "-o", str(out),
                 "--mastery", "50"]) == 0
    printed = capsys.readouterr().out
    assert str(out / "index.html") in printed and "5 cursisten" in printed
    assert "minstens 50%" in (out / "index.html").read_text(encoding="utf-8")
    assert main(["report", "bestaatniet", "--course", str(course.root)]) == 2
    assert "niet in het cijferbestand" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["report", ASSIGNMENT, "--mastery", "150"])


def test_report_without_graded_items_says_to_grade_first(tmp_path, blank_gradebook):
    course = make_course(tmp_path, blank_gradebook, {})
    with pytest.raises(CourseError, match="ketencursus grade"):
        build_report(course, ASSIGNMENT)


def test_a_cohort_nobody_fully_graded_in_still_renders_with_a_warning(tmp_path):
    from ketencursus.grading.report import Item, ItemScores, analyse, render_report

    scores = ItemScores("leeg", [Item("nb", "q1", 1.0, "h1.1", False)], [], [],
                        pending_students=["a"])
    page = render_report(analyse(scores), tmp_path / "leeg")
    text = page.read_text(encoding="utf-8")
    assert "Slechts 0 volledig nagekeken" in text and "(a)" in text
    assert len(list(page.parent.glob("*.png"))) == 3
