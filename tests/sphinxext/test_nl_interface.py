from __future__ import annotations

import gettext

from ketencursus.sphinxext.nl_interface import DOMAINS, compile_catalog


def test_compiled_catalog_translates_theme_strings(tmp_path):
    compile_catalog(tmp_path)
    for domain in DOMAINS:
        catalog = gettext.translation(domain, localedir=tmp_path, languages=["nl"])
        assert catalog.gettext("Skip to main content") == "Naar de hoofdinhoud"
        assert catalog.gettext("Launch interactive content") == "Interactieve inhoud starten"
