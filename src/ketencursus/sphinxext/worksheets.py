"""The printable worksheets in the instructor edition: the directive ``werkbladen`` renders the
registered sheets (:mod:`ketencursus.trainer.worksheets`) during the build and links each PDF
and HTML file as a download.

::

    ```{werkbladen}
    :alleen: diagnosecanvas kleurenkaart
    ```

Without ``:alleen:`` it lists every registered sheet. Per sheet it prints the title, what it is
for, the chapter, the group work and time, its parts, and the links ("PDF, 2 pagina's" and
"HTML"). The files are written to ``<outdir>/werkbladen/`` of the build, never into the source
tree: nothing generated is committed. The sheets are rendered once per build (a directive that
asks for a sheet again reuses the file). A sheet that cannot be rendered, or has more pages
than it may, is a build error (the edition builds with ``-W``).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

#: Folder of the build output that holds the sheets.
OUT_FOLDER = "werkbladen"


def _written(app: Sphinx) -> dict[str, Any]:
    cache = getattr(app, "_ketencursus_werkbladen", None)
    if cache is None:
        cache = {}
        app._ketencursus_werkbladen = cache  # type: ignore[attr-defined]
    return cache


def _imprint(app: Sphinx) -> Any:
    from ketencursus.paths import find_root
    from ketencursus.trainer.worksheets import Imprint

    cache = _written(app)
    if "_imprint" not in cache:
        cache["_imprint"] = Imprint.from_repository(find_root(Path(app.srcdir)))
    return cache["_imprint"]


def render_sheets(app: Sphinx, ids: list[str] | None) -> list[Any]:
    """The sheets asked for, written to the build's ``werkbladen/`` folder (once per build)."""
    from ketencursus.trainer.worksheets import select
    from ketencursus.trainer.worksheets.output import prepare_dir, write_sheet

    cache = _written(app)
    out = prepare_dir(Path(app.outdir) / OUT_FOLDER)
    result = []
    for sheet in select(ids):
        if sheet.id not in cache:
            cache[sheet.id] = write_sheet(sheet, _imprint(app), out)
        result.append(cache[sheet.id])
    return result


def _pages(count: int) -> str:
    return "1 pagina" if count == 1 else f"{count} pagina's"


class WorksheetsDirective(SphinxDirective):
    has_content = False
    option_spec = {"alleen": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        from ketencursus.errors import UserError

        ids = self.options.get("alleen", "").split() or None
        _uses(self.env).setdefault(self.env.docname, []).append(ids)
        try:
            written = render_sheets(self.env.app, ids)
        except UserError as exc:
            return [self.state.document.reporter.error(
                f"werkbladen: {exc.user_message()}", line=self.lineno)]
        messages: list[nodes.Node] = []
        up = [".."] * self.env.docname.count("/")
        container = nodes.container(classes=["werkbladen"])
        for w in written:
            sheet = w.sheet
            if w.pages > sheet.max_pages:
                messages.append(self.state.document.reporter.error(
                    f"werkbladen: {sheet.id} heeft {w.pages} pagina's, maximaal "
                    f"{sheet.max_pages}", line=self.lineno))
            section = nodes.container(classes=["werkblad"], ids=[f"werkblad-{sheet.id}"])
            section += nodes.rubric(sheet.title, sheet.title)
            items = nodes.definition_list()

            def add(term: str, body: nodes.Node, items: nodes.definition_list = items) -> None:
                item = nodes.definition_list_item()
                item += nodes.term(term, term)
                definition = nodes.definition()
                definition += body
                item += definition
                items += item

            add("Waarvoor", nodes.paragraph(sheet.purpose, sheet.purpose))
            if sheet.chapter:
                add("Bij", nodes.paragraph(sheet.chapter, sheet.chapter))
            work = " · ".join(part for part in (
                sheet.session, f"ongeveer {sheet.minutes} minuten" if sheet.minutes else "",
                sheet.group) if part)
            if work:
                add("Werkvorm", nodes.paragraph(work, work))
            add("Zo werken de deelnemers", nodes.paragraph(sheet.instruction, sheet.instruction))
            parts = "; ".join(s.heading for s in sheet.sections)
            add("Op het blad", nodes.paragraph(parts, parts))
            links = nodes.paragraph()
            for label, path in ((f"PDF, A4, {_pages(w.pages)}", w.pdf), ("HTML", w.html)):
                if len(links):
                    links += nodes.Text(" · ")
                uri = posixpath.join(*up, OUT_FOLDER, path.name)
                links += nodes.reference(label, label, refuri=uri,
                                         classes=["download", "werkblad-download"])
            add("Downloaden", links)
            section += items
            container += section
        return [container, *messages]


def _uses(env: Any) -> dict[str, list[list[str] | None]]:
    """Per document, the ``:alleen:`` lists of its ``werkbladen`` directives."""
    if not hasattr(env, "ketencursus_werkbladen"):
        env.ketencursus_werkbladen = {}
    return env.ketencursus_werkbladen


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    _uses(env).pop(docname, None)


def _merge(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    _uses(env).update({d: v for d, v in _uses(other).items() if d in docnames})


def _always_reread(app: Sphinx, env: Any, added: set[str], changed: set[str],
                   removed: set[str]) -> list[str]:
    """Pages with sheets are read on every build: a sheet follows its definitions (Python
    modules Sphinx does not track), so its PDF is never left over from an earlier build."""
    return [d for d in _uses(env) if d not in removed]


def _write_missing(app: Sphinx, exception: BaseException | None) -> None:
    """After an incremental build that read nothing new, the sheets still exist in the
    output (the output folder may have been cleaned)."""
    if exception is not None or app.builder.format != "html":
        return
    for lists in _uses(app.env).values():
        for ids in lists:
            render_sheets(app, ids)


def setup(app: Sphinx) -> None:
    app.add_directive("werkbladen", WorksheetsDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _always_reread)
    app.connect("build-finished", _write_missing)
