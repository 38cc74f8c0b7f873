"""The portfolio: all answers with their prompts and dates, as Markdown and as HTML.

Both formats carry the complete workbook as a machine-readable block (base64 JSON in an HTML
comment for Markdown; a ``<script type="application/json">`` element for HTML), so importing a
downloaded portfolio restores every answer exactly, whatever the learner's text contains.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import textwrap
from datetime import datetime
from html import escape
from typing import Any

from ketencursus._util import nl
from ketencursus.errors import UserError

from .exercises import DIMENSIONS, EXERCISES, SCENARIOS
from .feedback import (
    actieplan_missing,
    cultuurscan_advice,
    cultuurscan_answers,
    intervention_feedback,
    score_cultuurscan,
)
from .model import (
    HABIT_EFFECTS,
    LIKERT_LABELS,
    Answer,
    ChoicePrompt,
    DatePrompt,
    Exercise,
    HabitLogPrompt,
    LikertPrompt,
    SchemaError,
    Workbook,
    is_empty,
    now_iso,
)

MD_BEGIN = "<!-- ketencursus-portfolio-data: begin"
MD_END = "ketencursus-portfolio-data: end -->"
HTML_DATA_ID = "ketencursus-portfolio-data"

NOT_ANSWERED = "(nog niet ingevuld)"


class PortfolioImportError(UserError, ValueError):
    """The file is not a portfolio or answers file; ``str()`` is a Dutch message."""


def format_timestamp(iso: str) -> str:
    """``2026-11-27T06:10:00Z`` → ``27-11-2026 07:10`` (Dutch time when the zone is known)."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return str(iso)
    try:
        from zoneinfo import ZoneInfo

        moment = moment.astimezone(ZoneInfo("Europe/Amsterdam"))
        zone = ""
    except Exception:  # no time-zone data: show UTC and say so
        zone = " UTC"
    return moment.strftime("%d-%m-%Y %H:%M") + zone


# ------------------------------------------------------------------ answer → readable text


def answer_text(prompt: Any, value: Any) -> str:
    """A one-paragraph Dutch rendering of an answer (habit logs are rendered separately)."""
    if is_empty(value):
        return NOT_ANSWERED
    if isinstance(prompt, LikertPrompt):
        return f"{value} – {LIKERT_LABELS.get(value, '?')}"
    if isinstance(prompt, ChoicePrompt):
        labels = dict(prompt.options)
        return "; ".join(labels.get(v, str(v)) for v in value)
    if isinstance(prompt, DatePrompt):
        try:
            return datetime.strptime(value, "%Y-%m-%d").strftime("%d-%m-%Y")
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _prompt_question(prompt: Any) -> str:
    if isinstance(prompt, LikertPrompt):
        return prompt.text
    question = getattr(prompt, "question", "")
    return f"{prompt.label}: {question}" if question else prompt.label


def _extras(exercise: Exercise, workbook: Workbook) -> list[tuple[str, list[str]]]:
    """Derived results shown under an exercise: (heading, paragraphs)."""
    if exercise.id == "cultuurscan":
        scores = score_cultuurscan(cultuurscan_answers(workbook))
        lines = [
            f"{DIMENSIONS[s.dimension]['naam']} ({DIMENSIONS[s.dimension]['vraag']}): "
            + (nl.number(s.score, 1) if s.score is not None else "geen score")
            + f" – {s.answered} van {s.total} stellingen beantwoord"
            for s in scores.values()
        ]
        advice = [f"{name}: {text}" for name, text in cultuurscan_advice(scores)]
        return [("Profiel (schaal 1–5)", lines), ("Advies", advice)]
    if exercise.id == "interventiekiezer":
        out = []
        for scenario_id, scenario in SCENARIOS.items():
            chosen = workbook.get("interventiekiezer", f"{scenario_id}.keuze", []) or []
            if chosen:
                fb = intervention_feedback(scenario_id, chosen)
                lines = [fb.summary] + [
                    f"{label} – {fit}. {reason} {limits}" for label, fit, reason, limits in fb.items
                ]
                out.append((f"Feedback bij {scenario['titel']}", lines))
        return out
    if exercise.id == "actieplan":
        missing = actieplan_missing(workbook)
        if missing and workbook.answers.get("actieplan"):
            return [("Nog aan te vullen", [", ".join(missing)])]
    return []


# ----------------------------------------------------------------------------- Markdown


def _md_quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines() or [""])


def _md_data_block(workbook: Workbook) -> str:
    payload = json.dumps(workbook.to_dict(), ensure_ascii=False, sort_keys=True)
    encoded = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    return "\n".join([MD_BEGIN, *textwrap.wrap(encoded, 76), MD_END])


def portfolio_markdown(workbook: Workbook, generated: str | None = None) -> str:
    generated = generated or now_iso()
    lines = [
        "# Mijn portfolio – reflectie-oefeningen ketensturing",
        "",
        f"Gemaakt op {format_timestamp(generated)}. Dit portfolio bevat al je antwoorden met de "
        "vragen en de datum waarop je ze het laatst wijzigde. Bewaar het bestand: je kunt het in "
        "elke reflectie-oefening weer importeren om je antwoorden terug te zetten. Het blok "
        "onderaan bevat je antwoorden in machineleesbare vorm; verander het niet.",
        "",
    ]
    known: set[tuple[str, str]] = set()
    for exercise in EXERCISES.values():
        lines += [f"## {exercise.title}", ""]
        stored = workbook.answers.get(exercise.id, {})
        if not stored:
            lines += ["Nog niet gestart.", ""]
            continue
        for prompt in exercise.prompts:
            known.add((exercise.id, prompt.id))
            answer = stored.get(prompt.id)
            value = answer.value if answer else None
            date = f" _(bijgewerkt {format_timestamp(answer.updated)})_" if answer else ""
            lines.append(f"**{_prompt_question(prompt)}**{date}")
            lines.append("")
            if isinstance(prompt, HabitLogPrompt):
                rows = [r for r in (value or []) if not is_empty([r])]
                if not rows:
                    lines += [NOT_ANSWERED, ""]
                for number, row in enumerate(rows, start=1):
                    lines.append(f"{number}. Gewoonte: {row.get('gewoonte', '')}")
                    lines.append(f"   - Organisatie: {row.get('organisatie', '') or '–'}")
                    effect = HABIT_EFFECTS.get(row.get("effect", ""), row.get("effect", ""))
                    lines.append(f"   - Effect: {effect}")
                    lines.append(f"   - Vervangende gewoonte: {row.get('vervanging', '') or '–'}")
                lines.append("")
            else:
                lines += [_md_quote(answer_text(prompt, value)), ""]
        for heading, paragraphs in _extras(exercise, workbook):
            lines += [f"### {heading}", ""] + [f"- {p}" for p in paragraphs] + [""]
    others = _unknown_answers(workbook, known)
    if others:
        lines += ["## Overige antwoorden", ""]
        for ex, pid, answer in others:
            lines += [f"**{ex} / {pid}** _(bijgewerkt {format_timestamp(answer.updated)})_", "",
                      _md_quote(answer_text(None, answer.value)), ""]
    lines += [_md_data_block(workbook), ""]
    return "\n".join(lines)


def _unknown_answers(
    workbook: Workbook, known: set[tuple[str, str]]
) -> list[tuple[str, str, Answer]]:
    """Answers for prompts this course version does not know (kept and shown, never dropped)."""
    return [
        (ex, pid, answer)
        for ex, prompts in sorted(workbook.answers.items())
        for pid, answer in sorted(prompts.items())
        if (ex, pid) not in known and (ex not in EXERCISES or pid not in
                                       {p.id for p in EXERCISES[ex].prompts})
    ]


# --------------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:50rem;
margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:1px solid #ccc;margin-top:2rem}
.vraag{font-weight:600;margin-bottom:.2rem}.datum{color:#555;font-size:.85rem;font-weight:400}
blockquote{margin:.2rem 0 1rem;padding:.3rem .8rem;border-left:4px solid #154273;
background:#f3f6fa;white-space:pre-wrap}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;
text-align:left;vertical-align:top}
.balk{display:inline-block;height:.9rem;background:#154273;vertical-align:middle}
"""


def _html_answer(prompt: Any, answer: Answer | None) -> str:
    value = answer.value if answer else None
    date = (
        f" <span class='datum'>(bijgewerkt {escape(format_timestamp(answer.updated))})</span>"
        if answer else ""
    )
    head = f"<p class='vraag'>{escape(_prompt_question(prompt))}{date}</p>"
    if isinstance(prompt, HabitLogPrompt):
        rows = [r for r in (value or []) if not is_empty([r])]
        if not rows:
            return head + f"<blockquote>{NOT_ANSWERED}</blockquote>"
        body = "".join(
            "<tr>" + "".join(
                f"<td>{escape(text)}</td>"
                for text in (
                    row.get("gewoonte", ""),
                    row.get("organisatie", "") or "–",
                    HABIT_EFFECTS.get(row.get("effect", ""), row.get("effect", "")),
                    row.get("vervanging", "") or "–",
                )
            ) + "</tr>"
            for row in rows
        )
        return head + (
            "<table><thead><tr><th scope='col'>Gewoonte</th><th scope='col'>Organisatie</th>"
            "<th scope='col'>Effect</th><th scope='col'>Vervangende gewoonte</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    return head + f"<blockquote>{escape(answer_text(prompt, value))}</blockquote>"


def exercise_section_html(
    exercise: Exercise, workbook: Workbook, level: int = 2, only_answered: bool = False
) -> str:
    """One exercise of the portfolio as an HTML ``<section>``: every question with its answer
    and date (``only_answered``: skip unanswered questions), then the derived results
    (profile, advice, feedback)."""
    h, h_sub = f"h{level}", f"h{level + 1}"
    parts = [f"<section><{h}>{escape(exercise.title)}</{h}>"]
    stored = workbook.answers.get(exercise.id, {})
    if not stored:
        parts.append("<p>Nog niet gestart.</p></section>")
        return "\n".join(parts)
    for prompt in exercise.prompts:
        if only_answered and prompt.id not in stored:
            continue
        parts.append(_html_answer(prompt, stored.get(prompt.id)))
    if exercise.id == "cultuurscan":
        scores = score_cultuurscan(cultuurscan_answers(workbook))
        rows = "".join(
            f"<tr><th scope='row'>{escape(str(DIMENSIONS[s.dimension]['naam']))}</th><td>"
            + (
                f"<span class='balk' style='width:{s.score * 2:.1f}rem' aria-hidden='true'>"
                "</span> " + nl.number(s.score, 1)
                if s.score is not None
                else "geen score"
            )
            + f"</td><td>{s.answered} van {s.total}</td></tr>"
            for s in scores.values()
        )
        parts.append(
            f"<{h_sub}>Profiel (schaal 1–5)</{h_sub}><table><thead><tr>"
            "<th scope='col'>Dimensie</th><th scope='col'>Score</th>"
            f"<th scope='col'>Beantwoord</th></tr></thead><tbody>{rows}</tbody></table>"
        )
        parts.append(f"<{h_sub}>Advies</{h_sub}><ul>")
        parts += [
            f"<li><strong>{escape(n)}</strong>: {escape(t)}</li>"
            for n, t in cultuurscan_advice(scores)
        ]
        parts.append("</ul>")
    else:
        for heading, paragraphs in _extras(exercise, workbook):
            parts.append(f"<{h_sub}>{escape(heading)}</{h_sub}><ul>")
            parts += [f"<li>{escape(p)}</li>" for p in paragraphs]
            parts.append("</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def _html_data_block(workbook: Workbook) -> str:
    payload = json.dumps(workbook.to_dict(), ensure_ascii=False, sort_keys=True)
    safe = payload.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" id="{HTML_DATA_ID}">{safe}</script>'


def portfolio_html(workbook: Workbook, generated: str | None = None) -> str:
    generated = generated or now_iso()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Mijn portfolio – reflectie-oefeningen ketensturing</title>",
        f"<style>{_CSS}</style></head><body><main>",
        "<h1>Mijn portfolio – reflectie-oefeningen ketensturing</h1>",
        f"<p>Gemaakt op {escape(format_timestamp(generated))}. Dit portfolio bevat al je "
        "antwoorden met de vragen en de datum waarop je ze het laatst wijzigde. Bewaar het "
        "bestand: je kunt het in elke reflectie-oefening weer importeren om je antwoorden terug "
        "te zetten.</p>",
    ]
    known: set[tuple[str, str]] = set()
    for exercise in EXERCISES.values():
        known.update((exercise.id, prompt.id) for prompt in exercise.prompts)
        parts.append(exercise_section_html(exercise, workbook))
    others = _unknown_answers(workbook, known)
    if others:
        parts.append("<section><h2>Overige antwoorden</h2>")
        for ex, pid, answer in others:
            parts.append(
                f"<p class='vraag'>{escape(ex)} / {escape(pid)} <span class='datum'>(bijgewerkt "
                f"{escape(format_timestamp(answer.updated))})</span></p>"
                f"<blockquote>{escape(answer_text(None, answer.value))}</blockquote>"
            )
        parts.append("</section>")
    parts.append("</main>")
    parts.append(_html_data_block(workbook))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# ------------------------------------------------------------------------------- import

_MD_RE = re.compile(re.escape(MD_BEGIN) + r"(?P<data>.*?)" + re.escape(MD_END), re.DOTALL)
_HTML_RE = re.compile(
    r'<script type="application/json" id="' + re.escape(HTML_DATA_ID) + r'">(?P<data>.*?)</script>',
    re.DOTALL,
)

NOT_A_PORTFOLIO = (
    "In dit bestand staan geen antwoorden van ketencursus. Importeer een portfolio dat je eerder "
    "met de downloadknop hebt opgeslagen (portfolio .html of .md) of het bestand antwoorden.json."
)


def import_portfolio(content: bytes | str) -> Workbook:
    """Read a downloaded portfolio (HTML or Markdown) or an answers file (JSON) back into a
    workbook. Raises ``PortfolioImportError`` with a Dutch message when it is none of those."""
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PortfolioImportError(NOT_A_PORTFOLIO + " (Het bestand is geen tekst.)") from None
    else:
        text = content
    data: Any
    if match := _HTML_RE.search(text):
        try:
            data = json.loads(match.group("data"))
        except json.JSONDecodeError:
            raise PortfolioImportError(
                "Het gegevensblok in dit HTML-portfolio is beschadigd; het kan niet worden "
                "geïmporteerd. Probeer een andere download of de Markdown-versie."
            ) from None
    elif match := _MD_RE.search(text):
        try:
            raw = base64.b64decode("".join(match.group("data").split()), validate=True)
            data = json.loads(raw.decode("utf-8"))
        except (binascii.Error, ValueError):
            raise PortfolioImportError(
                "Het gegevensblok onderaan dit Markdown-portfolio is gewijzigd of beschadigd; het "
                "kan niet worden geïmporteerd. Probeer de HTML-versie of een andere download."
            ) from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            raise PortfolioImportError(NOT_A_PORTFOLIO) from None
    try:
        return Workbook.from_dict(data)
    except SchemaError as exc:
        raise PortfolioImportError(f"{NOT_A_PORTFOLIO} ({exc})") from None


__all__ = [
    "portfolio_markdown",
    "portfolio_html",
    "import_portfolio",
    "PortfolioImportError",
    "format_timestamp",
]
