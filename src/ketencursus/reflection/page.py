"""The exercise as a form in the static book page (no kernel).

The book build executes ``formulier("<id>")`` in the reflection notebook; its output is the
form, rendered here from the exercise definition (native inputs in fieldsets with legends and
labels), plus the definitions of all exercises as JSON. The page script
``ketencursus-reflectie.js`` (``sphinxext/static``, served from the book) binds the form:
it saves every change in the browser's ``localStorage`` (one key per exercise,
``ketencursus:reflectie:<id>``), shows the same feedback by evaluating the same rules, and
writes and reads the same portfolio files as :mod:`.export`.

Without the script (e.g. this cell's output inside JupyterLab) the form stays hidden and a
note says where to work instead.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any

from .exercises import definitions_json, get_exercise
from .export import _CSS, HTML_DATA_ID, MD_BEGIN, MD_END, NOT_A_PORTFOLIO, NOT_ANSWERED
from .model import (
    FORMAT,
    LIKERT_LABELS,
    PRIVACY_NOTE,
    SCHEMA_VERSION,
    ChoicePrompt,
    DatePrompt,
    LikertPrompt,
    SelectPrompt,
    TablePrompt,
    TextPrompt,
)

STORAGE_PREFIX = "ketencursus:reflectie:"

WHERE_ANSWERS_LIVE = (
    "Je antwoorden worden bij elke wijziging opgeslagen, alleen op dit apparaat en in deze "
    "browser (in de lokale opslag van de browser). Niemand anders kan ze zien, ook de "
    "docent niet, en ze gaan niet via internet. In een andere browser, op een ander apparaat "
    "of na het wissen van je browsergegevens zijn ze er niet: download daarom je portfolio en "
    "importeer het waar je verder wilt werken."
)

PAGE_OR_NOTEBOOK = (
    "Dit formulier werkt direct in het online boek, zonder installatie. Dezelfde oefening "
    "bestaat ook als notebook (via Binder, een JupyterHub of lokaal, zie verderop); dat "
    "bewaart je antwoorden in een bestand in je werkmap. Beide gebruiken hetzelfde portfolio: "
    "download het hier en importeer het in het notebook, of andersom."
)


def _id(exercise_id: str, *parts: str) -> str:
    return "kc-" + "-".join(re.sub(r"[^A-Za-z0-9_-]", "-", p) for p in (exercise_id, *parts))


def format_json() -> dict[str, Any]:
    """The constants of the answers and portfolio formats the page script needs."""
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "storage_prefix": STORAGE_PREFIX,
        "likert_labels": {str(k): v for k, v in LIKERT_LABELS.items()},
        "not_answered": NOT_ANSWERED,
        "md_begin": MD_BEGIN,
        "md_end": MD_END,
        "html_data_id": HTML_DATA_ID,
        "css": _CSS,
        "not_a_portfolio": NOT_A_PORTFOLIO,
    }


def _json_script(class_name: str, data: Any) -> str:
    payload = json.dumps(data, ensure_ascii=False)  # key order matters (option order)
    safe = payload.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" class="{class_name}">{safe}</script>'


def _derived_slot(exercise_id: str, after: str) -> str:
    return (f"<div class='kc-rf-derived' data-kc-after='{escape(after)}' "
            f"id='{_id(exercise_id, 'na', after or 'einde')}' aria-live='polite'></div>")


def _radio_group(exercise_id: str, prompt_id: str, legend: str,
                 options: list[tuple[str, str]], extra: str = "") -> str:
    name = _id(exercise_id, prompt_id)
    radios = "".join(
        f"<label class='kc-rf-optie'><input type='radio' name='{name}' "
        f"id='{name}-{index}' value='{escape(value)}'> {escape(label)}</label>"
        for index, (value, label) in enumerate(options)
    )
    return f"<legend>{escape(legend)}</legend>{extra}<div class='kc-rf-opties'>{radios}</div>"


def prompt_html(exercise_id: str, prompt: Any) -> str:
    """One prompt as form controls, chosen by prompt type."""
    pid = prompt.id
    field_id = _id(exercise_id, pid)
    attrs = f"class='kc-rf-prompt' data-kc-prompt='{escape(pid)}' data-kc-kind='{prompt.kind}'"
    if isinstance(prompt, LikertPrompt):
        options = [("", "geen antwoord")] + [(str(k), f"{k} – {v}") for k, v in
                                              LIKERT_LABELS.items()]
        group = _radio_group(exercise_id, pid, prompt.text, options)
        return f"<fieldset {attrs}>{group}</fieldset>"
    if isinstance(prompt, SelectPrompt):
        options = [("", "nog geen keuze")] + list(prompt.options)
        return (f"<fieldset {attrs}>"
                f"{_radio_group(exercise_id, pid, prompt.question, options)}</fieldset>")
    if isinstance(prompt, ChoicePrompt):
        extra = "".join(f"<p>{escape(t)}</p>" for t in (prompt.context, prompt.question) if t)
        boxes = "".join(
            f"<label class='kc-rf-optie'><input type='checkbox' name='{field_id}' "
            f"id='{field_id}-{key}' value='{escape(key)}'> {escape(label)}</label>"
            for key, label in prompt.options
        )
        return (f"<fieldset {attrs}><legend>{escape(prompt.label)}</legend>{extra}"
                f"<div class='kc-rf-opties'>{boxes}</div></fieldset>")
    if isinstance(prompt, TablePrompt):
        return (f"<fieldset {attrs}><legend>{escape(prompt.label)}</legend>"
                f"<div class='kc-rf-rijen'></div>"
                f"<button type='button' class='kc-rf-knop kc-rf-rij-erbij'>"
                f"{escape(prompt.add_label)}</button></fieldset>")
    label = f"<label for='{field_id}'><strong>{escape(prompt.label)}</strong>: " \
            f"{escape(prompt.question)}</label>"
    if isinstance(prompt, DatePrompt):
        control = f"<input type='date' id='{field_id}'>"
    elif isinstance(prompt, TextPrompt):
        placeholder = f" placeholder='{escape(prompt.placeholder)}'" if prompt.placeholder else ""
        control = f"<textarea id='{field_id}' rows='4' maxlength='20000'{placeholder}></textarea>"
    else:  # pragma: no cover - every prompt kind is handled above
        raise TypeError(f"Geen invoerveld voor vraagsoort {prompt.kind!r}.")
    return f"<div {attrs}>{label}{control}</div>"


def page_form_html(exercise_id: str) -> str:
    """The whole in-page exercise: form, status, portfolio buttons and the JSON the page
    script works from."""
    exercise = get_exercise(exercise_id)
    notes = "".join(f"<p>{escape(note)}</p>" for note in exercise.notes)
    prompts = "".join(
        prompt_html(exercise.id, prompt) + _derived_slot(exercise.id, prompt.id)
        for prompt in exercise.prompts
    )
    file_id = _id(exercise.id, "importeer")
    return "\n".join([
        f"<div class='kc-rf' data-kc-exercise='{exercise.id}' hidden>",
        _json_script("kc-rf-definities", definitions_json()),
        _json_script("kc-rf-formaat", format_json()),
        "<div class='kc-rf-uitleg'>",
        f"<p>{escape(exercise.intro)}</p>{notes}",
        f"<p class='kc-rf-privacy'><strong>{escape(PRIVACY_NOTE)}</strong></p>",
        "<h3>Waar staan je antwoorden?</h3>",
        f"<p>{escape(WHERE_ANSWERS_LIVE)}</p>",
        f"<p>{escape(PAGE_OR_NOTEBOOK)}</p>",
        "</div>",
        f"<form class='kc-rf-form' aria-label='{escape(exercise.title)}' novalidate>",
        prompts,
        _derived_slot(exercise.id, ""),
        "</form>",
        "<p class='kc-rf-status' role='status' aria-live='polite'>Nog niets gewijzigd op deze "
        "pagina.</p>",
        "<h3>Portfolio</h3>",
        "<p>Het portfolio bevat de antwoorden van alle reflectie-oefeningen in deze browser, "
        "met de vragen en de datum. Het is hetzelfde bestand als het notebook maakt.</p>",
        "<div class='kc-rf-knoppen'>",
        "<button type='button' class='kc-rf-knop' data-kc-download='html'>"
        "Download portfolio (HTML)</button>",
        "<button type='button' class='kc-rf-knop' data-kc-download='md'>"
        "Download portfolio (Markdown)</button>",
        "</div>",
        f"<p><label for='{file_id}'>Portfolio importeren (een eerder gedownload portfolio, "
        f".html of .md, of antwoorden.json uit het notebook)</label><br>"
        f"<input type='file' id='{file_id}' class='kc-rf-bestand' accept='.html,.htm,.md,.json'>"
        "</p>",
        "<div class='kc-rf-import' aria-live='polite'></div>",
        "<p><button type='button' class='kc-rf-knop kc-rf-wis'>Wis mijn antwoorden van deze "
        "oefening</button></p>",
        "</div>",
        "<p class='kc-rf-zonder-js'>Het invulformulier van deze oefening werkt in het online "
        "boek. Hier, in het notebook, gebruik je de oefening onder „Werken in een notebook”.</p>",
    ])


def formulier(exercise_id: str):
    """The in-page form as a displayable object for the book's notebook cell."""
    from IPython.display import HTML

    return HTML(page_form_html(exercise_id))
