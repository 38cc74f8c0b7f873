"""The self-check widget in Chromium (file://, no server, no network): a wrong answer shows
its option's feedback, a right answer is marked right, a multiple-response item shows its
partial score, all of it by keyboard too, and the feedback lands in the live region; each
check dispatches the ``ketencursus:zelftoets`` event, and ``window.KetencursusZelftoets``
gives the answers (``state()``) and puts them back with their feedback (``restore()``)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture()
def page(browser, quiz_book):
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((quiz_book.html / "book" / "h9_proef.html").as_uri())
    page.wait_for_selector("form#kc-h9-01[data-kc-ready='true']")
    page.requests = requests
    yield page
    context.close()


def feedback(page, qid: str) -> str:
    region = page.locator(f"#kc-{qid}-feedback")
    region.locator(".kc-verdict").wait_for()
    return region.inner_text()


def test_wrong_single_choice_shows_its_feedback(page):
    page.check("#kc-h9-01-a")
    page.click("#kc-h9-01 button.kc-check")
    text = feedback(page, "h9-01")
    assert "Niet goed" in text
    assert "Appel is fout omdat appels geen zaken zijn." in text
    assert page.get_attribute("#kc-h9-01", "data-kc-state") == "incorrect"


def test_right_single_choice_is_marked_right(page):
    page.check("#kc-h9-01-b")
    page.click("#kc-h9-01 button.kc-check")
    text = feedback(page, "h9-01")
    assert "Goed!" in text and "Peer is juist" in text
    assert page.get_attribute("#kc-h9-01", "data-kc-state") == "correct"


def test_no_answer_asks_to_choose_first(page):
    page.click("#kc-h9-01 button.kc-check")
    assert "Kies eerst een antwoord" in feedback(page, "h9-01")


def test_partly_right_multiple_choice_says_so(page):
    page.check("#kc-h9-02-a")
    page.click("#kc-h9-02 button.kc-check")
    text = feedback(page, "h9-02")
    assert "Deels goed" in text and "1 van de 2" in text
    page.check("#kc-h9-02-c")
    page.click("#kc-h9-02 button.kc-check")
    page.wait_for_function(
        "document.querySelector('#kc-h9-02').dataset.kcState === 'correct'")
    assert "Goed!" in feedback(page, "h9-02")


def test_numeric_answer_accepts_dutch_decimal_comma(page):
    page.fill("#kc-h9-03-input", "12,5")
    page.click("#kc-h9-03 button.kc-check")
    assert "Klopt, twaalf en een half." in feedback(page, "h9-03")
    page.fill("#kc-h9-03-input", "13")
    page.click("#kc-h9-03 button.kc-check")
    page.wait_for_function(
        "document.querySelector('#kc-h9-03').dataset.kcState === 'incorrect'")
    assert "Tel op en deel" in feedback(page, "h9-03")


def _tab_to(page, selector: str, limit: int = 80) -> None:
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === document.querySelector({selector!r})"):
            return
    pytest.fail(f"{selector} is niet met Tab te bereiken")


def test_keyboard_only_wrong_then_right_single_choice(page):
    _tab_to(page, "#kc-h9-01-a")
    page.keyboard.press("Space")  # select option a (wrong)
    page.keyboard.press("Tab")  # leaves the radio group: the Controleer button
    assert page.evaluate("document.activeElement.classList.contains('kc-check')")
    page.keyboard.press("Enter")
    assert "Appel is fout" in feedback(page, "h9-01")
    page.keyboard.press("Shift+Tab")  # back into the radio group, on the checked option
    page.keyboard.press("ArrowDown")  # option b (right)
    assert page.is_checked("#kc-h9-01-b")
    page.keyboard.press("Enter")  # implicit submission from a form control
    page.wait_for_function(
        "document.querySelector('#kc-h9-01').dataset.kcState === 'correct'")
    assert "Peer is juist" in feedback(page, "h9-01")


def test_keyboard_only_checkboxes_and_text_answer(page):
    _tab_to(page, "#kc-h9-02-a")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # option c
    page.keyboard.press("Tab")  # option d (wrong, left unticked)
    page.keyboard.press("Tab")  # the Controleer button
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('#kc-h9-02').dataset.kcState === 'correct'")
    _tab_to(page, "#kc-h9-04-input")
    page.keyboard.type("  Zaak ")
    page.keyboard.press("Enter")
    assert "Ja, een zaak." in feedback(page, "h9-04")


def test_feedback_is_in_a_polite_live_region(page):
    region = page.locator("#kc-h9-01-feedback")
    assert region.get_attribute("role") == "status"
    assert region.get_attribute("aria-live") == "polite"
    assert region.inner_text() == ""
    page.check("#kc-h9-01-c")
    page.click("#kc-h9-01 button.kc-check")
    assert "Kers is fout" in feedback(page, "h9-01")


def test_page_loads_nothing_from_other_hosts(page):
    assert page.requests
    assert all(url.startswith(("file://", "data:")) for url in page.requests), page.requests


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_quiz_with_feedback_shown_has_no_serious_axe_violations(page, layout, theme):
    axe = layout.root / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.is_file():
        pytest.fail("axe-core ontbreekt: voer `npm ci` uit (make test doet dat)")
    page.evaluate(f"document.documentElement.dataset.theme = {theme!r}")
    page.check("#kc-h9-01-a")
    page.click("#kc-h9-01 button.kc-check")
    page.check("#kc-h9-02-a")
    page.click("#kc-h9-02 button.kc-check")
    page.fill("#kc-h9-03-input", "12.5")
    page.click("#kc-h9-03 button.kc-check")
    page.click("#kc-h9-04 button.kc-check")
    page.wait_for_function("document.querySelectorAll('.kc-verdict').length === 4")
    page.add_script_tag(path=str(axe))
    result = page.evaluate(
        "axe.run(document.querySelector('.kc-quiz'), {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_multiple_choice_shows_the_partial_score_of_the_banks_rule(page):
    page.check("#kc-h9-02-a")
    page.check("#kc-h9-02-b")  # one right (of 2), one wrong (of 2): 1/2 - 1/2 = 0
    page.click("#kc-h9-02 button.kc-check")
    text = feedback(page, "h9-02")
    assert "Niet goed. Score: 0%." in text and "1 onjuist antwoord" in text
    page.uncheck("#kc-h9-02-b")
    page.click("#kc-h9-02 button.kc-check")
    page.wait_for_function(
        "document.querySelector('#kc-h9-02').dataset.kcState === 'partial'")
    assert "Deels goed. Score: 50%." in feedback(page, "h9-02")
    assert page.get_attribute("#kc-h9-02", "data-kc-score") == "0.5"


def test_js_partial_credit_agrees_with_the_python_rule(page):
    from ketencursus.quiz.scoring import selection_fraction

    options = {"a": {"correct": True}, "b": {"correct": False}, "c": {"correct": True},
               "d": {"correct": False}, "e": {"correct": True}}
    for chosen in (["a"], ["a", "c"], ["a", "b"], ["a", "b", "c", "e"], ["b", "d"], []):
        js = page.evaluate("([c, o]) => window.ketencursusQuiz.selectionFraction(c, o)",
                           [chosen, options])
        assert js == pytest.approx(selection_fraction(chosen, ["a", "c", "e"], ["b", "d"]))


def _listen(page):
    page.evaluate("""() => { window.__events = [];
        document.addEventListener('ketencursus:zelftoets',
                                  e => window.__events.push(e.detail)); }""")


def test_each_check_dispatches_the_zelftoets_event_with_its_detail(page):
    _listen(page)
    page.check("#kc-h9-02-c")
    page.click("#kc-h9-02 button.kc-check")
    page.fill("#kc-h9-03-input", "12,5 dagen")
    page.click("#kc-h9-03 button.kc-check")
    page.click("#kc-h9-04 button.kc-check")  # no answer: no event
    page.check("#kc-h9-01-a")
    page.click("#kc-h9-01 button.kc-check")
    events = page.evaluate("window.__events")
    assert events == [
        {"id": "h9-02", "type": "multiple", "response": "c", "correct": False, "score": 0.5,
         "objective": "h9.1"},
        {"id": "h9-03", "type": "numeric", "response": "12,5 dagen", "correct": True,
         "score": 1, "objective": "h9.2"},
        {"id": "h9-01", "type": "single", "response": "a", "correct": False, "score": 0,
         "objective": "h9.1"},
    ]


def test_state_and_restore_put_answers_back_with_feedback_and_no_events(browser, quiz_book):
    context = browser.new_context()
    first = context.new_page()
    first.goto((quiz_book.html / "book" / "h9_proef.html").as_uri())
    first.wait_for_selector("form#kc-h9-01[data-kc-ready='true']")
    first.check("#kc-h9-01-b")
    first.check("#kc-h9-02-a")
    first.check("#kc-h9-02-c")
    first.fill("#kc-h9-03-input", "13")
    saved = first.evaluate("window.KetencursusZelftoets.state()")
    assert saved == {"h9-01": "b", "h9-02": "a,c", "h9-03": "13"}

    second = context.new_page()
    second.goto((quiz_book.html / "book" / "h9_proef.html").as_uri())
    second.wait_for_selector("form#kc-h9-01[data-kc-ready='true']")
    _listen(second)
    restored = second.evaluate("s => window.KetencursusZelftoets.restore(s)",
                               {**saved, "h9-99": "a", "h9-04": 7})
    assert restored == 3
    assert second.is_checked("#kc-h9-01-b") and not second.is_checked("#kc-h9-01-a")
    assert second.is_checked("#kc-h9-02-a") and second.is_checked("#kc-h9-02-c")
    assert second.input_value("#kc-h9-03-input") == "13"
    assert "Peer is juist" in feedback(second, "h9-01")
    assert "Goed!" in feedback(second, "h9-02")
    assert "Tel op en deel" in feedback(second, "h9-03")
    assert second.get_attribute("#kc-h9-03", "data-kc-state") == "incorrect"
    assert second.locator("#kc-h9-04-feedback").inner_text() == ""
    assert second.evaluate("window.__events") == []
    assert second.evaluate("window.KetencursusZelftoets.state()") == saved
    context.close()


def test_misconception_notes_never_reach_the_page(page):
    assert "MISVATTING-APPEL" not in page.content()
