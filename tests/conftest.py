"""Shared fixtures: the repository layout, one clean book build per test session, and
Debian's Chromium driven by Playwright."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ketencursus.paths import ProjectLayout
from tests.support import CHROMIUM, CHROMIUM_ARGS, ROOT, VENV_BIN, tool_env  # noqa: F401


@pytest.fixture(scope="session")
def layout() -> ProjectLayout:
    return ProjectLayout(ROOT)


class BookBuild:
    """A finished clean build of the book: its output directory and its log."""

    def __init__(self, html: Path, log: str, returncode: int) -> None:
        self.html = html
        self.log = log
        self.returncode = returncode

    def pages(self) -> list[Path]:
        return sorted(p for p in self.html.rglob("*.html") if "_static" not in p.parts)


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> BookBuild:
    """Build the book once per session, from a clean copy of the tracked tree, strictly
    (-W -n --keep-going), so no earlier build or cache can hide a warning."""
    work = tmp_path_factory.mktemp("book") / "src"
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()
    for rel in files:
        src = ROOT / rel
        if src.is_file():
            dst = work / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    proc = subprocess.run(
        [str(VENV_BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"],
        cwd=work, capture_output=True, text=True, env=tool_env(),
    )
    log = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)  # no colour codes
    return BookBuild(work / "_build" / "html", log, proc.returncode)


@pytest.fixture(scope="session")
def docent_book(tmp_path_factory):
    """The instructor edition (``make docent``) built once per session from a clean copy of
    the tracked tree (see :mod:`tests.support.docent`)."""
    from tests.support.docent import build_docent_edition

    return build_docent_edition(tmp_path_factory.mktemp("docent") / "src")


@pytest.fixture(scope="session")
def learner_release(tmp_path_factory):
    """``ketencursus student-release`` of this repository into a fresh directory (what the
    public learner repository, and so Binder, gets), once per session. Shared here because
    the publishing tests and the no-leak tests of the role play and the instructor edition
    search it."""
    from ketencursus.publish.release import build_student_release

    out = tmp_path_factory.mktemp("release") / "leerling"
    return build_student_release(ProjectLayout(ROOT), out, regenerate=True)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium ontbreekt: draai `make test` als root (installeert het) "
            "of `apt-get install chromium`."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
