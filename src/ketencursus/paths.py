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


def _is_root(candidate: Path) -> bool:
    return all((candidate / marker).exists() for marker in ROOT_MARKERS)


def find_root(start: Path | None = None) -> Path:
    """Return the repository root: the first parent of ``start`` holding all of
    ``ROOT_MARKERS`` when ``start`` is given (an explicit choice wins), else
    ``$KETENCURSUS_ROOT``, else the first such parent of the working directory."""
    markers = ", ".join(ROOT_MARKERS)
    env = os.environ.get("KETENCURSUS_ROOT")
    if env and start is None:
        root = Path(env).expanduser().resolve()
        if not _is_root(root):
            raise ProjectNotFoundError(
                f"KETENCURSUS_ROOT={env} is geen cursusrepository (daar ontbreekt een van "
                f"{markers}). Zet KETENCURSUS_ROOT op de map van de cursusrepository, of haal "
                "de variabele weg en start het commando in die map."
            )
        return root
    here = (start or Path.cwd()).expanduser().resolve()
    for candidate in (here, *here.parents):
        if _is_root(candidate):
            return candidate
    if start is not None:
        raise ProjectNotFoundError(
            f"{here} is geen cursusrepository en ligt er ook niet in (geen map met {markers}). "
            "Geef de map van de cursusrepository op."
        )
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
