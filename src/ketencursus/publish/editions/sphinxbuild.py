"""Run Sphinx on the book with Jupyter Book's configuration, for the offline editions.

The same configuration as ``jupyter-book build`` (``_config.yml`` and ``_toc.yml`` through
``jupyter_book.config.get_final_config``), with these changes:

* ``ketencursus_editie: offline`` (see :mod:`ketencursus.sphinxext.editions`);
* the notebooks' outputs come from the same jupyter-cache as the online book
  (``_build/.jupyter_cache``): a notebook the online build executed is not executed again;
* the print pages use Sphinx's plain ``basic`` theme (no navigation, buttons or scripts);
* ePub metadata in Dutch.

Both builders share one doctree directory: the sources are read once, and the ePub build
only writes. Warnings fail the build, as ``-W -n`` does for the online book.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ketencursus.errors import UserError

THEMES = Path(__file__).with_name("theme")


class EditionError(UserError):
    """The PDF or ePub edition could not be made."""


@dataclass(frozen=True)
class SphinxResult:
    outdir: Path
    warnings: str
    root_doc: str
    parts: list[tuple[str, list[str]]]  # the parts of _toc.yml: caption, pages in order
    config: dict[str, Any]  # the values the editions need (title, author, language, ...)


def book_config(root: Path, work: Path) -> dict[str, Any]:
    """Jupyter Book's final Sphinx configuration of the book, for an offline edition."""
    from jupyter_book.config import get_final_config

    config_file = root / "_config.yml"
    toc_file = root / "_toc.yml"
    for needed in (config_file, toc_file):
        if not needed.is_file():
            raise EditionError(f"{needed.name} ontbreekt in {root}: draai het commando in de "
                               "map van de cursus (waar _config.yml en _toc.yml staan).")
    try:
        yaml.safe_load(toc_file.read_text(encoding="utf-8"))
        sphinx_config, _ = get_final_config(
            user_yaml=config_file,
            cli_config={"external_toc_path": toc_file.as_posix(),
                        "latex_individualpages": False},
            sourcedir=root,
        )
    except yaml.YAMLError as exc:
        raise EditionError(f"_config.yml of _toc.yml in {root} is geen geldige YAML ({exc}); "
                           "herstel het bestand (jupyter-book build . meldt hetzelfde)") from exc
    sphinx_config.update({
        "ketencursus_editie": "offline",
        "nb_execution_cache_path": str(root / "_build" / ".jupyter_cache"),
        # the plain pages the PDF is made of: Sphinx's basic theme (theme/kc-druk)
        "html_theme": "kc-druk",
        "html_theme_path": [str(THEMES)],
        "html_theme_options": {},
        "nitpicky": True,
    })
    # Jupyter Book puts the book's title in html_title (project stays Sphinx's default)
    title = str(sphinx_config.get("html_title") or sphinx_config.get("project") or "Cursus")
    sphinx_config["project"] = title
    author = str(sphinx_config.get("author") or "")
    cover = work / "omslag"
    sphinx_config["html_static_path"] = [*sphinx_config.get("html_static_path", []), str(cover)]
    sphinx_config.update({
        # EPUB 3 wants a version: the edition's date
        "version": date.today().isoformat(),
        "release": date.today().isoformat(),
        "epub_basename": "ketencursus",
        "epub_title": title,
        "epub_author": author,
        "epub_publisher": author,
        "epub_language": "nl",
        "epub_copyright": str(sphinx_config.get("copyright") or ""),
        # the NCX repeats the uid as the book's identifier: both must be the same XML name
        "epub_identifier": "ketencursus",
        "epub_scheme": "",
        "epub_uid": "ketencursus",
        "epub_description": title,
        "epub_cover": ("_static/omslag.png", "epub-cover.html"),
        "epub_show_urls": "no",
        "epub_use_index": False,
        "epub_tocdepth": 2,
        # sphinx-external-toc puts the book's parts in the root document as *hidden*
        # toctrees (Jupyter Book shows them in the sidebar); with the default scope Sphinx
        # builds nav.xhtml and toc.ncx from the root document without hidden toctrees, so
        # they list only the start page. "includehidden" reads the same toctrees as the spine.
        "epub_tocscope": "includehidden",
    })
    return sphinx_config


def _build(root: str, work: str, builder: str, config: dict[str, Any]) -> dict[str, Any]:
    """The Sphinx build itself (in a process of its own, see :func:`run_sphinx`)."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    outdir = Path(work) / builder
    warnings = io.StringIO()
    try:
        with patch_docutils(None), docutils_namespace():
            app = Sphinx(
                srcdir=root, confdir=None, outdir=str(outdir),
                doctreedir=str(Path(work) / ".doctrees"), buildername=builder,
                confoverrides=dict(config), status=None, warning=warnings,
                warningiserror=True, keep_going=True, parallel=1,
            )
            if app.config["use_multitoc_numbering"]:
                app.setup_extension("sphinx_multitoc_numbering")
            app.build()
            site_map = app.config.external_site_map
            parts = [(str(tree.caption or ""), [i for i in tree.items if isinstance(i, str)])
                     for tree in site_map.root.subtrees]
            return {
                "status": app.statuscode, "warnings": warnings.getvalue(), "error": "",
                "root_doc": site_map.root.docname, "parts": parts,
                "config": {key: app.config[key] for key in (
                    "project", "author", "copyright", "language", "html_baseurl")},
            }
    except Exception as exc:  # Sphinx reports a broken source as an exception of its own
        return {"status": 2, "warnings": warnings.getvalue(), "error": f"{exc}"}


def run_sphinx(root: Path, work: Path, builder: str, config: dict[str, Any]) -> SphinxResult:
    """One Sphinx build of the book into ``work/<builder>`` (doctrees in ``work/.doctrees``).

    Each build runs in a fresh process: a second Sphinx application in the same process
    inherits state that extensions leave behind (sphinx-multitoc-numbering patches Sphinx's
    toctree code on setup)."""
    import multiprocessing

    outdir = work / builder
    if builder == "epub" and outdir.exists():
        # figures.py removes graphviz's image maps from an ePub; graphviz would then find its
        # PNG from the last build without the map and fail: the ePub is written whole anyway
        shutil.rmtree(outdir)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        result = pool.apply(_build, (str(root), str(work), builder, config))
    text = result["warnings"]
    if result["error"]:
        raise EditionError(
            f"Sphinx kon de {builder}-pagina's van de uitgave niet bouwen: {result['error']}\n"
            f"{text}"
        )
    if result["status"] != 0:
        raise EditionError(
            f"de {builder}-bouw van de uitgave gaf waarschuwingen (ze tellen als fouten, net als "
            f"-W bij het online boek); los ze op in de bron:\n{text}"
        )
    return SphinxResult(outdir, text, result["root_doc"], result["parts"], result["config"])
