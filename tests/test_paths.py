from __future__ import annotations

import pytest

from ketencursus.paths import ProjectLayout, ProjectNotFoundError, find_root


def test_root_is_found_from_a_subdirectory(tmp_path, monkeypatch):
    monkeypatch.delenv("KETENCURSUS_ROOT", raising=False)
    for marker in ("_config.yml", "_toc.yml", "pyproject.toml"):
        (tmp_path / marker).write_text("", encoding="utf-8")
    (tmp_path / "book" / "casussen").mkdir(parents=True)
    assert find_root(tmp_path / "book" / "casussen") == tmp_path.resolve()
    assert ProjectLayout.discover(tmp_path / "book").grader == tmp_path.resolve() / "grader"


def test_missing_root_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("KETENCURSUS_ROOT", raising=False)
    with pytest.raises(ProjectNotFoundError, match="KETENCURSUS_ROOT"):
        find_root(tmp_path)
