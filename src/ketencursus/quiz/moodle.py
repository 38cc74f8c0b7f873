"""Export the question bank as Moodle XML (question bank import, format "Moodle XML").

Categories: ``$course$/top/ketencursus <versie>/H4 <title>/<use>``, one sub-category per
chapter and use, so self-check items (whose answers are in the book) and graded items never
share a category: a quiz that draws random questions from ``.../H4 .../Kennistoets
(beoordeeld)`` can never draw a self-check item. ``<versie>`` is ``--versie`` or, by
default, a short fingerprint of the exported questions: a changed bank gets new
categories. Moodle XML cannot update questions in place, and on import Moodle drops an
``idnumber`` that already exists in the target category (``question/format.php``,
``importprocess``); importing a new version into its own categories keeps every idnumber.

Questions: ``single``/``multiple`` → ``multichoice`` (fractions per option, feedback per
option; a multiple item earns partial credit by :mod:`ketencursus.quiz.scoring`'s rule:
+100/R per right option, -100/W per wrong one, which Moodle adds and clamps to 0..1),
``numeric`` → ``numerical`` (answer with tolerance, a catch-all wrong answer with its
feedback, and the item's ``units`` as optional units with multiplier 1, so "4 dagen" and
"4" are both accepted), ``text`` → ``shortanswer`` (every accepted text at 100%). Each
question carries its id as ``idnumber`` and its learning objective, use and chapter as tags.
Numbers keep full precision. The ``misconception`` notes of the bank are never exported.

Fractions must be one of Moodle's grade options (``question_bank::fraction_options_full``,
``question/engine/bank.php``; the import checks each with ``match_grade_options``); they are
snapped to that list and an item whose fractions would not fit is refused.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

from ketencursus.quiz import scoring
from ketencursus.quiz.bank import Bank, Question
from ketencursus.quiz.render import block_html, inline_html, plain

# Moodle's allowed fractions (percent), question/engine/bank.php fraction_options_full.
MOODLE_FRACTIONS = [
    100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667,
    14.28571, 12.5, 11.11111, 10, 5, 0,
]
CATEGORY_ROOT = "$course$/top"
BANK_NAME = "ketencursus"
USE_CATEGORY = {"selfcheck": "Zelftoets (antwoorden staan in het boek)",
                "graded": "Kennistoets (beoordeeld)"}


def number_text(value: float) -> str:
    """A number as Moodle reads it, at full precision (``10``, ``66.7``, ``1234567``)."""
    value = float(value)
    text = format(value, ".15g")
    return text if float(text) == value else repr(value)


def snap_fraction(percent: float) -> str:
    """The nearest Moodle grade option to ``percent`` (sign kept), formatted as Moodle does."""
    sign = -1 if percent < 0 else 1
    best = min(MOODLE_FRACTIONS, key=lambda f: abs(f - abs(percent)))
    value = sign * best
    text = f"{value:.7g}"
    return "0" if text in ("-0", "0") else text


def option_fractions(question: Question) -> dict[str, str]:
    """Fraction per option: single choice 100/0; multiple choice the weights of
    :func:`ketencursus.quiz.scoring.option_weights` in percent (+100/R per right option,
    -100/W per wrong one), so ticking everything scores 0. Refuses (ValueError) a split whose
    weights are not on Moodle's list."""
    if question.type == "single":
        return {o.id: ("100" if o.correct else "0") for o in question.options}
    plus, minus = scoring.option_weights(len(question.correct_options),
                                         len(question.wrong_options))
    fractions = {}
    for option in question.options:
        percent = 100 * (plus if option.correct else minus)
        snapped = snap_fraction(percent)
        if abs(float(snapped) - percent) > 1e-4:
            raise ValueError(f"{question.id}: deelscore {percent:.5f}% staat niet in Moodles "
                             "lijst van toegestane percentages; kies een andere verdeling "
                             "van juiste en onjuiste opties")
        fractions[option.id] = snapped
    return fractions


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = "html") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = value
    return el


def _question_html(question: Question) -> str:
    parts = []
    if question.context:
        parts.append(block_html(question.context))
    parts.append(block_html(question.question))
    if question.type == "numeric":
        if question.unit:
            parts.append(f"<p>Geef je antwoord als getal in {inline_html(question.unit)}; de "
                         "eenheid mag je erbij typen, maar hoeft niet. Een komma mag.</p>")
        else:
            parts.append("<p>Geef alleen het getal. Een komma mag.</p>")
    return "".join(parts)


def _common(root: ET.Element, question: Question, qtype: str) -> ET.Element:
    el = ET.SubElement(root, "question", {"type": qtype})
    name = ET.SubElement(el, "name")
    ET.SubElement(name, "text").text = f"{question.id} {plain(question.title)}"
    _text(el, "questiontext", _question_html(question))
    _text(el, "generalfeedback", block_html(question.explanation) if question.explanation else "")
    ET.SubElement(el, "defaultgrade").text = number_text(question.points)
    ET.SubElement(el, "penalty").text = "0.3333333"
    ET.SubElement(el, "hidden").text = "0"
    ET.SubElement(el, "idnumber").text = question.id
    return el


def _tags(el: ET.Element, question: Question) -> None:
    tags = ET.SubElement(el, "tags")
    for value in (f"leerdoel-{question.objective}", question.use, question.chapter):
        ET.SubElement(ET.SubElement(tags, "tag"), "text").text = value


def _multichoice(root: ET.Element, question: Question) -> None:
    el = _common(root, question, "multichoice")
    ET.SubElement(el, "single").text = "true" if question.type == "single" else "false"
    ET.SubElement(el, "shuffleanswers").text = "true"
    ET.SubElement(el, "answernumbering").text = "abc"
    ET.SubElement(el, "showstandardinstruction").text = "1"
    _text(el, "correctfeedback", "<p>Goed!</p>")
    _text(el, "partiallycorrectfeedback", "<p>Deels goed.</p>")
    _text(el, "incorrectfeedback", "<p>Niet goed.</p>")
    fractions = option_fractions(question)
    for option in question.options:
        answer = _text(el, "answer", f"<p>{inline_html(option.text)}</p>")
        answer.set("fraction", fractions[option.id])
        _text(answer, "feedback", f"<p>{inline_html(option.feedback)}</p>")
    _tags(el, question)


def _numerical(root: ET.Element, question: Question) -> None:
    el = _common(root, question, "numerical")
    answer = ET.SubElement(el, "answer", {"fraction": "100", "format": "moodle_auto_format"})
    ET.SubElement(answer, "text").text = number_text(question.answer or 0)
    ET.SubElement(answer, "tolerance").text = number_text(question.tolerance or 0)
    _text(answer, "feedback", block_html(question.feedback_correct or ""))
    other = ET.SubElement(el, "answer", {"fraction": "0", "format": "moodle_auto_format"})
    ET.SubElement(other, "text").text = "*"
    ET.SubElement(other, "tolerance").text = "0"
    _text(other, "feedback", block_html(question.feedback_incorrect or ""))
    # Units optional: a typed unit from the list is accepted (multiplier 1), none is needed.
    # qtype_numerical: showunits 0 = UNITINPUT, 3 = UNITNONE; unitgradingtype 0 = no penalty.
    if question.units:
        units = ET.SubElement(el, "units")
        for name in question.units:
            unit = ET.SubElement(units, "unit")
            ET.SubElement(unit, "multiplier").text = "1"
            ET.SubElement(unit, "unit_name").text = name
    ET.SubElement(el, "unitgradingtype").text = "0"
    ET.SubElement(el, "unitpenalty").text = "0.1000000"
    ET.SubElement(el, "showunits").text = "0" if question.units else "3"
    ET.SubElement(el, "unitsleft").text = "0"
    _tags(el, question)


def _shortanswer(root: ET.Element, question: Question) -> None:
    el = _common(root, question, "shortanswer")
    ET.SubElement(el, "usecase").text = "0"
    for accepted in question.accepted:
        answer = ET.SubElement(el, "answer", {"fraction": "100", "format": "moodle_auto_format"})
        ET.SubElement(answer, "text").text = accepted
        _text(answer, "feedback", block_html(question.feedback_correct or ""))
    other = ET.SubElement(el, "answer", {"fraction": "0", "format": "moodle_auto_format"})
    ET.SubElement(other, "text").text = "*"
    _text(other, "feedback", block_html(question.feedback_incorrect or ""))
    _tags(el, question)


WRITERS = {"single": _multichoice, "multiple": _multichoice,
           "numeric": _numerical, "text": _shortanswer}


def chapter_titles(book_dir: Path) -> dict[str, str]:
    """Chapter id → title (the first ``# `` heading of ``book/h<n>_*.md``)."""
    titles = {}
    for path in sorted(Path(book_dir).glob("h*_*.md")):
        chapter = path.stem.split("_", 1)[0]
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                titles[chapter] = line[2:].strip()
                break
    return titles


def _escape(name: str) -> str:
    return name.replace("/", "//")


def category_path(chapter: str, titles: dict[str, str] | None = None,
                  use: str | None = None, version: str | None = None) -> str:
    """Moodle category path for a chapter (and use); a "/" inside a name is written "//"
    (Moodle's ``split_category_path``)."""
    name = f"H{chapter[1:]}"
    if titles and titles.get(chapter):
        name += " " + titles[chapter]
    bank = BANK_NAME + (f" {version}" if version else "")
    path = f"{CATEGORY_ROOT}/{_escape(bank)}/{_escape(name)}"
    if use:
        path += "/" + _escape(USE_CATEGORY[use])
    return path


def bank_version(bank: Bank, uses: tuple[str, ...] = ("selfcheck", "graded")) -> str:
    """A short fingerprint of the exported questions (changes when any of them changes)."""
    root = ET.Element("quiz")
    for question in bank:
        if question.use in uses:
            WRITERS[question.type](root, question)
    return "versie " + hashlib.sha256(ET.tostring(root)).hexdigest()[:8]


def bank_to_moodle_xml(
    bank: Bank,
    titles: dict[str, str] | None = None,
    uses: tuple[str, ...] = ("selfcheck", "graded"),
    version: str | None = None,
) -> bytes:
    """The whole bank (or only ``uses``) as a Moodle XML document (UTF-8 bytes), one
    category per chapter and use under ``ketencursus <version>``."""
    version = version or bank_version(bank, uses)
    root = ET.Element("quiz")
    for chapter in bank.chapters():
        for use in ("selfcheck", "graded"):
            questions = [q for q in bank.chapter(chapter) if q.use == use and use in uses]
            if not questions:
                continue
            category = ET.SubElement(root, "question", {"type": "category"})
            _text(category, "category", category_path(chapter, titles, use, version),
                  fmt=None)
            what = ("zelftoetsvragen (de antwoorden staan in het boek; niet voor een cijfer)"
                    if use == "selfcheck" else "beoordeelde vragen (voor de kennistoets)")
            _text(category, "info", f"Hoofdstuk {chapter[1:]} van de ketencursus, {what}; "
                  f"vragenbank {version}.")
            for question in questions:
                WRITERS[question.type](root, question)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def export_moodle_xml(bank: Bank, target: Path, **kwargs) -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(bank_to_moodle_xml(bank, **kwargs))
    tmp.replace(target)
    return target
