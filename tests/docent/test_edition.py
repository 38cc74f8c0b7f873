"""The instructor edition (``make docent``) as its own strictly built book."""

from __future__ import annotations

import yaml

from ketencursus.publish import secrets
from ketencursus.quiz.assignments import load_assignment_rubrics
from ketencursus.trainer import handleiding, peerreview, rooster
from tests.support import ROOT
from tests.support.booktext import toc_files
from tests.support.docent import comparable, html_text


def test_edition_builds_strictly_without_warnings(docent_book):
    assert docent_book.returncode == 0, docent_book.log[-4000:]
    assert "WARNING" not in docent_book.log, docent_book.log[-4000:]
    assert "build succeeded" in docent_book.log


def test_alignment_page_lists_every_graded_item_by_id(docent_book, bank):
    text = docent_book.page("afstemming")
    assert "kc-alignment" in text
    for question in bank.graded():
        assert question.id in text
    assert "Leerdoelen zonder beoordeeld item" not in text


def test_objective_links_point_into_the_learner_book_next_to_the_edition(docent_book):
    # _build/docent/_build/html/afstemming.html -> _build/html/book/h1_ketens.html
    text = docent_book.page("afstemming")
    assert 'href="../../../html/book/h1_ketens.html#leerdoel-h1-1"' in text
    target = (docent_book.html / "../../../html/book/h1_ketens.html").resolve()
    assert target == (docent_book.work / "_build" / "html" / "book" / "h1_ketens.html")


def test_learner_book_no_longer_lists_instructor_pages():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert "docent" not in toc
    assert not (ROOT / "book" / "docent").exists()
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "docent" in config["exclude_patterns"]


SECTIONS = ("waarom-dit-hoofdstuk", "wat-cursisten-daarna-kunnen",
            "discussiepunten-en-hoe-je-ermee-omgaat", "misvattingen-uit-de-vragenbank",
            "een-groep-uit-meer-ketens", "modelantwoorden-bij-toepassen")


def _text(page: str) -> str:
    return html_text(page, main_only=True)


def _docent_toc() -> list[str]:
    return toc_files(ROOT / "docent")


def test_every_chapter_has_its_own_page_with_every_section(docent_book, layout, objectives):
    for n in range(1, 8):
        doc = f"handleiding/h{n}"
        assert doc in _docent_toc()
        page = docent_book.page(doc)
        for section in SECTIONS:
            assert f'id="{section}"' in page, (doc, section)
        chapter = handleiding.chapter_docname(layout.book, f"h{n}")
        assert f'href="../../../../html/{chapter}.html"' in page
        text = _text(page)
        for objective in objectives.values():
            if objective.id.startswith(f"h{n}."):
                assert comparable(objective.text) in text, objective.id
        source = handleiding.chapter_file(layout.book, f"h{n}").read_text(encoding="utf-8")
        count = len(handleiding.toepassen_tasks(source))
        assert f"Toepassen {count} " in text and f"Toepassen {count + 1} " not in text


def test_graded_tasks_page_holds_every_rubric_and_model_answer(docent_book, layout):
    text = _text(docent_book.page("beoordelen"))
    rubrics = load_assignment_rubrics(layout.exercises / "assignments")
    for rubric in rubrics.values():
        assert f"Beoordelingsmodel: {rubric.title}" in text
    assignments = layout.exercises / "assignments"
    for task_id, (assignment, *_) in handleiding.graded_tasks(assignments).items():
        body = handleiding._task_body(assignments, assignment, task_id)
        answers = [p["model_answer"] for p in body.get("parts") or []] or [body["model_answer"]]
        for answer in answers:
            for sentence in secrets.prose_needles(answer):
                assert comparable(sentence) in text, (task_id, sentence)


def test_answer_key_page_lists_every_graded_item(docent_book, bank):
    text = _text(docent_book.page("kennistoets"))
    for question in bank.graded():
        assert comparable(f"{question.id} {question.title}") in text


def test_timetable_page_shows_each_session_with_clock_times(docent_book):
    text = _text(docent_book.page("rooster"))
    for block in rooster.load_rooster().of_kind("bijeenkomst"):
        for start, end, part in block.schedule():
            assert f"{rooster.clock(start)}–{rooster.clock(end)} {part.title}" in text
    assert "2:55–3:00" in text
    follow_up = _text(docent_book.page("terugkom"))
    assert "1:55–2:00" in follow_up


def test_role_play_and_worksheets_are_linked_once_their_pages_exist(docent_book):
    page = docent_book.page("rooster")
    for doc in ("rollenspel", "werkbladen"):
        exists = (docent_book.html / f"{doc}.html").is_file()
        assert (f'href="{doc}.html"' in page) == exists, doc


def test_peer_review_page_renders_the_form_for_every_part_of_the_plan(docent_book):
    text = _text(docent_book.page("peerreview"))
    form = peerreview.load_form()
    for section in form.sections:
        assert section.part in text
        for question in section.questions:
            assert comparable(question) in text
    for field in form.feedback:
        assert field.label in text
