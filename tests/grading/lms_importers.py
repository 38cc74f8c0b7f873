"""Small models of the LMS importers, written from their code (or, for Brightspace, its
documentation), to replay on the files ``ketencursus export`` writes.

Each model keeps its own copy of what it needs from the LMS (column names in the site's
language, match rules, what an empty cell does): nothing here imports the project's
writers, so a writer that drifts from the importer fails the replay. The sources are cited
per model and summarised in ``docs/lms-formats.md``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

# ---------------------------------------------------------------------------------------
# Moodle: grade/import/csv (classes/load_data.php, prepare_import_grade_data) and
# lib/grade/grade_item.php (update_final_grade, bounded_grade)
# ---------------------------------------------------------------------------------------


class ImportAborted(Exception):
    """The importer stops the whole import (Moodle's cleanup_import, Canvas's failure)."""


def php_empty(value: str) -> bool:
    return value in ("", "0")


def unformat_float(value: str) -> float | None | bool:
    """lib/moodlelib.php unformat_float(..., strict): spaces removed, the locale's decimal
    separator (',' for nl) turned into '.'; '' -> None; not a number -> False."""
    value = value.replace(" ", "")
    if value == "":
        return None
    value = value.replace(",", ".")
    if not re.fullmatch(r"-?\d*\.?\d+|-?\d+\.", value):
        return False
    return float(value)


@dataclass
class MoodleGradeItem:
    grademax: float
    grades: dict[int, float | None] = field(default_factory=dict)  # userid -> finalgrade
    overridden: set[int] = field(default_factory=set)


@dataclass
class MoodleGradebookImport:
    """A Moodle course: ``users`` (userid -> {'idnumber', 'username', 'email'}) and grade
    ``items`` (item id -> :class:`MoodleGradeItem`)."""

    users: dict[int, dict[str, str]]
    items: dict[int, MoodleGradeItem]

    FIELDS = {"userid": "id", "useridnumber": "idnumber", "useremail": "email",
              "username": "username"}

    def _user(self, mapto: str, value: str) -> int:
        field_name = self.FIELDS[mapto]
        found = [uid for uid, u in self.users.items()
                 if (str(uid) if field_name == "id" else u.get(field_name, "")) == value]
        if len(found) != 1:  # $DB->get_record: none, or more than one record, is an error
            raise ImportAborted(f"usermappingerror: {mapto} {value!r}")
        return found[0]

    def run(self, text: str, mapfrom: str, mapto: str, mapping: dict[str, int]) -> None:
        """Import ``text`` with the user's choices: the match column ``mapfrom`` mapped to
        ``mapto``, each grade column mapped to an existing item id."""
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = [h.strip() for h in rows[0]]
        buffered: list[tuple[int, int, float | None]] = []
        studentid: int | None = None  # set once, before the loop (the G2 behaviour)
        for line in rows[1:]:
            if len(line) <= 1:
                continue
            newgrades: list[tuple[int, float | None]] = []
            for key, raw in enumerate(line):
                value = raw.strip()
                column = header[key]
                if column == mapfrom:
                    if not php_empty(value):  # "Skip invalid row with blank user field."
                        studentid = self._user(mapto, value)
                elif column in mapping:
                    if value == "" or value == "-":
                        newgrades.append((mapping[column], None))  # "No grade."
                    else:
                        number = unformat_float(value)
                        if number is False or number is None:
                            raise ImportAborted(f"badgrade: {value!r}")
                        newgrades.append((mapping[column], float(number)))
            if not studentid:
                raise ImportAborted("usermappingerrorusernotfound")
            buffered += [(studentid, item, grade) for item, grade in newgrades]
        for userid, item_id, grade in buffered:  # grade_import_commit -> update_final_grade
            item = self.items[item_id]
            item.overridden.add(userid)
            item.grades[userid] = None if grade is None else min(max(grade, 0.0), item.grademax)


# ---------------------------------------------------------------------------------------
# Moodle: mod/assign/feedback/offline (importgradeslib.php init/next, locallib.php
# process_import_grades)
# ---------------------------------------------------------------------------------------

# The strings the upload compares the columns with, from the language packs.
MOODLE_LANG = {
    "en": {"grade": "Grade", "recordid": "Identifier", "lastmodifiedgrade":
           "Last modified (grade)", "hiddenuser": "Participant "},
    "nl": {"grade": "Cijfer", "recordid": "Identificatie", "lastmodifiedgrade":
           "Laatst gewijzigd (beoordeling)", "hiddenuser": "Deelnemer"},
}


def strtotime(text: str) -> datetime | None:
    """PHP's strtotime for the forms the worksheet holds: English dates parse, "-" and
    Dutch dates do not (``False`` in PHP, ``None`` here)."""
    for form in ("%A, %d %B %Y, %I:%M %p", "%d %B %Y, %I:%M %p"):
        try:
            return datetime.strptime(text.strip(), form)
        except ValueError:
            continue
    return None


@dataclass
class MoodleAssignment:
    """One assignment: ``grade`` is its maximum; ``participants`` maps the worksheet's
    participant number to a user id; ``grades`` userid -> (grade, timemodified)."""

    grade: float
    participants: dict[int, int]
    grades: dict[int, tuple[float, datetime]] = field(default_factory=dict)

    def upload(self, text: str, language: str, ignoremodified: bool = False) -> None:
        strings = MOODLE_LANG[language]
        rows = list(csv.reader(io.StringIO(text, newline="")))
        columns = rows[0]
        try:
            gradeindex = columns.index(strings["grade"])
            idindex = columns.index(strings["recordid"])
            modifiedindex = columns.index(strings["lastmodifiedgrade"])
        except ValueError:
            raise ImportAborted("invalidgradeimport: a column is missing") from None
        now = datetime(2024, 10, 1, 12, 0)
        for record in rows[1:]:
            unique = record[idindex][len(strings["hiddenuser"]):]
            userid = self.participants.get(int(unique)) if unique.strip().isdigit() else None
            if userid is None:
                continue
            value = unformat_float(record[gradeindex])
            modified = strtotime(record[modifiedindex])
            usergrade = self.grades.get(userid)
            stale = usergrade is not None and (
                modified is None or usergrade[1] > modified)  # false + 60 < any time
            if usergrade is not None and value is not None and usergrade[0] == value:
                continue  # grade not modified
            if value is None or value is False or value < 0:
                continue  # no value
            if not ignoremodified and stale:
                continue
            if value > self.grade:
                continue  # out of range
            self.grades[userid] = (float(value), now)


# ---------------------------------------------------------------------------------------
# Canvas: lib/gradebook_importer.rb (GradebookImporter)
# ---------------------------------------------------------------------------------------


@dataclass
class CanvasStudent:
    id: int
    name: str
    sortable_name: str
    sis_user_id: str = ""
    login_id: str = ""


@dataclass
class CanvasAssignment:
    id: int
    title: str
    points_possible: float
    scores: dict[int, str] = field(default_factory=dict)  # user id -> "7.5", "EX"


@dataclass
class CanvasCourse:
    students: list[CanvasStudent]
    assignments: list[CanvasAssignment]
    created: list[CanvasAssignment] = field(default_factory=list)
    missing_students: list[str] = field(default_factory=list)

    def _student(self, row: list[str], sis_col: int | None, login_col: int | None):
        if row[1].strip():
            found = next((s for s in self.students if s.id == _to_i(row[1])), None)
            if found:
                return found
        for col, attr in ((sis_col, "sis_user_id"), (login_col, "login_id")):
            if col is not None and row[col].strip():
                found = next((s for s in self.students if getattr(s, attr) == row[col]), None)
                if found:
                    return found
        name = row[0]
        return next((s for s in self.students if name in (s.name, s.sortable_name)), None)

    def import_csv(self, text: str) -> None:
        """Parse, then accept the preview as is (every change the importer shows is made)."""
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = rows[0]
        if not (len(header) > 3 and "Student" in header[0] and "ID" in header[1]):
            raise ImportAborted("Invalid header row")
        student_columns, sis_col, login_col = 3, None, None
        if re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID",
                                                                     header[3]):
            student_columns, sis_col, login_col = 5, 2, 3
        if "Section" not in header[student_columns - 1]:
            raise ImportAborted("Invalid header row")
        columns: list[tuple[int, CanvasAssignment]] = []
        for index in range(student_columns, len(header)):
            name_and_id = header[index]
            found = re.fullmatch(r"(.*) \((\d+)\)", name_and_id)
            assignment = None
            if found:
                assignment = next((a for a in self.assignments if a.id == int(found[2])), None)
            assignment = assignment or next(
                (a for a in self.assignments if a.title == name_and_id), None)
            if assignment is None:
                assignment = CanvasAssignment(-len(self.created) - 1,
                                              found[1] if found else name_and_id, 0.0)
                self.created.append(assignment)
            columns.append((index, assignment))
        for row in rows[1:]:
            if row and "Points Possible" in row[0]:
                for index, assignment in columns:
                    if row[index]:
                        assignment.points_possible = float(row[index].replace(",", "."))
                continue
            student = self._student(row, sis_col, login_col)
            if student is None:
                self.missing_students.append(row[0])
                continue
            for index, assignment in columns:
                grade = _decimal_comma(row[index].strip())
                current = assignment.scores.get(student.id, "")
                if _no_change(grade, current):
                    continue
                if grade == "" or grade == "-":
                    assignment.scores.pop(student.id, None)  # the score is cleared
                else:
                    assignment.scores[student.id] = grade


def _to_i(text: str) -> int:
    found = re.match(r"\s*-?\d+", text)
    return int(found.group()) if found else 0


def _decimal_comma(field_value: str) -> str:
    if re.fullmatch(r"-?[0-9.,]+%?", field_value):
        parts = re.split(r"[,.]", field_value)
        last = parts.pop()
        return last if not parts else "".join(parts) + "." + last
    return field_value


def _no_change(new: str, current: str) -> bool:
    def no_score(v: str) -> bool:
        return v.strip() == "" or v == "-"
    if new == current or (no_score(current) and no_score(new)):
        return True
    if no_score(current) or no_score(new):
        return False
    if "EX" in (new.upper(), current.upper()):
        return False
    return f"{float(current):.2f}" == f"{float(new):.2f}"


# ---------------------------------------------------------------------------------------
# Brightspace: D2L's "Importing grades" documentation (no public code)
# ---------------------------------------------------------------------------------------


@dataclass
class BrightspaceItem:
    name: str
    max_points: float
    can_exceed: bool = False
    grades: dict[str, float] = field(default_factory=dict)  # OrgDefinedId -> points


@dataclass
class BrightspaceCourse:
    """``users``: Username -> OrgDefinedId ("" when the user has none); grades are kept by
    Username."""

    users: dict[str, str]
    items: list[BrightspaceItem]
    created: list[str] = field(default_factory=list)
    undocumented: list[str] = field(default_factory=list)

    def import_csv(self, text: str) -> None:
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = rows[0]
        if header[-1] != "End-of-Line Indicator":
            raise ImportAborted("no End-of-Line Indicator column")
        key_columns = [i for i, h in enumerate(header) if h in ("OrgDefinedId", "Username")]
        if not key_columns:
            raise ImportAborted("You must provide a Username or Org Defined ID, or both")
        grade_columns = []
        for index, h in enumerate(header):
            found = re.match(r"^(.+?) Points Grade(?: <.*>)?$", h)
            if found:
                item = next((x for x in self.items if x.name == found[1]), None)
                if item is None:
                    self.created.append(found[1])  # "a new item is created"
                    continue
                grade_columns.append((index, item))
        by_org = {org: user for user, org in self.users.items() if org}
        for row in rows[1:]:
            user = None
            for index in key_columns:
                value = row[index].lstrip("#")  # "# ... not part of the data"
                if value:
                    user = value if header[index] == "Username" else by_org.get(value)
                    break
            if user not in self.users:
                raise ImportAborted(f"unknown user in row {row}")
            for index, item in grade_columns:
                value = row[index].strip()
                if value == "":
                    self.undocumented.append(f"{user}: empty {item.name}")
                    continue
                points = float(value)
                if points > item.max_points and not item.can_exceed:
                    points = item.max_points  # "the grade is capped at the value"
                item.grades[user] = points
