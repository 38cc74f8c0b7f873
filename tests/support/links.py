"""Internal links of a built book: every ``href``/``src`` that points into the book must name
an existing file, and a ``#fragment`` must name an element id (or anchor name) in it."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {
    "a": ("href",), "link": ("href",), "script": ("src",), "img": ("src",),
    "iframe": ("src",), "source": ("src",), "video": ("src", "poster"), "audio": ("src",),
    "area": ("href",), "form": ("action",),
}
# Fragments handled by JavaScript, not by an element id.
SCRIPT_FRAGMENTS = {"", "top"}


@dataclass(frozen=True)
class BrokenLink:
    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url} ({self.reason})"


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name"):
            if values.get(key):
                self.ids.add(values[key] or "")
        for attr in LINK_ATTRS.get(tag, ()):
            value = values.get(attr)
            if value is not None:
                self.links.append(value)


@lru_cache(maxsize=4096)
def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def is_internal(url: str) -> bool:
    parts = urlsplit(url.strip())
    return not parts.scheme and not parts.netloc


def check_page(html_root: Path, page: Path) -> list[BrokenLink]:
    """Broken internal links of one page of the book rooted at ``html_root``."""
    broken: list[BrokenLink] = []
    rel_page = page.relative_to(html_root).as_posix()
    for url in _parse(page).links:
        if not is_internal(url):
            continue
        parts = urlsplit(url.strip())
        path = unquote(parts.path)
        if path:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel_page), path))
            if joined.startswith("..") or path.startswith("/"):
                broken.append(BrokenLink(rel_page, url, "buiten het boek"))
                continue
            target = html_root / joined
            if target.is_dir():
                target = target / "index.html"
        else:
            target = page
        if not target.is_file():
            broken.append(BrokenLink(rel_page, url, "bestand bestaat niet"))
            continue
        fragment = unquote(parts.fragment)
        if fragment not in SCRIPT_FRAGMENTS and target.suffix == ".html":
            if fragment not in _parse(target).ids:
                broken.append(BrokenLink(rel_page, url, f"anker #{fragment} bestaat niet"))
    return broken


def check_book(html_root: Path) -> list[BrokenLink]:
    """Broken internal links on every page (``_static`` assets excluded as pages)."""
    _parse.cache_clear()
    broken: list[BrokenLink] = []
    for page in sorted(html_root.rglob("*.html")):
        if "_static" in page.relative_to(html_root).parts:
            continue
        broken.extend(check_page(html_root, page))
    return broken
