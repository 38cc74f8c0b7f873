"""What the learning management systems (Moodle, Canvas, Brightspace) put in their files.

Three things live here, all pure (no course directory, no gradebook):

* :class:`Roster` – the class list that maps LMS identities to nbgrader student ids. The
  format is documented in :data:`ROSTER_FORMAT` (and in ``ketencursus collect --help``): a
  CSV as the LMS exports it (Moodle grading worksheet, Canvas gradebook export, Brightspace
  class list or grade export) or written by hand.
* :func:`parse_entry` – the identity hidden in one entry name of a "download all
  submissions" zip (Moodle 3.1–4.0 and 4.1+, folders on/off, blind marking; Canvas with
  ``_LATE``, ``anon_`` and the ``-1`` re-upload suffix; Brightspace with its D2L date).
* writers for grade files that the LMS imports (:func:`write_moodle_gradebook`,
  :func:`write_moodle_worksheet`, :func:`write_canvas`, :func:`write_brightspace`,
  :func:`write_plain_csv`).

The facts behind the formats are in ``docs`` of the project (LMS formats); the regular
expressions below follow them, and each one is exercised by ``tests/grading/test_collect*``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ketencursus.errors import UserError

ROSTER_FORMAT = """\
Klassenlijst (roster), CSV in UTF-8 (met of zonder BOM), gescheiden door komma, puntkomma of
tab; de eerste regel bevat kolomnamen (hoofdletters maken niet uit). Gebruik het bestand dat
de leeromgeving zelf geeft, of maak het met de hand:
  - Moodle: het beoordelingswerkblad ('Download grading worksheet') van DEZE opdracht, met
    kolommen Identifier (Participant 123456), Full name, Email address (en ID number als dat
    aan staat). De deelnemer-id in de zip verschilt per opdracht; alleen het werkblad van
    dezelfde opdracht koppelt hem aan de cursist.
  - Canvas: de export van het cijferoverzicht (Student, ID, SIS User ID, SIS Login ID,
    Section).
  - Brightspace: de klassenlijst of cijferexport (OrgDefinedId, Username, First Name,
    Last Name, Email). Brightspace-inzendingen worden op naam gekoppeld.
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


def canvas_name_key(sortable_name: str) -> str:
    """Canvas's file-name form of a sortable name ("Smith, Bob" -> "smithbob"): lowercased,
    everything but ASCII word characters removed (Ruby's ``\\W``)."""
    return re.sub(r"[^a-z0-9_]", "", (sortable_name or "").lower()).replace("_", "")


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


def _header_key(header: str) -> str:
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
    """The class list: learners in file order, the file's headers (so a Moodle worksheet
    can be written back with its own columns) and delimiter."""

    learners: list[Learner]
    headers: list[str] = field(default_factory=list)
    delimiter: str = ","
    columns: dict[str, str] = field(default_factory=dict)  # canonical field -> header

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
        self._by_canvas_key: dict[str, list[Learner]] = {}
        for learner in self.learners:
            for name in {learner.name, f"{learner.first_name} {learner.last_name}".strip()}:
                if name:
                    bucket = self._by_name.setdefault(normalize_name(name), [])
                    if learner not in bucket:
                        bucket.append(learner)
            if learner.sortable_name or learner.name:
                key = canvas_name_key(
                    learner.sortable_name or f"{learner.last_name}, {learner.first_name}"
                )
                self._by_canvas_key.setdefault(key, []).append(learner)

    def __len__(self) -> int:
        return len(self.learners)

    def __iter__(self):
        return iter(self.learners)

    def get(self, student_id: str) -> Learner | None:
        return self._by_id.get(student_id)

    def by_moodle_participant(self, participant_id: str) -> Learner | None:
        return self._by_participant.get(participant_id)

    def by_canvas_id(self, user_id: str) -> Learner | None:
        return self._by_canvas.get(user_id)

    def by_name(self, name: str) -> list[Learner]:
        return list(self._by_name.get(normalize_name(name), []))

    def by_canvas_key(self, key: str) -> list[Learner]:
        return list(self._by_canvas_key.get(key, []))

    def has(self, canonical: str) -> bool:
        return canonical in self.columns


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


def _parse_roster(text: str, source: str) -> Roster:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise RosterError(f"{source} is leeg.")
    delimiter = _sniff_delimiter(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = [h for h in (reader.fieldnames or [])]
    columns: dict[str, str] = {}
    for header in headers:
        key = _header_key(header)
        for canonical, names in COLUMNS.items():
            if key in names and canonical not in columns:
                columns[canonical] = header
    # Canvas's "ID" column only counts as a Canvas user id next to Canvas's "Student" column.
    if "canvas_id" in columns and "canvas_student" not in columns:
        del columns["canvas_id"]
    identity = {"student_id", "id_number", "username", "email", "canvas_id", "identifier"}
    if not identity & set(columns):
        raise RosterError(
            f"{source} heeft geen kolom waarmee cursisten te herkennen zijn. Verwacht minstens "
            "één van: student_id, Identifier, ID number, OrgDefinedId, Username, "
            "Email address, ID (Canvas)."
        )

    learners: list[Learner] = []
    seen: dict[str, int] = {}
    for lineno, row in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()):
            continue
        # Canvas puts "    Points Possible" (and sometimes "Student, Test") in the list.
        student_cell = values.get(columns.get("canvas_student", ""), "")
        if student_cell.strip().casefold() in {"points possible", "student, test"}:
            continue

        def get(canonical: str, values=values) -> str:
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
                    f"{source}, regel {lineno}: Identifier {get('identifier')!r} eindigt niet "
                    "op een deelnemernummer (verwacht 'Participant 123456')."
                )
            participant = found.group(1)
        candidates = [
            get("student_id"),
            get("id_number"),
            get("username"),
            get("email").split("@", 1)[0] if get("email") else "",
            get("canvas_id"),
        ]
        raw_id = next((c for c in candidates if c), "")
        if not raw_id:
            raise RosterError(
                f"{source}, regel {lineno}: geen student_id, ID-nummer, gebruikersnaam of "
                "e-mailadres ingevuld; vul er één in."
            )
        try:
            student_id = safe_student_id(raw_id)
        except RosterError as exc:
            raise RosterError(f"{source}, regel {lineno}: {exc}") from None
        if get("student_id") and student_id != get("student_id"):
            raise RosterError(
                f"{source}, regel {lineno}: student_id {get('student_id')!r} bevat tekens die "
                "niet mogen; gebruik alleen letters a-z, cijfers, '.', '_' en '-'."
            )
        if student_id in seen:
            raise RosterError(
                f"{source}: student-id {student_id!r} komt dubbel voor (regels {seen[student_id]} "
                f"en {lineno}). Voeg een kolom student_id met unieke waarden toe."
            )
        seen[student_id] = lineno
        learners.append(
            Learner(
                student_id=student_id,
                name=name,
                sortable_name=sortable,
                email=get("email"),
                id_number=get("id_number").lstrip("#"),
                username=get("username").lstrip("#"),
                moodle_participant=participant,
                canvas_id=get("canvas_id"),
                section=get("section"),
                row=values,
            )
        )
    if not learners:
        raise RosterError(f"{source} bevat geen cursisten.")
    return Roster(learners, headers=headers, delimiter=delimiter, columns=columns)


# ---------------------------------------------------------------------------------------
# entries of a submissions zip
# ---------------------------------------------------------------------------------------

MOODLE_FOLDER = re.compile(
    r"^(?P<prefix>.*)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_?$"
)
MOODLE_FLAT = re.compile(
    r"^(?P<prefix>.*)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>[^/]+)$"
)
CANVAS = re.compile(
    r"^(?P<key>[a-z0-9]*?)(?P<late>_LATE)?_(?P<uid>\d+)_(?P<aid>\d+)_(?P<file>[^/]+)$"
)
CANVAS_ANON = re.compile(
    r"^anon(?P<late>_LATE)?_(?P<uid>[A-Za-z0-9]+)_(?P<aid>\d+)_(?P<file>[^/]+)$"
)
D2L_DATE = r"(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4} \d{3,4} ?[AaPp][Mm])"
BRIGHTSPACE = re.compile(
    r"^(?P<ids>\d+-\d+) - (?P<name>.+?) - " + D2L_DATE + r"(?: - (?P<file>[^/]+))?$"
)
MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
# Canvas's re-upload suffix: "ps1-1.ipynb" is the second upload of "ps1.ipynb".
REUPLOAD = re.compile(r"^(?P<stem>[^.]+?)-(?P<n>\d+)(?P<rest>\..+)$")


def parse_d2l_date(text: str) -> datetime | None:
    """Brightspace's folder date, e.g. ``Sep 24, 2024 926 PM`` (no colon, no zone; local
    time of the server). ``None`` if it is not in that form."""
    found = re.fullmatch(
        r"([A-Za-z]+)\.? (\d{1,2}), (\d{4}) (\d{1,2})(\d{2}) ?([AaPp])[Mm]", text.strip()
    )
    if not found:
        return None
    month = MONTHS.get(found.group(1).lower())
    day, year, hour, minute = (int(found.group(i)) for i in (2, 3, 4, 5))
    if not month or not (1 <= hour <= 12) or minute > 59:
        return None
    hour = hour % 12 + (12 if found.group(6).lower() == "p" else 0)
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None


@dataclass(frozen=True)
class EntryIdentity:
    """Who submitted one zip entry, as far as its name tells.

    ``lms`` is ``moodle``, ``canvas`` or ``brightspace``; ``lms_id`` the id in the name
    (Moodle participant id, Canvas user or anonymous id, Brightspace ``n-m``); ``name`` the
    learner's name as the entry gives it (Moodle full name, Canvas name key, Brightspace
    full name); ``filename`` the file name inside the submission, with a Canvas re-upload
    suffix kept (see :func:`reupload_variants`).
    """

    lms: str
    lms_id: str
    name: str
    filename: str
    anonymous: bool = False
    late: bool = False
    timestamp: datetime | None = None
    attachment: int = 0  # Canvas attachment id (a later upload has a larger one)


def parse_entry(path: str) -> EntryIdentity | None:
    """The submitter of a zip entry ``path`` (``/``-separated, already checked to be a safe
    relative path), or ``None`` if the name follows no known LMS pattern."""
    parts = path.split("/")
    top, rest = parts[0], parts[1:]
    if rest:
        found = MOODLE_FOLDER.match(top)
        if found:
            return _moodle(found, "/".join(rest))
        found = BRIGHTSPACE.match(top)
        if found and not found.group("file"):
            return _brightspace(found, "/".join(rest))
        return None
    found = MOODLE_FLAT.match(top)
    if found:
        return _moodle(found, found.group("file"))
    found = CANVAS_ANON.match(top)
    if found:
        return EntryIdentity(
            "canvas", found.group("uid"), "", found.group("file"), anonymous=True,
            late=bool(found.group("late")), attachment=int(found.group("aid")),
        )
    found = CANVAS.match(top)
    if found:
        return EntryIdentity(
            "canvas", found.group("uid"), found.group("key"), found.group("file"),
            late=bool(found.group("late")), attachment=int(found.group("aid")),
        )
    found = BRIGHTSPACE.match(top)
    if found and found.group("file"):
        return _brightspace(found, found.group("file"))
    return None


def _moodle(found: re.Match, filename: str) -> EntryIdentity:
    prefix = found.group("prefix")
    anonymous = prefix == "Participant"
    return EntryIdentity(
        "moodle", found.group("pid"), "" if anonymous else prefix, filename, anonymous=anonymous
    )


def _brightspace(found: re.Match, filename: str) -> EntryIdentity:
    return EntryIdentity(
        "brightspace", found.group("ids"), found.group("name"), filename,
        timestamp=parse_d2l_date(found.group("date")),
    )


def reupload_variants(filename: str) -> list[tuple[str, int]]:
    """Names ``filename`` may stand for, with the re-upload number: the name itself (0),
    without Canvas's ``-N`` suffix (N), and without a browser's `` (N)`` suffix (N)."""
    variants = [(filename, 0)]
    found = REUPLOAD.match(filename)
    if found:
        variants.append((found.group("stem") + found.group("rest"), int(found.group("n"))))
    found = re.match(r"^(?P<stem>.+?) ?\((?P<n>\d+)\)(?P<rest>\.[^.]+)$", filename)
    if found:
        variants.append((found.group("stem") + found.group("rest"), int(found.group("n"))))
    return variants


# ---------------------------------------------------------------------------------------
# grade files
# ---------------------------------------------------------------------------------------


def format_points(value: float | None) -> str:
    """A score as an LMS reads it: ``""`` for none, no trailing ``.0``, at most 2 decimals,
    decimal point."""
    if value is None:
        return ""
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0")


def _csv_text(rows: Iterable[Sequence[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


@dataclass(frozen=True)
class GradeColumn:
    """One assignment's grades: ``scores`` by student id (``None`` = no grade)."""

    assignment: str
    max_score: float
    scores: dict[str, float | None]


def write_plain_csv(roster: Roster | None, columns: list[GradeColumn],
                    extra_students: Sequence[str | Learner] = ()) -> str:
    """Generic CSV: ``student_id, naam, email, idnummer`` and one column per assignment
    (header ``<opdracht> (max <punten>)``), then ``totaal``."""
    header = ["student_id", "naam", "email", "idnummer"]
    header += [f"{c.assignment} (max {format_points(c.max_score)})" for c in columns]
    header.append("totaal")
    rows = [header]
    learners = list(roster) if roster else []
    learners += [s if isinstance(s, Learner) else Learner(student_id=s) for s in extra_students]
    for learner in learners:
        scores = [c.scores.get(learner.student_id) for c in columns]
        known = [s for s in scores if s is not None]
        rows.append(
            [learner.student_id, learner.name, learner.email, learner.id_number]
            + [format_points(s) for s in scores]
            + [format_points(sum(known)) if known else ""]
        )
    return _csv_text(rows)


def write_moodle_gradebook(roster: Roster, columns: list[GradeColumn]) -> str:
    """Moodle's gradebook CSV import: a column to match learners (``Email address``, and
    ``ID number`` when the class list has it) and one column per assignment; an empty cell
    means no grade."""
    if not any(learner.email for learner in roster):
        raise RosterError(
            "Voor de Moodle-cijferimport heeft de klassenlijst e-mailadressen nodig "
            "(kolom Email address)."
        )
    with_id = any(learner.id_number for learner in roster)
    header = ["Email address"] + (["ID number"] if with_id else []) + [
        c.assignment for c in columns
    ]
    rows = [header]
    for learner in roster:
        rows.append(
            [learner.email] + ([learner.id_number] if with_id else [])
            + [format_points(c.scores.get(learner.student_id)) for c in columns]
        )
    return _csv_text(rows)


def _find_header(headers: Sequence[str], *names: str) -> str | None:
    wanted = {_header_key(n) for n in names}
    return next((h for h in headers if _header_key(h) in wanted), None)


def write_moodle_worksheet(roster: Roster, column: GradeColumn) -> str:
    """Moodle's grading worksheet for upload: the downloaded worksheet (the class list) with
    its own columns and values, only ``Grade`` filled in. The score is scaled to the
    worksheet's ``Maximum grade`` when that column is present. ``Last modified (grade)`` is
    kept as downloaded, so Moodle can refuse rows changed in Moodle since."""
    if not roster.has("identifier"):
        raise RosterError(
            "Het Moodle-beoordelingswerkblad vraagt een klassenlijst met de kolom Identifier: "
            "download het werkblad van deze opdracht in Moodle en geef het op met --roster."
        )
    headers = list(roster.headers)
    grade = _find_header(headers, "Grade", "Beoordeling", "Cijfer")
    if grade is None:
        grade = "Grade"
        headers.append(grade)
    modified = _find_header(headers, "Last modified (grade)", "Laatst gewijzigd (beoordeling)")
    if modified is None:
        modified = "Last modified (grade)"
        headers.append(modified)
    maximum = _find_header(headers, "Maximum grade", "Maximum Grade", "Maximumcijfer")
    rows = [headers]
    for learner in roster:
        values = dict(learner.row)
        score = column.scores.get(learner.student_id)
        if score is not None and maximum and values.get(maximum):
            try:
                top = float(values[maximum].replace(",", "."))
            except ValueError:
                raise RosterError(
                    f"Maximum grade {values[maximum]!r} van {learner.student_id} is geen getal."
                ) from None
            score = score / column.max_score * top if column.max_score else 0.0
        if score is not None:  # no grade: keep what the worksheet had
            values[grade] = format_points(score)
        values.setdefault(modified, "-")
        rows.append([values.get(h, "") for h in headers])
    return _csv_text(rows)  # Moodle expects commas, whatever the downloaded file used


def write_canvas(roster: Roster, columns: list[GradeColumn]) -> str:
    """Canvas's gradebook CSV: ``Student, ID, SIS User ID, SIS Login ID, Section`` and one
    column per assignment, second row ``Points Possible``. An assignment column is named as
    in the Canvas export when the class list has one (``Title (123)``), else by its name
    (Canvas then creates a new assignment)."""
    titles = []
    for c in columns:
        match = next(
            (h for h in roster.headers if re.fullmatch(re.escape(c.assignment) + r" \(\d+\)", h)),
            None,
        )
        titles.append(match or c.assignment)
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + titles
    rows = [header, ["    Points Possible", "", "", "", ""]
            + [format_points(c.max_score) for c in columns]]
    for learner in roster:
        sortable = learner.sortable_name or (
            f"{learner.last_name}, {learner.first_name}" if learner.last_name else learner.name
        )
        rows.append(
            [sortable, learner.canvas_id, learner.id_number, learner.username, learner.section]
            + [format_points(c.scores.get(learner.student_id)) for c in columns]
        )
    return _csv_text(rows)


def write_brightspace(roster: Roster, columns: list[GradeColumn]) -> str:
    """Brightspace's grade import: ``OrgDefinedId, Username``, one ``<item> Points Grade``
    column per assignment, and ``End-of-Line Indicator`` holding ``#``. Ids carry the ``#``
    prefix as in Brightspace's own export (it keeps leading zeros)."""
    if not any(learner.id_number or learner.username for learner in roster):
        raise RosterError(
            "Voor Brightspace heeft de klassenlijst OrgDefinedId of Username nodig."
        )
    header = ["OrgDefinedId", "Username"] + [f"{c.assignment} Points Grade" for c in columns]
    header.append("End-of-Line Indicator")
    rows = [header]
    for learner in roster:
        rows.append(
            [f"#{learner.id_number}" if learner.id_number else "",
             f"#{learner.username}" if learner.username else ""]
            + [format_points(c.scores.get(learner.student_id)) for c in columns]
            + ["#"]
        )
    return _csv_text(rows)
