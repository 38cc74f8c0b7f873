"""``ketencursus grade --scheduler``: the same per-submission function on a Dask cluster
gives the same grades as the local process pool."""

from __future__ import annotations

import pytest

from ketencursus.cli import main
from tests.grading.grading_helpers import (
    ASSIGNMENT,
    CORRECT,
    WRONG,
    auto_scores,
    course_copy,
    submit,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def test_dask_local_cluster_gives_the_same_grades_as_the_local_run(tmp_path):
    from dask.distributed import LocalCluster

    learners = {
        "anna": CORRECT,
        "bram": WRONG,
        "chris": {**CORRECT, "antwoord_partner_cel": 'antwoord_partner = "a"'},
        "dewi": {**WRONG, "antwoord_doorlooptijd_cel": CORRECT["antwoord_doorlooptijd_cel"]},
    }
    local = course_copy(tmp_path / "lokaal")
    remote = course_copy(tmp_path / "dask")
    for course in (local, remote):
        for student, answers in learners.items():
            submit(course, student, answers)
    assert main(["grade", ASSIGNMENT, "--course", str(local.root), "--no-progress"]) == 0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        code = main(["grade", ASSIGNMENT, "--course", str(remote.root), "--no-progress",
                     "--scheduler", cluster.scheduler_address])
    assert code == 0
    for student in learners:
        assert auto_scores(remote, student) == auto_scores(local, student), student
        assert remote.log_file(ASSIGNMENT, student).is_file()
    assert auto_scores(remote, "dewi")["test_doorlooptijd"] == 2.0
