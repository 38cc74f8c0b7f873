"""The documents the code and the engineering docs refer to exist in the repository."""

from __future__ import annotations

import re

from tests.support import ROOT

REFERENCE = re.compile(r"\bdocs/[\w-]+\.md\b")


def test_every_docs_file_named_in_the_package_exists():
    named = {
        (path.relative_to(ROOT), ref)
        for path in (ROOT / "src" / "ketencursus").rglob("*.py")
        for ref in REFERENCE.findall(path.read_text(encoding="utf-8"))
    }
    assert named, "the package names no document: the scan looks in the wrong place"
    missing = sorted((str(path), ref) for path, ref in named if not (ROOT / ref).is_file())
    assert missing == []


def test_architecture_names_every_subpackage_of_the_package():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = ROOT / "src" / "ketencursus"
    subpackages = sorted(p.parent.name for p in package.glob("*/__init__.py"))
    absent = [name for name in subpackages if f"`{name}/`" not in text]
    assert absent == []
