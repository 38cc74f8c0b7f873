"""Writing sheets to a directory: one PDF and one HTML file per sheet, and an overview page
(``overzicht.html``) that lists them with their purpose, chapter and page count."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from ketencursus.errors import UserError

from .model import Sheet
from .render import Imprint, render_pdf, stylesheet

OVERVIEW = "overzicht.html"


class OutputDirError(UserError):
    """The output directory cannot be made or written."""


@dataclass(frozen=True)
class Written:
    sheet: Sheet
    pdf: Path
    html: Path
    pages: int


def prepare_dir(out_dir: Path) -> Path:
    """Create ``out_dir`` (and parents) and check it is a writable directory."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputDirError(
            f"'{out_dir}' is een bestand, geen map. Kies met -o een (nieuwe) map voor de "
            "werkbladen."
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (NotADirectoryError, FileExistsError):
        raise OutputDirError(
            f"kan de map '{out_dir}' niet maken: een deel van het pad is een bestand. Kies met "
            "-o een andere map."
        ) from None
    except PermissionError:
        raise OutputDirError(
            f"geen toestemming om de map '{out_dir}' te maken. Kies met -o een map waarin je "
            "mag schrijven."
        ) from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputDirError(
            f"in de map '{out_dir}' mag je niet schrijven. Kies met -o een andere map."
        )
    return out_dir


def write_sheet(sheet: Sheet, imprint: Imprint, out_dir: Path) -> Written:
    rendered = render_pdf(sheet, imprint)
    pdf, html = out_dir / f"{sheet.id}.pdf", out_dir / f"{sheet.id}.html"
    try:
        _write_atomic(pdf, rendered.pdf)
        _write_atomic(html, rendered.html.encode("utf-8"))
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise OutputDirError(
                f"kan '{exc.filename or out_dir}' niet schrijven ({exc.strerror}). Kies met -o "
                "een map waarin je mag schrijven."
            ) from None
        raise
    return Written(sheet, pdf, html, rendered.pages)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def overview_html(written: list[Written], imprint: Imprint) -> str:
    from .render import _environment

    return str(_environment().get_template("overzicht.html").render(
        written=written, imprint=imprint, css=stylesheet(),
    ))


def write_all(sheets: list[Sheet], imprint: Imprint, out_dir: Path) -> list[Written]:
    out_dir = prepare_dir(out_dir)
    written = [write_sheet(sheet, imprint, out_dir) for sheet in sheets]
    _write_atomic(out_dir / OVERVIEW, overview_html(written, imprint).encode("utf-8"))
    return written
