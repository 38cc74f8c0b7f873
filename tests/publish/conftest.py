"""Fixtures of the publishing tests: one learner release of this repository per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketencursus.paths import ProjectLayout
from ketencursus.publish.release import ReleaseReport, build_student_release

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def learner_release(tmp_path_factory) -> ReleaseReport:
    """``ketencursus student-release`` of this repository into a fresh directory (what the
    public learner repository, and so Binder, gets)."""
    out = tmp_path_factory.mktemp("release") / "leerling"
    return build_student_release(ProjectLayout(ROOT), out, regenerate=True)
