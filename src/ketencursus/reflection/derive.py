"""What an exercise tells the learner about their answers, as plain data.

An exercise's ``rules`` turn the workbook into a :class:`Derived`: a list of
:class:`Section` objects (a heading, lines of text, optionally a bar chart) that the views
render without knowing which exercise they show. Each rule is a small, generic kind of
feedback; its Dutch texts are part of the exercise definition. Every rule also serialises to
JSON (``to_json``), and the book page's script (``sphinxext/static/ketencursus-reflectie.js``)
evaluates the same rule kinds on the same data, so the page and the notebook give the same
feedback; a parity test runs both on the same workbooks and compares the portfolios byte for
byte. Figures are integers (tenths) so both sides round identically.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import Workbook, is_empty

if TYPE_CHECKING:
    from .model import Exercise


@dataclass(frozen=True)
class Bar:
    """One bar of a profile: a label, a score in tenths (``None`` = no score) and a detail."""

    label: str
    tenths: int | None
    detail: str


@dataclass(frozen=True)
class Section:
    """One block of feedback.

    ``after``: the prompt it belongs under in the form views (``""`` = after all prompts);
    ``portfolio``: whether the portfolio shows it; ``style``: ``list`` or ``hint``;
    ``bars``: a profile chart (with ``items`` as its text alternative)."""

    id: str
    heading: str
    items: tuple[str, ...]
    style: str = "list"
    after: str = ""
    portfolio: bool = True
    bars: tuple[Bar, ...] = ()
    scale_max: int = 5

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "heading": self.heading, "items": list(self.items),
            "style": self.style, "after": self.after, "portfolio": self.portfolio,
            "bars": [{"label": b.label, "tenths": b.tenths, "detail": b.detail}
                     for b in self.bars],
            "scale_max": self.scale_max,
        }


@dataclass(frozen=True)
class Derived:
    """Everything an exercise derives from the answers, in display order."""

    sections: tuple[Section, ...] = ()

    def for_portfolio(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.portfolio)

    def after(self, prompt_id: str) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.after == prompt_id)


def tenths_text(tenths: int) -> str:
    """``27`` → ``"2,7"`` (Dutch decimal comma, exact)."""
    return f"{tenths // 10},{tenths % 10}"


def fill(template: str, **values: object) -> str:
    """Replace ``{name}`` in a definition's text (the page script does the same)."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def mean_tenths(values: list[int]) -> int:
    """The mean of integer scores in tenths, rounded half up (integer arithmetic)."""
    return (20 * sum(values) + len(values)) // (2 * len(values))


# --------------------------------------------------------------------------- rule kinds


@dataclass(frozen=True)
class LikertProfile:
    """Mean score per group of Likert statements (reverse-keyed statements flipped), a bar
    chart, and advice per group by band (``laag`` < ``low``, ``hoog`` > ``high``, in
    tenths), weakest group first. Before any group has ``min_answered`` answers: a hint."""

    groups: tuple[tuple[str, str, str], ...]  # (group id, name, guiding question)
    advice: Mapping[str, Mapping[str, str]]
    low: int = 25
    high: int = 35
    min_answered: int = 2
    heading: str = "Profiel (schaal 1–5)"
    advice_heading: str = "Advies (zwakste dimensie eerst)"
    empty_hint: str = ""
    too_few: str = ""
    line: str = "{name} ({question}): {score} – {answered} van {total} stellingen beantwoord"
    no_score: str = "geen score"
    kind: str = field(default="likert_profile", init=False)

    def scores(self, exercise: Exercise, workbook: Workbook) -> list[tuple[str, int | None,
                                                                            int, int]]:
        """(group id, tenths or None, answered, total) per group, in group order."""
        out = []
        for group_id, _name, _question in self.groups:
            statements = [p for p in exercise.prompts
                          if p.kind == "likert" and getattr(p, "dimension", None) == group_id]
            values = []
            for s in statements:
                v = workbook.get(exercise.id, s.id)
                if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 5:
                    values.append(6 - v if getattr(s, "reverse", False) else v)
            score = mean_tenths(values) if len(values) >= self.min_answered else None
            out.append((group_id, score, len(values), len(statements)))
        return out

    def band(self, tenths: int) -> str:
        if tenths < self.low:
            return "laag"
        if tenths <= self.high:
            return "midden"
        return "hoog"

    def derive(self, exercise: Exercise, workbook: Workbook) -> list[Section]:
        scores = self.scores(exercise, workbook)
        names = {g: (n, q) for g, n, q in self.groups}
        if all(score is None for _, score, _, _ in scores):
            return [Section("profiel", "Jouw profiel", (self.empty_hint,), style="hint",
                            portfolio=False)]
        bars, lines = [], []
        for group_id, score, answered, total in scores:
            name, question = names[group_id]
            shown = tenths_text(score) if score is not None else self.no_score
            bars.append(Bar(name, score, f"{answered} van {total}"))
            lines.append(fill(self.line, name=name, question=question, score=shown,
                              answered=answered, total=total))
        ordered = sorted(scores, key=lambda s: (s[1] is None, s[1] if s[1] is not None else 0))
        advice = []
        for group_id, score, answered, total in ordered:
            name = names[group_id][0]
            if score is None:
                text = fill(self.too_few, answered=answered, total=total, min=self.min_answered)
            else:
                text = self.advice[group_id][self.band(score)]
            advice.append(f"{name}: {text}")
        return [
            Section("profiel", self.heading, tuple(lines), bars=tuple(bars)),
            Section("advies", self.advice_heading, tuple(advice)),
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "groups": [list(g) for g in self.groups],
            "advice": {k: dict(v) for k, v in self.advice.items()}, "low": self.low,
            "high": self.high, "min_answered": self.min_answered, "heading": self.heading,
            "advice_heading": self.advice_heading, "empty_hint": self.empty_hint,
            "too_few": self.too_few, "line": self.line, "no_score": self.no_score,
        }


@dataclass(frozen=True)
class RowHints:
    """Hints on a table of rows (the habit log): a row whose ``choice_field`` is empty, a
    row marked ``needs_value`` without ``follow_field``, rows without ``group_field``, and
    all rows from one group. Texts use ``{n}`` for the row number."""

    prompt: str
    main_field: str
    choice_field: str
    needs_value: str
    follow_field: str
    group_field: str
    unclassified: str
    missing_follow: str
    no_group: str
    one_group: str
    heading: str = "Aandachtspunten"
    kind: str = field(default="row_hints", init=False)

    def derive(self, exercise: Exercise, workbook: Workbook) -> list[Section]:
        rows = workbook.get(exercise.id, self.prompt, []) or []
        hints = []
        filled = [r for r in rows if r.get(self.main_field, "").strip()]
        for number, row in enumerate(rows, start=1):
            if not row.get(self.main_field, "").strip():
                continue
            if not row.get(self.choice_field):
                hints.append(fill(self.unclassified, n=number))
            elif (row[self.choice_field] == self.needs_value
                  and not row.get(self.follow_field, "").strip()):
                hints.append(fill(self.missing_follow, n=number))
        if filled and all(not r.get(self.group_field, "").strip() for r in filled):
            hints.append(self.no_group)
        if len(filled) >= 2 and len({r.get(self.group_field, "").strip().lower()
                                     for r in filled}) == 1:
            hints.append(self.one_group)
        if not hints:
            return []
        return [Section("aandachtspunten", self.heading, tuple(hints), style="hint",
                        after=self.prompt, portfolio=False)]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **{k: getattr(self, k) for k in (
            "prompt", "main_field", "choice_field", "needs_value", "follow_field",
            "group_field", "unclassified", "missing_follow", "no_group", "one_group",
            "heading")}}


@dataclass(frozen=True)
class ChoiceFeedback:
    """Feedback on a choice of options for one situation: how well each chosen option fits
    (``fits[option] = (fit, reason)``), what it costs (``limits[option]``), how many fit
    well, too many at once, and the strong options not chosen."""

    prompt: str
    heading: str
    fits: Mapping[str, tuple[str, str]]
    limits: Mapping[str, str]
    labels: Mapping[str, str]
    strong: str
    nothing_chosen: str
    none_strong: str
    some_strong: str
    too_many: str
    also_strong: str
    item: str = "{label} – {fit}. {reason} {limits}"
    max_sensible: int = 3
    kind: str = field(default="choice_feedback", init=False)

    def derive(self, exercise: Exercise, workbook: Workbook) -> list[Section]:
        chosen = workbook.get(exercise.id, self.prompt, []) or []
        order = list(self.labels)
        chosen = [o for o in order if o in chosen]
        if not chosen:
            return [Section(f"feedback-{self.prompt}", self.heading, (self.nothing_chosen,),
                            after=self.prompt, portfolio=False)]
        strong = [o for o in chosen if self.fits[o][0] == self.strong]
        missed = [self.labels[o] for o in order
                  if self.fits[o][0] == self.strong and o not in chosen]
        notes = []
        if not strong:
            notes.append(self.none_strong)
        else:
            notes.append(fill(self.some_strong, strong=len(strong), chosen=len(chosen)))
        if len(chosen) > self.max_sensible:
            notes.append(fill(self.too_many, chosen=len(chosen)))
        if missed and len(chosen) < self.max_sensible:
            notes.append(fill(self.also_strong, options="; ".join(missed)))
        lines = [" ".join(notes)] + [
            fill(self.item, label=self.labels[o], fit=self.fits[o][0], reason=self.fits[o][1],
                 limits=self.limits[o])
            for o in chosen
        ]
        return [Section(f"feedback-{self.prompt}", self.heading, tuple(lines),
                        after=self.prompt)]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "prompt": self.prompt, "heading": self.heading,
                "fits": {k: list(v) for k, v in self.fits.items()},
                "limits": dict(self.limits), "labels": dict(self.labels),
                **{k: getattr(self, k) for k in (
                    "strong", "nothing_chosen", "none_strong", "some_strong", "too_many",
                    "also_strong", "item", "max_sensible")}}


@dataclass(frozen=True)
class MissingRequired:
    """The labels of required prompts still empty (in the portfolio once started)."""

    heading: str = "Nog aan te vullen"
    kind: str = field(default="missing_required", init=False)

    def derive(self, exercise: Exercise, workbook: Workbook) -> list[Section]:
        missing = [p.label for p in exercise.prompts
                   if getattr(p, "required", False)
                   and is_empty(workbook.get(exercise.id, p.id))]
        if not missing:
            return []
        started = bool(workbook.answers.get(exercise.id))
        return [Section("ontbreekt", self.heading, (", ".join(missing),), style="hint",
                        portfolio=started)]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "heading": self.heading}


@dataclass(frozen=True)
class EarlierWork:
    """What the learner found in earlier exercises: the weakest group of a Likert profile
    and the rows of a table marked with ``row_value`` (shown in the form, not in the
    portfolio). ``profile_exercise`` must have a :class:`LikertProfile` rule."""

    profile_exercise: str
    profile_text: str
    rows_exercise: str
    rows_prompt: str
    rows_field: str
    rows_value: str
    rows_main: str
    rows_text: str
    heading: str = "Uit je eerdere oefeningen"
    kind: str = field(default="earlier_work", init=False)

    def derive(self, exercise: Exercise, workbook: Workbook) -> list[Section]:
        from .exercises import get_exercise  # the registry imports this module

        notes = []
        source = get_exercise(self.profile_exercise)
        profile = next(r for r in source.rules if isinstance(r, LikertProfile))
        names = {g: n for g, n, _ in profile.groups}
        scored = [(s[0], s[1]) for s in profile.scores(source, workbook) if s[1] is not None]
        if scored:
            weakest = min(scored, key=lambda s: s[1])  # first of the lowest, in group order
            notes.append(fill(self.profile_text, name=names[weakest[0]].lower(),
                              score=tenths_text(weakest[1])))
        rows = workbook.get(self.rows_exercise, self.rows_prompt, []) or []
        marked = [r[self.rows_main] for r in rows
                  if r.get(self.rows_field) == self.rows_value
                  and r.get(self.rows_main, "").strip()]
        if marked:
            notes.append(fill(self.rows_text, rows="; ".join(marked)))
        if not notes:
            return []
        return [Section("eerder", self.heading, tuple(notes), style="hint", portfolio=False)]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **{k: getattr(self, k) for k in (
            "profile_exercise", "profile_text", "rows_exercise", "rows_prompt", "rows_field",
            "rows_value", "rows_main", "rows_text", "heading")}}


def derive(exercise: Exercise, workbook: Workbook) -> Derived:
    """Apply every rule of ``exercise`` to ``workbook``."""
    sections: list[Section] = []
    for rule in exercise.rules:
        sections.extend(rule.derive(exercise, workbook))
    return Derived(tuple(sections))
