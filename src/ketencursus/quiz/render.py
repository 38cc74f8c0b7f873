"""Turn the bank's light text markup into HTML.

Bank texts are plain text with two inline marks, ``**sterk**`` and ``*nadruk*``, and blank
lines between paragraphs. Everything else is escaped, so a question can never inject HTML
into the book or into Moodle.
"""

from __future__ import annotations

import html
import re

_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![\*\w])\*(?=\S)(.+?)(?<=\S)\*(?![\*\w])")


def inline_html(text: str) -> str:
    """One paragraph (line breaks become spaces) as escaped HTML with <strong>/<em>."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    escaped = _STRONG.sub(r"<strong>\1</strong>", escaped)
    return _EM.sub(r"<em>\1</em>", escaped)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def block_html(text: str) -> str:
    """Several paragraphs, each in <p>."""
    return "".join(f"<p>{inline_html(p)}</p>" for p in paragraphs(text))


def plain(text: str) -> str:
    """Text without the marks (for titles, notebook comments)."""
    return " ".join(text.replace("**", "").replace("*", "").split())
