"""One print document from the book's pages, in the order of ``_toc.yml``.

Sphinx's own ``singlehtml`` builder would give one page too, but it keeps every page's ids as
they are: every chapter has a section ``zelftoets`` and footnotes ``id1``, ``id2``, ..., so a
link in chapter 5 could land in chapter 1. Here each page's body is taken from its own HTML
page (the plain ``basic`` theme), every id gets the page as prefix, and every link to another
page of the book becomes a link inside the document. Links to pages outside the book (the
search page, the index) lose their target, images get paths relative to the document.
In front: a title page and a table of contents whose page numbers the print stylesheet fills in
(``target-counter``); the parts of ``_toc.yml`` become part title pages.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from .sphinxbuild import EditionError


@dataclass(frozen=True)
class Part:
    caption: str
    docnames: list[str]


def slug(docname: str) -> str:
    return "p-" + re.sub(r"[^A-Za-z0-9_-]", "-", docname)


def _page_body(outdir: Path, docname: str) -> Tag:
    page = outdir / f"{docname}.html"
    try:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    except OSError as exc:
        raise EditionError(f"pagina {docname} ontbreekt in de bouw van de uitgave ({exc})") from exc
    body = soup.select_one('div.body[role="main"]') or soup.select_one("div.body")
    if body is None:
        raise EditionError(f"pagina {docname}: geen inhoud gevonden (div.body)")
    return body


def _rewrite(body: Tag, docname: str, known: set[str]) -> None:
    prefix = slug(docname)
    page_dir = posixpath.dirname(docname)
    for anchor in body.select("a.headerlink, script, noscript"):
        anchor.decompose()
    for element in body.find_all(id=True):
        element["id"] = f"{prefix}--{element['id']}"
    for element in body.select("[aria-describedby]"):
        element["aria-describedby"] = " ".join(
            f"{prefix}--{i}" for i in str(element["aria-describedby"]).split())
    for label in body.find_all("label", attrs={"for": True}):
        label["for"] = f"{prefix}--{label['for']}"
    for link in body.find_all("a", href=True):
        href = str(link["href"])
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("mailto:"):
            continue
        if not parts.path:
            link["href"] = f"#{prefix}--{parts.fragment}" if parts.fragment else f"#{prefix}"
            continue
        target = posixpath.normpath(posixpath.join(page_dir, unquote(parts.path)))
        target_doc = re.sub(r"\.html$", "", target)
        if target_doc in known:
            link["href"] = (f"#{slug(target_doc)}--{parts.fragment}" if parts.fragment
                            else f"#{slug(target_doc)}")
        else:
            del link["href"]  # a page that is not part of the book (search, index, ...)
    for image in body.find_all(["img", "source"], src=True):
        src = str(image["src"])
        if not urlsplit(src).scheme:
            image["src"] = posixpath.normpath(posixpath.join(page_dir, src))


def _title_page(config: dict, online: str) -> str:
    title = str(config.get("project") or "")
    main, _, sub = title.partition(":")
    return (
        '<section class="kc-titelpagina" id="titelpagina">'
        f'<h1 class="kc-titel">{html.escape(main.strip())}</h1>'
        + (f'<p class="kc-ondertitel">{html.escape(sub.strip())}</p>' if sub else "")
        + f'<p class="kc-auteur">{html.escape(str(config.get("author") or ""))}</p>'
        f'<p class="kc-titel-online">Online: '
        f'<a href="{html.escape(online)}">{html.escape(online)}</a></p>'
        f'<p class="kc-colofon">© {html.escape(str(config.get("copyright") or ""))}. '
        f"Deze uitgave is gemaakt op {date.today():%d-%m-%Y} uit dezelfde bronnen als het "
        "online boek.</p></section>"
    )


def _toc_entry(docname: str, title: str, sections: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="#{i}">{html.escape(t)}</a></li>' for i, t in sections)
    return (f'<li class="kc-inhoud-hoofdstuk"><a href="#{slug(docname)}">{html.escape(title)}</a>'
            + (f"<ul>{items}</ul>" if items else "") + "</li>")


def assemble(outdir: Path, root: str, toc_parts: list[tuple[str, list[str]]],
             config: dict) -> Path:
    """Write ``outdir/ketencursus-druk.html``: the whole book as one print document (``root``
    first, then the parts of ``_toc.yml``: caption and pages)."""
    parts = [Part(caption, docnames) for caption, docnames in toc_parts]
    order = [root] + [doc for part in parts for doc in part.docnames]
    known = set(order)
    bodies: dict[str, Tag] = {}
    for docname in order:
        body = _page_body(outdir, docname)
        _rewrite(body, docname, known)
        bodies[docname] = body

    def page_html(docname: str) -> str:
        return (f'<section class="kc-pagina" id="{slug(docname)}">'
                f"{bodies[docname].decode_contents()}</section>")

    def headings(docname: str) -> tuple[str, list[tuple[str, str]]]:
        body = bodies[docname]
        h1 = body.find("h1")
        title = h1.get_text(" ", strip=True) if h1 else docname
        sections = []
        for h2 in body.find_all("h2"):
            section = h2.find_parent("section")
            if section is not None and section.get("id"):
                sections.append((str(section["id"]), h2.get_text(" ", strip=True)))
        return title, sections

    toc = ['<nav class="kc-inhoud" id="inhoud" aria-labelledby="inhoud-titel">',
           '<h1 id="inhoud-titel">Inhoud</h1><ol>']
    title, _ = headings(root)
    toc.append(_toc_entry(root, title, []))
    main: list[str] = [page_html(root)]
    for number, part in enumerate(parts, 1):
        part_id = f"deel-{number}"
        toc.append(f'<li class="kc-inhoud-deel"><a href="#{part_id}">'
                   f"{html.escape(part.caption)}</a><ol>")
        main.append(f'<section class="kc-deel" id="{part_id}"><h1 class="kc-deel-titel">'
                    f"{html.escape(part.caption)}</h1></section>")
        for docname in part.docnames:
            title, sections = headings(docname)
            toc.append(_toc_entry(docname, title, sections))
            main.append(page_html(docname))
        toc.append("</ol></li>")
    toc.append("</ol></nav>")
    online = str(config.get("html_baseurl") or "")
    title = str(config.get("project") or "")
    document = (
        f'<!DOCTYPE html>\n<html lang="{html.escape(str(config.get("language") or "nl"))}">'
        f'<head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<meta name="author" content="{html.escape(str(config.get("author") or ""))}">'
        f'<meta name="description" content="PDF-uitgave van de cursus {html.escape(title)}">'
        '<meta name="generator" content="ketencursus edities (Sphinx, WeasyPrint)">'
        '</head><body>'
        + _title_page(config, online) + "".join(toc) + "".join(main)
        + "</body></html>"
    )
    target = outdir / "ketencursus-druk.html"
    target.write_text(document, encoding="utf-8")
    return target
