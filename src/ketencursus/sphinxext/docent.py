"""Directives and roles of the instructor edition (``docent/``, built by ``make docent``).

The edition is a separate Jupyter Book whose pages render instructor material from its one
source, never from a copy:

* links into the learner book (``{leerlingboek}`` role; the alignment table's objective
  links) go to ``ketencursus_leerlingboek_url``, the learner book's output root as seen from
  this edition's output root;
* ``{docent-leerdoelen} h3``: the chapter's learning objectives (its ``{leerdoelen}`` block);
* ``{docent-misvattingen} h3``: the misconception behind every wrong option of the chapter's
  questions (question bank);
* ``{docent-toepassen} h3``: the chapter's Toepassen tasks with the model answers the chapter
  shows collapsed for self-study;
* ``{docent-beoordeling} praktijkopdrachten/po-4``: a graded task with its rubric and model
  answer (assignment source + rubric); without argument every graded task;
* ``{docent-kennistoets}`` (optionally ``h3``): the answer key of the knowledge test;
* ``{docent-rooster} bijeenkomst-1``: one block of the blended timetable
  (:mod:`ketencursus.trainer.rooster`);
* ``{docent-peerreview}``: the peer-review form (:mod:`ketencursus.trainer.peerreview`).

The renderings themselves (MyST text) come from :mod:`ketencursus.trainer`, so tests can
compare them with their sources without a Sphinx build; the directives parse that text into
the page and record the source files as dependencies.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ketencursus.errors import UserError


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


class _MarkdownDirective(SphinxDirective):
    """A directive whose output is MyST text from :mod:`ketencursus.trainer`."""

    has_content = False
    required_arguments = 0
    optional_arguments = 1
    css_class = "docent"

    def path(self, name: str) -> Path:
        from ketencursus.sphinxext.quiz import _resolve

        return _resolve(self.env, name)

    def markdown(self) -> str:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        try:
            text = self.markdown()
        except (UserError, KeyError, OSError) as exc:
            raise self.error(f"{self.name}: {exc}") from exc
        container = nodes.container(classes=[self.css_class])
        self.state.nested_parse(StringList(text.splitlines(), source=self.env.docname),
                                self.content_offset, container)
        return [container]

    def depends(self, *paths: Path) -> None:
        for path in paths:
            self.env.note_dependency(str(path))

    def chapter(self) -> str:
        if not self.arguments or not re.fullmatch(r"h\d+", self.arguments[0]):
            raise UserError("geef het hoofdstuk op, bijvoorbeeld h3")
        return self.arguments[0]


class ObjectivesDirective(_MarkdownDirective):
    css_class = "docent-leerdoelen"

    def markdown(self) -> str:
        from ketencursus.objectives import read_objectives
        from ketencursus.trainer.handleiding import chapter_file, objectives_markdown

        book = self.path("ketencursus_book_dir")
        self.depends(chapter_file(book, self.chapter()))
        return objectives_markdown(read_objectives(book), self.chapter())


class MisconceptionsDirective(_MarkdownDirective):
    css_class = "docent-misvattingen"

    def markdown(self) -> str:
        from ketencursus.sphinxext.quiz import _load
        from ketencursus.trainer.handleiding import misconceptions_markdown

        bank, _ = _load(self.env)
        self.depends(*bank.files)
        return misconceptions_markdown(bank, self.chapter())


class ToepassenDirective(_MarkdownDirective):
    css_class = "docent-toepassen"

    def markdown(self) -> str:
        from ketencursus.trainer.handleiding import chapter_file, toepassen_markdown

        book = self.path("ketencursus_book_dir")
        self.depends(chapter_file(book, self.chapter()))
        return toepassen_markdown(book, self.chapter())


class AssessmentDirective(_MarkdownDirective):
    css_class = "docent-beoordeling"

    def markdown(self) -> str:
        from ketencursus.trainer.handleiding import graded_tasks, task_markdown

        assignments = self.path("ketencursus_assignments_dir")
        self.depends(*sorted(assignments.glob("*/assignment.yml")),
                     *sorted((assignments.parent / "rubrics").glob("*.yml")))
        if self.arguments:
            assignment, _, task = self.arguments[0].partition("/")
            return task_markdown(assignments, assignment, task)
        return "\n\n".join(task_markdown(assignments, uses[0], task, uses[1:])
                           for task, uses in graded_tasks(assignments).items())


class KnowledgeTestDirective(_MarkdownDirective):
    css_class = "docent-kennistoets"

    def markdown(self) -> str:
        from ketencursus.sphinxext.quiz import _load
        from ketencursus.trainer.handleiding import kennistoets_markdown

        bank, _ = _load(self.env)
        self.depends(*bank.files)
        return kennistoets_markdown(bank, self.arguments[0] if self.arguments else None)


class TimetableDirective(_MarkdownDirective):
    required_arguments = 1
    optional_arguments = 0
    css_class = "docent-rooster"

    def markdown(self) -> str:
        from ketencursus.trainer import rooster

        timetable = rooster.load_rooster()
        self.depends(Path(rooster.__file__).with_name("rooster.yml"))
        return rooster.block_markdown(timetable.block(self.arguments[0]),
                                      set(self.env.found_docs))


class PeerReviewDirective(_MarkdownDirective):
    css_class = "docent-peerreview"

    def markdown(self) -> str:
        from ketencursus.trainer import peerreview
        from ketencursus.trainer.handleiding import chapter_file

        form = peerreview.load_form()
        h7 = chapter_file(self.path("ketencursus_book_dir"), "h7")
        self.depends(Path(peerreview.__file__).with_name("peerreview.yml"), h7)
        problems = peerreview.check_against_template(form, h7.read_text(encoding="utf-8"))
        if problems:
            raise UserError("; ".join(problems))
        return peerreview.form_markdown(form)


def setup(app: Sphinx) -> None:
    app.add_config_value("ketencursus_leerlingboek_url", "", "env", types=[str])
    app.add_role("leerlingboek", LearnerBookRole())
    app.add_directive("docent-leerdoelen", ObjectivesDirective)
    app.add_directive("docent-misvattingen", MisconceptionsDirective)
    app.add_directive("docent-toepassen", ToepassenDirective)
    app.add_directive("docent-beoordeling", AssessmentDirective)
    app.add_directive("docent-kennistoets", KnowledgeTestDirective)
    app.add_directive("docent-rooster", TimetableDirective)
    app.add_directive("docent-peerreview", PeerReviewDirective)

