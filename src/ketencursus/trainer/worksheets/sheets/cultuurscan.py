"""The cultuurscan on paper, generated from the online exercise's definition
(:mod:`ketencursus.reflection.exercises.cultuurscan`): its introduction and notes, its
statements in their order, the 1–5 scale with its labels, the open questions, and a scoring
aid built from the profile rule (which statements count for which dimension, which are
reverse-keyed, the band limits). A second sheet prints the advice per dimension and band.
"""

from __future__ import annotations

from collections.abc import Iterator

from ketencursus.reflection import model as reflection_model
from ketencursus.reflection.derive import LikertProfile
from ketencursus.reflection.exercises import cultuurscan
from ketencursus.reflection.model import PRIVACY_NOTE, LikertPrompt, TextPrompt

from ..model import Column, Field, Fields, Row, Section, Sheet, Table, Text

BANDS = ("laag", "midden", "hoog")


def _tenths(value: int) -> str:
    return f"{value // 10},{value % 10}"


def band_labels(profile: LikertProfile) -> dict[str, str]:
    """The three bands with their limits, as the profile rule draws them."""
    low, high = profile.low, profile.high
    return {
        "laag": f"laag (onder {_tenths(low)})",
        "midden": f"midden ({_tenths(low)} t/m {_tenths(high)})",
        "hoog": f"hoog (boven {_tenths(high)})",
    }


def statements() -> list[LikertPrompt]:
    return [p for p in cultuurscan.EXERCISE.prompts if isinstance(p, LikertPrompt)]


def _profile() -> LikertProfile:
    return next(r for r in cultuurscan.EXERCISE.rules if isinstance(r, LikertProfile))


def scoring_rows() -> tuple[Row, ...]:
    numbers = {s.id: n for n, s in enumerate(statements(), start=1)}
    rows = []
    for group_id, name, question in _profile().groups:
        mine = [s for s in statements() if s.dimension == group_id]
        listed = ", ".join(
            f"{numbers[s.id]}{' (omgekeerd)' if s.reverse else ''}" for s in mine
        )
        rows.append(Row((f"{name} ({question})", listed, "", "", *("" for _ in BANDS)),
                        lines=1))
    return tuple(rows)


def sheets() -> Iterator[Sheet]:
    exercise = cultuurscan.EXERCISE
    profile = _profile()
    labels = reflection_model.LIKERT_LABELS
    low, high = min(labels), max(labels)
    scale = tuple(Column(f"{value} {label}", kind="box", width="8.4%")
                  for value, label in labels.items())
    open_questions = [p for p in exercise.prompts if isinstance(p, TextPrompt)]
    bands = band_labels(profile)
    minimum = profile.min_answered
    yield Sheet(
        id="cultuurscan",
        title=exercise.title,
        chapter=exercise.chapter,
        minutes=20,
        group="ieder voor zich, daarna in tweetallen van verschillende partners",
        purpose=exercise.intro,
        instruction=(
            f"Kruis bij elke stelling één vakje aan, van {low} ({labels[low]}) "
            f"tot {high} ({labels[high]}). Tel daarna op de "
            "achterkant je score per dimensie. Dezelfde scan staat online in de cursus; "
            "daar rekent hij het profiel zelf uit."
        ),
        header_fields=("Datum",),
        sources=("aardewijn2013ketens",),
        sections=(
            Section("Stellingen", (
                Table(
                    columns=(Column("nr.", width="5%"), Column("Stelling"), *scale),
                    rows=tuple(Row((str(n), s.text, *("" for _ in scale)), lines=1)
                               for n, s in enumerate(statements(), start=1)),
                ),
            )),
            Section("Je score per dimensie", (
                Text((
                    "Schrijf per dimensie je scores op. Bij een stelling met „omgekeerd” "
                    f"reken je om: {low + high} min je score (een {high} wordt een {low}, een "
                    f"{high - 1} een {low + 1}). Tel de scores op en deel door het "
                    "aantal stellingen dat je beantwoordde: dat is je gemiddelde. Heb je in "
                    f"een dimensie minder dan {minimum} stellingen beantwoord, geef dan "
                    "daar geen score.",
                )),
                Table(
                    columns=(
                        Column("Dimensie", width="24%"),
                        Column("Stellingen", width="20%"),
                        Column("Scores", kind="write", width="14%"),
                        Column("Gemiddelde", kind="write", width="11%"),
                        *(Column(bands[b], kind="box", width="10.3%") for b in BANDS),
                    ),
                    rows=scoring_rows(),
                ),
                Fields(tuple(Field(p.label, hint=p.question, lines=3) for p in open_questions)),
                Text((*exercise.notes, PRIVACY_NOTE)),
            ), page_break=True),
        ),
    )
    yield Sheet(
        id="cultuurscan-advies",
        title=f"{exercise.title}: advies bij je profiel",
        chapter=exercise.chapter,
        purpose=(
            "Het advies dat de online cultuurscan bij een profiel geeft, op papier: per "
            "dimensie bij een lage, een middelmatige en een hoge score."
        ),
        instruction=(
            "Zoek je zwakste dimensie op en lees het advies bij je band. Lees daarna het "
            "advies bij de dimensie met de hoogste score: wat kun je daar al gebruiken?"
        ),
        header_fields=(),
        sources=("aardewijn2013ketens",),
        sections=tuple(
            Section(f"{name} ({question})", (
                Table(
                    columns=(Column("Score", width="22%"), Column("Advies")),
                    rows=tuple(Row((bands[b], profile.advice[group_id][b]),
                                   lines=1) for b in BANDS),
                ),
            ))
            for group_id, name, question in profile.groups
        ),
    )
