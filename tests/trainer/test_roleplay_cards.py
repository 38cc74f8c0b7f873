"""The printed role-play material: a situation card, one role card per role and the
observation form per role play, made by the worksheet engine from the same definitions as
the docent page. Every registered sheet is rendered to PDF and held to A4 and its page limit
by ``tests/trainer/test_worksheets.py``; here the content is checked on the sheets' HTML, and
the longest role card of each role play is printed and read back with pdfinfo and pdftotext."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import pytest

from ketencursus.trainer import roleplay as rp
from ketencursus.trainer.worksheets import Imprint, registry, render_html, render_pdf

ROOT = Path(__file__).resolve().parents[2]
A4 = "595.276 x 841.89 pts (A4)"  # pdfinfo's words for an A4 page (210 x 297 mm)


@pytest.fixture(scope="module")
def roleplays() -> list[rp.RolePlay]:
    return rp.load_roleplays(ROOT / "exercises" / "rollenspel", ROOT / "book")


@pytest.fixture(scope="module")
def imprint() -> Imprint:
    return Imprint.from_repository(ROOT)


@pytest.fixture(scope="module")
def sheets(roleplays, imprint) -> dict[str, tuple[object, str]]:
    """Every role-play sheet: id -> (sheet, the words of its HTML)."""
    out = {}
    for roleplay in roleplays:
        for sheet in rp.roleplay_sheets(roleplay):
            out[sheet.id] = (sheet, _words(unescape(re.sub(r"<[^>]+>", " ",
                                                            render_html(sheet, imprint)))))
    return out


def _words(text: str) -> str:
    """The words of a text, with the PDF's automatic Dutch hyphenation at line ends undone
    (WeasyPrint breaks with U+2010)."""
    text = text.replace("\u2010\n", "").replace("\u00ad", "")
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def test_the_worksheet_registry_carries_every_role_play_sheet(roleplays):
    assert "ketencursus.trainer.roleplay" in registry.SHEET_MODULES
    registered = [sheet.id for sheet in registry.all_sheets()]
    for roleplay in roleplays:
        ids = rp.sheet_ids(roleplay)
        assert ids == [i for i in registered if i.startswith(f"rollenspel-{roleplay.id}-")]
        assert len(ids) == len(roleplay.roles) + 2


def test_every_role_has_its_own_one_page_card(roleplays, sheets):
    for roleplay in roleplays:
        for role in roleplay.roles:
            sheet, words = sheets[f"rollenspel-{roleplay.id}-{role.id}"]
            assert sheet.max_pages == 1, role.id
            assert _words(role.public) in words, role.id
            assert _words(role.room) in words, role.id
            for hidden in role.hidden:
                assert _words(hidden.text) in words, (role.id, hidden.text)
            assert words.count(_words(rp.INVENTED_LABEL)) == len(role.hidden), role.id


def test_the_observation_form_lists_every_behaviour_with_its_chapter(roleplays, sheets):
    for roleplay in roleplays:
        _, words = sheets[f"rollenspel-{roleplay.id}-waarnemers"]
        for behaviour in roleplay.behaviours:
            assert _words(behaviour.look_for) in words, behaviour.id
            for ref in behaviour.refs:
                assert _words(f"H{ref.chapter.number} § {ref.section}") in words, behaviour.id


def test_the_situation_card_holds_the_decision_and_no_hidden_interest(roleplays, sheets):
    for roleplay in roleplays:
        _, words = sheets[f"rollenspel-{roleplay.id}-situatie"]
        assert _words(roleplay.decision) in words
        assert _words(roleplay.invented) in words
        for role in roleplay.roles:
            for hidden in role.hidden:
                assert _words(hidden.text) not in words


@pytest.mark.parametrize("roleplay_id", ["loonaangifteketen", "werkplein"])
def test_the_longest_role_card_prints_on_one_tagged_a4_page(roleplays, imprint, tmp_path,
                                                           roleplay_id):
    roleplay = next(r for r in roleplays if r.id == roleplay_id)
    sheets = {s.id: s for s in rp.roleplay_sheets(roleplay)}
    longest = max(roleplay.roles, key=lambda r: sum(map(len, (
        r.who, r.public, r.room, r.play, *(h.text for h in r.hidden)))))
    pdf = tmp_path / "kaart.pdf"
    pdf.write_bytes(render_pdf(sheets[f"rollenspel-{roleplay.id}-{longest.id}"], imprint).pdf)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert A4 in info and re.search(r"^Tagged:\s+yes$", info, re.M), info
    text = _words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                 check=True).stdout)
    for hidden in longest.hidden:
        assert _words(hidden.text) in text, hidden.text


def test_a_broken_role_play_stops_the_worksheet_command_with_its_dutch_message(
        tmp_path, monkeypatch, capsys):
    """``ketencursus werkbladen`` in a course whose role play lost a core role at a table:
    exit code 2 and the loader's message naming file, table and role, nothing written."""
    import shutil

    import yaml

    from ketencursus import cli

    course = tmp_path / "cursus"
    for name in ("_config.yml", "_toc.yml", "pyproject.toml"):
        (course / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, course / name)
    shutil.copytree(ROOT / "book", course / "book")
    shutil.copytree(ROOT / "exercises" / "rollenspel", course / "exercises" / "rollenspel")
    path = course / "exercises" / "rollenspel" / "werkplein.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["scaling"][0]["tables"][0]["roles"].remove("werkzoekende")
    data["scaling"][0]["tables"][0]["observers"] += 1
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.chdir(course)
    monkeypatch.delenv("KETENCURSUS_ROOT", raising=False)

    code = cli.main(["werkbladen", "-o", str(tmp_path / "uit")])

    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: de rollenspellen bevatten fouten")
    assert "werkplein.yml: indeling voor 8 deelnemers, tafel 1: vaste rol 'werkzoekende' " \
           "ontbreekt" in err
    assert not any((tmp_path / "uit").glob("*.pdf"))
