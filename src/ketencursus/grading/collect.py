"""Import a "download all submissions" zip from Moodle, Canvas or Brightspace.

``collect_zip(course, assignment, zip_path, roster)`` reads the zip entry by entry and never
extracts it: the destination of a notebook is built only from the class list's student id
and the assignment's own notebook name (``Course.submitted(student, assignment) / name``),
so nothing an entry name says can place a file elsewhere. Entry names that try
(absolute, ``..``, backslash, drive letter, symlink) are reported as unsafe all the same.

Steps, in order:

1. read the entry name (UTF-8 flag; else cp437 bytes tried as UTF-8, as many zip tools
   write UTF-8 without the flag), reject unsafe names and skip system files;
2. find the submitter (:func:`ketencursus.grading.lms.parse_entry`: the adapter of the LMS
   whose naming the entry follows) and match the learner in the class list by that LMS's
   rules (:func:`ketencursus.grading.lms.match_learner`: LMS id first, checked against the
   name where the name is there; then the name when it is unambiguous). An entry matched by
   id whose name belongs to someone else (a Moodle group submission) is refused, not
   imported under the id's learner;
3. map the file to a notebook of the assignment (exact name, or the name without Canvas's
   ``-1`` / a browser's `` (1)`` suffix, or the only notebook when both the assignment and
   the learner have exactly one);
4. of several files for the same learner and notebook keep the newest (Canvas: attachment
   id, then re-upload number; others: Brightspace date or the zip's file time) and report
   the rest;
5. write with exclusive create: an existing submission is never overwritten (identical
   content is noted as already present; different content is kept and reported).

nbgrader's ``zip_collect`` is deliberately not used (it fails on duplicates without a
timestamp, on Canvas ``-1`` names and on D2L dates, and trusts captured ids as paths).
"""

from __future__ import annotations

import re
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from ketencursus.grading.course import Course, CourseError
from ketencursus.grading.lms import (
    EntryIdentity,
    Learner,
    Roster,
    RosterError,
    match_learner,
    parse_entry,
    read_roster,
    reupload_variants,
)

ROSTER_FILENAME = "roster.csv"
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
IGNORED_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}

# Kinds of finding; the Dutch label is what the instructor reads.
IMPORTED = "imported"
ALREADY_PRESENT = "already_present"
KEPT_EXISTING = "kept_existing"
UNKNOWN_LEARNER = "unknown_learner"
NAME_MISMATCH = "name_mismatch"
AMBIGUOUS_LEARNER = "ambiguous_learner"
NOT_NOTEBOOK = "not_notebook"
UNEXPECTED_NOTEBOOK = "unexpected_notebook"
DUPLICATE = "duplicate"
UNSAFE_PATH = "unsafe_path"
UNRECOGNISED = "unrecognised"
TOO_LARGE = "too_large"
UNREADABLE = "unreadable"
IGNORED = "ignored"

LABELS = {
    IMPORTED: "Geïmporteerd",
    ALREADY_PRESENT: "Al aanwezig (zelfde inhoud)",
    KEPT_EXISTING: "Bestaande inzending behouden",
    UNKNOWN_LEARNER: "Onbekende cursist",
    NAME_MISMATCH: "Naam past niet bij het nummer (groepsinzending?)",
    AMBIGUOUS_LEARNER: "Cursist niet eenduidig",
    NOT_NOTEBOOK: "Geen notebook",
    UNEXPECTED_NOTEBOOK: "Onverwachte notebooknaam",
    DUPLICATE: "Dubbele inzending (niet de nieuwste)",
    UNSAFE_PATH: "Onveilig pad",
    UNRECOGNISED: "Naam niet herkend",
    TOO_LARGE: "Te groot",
    UNREADABLE: "Onleesbaar in de zip",
    IGNORED: "Genegeerd",
}
# Findings that need the instructor's attention (exit code 1 from the command).
ATTENTION = {
    KEPT_EXISTING, UNKNOWN_LEARNER, NAME_MISMATCH, AMBIGUOUS_LEARNER, UNEXPECTED_NOTEBOOK,
    UNSAFE_PATH,
    UNRECOGNISED, TOO_LARGE, UNREADABLE,
}


class CollectError(CourseError):
    """The zip or the class list cannot be used at all; the message is Dutch."""


@dataclass(frozen=True)
class Finding:
    kind: str
    entry: str
    message: str
    student_id: str | None = None
    path: Path | None = None
    note: str = ""  # how an imported file was matched, when not by the plain rules

    @property
    def label(self) -> str:
        return LABELS[self.kind]


@dataclass
class CollectReport:
    assignment: str
    zip_path: Path
    findings: list[Finding] = field(default_factory=list)

    def of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    @property
    def imported(self) -> list[Finding]:
        return self.of(IMPORTED)

    @property
    def needs_attention(self) -> bool:
        return any(f.kind in ATTENTION for f in self.findings)

    def to_text(self) -> str:
        lines = [f"Import van {self.zip_path.name} voor opdracht {self.assignment}:"]
        counts = {kind: len(self.of(kind)) for kind in LABELS}
        lines.append(
            "  " + ", ".join(f"{LABELS[k].lower()}: {n}" for k, n in counts.items() if n)
        )
        for finding in self.imported:
            if finding.note:
                lines.append(f"- Geïmporteerd, controleer: {finding.entry}\n    {finding.message}")
        for kind in LABELS:
            if kind == IMPORTED:
                continue
            for finding in self.of(kind):
                lines.append(f"- {finding.label}: {finding.entry}\n    {finding.message}")
        if not self.findings:
            lines.append("  De zip bevat geen bestanden.")
        return "\n".join(lines)


@dataclass
class _Candidate:
    info: zipfile.ZipInfo
    entry: str
    identity: EntryIdentity
    learner: Learner
    basename: str
    notebook: str | None = None
    reupload: int = 0
    note: str = ""

    def newness(self) -> tuple:
        return (*self.identity.newness(zip_time(self.info)), self.reupload)


def zip_time(info: zipfile.ZipInfo) -> datetime:
    """The entry's file time; the earliest possible time if the zip holds an invalid one
    (month 0 and the like), so a broken time never wins and never crashes."""
    try:
        return datetime(*info.date_time)
    except (TypeError, ValueError):
        return datetime.min


# ---------------------------------------------------------------------------------------
# entry names
# ---------------------------------------------------------------------------------------


def entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its author meant it: with the UTF-8 flag as stored; without it,
    the cp437 bytes are tried as UTF-8 first (macOS and many tools write UTF-8 without the
    flag), then kept as cp437. Normalised to NFC."""
    name = info.orig_filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            raw = None
        if raw is not None:
            try:
                name = raw.decode("utf-8")
            except UnicodeDecodeError:
                pass
    return unicodedata.normalize("NFC", name)


def unsafe_reason(name: str, info: zipfile.ZipInfo) -> str | None:
    """Why the entry name could point outside a folder (Dutch), or ``None`` if it is a
    plain relative path."""
    if not name:
        return "de naam is leeg"
    if "\x00" in name:
        return "de naam bevat een nul-teken"
    if "\\" in name:
        return "de naam bevat een backslash (Windows-pad)"
    if re.match(r"^[A-Za-z]:", name):
        return "de naam begint met een stationsletter"
    if name.startswith("/"):
        return "de naam is een absoluut pad"
    if any(part in {"..", "."} for part in name.split("/")):
        return "de naam bevat '..' of '.' als mapdeel"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "het item is een symbolische koppeling"
    return None


# ---------------------------------------------------------------------------------------
# collect
# ---------------------------------------------------------------------------------------


def default_roster(course: Course) -> Path:
    """The class list used when ``--roster`` is not given: ``roster.csv`` in the course."""
    return course.root / ROSTER_FILENAME


def expected_notebooks(course: Course, assignment: str) -> list[str]:
    """Notebook file names of ``assignment``: from ``source/`` or, failing that,
    ``release/``."""
    try:
        return [p.name for p in course.source_notebooks(assignment)]
    except CourseError:
        release = course.release(assignment)
        names = sorted(p.name for p in release.glob("*.ipynb")) if release.is_dir() else []
        if names:
            return names
        raise CourseError(
            f"Opdracht {assignment!r} is onbekend: er staan geen notebooks in "
            f"{course.source(assignment)} of {release}. Maak de opdracht eerst "
            "(ketencursus assignments) of controleer de naam."
        ) from None


def collect_zip(
    course: Course,
    assignment: str,
    zip_path: Path,
    roster: Roster | Path | None = None,
) -> CollectReport:
    """Import the notebooks of ``zip_path`` into ``submitted/<student>/<assignment>/``."""
    zip_path = Path(zip_path)
    if roster is None:
        roster = default_roster(course)
    if not isinstance(roster, Roster):
        try:
            roster = read_roster(Path(roster))
        except RosterError as exc:
            raise CollectError(str(exc)) from None
    notebooks = expected_notebooks(course, assignment)
    if not zip_path.is_file():
        raise CollectError(f"Zipbestand {zip_path} bestaat niet.")
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise CollectError(
            f"{zip_path.name} is geen leesbaar zipbestand ({exc}). Download de inzendingen "
            "opnieuw uit de leeromgeving."
        ) from None

    report = CollectReport(assignment, zip_path)
    with archive:
        candidates = _read_entries(archive, roster, report)
        _assign_notebooks(candidates, notebooks, report)
        for group in _groups(candidates):
            newest = max(group, key=_Candidate.newness)
            for other in group:
                if other is not newest:
                    report.findings.append(Finding(
                        DUPLICATE, other.entry,
                        f"Ook ingeleverd als {newest.entry}; de nieuwste is genomen.",
                        other.learner.student_id,
                    ))
            _write(course, assignment, archive, newest, report)
    return report


def _read_entries(archive: zipfile.ZipFile, roster: Roster, report: CollectReport
                  ) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    for info in archive.infolist():
        name = entry_name(info)
        if info.filename.endswith("/"):  # a folder (ZipInfo.is_dir() fails on empty names)
            continue
        reason = unsafe_reason(name, info)
        if reason:
            report.findings.append(Finding(
                UNSAFE_PATH, name, f"Niet geïmporteerd: {reason}. Controleer deze zip."
            ))
            continue
        parts = name.split("/")
        basename = parts[-1]
        if parts[0] == "__MACOSX" or basename.casefold() in IGNORED_NAMES:
            report.findings.append(Finding(IGNORED, name, "Systeembestand, overgeslagen."))
            continue
        if len(parts) == 1 and basename.casefold() == "index.html":
            report.findings.append(Finding(
                IGNORED, name, "Overzichtspagina van Brightspace, overgeslagen."
            ))
            continue
        identity = parse_entry(name)
        if identity is None:
            report.findings.append(Finding(
                UNRECOGNISED, name,
                "Deze naam volgt geen bekend patroon van Moodle, Canvas of Brightspace. "
                "Download de zip opnieuw ('alle inzendingen downloaden') zonder hem uit te "
                "pakken en opnieuw in te pakken.",
            ))
            continue
        match = match_learner(identity, roster)
        learners, how, reason = match.learners, match.note, match.reason
        who = identity.name or identity.lms_id
        if match.refused:
            report.findings.append(Finding(
                NAME_MISMATCH, name, reason,
                learners[0].student_id if learners else None,
            ))
            continue
        if not learners:
            report.findings.append(Finding(
                UNKNOWN_LEARNER, name,
                reason or f"{who} ({identity.lms} {identity.lms_id}) staat niet in de "
                "klassenlijst. Voeg de cursist toe aan de klassenlijst en importeer opnieuw.",
            ))
            continue
        if len(learners) > 1:
            ids = ", ".join(learner.student_id for learner in learners)
            advice = (
                "Brightspace koppelt alleen op naam: kopieer dit notebook zelf naar "
                "submitted/<student_id>/<opdracht>/ van de juiste cursist."
                if identity.lms == "brightspace" else
                "Gebruik een klassenlijst met de id's uit de leeromgeving (Moodle: Identifier; "
                "Canvas: ID) om ze te onderscheiden."
            )
            report.findings.append(Finding(
                AMBIGUOUS_LEARNER, name,
                f"De naam {who!r} past bij meer cursisten ({ids}). {advice}",
            ))
            continue
        learner = learners[0]
        basename = identity.filename.rsplit("/", 1)[-1]
        if not basename.lower().endswith(".ipynb"):
            advice = (
                " Het is zelf een zip: pak het uit en zet het notebook met de hand in "
                f"submitted/{learner.student_id}/<opdracht>/, of vraag de cursist het "
                "notebook los in te leveren."
                if basename.lower().endswith(".zip") else ""
            )
            report.findings.append(Finding(
                NOT_NOTEBOOK, name,
                f"Geen Jupyter-notebook (.ipynb); niet geïmporteerd voor "
                f"{learner.student_id}.{advice}",
                learner.student_id,
            ))
            continue
        if info.file_size > MAX_NOTEBOOK_BYTES:
            report.findings.append(Finding(
                TOO_LARGE, name,
                f"Het bestand is {info.file_size // (1024 * 1024)} MB; meer dan "
                f"{MAX_NOTEBOOK_BYTES // (1024 * 1024)} MB wordt niet geïmporteerd. Vraag "
                f"{learner.student_id} de uitvoer te wissen en opnieuw in te leveren.",
                learner.student_id,
            ))
            continue
        candidates.append(_Candidate(
            info, name, identity, learner, basename,
            note=how,
        ))
    return candidates


def _assign_notebooks(candidates: list[_Candidate], notebooks: list[str],
                      report: CollectReport) -> None:
    expected = set(notebooks)
    per_learner: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        per_learner.setdefault(candidate.learner.student_id, []).append(candidate)
        for variant, number in reupload_variants(candidate.basename):
            if variant in expected:
                candidate.notebook, candidate.reupload = variant, number
                break
    # A learner who handed in one notebook under another name, for an assignment of one
    # notebook: that file can only be meant as the assignment's notebook.
    renamed = {
        student for student, own in per_learner.items()
        if len(expected) == 1
        and all(c.notebook is None for c in own)
        and len({c.basename for c in own}) == 1
    }
    for candidate in list(candidates):
        if candidate.notebook:
            continue
        if candidate.learner.student_id in renamed:
            candidate.notebook = notebooks[0]
            candidate.note = (candidate.note + "; " if candidate.note else "") + (
                f"opgeslagen als {notebooks[0]} (ingeleverd als {candidate.basename})"
            )
            continue
        report.findings.append(Finding(
            UNEXPECTED_NOTEBOOK, candidate.entry,
            f"{candidate.basename!r} is geen notebook van deze opdracht (verwacht: "
            f"{', '.join(notebooks)}); niet geïmporteerd. Hernoem het in een kopie van de "
            "zip of vraag de cursist opnieuw in te leveren.",
            candidate.learner.student_id,
        ))
        candidates.remove(candidate)


def _groups(candidates: list[_Candidate]) -> list[list[_Candidate]]:
    groups: dict[tuple[str, str], list[_Candidate]] = {}
    for candidate in candidates:
        key = (candidate.learner.student_id, candidate.notebook or "")
        groups.setdefault(key, []).append(candidate)
    return list(groups.values())


def _write(course: Course, assignment: str, archive: zipfile.ZipFile, candidate: _Candidate,
           report: CollectReport) -> None:
    student = candidate.learner.student_id
    folder = course.submitted(student, assignment)
    target = folder / str(candidate.notebook)
    root = course.root.resolve()
    if root not in target.resolve().parents:  # defence in depth; names are checked already
        raise CollectError(f"Doelpad {target} ligt buiten de cursusmap {root}.")
    try:
        with archive.open(candidate.info) as handle:
            data = handle.read(MAX_NOTEBOOK_BYTES + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, zlib.error) as exc:
        report.findings.append(Finding(
            UNREADABLE, candidate.entry,
            f"Dit bestand kan niet uit de zip gelezen worden ({exc}); niet geïmporteerd. "
            "Download de zip opnieuw of vraag de cursist opnieuw in te leveren.",
            student,
        ))
        return
    if len(data) > MAX_NOTEBOOK_BYTES:
        report.findings.append(Finding(
            TOO_LARGE, candidate.entry,
            f"Uitgepakt groter dan {MAX_NOTEBOOK_BYTES // (1024 * 1024)} MB; niet geïmporteerd.",
            student,
        ))
        return
    note = f" ({candidate.note})" if candidate.note else ""
    if target.exists():
        if target.read_bytes() == data:
            report.findings.append(Finding(
                ALREADY_PRESENT, candidate.entry,
                f"{PurePosixPath(*target.relative_to(root).parts)} bestond al met dezelfde "
                "inhoud.", student, target,
            ))
        else:
            report.findings.append(Finding(
                KEPT_EXISTING, candidate.entry,
                f"{PurePosixPath(*target.relative_to(root).parts)} bestaat al met andere inhoud; "
                "de eerdere inzending is behouden en deze NIET geïmporteerd. Wilt u de nieuwe "
                "nakijken, verplaats dan eerst het bestaande bestand en importeer opnieuw.",
                student, target,
            ))
        return
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "xb") as out:  # exclusive: never replaces a file
            out.write(data)
    except FileExistsError:
        report.findings.append(Finding(
            KEPT_EXISTING, candidate.entry,
            f"{target.name} verscheen tijdens de import; de bestaande is behouden.",
            student, target,
        ))
        return
    report.findings.append(Finding(
        IMPORTED, candidate.entry,
        f"Opgeslagen als {PurePosixPath(*target.relative_to(root).parts)}{note}.",
        student, target, candidate.note,
    ))
