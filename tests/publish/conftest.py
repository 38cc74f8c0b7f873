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


class Editions:
    """``make edities`` on a copy of the session's clean book build: the PDF and the ePub in
    the online book's ``edities/``, and the online book built again with its links."""

    def __init__(self, work: Path, log: str) -> None:
        self.work = work
        self.html = work / "_build" / "html"
        self.pdf = self.html / "edities" / "ketencursus.pdf"
        self.epub = self.html / "edities" / "ketencursus.epub"
        self.log = log


@pytest.fixture(scope="session")
def editions(built_book, tmp_path_factory) -> Editions:
    """Both editions, built once per session with the real commands of ``make edities``
    (``ketencursus edities``, then ``jupyter-book build``), offline: the notebooks come from
    the jupyter-cache of the clean build. A copy, so the other tests' book stays as it was."""
    import shutil
    import subprocess

    from tests.support import VENV_BIN, tool_env

    assert built_book.returncode == 0, built_book.log[-3000:]
    work = tmp_path_factory.mktemp("edities") / "src"
    shutil.copytree(built_book.html.parent.parent, work, symlinks=True)
    env = tool_env()
    env["KETENCURSUS_ROOT"] = str(work)
    log = ""
    for command in (
        [str(VENV_BIN / "ketencursus"), "edities", "-o", "_build/html/edities"],
        [str(VENV_BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"],
    ):
        proc = subprocess.run(command, cwd=work, capture_output=True, text=True, env=env)
        log += proc.stdout + proc.stderr
        assert proc.returncode == 0, log[-4000:]
    return Editions(work, log)
