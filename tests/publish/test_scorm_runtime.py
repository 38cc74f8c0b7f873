"""The SCORM package played in an LMS runtime we did not write: scorm-again's SCORM 1.2 API
(npm) in a harness page that opens the SCO in a frame, as Moodle does. Chromium navigates
chapters, answers self-checks right and wrong, leaves, comes back, and the CMI data the
runtime kept is checked; and the same package works, silently, without any LMS."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.site import is_same_origin, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]

HARNESS = Path(__file__).parent / "fixtures" / "scorm_harness.html"
RUNTIME = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm12.js"


@pytest.fixture(scope="module")
def site(unpacked, tmp_path_factory):
    """The package under /sco/ and the stand-in LMS under /lms/, on one local origin."""
    assert RUNTIME.is_file(), "scorm-again ontbreekt: draai `npm ci` (make test doet dat)"
    root = tmp_path_factory.mktemp("lms-site")
    shutil.copytree(unpacked, root / "sco")
    (root / "lms").mkdir()
    shutil.copy(HARNESS, root / "lms" / "harness.html")
    shutil.copy(RUNTIME, root / "lms" / "scorm12.js")
    with serve(root) as base:
        yield base


class Session:
    """One browser visit: its page, console errors and requests to other origins."""

    def __init__(self, browser, base: str, cmi: dict | None = None) -> None:
        self.base = base
        self.context = browser.new_context()
        if cmi is not None:
            self.context.add_init_script(f"window.KC_CMI = {json.dumps(cmi)};")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if is_same_origin(r.url, base)
                     else self.foreign.append(r.url))

    def book(self):
        """The frame that shows the book's pages (inside the launch page)."""
        for frame in self.page.frames:
            parent = frame.parent_frame
            if parent is not None and parent.url.endswith("/sco/start.html"):
                return frame
        raise AssertionError("het boekframe van de startpagina is niet gevonden")

    def open_lms(self) -> None:
        self.page.goto(self.base + "lms/harness.html")
        self.page.wait_for_function("window.KC_CALLS && window.KC_CALLS.includes('LMSInitialize')")
        self.wait_for_page("book/")

    def wait_for_page(self, fragment: str) -> None:
        self.page.wait_for_function(
            """(f) => { const sco = document.getElementById('lms');
                        const inner = sco && sco.contentDocument &&
                          sco.contentDocument.getElementById('kc-sco-boek');
                        const doc = inner && inner.contentDocument;
                        return doc && doc.readyState === 'complete' &&
                          inner.contentWindow.location.href.includes(f); }""",
            arg=fragment)

    def goto(self, path: str) -> None:
        self.book().goto(self.base + "sco/" + path)
        self.wait_for_page(path)

    def answer(self, qid: str, right: bool) -> None:
        frame = self.book()
        form = f"#kc-{qid}"
        frame.wait_for_selector(f"{form}[data-kc-ready='true']")
        item = json.loads(frame.get_attribute(form, "data-kc-item"))
        if item["type"] in ("single", "multiple"):
            options = item["options"]
            chosen = [k for k, o in options.items() if o["correct"] == right]
            for letter in (chosen if item["type"] == "multiple" and right else chosen[:1]):
                frame.check(f"#kc-{qid}-{letter}")
        else:
            frame.fill(f"#kc-{qid}-input", "42" if not right else _right_text(item))
        frame.click(f"{form} button.kc-check")
        frame.wait_for_selector(f"{form}[data-kc-state]")

    def selfchecks_on_page(self) -> list[str]:
        return self.book().eval_on_selector_all(
            "form.kc-question[data-kc-item]",
            "forms => forms.map(f => JSON.parse(f.dataset.kcItem).id)")

    def leave(self) -> dict:
        """Close the course the way a learner does (the LMS unloads the SCO's frame) and
        return the CMI data the runtime kept."""
        self.page.evaluate("document.getElementById('lms').src = 'about:blank'")
        self.page.wait_for_function("window.KC_CALLS.includes('LMSFinish')")
        return self.page.evaluate("window.API.renderCMIToJSONObject()")

    def calls(self) -> list[str]:
        return self.page.evaluate("window.KC_CALLS")

    def close(self) -> None:
        self.context.close()


def _right_text(item: dict) -> str:
    """A right answer to a numeric or text self-check, from the page's own item data."""
    if item["type"] == "numeric":
        return str(item["answer"]).replace(".", ",")
    return str(item["accepted"][0])


def _children(value) -> list[dict]:
    """A CMI array as scorm-again renders it (``{"0": {...}, "1": {...}}``) as a list."""
    if isinstance(value, dict):
        return [value[k] for k in sorted((k for k in value if k.isdigit()), key=int)]
    return list(value)


def _interactions(cmi: dict) -> list[dict]:
    return _children(cmi["cmi"]["interactions"])


def test_one_session_records_location_score_interactions_and_resumes(browser, site):
    s = Session(browser, site)
    try:
        s.open_lms()
        s.goto("book/h1_ketens.html")
        ids = s.selfchecks_on_page()
        assert len(ids) >= 2
        s.answer(ids[0], right=True)
        s.answer(ids[1], right=False)
        s.book().click("a.right-next")  # the learner clicks on to the next chapter
        s.wait_for_page("book/h2_opgelegde_samenwerking.html")
        cmi = s.leave()
        calls = s.calls()
        assert calls.count("LMSInitialize") == 1 and calls.count("LMSFinish") == 1
        core = cmi["cmi"]["core"]
        assert core["lesson_status"] == "incomplete"
        assert core["lesson_location"] == "book/h2_opgelegde_samenwerking.html"
        assert core["exit"] == "suspend"
        assert re.fullmatch(r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?", core["session_time"])
        assert core["session_time"] != "0000:00:00.00"
        data = json.loads(cmi["cmi"]["suspend_data"])
        assert set(data["z"]) == {ids[0], ids[1]}
        assert data["z"][ids[0]][1] == 1 and data["z"][ids[1]][1] == 0
        n_selfchecks = _count_selfchecks(site)
        assert int(float(core["score"]["raw"])) == round(100 * 1 / n_selfchecks)
        interactions = _interactions(cmi)
        assert [i["id"] for i in interactions] == [ids[0], ids[1]]
        assert [i["result"] for i in interactions] == ["correct", "wrong"]
        assert all(i["type"] == "choice" or i["type"] in ("numeric", "fill-in")
                   for i in interactions)
        assert all(i["student_response"] for i in interactions)
        assert all(re.fullmatch(r"h1\.\d+", _objective(i)) for i in interactions)
        assert s.errors == [] and s.foreign == []
    finally:
        s.close()

    # The LMS keeps core data and suspend data and hands them back on the next launch.
    again = Session(browser, site, cmi={"core": {
        "entry": "resume", "lesson_status": core["lesson_status"],
        "lesson_location": core["lesson_location"], "student_id": "c1",
        "student_name": "Cursist, Een"}, "suspend_data": cmi["cmi"]["suspend_data"]})
    try:
        again.open_lms()
        again.wait_for_page("book/h2_opgelegde_samenwerking.html")  # back where they left
        again.goto("book/h1_ketens.html")
        frame = again.book()
        frame.wait_for_selector(f"#kc-{ids[0]}[data-kc-state='correct']")
        frame.wait_for_selector(f"#kc-{ids[1]}[data-kc-state='incorrect']")
        cmi2 = again.leave()
        assert json.loads(cmi2["cmi"]["suspend_data"])["z"].keys() >= {ids[0], ids[1]}
        assert again.calls().count("LMSInitialize") == 1
        assert again.errors == [] and again.foreign == []
    finally:
        again.close()


def test_every_chapter_opened_and_every_self_check_tried_completes_the_course(browser, site):
    s = Session(browser, site)
    try:
        s.open_lms()
        chapters = _chapters(site)
        for chapter in chapters:
            s.goto(chapter)
            for qid in s.selfchecks_on_page():
                s.answer(qid, right=True)
        cmi = s.leave()
        core = cmi["cmi"]["core"]
        assert core["lesson_status"] == "completed"
        assert int(float(core["score"]["raw"])) == 100
        assert len(_interactions(cmi)) == _count_selfchecks(site)
        assert s.errors == [] and s.foreign == []
    finally:
        s.close()


def test_without_an_lms_the_book_works_and_logs_no_error(browser, site):
    s = Session(browser, site)
    try:
        s.page.goto(site + "sco/start.html")
        s.page.wait_for_function(
            "document.getElementById('kc-sco-boek').contentWindow.location.href"
            ".includes('book/index.html')")
        inner = [f for f in s.page.frames if f.parent_frame is not None][0]
        inner.wait_for_load_state("load")
        inner.goto(site + "sco/book/h3_liever_solo_dan_samen.html")
        ids = inner.eval_on_selector_all(
            "form.kc-question[data-kc-item]", "fs => fs.map(f => JSON.parse(f.dataset.kcItem).id)")
        inner.wait_for_selector(f"#kc-{ids[0]}[data-kc-ready='true']")
        item = json.loads(inner.get_attribute(f"#kc-{ids[0]}", "data-kc-item"))
        letter = [k for k, o in item["options"].items() if o["correct"]][0]
        inner.check(f"#kc-{ids[0]}-{letter}")
        inner.click(f"#kc-{ids[0]} button.kc-check")
        inner.wait_for_selector(f"#kc-{ids[0]}[data-kc-state='correct']")
        assert s.page.locator("#kc-sco-melding").is_hidden()
        assert s.errors == [] and s.foreign == []
    finally:
        s.close()


def _objective(interaction: dict) -> str:
    return _children(interaction["objectives"])[0]["id"]


def _sco_data(site: str) -> dict:
    import urllib.request

    text = urllib.request.urlopen(site + "sco/ketencursus-sco-data.js").read().decode()
    return json.loads(text.split("=", 1)[1].rstrip().rstrip(";"))


def _count_selfchecks(site: str) -> int:
    return len(_sco_data(site)["selfchecks"])


def _chapters(site: str) -> list[str]:
    return _sco_data(site)["chapters"]


REFLECTION_PAGE = "book/reflectie/actieplan.html"


def _first_text_field(frame) -> str:
    frame.wait_for_selector(".kc-rf:not([hidden]) .kc-rf-form textarea")
    return frame.eval_on_selector(".kc-rf .kc-rf-form textarea", "t => '#' + t.id")


def _type_reflection(session: Session, text: str) -> str:
    frame = session.book()
    field = _first_text_field(frame)
    frame.fill(field, text)
    frame.wait_for_function(
        "() => /opgeslagen/i.test(document.querySelector('.kc-rf-status').textContent)")
    return field


def test_reflection_answers_travel_in_the_suspend_data_to_another_browser(browser, site):
    s = Session(browser, site)
    text = "Diagnose: de partners werken langs elkaar heen bij terugmeldingen (verzonnen)."
    try:
        s.open_lms()
        s.goto(REFLECTION_PAGE)
        field = _type_reflection(s, text)
        cmi = s.leave()
        saved = json.loads(cmi["cmi"]["suspend_data"])
        assert text in json.dumps(saved["r"], ensure_ascii=False)
        assert s.errors == [] and s.foreign == []
    finally:
        s.close()
    # Another browser (an empty localStorage): the LMS hands the suspend data back.
    again = Session(browser, site, cmi={"core": {
        "entry": "resume", "lesson_status": "incomplete", "lesson_location": REFLECTION_PAGE,
        "student_id": "c1", "student_name": "Cursist, Een"},
        "suspend_data": cmi["cmi"]["suspend_data"]})
    try:
        again.open_lms()
        again.wait_for_page(REFLECTION_PAGE)
        frame = again.book()
        frame.wait_for_function(f"() => document.querySelector({field!r}).value === {text!r}")
        again.leave()
        assert again.errors == [] and again.foreign == []
    finally:
        again.close()


def test_reflections_too_large_for_scorm_1_2_stay_in_the_browser_and_the_page_says_so(
        browser, site):
    s = Session(browser, site)
    long_text = "Verzonnen voorbeeldtekst over de ketensamenwerking. " * 120  # > 4096 tekens
    try:
        s.open_lms()
        s.goto(REFLECTION_PAGE)
        field = _type_reflection(s, long_text)
        sco = s.page.frame(url=re.compile(r"/sco/start\.html$"))
        sco.wait_for_selector("#kc-sco-melding:not([hidden])")
        assert "blijven bewaard in deze browser" in sco.inner_text("#kc-sco-melding")
        cmi = s.leave()
        suspend = cmi["cmi"]["suspend_data"]
        assert len(suspend) <= 4096 and json.loads(suspend)["r"] is None
        # Nothing lost: the same browser still has the answer, without any LMS.
        s.page.goto(site + "sco/" + REFLECTION_PAGE)
        s.page.wait_for_function(
            f"() => document.querySelector({field!r}) && "
            f"document.querySelector({field!r}).value === {long_text!r}")
        assert s.errors == [] and s.foreign == []
    finally:
        s.close()
