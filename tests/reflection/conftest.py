"""Fixtures for the reflection tests: every test gets its own answers file via
``KETENCURSUS_ANSWERS`` in a temporary directory, never the learner's home."""

from __future__ import annotations

import pytest

from ketencursus.reflection.store import ENV_VAR, AnswerStore


@pytest.fixture
def answers_path(tmp_path, monkeypatch):
    path = tmp_path / "werkmap" / "antwoorden.json"
    monkeypatch.setenv(ENV_VAR, str(path))
    return path


@pytest.fixture
def store(answers_path) -> AnswerStore:
    return AnswerStore(answers_path)
