"""The PDF and ePub editions of the learner book (``make edities``, ``ketencursus edities``).

Both are built from the book's own sources by Sphinx with Jupyter Book's configuration
(:mod:`.sphinxbuild`), with ``ketencursus_editie: offline`` so the interactive parts degrade
for paper (:mod:`ketencursus.sphinxext.editions`): self-checks printed with an answer key at
the end of the chapter, a pointer with the full online address instead of a form or a
simulation, model answers and figure descriptions unfolded. The notebooks' executed output
(tables and plots of the case studies) comes from the online book's jupyter-cache.

* **ePub** (EPUB 3): Sphinx's own ``epub`` builder; checked with epubcheck in the tests.
* **PDF**: the pages of a plain-theme HTML build, put in ``_toc.yml`` order into one document
  (:mod:`.assemble`), typeset by WeasyPrint with a print stylesheet (``print.css``): A4, page
  numbers, a table of contents with page numbers, bookmarks, working internal links, Dutch
  hyphenation, and tags for screen readers (``pdf_tags``), title, author and language in the
  metadata.

Why WeasyPrint, and not the two other ways the ecosystem offers (checked on this machine,
Debian 12):

* **LaTeX** (``jupyter-book build --builder pdflatex``): needs TeX Live; Debian's
  ``texlive-full`` is 425 packages and about 6.6 GB installed, and a reduced set that Sphinx's
  LaTeX writer and Dutch hyphenation need (``texlive-latex-extra``, ``-xetex``,
  ``-lang-european``, ``-fonts-recommended``, ``latexmk``) still 87 packages and 700 MB. The
  pdfTeX/XeTeX of Debian 12 (TeX Live 2022) write untagged PDF: tagging needs the then
  experimental ``tagpdf`` package, which Sphinx's LaTeX writer does not use. An untagged PDF
  fails the accessibility requirement (WCAG/EN 301 549) the online book meets.
* **Chromium's printing** (``--builder pdfhtml``, or Playwright's ``page.pdf``): hyphenates
  only with dictionaries that Chromium downloads through its component updater at run time.
  Offline, as the tests run it (``--disable-component-update``; a build must not need the
  network), ``hyphens: auto`` does nothing: measured in Debian's Chromium, a ``lang="nl"``
  paragraph of long Dutch words in a narrow column lays out exactly as with
  ``hyphens: manual`` (same height, the words overflow the column). Measured as well:
  ``target-counter`` prints nothing (a table of contents without page numbers), and
  ``page.pdf`` with its defaults writes an untagged PDF (pdfinfo: ``Tagged: no``).
* **WeasyPrint** is a Python package (already in the ``book`` extra, with Pango from
  Debian), hyphenates with pyphen's ``nl_NL`` dictionary that it ships, supports CSS Paged
  Media (``@page``, running heads, ``target-counter``, ``bookmark-level``) and writes tagged
  PDF.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ketencursus.sphinxext.editions import FILES

from .sphinxbuild import EditionError, book_config, run_sphinx

CSS = Path(__file__).with_name("print.css")
FORMATS = ("pdf", "epub")

__all__ = ["FORMATS", "EditionError", "EditionReport", "build_editions"]


@dataclass
class EditionReport:
    files: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _cover(folder: Path, title: str, author: str) -> Path:
    """The ePub's cover image: the title on the course colour (drawn, not committed)."""
    from PIL import Image, ImageDraw, ImageFont

    folder.mkdir(parents=True, exist_ok=True)
    width, height = 1200, 1700
    image = Image.new("RGB", (width, height), (11, 61, 98))
    draw = ImageDraw.Draw(image)
    big: Any
    small: Any
    try:
        big = ImageFont.truetype("DejaVuSans-Bold.ttf", 96)
        small = ImageFont.truetype("DejaVuSans.ttf", 52)
    except OSError:  # the DejaVu fonts are in requirements/debian-book.txt
        big = small = ImageFont.load_default()
    main, _, sub = title.partition(":")

    def lines(text: str, font, limit: int) -> list[str]:
        out: list[str] = []
        for word in text.split():
            trial = f"{out[-1]} {word}" if out else word
            if out and draw.textlength(trial, font=font) <= limit:
                out[-1] = trial
            else:
                out.append(word)
        return out

    y = 300
    for line in lines(main.strip(), big, width - 200):
        draw.text((100, y), line, font=big, fill="white")
        y += 120
    y += 60
    for line in lines(sub.strip(), small, width - 200):
        draw.text((100, y), line, font=small, fill=(220, 232, 242))
        y += 70
    draw.text((100, height - 200), author, font=small, fill="white")
    target = folder / "omslag.png"
    image.save(target)
    return target


def write_pdf(document: Path, target: Path) -> None:
    from weasyprint import CSS as WeasyCSS  # type: ignore[import-untyped]
    from weasyprint import HTML

    HTML(filename=str(document), base_url=str(document.parent)).write_pdf(
        str(target), stylesheets=[WeasyCSS(filename=str(CSS))], pdf_tags=True,
    )


def build_editions(root: Path, out_dir: Path, formats: tuple[str, ...] = FORMATS,
                   work: Path | None = None) -> EditionReport:
    """Build the editions of the book in ``root`` into ``out_dir`` (``ketencursus.pdf``,
    ``ketencursus.epub``); intermediate files go to ``work`` (``_build/edities``)."""
    from .assemble import assemble

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise EditionError(f"onbekende uitgave {', '.join(unknown)}: kies uit pdf en epub")
    root = root.resolve()
    work = (work or root / "_build" / "edities").resolve()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".schrijftest"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise EditionError(f"kan niet schrijven in {out_dir} ({exc.strerror or exc}): kies met "
                           "-o een map waarin je mag schrijven") from exc
    config = book_config(root, work)
    _cover(work / "omslag", str(config.get("project") or ""), str(config.get("author") or ""))
    report = EditionReport()
    if "pdf" in formats:
        start = time.perf_counter()
        pages = run_sphinx(root, work, "html", config)
        document = assemble(pages.outdir, pages.root_doc, pages.parts, pages.config)
        target = out_dir / FILES["pdf"]
        partial = target.with_suffix(".pdf.tmp")
        write_pdf(document, partial)
        partial.replace(target)
        report.files["pdf"] = target
        report.seconds["pdf"] = time.perf_counter() - start
    if "epub" in formats:
        start = time.perf_counter()
        result = run_sphinx(root, work, "epub", config)
        built = result.outdir / FILES["epub"]
        if not built.is_file():
            raise EditionError(f"de ePub-bouw schreef geen {built.name} in {result.outdir}")
        target = out_dir / FILES["epub"]
        shutil.copyfile(built, target)
        report.files["epub"] = target
        report.seconds["epub"] = time.perf_counter() - start
    return report
