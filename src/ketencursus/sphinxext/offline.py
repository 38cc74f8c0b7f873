"""Offline book: every asset a page loads is served from the book itself.

By default a Jupyter Book page fetches MathJax from jsDelivr (pages with math) and
require.js plus the ipywidgets html-manager from cdnjs/jsDelivr (pages whose notebook stored
widget state). This extension:

* points ``mathjax_path`` at a copy of MathJax 3 from npm (``package.json``) that it copies
  into ``_static/vendor/mathjax/`` when, and only when, some page has math;
* drops the ipywidgets CDN scripts and the stored widget state: the static book has no
  kernel, so widgets cannot work there anyway (the notebooks show a static figure and a
  note to open them on Binder instead);
* removes any other script or stylesheet that would come from another host and warns about
  it (``-W`` turns that into a build error), and after the build scans every written page
  for embedded references to other hosts (``<script src>``, ``<img src>``, ``<iframe>``,
  stylesheets, ``@import``), warning with the page name.

Links (``<a href>``) to other sites are fine: they are not requests the page makes.

It keeps the browser console clean: an inline script that the page would get twice is kept
once, and the theme gets a valid default colour mode.

For a slow laptop it drops the theme's redundant ``fontawesome.js`` (1.5 MB; the icons come
from the web font the theme's stylesheet already declares).

It also makes the links in the theme's ``extra_footer`` (``_config.yml``) work on every page:
they are written relative to the book's root (``book/bronnen.html``) and rewritten per page
into a relative path, so the book works from any directory or a ``file://`` copy, on pages in
``book/`` as well as on ``search.html`` and ``genindex.html`` at the root.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

MATHJAX_DIR = "vendor/mathjax"
MATHJAX_ENTRY = "tex-mml-chtml.js"
# The parts of MathJax's es5 tree that the combined component loads lazily (TeX
# extensions, CommonHTML fonts, the menu and its accessibility tools).
MATHJAX_PARTS = (
    MATHJAX_ENTRY,
    "input",
    "output/chtml",
    "ui",
    "a11y",
    "sre",
    "adaptors",
)
WIDGET_STATE_TYPE = "application/vnd.jupyter.widget-state+json"

# Embedded references that make the browser fetch something while loading the page.
_FOREIGN_PATTERNS = (
    re.compile(r"<(?:script|img|iframe|audio|video|source|embed|track)\b[^>]*?\bsrc\s*=\s*"
               r"[\"']?((?:https?:)?//[^\"'\s>]+)", re.IGNORECASE),
    re.compile(r"<link\b(?=[^>]*\brel\s*=\s*[\"']?(?:stylesheet|preload|modulepreload|icon|"
               r"manifest|prefetch)\b)[^>]*?\bhref\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)",
               re.IGNORECASE),
    re.compile(r"@import\s+(?:url\()?[\"']?((?:https?:)?//[^\"')\s]+)", re.IGNORECASE),
    re.compile(r"url\(\s*[\"']?((?:https?:)?//[^\"')\s]+)", re.IGNORECASE),
)


def is_foreign(uri: str) -> bool:
    """True when ``uri`` names another host (``http://``, ``https://`` or ``//host``)."""
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", uri.strip(), re.IGNORECASE)) and not (
        uri.strip().lower().startswith("file://")
    )


def find_foreign_references(html: str) -> list[str]:
    """Every URL on another host that ``html`` makes the browser load (not plain links)."""
    found: list[str] = []
    for pattern in _FOREIGN_PATTERNS:
        for match in pattern.finditer(html):
            url = match.group(1)
            # the SVG/XML namespace is an identifier, not a request
            if "www.w3.org/" in url:
                continue
            if url not in found:
                found.append(url)
    return found


def candidate_node_modules(confdir: str | os.PathLike[str] | None) -> list[Path]:
    """Where ``node_modules`` may be: ``$KETENCURSUS_NODE_MODULES``, the book's confdir,
    then the repository that holds this package (editable install)."""
    candidates: list[Path] = []
    env = os.environ.get("KETENCURSUS_NODE_MODULES")
    if env:
        candidates.append(Path(env))
    if confdir:
        candidates.append(Path(confdir) / "node_modules")
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "package.json").is_file():
            candidates.append(parent / "node_modules")
            break
    return candidates


def find_mathjax(confdir: str | os.PathLike[str] | None) -> Path | None:
    """The es5 directory of the npm package ``mathjax``, or None when not installed."""
    for node_modules in candidate_node_modules(confdir):
        es5 = node_modules / "mathjax" / "es5"
        if (es5 / MATHJAX_ENTRY).is_file():
            return es5
    return None


def copy_mathjax(es5: Path, static_dir: Path) -> Path:
    """Copy the needed part of MathJax into ``static_dir/vendor/mathjax``; return that dir."""
    target = static_dir / MATHJAX_DIR
    for part in MATHJAX_PARTS:
        src = es5 / part
        dst = target / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        elif src.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return target


def _asset_key(asset) -> tuple[str, str]:
    filename = str(getattr(asset, "filename", asset) or "")
    body = str((getattr(asset, "attributes", {}) or {}).get("body", ""))
    return filename, body


def _local_only(assets: Iterable, kind: str, pagename: str) -> list:
    kept = []
    seen: set[tuple[str, str]] = set()
    for asset in assets:
        # An inline script added twice (sphinx-thebe's ``const THEBE_JS_URL = ...`` is added
        # once per read phase) throws "Identifier has already been declared" in the browser.
        key = _asset_key(asset)
        if key in seen:
            continue
        seen.add(key)
        filename = str(getattr(asset, "filename", asset) or "")
        attributes = getattr(asset, "attributes", {}) or {}
        if attributes.get("type") == WIDGET_STATE_TYPE:
            continue  # no widget manager in the static book: the state is dead weight
        if filename and is_foreign(filename):
            logger.warning(
                "%s van een andere host verwijderd uit %s: %s (het boek laadt alleen eigen "
                "bestanden; lever het via package.json en _static)",
                kind, pagename, filename, type="ketencursus", subtype="offline",
            )
            continue
        kept.append(asset)
    return kept


# pydata-sphinx-theme loads Font Awesome twice: its stylesheet already has the icon classes
# and the web fonts (``_static/vendor/fontawesome/webfonts``), and ``fontawesome.js`` (1.5 MB,
# every icon of every family) only swaps the ``<i class="fa-...">`` elements for inline SVG.
# Without the script the same icons come from the web font: 1.5 MB less on a cold page.
_FONTAWESOME_JS = re.compile(
    r'<script\b[^>]*\bsrc="[^"]*_static/scripts/fontawesome\.js(?:\?[^"]*)?"[^>]*>\s*</script>\s*'
)


def drop_redundant_scripts(html: str) -> str:
    """Remove scripts the page does not need (see ``_FONTAWESOME_JS``)."""
    return _FONTAWESOME_JS.sub("", html)


def _config_inited(app: Sphinx, config) -> None:
    config.mathjax_path = f"{MATHJAX_DIR}/{MATHJAX_ENTRY}"
    # pydata-sphinx-theme reads the template variable ``default_mode``; left empty, a fresh
    # browser calls setTheme("") and logs "Got invalid theme mode". "auto" follows the
    # learner's system setting.
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "auto")
    config.html_context = context
    widgets_js = getattr(config, "nb_ipywidgets_js", None)
    if isinstance(widgets_js, dict):
        config.nb_ipywidgets_js = {k: v for k, v in widgets_js.items() if not is_foreign(k)}


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    for key, kind in (("script_files", "script"), ("css_files", "stylesheet")):
        assets = context.get(key)
        if isinstance(assets, list):
            assets[:] = _local_only(assets, kind, pagename)


_FOOTER_LINK = re.compile(r'\b(href|src)="([^"#:?]+)([?#][^"]*)?"')


def root_relative_links(html: str, pathto) -> str:
    """Rewrite root-relative ``href``/``src`` values in ``html`` with ``pathto(path, 1)``."""

    def replace(match: re.Match) -> str:
        attr, target, rest = match.group(1), match.group(2), match.group(3) or ""
        if target.startswith(("/", "./", "../")):
            return match.group(0)
        return f'{attr}="{pathto(target, 1)}{rest}"'

    return _FOOTER_LINK.sub(replace, html)


# Without an icon the browser asks every page's host for /favicon.ico, which the book does not
# have: a 404 in the console of every page. An empty data: icon makes no request at all.
NO_FAVICON = '<link rel="icon" href="data:,">'


def _no_favicon_request(app: Sphinx, pagename: str, templatename: str, context: dict,
                        doctree) -> None:
    if app.builder.name.startswith("epub"):
        return  # an ePub makes no requests (and its XHTML needs <link/>)
    if not context.get("favicon_url") and NO_FAVICON not in context.get("metatags", ""):
        context["metatags"] = context.get("metatags", "") + NO_FAVICON + "\n"


def _footer_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    footer = context.get("theme_extra_footer")
    if footer and callable(context.get("pathto")):
        context["theme_extra_footer"] = root_relative_links(str(footer), context["pathto"])


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    math = app.env.get_domain("math")
    if math.has_equations():  # type: ignore[attr-defined]
        es5 = find_mathjax(app.confdir)
        if es5 is None:
            logger.warning(
                "MathJax ontbreekt, maar het boek bevat formules. Voer `npm ci` uit in de map "
                "van de cursus (of `make book`) zodat MathJax uit het boek zelf komt.",
                type="ketencursus", subtype="offline",
            )
        else:
            copy_mathjax(es5, outdir / "_static")
    for page in sorted(outdir.rglob("*.html")):
        if "_static" in page.relative_to(outdir).parts:
            continue
        html = page.read_text(encoding="utf-8", errors="replace")
        lighter = drop_redundant_scripts(html)
        if lighter != html:
            page.write_text(lighter, encoding="utf-8")
        foreign = find_foreign_references(lighter)
        for url in foreign:
            logger.warning(
                "%s laadt iets van een andere host: %s (het boek moet offline werken)",
                page.relative_to(outdir).as_posix(), url,
                type="ketencursus", subtype="offline",
            )


def setup(app: Sphinx) -> dict:
    # after myst-nb and sphinx.ext.mathjax have registered their values
    app.connect("config-inited", _config_inited, priority=900)
    app.connect("html-page-context", _page_context, priority=900)
    app.connect("html-page-context", _footer_links)
    app.connect("html-page-context", _no_favicon_request)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
