"""Reading the book's sources: the TOC, chapter files, glossary terms, citations, and the
amount of course text. Used by the tests and by tools that check the book's structure."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

ROLE_TERM = re.compile(r"\{term\}`([^`]+)`")
ROLE_CITE = re.compile(r"\{(?:foot)?cite(?::[a-z]+)?\}`([^`]+)`")
BIB_KEY = re.compile(r"^@\w+\{([^,\s]+),", re.M)
FENCE = re.compile(r"^(`{3,}|:{3,})\{?([\w-]*)\}?[^\n]*\n(.*?)^\1\s*$", re.S | re.M)


def toc_files(root: Path) -> list[str]:
    """Document names (without suffix) in ``_toc.yml``, root first, in reading order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(entries) -> None:
        for entry in entries or []:
            if "file" in entry:
                found.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return found


def source_path(root: Path, docname: str) -> Path:
    for suffix in (".md", ".ipynb"):
        candidate = root / f"{docname}{suffix}"
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{docname} (.md/.ipynb) staat in _toc.yml maar bestaat niet")


def markdown_text(path: Path) -> str:
    """The markdown of a page: the file itself, or the markdown cells of a notebook."""
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        return "\n\n".join(
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"]
            if c["cell_type"] == "markdown"
        )
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Section:
    title: str
    body: str


def sections(text: str, level: int = 2) -> Iterator[Section]:
    """Split markdown into sections at headings of exactly ``level`` (outside fences)."""
    marker = "#" * level + " "
    title, lines, fence = None, [], None
    for line in text.splitlines():
        stripped = line.strip()
        opener = re.match(r"^(`{3,}|:{3,})", stripped)
        if opener:
            if fence is None:
                fence = opener.group(1)
            elif stripped == fence:
                fence = None
        if fence is None and line.startswith(marker):
            if title is not None:
                yield Section(title, "\n".join(lines))
            title, lines = line[len(marker):].strip(), []
        elif title is not None:
            lines.append(line)
    if title is not None:
        yield Section(title, "\n".join(lines))


def directive_blocks(text: str, name: str) -> list[str]:
    """Contents of every fenced directive ``{name}`` in ``text``."""
    return [m.group(3) for m in FENCE.finditer(text) if m.group(2) == name]


def admonition_classes(text: str) -> list[str]:
    """The ``:class:`` values of every admonition in ``text``."""
    found = []
    for m in FENCE.finditer(text):
        if m.group(2) == "admonition":
            cls = re.search(r"^:class:\s*(.+)$", m.group(3), re.M)
            if cls:
                found.extend(cls.group(1).split())
    return found


def glossary_terms(glossary: Path) -> list[str]:
    """Terms defined in the ``{glossary}`` block of ``glossary``."""
    terms = []
    for block in directive_blocks(glossary.read_text(encoding="utf-8"), "glossary"):
        for line in block.splitlines():
            if line and not line[0].isspace() and not line.startswith(":"):
                terms.append(line.strip())
    return terms


def term_references(text: str) -> set[str]:
    """Glossary terms referenced with the ``{term}`` role (lower-cased target)."""
    refs = set()
    for content in ROLE_TERM.findall(text):
        target = re.search(r"<([^>]+)>\s*$", content)
        refs.add((target.group(1) if target else content).strip().lower())
    return refs


def citation_keys(text: str) -> set[str]:
    keys = set()
    for content in ROLE_CITE.findall(text):
        keys.update(k.strip() for k in content.split(",") if k.strip())
    return keys


def bib_keys(bibfile: Path) -> set[str]:
    return set(BIB_KEY.findall(bibfile.read_text(encoding="utf-8")))


def prose_words(text: str) -> int:
    """Words of running text: without front matter, code, directive options, roles' markup,
    bibliography/quiz/objective blocks and HTML comments."""
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"^---\n.*?\n---\n", " ", text, flags=re.S)

    def keep(match: re.Match) -> str:
        name, body = match.group(2), match.group(3)
        if name in {"admonition", "note", "tip", "important", "warning", "glossary", "hint",
                    "attention", "caution", "seealso", "epigraph", "dropdown"}:
            return "\n".join(line for line in body.splitlines() if not line.startswith(":"))
        return " "

    previous = None
    while previous != text:  # nested fences: unwrap outer ones first
        previous = text
        text = FENCE.sub(keep, text)
    text = re.sub(r"\{[\w:-]+\}`([^`<]*)(<[^>]*>)?`", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"`[^`]*`", " ", text)
    return len(re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]*", text))


def strings(node) -> list[str]:
    """Every string in a parsed YAML/JSON tree (dict values and list items, depth first)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return []
