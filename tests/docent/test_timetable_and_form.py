"""The blended timetable and the peer-review form: defined once (trainer/*.yml), checked on
load, tied to the chapters they serve."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ketencursus.trainer import handleiding, peerreview, rooster
from ketencursus.trainer.peerreview import PeerReviewError
from ketencursus.trainer.rooster import RoosterError


@pytest.fixture(scope="module")
def timetable():
    return rooster.load_rooster()


def test_every_session_s_parts_add_up_to_its_length(timetable):
    sessions = timetable.of_kind("bijeenkomst", "terugkom")
    assert sessions
    for session in sessions:
        assert sum(p.minutes for p in session.parts) == session.minutes, session.id
        *_, (start, end, last) = session.schedule()
        assert end == session.minutes
        assert rooster.clock(end) == f"{session.minutes // 60}:{session.minutes % 60:02d}"


def test_two_online_blocks_and_two_classroom_sessions_of_three_hours(timetable):
    online = timetable.of_kind("online")
    classroom = timetable.of_kind("bijeenkomst")
    assert len(online) >= 2 and len(classroom) >= 2
    assert all(s.minutes == 180 for s in classroom)
    covered = {c for block in online for c in block.chapters}
    assert covered == {f"h{n}" for n in range(1, 8)}
    assert timetable.of_kind("terugkom")


def test_session_one_walks_a_zaak_and_session_two_reviews_the_action_plans(timetable):
    one = timetable.block("bijeenkomst-1")
    two = timetable.block("bijeenkomst-2")
    assert any("Olifantenpaadjes" in p.title for p in one.parts)
    assert any(m.page == "rollenspel" for p in one.parts for m in p.materials)
    assert any("werkpleinen" in p.title.lower() for p in two.parts)
    review = [p for p in two.parts if any(m.page == "peerreview" for m in p.materials)]
    assert review
    for session in (one, two):
        assert session.trainer_preparation and session.learner_preparation
        assert all(p.grouping for p in session.parts)


def test_the_peer_review_rounds_fit_the_time_the_timetable_gives_them(timetable):
    form = peerreview.load_form()
    rounds = next(p for p in timetable.block("bijeenkomst-2").parts if "drie rondes" in p.title)
    assert rounds.minutes == 3 * form.round_minutes


def test_a_timetable_whose_minutes_do_not_add_up_is_refused_in_dutch(tmp_path):
    source = Path(rooster.__file__).with_name("rooster.yml")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    session = next(b for b in data["blocks"] if b["id"] == "bijeenkomst-1")
    session["parts"][0]["minutes"] += 5
    path = tmp_path / "rooster.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RoosterError, match=r"bijeenkomst-1: de onderdelen duren samen 185 "
                                           r"minuten, de bijeenkomst 180"):
        rooster.load_rooster(path)


def test_material_links_to_an_edition_page_only_when_it_exists(timetable):
    part = next(p for p in timetable.block("bijeenkomst-1").parts if p.title.startswith("Rollen"))
    material = part.materials[0]
    assert rooster.material_markdown(material, {"rollenspel"}) == (
        f"{{doc}}`{material.text} <rollenspel>`")
    assert rooster.material_markdown(material, set()) == material.text


def test_the_form_has_exactly_the_parts_of_chapter_7s_action_plan(layout):
    h7 = handleiding.chapter_file(layout.book, "h7").read_text(encoding="utf-8")
    form = peerreview.load_form()
    assert form.parts == peerreview.template_parts(h7)
    assert len(form.parts) == 9
    assert peerreview.check_against_template(form, h7) == []
    assert all(s.questions for s in form.sections)


def test_a_renamed_part_in_chapter_7_is_reported(layout):
    h7 = handleiding.chapter_file(layout.book, "h7").read_text(encoding="utf-8")
    changed = h7.replace("- **Eerste stappen**", "- **Startactiviteiten**")
    problems = peerreview.check_against_template(peerreview.load_form(), changed)
    assert any("mist de onderdelen Startactiviteiten" in p for p in problems)
    assert any("niet in hoofdstuk 7 staan: Eerste stappen" in p for p in problems)


def test_a_form_without_questions_is_refused(tmp_path):
    path = tmp_path / "form.yml"
    path.write_text("title: t\nintro: i\nsections: [{part: Diagnose}]\nfeedback: "
                    "[{label: a, prompt: b}]\nround: [{step: s, minutes: 5}]\n", encoding="utf-8")
    with pytest.raises(PeerReviewError, match="sections\\[1\\] heeft een 'part' en 'questions'"):
        peerreview.load_form(path)
