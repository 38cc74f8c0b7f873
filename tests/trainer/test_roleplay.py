"""The role plays of a ketenoverleg: the two real definitions are complete and honest, and a
broken file gets a Dutch message that names the file, the place and what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ketencursus import fidelity
from ketencursus.errors import UserError
from ketencursus.trainer import roleplay as rp
from tests.support.booktext import strings as _strings

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = ROOT / "exercises" / "rollenspel"
BOOK = ROOT / "book"
SOURCE_COPY = ROOT / "tests" / "book" / "data" / "nora_weerbarstige_cultuurinvloeden.txt"

# The organisations issue 13 and the content review (section 6, item 6) ask for at the table.
REQUIRED = {
    "loonaangifteketen": ("Belastingdienst", "UWV", "CBS", "Ketenmanager"),
    "werkplein": ("UWV", "Gemeente", "Werkzoekende"),
}


@pytest.fixture(scope="module")
def roleplays() -> dict[str, rp.RolePlay]:
    return {r.id: r for r in rp.load_roleplays(DEFINITIONS, BOOK)}


# --- the real definitions ---------------------------------------------------------------


def test_both_role_plays_of_the_issue_are_defined(roleplays):
    assert set(roleplays) == set(REQUIRED)


@pytest.mark.parametrize("roleplay_id", sorted(REQUIRED))
def test_every_required_organisation_has_a_core_role_at_every_table(roleplays, roleplay_id):
    roleplay = roleplays[roleplay_id]
    for organisation in REQUIRED[roleplay_id]:
        roles = [r for r in roleplay.core_roles if r.organisation.startswith(organisation)
                 or r.name.startswith(organisation)]
        assert roles, f"{roleplay_id}: geen vaste rol voor {organisation}"
        for lineup in roleplay.lineups:
            for table in lineup.tables:
                assert set(roles) <= set(table.roles), (roleplay_id, organisation, lineup.size)


def test_the_werkplein_play_seats_a_citizen(roleplays):
    assert [r.id for r in roleplays["werkplein"].core_roles if r.kind == "citizen"] == [
        "werkzoekende"]


@pytest.mark.parametrize("roleplay_id", sorted(REQUIRED))
def test_every_role_has_a_public_position_and_at_least_two_hidden_interests(
        roleplays, roleplay_id):
    for role in roleplays[roleplay_id].roles:
        assert role.public and role.room and role.play, role.id
        assert len(role.hidden) >= 2, role.id
        assert len({h.text for h in role.hidden}) == len(role.hidden), role.id


@pytest.mark.parametrize("roleplay_id", sorted(REQUIRED))
def test_every_group_size_from_8_to_15_has_a_line_up_that_adds_up(roleplays, roleplay_id):
    roleplay = roleplays[roleplay_id]
    assert [lineup.size for lineup in roleplay.lineups] == list(range(8, 16))
    for lineup in roleplay.lineups:
        assert sum(t.players + t.observers for t in lineup.tables) == lineup.size
        assert sum(t.observers for t in lineup.tables) >= 2, lineup.size
        for table in lineup.tables:
            assert sum(r.kind == "chair" for r in table.roles) == 1


@pytest.mark.parametrize("roleplay_id", sorted(REQUIRED))
def test_timings_fit_a_classroom_block_of_60_to_75_minutes(roleplays, roleplay_id):
    roleplay = roleplays[roleplay_id]
    assert 60 <= roleplay.total_minutes <= 75
    assert {s.phase for s in roleplay.steps} == set(rp.PHASES_NL)


@pytest.mark.parametrize("roleplay_id", sorted(REQUIRED))
def test_the_debrief_ties_to_the_chapters_the_course_teaches(roleplays, roleplay_id):
    """Colours (h2 kleuren-diagnose), liever solo dan samen and the external goal (h3), the
    zaak (h4), olifantenpaadjes (h5), onder één dak (h6), building blocks (h1), plan (h7)."""
    roleplay = roleplays[roleplay_id]
    refs = [ref for q in roleplay.debrief for ref in q.refs]
    assert {ref.chapter.key for ref in refs} >= {"h1", "h2", "h3", "h4", "h5", "h6", "h7"}
    assert "kleuren-diagnose" in {ref.label for ref in refs}
    for question in roleplay.debrief:
        assert question.listen_for, question.question
        for ref in question.refs:
            assert ref.section in ref.chapter.sections
    kleuren = next(q for q in roleplay.debrief
                   if any(r.label == "kleuren-diagnose" for r in q.refs))
    assert "geel" in " ".join(kleuren.listen_for).lower()


@pytest.mark.parametrize("roleplay_id", sorted(REQUIRED))
def test_what_is_invented_is_said_to_be_invented_and_facts_carry_a_source(
        roleplays, roleplay_id):
    roleplay = roleplays[roleplay_id]
    assert "verzonnen" in roleplay.invented
    assert "constructie" in roleplay.invented
    # One fact has no entry in book/references.bib: the merger of CWI and UWV on 1 January
    # 2009, which chapter 6 states the same way. Anything else needs a source.
    unsourced = [b.text for b in roleplay.background if not b.sources]
    assert all("1 januari 2009 gingen CWI en UWV samen op" in t for t in unsourced), unsourced
    assert "1 januari 2009 gingen CWI en UWV samen op" in (BOOK / "h6_onder_een_dak.md").read_text(
        encoding="utf-8")
    for role in roleplay.roles:
        for hidden in role.hidden:
            if hidden.fact:
                assert hidden.fact.sources, role.id


def test_the_role_plays_copy_no_run_of_the_source_page(roleplays):
    source = fidelity.Source(SOURCE_COPY.read_text(encoding="utf-8"))
    items = []
    for roleplay in roleplays.values():
        data = yaml.safe_load(roleplay.path.read_text(encoding="utf-8"))
        items += [(f"{roleplay.id}", text) for text in _strings(data)]
    assert len(items) > 200
    findings = fidelity.check(source, items)
    assert findings == [], "\n".join(map(str, findings))


def test_secret_texts_hold_every_hidden_interest(roleplays):
    secrets = rp.secret_texts(list(roleplays.values()))
    hidden = [h for r in roleplays.values() for role in r.roles for h in role.hidden]
    assert len(secrets) == len(hidden) + sum(len(r.roles) for r in roleplays.values())
    assert " ".join(hidden[0].text.split()) in secrets


# --- broken files -----------------------------------------------------------------------


@pytest.fixture
def workdir(tmp_path) -> Path:
    """A copy of the real definitions to break."""
    target = tmp_path / "rollenspel"
    shutil.copytree(DEFINITIONS, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _problems(directory: Path) -> str:
    with pytest.raises(rp.RolePlayError) as caught:
        rp.load_roleplays(directory, BOOK)
    assert isinstance(caught.value, UserError)
    message = caught.value.user_message()
    assert message.startswith("de rollenspellen bevatten fouten; verbeter ze")
    return message


def test_a_core_role_missing_at_a_table_is_named(workdir):
    path = workdir / "loonaangifteketen.yml"

    def drop_cbs(data):
        table = data["scaling"][0]["tables"][0]
        table["roles"].remove("cbs")
        table["observers"] += 1

    _edit(path, drop_cbs)
    message = _problems(workdir)
    assert ("loonaangifteketen.yml: indeling voor 8 deelnemers, tafel 1: vaste rol 'cbs' "
            "ontbreekt; elke tafel heeft alle vaste rollen nodig") in message


def test_a_role_removed_from_the_file_but_still_seated_is_named(workdir):
    path = workdir / "werkplein.yml"
    _edit(path, lambda d: d.__setitem__("roles", [r for r in d["roles"]
                                                  if r["id"] != "privacy-adviseur"]))
    message = _problems(workdir)
    assert "werkplein.yml: indeling voor 9 deelnemers, tafel 1: rol 'privacy-adviseur' bestaat " \
           "niet" in message


def test_a_role_without_hidden_interests_is_refused(workdir):
    path = workdir / "werkplein.yml"

    def strip(data):
        del data["roles"][3]["hidden"]

    _edit(path, strip)
    assert "werkplein.yml: rol 'werkzoekende', veld 'hidden': verplicht veld ontbreekt" in \
        _problems(workdir)


def test_a_duplicate_role_id_is_refused(workdir):
    path = workdir / "loonaangifteketen.yml"
    _edit(path, lambda d: d["roles"][4].__setitem__("id", "uwv"))
    message = _problems(workdir)
    assert "loonaangifteketen.yml: veld 'roles': rol-id 'uwv' komt meer dan één keer voor" in \
        message


def test_an_unknown_chapter_reference_is_refused(workdir):
    path = workdir / "loonaangifteketen.yml"
    _edit(path, lambda d: d["debrief"][2]["refs"].__setitem__(0, {"chapter": "h9"}))
    message = _problems(workdir)
    assert "loonaangifteketen.yml: nabespreekvraag 3: hoofdstuk 'h9' bestaat niet in het boek " \
           "(bekend: h1, h2, h3, h4, h5, h6, h7)" in message


def test_a_section_that_is_not_a_heading_of_the_chapter_is_refused(workdir):
    path = workdir / "werkplein.yml"
    _edit(path, lambda d: d["debrief"][0]["refs"].__setitem__(
        0, {"chapter": "h3", "section": "Liever solo"}))
    message = _problems(workdir)
    assert "werkplein.yml: nabespreekvraag 1: h3_liever_solo_dan_samen.md heeft geen kopje " \
           "'Liever solo'" in message


def test_an_unknown_label_is_refused_with_the_labels_that_exist(workdir):
    path = workdir / "werkplein.yml"
    _edit(path, lambda d: d["observation"]["behaviours"][4]["refs"].__setitem__(
        0, {"chapter": "h2", "label": "kleurendiagnose"}))
    message = _problems(workdir)
    assert "werkplein.yml: waarneming 'wit': h2_opgelegde_samenwerking.md heeft geen label " \
           "(kleurendiagnose)= (labels in dat hoofdstuk: kleuren-diagnose, " \
           "loonaangifte-2006-2007)" in message


def test_an_unknown_objective_and_source_are_refused(workdir):
    path = workdir / "werkplein.yml"

    def break_it(data):
        data["objectives"].append("h6.9")
        data["background"][0]["sources"] = ["kamerstuk99999"]

    _edit(path, break_it)
    message = _problems(workdir)
    assert "werkplein.yml: veld 'objectives': leerdoel h6.9 bestaat niet" in message
    assert "werkplein.yml: achtergrond 1: bron 'kamerstuk99999' staat niet in " \
           "book/references.bib" in message


def test_a_missing_group_size_and_a_wrong_head_count_are_refused(workdir):
    path = workdir / "loonaangifteketen.yml"

    def break_it(data):
        data["scaling"] = [line for line in data["scaling"] if line["size"] != 12]
        data["scaling"][0]["tables"][0]["observers"] = 1

    _edit(path, break_it)
    message = _problems(workdir)
    assert "veld 'scaling': geen indeling voor groepsgrootte 12" in message
    assert "indeling voor 8 deelnemers: spelers en waarnemers zijn samen 6, niet 8" in message


def test_timings_outside_a_classroom_block_are_refused(workdir):
    path = workdir / "werkplein.yml"
    _edit(path, lambda d: d["timing"].__setitem__("play", 50))
    assert "werkplein.yml: veld 'timing': de fasen duren samen 95 minuten" in _problems(workdir)


def test_an_id_that_differs_from_the_file_name_is_refused(workdir):
    (workdir / "werkplein.yml").rename(workdir / "werkplein-oud.yml")
    message = _problems(workdir)
    assert "werkplein-oud.yml: veld 'id': 'werkplein' moet gelijk zijn aan de bestandsnaam" in \
        message


def test_a_typo_in_a_field_name_lists_the_allowed_fields(workdir):
    path = workdir / "loonaangifteketen.yml"
    _edit(path, lambda d: d["roles"][0].__setitem__("publiek", "x"))
    message = _problems(workdir)
    assert "rol 'ketenmanager', veld 'publiek': onbekend veld (tikfout?); toegestaan zijn:" in \
        message


def test_invalid_yaml_names_the_line(workdir):
    (workdir / "werkplein.yml").write_text("id: werkplein\nroles: [a,\n", encoding="utf-8")
    message = _problems(workdir)
    assert "werkplein.yml: bestand is geen geldige YAML (regel" in message


def test_every_problem_of_every_file_is_reported_at_once(workdir):
    _edit(workdir / "werkplein.yml", lambda d: d["timing"].__setitem__("play", 50))
    _edit(workdir / "loonaangifteketen.yml", lambda d: d["timing"].__setitem__("play", 1))
    message = _problems(workdir)
    assert "werkplein.yml" in message and "loonaangifteketen.yml" in message


def test_a_missing_directory_and_an_unknown_id_get_a_dutch_message(tmp_path):
    with pytest.raises(rp.RolePlayError, match="map met rollenspellen bestaat niet"):
        rp.load_roleplays(tmp_path / "nergens", BOOK)
    with pytest.raises(rp.RolePlayError, match=r"rollenspel 'schaak' bestaat niet .*"
                                              r"\(wel: loonaangifteketen, werkplein\)"):
        rp.load_roleplay(DEFINITIONS, BOOK, "schaak")
