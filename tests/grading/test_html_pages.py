"""The grading pages are rendered by Jinja2 with autoescape: whatever a learner's code,
output or cell id holds reaches the page as text, never as markup."""

from __future__ import annotations

import html
from types import SimpleNamespace

from ketencursus.grading.feedback import render_notebook

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def item(grade_id: str, score: float | None, max_points: float, **extra):
    return SimpleNamespace(grade_id=grade_id, score=score, max_points=max_points,
                           kind=extra.get("kind", "auto"), detail=extra.get("detail", ""),
                           objective=extra.get("objective"), hint=extra.get("hint", ""),
                           answers=extra.get("answers", []))


def test_feedback_page_escapes_learner_output_source_and_ids():
    nb = SimpleNamespace(
        name="ketenmeting.ipynb",
        items=[item("test_aantal", 0.0, 2.0, detail=HOSTILE, objective="h9.1",
                    hint="Tel de rijen", answers=["antwoord_<b>"]),
               item("reflectie", None, 2.0, kind="manual")],
        cells=[SimpleNamespace(grade_id="cel<1>", status="error", source=HOSTILE,
                               output=HOSTILE)],
        problem="", notes=[HOSTILE],
    )
    result = SimpleNamespace(assignment="ketenmeting", student="anna<i>")
    page = render_notebook(result, nb, {("ketenmeting", "reflectie"): 1.5},
                           {"h9.1": "zaken tellen & <meten>"})
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert page.count("&lt;script&gt;") == 4  # detail, note, source, output
    text = html.unescape(page)
    assert "Cursist: <strong>anna<i></strong>" in text
    assert "Score: <strong>1,5 van\n4</strong>" in text
    assert "h9.1 – zaken tellen & <meten>" in text
    assert "Cel cel<1> (gaf een foutmelding)" in text
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page


def test_report_page_escapes_item_names_objectives_and_students():
    from pathlib import Path

    from ketencursus.grading.report import Item, ItemScores, analyse, render_html

    items = [Item("nb", HOSTILE, 1.0, "h1.1", False), Item("nb", "q2", 1.0, None, False)]
    scores = ItemScores("toets<b>", items, ["a", "b", "c"], [[1, 0], [0, 1], [1, 1]],
                        pending_students=["<i>x</i>"])
    page = render_html(analyse(scores, {"h1.1": "keten & <uitleg>"}),
                       {k: Path(f"{k}.png") for k in ("totals", "items", "mastery")})
    assert "<script" not in page and "<b>" not in page and "<i>" not in page
    text = html.unescape(page)
    assert "Itemanalyse van opdracht toets<b>" in text and "keten & <uitleg>" in text
    assert 'src="items.png"' in page and "(<i>x</i>)" in text
