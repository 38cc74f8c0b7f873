"""The peer-review form for the action plan (feedback op het actieplan), defined once.

``peerreview.yml`` next to this module holds the form: per part of chapter 7's action-plan
template the questions a reader from another chain answers, the feedback format, and the
timing of one round in a trio. The instructor edition renders it (``{docent-peerreview}``);
the worksheet generator can print it on A4 from :func:`load_form`.

The parts must be exactly the parts of the template in chapter 7 (section "Het actieplan",
the bold names of its list), in the same order: :func:`template_parts` reads them from the
chapter and :func:`check_against_template` says what differs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from ketencursus.errors import UserError

TEMPLATE_SECTION = "Het actieplan"
_ITEM = re.compile(r"^- \*\*(?P<name>[^*]+)\*\*", re.M)


class PeerReviewError(UserError, ValueError):
    """The form is malformed or does not match chapter 7's template (Dutch)."""


@dataclass(frozen=True)
class Section:
    part: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class FeedbackField:
    label: str
    prompt: str


@dataclass(frozen=True)
class Step:
    text: str
    minutes: int


@dataclass(frozen=True)
class PeerReviewForm:
    title: str
    intro: str
    sections: tuple[Section, ...]
    feedback: tuple[FeedbackField, ...]
    round: tuple[Step, ...]

    @property
    def round_minutes(self) -> int:
        return sum(step.minutes for step in self.round)

    @property
    def parts(self) -> list[str]:
        return [s.part for s in self.sections]


def _text(value: object) -> str:
    return " ".join(str(value or "").split())


def parse_form(data: object, where: str) -> PeerReviewForm:
    if not isinstance(data, dict):
        raise PeerReviewError(f"{where}: verwacht een formulier met title, sections, feedback "
                              "en round")
    problems = []
    for key in ("title", "intro", "sections", "feedback", "round"):
        if not data.get(key):
            problems.append(f"{where}: veld '{key}' ontbreekt of is leeg")
    if problems:
        raise PeerReviewError("\n".join(problems))
    sections = []
    for n, s in enumerate(data["sections"], 1):
        if not isinstance(s, dict) or not _text(s.get("part")) or not s.get("questions"):
            problems.append(f"{where}: sections[{n}] heeft een 'part' en 'questions' nodig")
            continue
        sections.append(Section(_text(s["part"]), tuple(_text(q) for q in s["questions"])))
    feedback = []
    for n, f in enumerate(data["feedback"], 1):
        if not isinstance(f, dict) or not _text(f.get("label")) or not _text(f.get("prompt")):
            problems.append(f"{where}: feedback[{n}] heeft een 'label' en 'prompt' nodig")
            continue
        feedback.append(FeedbackField(_text(f["label"]), _text(f["prompt"])))
    steps = []
    for n, r in enumerate(data["round"], 1):
        minutes = r.get("minutes") if isinstance(r, dict) else None
        if not isinstance(r, dict) or not _text(r.get("step")) or not isinstance(minutes, int) \
                or isinstance(minutes, bool) or minutes <= 0:
            problems.append(f"{where}: round[{n}] heeft een 'step' en positieve 'minutes' nodig")
            continue
        steps.append(Step(_text(r["step"]), minutes))
    if problems:
        raise PeerReviewError("\n".join(problems))
    return PeerReviewForm(_text(data["title"]), _text(data["intro"]), tuple(sections),
                          tuple(feedback), tuple(steps))


def load_form(path: Path | None = None) -> PeerReviewForm:
    """The form: ``path``, or the course's own ``peerreview.yml``."""
    if path is None:
        text = resources.files("ketencursus.trainer").joinpath("peerreview.yml").read_text(
            encoding="utf-8")
        where = "ketencursus/trainer/peerreview.yml"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise PeerReviewError(f"{path}: niet te lezen ({exc})") from exc
        where = str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PeerReviewError(f"{where}: geen geldige YAML: {exc}") from exc
    return parse_form(data, where)


def template_parts(chapter_source: str) -> list[str]:
    """The parts of the action-plan template: the bold names of the list in the section
    "Het actieplan" of chapter 7."""
    match = re.search(rf"^## {re.escape(TEMPLATE_SECTION)}\s*$(.*?)(?=^## |\Z)", chapter_source,
                      re.M | re.S)
    if not match:
        raise PeerReviewError(f"hoofdstuk 7 heeft geen paragraaf „{TEMPLATE_SECTION}”")
    return [m["name"].strip() for m in _ITEM.finditer(match.group(1))]


def check_against_template(form: PeerReviewForm, chapter_source: str) -> list[str]:
    """What differs between the form's parts and chapter 7's template (Dutch; empty if equal)."""
    expected = template_parts(chapter_source)
    if form.parts == expected:
        return []
    missing = [p for p in expected if p not in form.parts]
    extra = [p for p in form.parts if p not in expected]
    problems = []
    if missing:
        problems.append("het feedbackformulier mist de onderdelen " + ", ".join(missing))
    if extra:
        problems.append("het feedbackformulier heeft onderdelen die niet in hoofdstuk 7 staan: "
                        + ", ".join(extra))
    if not problems:
        problems.append("de onderdelen van het feedbackformulier staan in een andere volgorde "
                        "dan in hoofdstuk 7: " + ", ".join(expected))
    return problems


def form_markdown(form: PeerReviewForm) -> str:
    """The form for the instructor edition (the A4 worksheet prints the same data)."""
    lines = [f"**{form.title}**", "", form.intro, "",
             "| Onderdeel van het plan | Vragen voor de feedbackgever | Notities |",
             "|---|---|---|"]
    for s in form.sections:
        lines.append(f"| **{s.part}** | " + "<br>".join(s.questions) + " | |")
    lines += ["", "**Feedback in vier vakken**", ""]
    lines += [f"- *{f.label}*: {f.prompt}" for f in form.feedback]
    lines += ["", f"**Verloop van één ronde** ({form.round_minutes} minuten)", ""]
    lines += [f"{n}. {s.text} ({s.minutes} min)" for n, s in enumerate(form.round, 1)]
    return "\n".join(lines)


# --------------------------------------------------------------------------- A4 worksheet

SHEET_ID = "feedback-actieplan"


def sheet(form: PeerReviewForm | None = None):
    """The form as an A4 worksheet of :mod:`ketencursus.trainer.worksheets` (one per
    feedback giver), generated from ``peerreview.yml``."""
    from ketencursus.trainer.worksheets.model import (
        Column,
        Field,
        Fields,
        Row,
        Section,
        Sheet,
        Table,
        Text,
    )

    form = form or load_form()
    steps = tuple(f"{n}. {s.text} ({s.minutes} min)" for n, s in enumerate(form.round, 1))
    return Sheet(
        id=SHEET_ID,
        title=form.title,
        purpose="Feedback van een kritische ketenpartner op de eerste versie van een actieplan.",
        instruction=form.intro,
        chapter="hoofdstuk 7 (Het actieplan)",
        session="bijeenkomst 2",
        minutes=form.round_minutes,
        group="trio's uit verschillende ketens",
        header_fields=("Rol en organisatie van de schrijver", "Rol van de feedbackgever"),
        sections=(
            Section("Per onderdeel van het plan", blocks=(Table(
                columns=(Column("Onderdeel", width="20%"), Column("Vragen", width="40%"),
                         Column("Wat valt je op?", kind="write")),
                rows=tuple(Row((s.part, " ".join(s.questions), ""), lines=2)
                           for s in form.sections),
            ),)),
            Section("Je feedback", blocks=(Fields(items=tuple(
                Field(f.label, hint=f.prompt, lines=3) for f in form.feedback)),)),
            Section(f"Verloop van één ronde ({form.round_minutes} minuten)",
                    blocks=(Text(paragraphs=steps),)),
        ),
    )


def sheets():
    """For the worksheet registry (``trainer/worksheets/registry.py``)."""
    yield sheet()
