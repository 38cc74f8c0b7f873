"""What a page of the built book makes the browser load, and what a learner can click to.

Used by the SCORM packager to decide which files go into the package (exactly the files
reachable from the launch page) and by its tests to check that every reference resolves
inside the package. Only relative references count: links to other sites are not part of
the package (the packager opens them in a new window).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

# Attributes whose value is one URL that a browser loads or a learner follows.
_URL_ATTRIBUTES = {
    ("a", "href"), ("area", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
    ("iframe", "src"), ("frame", "src"), ("source", "src"), ("video", "src"),
    ("video", "poster"), ("audio", "src"), ("track", "src"), ("embed", "src"),
    ("object", "data"), ("input", "src"), ("form", "action"),
}
_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]+)(?P=q)\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(?P<q>["'])(?P<url>[^"']+)(?P=q)""")
_SOURCE_MAP = re.compile(r"^[/][/*][#@]\s*sourceMappingURL=(?P<url>\S+?)(?:\s*\*/)?\s*$", re.M)


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if (tag, name) in _URL_ATTRIBUTES:
                self.urls.append(value)
            elif name == "srcset":
                self.urls.extend(part.strip().split(" ")[0] for part in value.split(",")
                                 if part.strip())
            elif name == "style":
                self.urls.extend(m.group("url") for m in _CSS_URL.finditer(value))
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            self.urls.extend(m.group("url") for m in _CSS_URL.finditer(data))


def references(path: str, text: str) -> list[str]:
    """The raw references in one file (HTML, CSS or JavaScript), in order of appearance."""
    lower = path.lower()
    if lower.endswith((".html", ".htm")):
        parser = _References()
        parser.feed(text)
        parser.close()
        return parser.urls
    if lower.endswith(".css"):
        return [m.group("url") for m in _CSS_URL.finditer(text)] + [
            m.group("url") for m in _CSS_IMPORT.finditer(text)]
    if lower.endswith((".js", ".mjs")):
        return [m.group("url") for m in _SOURCE_MAP.finditer(text)]
    return []


def resolve(base_file: str, reference: str) -> str | None:
    """The package path a relative ``reference`` in ``base_file`` points at, or ``None`` for a
    reference to another site, a ``data:``/``mailto:``/``javascript:`` URL or a bare
    fragment. Query strings and fragments are dropped; ``..`` above the root gives
    ``"../..."`` (reported as missing by the caller)."""
    parts = urlsplit(reference.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = unquote(parts.path)
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_file), target))
    return joined


@dataclass
class Closure:
    """The files reachable from the start files, and references that lead nowhere."""

    reachable: set[str] = field(default_factory=set)
    missing: dict[str, list[str]] = field(default_factory=dict)  # target -> files naming it


def closure(
    start: Iterable[str],
    exists: Callable[[str], bool],
    read_text: Callable[[str], str],
    *,
    expand: Callable[[str], Iterable[str]] = lambda path: (),
) -> Closure:
    """Follow every relative reference from ``start`` through HTML, CSS and JavaScript files.

    ``expand(path)`` names extra files that ``path`` loads by itself at run time (a script
    that fetches its own components); they count as reachable from it."""
    result = Closure()
    todo = [p for p in start]
    while todo:
        path = todo.pop()
        if path in result.reachable:
            continue
        if not exists(path):
            continue
        result.reachable.add(path)
        found = [resolve(path, ref) for ref in references(path, _safe_read(read_text, path))]
        for target in [t for t in found if t is not None] + list(expand(path)):
            if target.endswith("/"):
                target = target + "index.html"
            if target.startswith("../") or target == "..":
                result.missing.setdefault(target, []).append(path)
            elif not exists(target):
                if exists(posixpath.join(target, "index.html")):
                    todo.append(posixpath.join(target, "index.html"))
                else:
                    result.missing.setdefault(target, []).append(path)
            elif target not in result.reachable:
                todo.append(target)
    return result


def _safe_read(read_text: Callable[[str], str], path: str) -> str:
    if not path.lower().endswith((".html", ".htm", ".css", ".js", ".mjs")):
        return ""
    return read_text(path)
