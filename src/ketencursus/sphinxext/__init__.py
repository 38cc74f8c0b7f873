"""Sphinx extensions of the course book.

``nl_interface`` puts the theme's interface in Dutch, ``bibstyle`` the bibliography;
further extensions (the quiz directive, the chapter figures) register themselves from
:func:`setup`.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import (
    a11y,
    bibstyle,
    docent,
    editions,
    figures,
    inpage,
    nl_interface,
    objectives,
    offline,
    quiz,
    worksheets,
)


def setup(app: Sphinx) -> dict:
    # The study load in hours (_config.yml); read by `ketencursus scorm` for the manifest.
    app.add_config_value("ketencursus_studielast_uren", 0, "html", types=[int, float])
    nl_interface.setup(app)
    bibstyle.setup(app)
    objectives.setup(app)
    offline.setup(app)
    a11y.setup(app)
    quiz.setup(app)
    figures.setup(app)
    inpage.setup(app)
    docent.setup(app)
    worksheets.setup(app)
    editions.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
