"""Export the question bank as Moodle XML (question bank import, format "Moodle XML").

One category per chapter (``$course$/top/ketencursus/H4 <title>``), then the chapter's
questions: ``single``/``multiple`` → ``multichoice`` (fractions per option, feedback per
option), ``numeric`` → ``numerical`` (answer with tolerance and a catch-all wrong answer
with its feedback), ``text`` → ``shortanswer`` (every accepted text at 100%). Each question
carries its id as ``idnumber`` and its learning objective and use as tags.

Fractions must be one of Moodle's grade options (``question_bank::fraction_options_full``);
they are snapped to that list.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ketencursus.quiz.bank import Bank, Question
from ketencursus.quiz.render import block_html, inline_html, plain

# Moodle's allowed fractions (percent), question/engine/bank.php fraction_options_full.
MOODLE_FRACTIONS = [
    100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667,
    14.28571, 12.5, 11.11111, 10, 5, 0,
]
CATEGORY_ROOT = "$course$/top/ketencursus"


def snap_fraction(percent: float) -> str:
    """The nearest Moodle grade option to ``percent`` (sign kept), formatted as Moodle does."""
    sign = -1 if percent < 0 else 1
    best = min(MOODLE_FRACTIONS, key=lambda f: abs(f - abs(percent)))
    value = sign * best
    text = f"{value:.7g}"
    return "0" if text in ("-0", "0") else text


def option_fractions(question: Question) -> dict[str, str]:
    """Fraction per option: single choice 100/0; multiple choice spreads +100 over the right
    options and -100 over the wrong ones, so ticking everything scores 0."""
    right = [o for o in question.options if o.correct]
    wrong = [o for o in question.options if not o.correct]
    if question.type == "single":
        return {o.id: ("100" if o.correct else "0") for o in question.options}
    fractions = {o.id: snap_fraction(100 / len(right)) for o in right}
    fractions.update({o.id: snap_fraction(-100 / len(wrong)) for o in wrong})
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
    if question.type == "numeric" and question.unit:
        parts.append(f"<p>Geef je antwoord in {inline_html(question.unit)}.</p>")
    return "".join(parts)


def _common(root: ET.Element, question: Question, qtype: str) -> ET.Element:
    el = ET.SubElement(root, "question", {"type": qtype})
    name = ET.SubElement(el, "name")
    ET.SubElement(name, "text").text = f"{question.id} {plain(question.title)}"
    _text(el, "questiontext", _question_html(question))
    _text(el, "generalfeedback", block_html(question.explanation) if question.explanation else "")
    ET.SubElement(el, "defaultgrade").text = f"{question.points:g}"
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
    ET.SubElement(answer, "text").text = f"{question.answer:g}"
    ET.SubElement(answer, "tolerance").text = f"{question.tolerance:g}"
    _text(answer, "feedback", block_html(question.feedback_correct or ""))
    other = ET.SubElement(el, "answer", {"fraction": "0", "format": "moodle_auto_format"})
    ET.SubElement(other, "text").text = "*"
    ET.SubElement(other, "tolerance").text = "0"
    _text(other, "feedback", block_html(question.feedback_incorrect or ""))
    ET.SubElement(el, "unitgradingtype").text = "0"
    ET.SubElement(el, "unitpenalty").text = "0.1000000"
    ET.SubElement(el, "showunits").text = "3"
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


def category_path(chapter: str, titles: dict[str, str] | None = None) -> str:
    """Moodle category path for a chapter; a "/" inside a name is written "//"."""
    name = f"H{chapter[1:]}"
    if titles and titles.get(chapter):
        name += " " + titles[chapter]
    return f"{CATEGORY_ROOT}/{name.replace('/', '//')}"


def bank_to_moodle_xml(
    bank: Bank,
    titles: dict[str, str] | None = None,
    uses: tuple[str, ...] = ("selfcheck", "graded"),
) -> bytes:
    """The whole bank (or only ``uses``) as a Moodle XML document (UTF-8 bytes)."""
    root = ET.Element("quiz")
    for chapter in bank.chapters():
        questions = [q for q in bank.chapter(chapter) if q.use in uses]
        if not questions:
            continue
        category = ET.SubElement(root, "question", {"type": "category"})
        _text(category, "category", category_path(chapter, titles), fmt=None)
        _text(category, "info", f"Vragen bij hoofdstuk {chapter[1:]} van de ketencursus.")
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
