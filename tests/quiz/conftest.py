"""Fixtures of the quiz tests: a one-chapter fixture book (its own bank and objectives)
built with jupyter-book, strictly."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import VENV_BIN, tool_env

FIXTURE_BOOK = Path(__file__).parent / "fixtures" / "proefboek"


@dataclass
class FixtureBuild:
    root: Path
    html: Path
    log: str
    returncode: int


def build_fixture_book(target: Path, extra_pages: dict[str, str] | None = None) -> FixtureBuild:
    """Copy the fixture book to ``target`` (plus ``extra_pages``: path -> text, added to the
    TOC) and build it with ``jupyter-book build -W -n --keep-going``."""
    shutil.copytree(FIXTURE_BOOK, target)
    for rel, text in (extra_pages or {}).items():
        (target / rel).write_text(text, encoding="utf-8")
        with (target / "_toc.yml").open("a", encoding="utf-8") as toc:
            toc.write(f"  - file: {Path(rel).with_suffix('').as_posix()}\n")
    proc = subprocess.run(
        [str(VENV_BIN / "jupyter-book"), "build", str(target), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, env=tool_env(), timeout=600,
    )
    return FixtureBuild(target, target / "_build" / "html", proc.stdout + proc.stderr,
                        proc.returncode)


@pytest.fixture(scope="session")
def quiz_book(tmp_path_factory) -> FixtureBuild:
    build = build_fixture_book(tmp_path_factory.mktemp("quizbook") / "boek")
    assert build.returncode == 0, build.log[-4000:]
    return build
