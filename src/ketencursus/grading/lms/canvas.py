"""Canvas: the "Download Submissions" zip and the gradebook CSV import (``canvas``).

What Canvas's code does with each file (``lib/content_zipper.rb``,
``lib/gradebook_importer.rb``) is in ``docs/lms-formats.md`` (§ Canvas); the tests replay it
(``tests/grading/lms_importers.py``).
"""

from __future__ import annotations

import re
import unicodedata

from ketencursus.grading.lms.base import (
    Adapter,
    EntryIdentity,
    ExportOptions,
    GradeColumn,
    GradeFile,
    GradeFormat,
    LeftOut,
    LmsFileError,
    Match,
    csv_text,
    format_points,
    parse_number,
    scale,
    target_maximum,
)
from ketencursus.grading.lms.roster import Learner, Roster

# Ruby's [[:word:]]: letters, marks, decimal digits and connector punctuation (``_``).
_WORD_CATEGORIES = ("L", "M", "Nd", "Pc")


def canvas_name_key(sortable_name: str) -> str:
    """Canvas's file-name form of a sortable name, as ``content_zipper.rb`` makes it:
    ``_<digits>_`` becomes ``<digits>`` (``sanitize_user_name``), every character that is
    not a Unicode word character is removed and the rest lower-cased
    (``sanitize_file_name``): "Müller, Renée" -> "müllerrenée", "O_Brien, Pat" ->
    "o_brienpat". Compared in NFC."""
    text = re.sub(r"_(\d+)_", r"\1", unicodedata.normalize("NFC", sortable_name or ""))
    kept = "".join(
        ch for ch in text
        if unicodedata.category(ch).startswith(_WORD_CATEGORIES[:2])
        or unicodedata.category(ch) in _WORD_CATEGORIES[2:]
    )
    return unicodedata.normalize("NFC", kept.lower())


# The first "_<user id>_<attachment id>_" splits the name (sanitize_user_name removed every
# "_<digits>_" from the name part); the name part may be empty (anonymous grading in older
# Canvas) and "late" may be written in either case.
_KEY = r"[\w\u0300-\u036f]*?"
CANVAS_ENTRY = re.compile(
    r"^(?:(?P<key>" + _KEY + r")_)??(?:(?P<late>[Ll][Aa][Tt][Ee])_)?"
    r"(?P<uid>\d+)_(?P<aid>\d+)_(?P<file>[^/]+)$"
)
CANVAS_ANON = re.compile(
    r"^anon(?:_(?P<late>[Ll][Aa][Tt][Ee]))?_(?P<uid>[A-Za-z0-9]+)_(?P<aid>\d+)_(?P<file>[^/]+)$"
)

BY_NAME = "gekoppeld op naam (id uit de leeromgeving niet in de klassenlijst)"


def _sortable(learner: Learner) -> str:
    if learner.sortable_name:
        return learner.sortable_name
    return f"{learner.last_name}, {learner.first_name}" if learner.last_name else learner.name


class Canvas(Adapter):
    name = "canvas"
    label = "Canvas"

    def parse_entry(self, path: str) -> EntryIdentity | None:
        if "/" in path:
            return None
        found = CANVAS_ANON.match(path)
        if found:
            return EntryIdentity(
                "canvas", found.group("uid"), "", found.group("file"), anonymous=True,
                late=bool(found.group("late")), attachment=int(found.group("aid")),
            )
        found = CANVAS_ENTRY.match(path)
        if not found:
            return None
        return EntryIdentity(
            "canvas", found.group("uid"), unicodedata.normalize("NFC", found.group("key") or ""),
            found.group("file"), late=bool(found.group("late")),
            attachment=int(found.group("aid")),
        )

    def match(self, identity: EntryIdentity, roster: Roster) -> Match:
        learner = roster.by_canvas_id(identity.lms_id)
        if learner:
            return Match([learner])
        if identity.anonymous:
            return Match(reason=(
                f"Anoniem beoordelen in Canvas: id {identity.lms_id} is niet te koppelen. "
                "Zet anoniem beoordelen uit of koppel handmatig."
            ))
        if not identity.name:
            return Match(reason=(
                f"Canvas-gebruiker {identity.lms_id} (naam niet in de bestandsnaam, anoniem "
                "beoordelen) staat niet in de klassenlijst. Gebruik de export van het "
                "Canvas-cijferoverzicht als klassenlijst (kolom ID)."
            ))
        found = [x for x in roster if canvas_name_key(_sortable(x)) == identity.name.lower()]
        return Match(found, note=BY_NAME if found else "")


# ---------------------------------------------------------------------------------------
# the gradebook CSV import (GradebookImporter)
# ---------------------------------------------------------------------------------------

IDENTITY_HEADERS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def _existing_column(roster: Roster, assignment: str) -> str | None:
    """The roster's column for ``assignment``: ``Title (id)`` as Canvas exports it, or the
    bare title (Canvas then matches on the title)."""
    for header in roster.headers:
        if re.fullmatch(re.escape(assignment) + r" \(\d+\)", header) or header == assignment:
            return header
    return None


def write_gradebook(roster: Roster | None, columns: list[GradeColumn],
                    options: ExportOptions) -> GradeFile:
    """Canvas's gradebook CSV: the five identity columns and one column per assignment,
    second row ``Points Possible``. An assignment that is in the Canvas export keeps its
    column title and its points possible (scores are scaled to them); a learner without a
    final grade gets the score Canvas already has (no change). Needs the Canvas export as
    class list: only it tells which assignments exist and what they hold."""
    assert roster is not None
    if not roster.is_canvas_export:
        raise LmsFileError(
            "Voor Canvas is de export van het Canvas-cijferoverzicht nodig als klassenlijst "
            "(kolommen Student, ID, SIS User ID, SIS Login ID, Section): alleen daaruit blijkt "
            "welke opdrachten al bestaan, met welk maximum en welke scores. Download hem in "
            "Canvas (Cijfers > Exporteren) en geef hem op met --roster."
        )
    titles, maxima, pp_cells = [], {}, []
    for c in columns:
        existing = _existing_column(roster, c.assignment)
        if existing:
            cell = roster.points_possible.get(existing, "")
            if re.search(r"read\s+only", cell):
                raise LmsFileError(
                    f"De kolom {existing!r} is in Canvas alleen-lezen; Canvas importeert er "
                    "niets in. Kies een andere opdracht."
                )
            maxima[c.assignment] = target_maximum(
                c, options, parse_number(cell), "de Canvas-export (Points Possible)")
            titles.append(existing)
            pp_cells.append(cell or format_points(maxima[c.assignment]))
        else:
            # Not in the export: Canvas creates the assignment with this row's points.
            maxima[c.assignment] = target_maximum(c, options, None, "", fallback=c.max_score)
            titles.append(c.assignment)
            pp_cells.append(format_points(maxima[c.assignment]))
    rows = [IDENTITY_HEADERS + titles, ["    Points Possible", "", "", "", ""] + pp_cells]
    left_out: list[LeftOut] = []
    for learner in roster:
        sid = learner.student_id
        if not (learner.canvas_id or learner.id_number or learner.username):
            left_out.append(LeftOut(sid, (
                "geen ID, SIS User ID of SIS Login ID in de klassenlijst; Canvas zou alleen op "
                "naam koppelen (en bij gelijke namen de verkeerde kiezen).")))
            continue
        cells, new = [], False
        for c, title in zip(columns, titles, strict=True):
            score = c.scores.get(sid)
            if score is None:
                cells.append(learner.row.get(title, "") if title in roster.headers else "")
            else:
                new = True
                cells.append(format_points(scale(score, c, maxima[c.assignment])))
        if not new:
            continue  # nothing to change for this learner: not in the file at all
        rows.append([_sortable(learner), learner.canvas_id, learner.id_number,
                     learner.username, learner.section] + cells)
    notes = [
        f"{c.assignment}: punten omgerekend naar maximaal {format_points(maxima[c.assignment])}"
        f" (nbgrader: maximaal {format_points(c.max_score)})."
        for c in columns if abs(maxima[c.assignment] - c.max_score) > 1e-9
    ]
    new_titles = [t for t in titles if t not in roster.headers]
    if new_titles:
        notes.append(
            f"Nieuw in Canvas (niet in de export): {', '.join(new_titles)}; Canvas maakt die "
            "opdracht(en) aan bij het importeren."
        )
    return GradeFile(csv_text(rows), len(rows) - 2, notes, left_out)


CANVAS = Canvas()
CANVAS.formats = (
    GradeFormat("canvas", "Canvas-cijferoverzicht (Cijfers > Importeren)", write_gradebook),
)
