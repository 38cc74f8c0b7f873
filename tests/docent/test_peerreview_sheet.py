"""The peer-review form as an A4 worksheet: generated from the one definition, one or two
pages, every part and question on it."""

from __future__ import annotations

import pytest

from ketencursus.trainer import peerreview
from tests.support import ROOT
from tests.support.docent import comparable, html_text


@pytest.fixture(scope="module")
def rendered():
    from ketencursus.trainer.worksheets import Imprint, render_pdf

    return render_pdf(peerreview.sheet(), Imprint.from_repository(ROOT))


def test_the_sheet_fits_on_one_or_two_a4_pages(rendered):
    assert 1 <= rendered.pages <= 2
    assert rendered.pdf.startswith(b"%PDF")


def test_the_sheet_holds_every_part_question_and_feedback_field_of_the_form(rendered):
    text = html_text(rendered.html)
    form = peerreview.load_form()
    for section in form.sections:
        assert comparable(section.part) in text
        for question in section.questions:
            assert comparable(question) in text
    for field in form.feedback:
        assert comparable(field.label) in text and comparable(field.prompt) in text


def test_a_changed_question_reaches_the_sheet(tmp_path):
    source = (ROOT / "src" / "ketencursus" / "trainer" / "peerreview.yml").read_text(
        encoding="utf-8")
    changed = tmp_path / "form.yml"
    changed.write_text(source.replace("Waaraan zou ik merken dat we terugvallen?",
                                      "Welk signaal van terugval zie ik (verzonnen)?"),
                       encoding="utf-8")
    sheet = peerreview.sheet(peerreview.load_form(changed))
    rows = [row.cells[1] for row in sheet.sections[0].blocks[0].rows]
    assert any("Welk signaal van terugval zie ik (verzonnen)?" in r for r in rows)
