"""Bank text markup to HTML: only **strong** and *em*; everything else is escaped, so a
question can never inject markup into the book or Moodle. Self-check payloads refuse
graded items."""

from __future__ import annotations

import pytest

from ketencursus.quiz.bank import Question
from ketencursus.quiz.render import block_html, inline_html, plain
from ketencursus.sphinxext.quiz import question_html, selfcheck_payload


def _question(use: str) -> Question:
    return Question(id="h9-01", chapter="h9", title="t", objective="h9.1", type="numeric",
                    use=use, points=1, question="Hoeveel <b>dagen</b>?", source="x",
                    answer=3.0, tolerance=0.0, feedback_correct="Goed", feedback_incorrect="Fout")


def test_marks_become_strong_and_em():
    assert inline_html("een **zaak** is *werk*") == "een <strong>zaak</strong> is <em>werk</em>"


def test_markup_is_escaped():
    assert inline_html('<script>alert("x")</script> & co') == (
        '&lt;script&gt;alert("x")&lt;/script&gt; &amp; co')


def test_paragraphs_and_plain_text():
    assert block_html("een\nregel\n\ntwee") == "<p>een regel</p><p>twee</p>"
    assert plain("de **zaak**  en *werk*") == "de zaak en werk"


def test_graded_item_never_becomes_a_selfcheck_payload():
    with pytest.raises(ValueError, match="geen zelftoetsvraag"):
        selfcheck_payload(_question("graded"))


def test_question_html_escapes_the_question_and_labels_the_input():
    out = question_html(_question("selfcheck"), 1, "#leerdoel-h9-1")
    assert "&lt;b&gt;dagen&lt;/b&gt;" in out and "<b>dagen" not in out
    assert '<label for="kc-h9-01-input">' in out and 'id="kc-h9-01-input"' in out
    assert 'role="status"' in out and 'aria-live="polite"' in out
