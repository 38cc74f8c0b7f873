"""Directives and roles of the instructor edition (``docent/``, built by ``make docent``).

The edition is a separate Jupyter Book whose pages render instructor material from its one
source, never from a copy:

* links into the learner book (``{leerlingboek}`` role; the alignment table's objective
  links) go to ``ketencursus_leerlingboek_url``, the learner book's output root as seen from
  this edition's output root;

The renderings themselves (markdown text) come from :mod:`ketencursus.trainer.handleiding`,
so tests can compare them with their sources without a Sphinx build.
"""

from __future__ import annotations

import posixpath
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxRole


def learner_book_uri(env: BuildEnvironment, from_doc: str, target_doc: str,
                     anchor: str = "") -> str | None:
    """The URI of ``target_doc`` (a docname of the learner book, e.g. ``book/h1_ketens``) as
    seen from ``from_doc`` of this build, or None when this build has ``target_doc`` itself
    or no learner book URL is configured (then the caller links within the build)."""
    base = str(getattr(env.config, "ketencursus_leerlingboek_url", "") or "")
    if not base or target_doc in env.found_docs:
        return None
    uri = target_doc + ".html" + (f"#{anchor}" if anchor else "")
    if re.match(r"^[a-z][a-z0-9+.-]*://", base):
        return base.rstrip("/") + "/" + uri
    up = [".."] * from_doc.count("/")
    return posixpath.normpath(posixpath.join(*up, base, uri)) if up else \
        posixpath.normpath(posixpath.join(base, uri))


_TARGET = re.compile(r"^(?P<title>.+?)\s*<(?P<target>[^<>]+)>$", re.S)


class LearnerBookRole(SphinxRole):
    """``{leerlingboek}`Hoofdstuk 1 <book/h1_ketens#leerdoel-h1-1>``: a link into the learner
    book. Without a title the target is the text."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        match = _TARGET.match(self.text)
        title, target = (match["title"], match["target"]) if match else (self.text, self.text)
        doc, _, anchor = target.strip().partition("#")
        doc = doc.removesuffix(".md")
        uri = learner_book_uri(self.env, self.env.docname, doc, anchor)
        if uri is None:
            if doc in self.env.found_docs:
                uri = self.env.app.builder.get_relative_uri(self.env.docname, doc) + (
                    f"#{anchor}" if anchor else "")
            else:
                msg = self.inliner.reporter.error(
                    f"leerlingboek: {doc} bestaat niet in deze bouw en "
                    "ketencursus_leerlingboek_url is niet gezet", line=self.lineno)
                return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        if doc not in self.env.found_docs and not _book_file_exists(self.env, doc):
            msg = self.inliner.reporter.error(
                f"leerlingboek: hoofdstuk of pagina {doc} bestaat niet in het boek",
                line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        return [nodes.reference(self.rawtext, title, refuri=uri,
                                classes=["leerlingboek"])], []


def _book_file_exists(env: BuildEnvironment, doc: str) -> bool:
    from ketencursus.sphinxext.quiz import _resolve

    book = _resolve(env, "ketencursus_book_dir")
    rel = doc.split("/", 1)[1] if doc.startswith(book.name + "/") else doc
    return any((book / (rel + suffix)).is_file() for suffix in (".md", ".ipynb"))


def setup(app: Sphinx) -> None:
    app.add_config_value("ketencursus_leerlingboek_url", "", "env", types=[str])
    app.add_role("leerlingboek", LearnerBookRole())

