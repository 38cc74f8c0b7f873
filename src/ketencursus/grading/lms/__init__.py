"""The learning management systems: one adapter per system behind a registry.

* :mod:`.roster` – the class list (:class:`Roster`, :func:`read_roster`,
  :data:`ROSTER_FORMAT`), shared by all systems;
* :mod:`.moodle`, :mod:`.canvas`, :mod:`.brightspace` – per system: the names in its
  "download all submissions" zip, how an entry is matched to a learner, and the grade files
  its importers read; :mod:`.plain` – the plain table;
* :mod:`.base` – what they share (:class:`Adapter`, :class:`GradeFormat`,
  :class:`GradeFile`, scaling to the LMS maximum).

:data:`ADAPTERS` is the registry (``name -> adapter``); :data:`FORMATS` lists every grade
file by its ``--format`` name, taken from the adapters. The importers' rules that the
writers follow are written down in ``docs/lms-formats.md``.
"""

from __future__ import annotations

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
    format_points,
    parse_number,
    reupload_variants,
)
from ketencursus.grading.lms.brightspace import BRIGHTSPACE, parse_d2l_date
from ketencursus.grading.lms.canvas import CANVAS, canvas_name_key
from ketencursus.grading.lms.moodle import MOODLE
from ketencursus.grading.lms.plain import PLAIN
from ketencursus.grading.lms.roster import (
    ROSTER_FORMAT,
    Learner,
    Roster,
    RosterError,
    normalize_name,
    parse_roster,
    read_roster,
    safe_student_id,
)

# Order matters for zip entries: Moodle's names end in "_assignsubmission_<plugin>", which
# no other system writes; Brightspace's start with "<n>-<m> - "; Canvas's are the loosest.
ADAPTERS: dict[str, Adapter] = {a.name: a for a in (MOODLE, BRIGHTSPACE, CANVAS, PLAIN)}
FORMATS: dict[str, GradeFormat] = {
    fmt.name: fmt for adapter in (PLAIN, MOODLE, CANVAS, BRIGHTSPACE) for fmt in adapter.formats
}


def parse_entry(path: str) -> EntryIdentity | None:
    """The submitter of a zip entry ``path`` (``/``-separated, already checked to be a safe
    relative path) by the first adapter that knows the name, or ``None``."""
    for adapter in ADAPTERS.values():
        identity = adapter.parse_entry(path)
        if identity is not None:
            return identity
    return None


def match_learner(identity: EntryIdentity, roster: Roster) -> Match:
    """The learners of ``roster`` an entry may be, by the rules of its LMS."""
    return ADAPTERS[identity.lms].match(identity, roster)


__all__ = [
    "ADAPTERS", "FORMATS", "ROSTER_FORMAT", "Adapter", "EntryIdentity", "ExportOptions",
    "GradeColumn", "GradeFile", "GradeFormat", "Learner", "LeftOut", "LmsFileError", "Match",
    "Roster", "RosterError", "canvas_name_key", "format_points", "match_learner",
    "normalize_name", "parse_d2l_date", "parse_entry", "parse_number", "parse_roster",
    "read_roster", "reupload_variants", "safe_student_id",
]
