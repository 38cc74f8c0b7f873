"""Moodle: the assignment's "download all submissions" zip, the grading worksheet
(``moodle-worksheet``) and the gradebook CSV import (``moodle``).

What Moodle's code does with each file, and why the writers below look the way they do,
is in ``docs/lms-formats.md`` (§ Moodle); the tests replay it
(``tests/grading/lms_importers.py``).
"""

from __future__ import annotations

import re

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
    duplicates,
    format_points,
    parse_number,
    scale,
    target_maximum,
)
from ketencursus.grading.lms.roster import Learner, Roster, header_key, normalize_name

# Moodle's strings, per site language, for the column names of the grading worksheet and
# the blind-marking prefix (mod_assign and core language packs; en and nl read).
STRINGS: dict[str, dict[str, tuple[str, ...]]] = {
    # core 'grade' / 'gradenoun': the Grade column the upload looks for
    "grade": {"en": ("Grade",), "nl": ("Cijfer",)},
    # mod_assign 'recordid'
    "recordid": {"en": ("Identifier",), "nl": ("Identificatie",)},
    # mod_assign 'lastmodifiedgrade'
    "lastmodifiedgrade": {"en": ("Last modified (grade)",),
                          "nl": ("Laatst gewijzigd (beoordeling)",)},
    # mod_assign 'maxgrade' (older sites wrote "Maximum Grade")
    "maxgrade": {"en": ("Maximum grade", "Maximum Grade"), "nl": ("Maximaal cijfer",)},
    # mod_assign 'scale': the worksheet of a scale-graded assignment has it instead of a max
    "scale": {"en": ("Scale",), "nl": ("Schaal",)},
    # mod_assign 'participant' / 'hiddenuser': the prefix of blind marking
    "participant": {"en": ("Participant",), "nl": ("Deelnemer",)},
}
LANGUAGES = {"en": "Engels", "nl": "Nederlands"}


def find_column(headers: list[str], string: str) -> tuple[str, str] | None:
    """``(header, language)`` of the column named by Moodle's ``string`` in any language."""
    for language, names in STRINGS[string].items():
        wanted = {header_key(n) for n in names}
        for header in headers:
            if header_key(header) in wanted:
                return header, language
    return None


ANONYMOUS_PREFIXES = {normalize_name(p) for ps in STRINGS["participant"].values() for p in ps}

MOODLE_FOLDER = re.compile(
    r"^(?P<prefix>.*)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_?$"
)
MOODLE_FLAT = re.compile(
    r"^(?P<prefix>.*)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>[^/]+)$"
)

BY_NAME = "gekoppeld op naam (id uit de leeromgeving niet in de klassenlijst)"


def _name_fits(prefix: str, learner: Learner) -> bool:
    """Whether a folder prefix is this learner's name: the full name, or Moodle 3.x's
    group-mode form ``<group>-<full name>``."""
    wanted = normalize_name(prefix)
    for form in learner.name_forms():
        name = normalize_name(form)
        if wanted == name or wanted.endswith("-" + name):
            return True
    return False


class Moodle(Adapter):
    name = "moodle"
    label = "Moodle"

    def parse_entry(self, path: str) -> EntryIdentity | None:
        parts = path.split("/")
        top, rest = parts[0], parts[1:]
        found = MOODLE_FOLDER.match(top) if rest else MOODLE_FLAT.match(top)
        if not found:
            return None
        filename = "/".join(rest) if rest else found.group("file")
        prefix = found.group("prefix")
        anonymous = normalize_name(prefix) in ANONYMOUS_PREFIXES
        return EntryIdentity(
            "moodle", found.group("pid"), "" if anonymous else prefix, filename,
            anonymous=anonymous,
        )

    def match(self, identity: EntryIdentity, roster: Roster) -> Match:
        learner = roster.by_moodle_participant(identity.lms_id)
        if learner:
            if identity.anonymous:
                return Match([learner])
            if not learner.name_forms():
                return Match([learner], note=(
                    "naam niet te controleren: de klassenlijst heeft geen naam bij deze "
                    "deelnemer"))
            if _name_fits(identity.name, learner):
                return Match([learner])
            return Match([learner], refused=True, reason=(
                f"Het nummer {identity.lms_id} hoort in de klassenlijst bij "
                f"{learner.student_id} ({learner.name}), maar de map heet "
                f"{identity.name!r}. Bij een groepsinzending zet Moodle de groepsnaam en "
                "het groepsnummer in de mapnaam, en dat nummer is geen deelnemernummer: "
                "niet geïmporteerd. Kopieer het notebook zelf naar "
                "submitted/<student_id>/<opdracht>/ van elk groepslid, of zet "
                "groepsinzendingen uit. Is het geen groep, gebruik dan het "
                "beoordelingswerkblad van DEZE opdracht als klassenlijst."
            ))
        if identity.anonymous:
            return Match(reason=(
                f"Anoniem beoordelen: deelnemer {identity.lms_id} staat niet in de kolom "
                "Identifier van de klassenlijst. Gebruik het beoordelingswerkblad van deze "
                "opdracht als klassenlijst."
            ))
        found = roster.by_name(identity.name)
        if found:
            return Match(found, note=BY_NAME)
        return Match(reason=(
            f"{identity.name} (moodle {identity.lms_id}) staat niet in de klassenlijst. Voeg "
            "de cursist toe aan de klassenlijst en importeer opnieuw. Is "
            f"{identity.name!r} een groep (groepsinzending), kopieer het notebook dan zelf "
            "naar submitted/<student_id>/<opdracht>/ van elk groepslid."
        ))


# ---------------------------------------------------------------------------------------
# the gradebook CSV import (grade/import/csv)
# ---------------------------------------------------------------------------------------

# Moodle's user fields for "Map from" -> "Map to", in order of preference: the ID number is
# unique per account, a username too; an e-mail address need not be (and a duplicate or a
# stale one aborts the whole import).
GRADEBOOK_KEYS = (
    ("ID number", "id_number", "ID-nummer (useridnumber)"),
    ("Username", "username", "Gebruikersnaam (username)"),
    ("Email address", "email", "E-mailadres (useremail)"),
)


def php_empty(value: str) -> bool:
    """PHP's ``empty()`` on a trimmed CSV cell: ``""`` and ``"0"`` are empty. Moodle skips
    the user lookup for such a match value and keeps the previous row's learner."""
    return value.strip() in {"", "0"}


def _gradebook_key(learners: list[Learner]) -> tuple[str, str, str]:
    best, best_count = GRADEBOOK_KEYS[-1], -1
    for key in GRADEBOOK_KEYS:
        count = sum(1 for learner in learners if not php_empty(getattr(learner, key[1])))
        if count == len(learners):
            return key
        if count > best_count:
            best, best_count = key, count
    return best


def write_gradebook(roster: Roster | None, columns: list[GradeColumn],
                    options: ExportOptions) -> GradeFile:
    """Moodle's gradebook CSV import: ONE match column (filled in every row) and one column
    per assignment, scaled to the maximum given with ``--max``. Only learners with a final
    grade in every column are written; the others are left out with their reason (an empty
    cell would erase their grade in Moodle and mark it overridden)."""
    assert roster is not None
    learners = list(roster)
    header, attribute, mapto = _gradebook_key(learners)
    if not any(not php_empty(getattr(learner, attribute)) for learner in learners):
        raise LmsFileError(
            "Voor de Moodle-cijferimport heeft de klassenlijst per cursist een ID-nummer, "
            "gebruikersnaam of e-mailadres nodig (kolom ID number, Username of Email address)."
        )
    maxima = {c.assignment: target_maximum(c, options, None, "het Moodle-cijferbestand")
              for c in columns}
    keys = {learner.student_id: getattr(learner, attribute).strip() for learner in learners
            if not php_empty(getattr(learner, attribute))}
    doubles = duplicates(keys)
    left_out: list[LeftOut] = []
    rows = [[header] + [c.assignment for c in columns]]
    for learner in learners:
        sid = learner.student_id
        if sid not in keys:
            left_out.append(LeftOut(sid, (
                f"geen {header} in de klassenlijst; Moodle zou de cijfers van deze regel aan "
                f"de cursist op de regel ervoor geven. Vul {header} in de klassenlijst in.")))
            continue
        shared = doubles.get(keys[sid].casefold())
        if shared:
            left_out.append(LeftOut(sid, (
                f"{header} {keys[sid]!r} hoort bij meer cursisten ({', '.join(shared)}); "
                "Moodle kan die niet uit elkaar houden. Maak de waarden uniek.")))
            continue
        missing = [c.assignment for c in columns if c.scores.get(sid) is None]
        if missing:
            others = [c.assignment for c in columns if c.assignment not in missing]
            advice = (f" Exporteer {', '.join(others)} apart (--assignment) om die cijfers "
                      "wel door te geven." if others else "")
            left_out.append(LeftOut(sid, (
                f"geen definitief cijfer voor {', '.join(missing)}; een lege cel zou in "
                f"Moodle het bestaande cijfer wissen.{advice}")))
            continue
        cells = []
        too_high = []
        for c in columns:
            value = scale(float(c.scores[sid] or 0.0), c, maxima[c.assignment])
            if value > maxima[c.assignment] + 1e-9:
                too_high.append(c.assignment)
            cells.append(format_points(value))
        if too_high:
            left_out.append(LeftOut(sid, (
                f"cijfer boven het maximum voor {', '.join(too_high)} (extra punten); Moodle "
                "zou het afkappen. Voer dit cijfer met de hand in.")))
            continue
        rows.append([keys[sid]] + cells)
    notes = [
        f"In Moodle (Cijfers > Importeren > CSV-bestand): kies bij 'Koppel van' de kolom "
        f"{header!r} en bij 'Koppel aan' {mapto}; koppel elke opdrachtkolom aan het "
        "bestaande cijferonderdeel.",
    ] + [
        f"{c.assignment}: punten omgerekend naar maximaal {format_points(maxima[c.assignment])}"
        f" (nbgrader: maximaal {format_points(c.max_score)}); het cijferonderdeel in Moodle "
        "moet dat maximum hebben." for c in columns
    ]
    return GradeFile(csv_text(rows), len(rows) - 1, notes, left_out)


# ---------------------------------------------------------------------------------------
# the grading worksheet (mod/assign/feedback/offline)
# ---------------------------------------------------------------------------------------


def write_worksheet(roster: Roster | None, columns: list[GradeColumn],
                    options: ExportOptions) -> GradeFile:
    """Moodle's grading worksheet for upload: the downloaded worksheet (the class list) with
    its own columns and values; only the grade column is filled in, scaled to the
    worksheet's maximum grade column (or ``--max``). A learner without a final grade keeps
    the downloaded row unchanged (Moodle skips an unchanged or empty grade)."""
    assert roster is not None
    (column,) = columns
    headers = list(roster.headers)
    found = {s: find_column(headers, s) for s in STRINGS}
    if not roster.has("identifier") or found["recordid"] is None:
        raise LmsFileError(
            "Het Moodle-beoordelingswerkblad vraagt een klassenlijst met de kolom Identifier "
            "(Identificatie): download het werkblad van deze opdracht in Moodle en geef het "
            "op met --roster."
        )
    if found["scale"] is not None:
        raise LmsFileError(
            f"Deze opdracht wordt in Moodle met een schaal beoordeeld (kolom "
            f"{found['scale'][0]!r}); Moodle negeert getallen in dat werkblad zonder "
            "melding. Zet de beoordeling van de opdracht in Moodle op 'Punt' of voer de "
            "cijfers met de hand in."
        )
    for string, label in (("grade", "Grade (Cijfer)"),
                          ("lastmodifiedgrade", "Last modified (grade)")):
        if found[string] is None:
            raise LmsFileError(
                f"Het werkblad mist de kolom {label}; Moodle weigert een werkblad zonder die "
                "kolom. Download het beoordelingswerkblad opnieuw en verander de kolommen niet."
            )
    grade = found["grade"][0]  # type: ignore[index]
    languages = {f[1] for f in found.values() if f is not None}
    maximum_column = found["maxgrade"][0] if found["maxgrade"] else None
    left_out: list[LeftOut] = []
    notes: list[str] = []
    rows = [headers]
    seen_maxima: set[float] = set()
    for learner in roster:
        values = dict(learner.row)
        score = column.scores.get(learner.student_id)
        if score is not None:
            from_file = None
            if maximum_column:
                from_file = parse_number(values.get(maximum_column, ""))
                if from_file is None:
                    raise LmsFileError(
                        f"{maximum_column} {values.get(maximum_column)!r} van "
                        f"{learner.student_id} is geen getal. Download het werkblad opnieuw."
                    )
            top = target_maximum(column, options, from_file, "het werkblad")
            seen_maxima.add(top)
            value = scale(score, column, top)
            if value > top + 1e-9:
                left_out.append(LeftOut(learner.student_id, (
                    f"cijfer {format_points(value)} is hoger dan het maximum "
                    f"{format_points(top)} (extra punten); Moodle slaat zo'n regel zonder "
                    "melding over. Voer dit cijfer met de hand in.")))
            else:
                values[grade] = format_points(value)
        rows.append([values.get(h, "") for h in headers])
    for top in sorted(seen_maxima):
        notes.append(
            f"{column.assignment}: punten omgerekend naar maximaal {format_points(top)} "
            f"(nbgrader: maximaal {format_points(column.max_score)})."
        )
    if "nl" in languages:
        notes.append(
            "Het werkblad is Nederlandstalig: upload het met Moodle in het Nederlands (de "
            "kolomnamen moeten overeenkomen). Moodle kan de Nederlandse datum in 'Laatst "
            "gewijzigd (beoordeling)' niet lezen en slaat dan rijen over van cursisten die al "
            "een cijfer hebben: vink bij het uploaden de optie aan om ook rijen bij te werken "
            "die in Moodle later zijn gewijzigd dan in het werkblad."
        )
    if len(languages) > 1:
        notes.append(
            "Het werkblad mengt kolomnamen uit meer talen "
            f"({', '.join(LANGUAGES[x] for x in sorted(languages))}); Moodle herkent alleen "
            "de kolomnamen in de taal waarin u uploadt."
        )
    return GradeFile(csv_text(rows), len(roster), notes, left_out)


MOODLE = Moodle()
MOODLE.formats = (
    GradeFormat("moodle", "Moodle-cijferimport (Cijfers > Importeren > CSV-bestand)",
                write_gradebook),
    GradeFormat("moodle-worksheet",
                "het beoordelingswerkblad van één Moodle-opdracht, met het cijfer ingevuld",
                write_worksheet, single_assignment=True),
)
