"""ipywidgets bound to the reflection model. Only binding lives here: validation, storage,
scoring and export are in the tested plain-Python modules.

Accessibility: every input is a native element (``<select>``, ``<textarea>``, ``<input>``,
``<button>``) whose ``description`` is rendered by ipywidgets 8 as a ``<label for=…>``, so a
screen reader reads the full question; a small scoped style lets these labels wrap above the
field instead of being cut off.
"""

from __future__ import annotations

import base64
import datetime as dt
from html import escape
from typing import Any

import ipywidgets as widgets

from .charts import bars_html
from .derive import Section
from .exercises import derive, get_exercise
from .export import (
    PortfolioImportError,
    import_portfolio,
    portfolio_html,
    portfolio_markdown,
)
from .model import (
    LIKERT_LABELS,
    PRIVACY_NOTE,
    ChoicePrompt,
    DatePrompt,
    LikertPrompt,
    SelectPrompt,
    TablePrompt,
    TextPrompt,
    ValidationError,
    Workbook,
    merge,
)
from .store import AnswerStore, StoreError

PORTFOLIO_HTML_NAME = "portfolio.html"
PORTFOLIO_MD_NAME = "portfolio.md"
NO_ANSWER = 0  # Dropdown value meaning "nog geen antwoord"
INITIAL_LOG_ROWS = 3

STYLE = """<style>
.kc-reflectie .widget-label{white-space:normal!important;width:auto!important;
 max-width:100%!important;height:auto!important;text-align:left!important;
 line-height:1.4!important;overflow:visible!important;margin-bottom:.2em}
.kc-reflectie .widget-textarea,.kc-reflectie .widget-dropdown,.kc-reflectie .widget-text,
.kc-reflectie .widget-datepicker{flex-direction:column!important;align-items:stretch!important;
 height:auto!important;margin-bottom:.8em}
.kc-reflectie .widget-dropdown>select,.kc-reflectie .widget-datepicker>input,
.kc-reflectie .widget-text>input{flex:0 0 auto!important;
 height:var(--jp-widgets-inline-height,28px)!important;max-width:22em}
.kc-reflectie .widget-text>input{max-width:100%}
.kc-reflectie .widget-textarea>textarea{flex:0 0 auto!important;width:100%}
.kc-reflectie .widget-checkbox{height:auto!important;width:100%!important}
.kc-reflectie .widget-html-content{line-height:1.5!important}
.kc-reflectie .widget-checkbox label{white-space:normal!important}
.kc-reflectie a.kc-download{display:inline-block;margin:.2em .6em .2em 0;padding:.35em .8em;
 background:#154273;color:#fff!important;border-radius:3px;text-decoration:none}
.kc-reflectie a.kc-download:focus{outline:3px solid #f9a825;outline-offset:2px}
.kc-reflectie .kc-melding{border-left:5px solid #b0413e;background:#fbeaea;padding:.5em .8em}
.kc-reflectie .kc-hint{border-left:5px solid #c98a1b;background:#fff6e0;padding:.4em .8em}
</style>"""

_WIDE = widgets.Layout(width="100%")


def _label_style() -> dict[str, str]:
    return {"description_width": "initial"}


class ReflectionView:
    """The widgets of one exercise, bound to the learner's answers file. Widgets are chosen
    by prompt type; feedback comes from the exercise's ``derive``."""

    def __init__(self, exercise_id: str, store: AnswerStore | None = None) -> None:
        self.exercise = get_exercise(exercise_id)
        self.store = store or AnswerStore()
        self._syncing = False
        self._notices_shown = 0
        self.controls: dict[str, widgets.Widget] = {}
        self.choice_boxes: dict[str, dict[str, widgets.Checkbox]] = {}
        self.tables: dict[str, list[dict[str, widgets.Widget]]] = {}
        self.table_boxes: dict[str, widgets.VBox] = {}
        self.add_row_buttons: dict[str, widgets.Button] = {}
        self.section_slots: dict[str, widgets.HTML] = {}

        self.notice = widgets.HTML()
        self.status = widgets.HTML(
            "<p role='status' aria-live='polite'>Nog niets gewijzigd in deze sessie.</p>"
        )
        self.derived = widgets.HTML()
        self.section_slots[""] = self.derived
        self.download = widgets.HTML()
        self.upload = widgets.FileUpload(
            accept=".html,.htm,.md,.json",
            multiple=False,
            description="Portfolio importeren",
            tooltip="Kies een eerder gedownload portfolio (.html of .md) of antwoorden.json",
            layout=widgets.Layout(width="auto", align_self="flex-start"),
        )
        self.upload.observe(self._on_upload, names="value")
        self.import_result = widgets.HTML()

        try:
            self.workbook = self.store.load()
        except StoreError as exc:
            self.workbook = Workbook()
            self._show_error(str(exc))
        self._show_notices()

        body = self._build_body()
        self.refresh_from_workbook()
        notes = "".join(f"<p>{escape(note)}</p>" for note in self.exercise.notes)
        header = widgets.HTML(
            f"<h3>{escape(self.exercise.title)}</h3><p>{escape(self.exercise.intro)}</p>{notes}"
            f"<p><strong>{escape(PRIVACY_NOTE)}</strong></p>"
            f"<p><small>Je antwoorden worden bij elke wijziging opgeslagen in "
            f"<code>{escape(str(self.store.path))}</code>.</small></p>"
        )
        portfolio = widgets.VBox(
            [
                widgets.HTML(
                    "<h4>Portfolio</h4><p>Download je portfolio regelmatig: een Binder-sessie "
                    "wordt na een tijdje niets doen weggegooid, en daarmee je antwoordenbestand. "
                    "Met <em>Portfolio importeren</em> zet je een eerder gedownload portfolio "
                    "terug, ook een portfolio dat je in het online boek hebt gedownload.</p>"
                ),
                self.download,
                self.upload,
                self.import_result,
            ]
        )
        self.widget = widgets.VBox(
            [widgets.HTML(STYLE), header, self.notice, body, self.derived, self.status, portfolio],
            layout=_WIDE,
        )
        self.widget.add_class("kc-reflectie")
        self._refresh_derived()
        self._refresh_download()

    # ------------------------------------------------------------------ building widgets

    def _build_body(self) -> widgets.Widget:
        children: list[widgets.Widget] = []
        for prompt in self.exercise.prompts:
            if isinstance(prompt, TablePrompt):
                children.append(self._build_table(prompt))
            elif isinstance(prompt, ChoicePrompt):
                children.append(self._build_choice(prompt))
            else:
                children.append(self._control_for(prompt))
            slot = widgets.HTML()
            self.section_slots[prompt.id] = slot
            children.append(slot)
        return widgets.VBox(children, layout=_WIDE)

    def _control_for(self, prompt: Any) -> widgets.Widget:
        control: widgets.Widget
        if isinstance(prompt, LikertPrompt):
            control = widgets.Dropdown(
                options=[("— kies een antwoord —", NO_ANSWER)]
                + [(f"{k} – {label}", k) for k, label in LIKERT_LABELS.items()],
                value=NO_ANSWER,
                description=prompt.text,
                style=_label_style(),
                layout=_WIDE,
            )
        elif isinstance(prompt, SelectPrompt):
            control = widgets.Dropdown(
                options=[("— kies —", "")] + [(label, key) for key, label in prompt.options],
                value="",
                description=prompt.question,
                style=_label_style(),
                layout=_WIDE,
            )
        elif isinstance(prompt, DatePrompt):
            control = widgets.DatePicker(
                description=prompt.question, style=_label_style(), layout=_WIDE
            )
        elif isinstance(prompt, TextPrompt):
            control = widgets.Textarea(
                description=prompt.question,
                placeholder=prompt.placeholder or "Typ hier je antwoord",
                style=_label_style(),
                rows=4,
                layout=_WIDE,
                continuous_update=True,
            )
        else:  # pragma: no cover - every prompt kind is handled here or by its builder
            raise TypeError(f"Geen invoerveld voor vraagsoort {prompt.kind!r}.")
        control.observe(lambda change, pid=prompt.id: self._on_change(pid), names="value")
        self.controls[prompt.id] = control
        return control

    def _build_choice(self, prompt: ChoicePrompt) -> widgets.Widget:
        boxes = {}
        for option_id, label in prompt.options:
            box = widgets.Checkbox(value=False, description=label, indent=False, layout=_WIDE)
            box.observe(lambda change, pid=prompt.id: self._on_change(pid), names="value")
            boxes[option_id] = box
        self.choice_boxes[prompt.id] = boxes
        head = f"<h4>{escape(prompt.label)}</h4>"
        if prompt.context:
            head += f"<p>{escape(prompt.context)}</p>"
        if prompt.question:
            head += f"<p>{escape(prompt.question)}</p>"
        return widgets.VBox([widgets.HTML(head), *boxes.values()], layout=_WIDE)

    def _build_table(self, prompt: TablePrompt) -> widgets.Widget:
        self.tables[prompt.id] = []
        self.table_boxes[prompt.id] = widgets.VBox(layout=_WIDE)
        stored = self.workbook.get(self.exercise.id, prompt.id, []) or []
        for _ in range(max(prompt.initial_rows, len(stored))):
            self._add_row(prompt)
        add = widgets.Button(
            description=prompt.add_label,
            tooltip=f"Voeg een lege regel toe aan „{prompt.label}”",
            icon="plus",
            layout=widgets.Layout(width="auto"),
        )
        add.on_click(lambda _button, p=prompt: self._add_row(p))
        self.add_row_buttons[prompt.id] = add
        return widgets.VBox(
            [widgets.HTML(f"<h4>{escape(prompt.label)}</h4>"), self.table_boxes[prompt.id], add],
            layout=_WIDE,
        )

    def _add_row(self, prompt: TablePrompt) -> None:
        rows = self.tables[prompt.id]
        number = len(rows) + 1
        row: dict[str, widgets.Widget] = {}
        for row_field in prompt.fields:
            description = f"{prompt.row_label} {number}: {row_field.label}"
            control: widgets.Widget
            if row_field.kind == "select":
                control = widgets.Dropdown(
                    options=[(label, key) for key, label in row_field.options], value="",
                    description=description, style=_label_style(), layout=_WIDE,
                )
            elif row_field.kind == "text":
                control = widgets.Text(
                    description=description, placeholder=row_field.placeholder,
                    style=_label_style(), layout=_WIDE,
                )
            else:
                control = widgets.Textarea(
                    description=description, placeholder=row_field.placeholder,
                    style=_label_style(), rows=2, layout=_WIDE,
                )
            control.observe(lambda change, pid=prompt.id: self._on_change(pid), names="value")
            row[row_field.id] = control
        rows.append(row)
        box = widgets.VBox(
            [widgets.HTML(f"<h5>{escape(prompt.row_label)} {number}</h5>"), *row.values()],
            layout=_WIDE,
        )
        self.table_boxes[prompt.id].children = (*self.table_boxes[prompt.id].children, box)

    # ------------------------------------------------------------------ values <-> widgets

    def widget_value(self, prompt_id: str) -> Any:
        """The current value of a prompt's widget(s), in model form."""
        if prompt_id in self.tables:
            return [{name: control.value or "" for name, control in row.items()}
                    for row in self.tables[prompt_id]]
        if prompt_id in self.choice_boxes:
            return [option for option, box in self.choice_boxes[prompt_id].items() if box.value]
        control = self.controls[prompt_id]
        prompt = self.exercise.prompt(prompt_id)
        if isinstance(prompt, LikertPrompt):
            return None if control.value == NO_ANSWER else control.value
        if isinstance(control, widgets.DatePicker):
            return control.value.isoformat() if control.value else ""
        return control.value

    def _set_widget_value(self, prompt_id: str, value: Any) -> None:
        if prompt_id in self.tables:
            prompt = self.exercise.prompt(prompt_id)
            assert isinstance(prompt, TablePrompt)
            rows = value or []
            while len(self.tables[prompt_id]) < len(rows):
                self._add_row(prompt)
            for index, row in enumerate(self.tables[prompt_id]):
                data = rows[index] if index < len(rows) else {}
                for name, control in row.items():
                    control.value = data.get(name, "") or ""
            return
        if prompt_id in self.choice_boxes:
            chosen = set(value or [])
            for option, box in self.choice_boxes[prompt_id].items():
                box.value = option in chosen
            return
        control = self.controls[prompt_id]
        prompt = self.exercise.prompt(prompt_id)
        if isinstance(prompt, LikertPrompt):
            control.value = NO_ANSWER if value is None else value
        elif isinstance(control, widgets.DatePicker):
            control.value = dt.date.fromisoformat(value) if value else None
        else:
            control.value = value or ""

    def refresh_from_workbook(self) -> None:
        """Show the stored answers in the widgets (without saving them again)."""
        self._syncing = True
        try:
            for prompt in self.exercise.prompts:
                stored = self.workbook.get(self.exercise.id, prompt.id)
                try:
                    self._set_widget_value(prompt.id, stored)
                except Exception:  # a stored value this version cannot show: keep it, say so
                    self._show_error(
                        f"Het opgeslagen antwoord bij „{getattr(prompt, 'label', prompt.id)}” "
                        "kan niet worden getoond; het blijft bewaard in je antwoordenbestand en "
                        "portfolio."
                    )
        finally:
            self._syncing = False

    # ------------------------------------------------------------------ events

    def _on_change(self, prompt_id: str) -> None:
        if self._syncing:
            return
        value = self.widget_value(prompt_id)
        try:
            self.workbook = self.store.set_answer(self.exercise, prompt_id, value)
        except (ValidationError, StoreError) as exc:
            self._set_status(str(exc), error=True)
            return
        finally:
            self._show_notices()
        self._set_status(
            f"Opgeslagen om {dt.datetime.now().strftime('%H:%M:%S')}."
        )
        self._refresh_derived()
        self._refresh_download(write_files=True)

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        name = item.get("name", "bestand") if isinstance(item, dict) else "bestand"
        content = bytes(item["content"]) if isinstance(item, dict) else bytes(item)
        self.import_bytes(content, name)
        self._syncing = True
        try:
            self.upload.value = ()
        finally:
            self._syncing = False

    def import_bytes(self, content: bytes, name: str = "bestand") -> str:
        """Import a downloaded portfolio or answers file: merge (newest answer per question
        wins), keep a backup of the answers file as it was, show the result. Returns the
        Dutch message shown."""
        try:
            incoming = import_portfolio(content)
        except PortfolioImportError as exc:
            message = f"„{name}” is niet geïmporteerd. {exc}"
            self.import_result.value = f"<p class='kc-melding' role='alert'>{escape(message)}</p>"
            return message
        try:
            backup = self.store.backup_copy("voor-import")
            reports = []

            def apply(workbook: Workbook) -> None:
                merged, report = merge(workbook, incoming)
                workbook.answers = merged.answers
                reports.append(report)

            self.workbook = self.store.update(apply)
        except StoreError as exc:
            message = f"„{name}” is niet geïmporteerd. {exc}"
            self.import_result.value = f"<p class='kc-melding' role='alert'>{escape(message)}</p>"
            return message
        finally:
            self._show_notices()
        self.refresh_from_workbook()
        self._refresh_derived()
        self._refresh_download(write_files=True)
        message = reports[0].summary()
        if backup:
            message += f" Je antwoordenbestand van vóór de import staat in {backup}."
        self.import_result.value = (
            f"<p role='status' aria-live='polite'>{escape(message)}</p>"
        )
        return message

    # ------------------------------------------------------------------ derived output

    def _set_status(self, message: str, error: bool = False) -> None:
        if error:
            self.status.value = f"<p class='kc-melding' role='alert'>{escape(message)}</p>"
        else:
            self.status.value = f"<p role='status' aria-live='polite'>{escape(message)}</p>"

    def _show_error(self, message: str) -> None:
        self.notice.value += f"<p class='kc-melding' role='alert'>{escape(message)}</p>"

    def _show_notices(self) -> None:
        for notice in self.store.notices[self._notices_shown:]:
            self._show_error(notice.message())
        self._notices_shown = len(self.store.notices)

    def _refresh_derived(self) -> None:
        derived = derive(self.exercise.id, self.workbook)
        for prompt_id, slot in self.section_slots.items():
            slot.value = "".join(section_view_html(s) for s in derived.after(prompt_id))

    def _refresh_download(self, write_files: bool = False) -> None:
        html_text = portfolio_html(self.workbook)
        md_text = portfolio_markdown(self.workbook)
        saved = ""
        if write_files:
            try:
                html_path = self.store.write_side_file(PORTFOLIO_HTML_NAME, html_text)
                self.store.write_side_file(PORTFOLIO_MD_NAME, md_text)
                saved = (
                    f"<p><small>Een kopie staat ook in <code>{escape(str(html_path.parent))}"
                    f"</code> ({PORTFOLIO_HTML_NAME} en {PORTFOLIO_MD_NAME}).</small></p>"
                )
            except OSError as exc:
                saved = (
                    f"<p class='kc-melding'>De portfoliokopie naast je antwoorden kon niet "
                    f"worden geschreven ({escape(exc.strerror or str(exc))}); download hem "
                    "hierboven.</p>"
                )
        html_b64 = base64.b64encode(html_text.encode("utf-8")).decode("ascii")
        md_b64 = base64.b64encode(md_text.encode("utf-8")).decode("ascii")
        self.download.value = (
            f"<a class='kc-download' download='ketencursus-portfolio.html' "
            f"href='data:text/html;charset=utf-8;base64,{html_b64}'>"
            "Download portfolio (HTML)</a>"
            f"<a class='kc-download' download='ketencursus-portfolio.md' "
            f"href='data:text/markdown;charset=utf-8;base64,{md_b64}'>"
            "Download portfolio (Markdown)</a>" + saved
        )

    # ------------------------------------------------------------------ display

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def section_view_html(section: Section) -> str:
    """A derived section in the notebook: hint box, list, or a chart with its score table."""
    heading = f"<h4>{escape(section.heading)}</h4>"
    if section.bars:
        return heading + bars_html(section)
    items = "".join(f"<li>{escape(item)}</li>" for item in section.items)
    if section.style == "hint":
        return f"<div class='kc-hint'>{heading}<ul>{items}</ul></div>"
    return f"{heading}<ul>{items}</ul>"


def toon_oefening(exercise_id: str, store: AnswerStore | None = None) -> ReflectionView:
    """Build the widgets for an exercise (``cultuurscan``, ``olifantenpaadjes``,
    ``interventiekiezer``, ``actieplan``); the notebook shows the returned view."""
    return ReflectionView(exercise_id, store)


__all__ = ["ReflectionView", "section_view_html", "toon_oefening"]
