"""The learner/instructor boundary, statically: code a learner receives (everything outside
``publish.release.INSTRUCTOR_PACKAGES``) never imports an instructor subpackage. The learner
release leaves those subpackages out, so such an import would break the notebooks on Binder;
this test says so at once instead of the slow Binder test."""

from __future__ import annotations

import ast
from pathlib import Path

from ketencursus.publish.release import INSTRUCTOR_PACKAGES
from tests.support import ROOT

PACKAGE = ROOT / "src" / "ketencursus"


def _learner_modules() -> list[Path]:
    return sorted(
        path for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] not in INSTRUCTOR_PACKAGES
    )


def _imported_subpackages(source: str, here: list[str]) -> set[str]:
    """Top-level subpackages of ketencursus that a module imports (absolute or relative);
    ``here`` is the package the module lives in, below ketencursus (``[]`` at the top)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = [*base, *(node.module.split(".") if node.module else [])]
                if target:
                    found.add(target[0])
                elif node.module is None:
                    found.update(alias.name for alias in node.names)
                continue
            names = [node.module or ""]
        for name in names:
            parts = name.split(".")
            if parts[0] == "ketencursus" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_learner_side_code_never_imports_an_instructor_subpackage():
    modules = _learner_modules()
    assert any(p.parts[-2] == "cases" for p in modules)  # the scan sees the learner code
    offending = {}
    for path in modules:
        rel = path.relative_to(PACKAGE)
        imported = _imported_subpackages(path.read_text(encoding="utf-8"), list(rel.parts[:-1]))
        offending[str(rel)] = sorted(imported & set(INSTRUCTOR_PACKAGES))
    assert {k: v for k, v in offending.items() if v} == {}


def test_the_scan_finds_instructor_imports_in_each_form():
    assert _imported_subpackages("from ketencursus.grading import lms\n", ["cases"]) == {"grading"}
    assert _imported_subpackages("import ketencursus.quiz.bank\n", []) == {"quiz"}
    assert _imported_subpackages("from ..publish import release\n", ["cases"]) == {"publish"}
    assert _imported_subpackages("from . import sphinxext\n", []) == {"sphinxext"}
    assert _imported_subpackages("from .metrics import x\n", ["cases"]) == {"cases"}
