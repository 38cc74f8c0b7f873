"""``ketencursus scorm``: the built learner book as one self-contained SCORM 1.2 package.

What goes in:

* the launch page ``start.html`` with ``ketencursus-sco.js``: the one SCO; it holds the LMS
  session and shows the book's pages in a frame (see the script for what it reports);
* every file of ``_build/html`` that the launch page can reach (pages, scripts, styles,
  fonts, images, data; MathJax's lazily loaded parts), and nothing else: the manifest names
  exactly these files;
* ``imsmanifest.xml`` and the four schema files SCORM 1.2 requires beside it.

What changes in the pages: the Binder launch buttons are left out (an LMS frame is no place
to start a kernel), and links to other sites open in a new window. Nothing is fetched from
another host: the book is already offline (``ketencursus.sphinxext.offline``).
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from ketencursus.errors import UserError

from .crawl import closure
from .manifest import SCHEMA_FILES, CourseMetadata, build_manifest

LAUNCH = "start.html"
SCO_FILES = ("ketencursus-sco.js", "ketencursus-sco.css")
SCO_DATA = "ketencursus-sco-data.js"
START_PAGE = "book/index.html"
SUSPEND_LIMIT_12 = 4096  # CMIString4096: cmi.suspend_data in SCORM 1.2
# Build artefacts no page refers to.
EXCLUDED = (".buildinfo", "objects.inv")
# Scripts that load their own components at run time (directory loaded from, relative).
SELF_LOADING = {"_static/vendor/mathjax/tex-mml-chtml.js": "_static/vendor/mathjax/"}
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class ScormError(UserError):
    """The SCORM package cannot be made from what is there (missing build, bad settings)."""


@dataclass
class ScormPackage:
    """What was written: the zip, its files, and what the launch page tracks."""

    path: Path
    files: list[str]
    chapters: list[str]
    selfchecks: list[str]
    missing: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> str:
        return (f"SCORM 1.2-pakket geschreven: {self.path} ({len(self.files)} bestanden, "
                f"{len(self.chapters)} hoofdstukken, {len(self.selfchecks)} zelftoetsen).")


@dataclass(frozen=True)
class BookInfo:
    """What the packager reads from the book's configuration."""

    title: str
    chapters: list[str]  # page paths of the numbered chapters, in order
    study_hours: float
    rights: str


def read_book_info(config: Path, toc: Path) -> BookInfo:
    """Title, study load and licence from ``_config.yml``; chapter pages from ``_toc.yml``
    (the numbered part)."""
    try:
        conf = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        contents = yaml.safe_load(toc.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ScormError(f"kan {config.name} of {toc.name} niet lezen ({exc}); draai het "
                         "commando in de cursusrepository.") from exc
    sphinx_conf = (conf.get("sphinx") or {}).get("config") or {}
    hours = sphinx_conf.get("ketencursus_studielast_uren")
    if not isinstance(hours, int | float) or hours <= 0:
        raise ScormError(f"{config.name} mist sphinx.config.ketencursus_studielast_uren (de "
                         "studielast in uren, zoals de startpagina hem noemt).")
    chapters: list[str] = []
    for part in contents.get("parts") or []:
        if part.get("numbered"):
            chapters += [f"{entry['file']}.html" for entry in part.get("chapters") or []]
    if not chapters:
        raise ScormError(f"{toc.name} heeft geen genummerd deel met hoofdstukken.")
    return BookInfo(title=str(conf.get("title") or "Cursus"), chapters=chapters,
                    study_hours=float(hours), rights=str(conf.get("copyright") or ""))


def _rewrite_page(text: str) -> str:
    """Leave out the Binder launch buttons; open links to other sites in a new window."""
    soup = BeautifulSoup(text, "html.parser")
    for element in soup.select(".dropdown-launch-buttons"):
        element.decompose()
    for link in soup.find_all("a", href=True):
        href = str(link["href"])
        if re.match(r"(?i)^(https?:)?//", href):
            link["target"] = "_blank"
            link["rel"] = "noopener noreferrer"
            note = soup.new_tag("span", attrs={"class": "visually-hidden"})
            note.string = " (opent in een nieuw venster)"
            link.append(note)
    return str(soup)


def _selfchecks(text: str) -> list[str]:
    soup = BeautifulSoup(text, "html.parser")
    ids = []
    for form in soup.select("form.kc-question[data-kc-item]"):
        try:
            ids.append(str(json.loads(str(form["data-kc-item"]))["id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return ids


def _static(name: str) -> bytes:
    return (resources.files(__package__) / "static" / name).read_bytes()


def _launch_page(title: str) -> bytes:
    from jinja2 import Environment

    template = Environment(autoescape=True).from_string(_static(LAUNCH).decode("utf-8"))
    return template.render(title=title).encode("utf-8")


def build_scorm_package(html: Path, output: Path, book: BookInfo, *,
                        version: str = "1.0") -> ScormPackage:
    """Write the SCORM 1.2 package of the built book in ``html`` to ``output`` (a .zip)."""
    if not (html / START_PAGE).is_file():
        raise ScormError(f"het gebouwde boek ontbreekt ({html / START_PAGE}); bouw het eerst "
                         "met `make book`.")
    if output.suffix.lower() != ".zip":
        raise ScormError(f"{output} moet op .zip eindigen (een SCORM-pakket is een zip).")
    files: dict[str, bytes] = {}
    for path in sorted(p for p in html.rglob("*") if p.is_file()):
        rel = path.relative_to(html).as_posix()
        if rel in EXCLUDED or rel.startswith((".doctrees/", "_sources/.")):
            continue
        files[rel] = path.read_bytes()
    missing_chapters = [c for c in book.chapters if c not in files]
    if missing_chapters:
        raise ScormError("deze hoofdstukken staan niet in het gebouwde boek: "
                         + ", ".join(missing_chapters) + "; bouw het boek opnieuw.")
    pages = sorted(p for p in files if p.endswith(".html") and not p.startswith("_static/"))
    selfchecks: list[str] = []
    for page in pages:
        text = files[page].decode("utf-8")
        selfchecks += [i for i in _selfchecks(text) if i not in selfchecks]
        files[page] = _rewrite_page(text).encode("utf-8")
    sco_data = {
        "start": START_PAGE, "pages": [p for p in pages if p != "index.html"],
        "chapters": book.chapters, "selfchecks": selfchecks, "suspendLimit": SUSPEND_LIMIT_12,
    }
    files[SCO_DATA] = ("window.KETENCURSUS_SCO = "
                       + json.dumps(sco_data, ensure_ascii=False, indent=1) + ";\n").encode()
    files[LAUNCH] = _launch_page(book.title)
    for name in SCO_FILES:
        files[name] = _static(name)

    def expand(path: str) -> list[str]:
        prefix = SELF_LOADING.get(path)
        return [p for p in files if prefix and p.startswith(prefix)]

    reach = closure([LAUNCH, START_PAGE], files.__contains__,
                    lambda p: files[p].decode("utf-8", "replace"), expand=expand)
    content = sorted(reach.reachable)
    meta = CourseMetadata(
        identifier="ketencursus-ketensturing", title=book.title,
        description=("Online cursus over ketensturing en weerbarstige cultuurinvloeden bij "
                     "opgelegde ketensamenwerking, voor professionals in de publieke sector."),
        version=version, rights=book.rights, study_hours=book.study_hours,
    )
    manifest = build_manifest(meta, LAUNCH, content)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        _write(zf, "imsmanifest.xml", manifest)
        for name in SCHEMA_FILES:
            _write(zf, name, (resources.files(__package__) / "schemas" / "scorm12"
                              / name).read_bytes())
        for name in content:
            _write(zf, name, files[name])
    tmp.replace(output)
    return ScormPackage(path=output, files=content, chapters=book.chapters,
                        selfchecks=selfchecks, missing=reach.missing)


def _write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(posixpath.normpath(name), date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)
