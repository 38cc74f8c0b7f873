"""Fixtures of the publishing tests. The learner release (``learner_release``) is built once per
session by ``tests/conftest.py``; the role-play and instructor-edition no-leak tests search it
too."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ketencursus.publish.scorm import build_scorm_package, read_book_info

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def scorm_zip(built_book, tmp_path_factory) -> Path:
    assert built_book.returncode == 0, built_book.log[-3000:]
    out = tmp_path_factory.mktemp("scorm") / "ketencursus-scorm12.zip"
    book = read_book_info(ROOT / "_config.yml", ROOT / "_toc.yml")
    build_scorm_package(built_book.html, out, book)
    return out


@pytest.fixture(scope="session")
def unpacked(scorm_zip, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("scorm-uitgepakt")
    with zipfile.ZipFile(scorm_zip) as zf:
        zf.extractall(target)
    return target
