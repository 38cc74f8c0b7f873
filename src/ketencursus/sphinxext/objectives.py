"""The ``{leerdoelen}`` directive: a chapter's learning objectives, from YAML content."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ketencursus.objectives import ObjectiveError, parse_block


class LeerdoelenDirective(SphinxDirective):
    has_content = True
    required_arguments = 0
    optional_arguments = 0

    def run(self) -> list[nodes.Node]:
        where = f"{self.env.docname}:{self.lineno}"
        try:
            objectives = parse_block("\n".join(self.content), self.env.docname, where)
        except ObjectiveError as exc:
            raise self.error(str(exc)) from exc
        box = nodes.admonition(classes=["leerdoelen", "tip"])
        box += nodes.title(text="Leerdoelen")
        box += nodes.paragraph(text="Na dit hoofdstuk kun je:")
        items = nodes.bullet_list()
        for objective in objectives:
            item = nodes.list_item(ids=[objective.anchor])
            para = nodes.paragraph()
            para += nodes.Text(objective.text + " ")
            para += nodes.inline(text=f"({objective.id})", classes=["leerdoel-id"])
            item += para
            items += item
        box += items
        return [box]


def setup(app: Sphinx) -> None:
    app.add_directive("leerdoelen", LeerdoelenDirective)
