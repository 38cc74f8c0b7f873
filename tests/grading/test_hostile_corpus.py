"""The hostile and broken corpus (tests/grading/fixtures/hostile/): one learner per
scenario, graded in one parallel run with every protection on.

Required: no submission scores a point it did not earn (scores equal the golden file);
no hidden test, solution or other learner's data appears in any feedback; every
submission gets a grade row and a feedback file; the gradebook is written only by the
grading process; the run never aborts."""

from __future__ import annotations

import html
import json
import os
import re
import shutil

import nbformat
import pytest

from ketencursus.grading import sandbox as sb
from ketencursus.grading.feedback import generate_feedback
from ketencursus.grading.runner import grade_assignment, load_result
from tests.grading.grading_helpers import (
    ASSIGNMENT,
    FAST_LIMITS,
    HOSTILE,
    NOTEBOOK,
    SECRETS,
    course_copy,
    submit,
)

GOLDEN = json.loads((HOSTILE / "expected_scores.json").read_text("utf-8"))
SCENARIOS = sorted(GOLDEN)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _set_up_links(course, name: str, setup: str) -> None:
    """Scenarios in which the submission itself is (or holds) a link somewhere else."""
    folder = course.submitted(name, ASSIGNMENT)
    source_notebook = course.source(ASSIGNMENT) / NOTEBOOK
    if setup == "notebook-symlink-to-source":
        (folder / NOTEBOOK).unlink()
        (folder / NOTEBOOK).symlink_to(source_notebook)
    elif setup == "notebook-hardlink-to-source":
        (folder / NOTEBOOK).unlink()
        os.link(source_notebook, folder / NOTEBOOK)
    elif setup == "folder-symlink-to-source":
        shutil.rmtree(folder)
        folder.symlink_to(course.source(ASSIGNMENT), target_is_directory=True)
    elif setup == "student-symlink-to-passes-all":
        shutil.rmtree(folder.parent)
        folder.parent.symlink_to(course.submitted("passes-all", ASSIGNMENT).parent,
                                 target_is_directory=True)
    elif setup == "timestamp-symlink-to-source":
        (folder / "timestamp.txt").unlink()
        (folder / "timestamp.txt").symlink_to(source_notebook)
    else:
        raise AssertionError(f"unknown setup {setup!r} in expected_scores.json")


def sandbox_processes(uids: set[int]) -> list[str]:
    """Processes (pid, uid) of the given sandbox users still alive on this machine."""
    alive = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = open(f"/proc/{entry}/status").read()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("Uid:"):
                uid = int(line.split()[1])
                if uid in uids:
                    alive.append(f"{entry} (uid {uid})")
    return alive


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = course_copy(tmp_path_factory.mktemp("hostile"))
    for name in SCENARIOS:
        submit(course, name, raw=(HOSTILE / f"{name}.ipynb").read_bytes())
    for name in SCENARIOS:
        if GOLDEN[name].get("setup"):
            _set_up_links(course, name, GOLDEN[name]["setup"])
    messages: list[str] = []
    summary = grade_assignment(course, ASSIGNMENT, workers=2, limits=FAST_LIMITS,
                               progress=False, echo=messages.append)
    feedback = generate_feedback(course, ASSIGNMENT)
    return course, summary, feedback


def test_corpus_covers_every_required_scenario():
    required = {
        "eq-always-true", "strip-asserts-transformer", "disabled-tracebacks", "sys-exit",
        "os-exit", "infinite-loop", "swallow-keyboardinterrupt", "memory-bomb", "fork-bomb",
        "read-source-notebook", "write-gradebook", "deleted-test-cells", "edited-test-cells",
        "tampered-points", "huge-output", "invalid-json", "wrong-nbformat",
    }
    assert required <= set(SCENARIOS)
    for name in SCENARIOS:
        assert (HOSTILE / f"{name}.ipynb").is_file(), name


def test_run_never_aborts_and_grades_every_submission(graded):
    _, summary, _ = graded
    assert summary.graded == len(SCENARIOS)
    assert summary.internal_errors == 0
    assert summary.warning is None or os.geteuid() != 0


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scores_equal_the_golden_file(graded, scenario):
    course, _, _ = graded
    with course.gradebook() as gb:
        submission = gb.find_submission(ASSIGNMENT, scenario)
        got = {g.name: g.auto_score for nb in submission.notebooks for g in nb.grades
               if g.name.startswith("test_")}
        maxima = {g.name: g.max_score for nb in submission.notebooks for g in nb.grades}
    assert got == GOLDEN[scenario]["scores"], GOLDEN[scenario]["about"]
    # points come from the source, never from the learner's cell metadata
    assert maxima == {"test_aantal": 1.0, "test_doorlooptijd": 2.0, "test_partner": 1.0,
                      "reflectie_gemiddelde": 2.0}


def test_no_submission_scores_more_than_the_control(graded):
    course, _, _ = graded
    with course.gradebook() as gb:
        for name in SCENARIOS:
            submission = gb.find_submission(ASSIGNMENT, name)
            auto = sum(g.auto_score or 0 for nb in submission.notebooks for g in nb.grades)
            assert auto <= GOLDEN[name]["total"], name
            names = {g.name for nb in submission.notebooks for g in nb.grades}
            assert "bonus" not in names


def test_every_submission_has_a_feedback_file_and_a_log(graded):
    course, _, feedback = graded
    for name in SCENARIOS:
        assert (course.feedback(name, ASSIGNMENT) / "ketenmeting.html").is_file(), name
        assert course.log_file(ASSIGNMENT, name).is_file(), name
        graded = course.autograded(name, ASSIGNMENT) / "ketenmeting.ipynb"
        nbformat.validate(nbformat.reads(graded.read_text("utf-8"), as_version=4))
    assert len(feedback) == len(SCENARIOS)


def test_no_hidden_test_solution_or_other_learner_in_any_feedback(graded):
    course, _, feedback = graded
    for path in feedback:
        text = html.unescape(path.read_text("utf-8"))
        own = path.parent.parent.name
        # A learner's own code may quote anything (read-source-notebook searches for
        # "BEGIN HIDDEN TESTS"); what counts is that nothing from the source shows up.
        submitted = (HOSTILE / f"{own}.ipynb").read_text("utf-8")
        submitted += json.dumps(submitted)
        for secret in SECRETS:
            assert secret not in text or secret in submitted, (path, secret)
        for other in SCENARIOS:
            if other != own:
                assert f"merkteken-{other}" not in text, (path, other)
        assert len(text) < 60_000, path  # learner output cut to a sane size


def test_learner_code_saw_no_course_files_and_no_network(graded):
    course, _, _ = graded

    def first_output(name):
        result = load_result(course, ASSIGNMENT, name)
        return result.notebooks[0].cells[0].output

    assert "niets gevonden" in first_output("read-source-notebook")
    assert "andere cursisten gevonden: 0" in first_output("read-other-learners")
    assert "NETWERK: geblokkeerd" in first_output("network-access")
    written = first_output("write-gradebook")
    assert "gelukt" not in written and "geschreven" not in written and "gevonden" not in written
    for folder in (course.root, course.root.parent):
        assert not (folder / "GEHACKT.txt").exists()


def test_gradebook_holds_exactly_what_the_grading_process_recorded(graded):
    """Every score in the gradebook equals the grader's own record (journal) and no manual
    score appeared: the write-gradebook learner's UPDATE never reached the file."""
    course, _, _ = graded
    with course.gradebook() as gb:
        for name in SCENARIOS:
            submission = gb.find_submission(ASSIGNMENT, name)
            in_gradebook = {g.name: (g.auto_score, g.manual_score)
                            for nb in submission.notebooks for g in nb.grades}
            recorded = {i.grade_id: (i.score, None)
                        for nb in load_result(course, ASSIGNMENT, name).notebooks
                        for i in nb.items}
            assert in_gradebook == recorded, name


def test_failures_are_explained_in_dutch(graded):
    course, _, _ = graded
    numpy = (course.feedback("pandas-series", ASSIGNMENT) / "ketenmeting.html").read_text()
    assert "geen gewone Python-waarde" in numpy and "float(...)" in numpy
    assert "de doorlooptijd van zaken per partner berekenen" in numpy  # objective h9.2
    killed = (course.feedback("swallow-keyboardinterrupt", ASSIGNMENT)
              / "ketenmeting.html").read_text()
    assert "liet zich niet onderbreken" in killed
    invalid = (course.feedback("invalid-json", ASSIGNMENT) / "ketenmeting.html").read_text()
    assert "geen geldige JSON" in invalid
    wrong = (course.feedback("wrong-nbformat", ASSIGNMENT) / "ketenmeting.html").read_text()
    assert "notebookformaat 3" in wrong
    os_exit = (course.feedback("os-exit", ASSIGNMENT) / "ketenmeting.html").read_text()
    assert "stopte voortijdig" in os_exit


ALLOWED_MIME = {"text/plain", "image/png", "image/jpeg"}
MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}


def test_only_plain_text_and_valid_images_reach_the_autograded_notebooks(graded):
    """The formgrader renders autograded notebooks in the instructor's browser: no learner
    HTML, Markdown, JavaScript, SVG or widget view, forged or not, may survive there."""
    import base64

    course, _, _ = graded
    for name in SCENARIOS:
        path = course.autograded(name, ASSIGNMENT) / NOTEBOOK
        nb = json.loads(path.read_text("utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                text = "".join(cell["source"])
                assert not re.search(r"<\s*(script|img|iframe|svg|object|embed|a)\b", text,
                                     re.I), (name, text[:200])
                assert "](javascript:" not in text.replace(" ", "").lower(), name
                assert cell["cell_type"] == "markdown" or not cell.get("metadata"), name
                continue
            for out in cell.get("outputs", []):
                assert set(out.get("metadata") or {}) == set(), (name, out)
                for mime, content in (out.get("data") or {}).items():
                    assert mime in ALLOWED_MIME, (name, mime)
                    if mime in MAGIC:
                        assert base64.b64decode(content).startswith(MAGIC[mime]), name
    html_nb = (course.autograded("html-outputs", ASSIGNMENT) / NOTEBOOK).read_text("utf-8")
    assert "kc-echte-png" in html_nb  # a real PNG and plain text still pass
    forged = json.loads((course.autograded("forged-protocol-outputs", ASSIGNMENT)
                         / NOTEBOOK).read_text("utf-8"))
    outputs = json.dumps([c.get("outputs", []) for c in forged["cells"]])
    assert "vervalst" not in outputs.replace("vervalste uitvoer", "")


def test_links_in_a_submission_are_never_followed(graded):
    course, _, _ = graded
    for name in ("link-notebook-to-source", "link-folder-to-source",
                 "hardlink-notebook-to-source", "link-student-folder"):
        result = load_result(course, ASSIGNMENT, name)
        assert result.notebooks[0].problem and "koppeling" in result.notebooks[0].problem, name
        assert result.score == 0, name
    assert load_result(course, ASSIGNMENT, "link-timestamp-to-source").timestamp is None


def test_no_process_of_any_learner_outlives_the_run(graded):
    course, _, _ = graded
    uids = set()
    for name in SCENARIOS:
        log = course.log_file(ASSIGNMENT, name).read_text("utf-8")
        uids |= {int(uid) for uid in re.findall(r"sandbox-gebruiker (\d+)", log)}
    assert len(uids) >= len(SCENARIOS) - 6  # a fresh uid per graded notebook
    assert all(sb.UID_BASE <= uid < sb.UID_BASE + sb.UID_RANGE for uid in uids)
    assert sandbox_processes(uids) == []


def test_a_submission_over_its_total_time_is_stopped_and_told_so(graded):
    course, _, _ = graded
    text = (course.feedback("slow-cells-total", ASSIGNMENT) / "ketenmeting.html").read_text()
    assert "in totaal" in text and "seconden" in text
