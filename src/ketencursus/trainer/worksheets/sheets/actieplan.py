"""The action-plan canvas, generated from the online exercise's definition
(:mod:`ketencursus.reflection.exercises.actieplan`): every prompt in its order, with its label
and question; the colour choices of the interventions; the resistance table with its fields.

The parts are those of chapter 7's list "Het actieplan", under the same names. The definition
names the interventions one by one ("Interventie 1", "Kleur van interventie 1"); chapter 7
names them as one part, :data:`GROUPED_PARTS`. The prompt ``keten`` (which chain, your role)
is not a part in chapter 7's list: the canvas asks it above the parts (:data:`BEFORE_PARTS`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ketencursus.reflection.exercises import actieplan
from ketencursus.reflection.model import (
    PRIVACY_NOTE,
    DatePrompt,
    Prompt,
    SelectPrompt,
    TablePrompt,
    TextPrompt,
)

from ..model import Block, Choice, Column, Field, Fields, Section, Sheet, Table, Text

#: Part name in chapter 7 -> prefix of the prompt ids it groups.
GROUPED_PARTS: dict[str, str] = {"Interventies met hun kleur": "interventie"}
#: Prompts asked above the numbered parts.
BEFORE_PARTS: tuple[str, ...] = ("keten",)


def parts() -> list[tuple[str, list[Prompt]]]:
    """(part name, prompts) in the definition's order; consecutive prompts of a grouped part
    form one part."""
    out: list[tuple[str, list[Prompt]]] = []
    for prompt in actieplan.EXERCISE.prompts:
        if prompt.id in BEFORE_PARTS:
            continue
        group = next((name for name, prefix in GROUPED_PARTS.items()
                      if prompt.id.startswith(prefix)), None)
        if group is not None and out and out[-1][0] == group:
            out[-1][1].append(prompt)
        else:
            out.append((group or prompt.label, [prompt]))
    return out


def _blocks(prompts: list[Prompt]) -> list[Block]:
    blocks: list[Block] = []
    fields: list[Field] = []

    def flush() -> None:
        if fields:
            blocks.append(Fields(tuple(fields)))
            fields.clear()

    for prompt in prompts:
        if isinstance(prompt, TextPrompt):
            fields.append(Field(prompt.question, lines=2))
        elif isinstance(prompt, DatePrompt):
            fields.append(Field(prompt.question, lines=1))
        elif isinstance(prompt, SelectPrompt):
            flush()
            blocks.append(Choice(prompt.question, tuple(label for _key, label in prompt.options)))
        elif isinstance(prompt, TablePrompt):
            flush()
            blocks.append(Table(
                tuple(Column(f.heading, kind="write", hint=f.label) for f in prompt.fields),
                blank_rows=max(prompt.initial_rows, 3),
                blank_lines=3,
            ))
        else:  # pragma: no cover - the definition has no other prompt kinds
            raise TypeError(f"Het actieplan-canvas kent vraagsoort {prompt.kind!r} niet.")
    flush()
    return blocks


def sheets() -> Iterator[Sheet]:
    exercise = actieplan.EXERCISE
    before = [exercise.prompt(pid) for pid in BEFORE_PARTS]
    sections = [Section("Je keten", (Fields(tuple(
        Field(p.question, lines=1) for p in before if isinstance(p, TextPrompt))),))]
    for number, (name, prompts) in enumerate(parts(), start=1):
        sections.append(Section(f"{number}. {name}", tuple(_blocks(prompts)),
                                page_break=name == "Verwachte weerstand per partner"))
    sections.append(Section("Daarna", (Text((*exercise.notes, PRIVACY_NOTE)),)))
    yield Sheet(
        id="actieplan",
        title=f"Canvas: {exercise.title.lower()}",
        chapter=exercise.chapter,
        minutes=60,
        group="ieder voor zich; daarna bespreken met iemand van een andere partner",
        purpose=exercise.intro,
        instruction=(
            "Vul het canvas in met potlood: het is een eerste versie. Gebruik je diagnose en de "
            "kleurenkaart. De online oefening stelt dezelfde vragen; neem je plan daar over, "
            "zodat het in je portfolio komt."
        ),
        header_fields=("Naam of rol", "Datum"),
        sources=("kotter1996", "decaluwe2006"),
        sections=tuple(sections),
    )
