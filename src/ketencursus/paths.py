"""The one place that knows where the project's parts live.

``ProjectLayout`` maps the repository layout (book, exercises, grader course, binder).
Code that needs a path asks it; nobody builds ``../../data``-style paths.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ketencursus.errors import UserError

ROOT_MARKERS = ("_config.yml", "_toc.yml", "pyproject.toml")


class ProjectNotFoundError(UserError, RuntimeError):
    """Raised when no course repository is found above the working directory."""


def find_root(start: Path | None = None) -> Path:
    """Return the repository root: ``$KETENCURSUS_ROOT``, or the first parent of
    ``start`` (default: the working directory) holding all of ``ROOT_MARKERS``."""
    env = os.environ.get("KETENCURSUS_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if all((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate
    raise ProjectNotFoundError(
        f"Geen cursusmap gevonden boven {here}. Start het commando in de map van de "
        "cursusrepository (waar _config.yml staat) of zet KETENCURSUS_ROOT."
    )


@dataclass(frozen=True)
class ProjectLayout:
    root: Path

    @classmethod
    def discover(cls, start: Path | None = None) -> ProjectLayout:
        return cls(find_root(start))

    @property
    def book(self) -> Path:
        return self.root / "book"

    @property
    def exercises(self) -> Path:
        return self.root / "exercises"

    @property
    def grader(self) -> Path:
        return self.root / "grader"

    @property
    def binder(self) -> Path:
        return self.root / "binder"

    @property
    def config(self) -> Path:
        return self.root / "_config.yml"

    @property
    def toc(self) -> Path:
        return self.root / "_toc.yml"
