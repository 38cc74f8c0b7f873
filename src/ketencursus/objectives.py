"""Learning objectives (leerdoelen): one source of truth, the chapters themselves.

Every chapter opens with a ``{leerdoelen}`` directive whose content is YAML::

    ```{leerdoelen}
    - id: h2.1
      tekst: uitleggen waarom opgelegde samenwerking weerstand oproept
    ```

The Sphinx directive renders it; the question bank and the alignment table read the same
blocks through :func:`read_objectives`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ketencursus.errors import UserError

ID_PATTERN = re.compile(r"^h\d+\.\d+$")
BLOCK = re.compile(r"^(`{3,}|:{3,})\{leerdoelen\}[^\n]*\n(.*?)^\1\s*$", re.S | re.M)


class ObjectiveError(UserError, ValueError):
    """A malformed ``{leerdoelen}`` block."""


@dataclass(frozen=True)
class Objective:
    id: str
    text: str
    chapter: str  # document name without suffix, e.g. "book/h2_opgelegde_samenwerking"

    @property
    def anchor(self) -> str:
        return "leerdoel-" + self.id.replace(".", "-")


def parse_block(content: str, chapter: str, where: str = "") -> list[Objective]:
    """Parse the YAML content of one ``{leerdoelen}`` block."""
    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        raise ObjectiveError(f"{where}: leerdoelen zijn geen geldige YAML: {exc}") from exc
    if not isinstance(data, list) or not data:
        raise ObjectiveError(f"{where}: leerdoelen moeten een niet-lege lijst zijn")
    objectives = []
    for i, item in enumerate(data, 1):
        if not isinstance(item, dict) or set(item) != {"id", "tekst"}:
            raise ObjectiveError(
                f"{where}: leerdoel {i} moet precies de velden 'id' en 'tekst' hebben"
            )
        oid, text = str(item["id"]), str(item["tekst"]).strip()
        if not ID_PATTERN.match(oid):
            raise ObjectiveError(
                f"{where}: leerdoel-id {oid!r} heeft niet de vorm h<hoofdstuk>.<n>"
            )
        if not text:
            raise ObjectiveError(f"{where}: leerdoel {oid} heeft geen tekst")
        objectives.append(Objective(oid, text, chapter))
    return objectives


def read_objectives(book_dir: Path) -> dict[str, Objective]:
    """All objectives of the chapters in ``book_dir`` (``*.md``), keyed by id."""
    found: dict[str, Objective] = {}
    for path in sorted(book_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        chapter = f"{book_dir.name}/{path.stem}"
        for match in BLOCK.finditer(text):
            for objective in parse_block(match.group(2), chapter, str(path)):
                if objective.id in found:
                    raise ObjectiveError(f"{path}: leerdoel-id {objective.id} komt dubbel voor")
                found[objective.id] = objective
    return found
