"""The role plays in the instructor edition: the page shows every role card, the observation
list and the debrief, rendered from the one source, with links that land on real places in
the learner book."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ketencursus.trainer import roleplay as rp

ROOT = Path(__file__).resolve().parents[2]
HREF = re.compile(r'<a class="[^"]*\bleerlingboek\b[^"]*" href="([^"]+)"')


@pytest.fixture(scope="module")
def roleplays() -> list[rp.RolePlay]:
    return rp.load_roleplays(ROOT / "exercises" / "rollenspel", ROOT / "book")


def page_text(html: str) -> str:
    """What a reader sees of a page: tags removed, entities and typographic apostrophes
    undone, whitespace collapsed."""
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("’", "'").replace("‘", "'")
    return " ".join(text.split())


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_edition_with_the_role_plays_builds_strictly(docent_book):
    assert docent_book.returncode == 0, docent_book.log[-4000:]
    assert "WARNING" not in docent_book.log, docent_book.log[-4000:]


def test_the_toc_lists_the_overview_and_both_role_plays(docent_book, roleplays):
    overview = docent_book.page("rollenspel")
    for roleplay in roleplays:
        assert f'href="rollenspel_{roleplay.id}.html"' in overview


@pytest.mark.parametrize("roleplay_id", ["loonaangifteketen", "werkplein"])
def test_the_page_shows_every_role_with_its_position_and_hidden_interests(
        docent_book, roleplays, roleplay_id):
    roleplay = next(r for r in roleplays if r.id == roleplay_id)
    text = page_text(docent_book.page(f"rollenspel_{roleplay_id}"))
    for role in roleplay.roles:
        assert _flat(role.name) in text
        assert _flat(role.public) in text, role.id
        assert _flat(role.room) in text, role.id
        for hidden in role.hidden:
            assert f"{_flat(hidden.text)} ({rp.INVENTED_LABEL})" in text, role.id
    assert text.count(f"({rp.INVENTED_LABEL})") == sum(len(r.hidden) for r in roleplay.roles)


@pytest.mark.parametrize("roleplay_id", ["loonaangifteketen", "werkplein"])
def test_the_page_has_situation_line_ups_observation_steps_variants_and_debrief(
        docent_book, roleplays, roleplay_id):
    roleplay = next(r for r in roleplays if r.id == roleplay_id)
    html = docent_book.page(f"rollenspel_{roleplay_id}")
    text = page_text(html)
    assert _flat(roleplay.invented) in text
    assert _flat(roleplay.decision) in text
    for behaviour in roleplay.behaviours:
        assert _flat(behaviour.look_for) in text
    for step in roleplay.steps:
        assert _flat(step.text) in text
    for variant in roleplay.variants:
        assert _flat(variant.name) in text
    for question in roleplay.debrief:
        assert _flat(question.question) in text
        for item in question.listen_for:
            assert _flat(item) in text
    # one row per table of every group size, 8 to 15
    rows = sum(len(lineup.tables) for lineup in roleplay.lineups)
    assert html.count("<tr") >= rows + len(roleplay.behaviours) + len(roleplay.steps)
    # every background fact with a source shows a citation in the page's bibliography
    for source in roleplay.sources_used:
        assert source.title in text, source.key


def test_links_into_the_learner_book_land_on_an_existing_id(docent_book, built_book, roleplays):
    """Every chapter reference of the debrief and the observation list, and every objective,
    is a link that resolves to an element id in the built learner book."""
    assert built_book.returncode == 0, built_book.log[-3000:]
    checked = 0
    for roleplay in roleplays:
        html = docent_book.page(f"rollenspel_{roleplay.id}")
        hrefs = HREF.findall(html)
        expected = {f"{r.chapter.docname}.html#{rp.ref_anchor(r)}"
                    for q in roleplay.debrief for r in q.refs}
        assert expected <= {h.removeprefix("../../../html/") for h in hrefs}
        for href in hrefs:
            assert href.startswith("../../../html/book/"), href
            parts = urlsplit(href.removeprefix("../../../html/"))
            target = built_book.html / parts.path
            assert target.is_file(), href
            assert f'id="{parts.fragment}"' in target.read_text(encoding="utf-8"), href
            checked += 1
    assert checked > 40


def test_only_the_instructor_edition_loads_the_directive():
    """The learner book's configuration and the extension package it loads do not carry the
    role-play directive; the instructor edition's configuration does."""
    learner_config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "sphinxext.roleplay" not in learner_config
    package_init = (ROOT / "src/ketencursus/sphinxext/__init__.py").read_text(encoding="utf-8")
    assert "roleplay" not in package_init
    docent_config = (ROOT / "docent/_config.yml").read_text(encoding="utf-8")
    assert "ketencursus.sphinxext.roleplay" in docent_config


def test_page_markdown_names_every_role_once_as_a_heading(roleplays):
    for roleplay in roleplays:
        text = rp.page_markdown(roleplay)
        headings = re.findall(r"^### (.+)$", text, re.M)
        assert headings == [role.name for role in roleplay.roles]
