"""Recreate what repo2docker does with ``binder/``: a fresh virtual environment from the
machine's Python, ``pip install -r binder/requirements.txt`` run from the repository root,
then ``binder/postBuild``. Used by the Binder test and the publishing benchmark."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def base_python() -> str:
    """Debian's Python when present (as a fresh machine has it), else this interpreter."""
    return "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable


def venv_env(venv: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)
    return env


def install_binder_env(tree: Path, venv: Path) -> float:
    """Build the learner environment for ``tree`` (a learner release) in ``venv``, exactly
    from ``tree/binder``; return the seconds it took."""
    binder = tree / "binder"
    if not (binder / "requirements.txt").is_file():
        raise FileNotFoundError(f"{binder / 'requirements.txt'} ontbreekt")
    start = time.perf_counter()
    subprocess.run([base_python(), "-m", "venv", str(venv)], check=True)
    env = venv_env(venv)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "-r", "binder/requirements.txt"],
        cwd=tree, env=env, check=True,
    )
    if (binder / "postBuild").is_file():
        subprocess.run(["bash", "binder/postBuild"], cwd=tree, env=env, check=True)
    return time.perf_counter() - start


def size_mb(path: Path) -> float:
    """Disk size of a directory tree in MB (apparent file sizes, symlinks not followed)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            file = Path(root) / name
            if not file.is_symlink():
                total += file.stat().st_size
    return total / 1_000_000
