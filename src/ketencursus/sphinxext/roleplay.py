"""The ``{rollenspel}`` directive of the instructor edition: a role play rendered from its one
source, ``exercises/rollenspel/<id>.yml`` (see :mod:`ketencursus.trainer.roleplay`).

Loaded only by the instructor edition (``docent/_config.yml``, ``extra_extensions``), never by
the learner book: the role cards and their hidden interests are instructor material. Usage::

    ```{rollenspel} loonaangifteketen
    ```

The directive parses the page text of :func:`ketencursus.trainer.roleplay.page_markdown`
(``##`` sections with the background, situation, every role card, the line-up per group size,
the observation list, the facilitator's steps, variants and the debrief with
``{leerlingboek}`` links), so the page and the printed cards say the same thing. A broken
definition fails the build with the loader's Dutch message.
"""

from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ketencursus.trainer import roleplay as rp


def _directory(env, name: str):
    from ketencursus.sphinxext.quiz import _resolve

    return _resolve(env, name)


class RolePlayDirective(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        directory = _directory(self.env, "ketencursus_roleplay_dir")
        book = _directory(self.env, "ketencursus_book_dir")
        # a change in a definition or in a chapter it refers to rebuilds the page
        self.env.note_dependency(str(directory / f"{self.arguments[0]}.yml"))
        try:
            roleplay = rp.load_roleplay(directory, book, self.arguments[0])
        except rp.RolePlayError as exc:
            raise self.error(exc.user_message()) from exc
        for chapter in roleplay.chapters.values():
            self.env.note_dependency(str(chapter.path))
        container = nodes.container(classes=["rollenspel"], ids=[f"rollenspel-{roleplay.id}"])
        text = rp.page_markdown(roleplay)
        self.state.nested_parse(StringList(text.splitlines(), source=str(roleplay.path)),
                                self.content_offset, container, match_titles=True)
        return container.children


def setup(app: Sphinx) -> dict:
    app.add_config_value("ketencursus_roleplay_dir", "exercises/rollenspel", "env", types=[str])
    app.add_directive("rollenspel", RolePlayDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
