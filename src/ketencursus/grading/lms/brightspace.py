"""Brightspace (D2L): the "Download" zip of an assignment folder and the grade import
(``brightspace``).

Brightspace has no public code; what its documentation says (and what it leaves open) is in
``docs/lms-formats.md`` (§ Brightspace). Where the documentation is silent the writer takes
the safe side: no empty grade cells, one filled id column, scores scaled to the item's
``MaxPoints``.
"""

from __future__ import annotations

import re
from datetime import datetime

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
from ketencursus.grading.lms.roster import Roster

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january", "januari"), ("feb", "february", "februari"),
            ("mar", "march", "mrt", "maart"), ("apr", "april"), ("may", "mei"),
            ("jun", "june", "juni"), ("jul", "july", "juli"), ("aug", "august", "augustus"),
            ("sep", "sept", "september"), ("oct", "october", "okt", "oktober"),
            ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
ENGLISH_DATE = re.compile(
    r"([A-Za-z]+)\.? (\d{1,2}), (\d{4}) (\d{1,2})(\d{2}) ?([AaPp])[Mm]"
)
# A day-first date as a Dutch-locale server may write it ("24 sep. 2024 21:26", "24 sep 2024
# 2126"): not confirmed on a real zip, so parsed best-effort only.
DAY_FIRST_DATE = re.compile(
    r"(\d{1,2}) ([A-Za-z]+)\.? (\d{4}),? (\d{1,2})[:.h]?(\d{2})"
)
IDS = re.compile(r"^\d+-\d+$")


def parse_d2l_date(text: str) -> datetime | None:
    """Brightspace's folder date, e.g. ``Sep 24, 2024 926 PM`` (no colon, no zone; local
    time of the server), or day first (``24 sep. 2024 21:26``). ``None`` if it is in
    neither form (the zip's own file time is used then)."""
    text = text.strip()
    found = ENGLISH_DATE.fullmatch(text)
    if found:
        month = MONTHS.get(found.group(1).lower())
        day, year, hour, minute = (int(found.group(i)) for i in (2, 3, 4, 5))
        if not month or not (1 <= hour <= 12) or minute > 59:
            return None
        hour = hour % 12 + (12 if found.group(6).lower() == "p" else 0)
    else:
        found = DAY_FIRST_DATE.fullmatch(text)
        if not found:
            return None
        month = MONTHS.get(found.group(2).lower())
        day, year, hour, minute = (int(found.group(i)) for i in (1, 3, 4, 5))
        if not month or hour > 23 or minute > 59:
            return None
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def _split(top: str, flat: bool) -> tuple[str, str, str, str] | None:
    """``(ids, name, date, file)`` of ``<ids> - <name> - <date>[ - <file>]``. The date is
    the first part after the name that reads as a date; if none does, the part in the
    standard position (a date in a form not known here still imports)."""
    parts = top.split(" - ")
    if len(parts) < (4 if flat else 3) or not IDS.match(parts[0]):
        return None
    last = len(parts) - (2 if flat else 1)
    at = next((i for i in range(2, last + 1) if parse_d2l_date(parts[i])), None)
    if at is None:
        at = 2 if flat else last
    name = " - ".join(parts[1:at])
    file = " - ".join(parts[at + 1:])
    if not name or (flat and not file) or (not flat and file):
        return None
    return parts[0], name, parts[at], file


class Brightspace(Adapter):
    name = "brightspace"
    label = "Brightspace"

    def parse_entry(self, path: str) -> EntryIdentity | None:
        parts = path.split("/")
        top, rest = parts[0], parts[1:]
        split = _split(top, flat=not rest)
        if split is None:
            return None
        ids, name, date, file = split
        return EntryIdentity(
            "brightspace", ids, name, "/".join(rest) if rest else file,
            timestamp=parse_d2l_date(date),
        )

    def match(self, identity: EntryIdentity, roster: Roster) -> Match:
        return Match(roster.by_name(identity.name))


# ---------------------------------------------------------------------------------------
# the grade import
# ---------------------------------------------------------------------------------------

POINTS_GRADE = re.compile(r"^(?P<item>.+?) Points Grade(?P<rest>(?: <.*>)?)$")
MAX_POINTS = re.compile(r"MaxPoints:\s*(?P<max>[\d.,]+)")


def _fold(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name.casefold())


def _existing_column(roster: Roster, assignment: str) -> tuple[str | None, str]:
    """The roster's ``<item> Points Grade …`` header for ``assignment`` (exact item name,
    else the one item whose name differs only in case, spaces, ``_`` or ``-``), and a note
    when it was found the second way."""
    items = [(h, m.group("item")) for h in roster.headers if (m := POINTS_GRADE.match(h))]
    for header, item in items:
        if item == assignment:
            return header, ""
    close = [(h, item) for h, item in items if _fold(item) == _fold(assignment)]
    if len(close) == 1:
        return close[0][0], (
            f"{assignment} is in Brightspace het cijferonderdeel {close[0][1]!r}; die kolom "
            "is gebruikt."
        )
    return None, ""


def write_grades(roster: Roster | None, columns: list[GradeColumn],
                 options: ExportOptions) -> GradeFile:
    """Brightspace's grade import: ONE id column (``OrgDefinedId`` when every learner has
    one, else ``Username``), one ``<item> Points Grade`` column per assignment (the grade
    export's own header when the class list is one, with its ``MaxPoints``) and
    ``End-of-Line Indicator`` holding ``#``. Ids carry the ``#`` prefix as in Brightspace's
    own export. Only learners with a final grade in every column are written."""
    assert roster is not None
    learners = list(roster)
    key_header, attribute = "OrgDefinedId", "id_number"
    if not all(learner.id_number for learner in learners):
        if all(learner.username for learner in learners) or (
                sum(bool(x.username) for x in learners) > sum(bool(x.id_number)
                                                             for x in learners)):
            key_header, attribute = "Username", "username"
    if not any(getattr(learner, attribute) for learner in learners):
        raise LmsFileError(
            "Voor Brightspace heeft de klassenlijst OrgDefinedId of Username nodig."
        )
    headers, maxima, notes = [], {}, []
    for c in columns:
        existing, note = _existing_column(roster, c.assignment)
        if note:
            notes.append(note)
        from_file = None
        if existing:
            found = MAX_POINTS.search(existing)
            from_file = parse_number(found.group("max")) if found else None
        where = "de cijferexport van Brightspace" if existing else "de klassenlijst"
        maxima[c.assignment] = target_maximum(c, options, from_file, where)
        headers.append(existing or f"{c.assignment} Points Grade")
    rows = [[key_header] + headers + ["End-of-Line Indicator"]]
    left_out: list[LeftOut] = []
    for learner in learners:
        sid, key = learner.student_id, getattr(learner, attribute)
        if not key:
            left_out.append(LeftOut(sid, (
                f"geen {key_header} in de klassenlijst; zonder id koppelt Brightspace de "
                "regel aan niemand. Vul het in de klassenlijst in.")))
            continue
        missing = [c.assignment for c in columns if c.scores.get(sid) is None]
        if missing:
            others = [c.assignment for c in columns if c.assignment not in missing]
            advice = (f" Exporteer {', '.join(others)} apart (--assignment)." if others else "")
            left_out.append(LeftOut(sid, (
                f"geen definitief cijfer voor {', '.join(missing)}; wat Brightspace met een "
                f"lege cel doet is niet gedocumenteerd.{advice}")))
            continue
        values = [scale(float(c.scores[sid] or 0.0), c, maxima[c.assignment]) for c in columns]
        too_high = [c.assignment for c, v in zip(columns, values, strict=True)
                    if v > maxima[c.assignment] + 1e-9]
        if too_high:
            left_out.append(LeftOut(sid, (
                f"cijfer boven het maximum voor {', '.join(too_high)} (extra punten); "
                "Brightspace kapt het af tenzij 'Can Exceed' aanstaat. Voer het met de hand "
                "in.")))
            continue
        rows.append([f"#{key}"] + [format_points(v) for v in values] + ["#"])
    notes += [
        f"{c.assignment}: punten omgerekend naar maximaal {format_points(maxima[c.assignment])}"
        f" (nbgrader: maximaal {format_points(c.max_score)})." for c in columns
    ]
    return GradeFile(csv_text(rows), len(rows) - 1, notes, left_out)


BRIGHTSPACE = Brightspace()
BRIGHTSPACE.formats = (
    GradeFormat("brightspace", "Brightspace-cijferimport (Grades > Import)", write_grades),
)
