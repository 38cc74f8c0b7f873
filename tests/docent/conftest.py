"""Fixtures of the instructor-edition tests. The edition itself is built once per session by
the ``docent_book`` fixture of ``tests/conftest.py`` (see ``tests/support/docent.py``)."""

from __future__ import annotations

import pytest

from ketencursus.objectives import read_objectives
from ketencursus.quiz.bank import load_bank


@pytest.fixture(scope="session")
def objectives(layout):
    return read_objectives(layout.book)


@pytest.fixture(scope="session")
def bank(layout, objectives):
    return load_bank(layout.exercises / "bank", objectives)
