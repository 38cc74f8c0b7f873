"""The instructor edition is written in our own words too: no nine-word run of the source page
outside a marked quotation, and the zaak definition never attributed to *Ketens de baas*
(same rules as the learner book, ``tests/book/test_source_fidelity.py``)."""

from __future__ import annotations

import re

import pytest
import yaml

from ketencursus import fidelity
from tests.book.test_source_fidelity import ATTRIBUTES_ZAAK_TO_SOURCE, DATA, TOOLTIP
from tests.support import ROOT
from tests.support.booktext import strings as _strings
from tests.support.booktext import toc_files


@pytest.fixture(scope="module")
def source() -> fidelity.Source:
    text = (DATA / "nora_weerbarstige_cultuurinvloeden.txt").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return fidelity.Source(body, tooltip=TOOLTIP)


@pytest.fixture(scope="module")
def edition_texts() -> list[tuple[str, str]]:
    texts = []
    for doc in toc_files(ROOT / "docent"):
        path = ROOT / "docent" / f"{doc}.md"
        texts.append((f"docent/{doc}", path.read_text(encoding="utf-8")))
    for path in sorted((ROOT / "src" / "ketencursus" / "trainer").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts.extend((path.name, s) for s in _strings(data))
    assert len(texts) > 20
    return texts


def test_no_nine_word_run_of_the_source_in_the_edition(source, edition_texts):
    assert fidelity.check(source, edition_texts) == []


def test_the_edition_never_attributes_the_zaak_definition_to_ketens_de_baas(edition_texts):
    offenders = [f"{where}: {p.strip()[:120]}" for where, text in edition_texts
                 for p in re.split(r"\n\s*\n", text) if ATTRIBUTES_ZAAK_TO_SOURCE.search(p)]
    assert offenders == []

