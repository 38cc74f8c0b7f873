"""The blended timetable (rooster): online blocks, classroom sessions and the follow-up.

One source, ``rooster.yml`` next to this module; the instructor edition renders it with the
``{docent-rooster}`` directive. A session's parts must add up to its length: the loader refuses
a timetable whose minutes do not (Dutch message naming the session).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from ketencursus.errors import UserError

KINDS = ("online", "bijeenkomst", "terugkom")


class RoosterError(UserError, ValueError):
    """The timetable is malformed; the message names the block and the field."""


@dataclass(frozen=True)
class Material:
    text: str
    page: str | None = None  # a docname of the instructor edition
    boek: str | None = None  # a docname of the learner book


@dataclass(frozen=True)
class Part:
    title: str
    minutes: int
    grouping: str
    description: str
    materials: tuple[Material, ...] = ()


@dataclass(frozen=True)
class Block:
    id: str
    kind: str
    title: str
    chapters: tuple[str, ...]
    weeks: int | None = None
    minutes: int | None = None
    goal: str = ""
    parts: tuple[Part, ...] = ()
    learners: tuple[Material, ...] = ()
    trainer: tuple[Material, ...] = ()
    trainer_preparation: tuple[str, ...] = ()
    learner_preparation: tuple[str, ...] = ()

    @property
    def planned_minutes(self) -> int:
        return sum(p.minutes for p in self.parts)

    def schedule(self) -> list[tuple[int, int, Part]]:
        """(start, end, part) in minutes from the start of the session."""
        out, t = [], 0
        for part in self.parts:
            out.append((t, t + part.minutes, part))
            t += part.minutes
        return out


@dataclass(frozen=True)
class Rooster:
    blocks: tuple[Block, ...]
    path: Path | str

    def block(self, block_id: str) -> Block:
        for b in self.blocks:
            if b.id == block_id:
                return b
        raise KeyError(block_id)

    def of_kind(self, *kinds: str) -> list[Block]:
        return [b for b in self.blocks if b.kind in kinds]


def _text(value: object) -> str:
    return " ".join(str(value or "").split())


def _materials(items: object, where: str) -> tuple[Material, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise RoosterError(f"{where}: verwacht een lijst")
    out = []
    for n, item in enumerate(items, 1):
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict) or not _text(item.get("text")) or \
                set(item) - {"text", "page", "boek"}:
            raise RoosterError(f"{where}[{n}]: verwacht 'text' en eventueel 'page' of 'boek'")
        out.append(Material(_text(item["text"]), item.get("page"), item.get("boek")))
    return tuple(out)


def _minutes(value: object, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise RoosterError(f"{where}: 'minutes' moet een positief geheel getal zijn "
                           f"(nu {value!r})")
    return value


def parse_rooster(data: object, path: Path | str) -> Rooster:
    """Validate the timetable's data; every problem at once, in Dutch."""
    if not isinstance(data, dict) or not isinstance(data.get("blocks"), list):
        raise RoosterError(f"{path}: verwacht een veld 'blocks' met een lijst")
    blocks: list[Block] = []
    problems: list[str] = []
    for n, raw in enumerate(data["blocks"], 1):
        where = f"{path}: blok {n}"
        try:
            if not isinstance(raw, dict) or not raw.get("id") or raw.get("kind") not in KINDS:
                raise RoosterError(f"{where}: verwacht 'id' en 'kind' ({', '.join(KINDS)})")
            where = f"{path}: blok {raw['id']}"
            parts = []
            for m, p in enumerate(raw.get("parts") or [], 1):
                pw = f"{where}, onderdeel {m}"
                if not isinstance(p, dict) or not _text(p.get("title")):
                    raise RoosterError(f"{pw}: verwacht een 'title'")
                parts.append(Part(_text(p["title"]), _minutes(p.get("minutes"), pw),
                                  _text(p.get("grouping")), _text(p.get("description")),
                                  _materials(p.get("materials"), f"{pw}.materials")))
            block = Block(
                str(raw["id"]), raw["kind"], _text(raw.get("title")),
                tuple(raw.get("chapters") or ()), raw.get("weeks"),
                raw.get("minutes"), _text(raw.get("goal")), tuple(parts),
                _materials(raw.get("learners"), f"{where}.learners"),
                _materials(raw.get("trainer"), f"{where}.trainer"),
                tuple(_text(t) for t in raw.get("trainer_preparation") or ()),
                tuple(_text(t) for t in raw.get("learner_preparation") or ()),
            )
            if block.kind == "online":
                if not isinstance(block.weeks, int) or block.weeks <= 0 or block.parts:
                    raise RoosterError(f"{where}: een online blok heeft 'weeks' (een positief "
                                       "geheel getal) en geen onderdelen")
            else:
                length = _minutes(block.minutes, where)
                if not block.parts:
                    raise RoosterError(f"{where}: een bijeenkomst heeft onderdelen")
                if block.planned_minutes != length:
                    raise RoosterError(
                        f"{where}: de onderdelen duren samen {block.planned_minutes} minuten, "
                        f"de bijeenkomst {length}; pas de minuten aan tot ze optellen tot "
                        f"{length}")
            blocks.append(block)
        except RoosterError as exc:
            problems.append(str(exc))
    ids = [b.id for b in blocks]
    problems += [f"{path}: blok-id {i} komt dubbel voor" for i in sorted(set(ids))
                 if ids.count(i) > 1]
    if problems:
        raise RoosterError("\n".join(problems))
    return Rooster(tuple(blocks), path)


def load_rooster(path: Path | None = None) -> Rooster:
    """The timetable: ``path``, or the course's own ``rooster.yml``."""
    if path is None:
        text = resources.files("ketencursus.trainer").joinpath("rooster.yml").read_text(
            encoding="utf-8")
        where: Path | str = "ketencursus/trainer/rooster.yml"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise RoosterError(f"{path}: niet te lezen ({exc})") from exc
        where = path
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RoosterError(f"{where}: geen geldige YAML: {exc}") from exc
    return parse_rooster(data, where)


# --------------------------------------------------------------------------- rendering


def clock(minutes: int) -> str:
    """Minutes from the start as h:mm (``0:00``, ``1:05``)."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def material_markdown(material: Material, pages: set[str]) -> str:
    """A material as MyST: a link to a page of the edition when it exists (``pages``), to the
    learner book when it names a book page, else the text alone."""
    if material.page and material.page in pages:
        return f"{{doc}}`{material.text} <{material.page}>`"
    if material.boek:
        return f"{{leerlingboek}}`{material.text} <{material.boek}>`"
    return material.text


def chapters_nl(chapters: tuple[str, ...]) -> str:
    """``("h1", "h2", "h3")`` -> ``"hoofdstuk 1, 2 en 3"``."""
    numbers = [c.removeprefix("h") for c in chapters]
    listed = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " en " + numbers[-1]
    return ("hoofdstuk " if len(numbers) == 1 else "hoofdstukken ") + listed


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def block_markdown(block: Block, pages: set[str]) -> str:
    """One block of the timetable: the online tasks, or the session's table with times."""
    lines: list[str] = []
    if block.kind == "online":
        lines += [f"*{block.weeks} weken online; {chapters_nl(block.chapters)}.*", "",
                  "**De cursisten**", ""]
        lines += [f"- {material_markdown(m, pages)}" for m in block.learners]
        lines += ["", "**De docent**", ""]
        lines += [f"- {material_markdown(m, pages)}" for m in block.trainer]
        return "\n".join(lines)
    lines += [f"*{block.minutes} minuten; bij {chapters_nl(block.chapters)}.* "
              + block.goal, "",
              "| Tijd | Onderdeel | Groepsindeling | Materiaal |", "|---|---|---|---|"]
    for start, end, part in block.schedule():
        what = f"**{_cell(part.title)}** ({part.minutes} min)"
        if part.description and part.description != "-":
            what += " " + _cell(part.description)
        stuff = "; ".join(_cell(material_markdown(m, pages)) for m in part.materials) or "–"
        lines.append(f"| {clock(start)}–{clock(end)} | {what} | {_cell(part.grouping)} | "
                     f"{stuff} |")
    lines += ["", "**Voorbereiding van de docent**", ""]
    lines += [f"- {t}" for t in block.trainer_preparation]
    lines += ["", "**Voorbereiding van de deelnemers**", ""]
    lines += [f"- {t}" for t in block.learner_preparation]
    return "\n".join(lines)
