"""Constants and helpers shared by the tests (importable as ``support``; conftest
modules are not importable by name when several directories have one)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
