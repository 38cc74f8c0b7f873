"""What every LMS adapter shares: the identity in a zip entry, a learner match, grade
columns, the grade file a format writes, and the rules for numbers and scaling.

An adapter (:class:`Adapter`) knows one system: how its "download all submissions" zip
names entries (:meth:`Adapter.parse_entry`), how such an entry is matched to a learner of
the class list (:meth:`Adapter.match`), and the grade files its importers read
(:attr:`Adapter.formats`, each a :class:`GradeFormat` with ``write(roster, columns,
options) -> GradeFile``). The registry is :data:`ketencursus.grading.lms.ADAPTERS`.

The one promise every writer keeps (``docs/lms-formats.md`` gives each importer's rules):
no cell reaches the importer that it reads as "delete" or "set to nothing", no row is
written without a filled match key, every score is scaled to the maximum of the item in
the LMS, and every learner that is not written is in :attr:`GradeFile.left_out` with a
Dutch reason.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from ketencursus.errors import UserError

if TYPE_CHECKING:
    from ketencursus.grading.lms.roster import Learner, Roster


class LmsFileError(UserError, ValueError):
    """A grade file cannot be written as asked; the message (Dutch) says what to do."""


# ---------------------------------------------------------------------------------------
# zip entries
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryIdentity:
    """Who submitted one zip entry, as far as its name tells.

    ``lms`` is the adapter's name; ``lms_id`` the id in the name (Moodle participant or
    group id, Canvas user or anonymous id, Brightspace ``n-m``); ``name`` the learner's (or
    group's) name as the entry gives it; ``filename`` the file name inside the submission,
    with a re-upload suffix kept (see :func:`reupload_variants`).
    """

    lms: str
    lms_id: str
    name: str
    filename: str
    anonymous: bool = False
    late: bool = False
    timestamp: datetime | None = None
    attachment: int = 0  # Canvas attachment id (a later upload has a larger one)

    def newness(self, zip_time: datetime) -> tuple:
        """Sort key of "which upload is newest" (largest wins)."""
        if self.lms == "canvas":
            # Canvas writes every entry with the time the zip was made: the attachment id
            # is what grows with each upload.
            return (self.attachment, zip_time)
        return (self.timestamp or zip_time, self.attachment)


@dataclass(frozen=True)
class Match:
    """The result of matching a zip entry to the class list.

    ``learners``: who it may be (one: a match; several: ambiguous; none: see ``reason``).
    ``note``: how a match was found when not by the LMS id (shown to the instructor).
    ``reason``: why nobody was matched (Dutch, says what to do); empty for the standard
    "not in the class list". ``refused``: the entry is deliberately not imported even
    though an id matched (e.g. a Moodle group submission), ``reason`` says why.
    """

    learners: list[Learner] = field(default_factory=list)
    note: str = ""
    reason: str = ""
    refused: bool = False


REUPLOAD = re.compile(r"^(?P<stem>[^.]+?)-(?P<n>\d+)(?P<rest>\..+)$")


def reupload_variants(filename: str) -> list[tuple[str, int]]:
    """Names ``filename`` may stand for, with the re-upload number: the name itself (0),
    without Canvas's ``-N`` after the first dot (N), and without a browser's `` (N)``
    suffix (N)."""
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


@dataclass(frozen=True)
class GradeColumn:
    """One assignment's grades: ``scores`` by student id (``None`` = no final grade) and
    nbgrader's maximum for the assignment."""

    assignment: str
    max_score: float
    scores: dict[str, float | None]


@dataclass(frozen=True)
class LeftOut:
    """A learner the file does not carry, and why (Dutch, says what to do)."""

    student_id: str
    reason: str


@dataclass
class GradeFile:
    """What a writer made: the file text, how many learner rows it has, notes for the
    instructor (Dutch) and the learners left out with their reason."""

    text: str
    rows: int
    notes: list[str] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)


@dataclass(frozen=True)
class ExportOptions:
    """Choices of the instructor: ``maxima`` maps an assignment name (or ``"*"`` for every
    assignment) to the maximum of its item in the LMS (``--max``)."""

    maxima: Mapping[str, float] = field(default_factory=dict)

    def maximum(self, assignment: str) -> float | None:
        return self.maxima.get(assignment, self.maxima.get("*"))


def target_maximum(column: GradeColumn, options: ExportOptions, from_file: float | None,
                   where: str, fallback: float | None = None) -> float:
    """The maximum the scores of ``column`` are scaled to: the one the LMS file gives
    (``from_file``), else ``--max``, else ``fallback``; a ``--max`` that contradicts the
    file, or no maximum at all, is a :class:`LmsFileError`."""
    given = options.maximum(column.assignment)
    if from_file is not None:
        if given is not None and abs(given - from_file) > 1e-9:
            raise LmsFileError(
                f"{column.assignment}: --max {format_points(given)} verschilt van het "
                f"maximum {format_points(from_file)} in {where}. Laat --max weg (het bestand "
                "van de leeromgeving geldt) of pas het onderdeel in de leeromgeving aan."
            )
        return from_file
    if given is not None:
        return given
    if fallback is not None:
        return fallback
    raise LmsFileError(
        f"{column.assignment}: het maximum van het cijferonderdeel in de leeromgeving is niet "
        f"bekend ({where} noemt het niet). Geef het op met --max (bijvoorbeeld --max 10, of "
        f"--max {column.assignment}=10); de punten (maximaal "
        f"{format_points(column.max_score)} in nbgrader) worden dan naar dat maximum "
        "omgerekend."
    )


def scale(score: float, column: GradeColumn, maximum: float) -> float:
    """``score`` of ``column.max_score`` points as a score out of ``maximum``."""
    if column.max_score <= 0:
        raise LmsFileError(
            f"{column.assignment} heeft in nbgrader maximaal 0 punten; daar valt geen cijfer "
            "uit te berekenen. Controleer de punten van de opdracht."
        )
    return score / column.max_score * maximum


def format_points(value: float | None) -> str:
    """A score as an LMS reads it: ``""`` for none, no trailing ``.0``, at most 2 decimals,
    decimal point (every importer here accepts a point whatever its language)."""
    if value is None:
        return ""
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0")


def parse_number(text: str) -> float | None:
    """A number as an LMS file writes it (``100.00``, ``100,00``, `` 7,5 ``), or ``None``."""
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"-?\d+(?:[.,]\d+)?", cleaned):
        return None
    return float(cleaned.replace(",", "."))


def csv_text(rows: Iterable[Sequence[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


def duplicates(values: Mapping[str, str]) -> dict[str, list[str]]:
    """``value -> student ids`` for every value (case-insensitive) held by more than one."""
    seen: dict[str, list[str]] = {}
    for student, value in values.items():
        seen.setdefault(value.strip().casefold(), []).append(student)
    return {value: ids for value, ids in seen.items() if len(ids) > 1}


@dataclass(frozen=True)
class GradeFormat:
    """One grade file an LMS imports: its name on the command line (``--format``), a Dutch
    description, whether it belongs to one assignment, and the writer."""

    name: str
    description: str
    write: Callable[[Roster | None, list[GradeColumn], ExportOptions], GradeFile]
    single_assignment: bool = False
    needs_roster: bool = True
    encoding: str = "utf-8"


class Adapter:
    """One LMS (see the module docstring). Subclasses set :attr:`name`, :attr:`label` and
    :attr:`formats` and override what their system does."""

    name: str = ""
    label: str = ""
    formats: tuple[GradeFormat, ...] = ()

    def parse_entry(self, path: str) -> EntryIdentity | None:
        """The submitter of zip entry ``path`` (``/``-separated, checked to be safe), or
        ``None`` if the name is not this system's."""
        return None

    def match(self, identity: EntryIdentity, roster: Roster) -> Match:
        """Learners of ``roster`` the entry may be (see :class:`Match`)."""
        return Match(roster.by_name(identity.name))

