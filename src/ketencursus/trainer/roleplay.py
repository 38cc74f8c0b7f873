"""Role plays of a ketenoverleg for the classroom: one YAML file per role play, one source for
the docent page (:mod:`ketencursus.sphinxext.roleplay`) and the printable role cards.

Layout: ``exercises/rollenspel/<id>.yml``, validated against the versioned JSON schema
``trainer/roleplay.schema.json`` and then checked against the learner book itself:

* the file name is the id, role ids and observation ids are unique, there is one chair;
* every group size from 8 to 15 has exactly one line-up, its players and observers add up to
  the size, every table seats every core role, and every role sits at some table;
* the timings add up to 60-75 minutes (a classroom block of a three-hour session);
* every chapter reference (``{chapter: h3, section: ...}`` or ``{chapter: h2, label: ...}``)
  names an existing chapter file, one of its headings or one of its ``(label)=`` targets;
* every objective exists in a chapter's ``{leerdoelen}`` block and every source is a key of
  ``book/references.bib``.

Every problem is reported in Dutch with the file, the place and what to do, for example::

    exercises/rollenspel/werkplein.yml: rol 'uwv', veld 'hidden': moet minstens 2 elementen hebben

The role cards (with their hidden interests) are instructor material: nothing in the learner
book or the student release may contain them (see :func:`secret_texts` and
``tests/trainer/test_roleplay_no_leak.py``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from ketencursus.errors import UserError
from ketencursus.objectives import ObjectiveError, read_objectives

SCHEMA_VERSION = 1
SCHEMA_RESOURCE = "roleplay.schema.json"
GROUP_SIZES = range(8, 16)  # groups of at most 15; below 8 the exercise loses its observers
TOTAL_MINUTES = (60, 75)
PHASES_NL = {
    "briefing": "Briefing",
    "preparation": "Voorbereiding",
    "play": "Spel",
    "step_out": "Uit de rol",
    "debrief": "Nabespreking",
}
KINDS_NL = {"chair": "voorzitter", "partner": "ketenpartner", "citizen": "burger",
            "guest": "gast"}


class RolePlayError(UserError, ValueError):
    """One or more problems in the role-play definitions; ``problems`` holds one message each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def user_message(self) -> str:
        listed = "\n".join(f"  - {problem}" for problem in self.problems)
        return f"de rollenspellen bevatten fouten; verbeter ze en probeer opnieuw:\n{listed}"


# --- the book the references point into -------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    key: str  # "h3"
    path: Path
    title: str
    sections: tuple[str, ...]
    labels: dict[str, str]  # label -> the title of the heading it stands before

    @property
    def number(self) -> int:
        return int(self.key[1:])

    @property
    def docname(self) -> str:
        return f"book/{self.path.stem}"


@dataclass(frozen=True)
class Source:
    key: str
    authors: str
    title: str
    year: str
    detail: str

    def citation(self) -> str:
        """One line: ``Auteur (jaar). *Titel*. Detail.`` (plain text, Markdown emphasis)."""
        detail = f" {self.detail}." if self.detail else ""
        return f"{self.authors} ({self.year}). *{self.title}*.{detail}"


_HEADING = re.compile(r"^(#{1,4})\s+(.+?)\s*$")
_LABEL = re.compile(r"^\(([A-Za-z0-9_-]+)\)=\s*$")


def _read_chapter(key: str, path: Path) -> Chapter:
    title = ""
    sections: list[str] = []
    labels: dict[str, str] = {}
    pending: list[str] = []
    in_fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        label = _LABEL.match(line)
        if label:
            pending.append(label.group(1))
            continue
        heading = _HEADING.match(line)
        if heading:
            text = heading.group(2)
            if len(heading.group(1)) == 1 and not title:
                title = text
            else:
                sections.append(text)
            for name in pending:
                labels[name] = text
            pending = []
    return Chapter(key, path, title, tuple(sections), labels)


def _plain(latex: str) -> str:
    """A BibTeX field as plain text (``{\\'e}`` becomes ``é``), through pybtex's own
    plain-text backend (``render_as`` looks the backend up again for every call: slow)."""
    from pybtex.backends.plaintext import Backend
    from pybtex.richtext import Text

    return Text.from_latex(latex).render(Backend())


def _authors(entry: Any) -> str:
    people = [_plain(str(p)) for p in entry.persons.get("author", [])]
    if len(people) > 2:
        return f"{people[0]} e.a."
    return " en ".join(people) or "z.n."


@dataclass(frozen=True)
class BookIndex:
    """What the role plays may refer to: chapters, objectives and bibliography of the book."""

    chapters: dict[str, Chapter]
    objectives: frozenset[str]
    sources: dict[str, Source]

    @classmethod
    def read(cls, book_dir: Path) -> BookIndex:
        book_dir = Path(book_dir)
        if not book_dir.is_dir():
            raise RolePlayError([f"{book_dir}: map van het boek bestaat niet; de rollenspellen "
                                 "verwijzen naar de hoofdstukken daarin"])
        chapters: dict[str, Chapter] = {}
        for path in sorted(book_dir.glob("h*_*.md")):
            match = re.match(r"(h\d+)_", path.name)
            if match:
                chapters[match.group(1)] = _read_chapter(match.group(1), path)
        try:
            objectives = frozenset(read_objectives(book_dir))
        except ObjectiveError as exc:
            raise RolePlayError([f"de leerdoelen van het boek zijn niet te lezen: {exc}"]) from exc
        return cls(chapters, objectives, _read_sources(book_dir / "references.bib"))


def _read_sources(bib: Path) -> dict[str, Source]:
    if not bib.is_file():
        return {}
    from pybtex.database import parse_string

    out: dict[str, Source] = {}
    for key, entry in parse_string(bib.read_text(encoding="utf-8"), "bibtex").entries.items():
        fields = entry.fields
        detail = fields.get("howpublished") or fields.get("number") or fields.get("publisher") or ""
        out[key] = Source(
            key=key,
            authors=_authors(entry),
            title=_plain(fields.get("title", key)),
            year=str(fields.get("year", "z.j.")),
            detail=_plain(detail) if detail else "",
        )
    return out


# --- the role play ----------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A resolved reference into the learner book."""

    chapter: Chapter
    section: str | None  # the heading the reference points at, if any
    label: str | None

    def text(self) -> str:
        """Dutch, for a trainer: ``hoofdstuk 2, Weerstand bij …, § Kleurendenken als diagnose``."""
        where = f"hoofdstuk {self.chapter.number}, *{self.chapter.title}*"
        return f"{where}, § {self.section}" if self.section else where


@dataclass(frozen=True)
class Fact:
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class HiddenInterest:
    """Always the course's construction ("verzonnen"); ``fact`` is the real fact it builds on."""

    text: str
    fact: Fact | None


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    organisation: str
    kind: str
    core: bool
    who: str
    public: str
    hidden: tuple[HiddenInterest, ...]
    room: str
    play: str

    @property
    def kind_nl(self) -> str:
        return KINDS_NL[self.kind]


@dataclass(frozen=True)
class Table:
    roles: tuple[Role, ...]
    observers: int

    @property
    def players(self) -> int:
        return len(self.roles)


@dataclass(frozen=True)
class LineUp:
    size: int
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class Behaviour:
    id: str
    look_for: str
    refs: tuple[Ref, ...]


@dataclass(frozen=True)
class DebriefQuestion:
    question: str
    purpose: str
    listen_for: tuple[str, ...]
    refs: tuple[Ref, ...]


@dataclass(frozen=True)
class Step:
    phase: str
    minutes: int
    text: str

    @property
    def phase_nl(self) -> str:
        return PHASES_NL[self.phase]


@dataclass(frozen=True)
class Variant:
    name: str
    text: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class BackgroundFact:
    text: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class RolePlay:
    id: str
    title: str
    summary: str
    objectives: tuple[str, ...]
    timing: dict[str, int]
    background: tuple[BackgroundFact, ...]
    invented: str
    situation: str
    table_facts: tuple[str, ...]
    agenda: tuple[str, ...]
    decision: str
    roles: tuple[Role, ...]
    lineups: tuple[LineUp, ...]
    observer_task: str
    behaviours: tuple[Behaviour, ...]
    preparation: tuple[str, ...]
    steps: tuple[Step, ...]
    notes: tuple[str, ...]
    variants: tuple[Variant, ...]
    debrief: tuple[DebriefQuestion, ...]
    path: Path
    sources_used: tuple[Source, ...] = field(default=())
    chapters: dict[str, Chapter] = field(default_factory=dict)  # the book's, by key ("h3")

    @property
    def total_minutes(self) -> int:
        return sum(self.timing.values())

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)

    @property
    def chair(self) -> Role:
        return next(r for r in self.roles if r.kind == "chair")

    @property
    def core_roles(self) -> tuple[Role, ...]:
        return tuple(r for r in self.roles if r.core)

    def lineup(self, size: int) -> LineUp:
        for lineup in self.lineups:
            if lineup.size == size:
                return lineup
        raise KeyError(size)


# --- validation -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("ketencursus.trainer").joinpath(SCHEMA_RESOURCE).read_text("utf-8")
    return json.loads(text)


_TYPES_NL = {"string": "tekst", "number": "getal", "boolean": "true/false", "array": "lijst",
             "object": "blok met velden", "integer": "geheel getal"}


def _where(data: Any, path: list[Any]) -> str:
    """``rol 'uwv', veld 'hidden[0].text'`` for a path into ``roles``; ``veld 'x.y'`` else."""
    prefix = ""
    rest = path
    sections = {"roles": "rol", "debrief": "nabespreekvraag", "variants": "variant"}
    if len(path) >= 2 and path[0] in sections and isinstance(path[1], int):
        items = data.get(path[0]) if isinstance(data, dict) else None
        item = items[path[1]] if isinstance(items, list) and path[1] < len(items) else None
        name = item.get("id") or item.get("name") if isinstance(item, dict) else None
        prefix = f"{sections[path[0]]} '{name}'" if name and path[0] != "debrief" else \
            f"{sections[path[0]]} {path[1] + 1}"
        rest = path[2:]
    dotted = ""
    for part in rest:
        dotted += f"[{part}]" if isinstance(part, int) else (f".{part}" if dotted else str(part))
    if prefix and dotted:
        return f"{prefix}, veld '{dotted}'"
    return prefix or (f"veld '{dotted}'" if dotted else "bestand")


def _schema_message(error: Any) -> tuple[list[Any], str]:
    path = list(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = [p for p in error.validator_value if p not in (error.instance or {})]
        return path + missing[:1], "verplicht veld ontbreekt"
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return path + extra[:1], f"onbekend veld (tikfout?); toegestaan zijn: {allowed}"
    if kind == "enum":
        return path, "moet een van deze waarden zijn: " + ", ".join(map(str, error.validator_value))
    if kind == "const":
        return path, f"moet {error.validator_value!r} zijn (de schemaversie die deze code kent)"
    if kind == "type":
        wanted = _TYPES_NL.get(error.validator_value, error.validator_value)
        return path, f"moet van het type {wanted} zijn"
    if kind == "pattern" and error.validator_value == "\\S":
        return path, "mag niet leeg zijn"
    if kind == "pattern":
        return path, f"heeft niet de vorm {error.validator_value} (waarde {error.instance!r})"
    if kind == "minItems":
        return path, f"moet minstens {error.validator_value} elementen hebben"
    if kind == "maxItems":
        return path, f"mag hoogstens {error.validator_value} elementen hebben"
    if kind in ("minimum", "maximum"):
        return path, f"waarde {error.instance!r} valt buiten het toegestane bereik"
    return path, error.message


def _schema_problems(data: Any, source: str) -> list[str]:
    validator = Draft202012Validator(schema())
    problems = []
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        path, message = _schema_message(error)
        problems.append(f"{source}: {_where(data, path)}: {message}")
    return problems


def _duplicates(values: list[str]) -> list[str]:
    seen: set[str] = set()
    dupes: list[str] = []
    for value in values:
        if value in seen and value not in dupes:
            dupes.append(value)
        seen.add(value)
    return dupes


def _check_ref(ref: dict, book: BookIndex) -> str | None:
    """A Dutch problem with one chapter reference, or None."""
    chapter = book.chapters.get(ref["chapter"])
    if chapter is None:
        known = ", ".join(sorted(book.chapters, key=lambda k: int(k[1:]))) or "geen"
        return (f"hoofdstuk {ref['chapter']!r} bestaat niet in het boek (bekend: {known})")
    if "section" in ref and ref["section"] not in chapter.sections:
        return (f"{chapter.path.name} heeft geen kopje {ref['section']!r}; neem de tekst van een "
                "kopje precies over")
    if "label" in ref and ref["label"] not in chapter.labels:
        known = ", ".join(sorted(chapter.labels)) or "geen"
        return (f"{chapter.path.name} heeft geen label ({ref['label']})= (labels in dat "
                f"hoofdstuk: {known})")
    return None


def _semantic_problems(data: dict, source: str, stem: str, book: BookIndex) -> list[str]:
    problems: list[str] = []

    def report(where: str, message: str) -> None:
        problems.append(f"{source}: {where}: {message}")

    if data["id"] != stem:
        report("veld 'id'", f"{data['id']!r} moet gelijk zijn aan de bestandsnaam; noem het "
               f"bestand {data['id']}.yml of verander het id in {stem!r}")
    role_ids = [r["id"] for r in data["roles"]]
    for dupe in _duplicates(role_ids):
        report("veld 'roles'", f"rol-id {dupe!r} komt meer dan één keer voor; geef elke rol een "
               "eigen id")
    chairs = [r["id"] for r in data["roles"] if r["kind"] == "chair"]
    if len(chairs) != 1:
        report("veld 'roles'", f"een overleg heeft precies één voorzitter (kind: chair); nu "
               f"{len(chairs)}")
    core = [r["id"] for r in data["roles"] if r["core"]]
    if len(core) < 3:
        report("veld 'roles'", "minstens drie rollen moeten vast zijn (core: true); nu "
               f"{len(core)}")
    for dupe in _duplicates([b["id"] for b in data["observation"]["behaviours"]]):
        report("veld 'observation.behaviours'", f"id {dupe!r} komt meer dan één keer voor")

    total = sum(data["timing"].values())
    low, high = TOTAL_MINUTES
    if not low <= total <= high:
        report("veld 'timing'", f"de fasen duren samen {total} minuten; een rollenspel in een "
               f"klassikale sessie duurt {low} tot {high} minuten")

    sizes = [line["size"] for line in data["scaling"]]
    for dupe in _duplicates([str(s) for s in sizes]):
        report("veld 'scaling'", f"groepsgrootte {dupe} staat er meer dan één keer in")
    missing = [str(n) for n in GROUP_SIZES if n not in sizes]
    if missing:
        report("veld 'scaling'", "geen indeling voor groepsgrootte " + ", ".join(missing)
               + f"; geef voor elke grootte van {GROUP_SIZES[0]} tot en met {GROUP_SIZES[-1]} "
               "een indeling")
    seated: set[str] = set()
    for line in data["scaling"]:
        size = line["size"]
        people = sum(len(t["roles"]) + t["observers"] for t in line["tables"])
        if people != size:
            report(f"indeling voor {size} deelnemers",
                   f"spelers en waarnemers zijn samen {people}, niet {size}")
        for number, table in enumerate(line["tables"], 1):
            where = f"indeling voor {size} deelnemers, tafel {number}"
            for role_id in table["roles"]:
                if role_id not in role_ids:
                    report(where, f"rol {role_id!r} bestaat niet (rollen: {', '.join(role_ids)})")
            for dupe in _duplicates(table["roles"]):
                report(where, f"rol {dupe!r} zit twee keer aan dezelfde tafel")
            for role_id in core:
                if role_id not in table["roles"]:
                    report(where, f"vaste rol {role_id!r} ontbreekt; elke tafel heeft alle vaste "
                           "rollen nodig")
            seated.update(table["roles"])
    for role_id in role_ids:
        if role_id not in seated:
            report(f"rol '{role_id}'", "zit in geen enkele indeling; zet de rol aan een tafel of "
                   "haal haar weg")

    for objective in data["objectives"]:
        if objective not in book.objectives:
            report("veld 'objectives'", f"leerdoel {objective} bestaat niet in de hoofdstukken")

    def check_sources(where: str, keys: list[str]) -> None:
        for key in keys:
            if key not in book.sources:
                report(where, f"bron {key!r} staat niet in book/references.bib")

    for number, item in enumerate(data["background"], 1):
        check_sources(f"achtergrond {number}", item.get("sources", []))
    for role in data["roles"]:
        for number, hidden in enumerate(role["hidden"], 1):
            if "fact" in hidden:
                check_sources(f"rol '{role['id']}', verborgen belang {number}",
                              hidden["fact"]["sources"])
    for variant in data["variants"]:
        check_sources(f"variant '{variant['name']}'", variant.get("sources", []))

    def check_refs(where: str, refs: list[dict]) -> None:
        for ref in refs:
            problem = _check_ref(ref, book)
            if problem:
                report(where, problem)

    for behaviour in data["observation"]["behaviours"]:
        check_refs(f"waarneming '{behaviour['id']}'", behaviour["refs"])
    for number, question in enumerate(data["debrief"], 1):
        check_refs(f"nabespreekvraag {number}", question["refs"])
    return problems


# --- building ---------------------------------------------------------------------------


def _ref(ref: dict, book: BookIndex) -> Ref:
    chapter = book.chapters[ref["chapter"]]
    section = ref.get("section") or (chapter.labels[ref["label"]] if "label" in ref else None)
    return Ref(chapter, section, ref.get("label"))


def _build(data: dict, path: Path, book: BookIndex) -> RolePlay:
    def src(keys: list[str]) -> tuple[Source, ...]:
        return tuple(book.sources[k] for k in keys)

    roles = tuple(
        Role(
            id=r["id"], name=r["name"].strip(), organisation=r["organisation"].strip(),
            kind=r["kind"], core=r["core"], who=r["who"].strip(), public=r["public"].strip(),
            hidden=tuple(
                HiddenInterest(h["text"].strip(),
                               Fact(h["fact"]["text"].strip(), src(h["fact"]["sources"]))
                               if "fact" in h else None)
                for h in r["hidden"]
            ),
            room=r["room"].strip(), play=r["play"].strip(),
        )
        for r in data["roles"]
    )
    by_id = {r.id: r for r in roles}
    lineups = tuple(
        LineUp(line["size"], tuple(Table(tuple(by_id[i] for i in t["roles"]), t["observers"])
                                   for t in line["tables"]))
        for line in sorted(data["scaling"], key=lambda line: line["size"])
    )
    timing = {phase: data["timing"][phase] for phase in PHASES_NL}
    steps = tuple(Step(s["phase"], timing[s["phase"]], s["text"].strip())
                  for s in data["facilitation"]["steps"])
    background = tuple(BackgroundFact(b["text"].strip(), src(b.get("sources", [])))
                       for b in data["background"])
    variants = tuple(Variant(v["name"].strip(), v["text"].strip(), src(v.get("sources", [])))
                     for v in data["variants"])
    used: dict[str, Source] = {}
    for item in background + variants:
        used.update((s.key, s) for s in item.sources)
    for role in roles:
        for hidden in role.hidden:
            if hidden.fact:
                used.update((s.key, s) for s in hidden.fact.sources)
    situation = data["situation"]
    return RolePlay(
        id=data["id"], title=data["title"].strip(), summary=data["summary"].strip(),
        objectives=tuple(data["objectives"]), timing=timing, background=background,
        invented=situation["invented"].strip(), situation=situation["text"].strip(),
        table_facts=tuple(t.strip() for t in situation["table_facts"]),
        agenda=tuple(a.strip() for a in situation["agenda"]),
        decision=situation["decision"].strip(), roles=roles, lineups=lineups,
        observer_task=data["observation"]["task"].strip(),
        behaviours=tuple(Behaviour(b["id"], b["look_for"].strip(),
                                   tuple(_ref(r, book) for r in b["refs"]))
                         for b in data["observation"]["behaviours"]),
        preparation=tuple(p.strip() for p in data["facilitation"]["preparation"]),
        steps=steps, notes=tuple(n.strip() for n in data["facilitation"]["notes"]),
        variants=variants,
        debrief=tuple(DebriefQuestion(q["question"].strip(), q["purpose"].strip(),
                                      tuple(x.strip() for x in q["listen_for"]),
                                      tuple(_ref(r, book) for r in q["refs"]))
                      for q in data["debrief"]),
        path=path,
        sources_used=tuple(sorted(used.values(), key=lambda s: (s.authors, s.year))),
        chapters=dict(book.chapters),
    )


def read_roleplay_file(path: Path, book: BookIndex) -> tuple[RolePlay | None, list[str]]:
    """Parse, validate and build one file; returns (role play or None, problems)."""
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (regel {mark.line + 1}, kolom {mark.column + 1})" if mark else ""
        reason = getattr(exc, "problem", None) or exc
        return None, [f"{source}: bestand is geen geldige YAML{where}: {reason}"]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{source}: bestand kan niet worden gelezen: {exc}"]
    problems = _schema_problems(data, source)
    if problems:
        return None, problems
    problems = _semantic_problems(data, source, path.stem, book)
    if problems:
        return None, problems
    return _build(data, path, book), []


def load_roleplays(directory: Path, book_dir: Path) -> list[RolePlay]:
    """Every role play in ``directory`` (``*.yml``), checked against the book in ``book_dir``.
    Raises :class:`RolePlayError` listing every problem found in every file."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RolePlayError([f"{directory}: map met rollenspellen bestaat niet"])
    files = sorted(directory.glob("*.yml"))
    if not files:
        raise RolePlayError([f"{directory}: geen rollenspellen (*.yml) gevonden"])
    book = BookIndex.read(book_dir)
    problems: list[str] = []
    found: list[RolePlay] = []
    for path in files:
        roleplay, file_problems = read_roleplay_file(path, book)
        problems += file_problems
        if roleplay is not None:
            found.append(roleplay)
    if problems:
        raise RolePlayError(problems)
    return found


def load_roleplay(directory: Path, book_dir: Path, roleplay_id: str) -> RolePlay:
    """The role play with ``roleplay_id``; a Dutch error names the ones that exist."""
    roleplays = load_roleplays(directory, book_dir)
    for roleplay in roleplays:
        if roleplay.id == roleplay_id:
            return roleplay
    known = ", ".join(r.id for r in roleplays)
    raise RolePlayError([f"rollenspel {roleplay_id!r} bestaat niet in {directory} "
                         f"(wel: {known})"])


def secret_texts(roleplays: list[RolePlay]) -> list[str]:
    """Texts of the role cards that must never reach learners: every hidden interest, and what
    each role may give away (``room``). One text per item, whitespace normalised."""
    texts: list[str] = []
    for roleplay in roleplays:
        for role in roleplay.roles:
            texts += [" ".join(h.text.split()) for h in role.hidden]
            texts.append(" ".join(role.room.split()))
    return texts


# --- rendering: the docent page ---------------------------------------------------------
#
# The page text is MyST markdown, rendered here (so tests can read it without Sphinx) and
# parsed by the ``{rollenspel}`` directive of the instructor edition
# (:mod:`ketencursus.sphinxext.roleplay`). Sources are ``{footcite}`` keys of the book's
# bibliography; chapter references are ``{leerlingboek}`` links into the learner book.

INVENTED_LABEL = "verzonnen, constructie van de cursus"


def _md(text: str) -> str:
    """One paragraph of plain text, safe inside MyST (no accidental roles or list markers)."""
    text = " ".join(text.split())
    return text.replace("`", "'").replace("{", "(").replace("}", ")")


def _cite(sources: tuple[Source, ...]) -> str:
    return f" {{footcite:p}}`{','.join(s.key for s in sources)}`" if sources else ""


def ref_anchor(ref: Ref) -> str:
    """The id of the referenced place in the learner book's HTML: the label, or the id
    docutils gives the heading."""
    from docutils.nodes import make_id

    if ref.label:
        return ref.label
    return make_id(ref.section) if ref.section else ""


def ref_link(ref: Ref) -> str:
    """A ``{leerlingboek}`` link to the referenced place, with the Dutch description."""
    anchor = ref_anchor(ref)
    target = ref.chapter.docname + (f"#{anchor}" if anchor else "")
    return f"{{leerlingboek}}`{_md(ref.text()).replace('*', '')} <{target}>`"


def _refs(refs: tuple[Ref, ...]) -> str:
    return "; ".join(ref_link(r) for r in refs)


def hidden_markdown(hidden: HiddenInterest) -> str:
    """A hidden interest with its label: always the course's construction; the real fact it
    builds on, if any, with its source."""
    line = f"{_md(hidden.text)} *({INVENTED_LABEL})*"
    if hidden.fact:
        line += f" Feitelijke grond: {_md(hidden.fact.text)}{_cite(hidden.fact.sources)}"
    return line


def role_markdown(role: Role, heading: str = "###") -> str:
    """One role card as the docent page shows it (the printed card has the same parts)."""
    core = "vaste rol" if role.core else "extra rol bij een grotere groep"
    lines = [
        f"{heading} {_md(role.name)}",
        "",
        f"*{_md(role.organisation)}* ({role.kind_nl}, {core})",
        "",
        f"**Wie je bent.** {_md(role.who)}",
        "",
        f"**Wat je aan tafel zegt (openbaar).** {_md(role.public)}",
        "",
        "**Wat je niet hardop zegt (verborgen belangen).**",
        "",
    ]
    lines += [f"- {hidden_markdown(h)}" for h in role.hidden]
    lines += [
        "",
        f"**Waar je ruimte hebt.** {_md(role.room)}",
        "",
        f"**Zo speel je de rol.** {_md(role.play)}",
        "",
    ]
    return "\n".join(lines)


def page_markdown(roleplay: RolePlay) -> str:
    """The whole role play for the trainer, as MyST markdown with ``##`` sections."""
    t = roleplay.timing
    out: list[str] = [
        "## Waar het om gaat",
        "",
        _md(roleplay.summary),
        "",
        f"**Duur:** {roleplay.total_minutes} minuten (" + ", ".join(
            f"{PHASES_NL[p].lower()} {t[p]}" for p in PHASES_NL) + "). "
        "**Groep:** 8 tot en met 15 deelnemers. **Leerdoelen:** " + ", ".join(
            f"{{leerlingboek}}`{o} <{_objective_doc(roleplay, o)}#leerdoel-{o.replace('.', '-')}>`"
            for o in roleplay.objectives) + ".",
        "",
        "## Achtergrond: wat echt is gebeurd",
        "",
        "Lees dit bij de briefing voor. Alleen deze feiten zijn echt; ze staan met hun bron.",
        "",
    ]
    out += [f"- {_md(b.text)}{_cite(b.sources)}" for b in roleplay.background]
    out += [
        "",
        "## De situatie",
        "",
        "```{admonition} Verzonnen",
        ":class: warning",
        _md(roleplay.invented),
        "```",
        "",
        _md(roleplay.situation),
        "",
        "**Op tafel (verzonnen cijfers, voor alle spelers):**",
        "",
    ]
    out += [f"- {_md(f)}" for f in roleplay.table_facts]
    out += ["", "**Agenda:**", ""]
    out += [f"{i}. {_md(a)}" for i, a in enumerate(roleplay.agenda, 1)]
    out += ["", f"**Het besluit dat moet worden genomen.** {_md(roleplay.decision)}", "",
            "## De rollen", "",
            "Elke rol krijgt een eigen kaart (zie „Afdrukken” hieronder). Alleen de "
            "speler van een rol leest die kaart; het openbare standpunt mag iedereen horen.", ""]
    for role in roleplay.roles:
        out.append(role_markdown(role))
    out += ["## Indeling naar groepsgrootte", "",
            "Per tafel: de rollen die meespelen, en hoeveel waarnemers erbij zitten. Vaste rollen "
            "zitten aan elke tafel. Bij twee tafels speelt elke tafel hetzelfde spel; de "
            "verschillen in uitkomst zijn stof voor de nabespreking.", "",
            "| Deelnemers | Tafel | Rollen | Waarnemers |", "|---|---|---|---|"]
    for lineup in roleplay.lineups:
        for number, table in enumerate(lineup.tables, 1):
            names = ", ".join(_md(r.name) for r in table.roles)
            size = str(lineup.size) if number == 1 else ""
            out.append(f"| {size} | {number} | {names} | {table.observers} |")
    out += ["", "## Waarnemers", "", _md(roleplay.observer_task), "",
            "| Let op | Hoofdstuk |", "|---|---|"]
    out += [f"| {_md(b.look_for)} | {_refs(b.refs)} |" for b in roleplay.behaviours]
    out += ["", "## Verloop voor de docent", "", "**Voorbereiden:**", ""]
    out += [f"- {_md(p)}" for p in roleplay.preparation]
    out += ["", "| Fase | Minuten | Wat je doet |", "|---|---|---|"]
    out += [f"| {s.phase_nl} | {s.minutes} | {_md(s.text)} |" for s in roleplay.steps]
    out += ["", "**Let op:**", ""]
    out += [f"- {_md(n)}" for n in roleplay.notes]
    out += ["", "## Varianten", ""]
    out += [f"- **{_md(v.name)}.** {_md(v.text)}{_cite(v.sources)}" for v in roleplay.variants]
    out += ["", "## Afdrukken", "",
            "Per tafel één rolkaart per rol uit de indeling, per deelnemer een situatiekaart en "
            "per waarnemer een waarnemingsformulier. Elke rolkaart past op één A4; de kaarten "
            "zeggen hetzelfde als deze pagina.", "",
            "```{werkbladen}", ":alleen: " + " ".join(sheet_ids(roleplay)), "```"]
    out += ["", "## Nabespreking", "",
            "Stel de vragen in deze volgorde. Onder elke vraag staat waarom je hem stelt, waar je "
            "naar luistert, en naar welk deel van het leerlingboek je de groep terugverwijst.", ""]
    for number, q in enumerate(roleplay.debrief, 1):
        out += [f"{number}. **{_md(q.question)}**", "",
                f"   *Waarom:* {_md(q.purpose)}", "", "   *Luister naar:*", ""]
        out += [f"   - {_md(x)}" for x in q.listen_for]
        out += ["", f"   *In het boek:* {_refs(q.refs)}", ""]
    return "\n".join(out)


def _objective_doc(roleplay: RolePlay, objective: str) -> str:
    """The learner-book docname of the chapter an objective (``h3.2``) belongs to."""
    return roleplay.chapters[objective.split(".")[0]].docname


# --- rendering: the printed cards (worksheet engine of ketencursus.trainer.worksheets) --


CARD_NOTE = ("Deze rol, het overleg en alle belangen op de kaart zijn verzonnen: een constructie "
             "van de cursus, geen weergave van wat de echte organisaties vonden of deden. De "
             "echte achtergrond staat met bronnen op de situatiekaart.")


def _sheet_id(roleplay: RolePlay, part: str) -> str:
    return f"rollenspel-{roleplay.id}-{part}"


def sheet_ids(roleplay: RolePlay) -> list[str]:
    """The ids of the printed sheets of a role play, in print order (as
    :func:`roleplay_sheets` makes them)."""
    return ([_sheet_id(roleplay, "situatie")]
            + [_sheet_id(roleplay, role.id) for role in roleplay.roles]
            + [_sheet_id(roleplay, "waarnemers")])


def _short_ref(ref: Ref) -> str:
    return f"H{ref.chapter.number} § {ref.section}" if ref.section else f"H{ref.chapter.number}"


def _hidden_plain(hidden: HiddenInterest) -> str:
    line = f"{' '.join(hidden.text.split())} ({INVENTED_LABEL})"
    if hidden.fact:
        names = "; ".join(f"{s.authors} {s.year}" for s in hidden.fact.sources)
        line += f" Feitelijke grond: {' '.join(hidden.fact.text.split())} ({names})"
    return line


def roleplay_sheets(roleplay: RolePlay) -> list[Any]:
    """The printed material of one role play as worksheets: a situation card for everyone,
    one role card per role on its own A4 page, and the observation form."""
    from ketencursus.trainer.worksheets import (
        Column,
        Field,
        Fields,
        Row,
        Section,
        Sheet,
        Table,
        Text,
    )

    keys = tuple(s.key for s in roleplay.sources_used)
    numbers = sorted({r.chapter.number for q in roleplay.debrief for r in q.refs})
    chapters = ", ".join(map(str, numbers[:-1])) + f" en {numbers[-1]}" if len(numbers) > 1 \
        else str(numbers[0])
    chapter, session = f"hoofdstuk {chapters}", "bijeenkomst, rollenspel"
    minutes, group = roleplay.total_minutes, "8 tot en met 15 deelnemers"
    situation = Sheet(
        id=_sheet_id(roleplay, "situatie"),
        title=f"Situatiekaart: {roleplay.title}",
        purpose="Voor alle deelnemers: waar het overleg over gaat en welk besluit er moet komen.",
        instruction="Lees de kaart vóór het spel. Je mag haar aan tafel bij je houden.",
        sections=(
            Section("Wat echt is gebeurd", (Text(tuple(" ".join(b.text.split())
                                                       for b in roleplay.background)),)),
            Section("De situatie (verzonnen)", (Text((" ".join(roleplay.invented.split()),
                                                      " ".join(roleplay.situation.split()))),)),
            Section("Op tafel", (Text(roleplay.table_facts),)),
            Section("Agenda", (Text(tuple(f"{i}. {a}" for i, a in
                                          enumerate(roleplay.agenda, 1))),)),
            Section("Het besluit", (Text((" ".join(roleplay.decision.split()),)),)),
        ),
        sources=keys, header_fields=("Rol", "Tafel"), max_pages=2,
        chapter=chapter, session=session, minutes=minutes, group=group,
    )
    cards = []
    for role in roleplay.roles:
        sources = tuple(s.key for h in role.hidden if h.fact for s in h.fact.sources)
        cards.append(Sheet(
            id=_sheet_id(roleplay, role.id),
            title=f"Rolkaart: {role.name}",
            purpose=(f"{role.organisation}. Alleen voor de speler van deze rol; laat de kaart "
                     "niet aan anderen zien."),
            instruction=" ".join(role.play.split()),
            sections=(
                Section("Wie je bent", (Text((" ".join(role.who.split()),)),)),
                Section("Wat je aan tafel zegt (openbaar)",
                        (Text((" ".join(role.public.split()),)),)),
                Section("Wat je niet hardop zegt (verborgen belangen)",
                        (Text(tuple(_hidden_plain(h) for h in role.hidden)),)),
                Section("Waar je ruimte hebt", (Text((" ".join(role.room.split()),)),)),
                Section("Je voorbereiding", (Fields((
                    Field("Wat wil ik minimaal uit dit overleg halen?", lines=2),
                    Field("Wat kan ik geven, en wat wil ik daarvoor terug?", lines=2),
                )),)),
            ),
            sources=sources, source_notes=(CARD_NOTE,), header_fields=("Tafel",), max_pages=1,
            chapter=chapter, session=session, minutes=minutes, group=group,
        ))
    observation = Sheet(
        id=_sheet_id(roleplay, "waarnemers"),
        title=f"Waarnemingsformulier: {roleplay.title}",
        purpose="Voor de waarnemers: gedrag zien en benoemen, zodat de nabespreking bij de "
                "hoofdstukken uitkomt.",
        instruction=" ".join(roleplay.observer_task.split()),
        sections=(
            Section("Waar je op let", (Table(
                columns=(Column("Let op", "text", width="38%"),
                         Column("Hoofdstuk", "text", width="18%"),
                         Column("Wie, wanneer", "write", width="14%"),
                         Column("Wat je zag of hoorde", "write")),
                rows=tuple(Row((" ".join(b.look_for.split()),
                                "; ".join(_short_ref(r) for r in b.refs), "", ""), lines=2)
                           for b in roleplay.behaviours),
            ),)),
            Section("Na afloop", (Fields((
                Field("Het moment waarop het gesprek kantelde (tijd, wat er gebeurde)", lines=2),
                Field("Wie werd niet of weinig gehoord?", lines=2),
                Field("Wat werd besloten, en met welke afspraak (rol, datum)?", lines=2),
            )),)),
        ),
        source_notes=("De verwijzingen (H3 § ...) gaan naar de hoofdstukken en paragrafen van "
                      "het online boek van de cursus.",),
        header_fields=("Naam", "Tafel", "Focus"), max_pages=2,
        chapter=chapter, session=session, minutes=minutes, group=group,
    )
    return [situation, *cards, observation]


def sheets() -> list[Any]:
    """Every role play's printed material, for the worksheet registry
    (:data:`ketencursus.trainer.worksheets.registry.SHEET_MODULES`): found from the course
    repository of the working directory (or ``$KETENCURSUS_ROOT``)."""
    from ketencursus.paths import ProjectLayout

    layout = ProjectLayout.discover()
    out: list[Any] = []
    for roleplay in load_roleplays(layout.exercises / "rollenspel", layout.book):
        out += roleplay_sheets(roleplay)
    return out
