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
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProjectNotFoundError, match="KETENCURSUS_ROOT"):
        find_root()


def test_an_explicit_start_outside_a_repository_is_refused_even_with_the_variable_set(
        tmp_path, monkeypatch):
    monkeypatch.setenv("KETENCURSUS_ROOT", str(tmp_path))
    with pytest.raises(ProjectNotFoundError, match="geen cursusrepository"):
        find_root(tmp_path / "elders")


def test_a_variable_naming_no_repository_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("KETENCURSUS_ROOT", str(tmp_path / "bestaat-niet"))
    with pytest.raises(ProjectNotFoundError, match="KETENCURSUS_ROOT=.*is geen cursusrepository"):
        find_root()
