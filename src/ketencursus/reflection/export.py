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

from ketencursus.errors import UserError

from .derive import Section, tenths_text
from .exercises import EXERCISES, derive
from .model import (
    LIKERT_LABELS,
    Answer,
    Exercise,
    SchemaError,
    TablePrompt,
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
    """A one-paragraph Dutch rendering of an answer (tables are rendered separately)."""
    if is_empty(value):
        return NOT_ANSWERED
    kind = getattr(prompt, "kind", None)
    if kind == "likert":
        return f"{value} – {LIKERT_LABELS.get(value, '?')}"
    if kind in ("choice", "select"):
        labels = dict(prompt.options)
        chosen = value if kind == "choice" else [value]
        return "; ".join(labels.get(v, str(v)) for v in chosen)
    if kind == "date":
        try:
            return datetime.strptime(value, "%Y-%m-%d").strftime("%d-%m-%Y")
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _prompt_question(prompt: Any) -> str:
    if prompt.kind == "likert":
        return prompt.text
    question = getattr(prompt, "question", "")
    return f"{prompt.label}: {question}" if question else prompt.label


def table_rows(prompt: TablePrompt, value: Any) -> list[list[str]]:
    """The non-empty rows of a table answer as display texts, one per field (``–`` = empty)."""
    rows = []
    for row in value or []:
        if not isinstance(row, dict) or is_empty([row]):
            continue
        cells = []
        for row_field in prompt.fields:
            text = row.get(row_field.id, "") or ""
            if row_field.options and text:
                text = dict(row_field.options).get(text, text)
            cells.append(text if text.strip() else "–")
        rows.append(cells)
    return rows


# ----------------------------------------------------------------------------- Markdown


def _md_quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines() or [""])


def _md_data_block(workbook: Workbook) -> str:
    payload = json.dumps(workbook.to_dict(), ensure_ascii=False, sort_keys=True)
    encoded = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    return "\n".join([MD_BEGIN, *textwrap.wrap(encoded, 76), MD_END])


def _md_section(section: Section) -> list[str]:
    return [f"### {section.heading}", ""] + [f"- {item}" for item in section.items] + [""]


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
    for exercise in EXERCISES.values():
        lines += [f"## {exercise.title}", ""]
        stored = workbook.answers.get(exercise.id, {})
        if not stored:
            lines += ["Nog niet gestart.", ""]
            continue
        for prompt in exercise.prompts:
            answer = stored.get(prompt.id)
            value = answer.value if answer else None
            date = f" _(bijgewerkt {format_timestamp(answer.updated)})_" if answer else ""
            lines.append(f"**{_prompt_question(prompt)}**{date}")
            lines.append("")
            if isinstance(prompt, TablePrompt):
                rows = table_rows(prompt, value)
                if not rows:
                    lines += [NOT_ANSWERED, ""]
                for number, cells in enumerate(rows, start=1):
                    lines.append(f"{number}. {prompt.fields[0].heading}: {cells[0]}")
                    for row_field, text in zip(prompt.fields[1:], cells[1:], strict=True):
                        lines.append(f"   - {row_field.heading}: {text}")
                lines.append("")
            else:
                lines += [_md_quote(answer_text(prompt, value)), ""]
        for section in derive(exercise.id, workbook).for_portfolio():
            lines += _md_section(section)
    others = _unknown_answers(workbook)
    if others:
        lines += ["## Overige antwoorden", ""]
        for ex, pid, answer in others:
            lines += [f"**{ex} / {pid}** _(bijgewerkt {format_timestamp(answer.updated)})_", "",
                      _md_quote(answer_text(None, answer.value)), ""]
    lines += [_md_data_block(workbook), ""]
    return "\n".join(lines)


def _unknown_answers(workbook: Workbook) -> list[tuple[str, str, Answer]]:
    """Answers for prompts this course version does not know (kept and shown, never dropped)."""
    return [
        (ex, pid, answer)
        for ex, prompts in sorted(workbook.answers.items())
        for pid, answer in sorted(prompts.items())
        if ex not in EXERCISES or pid not in {p.id for p in EXERCISES[ex].prompts}
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
    if isinstance(prompt, TablePrompt):
        rows = table_rows(prompt, value)
        if not rows:
            return head + f"<blockquote>{NOT_ANSWERED}</blockquote>"
        header = "".join(f"<th scope='col'>{escape(f.heading)}</th>" for f in prompt.fields)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(text)}</td>" for text in cells) + "</tr>"
            for cells in rows
        )
        return head + f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
    return head + f"<blockquote>{escape(answer_text(prompt, value))}</blockquote>"


def _bar_cell(tenths: int | None) -> str:
    if tenths is None:
        return "geen score"
    width = tenths * 2  # 1 point = 2rem, in tenths of a rem
    return (f"<span class='balk' style='width:{tenths_text(width).replace(',', '.')}rem' "
            f"aria-hidden='true'></span> {tenths_text(tenths)}")


def section_html(section: Section, level: int = 3) -> str:
    """One derived section: a heading and a list, or a score table for a profile."""
    h = f"h{level}"
    if section.bars:
        rows = "".join(
            f"<tr><th scope='row'>{escape(bar.label)}</th><td>{_bar_cell(bar.tenths)}</td>"
            f"<td>{escape(bar.detail)}</td></tr>"
            for bar in section.bars
        )
        return (
            f"<{h}>{escape(section.heading)}</{h}><table><thead><tr>"
            "<th scope='col'>Onderdeel</th><th scope='col'>Score</th>"
            f"<th scope='col'>Beantwoord</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    items = "".join(f"<li>{escape(item)}</li>" for item in section.items)
    return f"<{h}>{escape(section.heading)}</{h}><ul>{items}</ul>"


def exercise_section_html(exercise: Exercise, workbook: Workbook) -> str:
    """One exercise of the portfolio as an HTML ``<section>``: every question with its answer
    and date, then the derived results (profile, advice, feedback)."""
    parts = [f"<section><h2>{escape(exercise.title)}</h2>"]
    stored = workbook.answers.get(exercise.id, {})
    if not stored:
        parts.append("<p>Nog niet gestart.</p></section>")
        return "\n".join(parts)
    for prompt in exercise.prompts:
        parts.append(_html_answer(prompt, stored.get(prompt.id)))
    for section in derive(exercise.id, workbook).for_portfolio():
        parts.append(section_html(section))
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
    for exercise in EXERCISES.values():
        parts.append(exercise_section_html(exercise, workbook))
    others = _unknown_answers(workbook)
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
