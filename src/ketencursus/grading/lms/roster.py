"""The class list (roster): the learners with every LMS identity the list gives.

The format is documented in :data:`ROSTER_FORMAT` (and in ``ketencursus collect --help``): a
CSV as the LMS exports it (Moodle grading worksheet, Canvas gradebook export, Brightspace
class list or grade export) or written by hand. The roster keeps the file's own headers,
rows and delimiter, so an adapter can write an LMS file back with its own columns and
values (the Moodle worksheet, the Canvas ``Points Possible`` row).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ketencursus.errors import UserError

ROSTER_FORMAT = """\
Klassenlijst (roster), CSV in UTF-8 (met of zonder BOM), gescheiden door komma, puntkomma of
tab; de eerste regel bevat kolomnamen (hoofdletters maken niet uit). Gebruik het bestand dat
de leeromgeving zelf geeft, of maak het met de hand:
  - Moodle: het beoordelingswerkblad ('Download grading worksheet') van DEZE opdracht, met
    kolommen Identifier (Participant 123456), Full name, Email address (en ID number als dat
    aan staat); in een Nederlandstalige Moodle Identificatie (Deelnemer123456), Volledige
    naam, E-mailadres. De deelnemer-id in de zip verschilt per opdracht; alleen het werkblad
    van dezelfde opdracht koppelt hem aan de cursist.
  - Canvas: de export van het cijferoverzicht (Student, ID, SIS User ID, SIS Login ID,
    Section).
  - Brightspace: de klassenlijst of cijferexport (OrgDefinedId, Username, First Name,
    Last Name, Email; een '#' voor een id hoort er niet bij, een losse '#' is leeg).
    Brightspace-inzendingen worden op naam gekoppeld.
Kolom student_id (of studentnummer) bepaalt de map in grader/submitted/. Ontbreekt die, dan
wordt de id gemaakt uit de eerste aanwezige van: ID number / SIS User ID / OrgDefinedId,
Username / SIS Login ID, het deel van het e-mailadres voor de @, de Canvas-ID. Een id bevat
alleen letters a-z, cijfers, '.', '_' en '-'.
"""


class RosterError(UserError, ValueError):
    """The class list cannot be used; the message (Dutch) says what to change."""


# ---------------------------------------------------------------------------------------
# names and ids
# ---------------------------------------------------------------------------------------

# Characters Moodle removes from the full name in a submission folder name.
MOODLE_CLEANED = str.maketrans("", "", "&<>\"`|':\\/")
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def normalize_name(name: str) -> str:
    """A name for comparison: NFC, case-folded, single spaces, Moodle's removed characters
    removed, underscores as spaces (Moodle writes them so)."""
    text = unicodedata.normalize("NFC", name or "").replace("_", " ").translate(MOODLE_CLEANED)
    return " ".join(text.casefold().split())


def safe_student_id(raw: str) -> str:
    """Make a student id from an LMS value: accents folded to ASCII, other characters that
    are not ``[A-Za-z0-9._-]`` turned into ``_``; raise :class:`RosterError` if nothing
    usable remains."""
    text = unicodedata.normalize("NFKD", (raw or "").strip().lstrip("#"))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._-")
    if not SAFE_ID.match(text):
        raise RosterError(f"Van {raw!r} valt geen geldige student-id te maken.")
    return text


# ---------------------------------------------------------------------------------------
# roster
# ---------------------------------------------------------------------------------------

# Canonical field -> accepted column names (compared case-insensitively, spaces collapsed).
COLUMNS: dict[str, tuple[str, ...]] = {
    "student_id": ("student_id", "studentid", "student id", "studentnummer", "nbgrader id"),
    "identifier": ("identifier", "identificatie"),
    "full_name": ("full name", "volledige naam", "naam", "name"),
    "canvas_student": ("student",),
    "first_name": ("first name", "voornaam"),
    "last_name": ("last name", "achternaam"),
    "email": ("email address", "email", "e-mail", "e-mailadres", "e-mail address"),
    "id_number": ("id number", "id-nummer", "idnummer", "sis user id", "orgdefinedid"),
    "username": ("username", "gebruikersnaam", "sis login id"),
    "canvas_id": ("id",),
    "section": ("section", "sectie", "groep"),
}


def header_key(header: str) -> str:
    """A column name for comparison: no BOM, case-folded, single spaces."""
    return " ".join(header.replace("\ufeff", "").strip().casefold().split())


@dataclass
class Learner:
    """One learner of the class list, with every LMS identity the list gives."""

    student_id: str
    name: str = ""
    sortable_name: str = ""
    email: str = ""
    id_number: str = ""
    username: str = ""
    moodle_participant: str = ""
    canvas_id: str = ""
    section: str = ""
    row: dict[str, str] = field(default_factory=dict, repr=False)

    def name_forms(self) -> list[str]:
        """The learner's name as an LMS may write it: as the list gives it, and "first
        last" (non-empty, without repeats)."""
        forms = [self.name, f"{self.first_name} {self.last_name}".strip()]
        return [f for i, f in enumerate(forms) if f and f not in forms[:i]]

    @property
    def first_name(self) -> str:
        if ", " in self.sortable_name:
            return self.sortable_name.split(", ", 1)[1]
        return self.name.rsplit(" ", 1)[0] if " " in self.name else self.name

    @property
    def last_name(self) -> str:
        if ", " in self.sortable_name:
            return self.sortable_name.split(", ", 1)[0]
        return self.name.rsplit(" ", 1)[1] if " " in self.name else ""


@dataclass
class Roster:
    """The class list: learners in file order, the file's headers (so an LMS file can be
    written back with its own columns) and delimiter. ``points_possible`` is Canvas's
    ``Points Possible`` row (header -> cell) when the list is a Canvas gradebook export."""

    learners: list[Learner]
    headers: list[str] = field(default_factory=list)
    delimiter: str = ","
    columns: dict[str, str] = field(default_factory=dict)  # canonical field -> header
    points_possible: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_id = {learner.student_id: learner for learner in self.learners}
        self._by_participant = {
            learner.moodle_participant: learner
            for learner in self.learners if learner.moodle_participant
        }
        self._by_canvas = {
            learner.canvas_id: learner for learner in self.learners if learner.canvas_id
        }
        self._by_name: dict[str, list[Learner]] = {}
        for learner in self.learners:
            for name in learner.name_forms():
                bucket = self._by_name.setdefault(normalize_name(name), [])
                if learner not in bucket:
                    bucket.append(learner)

    def __len__(self) -> int:
        return len(self.learners)

    def __iter__(self) -> Iterator[Learner]:
        return iter(self.learners)

    def get(self, student_id: str) -> Learner | None:
        return self._by_id.get(student_id)

    def by_moodle_participant(self, participant_id: str) -> Learner | None:
        return self._by_participant.get(participant_id)

    def by_canvas_id(self, user_id: str) -> Learner | None:
        return self._by_canvas.get(user_id)

    def by_name(self, name: str) -> list[Learner]:
        return list(self._by_name.get(normalize_name(name), []))

    def has(self, canonical: str) -> bool:
        return canonical in self.columns

    @property
    def is_canvas_export(self) -> bool:
        """Whether the list is Canvas's own gradebook export (``Student`` and ``ID``)."""
        return self.has("canvas_student") and self.has("canvas_id")


def _sniff_delimiter(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_roster(path: Path) -> Roster:
    """Read a class list (see :data:`ROSTER_FORMAT`)."""
    path = Path(path)
    if not path.is_file():
        raise RosterError(
            f"Klassenlijst {path} bestaat niet. Geef er een op met --roster BESTAND "
            "(bijvoorbeeld het beoordelingswerkblad van Moodle)."
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(
            f"Klassenlijst {path} is geen UTF-8. Sla het bestand op als 'CSV UTF-8' en probeer "
            "het opnieuw."
        ) from None
    return parse_roster(text, source=str(path))


def parse_roster(text: str, source: str = "klassenlijst") -> Roster:
    """Parse the text of a class list (see :data:`ROSTER_FORMAT`)."""
    try:
        return _parse_roster(text, source)
    except csv.Error as exc:
        raise RosterError(
            f"{source} is geen leesbaar CSV-bestand ({exc}). Sla het op als 'CSV UTF-8'."
        ) from None


IDENTITY_FIELDS = {"student_id", "id_number", "username", "email", "canvas_id", "identifier"}
# Rows of a Canvas export that describe the assignments, not a learner (Canvas's own
# importer skips them the same way: check_for_non_student_row).
CANVAS_MUTED_ROW = re.compile(r"^\s*(Muted|Manual Posting.*)?\s*$", re.IGNORECASE)


def _map_columns(headers: list[str], source: str) -> dict[str, str]:
    columns: dict[str, str] = {}
    for header in headers:
        key = header_key(header)
        for canonical, names in COLUMNS.items():
            if key in names and canonical not in columns:
                columns[canonical] = header
    # Canvas's "ID" column only counts as a Canvas user id next to Canvas's "Student" column.
    if "canvas_id" in columns and "canvas_student" not in columns:
        del columns["canvas_id"]
    if not IDENTITY_FIELDS & set(columns):
        raise RosterError(
            f"{source} heeft geen kolom waarmee cursisten te herkennen zijn. Verwacht minstens "
            "één van: student_id, Identifier, ID number, OrgDefinedId, Username, "
            "Email address, ID (Canvas)."
        )
    return columns


def _bare(value: str) -> str:
    """An id as Brightspace exports it, without its ``#`` marker (a bare ``#`` is empty)."""
    return value.strip().lstrip("#").strip()


def _learner(values: dict[str, str], columns: dict[str, str], where: str) -> Learner:
    def get(canonical: str) -> str:
        header = columns.get(canonical)
        return values.get(header, "") if header else ""

    sortable = get("canvas_student")
    if get("full_name"):
        name = get("full_name")
    elif get("first_name") or get("last_name"):
        name = f"{get('first_name')} {get('last_name')}".strip()
    elif ", " in sortable:
        last, first = sortable.split(", ", 1)
        name = f"{first} {last}"
    else:
        name = sortable
    if not sortable and (get("first_name") or get("last_name")):
        sortable = f"{get('last_name')}, {get('first_name')}"
    participant = ""
    if get("identifier"):
        found = re.search(r"(\d+)\s*$", get("identifier"))
        if not found:
            raise RosterError(
                f"{where}: Identifier {get('identifier')!r} eindigt niet op een "
                "deelnemernummer (verwacht 'Participant 123456')."
            )
        participant = found.group(1)
    id_number, username = _bare(get("id_number")), _bare(get("username"))
    email = get("email")
    candidates = [get("student_id"), id_number, username,
                  email.split("@", 1)[0] if email else "", get("canvas_id")]
    raw_id = next((c for c in candidates if c), "")
    if not raw_id:
        raise RosterError(
            f"{where}: geen student_id, ID-nummer, gebruikersnaam of e-mailadres ingevuld; "
            "vul er één in."
        )
    try:
        student_id = safe_student_id(raw_id)
    except RosterError as exc:
        raise RosterError(f"{where}: {exc}") from None
    if get("student_id") and student_id != get("student_id"):
        raise RosterError(
            f"{where}: student_id {get('student_id')!r} bevat tekens die niet mogen; gebruik "
            "alleen letters a-z, cijfers, '.', '_' en '-'."
        )
    return Learner(
        student_id=student_id, name=name, sortable_name=sortable, email=email,
        id_number=id_number, username=username, moodle_participant=participant,
        canvas_id=get("canvas_id"), section=get("section"), row=values,
    )


def _parse_roster(text: str, source: str) -> Roster:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise RosterError(f"{source} is leeg.")
    delimiter = _sniff_delimiter(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = list(reader.fieldnames or [])
    columns = _map_columns(headers, source)
    student_header = columns.get("canvas_student", "")
    learners: list[Learner] = []
    points_possible: dict[str, str] = {}
    seen: dict[str, int] = {}
    for lineno, row in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()):
            continue
        student_cell = values.get(student_header, "").casefold() if student_header else ""
        if student_header and "points possible" in student_cell:
            points_possible = values
            continue
        if student_cell == "student, test":  # Canvas's test student
            continue
        if student_header and all(CANVAS_MUTED_ROW.match(v) for v in values.values()):
            continue
        learner = _learner(values, columns, f"{source}, regel {lineno}")
        if learner.student_id in seen:
            raise RosterError(
                f"{source}: student-id {learner.student_id!r} komt dubbel voor (regels "
                f"{seen[learner.student_id]} en {lineno}). Voeg een kolom student_id met "
                "unieke waarden toe."
            )
        seen[learner.student_id] = lineno
        learners.append(learner)
    if not learners:
        raise RosterError(f"{source} bevat geen cursisten.")
    return Roster(learners, headers=headers, delimiter=delimiter, columns=columns,
                  points_possible=points_possible)
