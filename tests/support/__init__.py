"""Test and benchmark support, imported as a package (``from tests.support import ...``;
``pythonpath = ["."]`` in pyproject's pytest configuration, ``PYTHONPATH`` for the benchmarks).

The package itself holds the constants and the tool environment; its modules hold the
scaffolding the shipped package must not carry: :mod:`.grading` (throw-away nbgrader courses
and submissions), :mod:`.site` (serving a built book and visiting it in Chromium),
:mod:`.links` (link check of a built book), :mod:`.binderenv` (building the Binder environment)
and :mod:`.booktext` (reading the book's sources).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]



def tool_env() -> dict[str, str]:
    """Environment for subprocesses: the virtual environment's bin first on PATH
    (nbgrader needs `alembic`, the book build needs `jupyter-book`)."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env
