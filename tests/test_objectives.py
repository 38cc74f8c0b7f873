from __future__ import annotations

import pytest

from ketencursus.objectives import ObjectiveError, parse_block, read_objectives


def test_objectives_block_parses_ids_and_texts():
    objectives = parse_block("- id: h2.1\n  tekst: uitleggen waarom\n", "book/h2_x")
    assert [(o.id, o.text, o.anchor) for o in objectives] == [
        ("h2.1", "uitleggen waarom", "leerdoel-h2-1")
    ]


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("- id: 2.1\n  tekst: x\n", "heeft niet de vorm"),
        ("- id: h2.1\n", "precies de velden"),
        ("[]", "niet-lege lijst"),
        ("- id: h2.1\n  tekst: '  '\n", "geen tekst"),
        ("- id: [h2\n", "geen geldige YAML"),
    ],
)
def test_malformed_objectives_block_names_the_problem(content, fragment):
    with pytest.raises(ObjectiveError, match=fragment):
        parse_block(content, "book/h2_x", "book/h2_x.md")


def test_duplicate_objective_ids_across_chapters_are_refused(tmp_path):
    block = "```{leerdoelen}\n- id: h1.1\n  tekst: iets\n```\n"
    (tmp_path / "a.md").write_text("# A\n" + block, encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n" + block, encoding="utf-8")
    with pytest.raises(ObjectiveError, match="dubbel"):
        read_objectives(tmp_path)


def test_objectives_are_read_from_chapter_files(tmp_path):
    (tmp_path / "h1_a.md").write_text(
        "# A\n\n```{leerdoelen}\n- id: h1.1\n  tekst: iets doen\n- id: h1.2\n  tekst: meer\n```\n",
        encoding="utf-8",
    )
    found = read_objectives(tmp_path)
    assert sorted(found) == ["h1.1", "h1.2"]
    assert found["h1.1"].chapter == f"{tmp_path.name}/h1_a"
